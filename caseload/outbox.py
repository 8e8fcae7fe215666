"""The outbox: Slack messages that must follow a write, stored in the write's own transaction.

A listener that saves a referral also stores, in the same transaction, the confirmation to the
referrer and the note to each team leader, each under a unique key. If the write rolls back, so
do its messages; if it commits, they are there to send even when Slack or the process fails
straight after. One sender (messaging/outbox.py) sends them: in the web process just after the
response, and from the clock's sweep for whatever is still pending.

The clock's nudges, digests, review steps and reports are queued here too (reminders/jobs.py,
caseload/nudges.py), so every message of every kind follows the same rules.

Claim and lease: a sender claims a message in its own committed transaction before sending
(a compare-and-set on the attempt count, so of two senders one wins), marks it sent after,
and a claim whose sender died is taken over once `CLAIM_LEASE` has passed. A failed send
waits (`next_attempt_at`, backing off) and is claimed again; a permanent error (or
`MAX_ATTEMPTS`) marks it failed with the reason, shown by `ips outbox`, which can retry or
cancel one (audited).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from caseload.audit import record_change, snapshot
from caseload.db import Database, insert_if_new
from caseload.errors import Conflict, NotFound
from caseload.models import OutboxMessage, OutboxStatus, Staff, utcnow

# Long enough for a slow send with Slack's Retry-After waits; short enough that a dead
# sender's claims are taken over by the next run (the clock's sweep is every 30 minutes).
CLAIM_LEASE = timedelta(minutes=15)

MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class Delivery:
    """A claimed message: what to send, where, and which attempt this is."""

    id: int
    key: str
    recipient: str
    message: dict[str, Any]
    attempt: int


def enqueue(session: Session, key: str, recipient: str, message: dict[str, Any]) -> bool:
    """Store a message to send after this transaction commits; a key already stored is left
    as it is (a retried write queues nothing twice). True if it was stored now."""
    return _insert(session, key, recipient, message, claimed_at=None) is not None


def enqueue_claimed(session: Session, key: str, recipient: str,
                    message: dict[str, Any]) -> Delivery | None:
    """`enqueue`, already claimed by the caller, who sends it as soon as this transaction
    commits: a web request's own messages skip a claim transaction of their own. If the
    caller dies before sending, the claim's lease runs out and the clock's sweep sends it.
    None if the key was stored already (a retried write: its first try has it)."""
    stored = _insert(session, key, recipient, message, claimed_at=utcnow())
    return None if stored is None else Delivery(stored, key, recipient, message, 1)


def _insert(session: Session, key: str, recipient: str, message: dict[str, Any],
            claimed_at: datetime | None) -> int | None:
    now = utcnow()
    return insert_if_new(session, OutboxMessage, {
        "key": key, "recipient": recipient, "message": message, "status": OutboxStatus.PENDING,
        "attempts": 0 if claimed_at is None else 1, "next_attempt_at": now, "created_at": now,
        "claimed_at": claimed_at}, unique=["key"])


def file_message(content: bytes, filename: str, title: str) -> dict[str, Any]:
    """A file to upload (a chart, a workbook) as an outbox message: the bytes go with it, so
    whichever sender claims it uploads exactly what was made."""
    return {"file": {"content": base64.b64encode(content).decode("ascii"),
                     "filename": filename, "title": title}}


def _claimable(now: datetime) -> Any:
    return ((OutboxMessage.status == OutboxStatus.PENDING)
            & (OutboxMessage.next_attempt_at <= now)
            & or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - CLAIM_LEASE))


def claim_due(db: Database, keys: list[str] | None = None, limit: int = 100,
              now: datetime | None = None) -> list[Delivery]:
    """Claim up to `limit` messages due now (only those with `keys`, when given), oldest first."""
    now = now or utcnow()
    claimed = []
    with db.transaction() as session:
        query = select(OutboxMessage).where(_claimable(now))
        if keys is not None:
            query = query.where(OutboxMessage.key.in_(keys))
        for row in session.scalars(query.order_by(OutboxMessage.id).limit(limit)).all():
            result: CursorResult[Any] = session.execute(  # type: ignore[assignment]  # an UPDATE's result is a cursor
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.attempts == row.attempts,
                       _claimable(now))
                .values(claimed_at=now, attempts=row.attempts + 1)
                .execution_options(synchronize_session=False))
            if result.rowcount == 1:
                claimed.append(Delivery(row.id, row.key, row.recipient, dict(row.message),
                                        row.attempts + 1))
    return claimed


def mark_sent(db: Database, deliveries: list[Delivery]) -> None:
    """Slack has these: sent, in one statement."""
    db.execute_alone(update(OutboxMessage)
                     .where(OutboxMessage.id.in_([delivery.id for delivery in deliveries]))
                     .values(status=OutboxStatus.SENT, sent_at=utcnow(), claimed_at=None,
                             last_error=None))


def backoff(attempt: int) -> timedelta:
    """30 s after the first failure, doubling, at most an hour."""
    wait: timedelta = FIRST_RETRY * 2 ** (attempt - 1)
    return min(wait, LONGEST_WAIT)


def retry_later(db: Database, delivery: Delivery, error: str,
                wait: timedelta | None = None) -> bool:
    """Release the claim to try again after `wait` (else the backoff); after MAX_ATTEMPTS it
    is given up instead. True if it will be tried again."""
    if delivery.attempt >= MAX_ATTEMPTS:
        give_up(db, delivery, f"gave up after {delivery.attempt} attempts: {error}")
        return False
    db.execute_alone(update(OutboxMessage).where(OutboxMessage.id == delivery.id)
                     .values(claimed_at=None, last_error=error[:2000],
                             next_attempt_at=utcnow() + (wait or backoff(delivery.attempt))))
    return True


def give_up(db: Database, delivery: Delivery, reason: str) -> None:
    db.execute_alone(update(OutboxMessage).where(OutboxMessage.id == delivery.id)
                     .values(status=OutboxStatus.FAILED, claimed_at=None, last_error=reason[:2000]))


def waiting(db: Database) -> list[OutboxMessage]:
    """Messages pending or given up, oldest first: what `ips outbox` lists."""
    with db.reading() as session:
        return list(session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)))
            .order_by(OutboxMessage.created_at, OutboxMessage.id)))


def _change(session: Session, actor: Staff | None, message_id: int, action: str,
            **values: Any) -> OutboxMessage:
    row = session.get(OutboxMessage, message_id, with_for_update=True)
    if row is None:
        raise NotFound(f"There is no outbox message {message_id}.")
    if row.status not in (OutboxStatus.PENDING, OutboxStatus.FAILED):
        raise Conflict(f"Outbox message {message_id} is {row.status.value}; "
                       f"only a pending or failed one can be {action}.")
    if row.claimed_at is not None and row.claimed_at >= utcnow() - CLAIM_LEASE:
        raise Conflict(f"Outbox message {message_id} is being sent now; try again in "
                       f"{int(CLAIM_LEASE.total_seconds() // 60)} minutes.")
    before = snapshot(row)
    for name, value in values.items():
        setattr(row, name, value)
    record_change(session, actor=actor, action=f"outbox_{action}", record=row, before=before)
    return row


def retry(session: Session, actor: Staff | None, message_id: int) -> OutboxMessage:
    """Send a pending or failed message at the next chance, with a fresh count of attempts."""
    return _change(session, actor, message_id, "retried", status=OutboxStatus.PENDING,
                   attempts=0, claimed_at=None, next_attempt_at=utcnow())


def cancel(session: Session, actor: Staff | None, message_id: int) -> OutboxMessage:
    """Never send this message."""
    return _change(session, actor, message_id, "cancelled", status=OutboxStatus.CANCELLED,
                   claimed_at=None)
