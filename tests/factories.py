"""Small builders for test records, going through the real services where rules matter."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from caseload import clients, staff, teams
from caseload.models import Client, Role, Staff, Team
from caseload.validation import parse

_ids = itertools.count(1)


def make_team(session: Session, name: str | None = None, **extra: object) -> Team:
    data = {"name": name or f"Team {next(_ids)}", **extra}
    return teams.add_team(session, parse(teams.NewTeam, data), actor=None)


def make_staff(session: Session, role: Role, team: Team | None, name: str | None = None,
               fte: str = "1.00", workspace: str | None = None) -> Staff:
    n = next(_ids)
    return staff.add_staff(session, parse(staff.NewStaff, {
        "slack_user_id": f"U{n:08d}",
        "display_name": name or f"{role.value} {n}",
        "role": role,
        "team_id": team.id if team else None,
        "fte": Decimal(fte),
        "slack_team_id": workspace,
    }), actor=None)


def refer(session: Session, actor: Staff, team: Team, reference: str,
          received_on: date | None = None, **extra: object) -> Client:
    data: dict[str, object] = {"reference": reference, "team_id": team.id,
                               "consent_recorded": True, **extra}
    if received_on is not None:
        data["received_on"] = received_on
    return clients.refer(session, actor, parse(clients.Referral, data))
