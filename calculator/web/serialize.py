"""The engine's results as JSON, and its input errors as field errors."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from calculator.engine import BetterOffResult, SweepResult
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
