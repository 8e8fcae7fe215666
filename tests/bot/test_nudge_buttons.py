"""The four-week nudge's buttons, driven as Slack would: a button press, then the modal."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import requests
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, select
from werkzeug.serving import make_server

from bot.http import create_flask_app
from bot.settings import BotSettings
from caseload import clients, clock
from caseload.db import Database
from caseload.models import Client, ClientSnooze, ClientStatus, EmployerContact, Role
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack

SECRET = "test-signing-secret"


@pytest.fixture
def slack(db: Database) -> Iterator[tuple[str, FakeSlack]]:
    fake = FakeSlack().start()
    settings = BotSettings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET,
                           slack_api_url=fake.url)
    server = make_server("127.0.0.1", 0, create_flask_app(db, settings), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/slack/events", fake
    server.shutdown()
    fake.stop()


@pytest.fixture
def world(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Hove")
        w = {"leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
             "other_es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)}
        c = refer(s, w["cc"], team, "HV-7", received_on=clock.today() - timedelta(days=40))
        clients.accept(s, w["leader"], c, on=clock.today() - timedelta(days=39),
                       specialist_id=w["es"].id)
        w["client"] = c
    return w


def _interaction(url: str, payload: dict) -> requests.Response:
    body = urlencode({"payload": json.dumps(payload)})
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    return requests.post(url, data=body.encode(), timeout=10, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature})


def _press(url: str, user_id: str, action_id: str, client_id: int) -> requests.Response:
    return _interaction(url, {
        "type": "block_actions", "user": {"id": user_id, "team_id": "T0001"},
        "team": {"id": "T0001", "domain": "nhs-ips"}, "api_app_id": "A0001",
        "token": "legacy", "trigger_id": "123.456.abc",
        "container": {"type": "message", "channel_id": "D0001", "message_ts": "1.2"},
        "channel": {"id": "D0001", "name": "directmessage"},
        "message": {"ts": "1.2", "text": "nudge"},
        "response_url": "https://hooks.slack.com/actions/T0001/1/x",
        "actions": [{"action_id": action_id, "block_id": f"nudge_actions_{client_id}",
                     "value": str(client_id), "type": "button", "action_ts": "1.3",
                     "text": {"type": "plain_text", "text": "button"}}],
    })


def _submit(url: str, user_id: str, view: dict, values: dict, view_id: str = "V0001") -> requests.Response:
    return _interaction(url, {
        "type": "view_submission", "team": {"id": "T0001", "domain": "nhs-ips"},
        "user": {"id": user_id, "team_id": "T0001"}, "api_app_id": "A0001",
        "token": "legacy", "trigger_id": "123.456.def",
        "view": {**view, "id": view_id, "hash": "1.abc", "state": {"values": values}},
    })


def _eventually(fake: FakeSlack, method: str, count: int = 1) -> list:
    """Bolt acknowledges first and works after, so wait briefly for the call to arrive."""
    deadline = time.monotonic() + 5
    while len(fake.successful(method)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return fake.successful(method)


def _opened_view(fake: FakeSlack) -> dict:
    return _eventually(fake, "views.open")[-1].args["view"]


def test_snooze_button_opens_a_modal_and_the_submission_snoozes_once(db, world, slack) -> None:
    url, fake = slack
    es = world["es"].slack_user_id
    assert _press(url, es, "nudge_snooze", world["client"].id).status_code == 200
    view = _opened_view(fake)
    assert view["callback_id"] == "nudge_snooze_modal" and "HV-7" in json.dumps(view)
    values = {"reason": {"value": {"type": "plain_text_input", "value": "Interview on Friday"}}}
    for _ in range(4):  # a retry storm of the same submission
        assert _submit(url, es, view, values).status_code == 200
    with db.reading() as s:
        assert s.scalar(select(func.count(ClientSnooze.id))) == 1
    _eventually(fake, "chat.postMessage")
    time.sleep(0.2)  # any duplicate confirmation would have arrived by now
    [confirmation] = fake.messages_to(es)
    assert confirmation.args["text"] == "Nudges about HV-7 are snoozed for 7 days."


def test_an_empty_reason_is_shown_beside_the_field(db, world, slack) -> None:
    url, fake = slack
    es = world["es"].slack_user_id
    _press(url, es, "nudge_hold", world["client"].id)
    view = _opened_view(fake)
    answer = _submit(url, es, view, {"reason": {"value": {"type": "plain_text_input", "value": ""}},
                                     "until": {"value": {"type": "datepicker",
                                                         "selected_date": None}}})
    assert answer.json()["response_action"] == "errors"
    assert "reason" in answer.json()["errors"]
    with db.reading() as s:
        assert s.get(Client, world["client"].id).status == ClientStatus.ACCEPTED


def test_hold_with_an_end_date(db, world, slack) -> None:
    url, fake = slack
    es = world["es"].slack_user_id
    _press(url, es, "nudge_hold", world["client"].id)
    until = (clock.today() + timedelta(days=14)).isoformat()
    answer = _submit(url, es, _opened_view(fake), {
        "reason": {"value": {"type": "plain_text_input", "value": "In hospital"}},
        "until": {"value": {"type": "datepicker", "selected_date": until}}})
    assert answer.status_code == 200 and answer.text == ""
    with db.reading() as s:
        held = s.get(Client, world["client"].id)
        assert held.status == ClientStatus.ON_HOLD and held.hold_until.isoformat() == until


def test_log_contact_from_the_nudge(db, world, slack) -> None:
    url, fake = slack
    es = world["es"].slack_user_id
    _press(url, es, "nudge_log_contact", world["client"].id)
    view = _opened_view(fake)
    values = {"employer": {"value": {"type": "plain_text_input", "value": "Boots Hove"}},
              "contacted_on": {"value": {"type": "datepicker",
                                         "selected_date": clock.today().isoformat()}},
              "face_to_face": {"value": {"type": "radio_buttons",
                                         "selected_option": {"value": "yes"}}}}
    _submit(url, es, view, values)
    with db.reading() as s:
        assert s.scalar(select(func.count(EmployerContact.id))) == 1
        assert s.get(Client, world["client"].id).last_face_to_face_contact_on == clock.today()


def test_a_future_contact_date_is_refused_beside_the_date(db, world, slack) -> None:
    url, fake = slack
    es = world["es"].slack_user_id
    _press(url, es, "nudge_log_contact", world["client"].id)
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    answer = _submit(url, es, _opened_view(fake), {
        "employer": {"value": {"type": "plain_text_input", "value": "Boots"}},
        "contacted_on": {"value": {"type": "datepicker", "selected_date": tomorrow}},
        "face_to_face": {"value": {"type": "radio_buttons", "selected_option": {"value": "no"}}}})
    assert answer.json() == {"response_action": "errors",
                             "errors": {"contacted_on": f"{tomorrow} is in the future; "
                                                        "record things once they happen"}}


def test_someone_elses_client_gets_a_private_refusal_and_no_modal(db, world, slack) -> None:
    url, fake = slack
    other = world["other_es"].slack_user_id
    _press(url, other, "nudge_snooze", world["client"].id)
    [refusal] = _eventually(fake, "chat.postEphemeral")
    assert fake.successful("views.open") == []
    assert refusal.args["user"] == other
    assert "not on it" in refusal.args["text"]
