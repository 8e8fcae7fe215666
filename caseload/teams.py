"""Teams: adding, listing and changing them (an admin's job, in Slack or at the `ips` command line).

Every change is audited with the admin who made it as the actor.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated

from pydantic import AfterValidator, Field
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseload.access import require_admin, workspace_teams
from caseload.audit import record_change, snapshot
from caseload.errors import Conflict, NotFound
from caseload.models import Nation, Staff, Team
from caseload.validation import Input, SlackTeamId, Workspace, parse


def _slack_channel_id(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[CG][A-Z0-9]{6,20}", value):
        raise ValueError("must be a Slack channel id such as C0123ABCD, not a channel name")
    return value


class NewTeam(Input):
    name: Annotated[str, Field(min_length=2, max_length=100)]
    nation: Nation = Nation.ENGLAND
    slack_channel_id: Annotated[str | None, AfterValidator(_slack_channel_id)] = None
    referral_target_per_month: Annotated[int, Field(ge=0, le=1000)] = 0
    job_start_target_per_month: Annotated[int, Field(ge=0, le=1000)] = 0
    service_started_on: date | None = None
    # The Slack workspace the team works in; None: the one workspace (see Team.slack_team_id).
    slack_team_id: SlackTeamId = None


def add_team(session: Session, new: NewTeam, *, actor: Staff | None) -> Team:
    require_admin(actor, "add teams")
    if session.scalar(select(Team.id).where(Team.name == new.name)) is not None:
        raise Conflict(f"A team called {new.name!r} already exists.")
    team = Team(**new.model_dump())
    session.add(team)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"A team called {new.name!r} already exists.") from None
    record_change(session, actor=actor, action="add_team", record=team, before=None)
    return team


Target = Annotated[int, Field(ge=0, le=1000)]


class TeamTargets(Input):
    """A month's referrals and job starts the team aims for (0: no target)."""

    referral_target_per_month: Target
    job_start_target_per_month: Target


def set_targets(session: Session, team: Team, targets: TeamTargets, *, actor: Staff | None) -> Team:
    require_admin(actor, "change a team's targets", of=team)
    before = snapshot(team)
    team.referral_target_per_month = targets.referral_target_per_month
    team.job_start_target_per_month = targets.job_start_target_per_month
    _audit_if_changed(session, actor, "set_team_targets", team, before)
    return team


def _audit_if_changed(session: Session, actor: Staff | None, action: str, team: Team,
                      before: dict[str, object]) -> None:
    session.flush()
    if snapshot(team) != before:
        record_change(session, actor=actor, action=action, record=team, before=before)


def list_teams(session: Session, within: ColumnElement[bool] | None = None) -> list[Team]:
    """Every team, or those matching `within` (such as `access.workspace_teams(actor)`)."""
    query = select(Team).order_by(Team.name)
    if within is not None:
        query = query.where(within)
    return list(session.scalars(query))


def teams_in_workspace(session: Session, actor: Staff) -> list[Team]:
    """The teams of `actor`'s Slack workspace, by name: the teams an admin manages and a trainer
    reviews, and the only team names a referral, contact or review picker may offer them."""
    return list_teams(session, workspace_teams(actor))


def set_workspace(session: Session, team: Team, slack_team_id: str | None, *,
                  actor: Staff | None) -> Team:
    """Record which Slack workspace a team works in (None: the one workspace).

    Needed when an install that ran on one workspace starts serving several: until its teams
    have a workspace, the trainers and admins of every workspace see them.
    """
    require_admin(actor, "change a team's Slack workspace", of=team)
    before = snapshot(team)
    team.slack_team_id = parse(Workspace, {"slack_team_id": slack_team_id}).slack_team_id
    _audit_if_changed(session, actor, "set_team_workspace", team, before)
    return team


def team_by_name(session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        raise NotFound(f"There is no team called {name!r}.")
    return team


def get_team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"There is no team with id {team_id}.")
    return team


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def _working_hours(value: time | None) -> time | None:
    if value is not None and not time(7, 0) <= value <= time(18, 0):
        raise ValueError("reminders go out in working hours: between 07:00 and 18:00")
    return value


WorkingTime = Annotated[time | None, AfterValidator(_working_hours)]


class TeamSchedule(Input):
    """When this team's reminders go out; anything left empty keeps the clock's default."""

    nudges_at: WorkingTime = None
    just_ask_weekday: Annotated[int | None, Field(ge=0, le=4)] = None
    just_ask_at: WorkingTime = None


def set_schedule(session: Session, team: Team, schedule: TeamSchedule, *,
                 actor: Staff | None) -> Team:
    require_admin(actor, "change a team's reminder schedule", of=team)
    before = snapshot(team)
    team.nudges_at = schedule.nudges_at
    team.just_ask_weekday = schedule.just_ask_weekday
    team.just_ask_at = schedule.just_ask_at
    _audit_if_changed(session, actor, "set_team_schedule", team, before)
    return team


class ReferralWait(Input):
    """How many working days a referral may wait unaccepted before the team leaders are told,
    and then told again each week (the clock's referral digest); empty: the default, 5."""

    working_days: Annotated[int | None, Field(ge=1, le=30)] = None


def set_referral_wait(session: Session, team: Team, wait: ReferralWait, *,
                      actor: Staff | None) -> Team:
    require_admin(actor, "change how long a team's referrals may wait", of=team)
    before = snapshot(team)
    team.referral_wait_working_days = wait.working_days
    _audit_if_changed(session, actor, "set_team_referral_wait", team, before)
    return team


def every_team(session: Session) -> list[Team]:
    """Every team, oldest first: the clock's daily round (people see them by name instead)."""
    return list(session.scalars(select(Team).order_by(Team.id)))


def count_unplaced(session: Session) -> int:
    """How many teams have no Slack workspace recorded: with several workspaces installed,
    every workspace's trainers and admins see those teams until they are placed."""
    return session.scalar(select(func.count(Team.id)).where(Team.slack_team_id.is_(None))) or 0


class InWorkRhythmSetting(Input):
    """How often someone in work should hear from their specialist (caseload/in_work.py):
    every `first_every_days` for the first `first_weeks` weeks of a job, then every
    `then_every_days`. Left out: the default, weekly for four weeks then every 30 days."""

    first_weeks: Annotated[int, Field(ge=0, le=52)] = 4
    first_every_days: Annotated[int, Field(ge=1, le=31)] = 7
    then_every_days: Annotated[int, Field(ge=1, le=92)] = 30


def set_in_work_rhythm(session: Session, team: Team, rhythm: InWorkRhythmSetting, *,
                       actor: Staff | None) -> Team:
    require_admin(actor, "change a team's in-work support rhythm", of=team)
    before = snapshot(team)
    team.in_work_first_weeks = rhythm.first_weeks
    team.in_work_first_every_days = rhythm.first_every_days
    team.in_work_then_every_days = rhythm.then_every_days
    _audit_if_changed(session, actor, "set_team_in_work_rhythm", team, before)
    return team
