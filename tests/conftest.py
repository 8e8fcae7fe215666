"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is the server on 127.0.0.1:5432 (trust auth, database `test`); each pytest worker
gets its own schema there so parallel runs never see each other's rows. Set
IPS_TEST_DATABASES=sqlite to run only the SQLite half on a machine without PostgreSQL.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, sync_playwright

import messaging.models  # noqa: F401  (the Slack install tables share Base.metadata)
from caseload.db import Database
from caseload.models import Base
from tests.browser import CHROMIUM, CHROMIUM_ARGS

POSTGRES_URL = os.environ.get(
    "IPS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = [b.strip() for b in os.environ.get("IPS_TEST_DATABASES", "sqlite,postgresql").split(",")]


def postgres_schema() -> str:
    """This worker's own schema: unique per run, so two test runs on one machine never meet."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"ips_test_{run[:12]}_{worker}"


def _postgres_database() -> Database:
    schema = postgres_schema()
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = POSTGRES_URL
    database = Database(url, connect_args={"options": f"-csearch_path={schema}"})
    return database


def _migrate(database: Database) -> None:
    with database.engine.begin() as conn:
        from alembic import command

        from caseload.migrate import alembic_config

        config = alembic_config(database.url)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


@pytest.fixture(scope="session")
def _databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Database]]:
    made: dict[str, Database] = {}
    if "sqlite" in BACKENDS:
        path = tmp_path_factory.mktemp("sqlite") / "ips-test.sqlite3"
        made["sqlite"] = Database(f"sqlite:///{path}")
    if "postgresql" in BACKENDS:
        made["postgresql"] = _postgres_database()
    for database in made.values():
        _migrate(database)
    yield made
    for database in made.values():
        database.dispose()
    if "postgresql" in made:
        admin = sa.create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{postgres_schema()}" CASCADE'))
        admin.dispose()


def _empty(database: Database) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    # Work a test set going after Slack's acknowledgement (a report being drawn, say) can still
    # hold a table when the test ends; PostgreSQL may then pick the TRUNCATE as a deadlock's
    # victim. That work finishes within moments, so try again.
    for attempt in range(10):
        try:
            with database.engine.begin() as conn:
                if database.dialect == "postgresql":
                    conn.execute(sa.text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
                else:
                    for name in tables:
                        conn.execute(sa.text(f"DELETE FROM {name}"))
            return
        except sa.exc.OperationalError:
            if attempt == 9:
                raise
            time.sleep(0.2)


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, _databases: dict[str, Database]) -> Iterator[Database]:
    """A migrated, empty database: SQLite, then PostgreSQL."""
    database = _databases[request.param]
    _empty(database)
    yield database
    _empty(database)



@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, once per module (tests/browser.py skips without it)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        try:
            yield launched
        finally:
            launched.close()
