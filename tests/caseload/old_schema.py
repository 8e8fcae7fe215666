"""A database of the test's kind at an earlier migration, for testing what a later migration
does to rows written before it: made fresh, dropped afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from caseload.db import Database
from caseload.migrate import alembic_config


@contextmanager
def database_at(db: Database, revision: str, tmp_path: Path) -> Iterator[Database]:
    """A fresh database of `db`'s kind migrated to `revision` only (a schema of its own on
    PostgreSQL, a file on SQLite)."""
    schema = None
    if db.dialect == "sqlite":
        old = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    else:
        schema = "ips_old_" + datetime.now(UTC).strftime("%H%M%S%f")
        with db.engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        old = Database(str(db.engine.url.render_as_string(hide_password=False)),
                       connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade(old, revision)
        yield old
    finally:
        old.dispose()
        if schema:
            with db.engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def upgrade(database: Database, revision: str) -> None:
    """Run the migrations up to `revision` on `database`."""
    with database.engine.begin() as conn:
        config = alembic_config(database.url)
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def add_team_and_clients(conn: sa.Connection, statuses: dict[int, str], now: datetime) -> None:
    """Team 1 with specialist 1 and clients `statuses` (id → status), referred on 5 January
    2026, as rows of a schema from 0010 on (when clients gained `in_work_at_referral`)."""
    conn.execute(sa.text(
        "INSERT INTO teams (id, name, nation, referral_target_per_month, "
        "job_start_target_per_month, created_at) VALUES (1, 'T', 'ENG', 0, 0, :now)"), {"now": now})
    conn.execute(sa.text(
        "INSERT INTO staff (id, slack_user_id, display_name, role, team_id, fte, active, "
        "created_at) VALUES (1, 'U1', 'x', 'employment_specialist', 1, 1, :yes, :now)"),
        {"yes": True, "now": now})
    for client, status in statuses.items():
        conn.execute(sa.text(
            "INSERT INTO clients (id, team_id, reference, specialist_id, status, "
            "referral_received_on, consent_recorded, in_work_at_referral, created_at, "
            "updated_at) VALUES (:id, 1, :ref, 1, :status, :day, :yes, :no, :now, :now)"),
            {"id": client, "ref": f"OLD-{client}", "status": status, "day": date(2026, 1, 5),
             "yes": True, "no": False, "now": now})
