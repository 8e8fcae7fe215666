"""Once-only delivery of nudges, reminders and reports: claim, send, then mark.

Each message has a key (kind, subject, period), e.g. ("four_week", "staff:12",
"2026-11-23"). A sender claims the key in its own committed transaction *before* sending,
so a second clock process, a restart or a retried job finds it taken. A failed send marks
it failed, and the next run claims it again; a claim whose sender died (never marked) is
taken over once its lease has run out. So nothing is sent twice and nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseload.db import Database
from caseload.models import NudgeLog, NudgeStatus, utcnow

# Long enough for a slow send with Slack's Retry-After waits; short enough that a crashed
# clock's claims are picked up on the next run.
CLAIM_LEASE = timedelta(minutes=15)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Claim:
    nudge_id: int
    attempt: int


def claim(
    db: Database, kind: str, subject: str, period: str, recipient: str | None = None,
    now: datetime | None = None,
) -> Claim | None:
    """Claim the right to send this message; None when it is sent, or being sent, already."""
    now = now or utcnow()
    with db.transaction() as session:
        row = NudgeLog(kind=kind, subject=subject, period=period, recipient=recipient,
                       status=NudgeStatus.CLAIMED, attempts=1, claimed_at=now)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
            return Claim(row.id, 1)
        except IntegrityError:
            pass
        existing = session.scalar(select(NudgeLog).where(
            NudgeLog.kind == kind, NudgeLog.subject == subject, NudgeLog.period == period))
        if existing is None or existing.status == NudgeStatus.SENT:
            return None
        if existing.attempts >= MAX_ATTEMPTS:
            return None
        takeable = or_(
            NudgeLog.status == NudgeStatus.FAILED,
            NudgeLog.claimed_at < now - CLAIM_LEASE,
        )
        # Compare-and-set on the attempt count: of two processes racing, one wins.
        result: CursorResult[Any] = session.execute(  # type: ignore[assignment]  # an UPDATE's result is a cursor
            update(NudgeLog)
            .where(NudgeLog.id == existing.id, NudgeLog.attempts == existing.attempts,
                   NudgeLog.status != NudgeStatus.SENT, takeable)
            .values(status=NudgeStatus.CLAIMED, claimed_at=now, attempts=existing.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return None
        return Claim(existing.id, existing.attempts + 1)


def mark_sent(db: Database, nudge: Claim) -> None:
    with db.transaction() as session:
        session.execute(
            update(NudgeLog).where(NudgeLog.id == nudge.nudge_id)
            .values(status=NudgeStatus.SENT, sent_at=utcnow(), last_error=None)
            .execution_options(synchronize_session=False)
        )


def mark_failed(db: Database, nudge: Claim, error: str) -> None:
    """Release the claim so the next run tries again (up to MAX_ATTEMPTS in all)."""
    with db.transaction() as session:
        session.execute(
            update(NudgeLog).where(NudgeLog.id == nudge.nudge_id,
                                   NudgeLog.status == NudgeStatus.CLAIMED)
            .values(status=NudgeStatus.FAILED, last_error=error[:2000])
            .execution_options(synchronize_session=False)
        )


def failed_nudges(db: Database) -> list[NudgeLog]:
    """Messages waiting for another try, oldest first."""
    with db.reading() as session:
        return list(session.scalars(
            select(NudgeLog).where(NudgeLog.status == NudgeStatus.FAILED,
                                   NudgeLog.attempts < MAX_ATTEMPTS)
            .order_by(NudgeLog.claimed_at)))


def all_sent(db: Database, keys: list[tuple[str, str, str]]) -> bool:
    """True when every key is already sent: lets a job skip building what it would send."""
    if not keys:
        return True
    with db.reading() as session:
        for kind, subject, period in keys:
            status = session.scalar(select(NudgeLog.status).where(
                NudgeLog.kind == kind, NudgeLog.subject == subject, NudgeLog.period == period))
            if status != NudgeStatus.SENT:
                return False
    return True


def claim_many(db: Database, keys: list[tuple[str, str, str]], recipient: str | None = None,
               now: datetime | None = None) -> list[Claim | None]:
    """`claim` for many keys in one transaction (a DM listing many clients): one result each.

    New keys are inserted together, skipping any another process holds; existing failed or
    expired ones are taken over one by one, as `claim` does.
    """
    if not keys:
        return []
    now = now or utcnow()
    results: dict[tuple[str, str, str], Claim | None] = {}
    with db.transaction() as session:
        insert = _insert_for(db)
        statement = (
            insert(NudgeLog)
            .values([{"kind": k, "subject": s, "period": p, "recipient": recipient,
                      "status": NudgeStatus.CLAIMED, "attempts": 1, "claimed_at": now}
                     for k, s, p in keys])
            .on_conflict_do_nothing(index_elements=["kind", "subject", "period"])
            .returning(NudgeLog.id, NudgeLog.kind, NudgeLog.subject, NudgeLog.period)
        )
        for row in session.execute(statement):
            results[(row.kind, row.subject, row.period)] = Claim(row.id, 1)
    for key in keys:
        if key not in results:
            results[key] = claim(db, *key, recipient=recipient, now=now)
    return [results[key] for key in keys]


def _insert_for(db: Database) -> Callable[[type[NudgeLog]], Any]:
    # Both dialects' insert() have on_conflict_do_nothing; the generic one does not.
    return postgresql.insert if db.dialect == "postgresql" else sqlite.insert


def mark_many(db: Database, claims: list[Claim], error: str | None = None) -> None:
    """Mark several claims sent (error None) or failed, in one transaction."""
    ids = [c.nudge_id for c in claims]
    if not ids:
        return
    with db.transaction() as session:
        if error is None:
            values = {"status": NudgeStatus.SENT, "sent_at": utcnow(), "last_error": None}
            condition: ColumnElement[bool] = NudgeLog.id.in_(ids)
        else:
            values = {"status": NudgeStatus.FAILED, "last_error": error[:2000]}
            condition = NudgeLog.id.in_(ids) & (NudgeLog.status == NudgeStatus.CLAIMED)
        session.execute(update(NudgeLog).where(condition).values(**values)
                        .execution_options(synchronize_session=False))


# A specialist hears about the same overdue client at most once a week.
NUDGE_EVERY_DAYS = 7


def four_week_key(client_id: int, today: date) -> tuple[str, str, str]:
    """The key of the four-week nudge about one client sent on `today`."""
    return ("four_week", f"client:{client_id}", today.isoformat())


def _sent_or_held(now: datetime) -> ColumnElement[bool]:
    """A four-week row that counts as going out: sent, or claimed by a sender whose lease runs.

    A claim older than the lease belongs to a sender that died; it must not hold the client
    (or the specialist's day) back, so the next run takes it over (`claim`).
    """
    return or_(NudgeLog.status == NudgeStatus.SENT,
               (NudgeLog.status == NudgeStatus.CLAIMED) & (NudgeLog.claimed_at >= now - CLAIM_LEASE))


def recently_nudged(session: Session, today: date, now: datetime | None = None) -> set[int]:
    """Clients nudged (or being nudged) within the last week: they wait for next week.

    Counting from each client's last nudge, not from when they became overdue, keeps a
    specialist's nudges to one day a week for the same clients.
    """
    since = (today - timedelta(days=NUDGE_EVERY_DAYS - 1)).isoformat()
    rows = session.scalars(select(NudgeLog.subject).where(
        NudgeLog.kind == "four_week", NudgeLog.period >= since, _sent_or_held(now or utcnow())))
    return {int(subject.removeprefix("client:")) for subject in rows}


def four_week_dm_today(session: Session, today: date, now: datetime | None = None) -> set[str]:
    """Slack user ids already sent (or being sent) today's four-week DM: one DM a day each.

    A client who comes off hold (or becomes overdue) later in the day waits for tomorrow's
    DM rather than making a second one today.
    """
    rows = session.scalars(select(NudgeLog.recipient).where(
        NudgeLog.kind == "four_week", NudgeLog.period == today.isoformat(),
        NudgeLog.recipient.is_not(None), _sent_or_held(now or utcnow())))
    return {recipient for recipient in rows if recipient}
