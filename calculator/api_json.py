"""The JSON API's bodies: the engine's requests and results, and refused input, as JSON.

The service writes them and the client over HTTP reads them here, so both ends agree; in
process nothing is turned into JSON at all.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from calculator.checks import request_errors
from calculator.engine import BetterOffRequest, BetterOffResult, CompareRequest, CompareResult, SweepResult
from calculator.errors import CalculatorInputError, FieldError, field_errors

RequestT = TypeVar("RequestT", bound=BaseModel)

BETTER_OFF = TypeAdapter(BetterOffResult)
SWEEP = TypeAdapter(SweepResult)
COMPARE = TypeAdapter(CompareResult)
ERRORS = TypeAdapter(list[FieldError])


def request_from_json(model: type[RequestT], body: Any) -> RequestT:
    """A request from its JSON; `CalculatorInputError` names every field refused (the checks
    the form makes too: calculator/checks.py). A request without a calculation date is for
    today (the engine itself never reads the clock)."""
    try:
        request = model.model_validate(body, context={"today": date.today()})
    except ValidationError as exc:
        raise CalculatorInputError(field_errors(exc)) from None
    if isinstance(request, BetterOffRequest | CompareRequest) and (errors := request_errors(request)):
        raise CalculatorInputError(errors)
    return request


def better_off_json(result: BetterOffResult) -> dict[str, Any]:
    body: dict[str, Any] = BETTER_OFF.dump_python(result, mode="json")
    return body


def sweep_json(result: SweepResult) -> dict[str, Any]:
    body: dict[str, Any] = SWEEP.dump_python(result, mode="json")
    return body


def compare_json(result: CompareResult) -> dict[str, Any]:
    body: dict[str, Any] = COMPARE.dump_python(result, mode="json")
    return body


def errors_json(errors: list[FieldError]) -> list[dict[str, str]]:
    """Each error as {"field": ..., "message": ...}: the `errors` of the API's refusals."""
    body: list[dict[str, str]] = ERRORS.dump_python(errors, mode="json")
    return body


def errors_from_json(errors: Any) -> list[FieldError]:
    return ERRORS.validate_python(errors)
