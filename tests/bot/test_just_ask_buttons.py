"""The weekly "just ask" buttons record answers, which stop Thursday's follow-up."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from caseload import clock
from caseload.db import Database
from caseload.just_ask import week_starting
from caseload.models import JustAskResponse, Role
from tests.bot.driver import eventually, opened_view, press, submit
from tests.factories import make_staff, make_team

WEEK = week_starting(clock.today()).isoformat()


@pytest.fixture
def cc(db: Database):
    with db.transaction() as s:
        return make_staff(s, Role.CARE_COORDINATOR, make_team(s, "Lewes"))


def _answers(db: Database) -> list[tuple[date, int, int, int]]:
    with db.reading() as s:
        return [(r.week_starting, r.asked_count, r.said_yes_count, r.referred_count)
                for r in s.scalars(select(JustAskResponse))]


def _count(value: int | str) -> dict:
    return {"value": {"type": "number_input", "value": str(value)}}


def test_didnt_ask_is_one_tap(db, cc, slack) -> None:
    url, fake = slack
    press(url, cc.slack_user_id, "just_ask_did_not_ask", WEEK)
    [reply] = eventually(fake, "chat.postEphemeral")
    assert "just ask" in reply.args["text"]
    assert _answers(db) == [(date.fromisoformat(WEEK), 0, 0, 0)]


def test_someone_wants_work(db, cc, slack) -> None:
    url, fake = slack
    press(url, cc.slack_user_id, "just_ask_wants_work", WEEK)
    view = opened_view(fake)
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == [
        "asked_count", "said_yes_count", "referred_count"]
    answer = submit(url, cc.slack_user_id, view, {"asked_count": _count(5),
                                                  "said_yes_count": _count(2),
                                                  "referred_count": _count(1)})
    assert answer.text == ""
    assert _answers(db) == [(date.fromisoformat(WEEK), 5, 2, 1)]


def test_more_yeses_than_asked_is_refused_in_place(db, cc, slack) -> None:
    url, fake = slack
    press(url, cc.slack_user_id, "just_ask_wants_work", WEEK)
    answer = submit(url, cc.slack_user_id, opened_view(fake), {
        "asked_count": _count(1), "said_yes_count": _count(3), "referred_count": _count(0)})
    assert answer.json() == {"response_action": "errors", "errors": {
        "asked_count": "said_yes_count cannot be more than asked_count"}}
    assert _answers(db) == []


def test_asked_not_now_asks_only_how_many(db, cc, slack) -> None:
    url, fake = slack
    press(url, cc.slack_user_id, "just_ask_not_now", WEEK)
    view = opened_view(fake)
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == ["asked_count"]
    submit(url, cc.slack_user_id, view, {"asked_count": _count(4)})
    assert _answers(db) == [(date.fromisoformat(WEEK), 4, 0, 0)]


def test_a_yes_not_yet_referred_gets_a_refer_button_that_opens_the_referral(db, cc, slack) -> None:
    url, fake = slack
    press(url, cc.slack_user_id, "just_ask_wants_work", WEEK)
    submit(url, cc.slack_user_id, opened_view(fake), {
        "asked_count": _count(3), "said_yes_count": _count(1), "referred_count": _count(0)})
    [saved] = eventually(fake, "chat.postMessage")
    assert saved.args["text"].startswith("Thanks: saved. 1 person said yes")
    assert saved.args["blocks"][-1]["elements"][0]["action_id"] == "open_referral"
    press(url, cc.slack_user_id, "open_referral", "refer")
    assert eventually(fake, "views.open", 2)[-1].args["view"]["callback_id"] == "refer_modal"


def test_slash_justask_shows_this_weeks_prompt_with_the_buttons(db, cc, slack) -> None:
    from tests.bot.driver import slash

    url, _fake = slack
    body = slash(url, cc.slack_user_id, "justask").json()
    assert body["response_type"] == "ephemeral" and body["text"].startswith("Just ask")
    buttons = [e["action_id"] for e in body["blocks"][-1]["elements"]]
    assert buttons == ["just_ask_wants_work", "just_ask_not_now", "just_ask_did_not_ask"]
    assert body["blocks"][-1]["elements"][0]["value"] == WEEK


def test_the_thank_you_lost_to_slack_is_queued_with_the_answer_and_sent_once(db, cc, slack) -> None:
    import time as wall
    from datetime import UTC, datetime, timedelta

    import time_machine

    from messaging.slack_client import make_slack_client
    from reminders.sender import Outbox
    from tests.fakes.slack_api import BOT_TOKEN

    url, fake = slack
    press(url, cc.slack_user_id, "just_ask_wants_work", WEEK)
    view = opened_view(fake)
    fake.fail_next(2, status=500)  # more than slack_sdk's one retry of a 500
    answer = submit(url, cc.slack_user_id, view, {"asked_count": _count(3),
                                                  "said_yes_count": _count(1),
                                                  "referred_count": _count(1)})
    assert answer.text == ""
    deadline = wall.monotonic() + 5
    while len([c for c in fake.calls if c.method == "chat.postMessage"]) < 2 \
            and wall.monotonic() < deadline:
        wall.sleep(0.02)
    assert _answers(db) == [(date.fromisoformat(WEEK), 3, 1, 1)]
    assert fake.messages_to(cc.slack_user_id) == []
    clock = Outbox(db, make_slack_client(BOT_TOKEN, fake.url), min_interval=0)
    for minutes in (1, 30):  # the clock's sweep, twice
        with time_machine.travel(datetime.now(UTC) + timedelta(minutes=minutes), tick=False):
            clock.send_queued()
    [thanks] = fake.messages_to(cc.slack_user_id)
    assert "saved" in thanks.args["text"]
