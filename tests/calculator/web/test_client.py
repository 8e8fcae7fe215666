"""The client the bot and clock use: the service over HTTP or the engine in process, same answers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

from calculator.api_json import request_from_json
from calculator.checks import covered
from calculator.client import CalculatorClient, CalculatorUnavailable
from calculator.engine import BetterOffRequest, SweepRequest
from calculator.errors import CalculatorInputError, FieldError
from calculator.web import create_app

from .conftest import settings
from .test_api import BODY


@pytest.fixture(scope="module")
def service() -> Iterator[str]:
    """The real app on a real port, with a token, as the bot and clock would meet it."""
    server = make_server("127.0.0.1", 0, create_app(settings(calculator_api_token="t0ken")), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


BODIES: list[dict[str, Any]] = [
    BODY,
    {
        **BODY,
        "household": {
            "claimant": {"age": 22, "new_style_esa": "support_group", "lcwra": True},
            "couple": True,
            "partner": {"age": 30, "job": {"hours_per_week": 20, "hourly_wage": 13}},
            "children": [{"age": 4}, {"age": 12}],
            "nation": "scotland",
        },
    },
    {
        **BODY,
        "job": {**BODY["job"], "hours_per_week": 37.5, "hourly_wage": 18, "pay_frequency": "four_weekly"},
    },
]


@pytest.mark.parametrize("body", BODIES)
def test_same_results_over_http_and_in_process(service: str, body: dict[str, Any]) -> None:
    remote = CalculatorClient(service, "t0ken")
    local = CalculatorClient(None)
    request = BetterOffRequest.model_validate(body)
    assert remote.better_off(request) == local.better_off(request)
    sweep_request = SweepRequest.model_validate({**body, "maximum_hours": 30, "step": 1})
    assert remote.sweep(sweep_request) == local.sweep(sweep_request)


def test_field_errors_either_way(service: str) -> None:
    bad = {**BODY, "job": {"hours_per_week": 101, "hourly_wage": 12.71}}
    expected = [FieldError("job.hours_per_week", "Input should be less than or equal to 100")]
    # In process a request cannot hold 101 hours: reading it is refused...
    with pytest.raises(CalculatorInputError) as refused:
        request_from_json(BetterOffRequest, bad)
    assert refused.value.errors == expected
    # ...and the service refuses it in the same words when it is sent all the same.
    good = BetterOffRequest.model_validate(BODY)
    tampered = good.model_copy(update={"job": good.job.model_copy(update={"hours_per_week": 101})})
    with pytest.raises(CalculatorInputError) as caught:
        CalculatorClient(service, "t0ken").better_off(tampered)
    assert caught.value.errors == expected


def test_a_tax_year_with_no_rules_is_an_input_error_either_way(service: str) -> None:
    request = BetterOffRequest.model_validate({**BODY, "calculation_date": "2019-06-01"})
    refusals = []
    for client in (CalculatorClient(service, "t0ken"), CalculatorClient(None)):
        with pytest.raises(CalculatorInputError) as caught:
            client.better_off(request)
        refusals.append(caught.value.errors)
    starts, ends, span = covered()
    assert refusals[0] == refusals[1] == [
        FieldError("calculation_date", f"must be from {starts:%-d %B %Y} to {ends:%-d %B %Y}, the tax "
                   f"years the calculator has rules for ({span}), not 1 June 2019")
    ]


def test_wrong_token_and_no_service_are_unavailable_not_input_errors(service: str) -> None:
    request = BetterOffRequest.model_validate(BODY)
    with pytest.raises(CalculatorUnavailable, match="answered 401"):
        CalculatorClient(service, "wrong").better_off(request)
    with pytest.raises(CalculatorUnavailable, match="could not be reached"):
        CalculatorClient("http://127.0.0.1:9", None, timeout_seconds=1).better_off(request)
