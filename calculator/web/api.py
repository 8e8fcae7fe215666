"""The JSON API: /v1/better-off, /v1/sweep, /v1/compare, /v1/parameters/<tax-year>, /healthz,
/openapi.json."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel

from calculator.api_json import better_off_json, compare_json, errors_json, request_from_json, sweep_json
from calculator.client import in_process
from calculator.engine import BetterOffRequest, CompareRequest, SweepRequest, calculate, compare, sweep
from calculator.errors import CalculatorInputError
from calculator.parameters import all_tax_years, tax_year
from calculator.web.openapi import document

api = Blueprint("api", __name__)

RequestT = TypeVar("RequestT", bound=BaseModel)
ResultT = TypeVar("ResultT")


def errors(status: int, *items: dict[str, str]) -> Response:
    response = jsonify(errors=list(items))
    response.status_code = status
    return response


def _body() -> dict[str, Any] | Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return errors(
            422, {"field": "body", "message": "send a JSON object with Content-Type: application/json"}
        )
    return body


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
    return {
        "tax_year": year.tax_year,
        "starts": year.starts.isoformat(),
        "ends": year.ends.isoformat(),
        "parameters": [_numbers(p.model_dump(mode="json")) for p in year.parameters.values()],
    }


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
