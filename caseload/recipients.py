"""Who is told what: the people and Slack channels the clock's messages go to.

Each function answers one question the clock asks before it sends; the clock decides what to
say and when. Only active staff are told anything, except where a function says otherwise.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.models import Role, Staff, Team


def _active(session: Session, role: Role, team_id: int | None = None) -> list[Staff]:
    query = select(Staff).where(Staff.role == role, Staff.active.is_(True)).order_by(Staff.id)
    if team_id is not None:
        query = query.where(Staff.team_id == team_id)
    return list(session.scalars(query))


def team_leaders(session: Session, team_id: int) -> list[Staff]:
    """A team's active team leaders: told of its escalations, reviews and monthly report."""
    return _active(session, Role.TEAM_LEADER, team_id)


def care_coordinators(session: Session) -> list[Staff]:
    """Every active care coordinator: asked the weekly just-ask question."""
    return _active(session, Role.CARE_COORDINATOR)


def regional_trainers(session: Session) -> list[Staff]:
    """Every active regional trainer: sent the monthly outcomes workbook."""
    return _active(session, Role.REGIONAL_TRAINER)


def staff_by_id(session: Session) -> dict[int, Staff]:
    """Everyone on record, active or not, by id: the specialists, reviewers and action owners
    a message may name as its recipient (the caller checks they are still active)."""
    return {person.id: person for person in session.scalars(select(Staff))}


def slack_workspaces(session: Session) -> dict[str, str | None]:
    """Which Slack workspace each person (by Slack user id) and each team channel is in.

    A person's is their own. A team's channel is in the team's workspace when recorded, else
    in the one workspace its active staff are in; a channel whose staff span several
    workspaces, or none, maps to None (it cannot be placed).
    """
    people = {user: workspace for user, workspace in session.execute(
        select(Staff.slack_user_id, Staff.slack_team_id))}
    placed: dict[str, set[str]] = defaultdict(set)
    channels = session.execute(
        select(Team.slack_channel_id, Staff.slack_team_id)
        .join(Staff, Staff.team_id == Team.id)
        .where(Team.slack_channel_id.is_not(None), Staff.active.is_(True),
               Staff.slack_team_id.is_not(None)))
    for channel, workspace in channels:
        if channel is not None and workspace is not None:  # always, by the WHERE
            placed[channel].add(workspace)
    unplaced = session.scalars(select(Team.slack_channel_id).where(
        Team.slack_channel_id.is_not(None)))
    routes: dict[str, str | None] = {channel: None for channel in unplaced if channel is not None}
    # A team's own workspace, when recorded, outranks its staff's.
    own = {channel: workspace for channel, workspace in session.execute(
        select(Team.slack_channel_id, Team.slack_team_id).where(
            Team.slack_channel_id.is_not(None), Team.slack_team_id.is_not(None)))
        if channel is not None}
    routes |= {channel: next(iter(spaces)) if len(spaces) == 1 else None
               for channel, spaces in placed.items()}
    routes |= own
    routes |= people
    return routes
