"""The web process as the tests drive it: settings given here, not read from the environment,
and signing in through the real routes (the demo sign-in on loopback, or Slack's fake)."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from caseload.db import Database
from ips.signin import WebSettings
from ips.web import create_app
from tests.calculator.web.conftest import settings as calculator_settings


def web_settings(**overrides: Any) -> WebSettings:
    base: dict[str, Any] = {
        "ips_secret_key": "test-secret-key",
        "ips_public_url": None,
        "slack_client_id": None,
        "slack_client_secret": None,
        "redis_url": None,
        "ips_page_rate_limit": "100000 per minute",
        "ips_failed_signin_limit": "1000 per minute",
    }
    return WebSettings(_env_file=None, **{**base, **overrides})  # type: ignore[call-arg]


def web_app(
    db: Database, host: str | None = "127.0.0.1", calculator: dict[str, Any] | None = None, **overrides: Any
) -> Flask:
    """The whole web process; on loopback with no Slack app unless told otherwise."""
    return create_app(
        db,
        listen_host=host,
        web_settings=web_settings(**overrides),
        calculator_settings=calculator_settings(**(calculator or {})),
    )


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def demo_sign_in(client: FlaskClient, slack_user_id: str, signin_path: str = "/signin") -> Any:
    """The demo form as a browser posts it, from the sign-in page at `signin_path`."""
    page = client.get(signin_path).get_data(as_text=True)
    found = re.search(r'name="next" value="([^"]*)"', page)
    next_path = html.unescape(found.group(1)) if found else "/"
    return client.post(
        "/signin/demo",
        data={"slack_user_id": slack_user_id, "csrf_token": csrf_token(page), "next": next_path},
    )


def signed_in(db: Database, slack_user_id: str, **overrides: Any) -> FlaskClient:
    client = web_app(db, **overrides).test_client()
    assert demo_sign_in(client, slack_user_id).status_code == 302
    return client
