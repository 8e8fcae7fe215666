"""The engine's results as JSON, and its input errors as field errors."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from calculator.engine import BetterOffRequest, BetterOffResult, SweepRequest, SweepResult, calculate, sweep
from caseload.errors import InvalidInput

BETTER_OFF = TypeAdapter(BetterOffResult)
SWEEP = TypeAdapter(SweepResult)


def better_off_json(result: BetterOffResult) -> dict[str, Any]:
    return BETTER_OFF.dump_python(result, mode="json")


def sweep_json(result: SweepResult) -> dict[str, Any]:
    return SWEEP.dump_python(result, mode="json")


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """Every error with the field it is about, in the shape the API and pages share."""
    return [{"field": e.field, "message": e.message} for e in InvalidInput.from_pydantic(exc).errors]


class CalculatorInputError(Exception):
    """The household or job was refused; `errors` name each field."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))


def answer(operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """The API's JSON for "better-off" or "sweep": one path for the API and the in-process client."""
    try:
        if operation == "sweep":
            return sweep_json(sweep(SweepRequest.model_validate(body)))
        return better_off_json(calculate(BetterOffRequest.model_validate(body)))
    except ValidationError as exc:
        raise CalculatorInputError(field_errors(exc)) from None
    except ValueError as exc:  # no rules on file for the calculation date's tax year
        raise CalculatorInputError([{"field": "calculation_date", "message": str(exc)}]) from None
