"""The bot in HTTP mode on a real port, driven with requests signed exactly as Slack signs them."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import requests
from slack_sdk.signature import SignatureVerifier
from werkzeug.serving import make_server

from bot.http import create_flask_app
from bot.settings import BotSettings
from caseload.db import Database
from caseload.models import Role
from tests.factories import make_staff, make_team
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack

SECRET = "test-signing-secret"


@pytest.fixture
def bot_url(db: Database) -> Iterator[str]:
    fake = FakeSlack().start()
    settings = BotSettings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET,
                           slack_api_url=fake.url)
    server = make_server("127.0.0.1", 0, create_flask_app(db, settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/slack/events"
    server.shutdown()
    fake.stop()


def _post(url: str, body: str, *, timestamp: int | None = None, secret: str = SECRET,
          content_type: str = "application/x-www-form-urlencoded") -> requests.Response:
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return requests.post(url, data=body.encode(), timeout=10, headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature})


def _command(user_id: str, text: str = "help") -> str:
    # The form fields Slack sends with a slash command.
    return urlencode({
        "token": "legacy", "team_id": "T0001", "team_domain": "nhs-ips",
        "channel_id": "C0GENERAL", "channel_name": "general", "user_id": user_id,
        "user_name": "someone", "command": "/ips", "text": text, "api_app_id": "A0001",
        "response_url": "https://hooks.slack.com/commands/T0001/1/abc", "trigger_id": "1.2.abc",
    })


def test_help_answers_privately_by_role(db: Database, bot_url: str) -> None:
    with db.transaction() as s:
        team = make_team(s, "Brighton")
        es = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Tom")
        cc = make_staff(s, Role.CARE_COORDINATOR, team, name="Dan")
    answer = _post(bot_url, _command(es.slack_user_id))
    assert answer.status_code == 200
    body = answer.json()
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith("Hello Tom. As an employment specialist")
    assert "nudge buttons" in json.dumps(body["blocks"])
    coordinator = _post(bot_url, _command(cc.slack_user_id)).json()
    assert "/ips justask" in json.dumps(coordinator["blocks"])
    assert "nudge buttons" not in json.dumps(coordinator["blocks"])


def test_unknown_people_are_told_to_ask_their_team_leader(db: Database, bot_url: str) -> None:
    body = _post(bot_url, _command("U0STRANGER")).json()
    assert body["text"] == "You are not set up in IPS Assist yet: ask your team leader to add you."


def test_a_bad_signature_is_refused(db: Database, bot_url: str) -> None:
    assert _post(bot_url, _command("U0ANYONE1"), secret="not-the-secret").status_code == 401


def test_a_stale_timestamp_is_refused(db: Database, bot_url: str) -> None:
    # Slack's replay protection: more than five minutes old.
    old = int(time.time()) - 6 * 60
    assert _post(bot_url, _command("U0ANYONE1"), timestamp=old).status_code == 401


def test_http_mode_needs_the_signing_secret(db: Database) -> None:
    with pytest.raises(RuntimeError, match="SLACK_SIGNING_SECRET"):
        create_flask_app(db, BotSettings(slack_bot_token=BOT_TOKEN))


def test_the_web_process_serves_slack_when_configured(db: Database) -> None:
    from ips.web import create_app

    with db.transaction() as s:
        es = make_staff(s, Role.EMPLOYMENT_SPECIALIST, make_team(s, "Web"), name="Ana")
    fake = FakeSlack().start()
    try:
        settings = BotSettings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET,
                               slack_api_url=fake.url)
        web = create_app(db, bot_settings=settings).test_client()
        body = _command(es.slack_user_id)
        stamp = str(int(time.time()))
        answer = web.post("/slack/events", data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(
                timestamp=stamp, body=body)})
        assert answer.status_code == 200 and answer.json["text"].startswith("Hello Ana")
        # Without Slack settings there is no Slack endpoint at all.
        plain = create_app(db, bot_settings=BotSettings(slack_bot_token=None)).test_client()
        assert plain.post("/slack/events", data=body).status_code == 404
    finally:
        fake.stop()
