"""What the clock has decided to tell someone about each client, so each is told once.

A reminder about a client (the four-week rule, in-work support, a job end's follow-up) is one
row (kind, subject, period), e.g. ("four_week", "client:12", "2026-11-23"), in `nudge_log`.
The row is written in the same transaction as the outbox message that carries it
(caseload/outbox.py): the decision is the write, and the DM listing the clients is the message
that must follow it. The outbox's one sender, with its claim, lease, retries and permanent
errors, then delivers it once, whichever clock claims it and whenever one dies. The unique
key makes a second clock, a restart or a retried job record (and so queue) nothing twice.

Messages that are not about clients (digests, review steps, reports) need no row here: their
outbox key alone (`message_key`) makes them once only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload import outbox
from caseload.db import Database, insert_or_skip
from caseload.models import NudgeLog, OutboxMessage, utcnow

Key = tuple[str, str, str]

# A specialist hears about the same overdue client at most once a week.
NUDGE_EVERY_DAYS = 7


def message_key(key: Key) -> str:
    """The outbox key of the clock's message for (kind, subject, period)."""
    return ":".join(key)


def four_week_key(client_id: int, today: date) -> Key:
    """The key of the four-week nudge about one client sent on `today`."""
    return ("four_week", f"client:{client_id}", today.isoformat())


def daily_dm_key(recipient: str, today: date) -> str:
    """The outbox key of a person's one daily DM about their clients."""
    return message_key(("daily_nudges", recipient, today.isoformat()))


class _Taken(Exception):
    """Another clock queued this DM first: roll back this one's rows."""


def record_and_queue(db: Database, keys: list[Key], recipient: str, dm_key: str,
                     message_for: Callable[[list[int]], dict[str, Any]]) -> list[int]:
    """Record each reminder not yet recorded and queue one message about them to `recipient`,
    all in one transaction. Returns the indexes of `keys` it recorded (none: nothing queued).

    `message_for(indexes)` builds the message about just those. If `dm_key` is queued already
    (another clock's DM today), nothing is recorded: the clients wait for tomorrow's DM.
    """
    if not keys:
        return []
    try:
        with db.transaction() as session:
            now = utcnow()
            statement = (
                insert_or_skip(session, NudgeLog)
                .values([{"kind": k, "subject": s, "period": p, "recipient": recipient,
                          "outbox_key": dm_key, "created_at": now} for k, s, p in keys])
                .on_conflict_do_nothing(index_elements=["kind", "subject", "period"])
                .returning(NudgeLog.kind, NudgeLog.subject, NudgeLog.period))
            recorded = {(r.kind, r.subject, r.period) for r in session.execute(statement)}
            won = [index for index, key in enumerate(keys) if key in recorded]
            if not won:
                return []
            if not outbox.enqueue(session, dm_key, recipient, message_for(won)):
                raise _Taken
            return won
    except _Taken:
        return []


def all_queued(db: Database, keys: list[Key]) -> bool:
    """True when every message is in the outbox already: lets a job skip building files."""
    if not keys:
        return True
    wanted = [message_key(key) for key in keys]
    with db.reading() as session:
        found = set(session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(wanted))))
    return found == set(wanted)


def recently_nudged(session: Session, kind: str, today: date,
                    every_days: int = NUDGE_EVERY_DAYS) -> set[int]:
    """Clients told about (`kind`) within the last `every_days` days: they wait until then.

    Counting from each client's last reminder, not from when they became due, keeps a
    specialist's reminders to one day a week for the same clients. A recorded reminder counts
    whatever its message's fate: the outbox sends it, retries it, or shows why it could not.
    """
    since = (today - timedelta(days=every_days - 1)).isoformat()
    rows = session.scalars(select(NudgeLog.subject).where(
        NudgeLog.kind == kind, NudgeLog.period >= since, NudgeLog.period <= today.isoformat()))
    return {int(subject.removeprefix("client:")) for subject in rows}


def recorded(session: Session, kinds: tuple[str, ...], since: date) -> set[Key]:
    """The reminders of `kinds` recorded for periods (due dates) from `since`: each is told
    once per due date, so the clock leaves these out of today's plan."""
    rows = session.execute(select(NudgeLog.kind, NudgeLog.subject, NudgeLog.period).where(
        NudgeLog.kind.in_(kinds), NudgeLog.period >= since.isoformat()))
    return {(kind, subject, period) for kind, subject, period in rows}


def dm_today(session: Session, recipients: list[str], today: date) -> set[str]:
    """Which of `recipients` (Slack user ids) already have today's DM about their clients:
    one DM a day each. A client who comes off hold (or becomes due) later in the day waits
    for tomorrow's DM rather than making a second one today."""
    keys = {daily_dm_key(recipient, today): recipient for recipient in recipients}
    found: set[str] = set()
    chunk = list(keys)
    for start in range(0, len(chunk), 1000):
        found |= set(session.scalars(select(OutboxMessage.key).where(
            OutboxMessage.key.in_(chunk[start:start + 1000]))))
    return {keys[key] for key in found}
