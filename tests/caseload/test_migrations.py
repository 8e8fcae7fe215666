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
    from alembic import command

    from caseload.migrate import alembic_config
    from tests.caseload.test_history import _database_at

    old = _database_at(db, "0017", tmp_path)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        with old.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO teams (id, name, nation, referral_target_per_month, "
                "job_start_target_per_month, created_at) VALUES (1, 'T', 'ENG', 0, 0, :now)"), {"now": now})
            conn.execute(sa.text(
                "INSERT INTO staff (id, slack_user_id, display_name, role, team_id, fte, active, "
                "created_at) VALUES (1, 'U1', 'x', 'employment_specialist', 1, 1, :yes, :now)"),
                {"yes": True, "now": now})
            for client in (1, 2):
                conn.execute(sa.text(
                    "INSERT INTO clients (id, team_id, reference, specialist_id, status, "
                    "referral_received_on, consent_recorded, in_work_at_referral, created_at, "
                    "updated_at) VALUES (:id, 1, :ref, 1, 'job_seeking', :day, :yes, :no, :now, :now)"),
                    {"id": client, "ref": f"OLD-{client}", "day": date(2026, 1, 5), "yes": True,
                     "no": False, "now": now})
            # Client 1: a phone call first, then two meetings logged out of order; client 2: none.
            for day, face_to_face in ((date(2026, 1, 10), False), (date(2026, 2, 3), True),
                                      (date(2026, 1, 20), True)):
                conn.execute(sa.text(
                    "INSERT INTO employer_contacts (team_id, staff_id, client_id, contacted_on, "
                    "employer, face_to_face, created_at) VALUES (1, 1, 1, :day, 'E', :f2f, :now)"),
                    {"day": day, "f2f": face_to_face, "now": now})
            config = alembic_config(old.url)
            config.attributes["connection"] = conn
            command.upgrade(config, "0018")
        with old.engine.connect() as conn:
            firsts = dict(conn.execute(sa.text(
                "SELECT id, first_face_to_face_contact_on FROM clients ORDER BY id")).all())
        assert {client: day if day is None or isinstance(day, date) else date.fromisoformat(day)
                for client, day in firsts.items()} == {1: date(2026, 1, 20), 2: None}
    finally:
        schema = getattr(old, "schema", None)
        old.dispose()
        if schema:
            with db.engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
