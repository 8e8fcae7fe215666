"""The JSON API through the Flask test client, every error path included."""

from __future__ import annotations

import http.client
import json
import re
import threading
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from calculator.api_json import better_off_json
from calculator.checks import covered
from calculator.engine import BetterOffRequest, calculate
from calculator.web import create_app

from .conftest import settings

BODY: dict[str, Any] = {
    "household": {
        "claimant": {"age": 34, "lcwra": True},
        "housing": {"tenure": "social_rent", "rent_monthly": 450},
    },
    "job": {
        "hours_per_week": 16,
        "hourly_wage": 12.71,
        "pay_frequency": "weekly",
        "start_date": "2026-12-07",
    },
    "calculation_date": "2026-11-22",
}


def test_better_off_returns_the_engines_result(client: FlaskClient) -> None:
    response = client.post("/v1/better-off", json=BODY)
    assert response.status_code == 200
    expected = better_off_json(calculate(BetterOffRequest.model_validate(BODY)))
    assert response.json == expected
    assert response.json["better_off"]["monthly"] == pytest.approx(624.90)
    assert [p["number"] for p in response.json["assessment_periods"]["periods"]] == list(range(1, 13))


def test_sweep_returns_points_and_cliff_edges(client: FlaskClient) -> None:
    body = {
        **BODY,
        "household": {"claimant": {"age": 34, "lcwra": True, "new_style_esa": "support_group"}},
        "maximum_hours": 20,
        "step": 1,
    }
    response = client.post("/v1/sweep", json=body)
    assert response.status_code == 200
    assert [p["hours"] for p in response.json["points"]] == list(range(21))
    assert response.json["cliff_edges"][0] == {
        "hours": 16,
        "key": "permitted_work_limit",
        "message": "New Style ESA stops",
    }


def test_invalid_input_gets_422_with_every_field_error(client: FlaskClient) -> None:
    body = {
        "household": {"claimant": {"age": 12}, "couple": True},
        "job": {"hours_per_week": 120, "hourly_wage": -1},
    }
    response = client.post("/v1/better-off", json=body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["errors"]}
    assert {"household.claimant.age", "job.hours_per_week", "job.hourly_wage"} <= fields
    assert all(e["message"] for e in response.json["errors"])


def test_rule_errors_name_the_field(client: FlaskClient) -> None:
    body = {**BODY, "household": {"claimant": {"age": 30}, "couple": True}}
    response = client.post("/v1/better-off", json=body)
    assert response.status_code == 422
    assert response.json["errors"] == [
        {"field": "household.partner", "message": "a couple needs the partner's details"}
    ]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("not json", "application/json"),
        ("[1, 2]", "application/json"),
        ('{"a": 1}', "text/plain"),
        ("", None),
    ],
)
def test_a_body_that_is_not_a_json_object_is_422_not_500(
    client: FlaskClient, data: str, content_type: str | None
) -> None:
    response = client.post("/v1/better-off", data=data, content_type=content_type)
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "body"


def test_a_date_without_rules_is_refused_on_its_field(client: FlaskClient) -> None:
    response = client.post("/v1/better-off", json={**BODY, "calculation_date": "2031-06-01"})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "calculation_date"
    assert "2031" in response.json["errors"][0]["message"]


def test_bodies_over_64_kb_are_refused(client: FlaskClient) -> None:
    padding = "x" * (64 * 1024)
    response = client.post(
        "/v1/better-off", data='{"pad": "' + padding + '"}', content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json["errors"][0]["field"] == "body"


def test_token_is_required_when_configured() -> None:
    client = create_app(settings(calculator_api_token="s3cret")).test_client()
    assert client.post("/v1/better-off", json=BODY).status_code == 401
    wrong = client.post("/v1/better-off", json=BODY, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"] == "Bearer"
    right = client.post("/v1/better-off", json=BODY, headers={"Authorization": "Bearer s3cret"})
    assert right.status_code == 200
    # The pages and the health check stay open: advisors use them in a browser.
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200


def test_rate_limit_per_client_address_with_retry_after() -> None:
    client = create_app(settings(calculator_rate_limit_per_minute=3)).test_client()
    codes = [client.post("/v1/better-off", json=BODY).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.post("/v1/better-off", json=BODY)
    assert int(limited.headers["Retry-After"]) >= 1
    other = client.post("/v1/better-off", json=BODY, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_parameters_carry_a_citation_for_every_figure(client: FlaskClient) -> None:
    response = client.get("/v1/parameters/2026-27")
    assert response.status_code == 200
    figures = {p["path"]: p for p in response.json["parameters"]}
    assert figures["universal_credit.lcwra_element.new_claim_amount"]["value"] == 217.26
    assert all(p["reference"]["href"].startswith("https://") for p in figures.values())
    missing = client.get("/v1/parameters/1999-00")
    assert missing.status_code == 404 and missing.json["errors"][0]["field"] == "tax_year"


def test_health_and_openapi(client: FlaskClient) -> None:
    assert client.get("/healthz").json == {"status": "ok", "tax_years": ["2025-26", "2026-27"]}
    doc = client.get("/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {
        "/v1/better-off", "/v1/sweep", "/v1/compare", "/v1/parameters/{tax_year}", "/healthz"
    }
    compare_body = doc["paths"]["/v1/compare"]["post"]["requestBody"]["content"]["application/json"]
    assert compare_body["schema"]["$ref"].endswith("/CompareRequest")
    offers = doc["components"]["schemas"]["CompareRequest"]["properties"]["offers"]
    assert (offers["minItems"], offers["maxItems"]) == (1, 3)
    assert "CompareResult" in doc["components"]["schemas"]
    household = doc["components"]["schemas"]["Job"]["properties"]["hours_per_week"]
    assert household["maximum"] == 100 and household["minimum"] == 0
    docs = client.get("/docs")
    assert docs.status_code == 200 and b"/v1/better-off" in docs.data
    assert re.findall(rb"<script\b[^>]*>", docs.data) == [  # the design system's, served here
        b'<script type="module" src="/static/ips/init.mjs">',
        b'<script src="/static/ips/frontend-supported.js">',
    ]


def test_northern_ireland_is_refused_naming_what_is_not_covered(client: FlaskClient) -> None:
    body = {**BODY, "household": {**BODY["household"], "nation": "northern_ireland"}}
    for path in ("/v1/better-off", "/v1/sweep"):
        response = client.post(path, json=body)
        assert response.status_code == 422
        [error] = response.json["errors"]
        assert error["field"] == "household.nation"
        assert "Northern Ireland is not covered" in error["message"]
        assert "rates instead of council tax" in error["message"]


COMPARE: dict[str, Any] = {
    "household": BODY["household"],
    "offers": [
        {"hours_per_week": 12, "hourly_wage": 12.71, "pay_frequency": "weekly"},
        {"hours_per_week": 25, "hourly_wage": 13.5, "pay_frequency": "monthly", "travel_costs_weekly": 20},
        {"hours_per_week": 37.5, "hourly_wage": 15, "pay_frequency": "four_weekly"},
    ],
    "calculation_date": "2026-11-22",
}


def test_compare_gives_each_offer_as_better_off_would(client: FlaskClient) -> None:
    response = client.post("/v1/compare", json=COMPARE)
    assert response.status_code == 200
    body = response.json
    assert [offer["offer"] for offer in body["offers"]] == [1, 2, 3]
    for offer, job in zip(body["offers"], COMPARE["offers"], strict=True):
        alone = client.post("/v1/better-off", json={**BODY, "job": job}).json
        assert offer["result"] == alone
        assert offer["result"]["better_off"]["per_extra_hour"] is not None
    best = max(body["offers"], key=lambda o: o["result"]["better_off"]["monthly"])
    assert body["best_offer"] == best["offer"]
    assert body["now"] == body["offers"][0]["result"]["now"]


def test_compare_refuses_bad_offers_naming_each(client: FlaskClient) -> None:
    too_many = client.post("/v1/compare", json={**COMPARE, "offers": COMPARE["offers"] * 2})
    assert too_many.status_code == 422 and too_many.json["errors"][0]["field"] == "offers"
    bad = {**COMPARE, "offers": [COMPARE["offers"][0], {"hours_per_week": 120, "hourly_wage": 12.71}]}
    [error] = client.post("/v1/compare", json=bad).json["errors"]
    assert error["field"] == "offers.1.hours_per_week"
    partner = {**COMPARE, "offers": [COMPARE["offers"][0], {**COMPARE["offers"][1], "who": "partner"}]}
    [error] = client.post("/v1/compare", json=partner).json["errors"]
    assert error["field"] == "offers.1.who" and "there is no partner" in error["message"]


def _compare_body(**offer: Any) -> dict[str, Any]:
    return {"household": BODY["household"], "calculation_date": BODY["calculation_date"],
            "offers": [BODY["job"], {**BODY["job"], **offer}]}


@pytest.mark.parametrize("day", ["2025-04-05", "2024-01-01", "2027-04-06", "2031-06-01"])
def test_a_start_date_outside_the_years_covered_is_422_on_that_field(client: FlaskClient, day: str) -> None:
    starts, ends, span = covered()
    for path, body, field in [
        ("/v1/better-off", {**BODY, "job": {**BODY["job"], "start_date": day}}, "job.start_date"),
        ("/v1/sweep", {**BODY, "job": {**BODY["job"], "start_date": day}}, "job.start_date"),
        ("/v1/compare", _compare_body(start_date=day), "offers.1.start_date"),
    ]:
        response = client.post(path, json=body)
        assert response.status_code == 422, path
        [error] = response.json["errors"]
        assert error["field"] == field
        assert f"from {starts:%-d %B %Y} to {ends:%-d %B %Y}" in error["message"] and span in error["message"]
    # The first and last days covered are fine.
    for day in (starts, ends):
        body = {**BODY, "job": {**BODY["job"], "start_date": day.isoformat()}}
        assert client.post("/v1/better-off", json=body).status_code == 200


def test_a_job_offer_of_no_hours_is_refused(client: FlaskClient) -> None:
    for hours in (0, 0.0):
        job = {**BODY["job"], "hours_per_week": hours}
        refused = client.post("/v1/better-off", json={**BODY, "job": job})
        assert refused.status_code == 422
        assert refused.json["errors"] == [
            {"field": "job.hours_per_week", "message": "must be more than 0 for a job offer"}
        ]
    compared = client.post("/v1/compare", json=_compare_body(hours_per_week=0))
    assert compared.status_code == 422 and compared.json["errors"][0]["field"] == "offers.1.hours_per_week"
    # Hours worked now may be none: that is the household as it is, not an offer.
    household = {**BODY["household"], "claimant": {"age": 34, "job": {"hours_per_week": 0, "hourly_wage": 0}}}
    assert client.post("/v1/better-off", json={**BODY, "household": household}).status_code == 200


@pytest.mark.parametrize("body", [
    "[" * 30_000 + "]" * 30_000,  # deeper than the parser's recursion limit
    '{"household": ' * 20 + "1" + "}" * 20,  # parses, but deeper than any request
    '{"household": {"claimant": ' + "[" * 17 + "]" * 17 + "}}",
])
def test_deeply_nested_json_is_a_400_in_the_one_error_shape(client: FlaskClient, body: str) -> None:
    for path in ("/v1/better-off", "/v1/sweep", "/v1/compare"):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 400, path
        assert response.json == {
            "errors": [{"field": "body", "message": "JSON nested more than 16 levels deep is refused"}]
        }


def test_a_chunked_body_is_read_and_one_over_the_limit_refused_as_too_large() -> None:
    """Sent in chunks (no Content-Length) to a real server: answered as the same body sent whole."""
    app = create_app(settings(calculator_max_body_bytes=4096))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        small = json.dumps(BODY).encode()
        status, answer = _post_chunked(server.server_port, small)
        assert status == 200 and answer["better_off"]["monthly"] == pytest.approx(624.90)
        status, answer = _post_chunked(server.server_port, json.dumps({**BODY, "pad": "x" * 5000}).encode())
        assert status == 413 and answer["errors"][0]["field"] == "body"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def _post_chunked(port: int, body: bytes) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    pieces = (body[i:i + 1000] for i in range(0, len(body), 1000))
    connection.request("POST", "/v1/better-off", body=pieces, headers={"Content-Type": "application/json"},
                       encode_chunked=True)
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    return response.status, answer
