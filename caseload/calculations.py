"""Better-off calculation records: how many were done, and how many showed the person better off.

A digest of the inputs recognises the same calculation again. A calculation saved against
a client also keeps the calculator form's answers (numbers, choices and children's ages:
the calculator never asks for free text), so the next one for that client can start from
them; one not saved against a client keeps nothing about the household.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.access import (
    in_workspace,
    require_change_client,
    require_role,
    sees_all_teams,
)
from caseload.audit import record_change
from caseload.errors import InvalidInput, NotAllowed
from caseload.models import (
    BetterOffCalculation,
    BetterOffOutcome,
    Client,
    ClientStatus,
    Role,
    Staff,
)
from caseload.validation import Input, parse

CALCULATION_ROLES = (
    Role.BENEFITS_ADVISOR, Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER, Role.ADMIN,
    Role.REGIONAL_TRAINER,
)
# Within a penny either way, the person is neither better nor worse off.
NO_CHANGE_MARGIN = Decimal("0.01")


def inputs_digest(inputs: dict[str, Any]) -> str:
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def outcome_for(better_off_per_month: Decimal) -> BetterOffOutcome:
    if better_off_per_month >= NO_CHANGE_MARGIN:
        return BetterOffOutcome.BETTER_OFF
    if better_off_per_month <= -NO_CHANGE_MARGIN:
        return BetterOffOutcome.WORSE_OFF
    return BetterOffOutcome.NO_CHANGE


FormAnswer = Annotated[str, Field(max_length=60)]


class CalculationRecord(Input):
    tax_year: Annotated[str, Field(pattern=r"^20[0-9]{2}-[0-9]{2}$")]
    inputs_digest: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    better_off_per_month: Annotated[Decimal, Field(ge=-100000, le=100000, decimal_places=2)]
    client_id: int | None = None
    household: Annotated[dict[Annotated[str, Field(pattern=r"^[a-z0-9_]{1,40}$")], FormAnswer],
                         Field(max_length=60)] | None = None


def record_calculation(
    session: Session, actor: Staff, record: CalculationRecord
) -> BetterOffCalculation:
    require_role(actor, CALCULATION_ROLES, "save better-off calculations")
    team_id = actor.team_id
    if record.client_id is not None:
        client = session.get(Client, record.client_id)
        if client is None:
            raise InvalidInput.one("client_id", f"there is no client with id {record.client_id}")
        if actor.role == Role.BENEFITS_ADVISOR:
            # Advisors work for the whole team without seeing its client records.
            if client.team_id != actor.team_id:
                raise NotAllowed("You can only save calculations against clients of your team.")
        else:
            require_change_client(actor, client, "save a calculation against")
        team_id = client.team_id
    row = BetterOffCalculation(
        staff_id=actor.id,
        team_id=team_id,
        client_id=record.client_id,
        tax_year=record.tax_year,
        inputs_digest=record.inputs_digest,
        better_off_per_month=record.better_off_per_month,
        outcome=outcome_for(record.better_off_per_month),
        household=record.household if record.client_id is not None else None,
    )
    session.add(row)
    if record.client_id is not None:
        record_change(session, actor=actor, action="better_off_calculation", record=row,
                      before=None)
    else:
        session.flush()
    return row


def list_calculations(
    session: Session, actor: Staff, since: datetime | None = None
) -> list[BetterOffCalculation]:
    """Calculation records the actor may see: their team's, or all for trainers and admins."""
    require_role(actor, CALCULATION_ROLES, "see calculation records")
    query = select(BetterOffCalculation).order_by(BetterOffCalculation.calculated_at.desc())
    if sees_all_teams(actor):
        query = query.where(in_workspace(BetterOffCalculation.team_id, actor))
    else:
        query = query.where(BetterOffCalculation.team_id == actor.team_id)
    if since is not None:
        query = query.where(BetterOffCalculation.calculated_at >= since)
    return list(session.scalars(query))


def _client_in_team(session: Session, actor: Staff, reference: str) -> Client:
    """The latest episode of `reference` in the actor's team (any team for a regional
    trainer or admin, who are in none).

    Advisors work for their team without seeing its client records, so calculations find
    the client by reference within the team, and `record_calculation` applies the rules.
    """
    reference = reference.strip().upper()
    if not reference:
        raise InvalidInput.one("client_reference", "enter the client's reference")
    query = select(Client).where(Client.reference == reference).order_by(Client.id.desc())
    if sees_all_teams(actor):
        query = query.where(in_workspace(Client.team_id, actor))
    else:
        query = query.where(Client.team_id == actor.team_id)
    found = list(session.scalars(query))
    if not found:
        where = "your Slack workspace's teams" if sees_all_teams(actor) else "your team"
        raise InvalidInput.one("client_reference", f"there is no client {reference} in {where}")
    open_ = [c for c in found if c.status != ClientStatus.DISCHARGED]
    if len({c.team_id for c in open_}) > 1:
        raise InvalidInput.one("client_reference", f"{reference} is open in more than one team, "
                                                   "so it is not clear which client this is")
    return (open_ or found)[0]


def record_for_reference(
    session: Session, actor: Staff, reference: str, tax_year: str, inputs: dict[str, Any],
    better_off_per_month: Decimal, household: dict[str, str] | None = None,
) -> BetterOffCalculation:
    """Save a calculation against the open episode of `reference` in the actor's team,
    keeping `household` (the form's answers) for the next calculation to start from."""
    client = _client_in_team(session, actor, reference)
    record = parse(CalculationRecord, {
        "tax_year": tax_year, "inputs_digest": inputs_digest(inputs),
        "better_off_per_month": better_off_per_month, "client_id": client.id,
        "household": household or None})
    return record_calculation(session, actor, record)


def saved_household(session: Session, actor: Staff,
                    reference: str) -> tuple[dict[str, str], datetime] | None:
    """The form's answers from the latest calculation saved against `reference`, and when.

    The same people who may save a calculation against the client may start from it.
    """
    require_role(actor, CALCULATION_ROLES, "see calculation records")
    client = _client_in_team(session, actor, reference)
    if actor.role != Role.BENEFITS_ADVISOR:
        require_change_client(actor, client, "see calculations for")
    row = session.scalars(
        select(BetterOffCalculation)
        .where(BetterOffCalculation.client_id == client.id,
               BetterOffCalculation.household.is_not(None))
        .order_by(BetterOffCalculation.calculated_at.desc(), BetterOffCalculation.id.desc())
    ).first()
    if row is None or not row.household:
        return None
    return dict(row.household), row.calculated_at
