"""Who may see and change what. Enforced here, so every front end gets the same answer.

- care coordinator: their own referrals;
- employment specialist: their caseload;
- team leader: their team;
- regional trainer and admin: every team;
- benefits advisor: calculation records for their team (and may save a calculation
  against a client of their team).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from caseload.errors import NotAllowed
from caseload.models import Client, Role, Staff

ALL_TEAMS = (Role.REGIONAL_TRAINER, Role.ADMIN)
CLINICAL_REFERRERS = (Role.CARE_COORDINATOR, Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER)


def require_active(actor: Staff) -> None:
    if not actor.active:
        raise NotAllowed("Your IPS Assist access has been switched off: ask your team leader.")


def sees_all_teams(actor: Staff) -> bool:
    return actor.role in ALL_TEAMS


def can_see_client(actor: Staff, client: Client) -> bool:
    if not actor.active:
        return False
    if sees_all_teams(actor):
        return True
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
    return f"You are not allowed to {what} {ref}."


def visible_clients(actor: Staff) -> ColumnElement[bool]:
    """A WHERE clause selecting the clients `actor` may see (for lists and searches)."""
    if not actor.active:
        return false()
    if sees_all_teams(actor):
        return true()
    if actor.role == Role.TEAM_LEADER:
        return Client.team_id == actor.team_id
    if actor.role == Role.CARE_COORDINATOR:
        return Client.care_coordinator_id == actor.id
    if actor.role == Role.EMPLOYMENT_SPECIALIST:
        return Client.specialist_id == actor.id
    return false()


def require_team_member_or_all(actor: Staff, team_id: int, what: str) -> None:
    """For acts on a team as a whole (referring into it, general job development)."""
    require_active(actor)
    if sees_all_teams(actor) or actor.team_id == team_id:
        return
    raise NotAllowed(f"You can only {what} for your own team.")


def require_team_lead(actor: Staff, team_id: int, what: str) -> None:
    """Team leaders for their own team; regional trainers and admins for any."""
    require_active(actor)
    if sees_all_teams(actor):
        return
    if actor.role == Role.TEAM_LEADER and actor.team_id == team_id:
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


def require_admin(actor: Staff | None, what: str) -> None:
    """Teams and staff are an admin's to manage.

    `None` is the system itself (the demo loader, test fixtures): nobody to check. Every
    front end passes the person acting, who is then named in the audit trail.
    """
    if actor is not None:
        require_role(actor, STAFF_ADMINS, what)
