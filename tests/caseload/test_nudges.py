"""Reminders about clients are recorded with the message that carries them, once each, across
retries, restarts and racing clocks; the outbox then sends the message (tests/messaging)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from caseload import nudges, outbox
from caseload.db import Database
from caseload.models import NudgeLog, OutboxMessage, OutboxStatus

TODAY = date(2026, 11, 23)
KEYS = [nudges.four_week_key(client, TODAY) for client in (1, 2, 3)]


def _message(indexes: list[int]) -> dict[str, Any]:
    return {"text": "about " + ", ".join(KEYS[i][1] for i in indexes)}


def _queue(db: Database, keys: list[nudges.Key], recipient: str = "U1") -> list[int]:
    return nudges.record_and_queue(db, keys, recipient, nudges.daily_dm_key(recipient, TODAY),
                                   lambda won: {"text": "about " + ", ".join(keys[i][1] for i in won)})


def _outbox(db: Database) -> list[tuple[str, str, OutboxStatus]]:
    with db.reading() as s:
        return [(r.key, r.message["text"], r.status)
                for r in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_reminders_and_their_message_are_recorded_together_once(db: Database) -> None:
    assert _queue(db, KEYS) == [0, 1, 2]
    assert _queue(db, KEYS) == []  # a second run, or a second clock, queues nothing
    assert _outbox(db) == [("daily_nudges:U1:2026-11-23", "about client:1, client:2, client:3",
                            OutboxStatus.PENDING)]
    with db.reading() as s:
        rows = s.scalars(select(NudgeLog)).all()
        assert {r.outbox_key for r in rows} == {"daily_nudges:U1:2026-11-23"}
        assert nudges.recently_nudged(s, "four_week", TODAY) == {1, 2, 3}
        assert nudges.dm_today(s, ["U1", "U2"], TODAY) == {"U1"}


def test_a_second_dm_the_same_day_records_nothing_so_the_client_waits_for_tomorrow(
        db: Database) -> None:
    _queue(db, KEYS[:2])
    # Client 3 became due later in the day: today's DM has gone, so nothing is recorded.
    assert _queue(db, KEYS) == []
    with db.reading() as s:
        assert nudges.recently_nudged(s, "four_week", TODAY) == {1, 2}
    assert len(_outbox(db)) == 1


def test_a_failed_write_records_and_queues_nothing(db: Database) -> None:
    def broken(_won: list[int]) -> dict[str, Any]:
        raise RuntimeError("building the message failed")

    with pytest.raises(RuntimeError):
        nudges.record_and_queue(db, KEYS, "U1", nudges.daily_dm_key("U1", TODAY), broken)
    with db.reading() as s:
        assert s.scalars(select(NudgeLog)).all() == []
    assert _outbox(db) == []


def test_a_week_of_reminders_counts_from_each_clients_last(db: Database) -> None:
    monday = date(2026, 11, 16)
    nudges.record_and_queue(db, [nudges.four_week_key(1, monday)], "U1",
                            nudges.daily_dm_key("U1", monday), _message)
    with db.reading() as s:
        assert nudges.recently_nudged(s, "four_week", monday.replace(day=22)) == {1}
        assert nudges.recently_nudged(s, "four_week", TODAY) == set()  # a week on
        assert nudges.recently_nudged(s, "in_work", monday) == set()


def test_racing_clocks_record_each_client_once(db: Database) -> None:
    def attempt(recipient: str) -> list[int]:
        return _queue(db, KEYS, recipient)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(attempt, ["U1"] * 8))
    assert sorted(len(r) for r in results) == [0] * 7 + [3]
    assert len(_outbox(db)) == 1


def test_all_queued_looks_at_the_outbox(db: Database) -> None:
    key = ("monthly_report", "team:1", "2026-10")
    assert not nudges.all_queued(db, [key])
    with db.transaction() as s:
        outbox.enqueue(s, nudges.message_key(key), "C1", {"text": "report"})
    assert nudges.all_queued(db, [key]) and nudges.all_queued(db, [])


def test_the_upgrade_moves_sent_messages_into_the_outbox_and_drops_unsent_claims(tmp_path) -> None:
    """0013: what nudge_log sent stays sent (no review step or report goes twice); a claim
    never sent is dropped, for the clock to decide and queue again."""
    from sqlalchemy import text

    from caseload.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
    upgrade(url, "0012")
    database = Database(url)
    rows = [("four_week", "client:1", "2026-11-23", "U1", "sent"),
            ("four_week", "client:2", "2026-11-23", "U1", "claimed"),
            ("fidelity_prep", "review:1:to:2", "10 weeks to go", "U2", "sent"),
            ("escalation", "team:1:to:2", "2026-11-23", "U2", "failed")]
    with database.engine.begin() as conn:
        for kind, subject, period, recipient, status in rows:
            conn.execute(text(
                "INSERT INTO nudge_log (kind, subject, period, recipient, status, attempts, "
                "claimed_at) VALUES (:k, :s, :p, :r, :st, 1, '2026-11-23 09:00:00')"),
                {"k": kind, "s": subject, "p": period, "r": recipient, "st": status})
    database.dispose()
    upgrade(url)
    database = Database(url)
    with database.reading() as s:
        kept = [(r.kind, r.subject, r.outbox_key) for r in s.scalars(select(NudgeLog))]
        moved = [(r.key, r.recipient, r.status) for r in s.scalars(select(OutboxMessage))]
        assert nudges.recently_nudged(s, "four_week", TODAY) == {1}
    database.dispose()
    assert kept == [("four_week", "client:1", None)]
    assert moved == [("fidelity_prep:review:1:to:2:10 weeks to go", "U2", OutboxStatus.SENT)]
