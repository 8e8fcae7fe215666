"""Who may see and change what. Enforced here, so every front end gets the same answer.

- care coordinator: their own referrals;
- employment specialist: their caseload;
- team leader: their team;
- regional trainer and admin: every team in their Slack workspace;
- benefits advisor: calculation records for their team (and may save a calculation
  against a client of their team).

Workspaces: when several Slack workspaces (say, two NHS trusts) install the app they share
one database, and a trainer or admin of one must not see the other's teams. A team or person
with no workspace recorded belongs to the one workspace of a single-token install, so is in
every workspace: nothing changes until teams are given one (`ips team set-workspace`).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import QueryableAttribute

from caseload.errors import NotAllowed
from caseload.models import Client, Role, Staff, Team

ALL_TEAMS = (Role.REGIONAL_TRAINER, Role.ADMIN)
CLINICAL_REFERRERS = (Role.CARE_COORDINATOR, Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER)


def require_active(actor: Staff) -> None:
    if not actor.active:
        raise NotAllowed("Your IPS Assist access has been switched off: ask your team leader.")


def sees_all_teams(actor: Staff) -> bool:
    return actor.role in ALL_TEAMS


def shares_workspace(actor: Staff, other: Team | Staff) -> bool:
    """Whether a team or person is in `actor`'s Slack workspace (no workspace on either side:
    yes)."""
    return (other.slack_team_id is None or actor.slack_team_id is None
            or other.slack_team_id == actor.slack_team_id)


def workspace_teams(actor: Staff) -> ColumnElement[bool]:
    """A WHERE clause over Team selecting the teams in `actor`'s Slack workspace."""
    if actor.slack_team_id is None:
        return true()
    return or_(Team.slack_team_id.is_(None), Team.slack_team_id == actor.slack_team_id)


def in_workspace(team_id: ColumnElement[Any] | QueryableAttribute[Any], actor: Staff) -> ColumnElement[bool]:
    """A WHERE clause keeping rows whose `team_id` is a team in `actor`'s workspace."""
    if actor.slack_team_id is None:
        return true()
    return team_id.in_(select(Team.id).where(workspace_teams(actor)))


def visible_teams(actor: Staff) -> ColumnElement[bool]:
    """A WHERE clause over Team selecting the teams whose figures `actor` may see."""
    if not actor.active:
        return false()
    if sees_all_teams(actor):
        return workspace_teams(actor)
    if actor.team_id is None:
        return false()
    return Team.id == actor.team_id


def can_see_client(actor: Staff, client: Client) -> bool:
    if not actor.active:
        return False
    if sees_all_teams(actor):
        return shares_workspace(actor, client.team)
    if actor.role == Role.TEAM_LEADER:
        return client.team_id == actor.team_id
    if actor.role == Role.CARE_COORDINATOR:
        return client.care_coordinator_id == actor.id
    if actor.role == Role.EMPLOYMENT_SPECIALIST:
        return client.specialist_id == actor.id
    return False


def require_see_client(actor: Staff, client: Client) -> None:
    require_active(actor)
    if not can_see_client(actor, client):
        raise NotAllowed(_client_refusal(actor, client, "see"))


def require_change_client(actor: Staff, client: Client, what: str = "change") -> None:
    require_active(actor)
    if not can_see_client(actor, client):
        raise NotAllowed(_client_refusal(actor, client, what))


def _client_refusal(actor: Staff, client: Client, what: str) -> str:
    ref = client.reference
    if actor.role == Role.CARE_COORDINATOR:
        return f"You can only {what} your own referrals; {ref} is not one of them."
    if actor.role == Role.EMPLOYMENT_SPECIALIST:
        return f"You can only {what} clients on your caseload; {ref} is not on it."
    if actor.role == Role.TEAM_LEADER:
        return f"You can only {what} clients of your own team; {ref} is in another team."
    if actor.role == Role.BENEFITS_ADVISOR:
        return f"Benefits advisors cannot {what} client records ({ref})."
    if sees_all_teams(actor):
        return f"You can only {what} clients within your own Slack workspace; {ref} is not."
    return f"You are not allowed to {what} {ref}."


# Any query selecting from clients, whatever its columns.
Query = TypeVar("Query", bound="Select[*tuple[Any, ...]]")


def clients_scoped(query: Query, team_id: int | None = None,
                   specialist_id: int | None = None, actor: Staff | None = None) -> Query:
    """`query` over clients, narrowed to a team, a specialist's caseload and what `actor` may
    see, each only when given (the shared filters of the reminder and overdue reads)."""
    if team_id is not None:
        query = query.where(Client.team_id == team_id)
    if specialist_id is not None:
        query = query.where(Client.specialist_id == specialist_id)
    if actor is not None:
        query = query.where(visible_clients(actor))
    return query


def visible_clients(actor: Staff) -> ColumnElement[bool]:
    """A WHERE clause selecting the clients `actor` may see (for lists and searches)."""
    if not actor.active:
        return false()
    if sees_all_teams(actor):
        return in_workspace(Client.team_id, actor)
    if actor.role == Role.TEAM_LEADER:
        return Client.team_id == actor.team_id
    if actor.role == Role.CARE_COORDINATOR:
        return Client.care_coordinator_id == actor.id
    if actor.role == Role.EMPLOYMENT_SPECIALIST:
        return Client.specialist_id == actor.id
    return false()


def require_workspace(actor: Staff, other: Team | Staff, what: str) -> None:
    """For those who act on every team: only the teams (and people) of their own workspace."""
    if not shares_workspace(actor, other):
        raise NotAllowed(f"You can only {what} within your own Slack workspace.")


def require_team_member_or_all(actor: Staff, team: Team, what: str) -> None:
    """For acts on a team as a whole (referring into it, general job development)."""
    require_active(actor)
    if sees_all_teams(actor):
        require_workspace(actor, team, what)
        return
    if actor.team_id == team.id:
        return
    raise NotAllowed(f"You can only {what} for your own team.")


def require_team_lead(actor: Staff, team: Team, what: str) -> None:
    """Team leaders for their own team; regional trainers and admins for any in their workspace."""
    require_active(actor)
    if sees_all_teams(actor):
        require_workspace(actor, team, what)
        return
    if actor.role == Role.TEAM_LEADER and actor.team_id == team.id:
        return
    raise NotAllowed(f"Only the team leader (or a regional trainer or admin) can {what}.")


def require_role(actor: Staff, roles: tuple[Role, ...], what: str) -> None:
    require_active(actor)
    if actor.role not in roles:
        names = ", ".join(r.value.replace("_", " ") for r in roles)
        raise NotAllowed(f"Only these roles can {what}: {names}.")


def team_scope(actor: Staff) -> int | None:
    """The one team whose aggregate figures `actor` may see, or None for all teams."""
    require_active(actor)
    if sees_all_teams(actor):
        return None
    if actor.team_id is None:
        raise NotAllowed("You are not in a team, so there are no team figures to show you.")
    return actor.team_id


STAFF_ADMINS = (Role.ADMIN,)


def require_admin(actor: Staff | None, what: str, of: Team | Staff | None = None) -> None:
    """Teams and staff are an admin's to manage: those of the admin's own workspace (`of`).

    `None` is the system itself (the demo loader, test fixtures): nobody to check. Every
    front end passes the person acting, who is then named in the audit trail; the `ips`
    command line's built-in admin has no workspace, so it manages every team.
    """
    if actor is not None:
        require_role(actor, STAFF_ADMINS, what)
        if of is not None:
            require_workspace(actor, of, what)
