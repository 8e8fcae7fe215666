"""What every command needs: the settings, the database, and the operator acting through it."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from caseload.db import Database
from caseload.errors import CaseloadError
from caseload.models import Role, Staff
from caseload.settings import get_settings

# The command line acts as an operator with admin rights; its changes are audited as theirs.
SYSTEM_SLACK_ID = "USYSTEMIPS"


class NotMigrated(CaseloadError):
    def __init__(self) -> None:
        super().__init__("The database has no tables yet: run `ips db upgrade` first.")


def open_database(url: str | None = None) -> Database:
    return Database(url or get_settings().database_url)


def require_migrated(database: Database) -> None:
    if not inspect(database.engine).has_table("teams"):
        raise NotMigrated()


def operator(session: Session) -> Staff:
    """The system admin the command line acts as, created the first time it is needed."""
    staff = session.scalar(select(Staff).where(Staff.slack_user_id == SYSTEM_SLACK_ID))
    if staff is None:
        staff = Staff(slack_user_id=SYSTEM_SLACK_ID, display_name="IPS Assist (command line)",
                      role=Role.ADMIN, team_id=None)
        session.add(staff)
        session.flush()
    return staff
