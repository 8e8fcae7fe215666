"""Fixtures for the clock: a fake Slack, an Outbox on the test database, a small world."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from caseload.db import Database
from messaging.slack_client import make_slack_client
from reminders.sender import Outbox
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    server = FakeSlack().start()
    yield server
    server.stop()


@pytest.fixture
def box(db: Database, fake_slack: FakeSlack) -> Outbox:
    # No pacing sleeps in tests: each test talks to few channels and the fake has no limit.
    return Outbox(db, make_slack_client(BOT_TOKEN, fake_slack.url), min_interval=0)
