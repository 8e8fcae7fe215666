"""The manifest names exactly what the app registers, and only the scopes the code uses; the
HTTP-mode manifest `ips slack-manifest --public-url` prints is the same app with request URLs."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from click.testing import CliRunner

from bot.http import create_flask_app
from bot.settings import BotSettings
from caseload.db import Database
from ips.cli import main
from messaging.oauth import SIGN_IN_SCOPES
from tests.bot.driver import SECRET, event
from tests.fakes.slack_api import CLIENT_ID, CLIENT_SECRET, FakeSlack
from tests.ips.web_helpers import web_app

ROOT = Path(__file__).parents[2]
MANIFEST_TEXT = (ROOT / "slack" / "manifest.yml").read_text()
MANIFEST = yaml.safe_load(MANIFEST_TEXT)
LISTENERS = "\n".join(p.read_text() for p in (ROOT / "bot" / "listeners").glob("*.py"))
# The Web API methods the app may call and the bot scope each needs (None: no scope). A
# method missing here fails the test below, so a new call makes someone decide its scope.
METHOD_SCOPES: dict[str, str | None] = {
    "chat_postMessage": "chat:write", "chat_postEphemeral": "chat:write",
    "chat_update": "chat:write", "conversations_open": "im:write",
    "files_upload_v2": "files:write", "users_info": "users:read",
    "views_open": None, "views_push": None, "views_update": None, "views_publish": None,
    "auth_test": None, "oauth_v2_access": None,
}
# A Web API call on a client (the listeners' `client`, the clock's `self.slack`).
API_CALL = re.compile(r"(?:client|slack)\.((?:auth|chat|conversations|files|users|views|oauth|"
                      r"reactions|pins|team|usergroups|bookmarks|apps|admin)_[A-Za-z0-9_]+)\(")


def _source() -> str:
    """Everything that runs in production: the bot, the clock, the record, the command line."""
    return "\n".join(p.read_text() for p in ROOT.glob("*/**/*.py")
                     if not {"tests", ".venv", "bench"} & set(p.parts))


def test_manifest_commands_and_shortcuts_have_listeners() -> None:
    for command in MANIFEST["features"]["slash_commands"]:
        assert f'app.command("{command["command"]}")' in LISTENERS
    for shortcut in MANIFEST["features"]["shortcuts"]:
        assert f'app.shortcut("{shortcut["callback_id"]}")' in LISTENERS


def test_the_bot_scopes_are_exactly_those_the_web_api_calls_need() -> None:
    called = set(API_CALL.findall(_source()))
    assert {"chat_postMessage", "conversations_open", "files_upload_v2", "views_open"} <= called
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add these Web API methods and their scopes to METHOD_SCOPES: {unknown}"
    needed = {METHOD_SCOPES[m] for m in called} - {None}
    # The slash command and the shortcuts need `commands`.
    if MANIFEST["features"].get("slash_commands") or MANIFEST["features"].get("shortcuts"):
        needed.add("commands")
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed


def test_the_event_subscriptions_are_exactly_the_events_listened_for() -> None:
    listened = set(re.findall(r'app\.event\("([a-z_]+)"\)', LISTENERS))
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == listened


def test_every_subscribed_event_is_answered_through_the_http_endpoint(
        db: Database, slack: tuple[str, FakeSlack]) -> None:
    url, _fake = slack
    for number, name in enumerate(MANIFEST["settings"]["event_subscriptions"]["bot_events"]):
        payload = {"type": name, "user": "U0NOBODY", "tab": "messages", "tokens": {}}
        answer = event(url, payload, event_id=f"Ev{number:04d}")
        assert answer.status_code == 200, (name, answer.text)
    # Bolt answers 404 to an event nothing listens for (and Slack retries it): the check
    # above would catch a subscription without a listener.
    assert event(url, {"type": "member_joined_channel"}, event_id="Ev9999").status_code == 404


# -- `ips slack-manifest` ---------------------------------------------------------------

def _cli(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["slack-manifest", *args])


def test_without_a_public_url_the_manifest_is_printed_as_kept() -> None:
    result = _cli()
    assert result.exit_code == 0, result.output
    assert result.output == MANIFEST_TEXT


def test_with_a_public_url_it_is_the_same_app_in_http_mode() -> None:
    result = _cli("--public-url", "https://ips.sussex.nhs.uk")
    assert result.exit_code == 0, result.output
    http = yaml.safe_load(result.output)
    events = "https://ips.sussex.nhs.uk/slack/events"
    assert http["settings"]["socket_mode_enabled"] is False
    assert [c["url"] for c in http["features"]["slash_commands"]] == [events]
    assert http["settings"]["interactivity"] == {"is_enabled": True, "request_url": events}
    assert http["settings"]["event_subscriptions"]["request_url"] == events
    assert http["oauth_config"]["redirect_urls"] == ["https://ips.sussex.nhs.uk/slack/oauth_redirect",
                                                     "https://ips.sussex.nhs.uk/signin/slack/callback"]
    # Everything else (name, command, shortcuts, scopes, events) is the kept manifest's.
    expected = copy.deepcopy(MANIFEST)
    for command in expected["features"]["slash_commands"]:
        command["url"] = events
    expected["settings"] |= {"socket_mode_enabled": False}
    expected["settings"]["interactivity"]["request_url"] = events
    expected["settings"]["event_subscriptions"]["request_url"] = events
    expected["oauth_config"]["redirect_urls"] = ["https://ips.sussex.nhs.uk/slack/oauth_redirect",
                                                 "https://ips.sussex.nhs.uk/signin/slack/callback"]
    assert http == expected
    assert result.output.startswith("# HTTP mode for https://ips.sussex.nhs.uk")


def test_a_path_prefix_and_trailing_slash_are_kept_tidy() -> None:
    http = yaml.safe_load(_cli("--public-url", "https://nhs.example.org/ips/").output)
    assert http["settings"]["interactivity"]["request_url"] == "https://nhs.example.org/ips/slack/events"
    assert http["oauth_config"]["redirect_urls"] == ["https://nhs.example.org/ips/slack/oauth_redirect",
                                                     "https://nhs.example.org/ips/signin/slack/callback"]


@pytest.mark.parametrize("bad", ["http://ips.example.org", "ips.example.org", "https://",
                                 "https://ips.example.org/?x=1", "https://ips.example.org/#top"])
def test_an_address_slack_cannot_call_is_refused_in_one_line(bad: str) -> None:
    result = _cli("--public-url", bad)
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line.startswith("Error: Invalid value for --public-url:")


def test_the_http_manifests_urls_are_the_routes_the_web_process_serves(db: Database) -> None:
    """The URLs Slack will call are served (multi-workspace settings: every route is on)."""
    http = yaml.safe_load(_cli("--public-url", "https://ips.example.org").output)
    settings = BotSettings(slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET,
                           slack_signing_secret=SECRET, slack_bot_token=None)
    routes = {rule.rule: rule.methods for rule in create_flask_app(db, settings).url_map.iter_rules()}
    called = [http["settings"]["interactivity"]["request_url"],
              http["settings"]["event_subscriptions"]["request_url"],
              *[c["url"] for c in http["features"]["slash_commands"]]]
    for url in called:
        assert "POST" in routes[urlsplit(url).path]
    install, sign_in = http["oauth_config"]["redirect_urls"]
    assert "GET" in routes[urlsplit(install).path]
    # Sign in with Slack returns to the web process's pages, which serve the callback.
    web = web_app(db, host="0.0.0.0", slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET,
                  ips_public_url="https://ips.example.org")
    assert "GET" in {rule.rule: rule.methods for rule in web.url_map.iter_rules()}[urlsplit(sign_in).path]


def test_the_manifest_asks_for_the_user_scopes_sign_in_uses() -> None:
    assert MANIFEST["oauth_config"]["scopes"]["user"] == SIGN_IN_SCOPES
