"""Multi-workspace install: the OAuth flow through the real HTTP server with Slack's Web API
played by the fake (the stores themselves: tests/messaging/test_oauth_stores.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from flask import Flask, request
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, select
from werkzeug.serving import make_server

from bot.http import create_flask_app, http_mode_configured
from bot.settings import BotSettings
from caseload.db import Database
from caseload.models import Role
from messaging.models import SlackBot, SlackInstallation, SlackOAuthState
from messaging.oauth import (
    DatabaseInstallationStore,
    oauth_configured,
)
from tests.bot.driver import SECRET, event, opened_view
from tests.factories import make_staff, make_team
from tests.fakes.slack_api import BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, FakeSlack

COOKIE = "slack-app-oauth-state"


def _count(db: Database, model: type) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


# -- settings ----------------------------------------------------------------------------------

def test_oauth_needs_the_client_id_secret_and_signing_secret() -> None:
    full = BotSettings(slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET,
                       slack_signing_secret=SECRET, slack_bot_token=None)
    assert oauth_configured(full) and http_mode_configured(full)
    for missing in ("slack_client_id", "slack_client_secret", "slack_signing_secret"):
        partial = full.model_copy(update={missing: None})
        assert not oauth_configured(partial)
        assert not http_mode_configured(partial)


def test_one_workspace_mode_refuses_client_credentials_bolt_would_take_over(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.app import create_bolt_app

    monkeypatch.setenv("SLACK_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SLACK_CLIENT_SECRET", CLIENT_SECRET)
    with pytest.raises(RuntimeError, match="SLACK_SIGNING_SECRET"):
        create_bolt_app(db, BotSettings(slack_bot_token=BOT_TOKEN, slack_signing_secret=None,
                                        slack_client_id=None, slack_client_secret=None))


def test_starting_with_several_workspaces_warns_of_teams_with_none(
        db: Database, caplog: pytest.LogCaptureFixture) -> None:
    from bot.app import create_bolt_app

    with db.transaction() as s:
        make_team(s, "Placed", slack_team_id="T0001")
        make_team(s, "Unplaced one")
        make_team(s, "Unplaced two")
    settings = BotSettings(slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET,
                           slack_signing_secret=SECRET, slack_bot_token=None)
    with caplog.at_level("WARNING", logger="bot.app"):
        create_bolt_app(db, settings)
    [warning] = [r.getMessage() for r in caplog.records if r.name == "bot.app"]
    assert warning.startswith("2 team(s) have no Slack workspace")
    assert "Unplaced" not in warning  # counts only
    caplog.clear()
    with caplog.at_level("WARNING", logger="bot.app"):
        create_bolt_app(db, BotSettings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET,
                                        slack_client_id=None, slack_client_secret=None))
    assert [r for r in caplog.records if r.name == "bot.app"] == []  # one workspace: no matter


# -- the flow through the real HTTP server ------------------------------------------------

@dataclass
class Server:
    base: str
    fake: FakeSlack
    fake_db: Database
    # What the bot posts to slash commands' response_url (here, not hooks.slack.com).
    responses: list[dict[str, Any]] = field(default_factory=list)
    hooks: str = ""

    def slash(self, user_id: str, text: str) -> requests.Response:
        """`/ips <text>` from workspace T0001, signed as Slack signs it."""
        body = urlencode({
            "token": "legacy", "team_id": "T0001", "team_domain": "nhs-ips",
            "channel_id": "C0GENERAL", "channel_name": "general", "user_id": user_id,
            "user_name": "someone", "command": "/ips", "text": text, "api_app_id": "A0001",
            "response_url": f"{self.hooks}/commands/T0001/1/abc", "trigger_id": "1.2.abc",
        })
        stamp = str(int(time.time()))
        signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
        return requests.post(f"{self.base}/slack/events", data=body.encode(), timeout=10, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature})

    def install(self) -> requests.Response:
        return requests.get(f"{self.base}/slack/install", allow_redirects=False, timeout=10)

    def redirect(self, code: str, state: str, cookie: str | None) -> requests.Response:
        # Bolt's state cookie is Secure, so requests will not send it over http: set it by hand.
        headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie is not None else {}
        return requests.get(f"{self.base}/slack/oauth_redirect", params={"code": code, "state": state},
                            headers=headers, allow_redirects=False, timeout=10)

    def start_install(self) -> str:
        answer = self.install()
        assert answer.status_code == 302
        return parse_qs(urlparse(answer.headers["Location"]).query)["state"][0]

    def install_into(self, team_id: str, installer: str = "U0INSTALLER") -> str:
        """The whole install, by `installer` into workspace `team_id`; the bot token Slack issued."""
        self.fake.install_team = {"id": team_id, "name": f"Workspace {team_id}"}
        self.fake.installer = installer
        state = self.start_install()
        assert self.redirect(f"code-{state[:8]}", state, cookie=state).status_code == 200
        bot = DatabaseInstallationStore(self.fake_db).find_bot(enterprise_id=None, team_id=team_id)
        assert bot is not None
        return bot.bot_token

    def event(self, payload: dict[str, Any], team_id: str, event_id: str = "Ev0001",
              secret: str = SECRET) -> requests.Response:
        return event(f"{self.base}/slack/events", payload, team_id=team_id, event_id=event_id,
                     secret=secret)


@pytest.fixture
def server(db: Database) -> Iterator[Server]:
    fake = FakeSlack().start()
    # Only tokens the fake issues through oauth.v2.access work: the bot must use the stored one.
    fake.tokens.clear()
    settings = BotSettings(slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET,
                           slack_signing_secret=SECRET, slack_api_url=fake.url, slack_bot_token=None)
    http = make_server("127.0.0.1", 0, create_flask_app(db, settings), threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    running = Server(f"http://127.0.0.1:{http.server_port}", fake, db)
    hooks_app = Flask("response_urls")

    @hooks_app.post("/commands/<path:rest>")
    def response_url(rest: str) -> str:
        running.responses.append(request.get_json())
        return "ok"

    hooks = make_server("127.0.0.1", 0, hooks_app, threaded=True)
    threading.Thread(target=hooks.serve_forever, daemon=True).start()
    running.hooks = f"http://127.0.0.1:{hooks.server_port}"
    yield running
    hooks.shutdown()
    http.shutdown()
    fake.stop()


def test_install_sets_a_state_and_sends_the_browser_to_slack(db: Database, server: Server) -> None:
    answer = server.install()
    assert answer.status_code == 302
    location = urlparse(answer.headers["Location"])
    assert (location.scheme, location.netloc, location.path) == ("https", "slack.com", "/oauth/v2/authorize")
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == ["commands,chat:write,im:write,files:write"]
    [state] = query["state"]
    cookie = answer.headers["Set-Cookie"]
    assert f"{COOKIE}={state}" in cookie and "HttpOnly" in cookie and "Secure" in cookie
    with db.reading() as s:
        [row] = s.scalars(select(SlackOAuthState))
    assert row.state == state
    assert timedelta(minutes=9) < row.expires_at - datetime.now(UTC) <= timedelta(minutes=10)


def test_the_redirect_exchanges_the_code_and_stores_the_install(db: Database, server: Server) -> None:
    state = server.start_install()
    answer = server.redirect("code-from-slack", state, cookie=state)
    assert answer.status_code == 200, answer.text
    [exchange] = server.fake.successful("oauth.v2.access")
    assert (exchange.args["client_id"], exchange.args["client_secret"], exchange.args["code"]) == (
        CLIENT_ID, CLIENT_SECRET, "code-from-slack")
    installation = DatabaseInstallationStore(db).find_installation(enterprise_id=None, team_id="T0001")
    assert installation is not None
    assert installation.bot_token in server.fake.tokens
    assert (installation.team_name, installation.user_id, installation.bot_id, installation.app_id) == (
        "NHS IPS", "U0INSTALLER", "B0001", "A0001")
    assert installation.bot_scopes == ["commands", "chat:write", "im:write", "files:write"]
    assert _count(db, SlackOAuthState) == 0


def test_a_reused_state_is_refused(db: Database, server: Server) -> None:
    state = server.start_install()
    assert server.redirect("code-1", state, cookie=state).status_code == 200
    again = server.redirect("code-2", state, cookie=state)
    assert again.status_code == 401
    assert [c.args["code"] for c in server.fake.successful("oauth.v2.access")] == ["code-1"]


def test_a_forged_state_is_refused(db: Database, server: Server) -> None:
    real = server.start_install()
    # A state we never issued, even with a cookie to match it.
    assert server.redirect("code-1", "forged-state", cookie="forged-state").status_code == 401
    # Our state, but not from the browser that started the install.
    assert server.redirect("code-2", real, cookie=None).status_code == 400
    assert server.redirect("code-3", real, cookie="someone-else").status_code == 400
    assert server.fake.successful("oauth.v2.access") == []
    assert _count(db, SlackInstallation) == 0
    # The refused attempts did not use up the real state.
    assert server.redirect("code-4", real, cookie=real).status_code == 200


def test_an_expired_state_is_refused_by_the_redirect(db: Database, server: Server) -> None:
    state = server.start_install()
    with db.transaction() as s:
        row = s.scalars(select(SlackOAuthState)).one()
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    assert server.redirect("code-1", state, cookie=state).status_code == 401
    assert server.fake.successful("oauth.v2.access") == []


def test_a_slash_command_is_authorised_from_the_stored_install(db: Database, server: Server) -> None:
    with db.transaction() as s:
        team = make_team(s, "Brighton")
        cc = make_staff(s, Role.CARE_COORDINATOR, team, name="Dan")
    # Not installed yet: Bolt tells the person, through the command's response_url.
    before = server.slash(cc.slack_user_id, "help")
    assert (before.status_code, before.text) == (200, "")
    assert "reinstall this app" in server.responses[-1]["text"]

    state = server.start_install()
    assert server.redirect("code-1", state, cookie=state).status_code == 200

    answer = server.slash(cc.slack_user_id, "help")
    assert answer.status_code == 200
    assert answer.json()["text"].startswith("Hello Dan.")
    # A command that calls the Web API does so with the workspace's stored token (the fake
    # accepts no other).
    assert server.slash(cc.slack_user_id, "refer").status_code == 200
    assert opened_view(server.fake)["callback_id"] == "refer_modal"

    # Uninstalled (the store emptied for the workspace): refused again.
    DatabaseInstallationStore(db).delete_all(enterprise_id=None, team_id="T0001")
    assert server.slash(cc.slack_user_id, "help").text == ""
    assert len(server.responses) == 2 and "reinstall this app" in server.responses[-1]["text"]


def test_the_fake_refuses_what_slack_refuses_in_oauth_v2_access() -> None:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    fake = FakeSlack().start()
    try:
        client = WebClient(base_url=fake.url)
        for kwargs, error in [
            ({"client_id": "someone-else", "client_secret": CLIENT_SECRET, "code": "c"}, "invalid_client_id"),
            ({"client_id": CLIENT_ID, "client_secret": "wrong", "code": "c"}, "bad_client_secret"),
            ({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}, "missing_argument"),
        ]:
            with pytest.raises(SlackApiError) as refused:
                client.oauth_v2_access(**kwargs)
            assert refused.value.response["error"] == error
        issued = client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code="c")
        assert issued["team"] == {"id": "T0001", "name": "NHS IPS"}
        assert client.auth_test(token=issued["access_token"])["ok"] is True
        with pytest.raises(SlackApiError) as reused:
            client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code="c")
        assert reused.value.response["error"] == "invalid_code"
    finally:
        fake.stop()


def test_the_web_process_serves_the_install_routes_when_oauth_is_set(db: Database) -> None:
    from ips.web import create_app

    oauth = BotSettings(slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET,
                        slack_signing_secret=SECRET, slack_bot_token=None)
    single = BotSettings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET,
                         slack_client_id=None, slack_client_secret=None)
    routes = {rule.rule for rule in create_app(db, bot_settings=oauth).url_map.iter_rules()}
    assert {"/slack/events", "/slack/install", "/slack/oauth_redirect"} <= routes
    routes = {rule.rule for rule in create_app(db, bot_settings=single).url_map.iter_rules()}
    assert "/slack/events" in routes
    assert not {"/slack/install", "/slack/oauth_redirect"} & routes


# -- uninstalls and revoked tokens, through the HTTP endpoint --------------------------------

def _until(condition: Any, seconds: float = 5) -> None:
    """Bolt acknowledges an event first and runs its listener after: wait for the effect."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the listener did not finish in time"
        time.sleep(0.02)


def _rows(db: Database, model: type, team_id: str) -> list[Any]:
    with db.reading() as s:
        return list(s.scalars(select(model).where(model.team_id == team_id)))


def _tokens_kept(db: Database) -> set[str]:
    """Every token string stored anywhere in the two install tables."""
    with db.reading() as s:
        kept = {row.bot_token for row in s.scalars(select(SlackBot))}
        for row in s.scalars(select(SlackInstallation)):
            kept |= {row.bot_token, row.user_token, row.bot_refresh_token, row.user_refresh_token}
    return kept - {None}


def test_uninstalling_forgets_that_workspace_and_no_other(db: Database, server: Server) -> None:
    with db.transaction() as s:
        cc = make_staff(s, Role.CARE_COORDINATOR, make_team(s, "Brighton"), name="Dan")
    brighton = server.install_into("T0001", installer="U0ONE")
    server.install_into("T0001", installer="U0TWO")  # a second installer: two install rows
    sussex = server.install_into("T0002")
    assert len(_rows(db, SlackInstallation, "T0001")) == 2

    answer = server.event({"type": "app_uninstalled"}, team_id="T0001")
    assert answer.status_code == 200
    _until(lambda: not _rows(db, SlackInstallation, "T0001") and not _rows(db, SlackBot, "T0001"))
    assert brighton not in _tokens_kept(db)
    # The other workspace keeps its install and can still be served.
    assert _tokens_kept(db) == {sussex}
    assert [b.bot_token for b in _rows(db, SlackBot, "T0002")] == [sussex]
    # Bolt skips auth.test for these events (the token is already dead), so Slack is not asked.
    assert [c for c in server.fake.calls if c.method == "auth.test" and not c.ok] == []
    # Someone in the uninstalled workspace is told to reinstall, as before any install.
    assert server.slash(cc.slack_user_id, "help").text == ""
    assert "reinstall this app" in server.responses[-1]["text"]


def test_a_revoked_bot_token_is_forgotten_everywhere_it_was_kept(db: Database, server: Server) -> None:
    with db.transaction() as s:
        cc = make_staff(s, Role.CARE_COORDINATOR, make_team(s, "Brighton"), name="Dan")
    revoked = server.install_into("T0001")
    sussex = server.install_into("T0002")
    assert server.slash(cc.slack_user_id, "help").json()["text"].startswith("Hello Dan.")

    answer = server.event({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}},
                          team_id="T0001", event_id="Ev0002")
    assert answer.status_code == 200
    _until(lambda: revoked not in _tokens_kept(db))
    # Not only slack_bots: the install row's copy of the token goes too (a bot-only install
    # has nothing else, so the row goes), else Bolt would keep authorising with a dead token.
    assert _rows(db, SlackBot, "T0001") == [] and _rows(db, SlackInstallation, "T0001") == []
    assert _tokens_kept(db) == {sussex}
    assert server.slash(cc.slack_user_id, "help").text == ""
    assert "reinstall this app" in server.responses[-1]["text"]
    # A reinstall brings the workspace back.
    server.install_into("T0001")
    assert server.slash(cc.slack_user_id, "help").json()["text"].startswith("Hello Dan.")


def test_a_revoked_user_token_removes_only_that_persons_install(db: Database, server: Server) -> None:
    with db.transaction() as s:
        cc = make_staff(s, Role.CARE_COORDINATOR, make_team(s, "Brighton"), name="Dan")
    server.install_into("T0001", installer="U0ONE")
    token = server.install_into("T0001", installer="U0TWO")

    answer = server.event({"type": "tokens_revoked", "tokens": {"oauth": ["U0ONE"]}},
                          team_id="T0001", event_id="Ev0003")
    assert answer.status_code == 200
    _until(lambda: [r.user_id for r in _rows(db, SlackInstallation, "T0001")] == ["U0TWO"])
    # The bot's token was not revoked: the workspace is still served with it.
    assert [b.bot_token for b in _rows(db, SlackBot, "T0001")] == [token]
    assert server.slash(cc.slack_user_id, "help").json()["text"].startswith("Hello Dan.")


def test_a_forged_uninstall_is_refused_and_deletes_nothing(db: Database, server: Server) -> None:
    token = server.install_into("T0001")
    forged = server.event({"type": "app_uninstalled"}, team_id="T0001", secret="not-our-secret")
    assert forged.status_code == 401
    time.sleep(0.2)  # had it been accepted, the listener would have run by now
    assert _tokens_kept(db) == {token}


def test_one_workspace_mode_answers_uninstall_events_and_says_what_to_do(
        db: Database, slack: tuple[str, FakeSlack], caplog: pytest.LogCaptureFixture) -> None:
    url, _fake = slack
    with caplog.at_level("WARNING", logger="bot.events"):
        # 200, not Bolt's 404 for an unhandled event, so Slack does not retry it.
        assert event(url, {"type": "app_uninstalled"}).status_code == 200
        assert event(url, {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}},
                     event_id="Ev0002").status_code == 200
        _until(lambda: len([r for r in caplog.records if r.name == "bot.events"]) == 2)
    assert all("SLACK_BOT_TOKEN no longer works" in r.getMessage() and "T0001" in r.getMessage()
               for r in caplog.records if r.name == "bot.events")
