"""Engine and session handling: one `Database` per process, one transaction per unit of work."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import CursorResult, Engine, Executable, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

# `Session` is the public name callers annotate with, so no front end imports sqlalchemy for it.
__all__ = ["Database", "DatabaseError", "Session", "insert_if_new", "insert_or_skip",
           "make_engine"]

# Anything the database layer raises (unreachable, not migrated, a failed statement): the one
# type front ends catch, so they need not import SQLAlchemy.
DatabaseError = SQLAlchemyError


def insert_or_skip(session: Session, table: Any) -> Any:
    """An INSERT into `table` for this session's database, so callers can add
    `.on_conflict_do_nothing()`: both dialects' inserts have it; the generic one does not."""
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql"
            else sqlite.insert)(table)


def insert_if_new(session: Session, entity: Any, values: dict[str, Any],
                  unique: Sequence[str]) -> int | None:
    """Insert a row of `entity` in the session's transaction unless one with the same `unique`
    columns exists; the new row's id, or None. One statement, compiled once per database kind:
    the bot makes such inserts (an idempotency claim, its messages) on every submission."""
    statement = _insert_if_new(session.get_bind().dialect.name, entity.__table__, tuple(unique))
    new_id: int | None = session.connection().execute(statement, values).scalar()
    return new_id


@cache
def _insert_if_new(dialect: str, table: Any, unique: tuple[str, ...]) -> Executable:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=list(unique)).returning(table.c.id)


def _normalise_url(url: str) -> str:
    # People paste Heroku-style URLs; psycopg 3 is the driver we ship.
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str, **kwargs: object) -> Engine:
    url = _normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            # pysqlite's own BEGIN handling skips BEGIN before SELECTs, so a SAVEPOINT can
            # become the outer transaction and RELEASE would commit half a unit of work.
            # Take BEGIN over ourselves (the recipe in SQLAlchemy's SQLite dialect docs).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            # WAL lets readers (App Home, reports) run while the bot writes.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            # Writers take the write lock up front (IMMEDIATE): upgrading a read lock later
            # fails at once with "database is locked" instead of waiting for busy_timeout.
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


class Database:
    """Owns the engine; hands out sessions whose work commits together or not at all."""

    def __init__(self, url: str, **engine_kwargs: object) -> None:
        self.url = _normalise_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose writes commit on success and roll back entirely on any error."""
        session = self._sessions()
        try:
            if self.dialect == "sqlite":
                session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def execute_alone(self, statement: Executable) -> CursorResult[Any]:
        """One statement in a transaction of its own, without an ORM session (the outbox's
        bookkeeping after each send: cheap, and never mixed with other work)."""
        with self.engine.connect() as connection:
            if self.dialect == "sqlite":
                connection = connection.execution_options(sqlite_begin="IMMEDIATE")
            with connection.begin():
                return connection.execute(statement)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads; nothing it does is committed.

        close() rolls the connection back without expiring what was loaded, so the objects
        read here stay usable (detached) after the block.
        """
        session = self._sessions()
        try:
            yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
