"""Driving the bot as Slack would: a real HTTP server, signed requests, Slack's payloads."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import requests
from slack_sdk.signature import SignatureVerifier

from tests.fakes.slack_api import FakeSlack

SECRET = "test-signing-secret"
# What a message about a client might hold: the record must never see any of it.
MESSAGE_TEXT = "Met Jane Smith (NHS 943 476 5919) at Tesco Seaford today, went well"


def interaction(url: str, payload: dict) -> requests.Response:
    body = urlencode({"payload": json.dumps(payload)})
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    return requests.post(url, data=body.encode(), timeout=10, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature})


def press(url: str, user_id: str, action_id: str, client_id: int,
          team_id: str = "T0001") -> requests.Response:
    """A button pressed in workspace `team_id`, carrying `client_id` as its value."""
    return interaction(url, {
        "type": "block_actions", "user": {"id": user_id, "team_id": team_id},
        "team": {"id": team_id, "domain": "nhs-ips"}, "api_app_id": "A0001",
        "token": "legacy", "trigger_id": "123.456.abc",
        "container": {"type": "message", "channel_id": "D0001", "message_ts": "1.2"},
        "channel": {"id": "D0001", "name": "directmessage"},
        "message": {"ts": "1.2", "text": "nudge"},
        "response_url": f"https://hooks.slack.com/actions/{team_id}/1/x",
        "actions": [{"action_id": action_id, "block_id": f"nudge_actions_{client_id}",
                     "value": str(client_id), "type": "button", "action_ts": "1.3",
                     "text": {"type": "plain_text", "text": "button"}}],
    })


def submit(url: str, user_id: str, view: dict, values: dict, view_id: str = "V0001",
           team_id: str = "T0001") -> requests.Response:
    return interaction(url, {
        "type": "view_submission", "team": {"id": team_id, "domain": "nhs-ips"},
        "user": {"id": user_id, "team_id": team_id}, "api_app_id": "A0001",
        "token": "legacy", "trigger_id": "123.456.def",
        "view": {**view, "id": view_id, "hash": "1.abc", "state": {"values": values}},
    })


def eventually(fake: FakeSlack, method: str, count: int = 1) -> list:
    """Bolt acknowledges first and works after, so wait briefly for the call to arrive."""
    deadline = time.monotonic() + 5
    while len(fake.successful(method)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return fake.successful(method)


def opened_view(fake: FakeSlack) -> dict:
    """The modal opened since the last one this test looked at (Bolt opens it after
    acknowledging, so under load the new one can arrive after the reply)."""
    seen = fake.views_looked_at
    opened = eventually(fake, "views.open", count=seen + 1)
    fake.views_looked_at = len(opened)
    return opened[-1].args["view"]




def slash(url: str, user_id: str, text: str, team_id: str = "T0001") -> requests.Response:
    """`/ips <text>` as Slack posts a slash command (form fields), from workspace `team_id`."""
    body = urlencode({
        "token": "legacy", "team_id": team_id, "team_domain": "nhs-ips",
        "channel_id": "C0GENERAL", "channel_name": "general", "user_id": user_id,
        "user_name": "someone", "command": "/ips", "text": text, "api_app_id": "A0001",
        "response_url": f"https://hooks.slack.com/commands/{team_id}/1/abc",
        "trigger_id": "1.2.abc",
    })
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    return requests.post(url, data=body.encode(), timeout=10, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature})


def event(url: str, payload: dict, retry: int | None = None, team_id: str = "T0001",
          event_id: str = "Ev0001", secret: str = SECRET) -> requests.Response:
    """An Events API delivery (JSON) from workspace `team_id`, optionally marked as Slack's
    retry number `retry`; signed with `secret` (another one plays a forger)."""
    body = json.dumps({"token": "legacy", "team_id": team_id, "api_app_id": "A0001",
                       "type": "event_callback", "event_id": event_id, "event_time": 1,
                       "event": payload})
    stamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": SignatureVerifier(secret).generate_signature(
                   timestamp=stamp, body=body)}
    if retry is not None:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return requests.post(url, data=body.encode(), headers=headers, timeout=10)


def message_shortcut(url: str, user_id: str, callback_id: str = "log_employer_contact",
                     text: str = MESSAGE_TEXT) -> requests.Response:
    """A message shortcut as Slack posts it (type message_action)."""
    return interaction(url, {
        "type": "message_action", "token": "legacy", "action_ts": "1700000000.000200",
        "team": {"id": "T0001", "domain": "nhs-ips"},
        "user": {"id": user_id, "username": "someone", "team_id": "T0001", "name": "someone"},
        "channel": {"id": "C0SEAFORD", "name": "seaford-ips"},
        "is_enterprise_install": False, "enterprise": None,
        "callback_id": callback_id, "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "response_url": "https://hooks.slack.com/app/T0001/1/abc",
        "message_ts": "1700000000.000100",
        "message": {"type": "message", "user": "U0SOMEONE", "ts": "1700000000.000100",
                    "text": text, "team": "T0001"},
    })
