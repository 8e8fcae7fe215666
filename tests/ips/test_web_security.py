"""Each finding of the review, as an attack: headers, caching, CSRF from another origin,
throttling failed sign-ins and wrong API tokens, the parameters' ETag, the OpenAPI scheme."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from calculator.web import create_app as create_calculator_app
from caseload.db import Database
from caseload.models import Role
from tests.calculator.web.conftest import settings
from tests.calculator.web.test_pages import FORM
from tests.factories import make_staff, make_team
from tests.ips.web_helpers import csrf_token, demo_sign_in, signed_in, web_app


@pytest.fixture
def advisor(db: Database) -> str:
    with db.transaction() as s:
        return make_staff(s, Role.BENEFITS_ADVISOR, make_team(s, "North")).slack_user_id


def _result(client: FlaskClient, base_url: str = "http://localhost") -> tuple[str, object]:
    page = client.get("/calculator/", base_url=base_url).get_data(as_text=True)
    response = client.post(
        "/calculator/result", data={**FORM, "csrf_token": csrf_token(page)}, base_url=base_url
    )
    return page, response


def test_every_page_needs_sign_in(db: Database) -> None:
    client = web_app(db, host="0.0.0.0").test_client()
    for path in (
        "/",
        "/calculator/",
        "/calculator/sources/2026-27",
        "/calculator/docs",
        "/calculator/link/x",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/signin?next="), path
    assert client.post("/calculator/result", data=FORM).status_code in (302, 400)
    assert client.get("/healthz").status_code == 200


def test_security_headers_on_pages_and_api(db: Database, advisor: str) -> None:
    client = signed_in(db, advisor, host="127.0.0.1")
    for path in ("/", "/calculator/", "/calculator/v1/parameters/2026-27", "/signin"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        # Loopback: no HSTS, which would pin a laptop's browser to an HTTPS that is not there.
        assert "Strict-Transport-Security" not in headers


def test_hsts_when_served_over_https_off_loopback(db: Database) -> None:
    client = web_app(db, host="0.0.0.0").test_client()
    over_https = client.get("/signin", base_url="https://ips.example.nhs.uk")
    max_age = over_https.headers["Strict-Transport-Security"].split(";")[0]
    assert max_age.startswith("max-age=") and int(max_age.removeprefix("max-age=")) >= 365 * 24 * 3600
    behind_proxy = client.get("/signin", headers={"X-Forwarded-Proto": "https"})
    assert "max-age" in behind_proxy.headers["Strict-Transport-Security"]


def test_no_inline_style_or_script_on_any_page(db: Database, advisor: str) -> None:
    client = signed_in(db, advisor)
    _, result = _result(client)
    pages = [
        client.get("/").get_data(as_text=True),
        client.get("/signin").get_data(as_text=True),
        result.get_data(as_text=True),
    ]
    for page in pages:
        assert "<style" not in page and " style=" not in page
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # scripts are files, never inline


def test_personal_pages_are_never_cached(db: Database, advisor: str) -> None:
    client = signed_in(db, advisor)
    page, result = _result(client)
    hidden = csrf_token(page)
    import html
    import re

    request_json = html.unescape(
        re.search(r'name="request" value="([^"]*)"', result.get_data(as_text=True)).group(1)
    )
    summary = client.post("/calculator/summary", data={"request": request_json, "csrf_token": hidden})
    for response in (result, summary, client.get("/"), client.get("/signin"), client.get("/calculator/")):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
    api = client.post(
        "/calculator/v1/better-off",
        json={"household": {"claimant": {"age": 30}}, "job": {"hours_per_week": 16, "hourly_wage": 12.71}},
    )
    assert api.headers["Cache-Control"] == "no-store"


def test_a_post_from_another_origin_without_the_token_is_refused(db: Database, advisor: str) -> None:
    client = signed_in(db, advisor)
    _, result = _result(client)
    import html
    import re

    body = result.get_data(as_text=True)
    request_json = html.unescape(re.search(r'name="request" value="([^"]*)"', body).group(1))
    forged = client.post(
        "/calculator/save",
        data={"request": request_json, "client_reference": "R-1"},
        headers={"Origin": "https://evil.example"},
    )
    assert forged.status_code == 400 and "CSRF" in forged.get_data(as_text=True)
    wrong = client.post(
        "/calculator/save",
        headers={"Origin": "https://evil.example"},
        data={"request": request_json, "client_reference": "R-1", "csrf_token": "forged"},
    )
    assert wrong.status_code == 400
    assert client.post("/signout").status_code == 400  # even signing out needs the token
    assert client.get("/").status_code == 200


def test_failed_sign_ins_are_throttled(db: Database, advisor: str) -> None:
    client = web_app(db, ips_failed_signin_limit="3 per minute").test_client()
    codes = [demo_sign_in(client, "U0NOBODY").status_code for _ in range(4)]
    assert codes == [403, 403, 403, 429]
    # Even the right person, from that address, waits now.
    assert demo_sign_in(client, advisor).status_code == 429


def test_good_sign_ins_do_not_count_as_failures(db: Database, advisor: str) -> None:
    client = web_app(db, ips_failed_signin_limit="2 per minute").test_client()
    assert [demo_sign_in(client, advisor).status_code for _ in range(4)] == [302] * 4


def test_pages_are_rate_limited_like_the_api(db: Database, advisor: str) -> None:
    client = signed_in(db, advisor, calculator={"calculator_rate_limit_per_minute": 3})
    codes = [client.get("/calculator/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    overview = signed_in(db, advisor, ips_page_rate_limit="4 per minute")
    # Signing in (the page and the form) counted too: one count for every page of the address.
    assert [overview.get("/").status_code for _ in range(3)] == [200, 200, 429]


def test_wrong_api_tokens_are_throttled() -> None:
    client = create_calculator_app(
        settings(calculator_api_token="s3cret", calculator_wrong_tokens_per_minute=3)
    ).test_client()
    body = {"household": {"claimant": {"age": 30}}, "job": {"hours_per_week": 16, "hourly_wage": 12.71}}
    codes = [
        client.post("/v1/better-off", json=body, headers={"Authorization": f"Bearer guess{n}"}).status_code
        for n in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    limited = client.post("/v1/better-off", json=body, headers={"Authorization": "Bearer guess9"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json == {"errors": [{"field": "request", "message": "too many requests; slow down"}]}


def test_right_tokens_do_not_count_as_wrong_ones() -> None:
    client = create_calculator_app(
        settings(calculator_api_token="s3cret", calculator_wrong_tokens_per_minute=2)
    ).test_client()
    codes = [
        client.get("/v1/parameters/2026-27", headers={"Authorization": "Bearer s3cret"}).status_code
        for _ in range(5)
    ]
    assert codes == [200] * 5


def test_parameters_carry_an_etag_and_may_be_cached() -> None:
    client = create_calculator_app(settings()).test_client()
    first = client.get("/v1/parameters/2026-27")
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, max-age=3600"
    again = client.get("/v1/parameters/2026-27", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/v1/parameters/2026-27", headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_openapi_document_declares_the_bearer_token() -> None:
    document = create_calculator_app(settings()).test_client().get("/openapi.json").json
    assert document["components"]["securitySchemes"]["bearerToken"] == {
        **document["components"]["securitySchemes"]["bearerToken"],
        "type": "http",
        "scheme": "bearer",
    }
    assert document["security"] == [{"bearerToken": []}]
    assert document["paths"]["/healthz"]["get"]["security"] == []


def test_behind_a_trusted_proxy_each_forwarded_address_has_its_own_limit(db: Database, advisor: str) -> None:
    client = web_app(db, host="0.0.0.0", ips_trusted_proxies=1, ips_failed_signin_limit="1000 per minute",
                     ips_page_rate_limit="2 per minute").test_client()
    one = {"X-Forwarded-For": "203.0.113.1"}
    assert [client.get("/signin", headers=one).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/signin", headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 200
    # Not trusted: X-Forwarded-For is anyone's to write, so it is not believed.
    plain = web_app(db, host="0.0.0.0", ips_page_rate_limit="2 per minute").test_client()
    codes = [plain.get("/signin", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
             for n in range(3)]
    assert codes == [200, 200, 429]


def test_every_worker_signs_forms_with_the_same_key(db: Database) -> None:
    from ips.web import secret_key
    from tests.ips.web_helpers import web_settings

    with_slack = web_settings(ips_secret_key=None, slack_client_secret="app-secret")
    assert secret_key(with_slack) == secret_key(with_slack) != "app-secret"
    assert secret_key(web_settings(ips_secret_key="given")) == "given"
    alone = web_settings(ips_secret_key=None)
    assert secret_key(alone) != secret_key(alone)  # one machine, no Slack app: its own each start
