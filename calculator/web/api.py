"""The JSON API: /v1/better-off, /v1/sweep, /v1/compare, /v1/parameters/<tax-year>, /healthz,
/openapi.json."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import BaseModel
from werkzeug.exceptions import RequestEntityTooLarge

from calculator.api_json import better_off_json, compare_json, errors_json, request_from_json, sweep_json
from calculator.client import in_process
from calculator.engine import BetterOffRequest, CompareRequest, SweepRequest, calculate, compare, sweep
from calculator.errors import CalculatorInputError
from calculator.parameters import all_tax_years, tax_year
from calculator.web.openapi import document

api = Blueprint("api", __name__)
PARAMETERS_MAX_AGE = 3600

RequestT = TypeVar("RequestT", bound=BaseModel)
ResultT = TypeVar("ResultT")


def errors(status: int, *items: dict[str, str]) -> Response:
    response = jsonify(errors=list(items))
    response.status_code = status
    return response


# No request nests deeper than a handful of levels (household.claimant.job.hours_per_week);
# a body nested far deeper is refused before anything walks it.
MAX_DEPTH = 16
NOT_JSON = {"field": "body", "message": "send a JSON object with Content-Type: application/json"}


def _body() -> dict[str, Any] | Response:
    if not request.is_json:
        return errors(422, NOT_JSON)
    try:
        body = json.loads(_raw_body())
    except RecursionError:
        return errors(400, _too_deep())
    except ValueError:  # not JSON, or not UTF-8
        return errors(422, NOT_JSON)
    if _depth_over(body, MAX_DEPTH):
        return errors(400, _too_deep())
    if not isinstance(body, dict):
        return errors(422, NOT_JSON)
    return body


def _raw_body() -> bytes:
    """The body; one sent in chunks (no Content-Length) that reaches the size limit is refused
    as a long one is (werkzeug cuts such a stream at the limit rather than refusing it)."""
    data = request.get_data(cache=False)
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is None and limit is not None and len(data) >= limit:
        raise RequestEntityTooLarge()
    return data


def _too_deep() -> dict[str, str]:
    return {"field": "body", "message": f"JSON nested more than {MAX_DEPTH} levels deep is refused"}


def _depth_over(value: Any, limit: int) -> bool:
    """Whether objects and arrays nest more than `limit` deep (without recursion of our own)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _answer(
    model: type[RequestT], run: Callable[[RequestT], ResultT], as_json: Callable[[ResultT], dict[str, Any]]
) -> Any:
    """The engine's answer to the JSON body, as the in-process client gets it, as JSON."""
    body = _body()
    if isinstance(body, Response):
        return body
    try:
        return as_json(in_process(run, request_from_json(model, body)))
    except CalculatorInputError as exc:
        return errors(422, *errors_json(exc.errors))


@api.post("/v1/better-off")
def better_off() -> Any:
    return _answer(BetterOffRequest, calculate, better_off_json)


@api.post("/v1/sweep")
def hours_sweep() -> Any:
    return _answer(SweepRequest, sweep, sweep_json)


@api.post("/v1/compare")
def compare_offers() -> Any:
    return _answer(CompareRequest, compare, compare_json)


@api.get("/v1/parameters/<name>")
def parameters(name: str) -> Any:
    try:
        year = tax_year(name)
    except ValueError as exc:
        return errors(404, {"field": "tax_year", "message": str(exc)})
    response = jsonify(
        tax_year=year.tax_year,
        starts=year.starts.isoformat(),
        ends=year.ends.isoformat(),
        parameters=[_numbers(p.model_dump(mode="json")) for p in year.parameters.values()],
    )
    # A year's published figures change only with a release: a client may keep them an hour and
    # then ask again with If-None-Match, answered 304 with no body while they are unchanged.
    # Private, since the API may sit behind a token.
    response.cache_control.private = True
    response.cache_control.max_age = PARAMETERS_MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


def _numbers(parameter: dict[str, Any]) -> dict[str, Any]:
    """Figures as JSON numbers (pydantic writes Decimals as strings to keep every digit)."""
    value = parameter["value"]
    if isinstance(value, str):
        with suppress(ValueError):
            parameter["value"] = float(value) if "." in value else int(value)
    return parameter


@api.get("/healthz")
def health() -> Any:
    return {"status": "ok", "tax_years": [y.tax_year for y in all_tax_years()]}


@api.get("/openapi.json")
def openapi() -> Any:
    return document(request.script_root + "/" if request.script_root else "/")
