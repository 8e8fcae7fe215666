"""Staff: who people are in Slack, their role, team and hours.

Adding people and changing their role, team or access is an admin's job; each change is
audited with the admin as the actor, since who was given which role, and when, is exactly
what an access review asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.access import require_admin
from caseload.audit import record_change, snapshot
from caseload.errors import Conflict, InvalidInput, NotAllowed, NotFound, UnknownUser
from caseload.models import Role, Staff, Team
from caseload.validation import Input, SlackTeamId, Workspace, parse

TEAMLESS_ROLES = (Role.REGIONAL_TRAINER, Role.ADMIN)


def _slack_user_id(value: str) -> str:
    if not re.fullmatch(r"[UW][A-Z0-9]{6,20}", value):
        raise ValueError("must be a Slack user id such as U0123ABCD (in Slack: profile, "
                         "⋮ More, Copy member ID)")
    return value


class NewStaff(Input):
    slack_user_id: Annotated[str, AfterValidator(_slack_user_id)]
    display_name: Annotated[str, Field(min_length=1, max_length=100)]
    role: Role
    team_id: int | None = None
    # None: the one workspace of a single-token install (see Staff.slack_team_id).
    slack_team_id: SlackTeamId = None
    fte: Annotated[Decimal, Field(gt=0, le=Decimal("1.5"), decimal_places=2)] = Decimal("1.00")

    @model_validator(mode="after")
    def _team_needed(self) -> NewStaff:
        if self.team_id is None and self.role not in TEAMLESS_ROLES:
            raise ValueError(f"a {self.role.value.replace('_', ' ')} must belong to a team")
        return self


def add_staff(session: Session, new: NewStaff, *, actor: Staff | None) -> Staff:
    require_admin(actor, "add staff")
    team = session.get(Team, new.team_id) if new.team_id is not None else None
    if new.team_id is not None and team is None:
        raise InvalidInput.one("team_id", f"there is no team with id {new.team_id}")
    require_admin(actor, "add staff", of=team)
    existing = session.scalar(select(Staff).where(Staff.slack_user_id == new.slack_user_id))
    if existing is not None:
        raise Conflict(
            f"Slack user {new.slack_user_id} is already set up as {existing.display_name}."
        )
    staff = Staff(**new.model_dump())
    session.add(staff)
    session.flush()
    record_change(session, actor=actor, action="add_staff", record=staff, before=None)
    return staff


def set_role(session: Session, staff: Staff, role: Role, team_id: int | None = None, *,
             actor: Staff | None) -> Staff:
    """Change someone's role (and team, when it moves with the role)."""
    require_admin(actor, "change someone's role or team", of=staff)
    if actor is not None and actor.id == staff.id and role != actor.role:
        raise NotAllowed("You cannot change your own role: ask another admin.")
    new_team = team_id if team_id is not None else staff.team_id
    if new_team is None and role not in TEAMLESS_ROLES:
        raise InvalidInput.one("team", f"a {role.value.replace('_', ' ')} must belong to a team")
    team = session.get(Team, new_team) if new_team is not None else None
    if new_team is not None and team is None:
        raise InvalidInput.one("team", f"there is no team with id {new_team}")
    require_admin(actor, "move someone into a team", of=team)
    before = snapshot(staff)
    staff.role = role
    staff.team_id = new_team
    session.flush()
    if snapshot(staff) != before:
        record_change(session, actor=actor, action="set_role", record=staff, before=before)
    return staff


def set_active(session: Session, staff: Staff, active: bool, *, actor: Staff | None) -> Staff:
    """Switch someone's access off (they keep their history) or back on."""
    require_admin(actor, "switch someone's access off or on", of=staff)
    if actor is not None and actor.id == staff.id and not active:
        raise NotAllowed("You cannot switch off your own access: ask another admin.")
    before = snapshot(staff)
    staff.active = active
    session.flush()
    if snapshot(staff) != before:
        record_change(session, actor=actor, action="reactivate_staff" if active else "deactivate_staff",
                      record=staff, before=before)
    return staff


def set_workspace(session: Session, staff: Staff, slack_team_id: str | None, *,
                  actor: Staff | None) -> Staff:
    """Record which Slack workspace someone is in (None: the one workspace).

    Needed when an install that ran on one workspace's token starts serving several: people
    added before then have no workspace, and the clock cannot tell whose token to use.
    """
    require_admin(actor, "change someone's Slack workspace", of=staff)
    workspace = parse(Workspace, {"slack_team_id": slack_team_id}).slack_team_id
    before = snapshot(staff)
    staff.slack_team_id = workspace
    session.flush()
    if snapshot(staff) != before:
        record_change(session, actor=actor, action="set_workspace", record=staff, before=before)
    return staff


def staff_by_slack_id(session: Session, slack_user_id: str) -> Staff:
    """The person behind a Slack user id; unknown people are told to ask their team leader."""
    staff = session.scalar(select(Staff).where(Staff.slack_user_id == slack_user_id))
    if staff is None:
        raise UnknownUser(slack_user_id)
    return staff


def get_staff(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(f"There is no staff member with id {staff_id}.")
    return staff


def staff_names(session: Session, ids: Iterable[object]) -> dict[int, str]:
    """The display names of the staff with these ids (anything not an id is passed over)."""
    wanted = {i for i in ids if isinstance(i, int)}
    if not wanted:
        return {}
    return {s.id: s.display_name for s in session.scalars(select(Staff).where(Staff.id.in_(wanted)))}


def list_staff(session: Session, team_id: int | None = None) -> list[Staff]:
    query = select(Staff).order_by(Staff.team_id, Staff.display_name)
    if team_id is not None:
        query = query.where(Staff.team_id == team_id)
    return list(session.scalars(query))
