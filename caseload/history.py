"""A client episode's dated history: where it stood (status, team, specialist) on any day.

Every service that changes a client's status or specialist calls `record_state` with the
day the change took effect, in the same transaction, so reports for a past day can read
what was true then instead of rebuilding it from today's client row. The audit log stays
the who-did-what record; reports never parse it.

A change dated before the latest row corrects the past: what it changed holds from its date
on, and what it did not change (a later reassignment, say) keeps its own date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from caseload.models import Client, ClientStatus, ClientStatusPeriod


@dataclass(frozen=True)
class State:
    """How an episode stood: what the history keeps for each period."""

    status: ClientStatus
    team_id: int
    specialist_id: int | None


def state_of(client: Client) -> State:
    return State(client.status, client.team_id, client.specialist_id)


def _state(row: ClientStatusPeriod) -> State:
    return State(row.status, row.team_id, row.specialist_id)


def _rows(session: Session, client_id: int) -> list[ClientStatusPeriod]:
    return list(session.scalars(
        select(ClientStatusPeriod).where(ClientStatusPeriod.client_id == client_id)
        .order_by(ClientStatusPeriod.valid_from)))


def start_history(session: Session, client: Client, on: date) -> None:
    """A new episode's first dated state, from `on`: it has no history to compare with."""
    session.flush()
    session.add(_period(client.id, state_of(client), on, None))
    session.flush()


def record_state(session: Session, client: Client, on: date) -> None:
    """Record that from `on` the client stands as its row says now (flushes first for its id).

    Only what this change altered (status, team or specialist, against the latest row) is
    written, from `on` to the end: a job start dated before a later reassignment keeps the
    reassignment's date, and a discharge dated before a hold replaces the hold.
    """
    session.flush()
    rows = _rows(session, client.id)
    if not rows:
        start_history(session, client, on)
        return
    new = state_of(client)
    changes = {name: value for name, value in vars(new).items()
               if getattr(_state(rows[-1]), name) != value}
    if not changes:
        return
    covering = [r for r in rows if r.valid_from <= on]
    if not covering:
        rows[0].valid_from = on  # in work, say, before the referral row began
    elif covering[-1].valid_from < on:
        split = covering[-1]
        tail = _period(client.id, _state(split), on, split.valid_to)
        split.valid_to = on
        session.add(tail)
        rows.insert(rows.index(split) + 1, tail)
    for row in rows:
        if row.valid_from >= on:
            for name, value in changes.items():
                setattr(row, name, value)
    _merge_alike(session, rows)
    session.flush()


def _period(client_id: int, state: State, valid_from: date, valid_to: date | None
            ) -> ClientStatusPeriod:
    return ClientStatusPeriod(client_id=client_id, team_id=state.team_id, status=state.status,
                              specialist_id=state.specialist_id, valid_from=valid_from,
                              valid_to=valid_to)


def _merge_alike(session: Session, rows: list[ClientStatusPeriod]) -> None:
    """Neighbouring periods that say the same become one."""
    kept = rows[0]
    for row in rows[1:]:
        if _state(row) == _state(kept):
            kept.valid_to = row.valid_to
            session.delete(row)
        else:
            kept = row


def periods_of(session: Session, client_id: int) -> list[ClientStatusPeriod]:
    """A client episode's history, earliest first."""
    return _rows(session, client_id)


def in_force_on(day: date) -> ColumnElement[bool]:
    """SQL: the history rows saying how each episode stood at the end of `day`."""
    return and_(ClientStatusPeriod.valid_from <= day,
                or_(ClientStatusPeriod.valid_to.is_(None), ClientStatusPeriod.valid_to > day))
