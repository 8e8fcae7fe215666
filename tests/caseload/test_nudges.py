"""Claim-then-send: a nudge goes out once, across retries, restarts and racing clocks."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import select

from caseload import nudges
from caseload.db import Database
from caseload.models import NudgeLog, NudgeStatus, utcnow

KEY = ("four_week", "staff:7", "2026-11-23")


def test_a_claimed_nudge_cannot_be_claimed_again(db: Database) -> None:
    first = nudges.claim(db, *KEY, recipient="U123")
    assert first is not None and first.attempt == 1
    assert nudges.claim(db, *KEY) is None
    nudges.mark_sent(db, first)
    assert nudges.claim(db, *KEY) is None
    with db.reading() as s:
        row = s.scalar(select(NudgeLog))
    assert row.status == NudgeStatus.SENT and row.sent_at is not None


def test_a_failed_send_is_claimed_again_by_the_next_run(db: Database) -> None:
    first = nudges.claim(db, *KEY)
    nudges.mark_failed(db, first, "ratelimited")
    assert [n.last_error for n in nudges.failed_nudges(db)] == ["ratelimited"]
    second = nudges.claim(db, *KEY)
    assert second is not None and second.nudge_id == first.nudge_id and second.attempt == 2
    nudges.mark_sent(db, second)
    assert nudges.failed_nudges(db) == []


def test_a_claim_whose_sender_died_is_taken_over_after_the_lease(db: Database) -> None:
    first = nudges.claim(db, *KEY)
    assert first is not None
    assert nudges.claim(db, *KEY, now=utcnow() + timedelta(minutes=5)) is None
    later = nudges.claim(db, *KEY, now=utcnow() + nudges.CLAIM_LEASE + timedelta(minutes=1))
    assert later is not None and later.attempt == 2


def test_attempts_stop_at_the_limit(db: Database) -> None:
    for _ in range(nudges.MAX_ATTEMPTS):
        claimed = nudges.claim(db, *KEY)
        assert claimed is not None
        nudges.mark_failed(db, claimed, "500")
    assert nudges.claim(db, *KEY) is None


def test_racing_clocks_get_one_claim(db: Database) -> None:
    def attempt(_: int) -> bool:
        return nudges.claim(db, *KEY) is not None

    with ThreadPoolExecutor(max_workers=4) as pool:
        wins = list(pool.map(attempt, range(8)))
    assert wins.count(True) == 1


def test_racing_retries_of_a_failed_nudge_get_one_claim(db: Database) -> None:
    first = nudges.claim(db, *KEY)
    nudges.mark_failed(db, first, "500")

    def attempt(_: int) -> bool:
        return nudges.claim(db, *KEY) is not None

    with ThreadPoolExecutor(max_workers=4) as pool:
        wins = list(pool.map(attempt, range(8)))
    assert wins.count(True) == 1


def test_claim_many_skips_taken_keys_and_takes_over_failed_ones(db: Database) -> None:
    keys = [("four_week", f"client:{n}", "2026-11-23") for n in range(4)]
    sent = nudges.claim(db, *keys[0])
    nudges.mark_sent(db, sent)
    failed = nudges.claim(db, *keys[1])
    nudges.mark_failed(db, failed, "500")
    nudges.claim(db, *keys[2])  # in flight elsewhere
    claims = nudges.claim_many(db, keys, recipient="U1")
    assert claims[0] is None and claims[2] is None
    assert claims[1] is not None and claims[1].attempt == 2
    assert claims[3] is not None and claims[3].attempt == 1
    nudges.mark_many(db, [c for c in claims if c is not None])
    assert nudges.all_sent(db, [keys[0], keys[1], keys[3]])
    assert not nudges.all_sent(db, keys)


def test_racing_claim_many_give_each_key_once(db: Database) -> None:
    keys = [("four_week", f"client:{n}", "2026-11-23") for n in range(20)]

    def attempt(_: int) -> list[bool]:
        return [c is not None for c in nudges.claim_many(db, keys)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(attempt, range(4)))
    assert [sum(r[i] for r in results) for i in range(20)] == [1] * 20
