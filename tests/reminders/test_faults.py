"""The clock under faults, for every kind of message it sends (a specialist's DM, the escalation
digest, a review step, the just-ask prompt, the monthly report, its chart and workbook) and a
confirmation the bot queued: Slack failing for minutes, the database away while a message is
marked sent, two clocks at once. Nothing is lost and nothing is sent twice.
(A clock killed between claim and send: tests/reminders/test_jobs.py.)"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from caseload import outbox
from caseload.db import Database
from caseload.fidelity import ScheduleReview, schedule_review
from caseload.models import OutboxMessage, OutboxStatus
from caseload.validation import parse
from messaging.slack_client import make_slack_client
from reminders.clock import run_due
from reminders.sender import Outbox
from reminders.settings import ClockSettings
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack
from tests.reminders.test_jobs import MONDAY, _at, world  # noqa: F401  (the fixture)

FIRST = date(2026, 12, 1)  # the monthly report's day: every kind of message is due
LONDON = ZoneInfo("Europe/London")
KINDS = {"daily_nudges", "escalation", "fidelity_prep", "just_ask", "monthly_report",
         "monthly_chart", "monthly_xlsx", "view"}


@pytest.fixture
def everything_due(db: Database, world: dict) -> dict:  # noqa: F811
    with _at(MONDAY), db.transaction() as s:
        schedule_review(s, s.merge(world["leader"]), parse(ScheduleReview, {
            "team_id": world["team"].id, "scheduled_for": FIRST + timedelta(weeks=2),
            "reviewer_id": world["trainer"].id}))
        outbox.enqueue(s, "view:V1:confirm", world["cc"].slack_user_id, {"text": "Saved."})
    return world


def _run(box: Outbox, moment: datetime) -> None:
    with _at(moment.date(), moment.hour, moment.minute):
        run_due(box, ClockSettings(), moment)


def _sent_once(db: Database, fake: FakeSlack) -> None:
    with db.reading() as s:
        rows = s.scalars(select(OutboxMessage)).all()
    assert {r.key.split(":")[0] for r in rows} >= KINDS
    assert {r.status for r in rows} == {OutboxStatus.SENT}
    posted = Counter((c.args["channel"], c.args["text"]) for c in fake.successful("chat.postMessage"))
    uploads = Counter(c.args["files"][0]["title"] if isinstance(c.args["files"], list)
                      else c.args["files"] for c in fake.successful("files.completeUploadExternal"))
    assert set(posted.values()) | set(uploads.values()) == {1}
    assert sum(posted.values()) + sum(uploads.values()) == len(rows)


def _clock(db: Database, fake: FakeSlack) -> Outbox:
    return Outbox(db, make_slack_client(BOT_TOKEN, fake.url), min_interval=0)


def test_slack_answering_500_and_429_for_minutes_loses_nothing(db, everything_due,
                                                                fake_slack) -> None:
    box = _clock(db, fake_slack)
    start = datetime.combine(FIRST, time(10, 30), LONDON)
    # Every call fails for the first runs: far more than slack_sdk's own retries.
    fake_slack.fail_next(10, status=500)
    fake_slack.fail_next(10, status=429, retry_after=0)
    _run(box, start)
    with db.reading() as s:
        assert s.scalars(select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.PENDING)).all(), "some should wait to retry"
    for minutes in range(1, 60):  # the clock's runs, a minute apart, for an hour
        _run(box, start + timedelta(minutes=minutes))
    _sent_once(db, fake_slack)


def test_the_database_away_while_marking_sends_nothing_twice(db, everything_due, fake_slack,
                                                             monkeypatch) -> None:
    box = _clock(db, fake_slack)
    real = outbox.mark_sent
    away = {"calls": 0}

    def mark_sent(database: Database, deliveries: list[outbox.Delivery]) -> None:
        away["calls"] += 1
        if away["calls"] <= 3:  # the first message is sent; then the database goes away
            raise OperationalError("UPDATE outbox", {}, Exception("server closed the connection"))
        real(database, deliveries)

    monkeypatch.setattr(outbox, "mark_sent", mark_sent)
    start = datetime.combine(FIRST, time(10, 30), LONDON)
    _run(box, start)
    # Back, and long after any lease has run out.
    for minutes in (1, 20, 40, 60):
        _run(box, start + timedelta(minutes=minutes))
    assert away["calls"] > 3
    _sent_once(db, fake_slack)


def test_two_clocks_at_the_same_moment_send_each_message_once(db, everything_due,
                                                              fake_slack) -> None:
    clocks = [_clock(db, fake_slack), _clock(db, fake_slack)]
    start = datetime.combine(FIRST, time(10, 30), LONDON)
    for minutes in (0, 30, 60):
        moment = start + timedelta(minutes=minutes)
        with _at(moment.date(), moment.hour, moment.minute), \
                ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(run_due, clocks, [ClockSettings()] * 2, [moment] * 2))
    _sent_once(db, fake_slack)
