"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import messaging.models  # noqa: F401  (the Slack install tables share Base.metadata)
from caseload.db import Database
from caseload.models import Base


def test_migrated_schema_matches_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_model_table_exists_after_migration(db: Database) -> None:
    from sqlalchemy import inspect

    names = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= names


def test_migrations_downgrade_to_nothing_and_up_again(tmp_path) -> None:
    from sqlalchemy import inspect

    from caseload.migrate import downgrade, upgrade

    url = f"sqlite:///{tmp_path / 'updown.sqlite3'}"
    upgrade(url)
    downgrade(url, "base")
    database = Database(url)
    assert set(inspect(database.engine).get_table_names()) == {"alembic_version"}
    database.dispose()
    upgrade(url)
    database = Database(url)
    assert set(Base.metadata.tables) <= set(inspect(database.engine).get_table_names())
    database.dispose()


def test_0018_fills_each_clients_first_face_to_face_date_from_the_contacts_kept(
        db: Database, tmp_path) -> None:
    from datetime import UTC, date, datetime

    import sqlalchemy as sa

    from tests.caseload.old_schema import add_team_and_clients, database_at, upgrade

    now = datetime(2026, 1, 1, tzinfo=UTC)
    with database_at(db, "0017", tmp_path) as old:
        with old.engine.begin() as conn:
            add_team_and_clients(conn, {1: "job_seeking", 2: "job_seeking"}, now)
            # Client 1: a phone call first, then two meetings logged out of order; client 2: none.
            for day, face_to_face in ((date(2026, 1, 10), False), (date(2026, 2, 3), True),
                                      (date(2026, 1, 20), True)):
                conn.execute(sa.text(
                    "INSERT INTO employer_contacts (team_id, staff_id, client_id, contacted_on, "
                    "employer, face_to_face, created_at) VALUES (1, 1, 1, :day, 'E', :f2f, :now)"),
                    {"day": day, "f2f": face_to_face, "now": now})
        upgrade(old, "0018")
        with old.engine.connect() as conn:
            firsts = dict(conn.execute(sa.text(
                "SELECT id, first_face_to_face_contact_on FROM clients ORDER BY id")).all())
    assert {client: day if day is None or isinstance(day, date) else date.fromisoformat(day)
            for client, day in firsts.items()} == {1: date(2026, 1, 20), 2: None}
