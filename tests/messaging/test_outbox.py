"""The outbox under faults: Slack failing for a while, a sender killed between claim and send,
the database away while marking. Nothing lost, nothing sent twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from caseload import outbox
from caseload.db import Database
from caseload.errors import Conflict
from caseload.models import AuditLog, OutboxMessage, OutboxStatus
from messaging.outbox import Sender, Unmarked
from messaging.slack_client import make_slack_client
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack


@pytest.fixture
def start() -> datetime:
    """A minute after the test's messages are queued (at the real time now)."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    server = FakeSlack().start()
    yield server
    server.stop()


def _at(moment: datetime):  # type: ignore[no-untyped-def]
    return time_machine.travel(moment, tick=False)


def _sender(db: Database, fake: FakeSlack) -> Sender:
    client = make_slack_client(BOT_TOKEN, fake.url)
    return Sender(db, lambda _recipient: client, min_interval=0)


def _queue(db: Database, count: int, recipient: str = "U0TOM") -> list[str]:
    keys = [f"test:{n}" for n in range(count)]
    with db.transaction() as s:
        for key in keys:
            outbox.enqueue(s, key, recipient, {"text": f"message {key}"})
    return keys


def _texts(fake: FakeSlack) -> list[str]:
    return sorted(c.args["text"] for c in fake.successful("chat.postMessage"))


def _statuses(db: Database) -> list[OutboxStatus]:
    with db.reading() as s:
        return list(s.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


def test_a_key_is_queued_once_and_a_rolled_back_write_queues_nothing(db, fake, start) -> None:
    _queue(db, 1)
    _queue(db, 1)
    with pytest.raises(RuntimeError), db.transaction() as s:
        outbox.enqueue(s, "test:rolled-back", "U0TOM", {"text": "never"})
        raise RuntimeError("the write failed")
    with _at(start):
        assert _sender(db, fake).drain().sent == 1
    assert _texts(fake) == ["message test:0"]


def test_slack_failing_for_a_minute_then_everything_goes_once(db, fake, start) -> None:
    _queue(db, 3)
    sender = _sender(db, fake)
    # 500s and 429s for longer than slack_sdk's own retries: every first try fails.
    fake.fail_next(6, status=500)
    fake.fail_next(6, status=429, retry_after=0)
    with _at(start):
        first = sender.drain()
    assert (first.sent, first.failed) == (0, 0) and first.retrying >= 1
    moment = start
    for _ in range(12):  # the sweep every 30 seconds, for six minutes
        moment += timedelta(seconds=30)
        with _at(moment):
            sender.drain()
    assert _texts(fake) == ["message test:0", "message test:1", "message test:2"]
    assert _statuses(db) == [OutboxStatus.SENT] * 3


def test_a_sender_killed_between_claim_and_send_is_taken_over_after_the_lease(db, fake, start) -> None:
    _queue(db, 2)
    with _at(start):
        # The first sender claims both and dies before sending.
        assert len(outbox.claim_due(db)) == 2
    with _at(start + timedelta(minutes=5)):
        assert _sender(db, fake).drain().sent == 0  # its lease still runs
    with _at(start + outbox.CLAIM_LEASE + timedelta(seconds=1)):
        assert _sender(db, fake).drain().sent == 2
        assert _sender(db, fake).drain().sent == 0
    assert _texts(fake) == ["message test:0", "message test:1"]


def test_the_database_away_while_marking_sends_nothing_twice(db, fake, monkeypatch, start) -> None:
    _queue(db, 2)
    sender = _sender(db, fake)
    real = outbox.mark_sent
    away = {"calls": 0}

    def mark_sent(database: Database, deliveries: list[outbox.Delivery]) -> None:
        away["calls"] += 1
        if away["calls"] <= 2:
            raise OperationalError("UPDATE outbox", {}, Exception("server closed the connection"))
        real(database, deliveries)

    monkeypatch.setattr(outbox, "mark_sent", mark_sent)
    with _at(start):
        sender.drain()  # both claimed and sent; marking them fails
    assert len(_texts(fake)) == 2
    _queue(db, 3)  # a third arrives while the database is still away
    for minutes in (1, 20, 40):  # back, and long after the lease has run out
        with _at(start + timedelta(minutes=minutes)):
            sender.drain()
    assert _texts(fake) == ["message test:0", "message test:1", "message test:2"]
    assert _statuses(db) == [OutboxStatus.SENT] * 3


def test_a_permanent_error_is_given_up_with_its_reason_at_once(db, fake, start) -> None:
    _queue(db, 1)
    fake.refuse_next("chat.postMessage", "channel_not_found")
    with _at(start):
        done = _sender(db, fake).drain()
    assert done.failed == 1
    [row] = outbox.waiting(db)
    assert (row.status, row.last_error, row.attempts) == (
        OutboxStatus.FAILED, "Slack refused it: channel_not_found", 1)
    with _at(start + timedelta(hours=2)):
        assert _sender(db, fake).drain().sent == 0


def test_too_many_failures_give_up_with_the_last_error(db, fake, start) -> None:
    _queue(db, 1)
    moment = start
    for _ in range(outbox.MAX_ATTEMPTS):
        fake.refuse_next("chat.postMessage", "fatal_error")
        with _at(moment):
            _sender(db, fake).drain()
        moment += outbox.LONGEST_WAIT
    [row] = outbox.waiting(db)
    assert row.status == OutboxStatus.FAILED and "fatal_error" in (row.last_error or "")
    assert f"after {outbox.MAX_ATTEMPTS} attempts" in (row.last_error or "")


def test_retry_and_cancel_are_audited_and_refused_for_what_is_done(db, fake, start) -> None:
    _queue(db, 2)
    fake.refuse_next("chat.postMessage", "channel_not_found")
    with _at(start):
        _sender(db, fake).drain(keys=["test:0"])
    failed, pending = outbox.waiting(db)
    with db.transaction() as s:
        outbox.retry(s, None, failed.id)
        outbox.cancel(s, None, pending.id)
    with _at(start + timedelta(seconds=1)):
        assert _sender(db, fake).drain().sent == 1
    assert _statuses(db) == [OutboxStatus.SENT, OutboxStatus.CANCELLED]
    with pytest.raises(Conflict, match="only a pending or failed one"), db.transaction() as s:
        outbox.cancel(s, None, failed.id)
    with db.reading() as s:
        actions = list(s.scalars(select(AuditLog.action).where(AuditLog.entity_type == "outbox")))
    assert actions == ["outbox_retried", "outbox_cancelled"]


def test_a_message_being_sent_cannot_be_retried_or_cancelled_under_its_sender(db, fake, start) -> None:
    _queue(db, 1)
    [delivery] = outbox.claim_due(db)
    with pytest.raises(Conflict, match="being sent now"), db.transaction() as s:
        outbox.cancel(s, None, delivery.id)


def _queue_claimed(db: Database, count: int) -> list[outbox.Delivery]:
    """As a web request queues its own messages: claimed in the write's transaction."""
    with db.transaction() as s:
        queued = [outbox.enqueue_claimed(s, f"request:{n}", "U0TOM", {"text": f"reply {n}"})
                  for n in range(count)]
    return [delivery for delivery in queued if delivery is not None]


def test_a_request_sends_what_it_claimed_once_and_the_sweep_leaves_it_alone(db, fake, start) -> None:
    deliveries = _queue_claimed(db, 2)
    assert [d.attempt for d in deliveries] == [1, 1]
    assert _sender(db, fake).send(deliveries).sent == 2
    assert _statuses(db) == [OutboxStatus.SENT] * 2
    with _at(start + outbox.CLAIM_LEASE + timedelta(minutes=1)):
        assert _sender(db, fake).drain().sent == 0
    assert _texts(fake) == ["reply 0", "reply 1"]


def test_a_retried_request_queues_nothing_and_gets_nothing_to_send(db, fake) -> None:
    assert len(_queue_claimed(db, 1)) == 1
    assert _queue_claimed(db, 1) == []  # Slack delivered the request again


def test_a_request_killed_before_sending_is_sent_by_the_sweep_after_the_lease(db, fake, start) -> None:
    _queue_claimed(db, 2)  # the write commits; the worker dies before it sends
    with _at(start + timedelta(minutes=5)):
        assert _sender(db, fake).drain().sent == 0  # the request's claim still runs
    with _at(start + outbox.CLAIM_LEASE + timedelta(seconds=1)):
        assert _sender(db, fake).drain().sent == 2
        assert _sender(db, fake).drain().sent == 0
    assert _texts(fake) == ["reply 0", "reply 1"]


def test_a_request_whose_send_fails_leaves_it_to_the_sweep_with_a_backoff(db, fake, start) -> None:
    deliveries = _queue_claimed(db, 1)
    fake.fail_next(2, status=500)  # the try and slack_sdk's own retry of a 5xx
    assert _sender(db, fake).send(deliveries).retrying == 1
    with _at(start + timedelta(minutes=2)):  # after the first backoff, well inside the lease
        assert _sender(db, fake).drain().sent == 1
    assert _texts(fake) == ["reply 0"]


def test_a_request_that_cannot_mark_what_it_sent_leaves_it_to_the_next_request(
        db, fake, monkeypatch, start) -> None:
    shared = Unmarked()  # what the web process's request senders share
    client = make_slack_client(BOT_TOKEN, fake.url)

    def request_sender() -> Sender:
        return Sender(db, lambda _recipient: client, min_interval=0, unmarked=shared)

    real = outbox.mark_sent

    def database_away(database: Database, deliveries: list[outbox.Delivery]) -> None:
        raise OperationalError("UPDATE outbox", {}, Exception("server closed the connection"))

    first = _queue_claimed(db, 1)
    monkeypatch.setattr(outbox, "mark_sent", database_away)
    assert request_sender().send(first).sent == 1  # Slack has it; the mark fails
    assert len(shared) == 1
    monkeypatch.setattr(outbox, "mark_sent", real)
    with db.transaction() as s:
        second = [outbox.enqueue_claimed(s, "request:later", "U0TOM", {"text": "later"})]
    assert request_sender().send([d for d in second if d is not None]).sent == 1
    assert len(shared) == 0 and _statuses(db) == [OutboxStatus.SENT] * 2
    with _at(start + outbox.CLAIM_LEASE + timedelta(minutes=1)):
        assert _sender(db, fake).drain().sent == 0  # nothing sent twice
    assert _texts(fake) == ["later", "reply 0"]


def test_two_requests_marking_at_once_never_mark_the_same_messages(db, fake, monkeypatch) -> None:
    """Overlapping marks deadlocked on PostgreSQL: what one request is marking is not the
    next one's to mark."""
    shared, real = Unmarked(), outbox.mark_sent
    marking, release = threading.Event(), threading.Event()
    batches: list[list[int]] = []

    def recorded(database: Database, deliveries: list[outbox.Delivery]) -> None:
        batches.append(sorted(d.id for d in deliveries))
        if len(batches) == 1:  # the first request is still marking when the second comes
            marking.set()
            release.wait(5)
        real(database, deliveries)

    first, second = _queue_claimed(db, 2)
    monkeypatch.setattr(outbox, "mark_sent", recorded)
    shared.add(first)
    earlier = threading.Thread(target=shared.mark, args=(db,))
    earlier.start()
    assert marking.wait(5)
    shared.add(second)
    assert shared.mark(db)
    release.set()
    earlier.join(5)
    assert batches == [[first.id], [second.id]]
    assert len(shared) == 0 and _statuses(db) == [OutboxStatus.SENT] * 2
