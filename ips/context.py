"""What every command needs: the settings, the database, and the operator acting through it."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session

from caseload.db import Database
from caseload.errors import CaseloadError
from caseload.migrate import alembic_config
from caseload.models import Role, Staff
from caseload.settings import get_settings

# The command line acts as an operator with admin rights; its changes are audited as theirs.
SYSTEM_SLACK_ID = "USYSTEMIPS"


class NotMigrated(CaseloadError):
    def __init__(self, detail: str = "The database has no tables yet") -> None:
        super().__init__(f"{detail}: run `ips db upgrade` first.")


class BadDatabaseUrl(CaseloadError):
    pass


def open_database(url: str | None = None) -> Database:
    """The database at `url`, or one line saying why it cannot be used (never its password)."""
    url = url or get_settings().database_url
    try:
        return Database(url)
    except (ArgumentError, NoSuchModuleError, ImportError, OSError) as exc:
        try:
            shown = make_url(url).render_as_string(hide_password=True)
        except ArgumentError:
            shown = "the value given"  # unparseable: it may hold a password, so do not echo it
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BadDatabaseUrl(
            f"database_url: cannot use {shown}: {reason.rstrip('.')} (expected sqlite:///path "
            "or postgresql+psycopg://user@host/database)") from None


def require_migrated(database: Database) -> None:
    """Refuse to work on a database that is missing tables or behind the code's migrations.

    Without this the first query fails with an SQL error naming a table or column, which
    tells an operator nothing about the one command that fixes it.
    """
    if not inspect(database.engine).has_table("teams"):
        raise NotMigrated()
    heads = set(ScriptDirectory.from_config(alembic_config(database.url)).get_heads())
    with database.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if current != heads:
        raise NotMigrated("The database is behind this version of IPS Assist")


def operator(session: Session) -> Staff:
    """The system admin the command line acts as, created the first time it is needed.

    The team and staff services audit each change with this account as the actor, so an
    access review can tell the command line's changes from those made in Slack.
    """
    staff = session.scalar(select(Staff).where(Staff.slack_user_id == SYSTEM_SLACK_ID))
    if staff is None:
        staff = Staff(slack_user_id=SYSTEM_SLACK_ID, display_name="IPS Assist (command line)",
                      role=Role.ADMIN, team_id=None)
        session.add(staff)
        session.flush()
    return staff
