"""Sign in with Slack end to end against a fake OpenID provider (a real local HTTP server), the
demo sign-in only where it belongs, sessions and signing out."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from caseload.db import Database
from caseload.models import Role, WebSession
from caseload.staff import set_active, staff_by_slack_id
from tests.factories import make_staff, make_team
from tests.fakes.slack_openid import CLIENT_ID, CLIENT_SECRET, FakeSlackOpenID
from tests.ips.web_helpers import csrf_token, demo_sign_in, web_app

PUBLIC = "https://ips.example.nhs.uk"


@pytest.fixture
def provider() -> Iterator[FakeSlackOpenID]:
    fake = FakeSlackOpenID(redirect_uris={f"{PUBLIC}/signin/slack/callback"}).start()
    yield fake
    fake.stop()


def slack_app(db: Database, provider: FakeSlackOpenID, host: str | None = None, **overrides) -> Flask:
    return web_app(
        db,
        host=host,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        ips_public_url=PUBLIC,
        slack_openid_authorize_url=f"{provider.url}/openid/connect/authorize",
        slack_api_url=f"{provider.url}/api/",
        **overrides,
    )


def through_slack(client: FlaskClient, provider: FakeSlackOpenID, next_path: str = "/"):
    """What a browser does: the page, Slack's authorize page, back to the callback."""
    import requests

    to_signin = client.get(next_path, base_url=PUBLIC)
    assert to_signin.status_code == 302
    page = client.get(to_signin.headers["Location"], base_url=PUBLIC).get_data(as_text=True)
    slack_link = html.unescape(re.search(r'id="slack-sign-in" href="([^"]+)"', page).group(1))
    to_slack = client.get(slack_link, base_url=PUBLIC)
    assert to_slack.status_code == 302
    at_slack = requests.get(to_slack.headers["Location"], allow_redirects=False, timeout=5)
    assert at_slack.status_code == 302, at_slack.text
    back = urlparse(at_slack.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == f"{PUBLIC}/signin/slack/callback"
    return client.get(f"{back.path}?{back.query}", base_url=PUBLIC)


@pytest.fixture
def people(db: Database) -> dict[str, str]:
    with db.transaction() as s:
        team = make_team(s, "North", slack_team_id="T0NORTH")
        leader = make_staff(s, Role.TEAM_LEADER, team, name="Lee Leader", workspace="T0NORTH")
        gone = make_staff(s, Role.BENEFITS_ADVISOR, team, workspace="T0NORTH")
        set_active(s, gone, False, actor=None)
        return {"leader": leader.slack_user_id, "gone": gone.slack_user_id}


def test_a_team_leader_signs_in_with_slack_and_lands_where_they_were_going(db, provider, people) -> None:
    provider.signs_in = (people["leader"], "T0NORTH")
    client = slack_app(db, provider).test_client()
    back = through_slack(client, provider, "/calculator/sources/2026-27")
    assert back.status_code == 302 and back.headers["Location"] == "/calculator/sources/2026-27"
    overview = client.get("/", base_url=PUBLIC)
    assert overview.status_code == 200 and "Signed in as Lee Leader" in overview.get_data(as_text=True)
    assert provider.calls == ["authorize", "openid.connect.token"]


def test_someone_not_in_the_staff_table_is_refused_with_a_plain_page(db, provider, people) -> None:
    provider.signs_in = ("U0STRANGER", "T0NORTH")
    client = slack_app(db, provider).test_client()
    refused = through_slack(client, provider)
    assert refused.status_code == 403
    assert "you are not set up in IPS Assist" in refused.get_data(as_text=True)
    assert client.get("/", base_url=PUBLIC).status_code == 302  # still signed out


def test_someone_switched_off_is_refused(db, provider, people) -> None:
    provider.signs_in = (people["gone"], "T0NORTH")
    refused = through_slack(slack_app(db, provider).test_client(), provider)
    assert refused.status_code == 403 and "switched off" in refused.get_data(as_text=True)


def test_the_same_user_id_from_another_workspace_is_someone_else(db, provider, people) -> None:
    provider.signs_in = (people["leader"], "T0ELSEWHERE")
    refused = through_slack(slack_app(db, provider).test_client(), provider)
    assert refused.status_code == 403


def test_a_refusal_at_slack_or_a_forged_callback_signs_nobody_in(db, provider, people) -> None:
    provider.signs_in = (people["leader"], "T0NORTH")
    provider.deny = True
    client = slack_app(db, provider).test_client()
    assert through_slack(client, provider).status_code == 403
    # A callback this browser did not start (no state of its own): refused, Slack never asked.
    forged = (
        slack_app(db, provider).test_client().get("/signin/slack/callback?code=x&state=y", base_url=PUBLIC)
    )
    assert forged.status_code == 403 and provider.calls.count("openid.connect.token") == 0


@pytest.mark.parametrize(
    "claims", [{"aud": "someone-else"}, {"iss": "https://evil.example"}, {"nonce": "replayed"}, {"exp": 1}]
)
def test_an_id_token_not_meant_for_this_sign_in_is_refused(db, provider, people, claims) -> None:
    provider.signs_in = (people["leader"], "T0NORTH")
    provider.token_overrides = claims
    client = slack_app(db, provider).test_client()
    assert through_slack(client, provider).status_code == 403
    assert client.get("/", base_url=PUBLIC).status_code == 302


def test_demo_sign_in_exists_only_on_loopback_without_a_slack_app(db, provider, people) -> None:
    on_loopback = web_app(db, host="127.0.0.1").test_client()
    page = on_loopback.get("/signin").get_data(as_text=True)
    assert "Demo sign-in (this computer only)" in page and "Lee Leader" in page
    for app in (
        web_app(db, host="0.0.0.0"),
        web_app(db, host=None),
        slack_app(db, provider, host="127.0.0.1"),
    ):
        client = app.test_client()
        page = client.get("/signin", base_url=PUBLIC).get_data(as_text=True)
        assert "Demo sign-in" not in page
        token = csrf_token(page) if "csrf_token" in page else ""
        absent = client.post(
            "/signin/demo", data={"slack_user_id": people["leader"], "csrf_token": token}, base_url=PUBLIC
        )
        assert absent.status_code in (404, 405)
        assert "signin.demo_sign_in" not in app.view_functions


def test_demo_sign_in_refuses_the_unknown_and_the_switched_off(db, people) -> None:
    client = web_app(db).test_client()
    assert demo_sign_in(client, "U0NOBODY").status_code == 403
    assert demo_sign_in(client, people["gone"]).status_code == 403
    assert client.get("/").status_code == 302


def test_the_session_cookie_is_secure_http_only_same_site_and_the_id_is_not_stored(
    db, provider, people
) -> None:
    provider.signs_in = (people["leader"], "T0NORTH")
    client = slack_app(db, provider).test_client()
    back = through_slack(client, provider)
    cookie = next(c for c in back.headers.getlist("Set-Cookie") if c.startswith("__Host-ips-session="))
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite", "path"} <= flags and "SameSite=Lax" in cookie
    session_id = cookie.split(";")[0].split("=", 1)[1]
    with db.reading() as s:
        stored = list(s.scalars(select(WebSession.id)))
    assert stored and session_id not in stored


def test_signing_out_ends_the_session_on_the_server(db, people) -> None:
    client = web_app(db).test_client()
    demo_sign_in(client, people["leader"])
    page = client.get("/").get_data(as_text=True)
    cookie = client.get_cookie("ips-session")
    assert cookie is not None
    out = client.post("/signout", data={"csrf_token": csrf_token(page)})
    assert out.status_code == 302 and out.headers["Location"] == "/signed-out"
    assert "You have signed out" in client.get("/signed-out").get_data(as_text=True)
    # The old cookie, kept by someone, no longer signs anyone in.
    replay = web_app(db).test_client()
    replay.set_cookie("ips-session", cookie.value)
    assert replay.get("/").status_code == 302


def test_a_session_ends_after_the_idle_time(db, people) -> None:
    import time_machine

    client = web_app(db, ips_session_idle_minutes=30).test_client()
    with time_machine.travel(0, tick=False) as traveller:
        traveller.move_to("2026-12-01T09:00:00Z")
        demo_sign_in(client, people["leader"])
        assert client.get("/").status_code == 200
        traveller.move_to("2026-12-01T09:20:00Z")
        assert client.get("/").status_code == 200  # renews it: 30 minutes from now
        traveller.move_to("2026-12-01T09:45:00Z")
        assert client.get("/").status_code == 200  # 45 minutes after sign-in, 25 idle
        traveller.move_to("2026-12-01T10:16:00Z")
        assert client.get("/").status_code == 302


def test_a_session_ends_hours_after_sign_in_however_busy(db, people) -> None:
    import time_machine

    client = web_app(db, ips_session_hours=10, ips_session_idle_minutes=90).test_client()
    with time_machine.travel(0, tick=False) as traveller:
        traveller.move_to("2026-12-01T08:00:00Z")
        demo_sign_in(client, people["leader"])
        for hour in range(9, 18):
            traveller.move_to(f"2026-12-01T{hour:02d}:00:00Z")
            assert client.get("/").status_code == 200
        traveller.move_to("2026-12-01T18:01:00Z")
        assert client.get("/").status_code == 302


def test_sign_in_comes_back_only_to_this_site(db, people) -> None:
    client = web_app(db).test_client()
    signed = demo_sign_in(client, people["leader"], "/signin?next=//evil.example/steal")
    assert signed.headers["Location"] == "/"
    signed = client.post(
        "/signin/demo",
        data={
            "slack_user_id": people["leader"],
            "next": "https://evil.example",
            "csrf_token": csrf_token(client.get("/").get_data(as_text=True)),
        },
    )
    assert signed.headers["Location"] == "/"


def test_the_switched_off_lose_access_mid_session(db, people) -> None:
    client = web_app(db).test_client()
    demo_sign_in(client, people["leader"])
    with db.transaction() as s:
        set_active(s, staff_by_slack_id(s, people["leader"]), False, actor=None)
    assert client.get("/").status_code == 302
    assert parse_qs(urlparse(client.get("/calculator/").headers["Location"]).query)["next"] == [
        "/calculator/"
    ]
