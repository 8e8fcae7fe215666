"""Slack failing after the acknowledgement: Slack still gets its 200, the record is stored once,
and the person is told privately where Slack lets us."""

from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import select

from caseload.db import Database
from caseload.models import Client, ClientStatus, Role
from tests.bot.driver import event, eventually, opened_view, press, slash, submit
from tests.bot.test_referrals import _values
from tests.factories import make_staff, make_team

TRIES = 7  # the race lost the acknowledgement 6 times in 7


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Worthing")
        return {"team": team, "leader": make_staff(s, Role.TEAM_LEADER, team, name="Priya"),
                "cc": make_staff(s, Role.CARE_COORDINATOR, team, name="Dan"),
                "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Tom")}


def _clients(db: Database) -> list[Client]:
    with db.reading() as s:
        return list(s.scalars(select(Client)))


def test_an_expired_trigger_still_acknowledges_and_says_the_form_did_not_open(
        db, w, slack, caplog) -> None:
    url, fake = slack
    caplog.set_level(logging.WARNING, logger="bot.guard")
    for attempt in range(1, TRIES + 1):
        fake.refuse_next("views.open", "expired_trigger_id")
        answer = slash(url, w["cc"].slack_user_id, "refer")
        assert answer.status_code == 200
        told = eventually(fake, "chat.postEphemeral", attempt)
        assert len(told) == attempt
    assert {c.args["text"] for c in told} == {
        "Slack took too long to open the form, so it did not open. Please try again."}
    assert fake.successful("views.open") == []
    assert "expired_trigger_id" in caplog.text and w["cc"].slack_user_id in caplog.text


def test_a_referral_whose_confirmation_cannot_be_posted_is_acknowledged_and_stored_once(
        db, w, slack) -> None:
    url, fake = slack
    cc = w["cc"].slack_user_id
    for attempt in range(TRIES):
        slash(url, cc, "refer")
        view = opened_view(fake)
        fake.refuse_next("chat.postMessage", "channel_not_found")
        answer = submit(url, cc, view, _values(f"WT-{attempt:03d}", w), view_id=f"V{attempt}")
        assert (answer.status_code, answer.text) == (200, "")
        # Slack retries what it thinks failed: the retry saves nothing more.
        assert submit(url, cc, view, _values(f"WT-{attempt:03d}", w),
                      view_id=f"V{attempt}").status_code == 200
    assert sorted(c.reference for c in _clients(db)) == [f"WT-{n:03d}" for n in range(TRIES)]


def test_a_button_whose_reply_fails_is_still_acknowledged(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["cc"].slack_user_id, "refer")
    submit(url, w["cc"].slack_user_id, opened_view(fake), _values("WT-77", w))
    [client] = _clients(db)
    eventually(fake, "chat.postMessage", 2)
    fake.refuse_next("chat.postMessage", "channel_not_found", count=2)
    answer = press(url, w["leader"].slack_user_id, "accept_referral", client.id)
    assert answer.status_code == 200
    # The button is acknowledged before the work: wait for it.
    deadline = time.monotonic() + 5
    while _clients(db)[0].status != ClientStatus.ACCEPTED and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _clients(db)[0].status == ClientStatus.ACCEPTED


def test_home_that_cannot_be_published_is_still_acknowledged(db, w, slack) -> None:
    url, fake = slack
    for attempt in range(TRIES):
        fake.refuse_next("views.publish", "not_enabled")
        answer = event(url, {"type": "app_home_opened", "user": w["es"].slack_user_id,
                             "tab": "home"}, event_id=f"Ev{attempt}")
        assert answer.status_code == 200


def test_a_referral_stored_while_slack_fails_is_told_by_the_clocks_sweep_once(db, w, slack) -> None:
    from datetime import UTC, datetime, timedelta

    import time_machine

    from messaging.slack_client import make_slack_client
    from reminders.sender import Outbox
    from tests.fakes.slack_api import BOT_TOKEN

    url, fake = slack
    cc, leader = w["cc"].slack_user_id, w["leader"].slack_user_id
    slash(url, cc, "refer")
    view = opened_view(fake)
    # More 500s than slack_sdk retries: the referrer's confirmation and the leader's note fail.
    fake.fail_next(4, status=500)
    assert submit(url, cc, view, _values("WT-500", w)).text == ""
    deadline = time.monotonic() + 5
    while len([c for c in fake.calls if c.method == "chat.postMessage"]) < 4 \
            and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [c.reference for c in _clients(db)] == ["WT-500"]
    assert fake.messages_to(leader) == [] and fake.messages_to(cc) == []
    clock = Outbox(db, make_slack_client(BOT_TOKEN, fake.url), min_interval=0)
    for minutes in (1, 2, 30):  # the sweep, twice after the backoff
        with time_machine.travel(datetime.now(UTC) + timedelta(minutes=minutes), tick=False):
            clock.send_queued()
    [note] = fake.messages_to(leader)
    assert "WT-500" in note.args["text"]
    assert [c.args["text"] for c in fake.messages_to(cc)] == [
        "Referred WT-500. You'll hear when it is accepted."]
