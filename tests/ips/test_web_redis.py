"""With REDIS_URL set, sessions and rate limits live in Redis, so every gunicorn worker sees the
same ones: two app instances here stand for two workers. Each test comes from its own made-up
address and signs in its own person, so parallel runs on one Redis never share a count."""

from __future__ import annotations

import hashlib
import secrets

import pytest
import redis

from calculator.web import create_app as create_calculator_app
from caseload.db import Database
from caseload.models import Role
from tests.calculator.web.conftest import settings
from tests.factories import make_staff, make_team
from tests.ips.web_helpers import csrf_token, web_app

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(autouse=True)
def redis_up() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")


@pytest.fixture
def address() -> dict[str, str]:
    # A documentation-range IPv6 address of this test's own: limits are counted per address.
    return {"REMOTE_ADDR": f"2001:db8::{secrets.randbelow(0xFFFF):x}:{secrets.randbelow(0xFFFF):x}"}


@pytest.fixture
def leader(db: Database) -> str:
    with db.transaction() as s:
        return make_staff(s, Role.TEAM_LEADER, make_team(s, "North")).slack_user_id


def _sign_in(client, who: str, address: dict[str, str]):
    page = client.get("/signin", environ_base=address).get_data(as_text=True)
    return client.post("/signin/demo", environ_base=address,
                       data={"slack_user_id": who, "csrf_token": csrf_token(page), "next": "/"})


def test_a_session_made_by_one_worker_is_honoured_by_another_and_ended_by_either(
    db: Database, leader: str, address: dict[str, str]
) -> None:
    one, two = web_app(db, redis_url=REDIS_URL), web_app(db, redis_url=REDIS_URL)
    browser = one.test_client()
    assert _sign_in(browser, leader, address).status_code == 302
    cookie = browser.get_cookie("ips-session")
    assert cookie is not None
    store = redis.Redis.from_url(REDIS_URL)
    digest = hashlib.sha256(cookie.value.encode()).hexdigest()
    # Only a digest of the id is kept: what Redis holds signs nobody in.
    assert store.exists(f"ips-session:{cookie.value}") == 0
    assert store.exists(f"ips-session:{digest}") == 1

    other = two.test_client()
    other.set_cookie("ips-session", cookie.value)
    page = other.get("/", environ_base=address)
    assert page.status_code == 200 and "North" in page.get_data(as_text=True)

    out = other.post("/signout", environ_base=address,
                     data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert out.status_code == 302
    assert browser.get("/", environ_base=address).status_code == 302  # signed out everywhere


def test_failed_sign_ins_are_counted_across_workers(
    db: Database, leader: str, address: dict[str, str]
) -> None:
    workers = [web_app(db, redis_url=REDIS_URL, ips_failed_signin_limit="3 per minute").test_client()
               for _ in range(2)]
    codes = [_sign_in(workers[n % 2], "U0NOBODY", address).status_code for n in range(4)]
    assert codes == [403, 403, 403, 429]


def test_wrong_api_tokens_are_counted_across_workers(address: dict[str, str]) -> None:
    workers = [
        create_calculator_app(settings(calculator_api_token="s3cret", calculator_wrong_tokens_per_minute=3,
                                       redis_url=REDIS_URL)).test_client()
        for _ in range(2)
    ]
    body = {"household": {"claimant": {"age": 30}}, "job": {"hours_per_week": 16, "hourly_wage": 12.71}}
    codes = [
        workers[n % 2].post("/v1/better-off", json=body, environ_base=address,
                            headers={"Authorization": f"Bearer guess{n}"}).status_code
        for n in range(4)
    ]
    assert codes == [401, 401, 401, 429]
