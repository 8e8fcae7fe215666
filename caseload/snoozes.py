"""Snoozing the nudges about a client (four-week, in-work support, job-end follow-up): the
specialist says why, and the nudges wait until the date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from pydantic import AfterValidator, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload import clock
from caseload.access import require_change_client
from caseload.audit import record_change
from caseload.errors import Conflict
from caseload.models import LOOKING_FOR_WORK, Client, ClientSnooze, ClientStatus, Staff
from caseload.validation import Input, clean_free_text


class Snooze(Input):
    days: Annotated[int, Field(ge=1, le=28)] = 7
    reason: Annotated[str, Field(min_length=3, max_length=500), AfterValidator(clean_free_text)]


def snooze_nudges(session: Session, actor: Staff, client: Client, snooze: Snooze) -> ClientSnooze:
    require_change_client(actor, client, "snooze nudges for")
    # People in work are nudged too (in-work support, a job end's follow-up), and snoozed alike.
    if client.status not in (*LOOKING_FOR_WORK, ClientStatus.IN_WORK):
        raise Conflict(f"{client.reference} is {client.status.value.replace('_', ' ')}; only "
                       "clients looking for work or in work are nudged.")
    row = ClientSnooze(client_id=client.id, staff_id=actor.id,
                       until=clock.today() + timedelta(days=snooze.days), reason=snooze.reason)
    session.add(row)
    record_change(session, actor=actor, action="snooze", record=row, before=None)
    return row


def snoozed_client_ids(session: Session, on: date) -> set[int]:
    """Clients whose nudges are snoozed on `on` (a snooze ends on its `until` date)."""
    return set(session.scalars(select(ClientSnooze.client_id).where(ClientSnooze.until > on)))
