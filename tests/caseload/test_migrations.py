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
