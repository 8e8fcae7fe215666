"""How the bot and the clock ask for a calculation: the engine in this process, or the
service when CALCULATOR_URL is set. Either way the engine's own types go in and come out;
only the trip over HTTP turns them into JSON and back.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from calculator.api_json import BETTER_OFF, COMPARE, SWEEP, errors_from_json
from calculator.checks import request_errors
from calculator.engine import (
    BetterOffRequest,
    BetterOffResult,
    CompareRequest,
    CompareResult,
    SweepRequest,
    SweepResult,
    calculate,
    compare,
    sweep,
)
from calculator.errors import CalculatorInputError, FieldError, field_errors
from calculator.settings import get_calculator_settings

__all__ = ["CalculatorClient", "CalculatorUnavailable", "in_process"]

RequestT = TypeVar("RequestT", bound=BaseModel)
ResultT = TypeVar("ResultT")


class CalculatorUnavailable(Exception):
    """The service could not be reached or failed; the message says which."""


def in_process(run: Callable[[RequestT], ResultT], request: RequestT) -> ResultT:
    """The engine's answer here, refusing what the service refuses in the same words."""
    if isinstance(request, BetterOffRequest | CompareRequest) and (errors := request_errors(request)):
        raise CalculatorInputError(errors)
    try:
        return run(request)
    except ValidationError as exc:
        raise CalculatorInputError(field_errors(exc)) from None
    except ValueError as exc:  # no rules on file for the calculation date's tax year
        raise CalculatorInputError([FieldError("calculation_date", str(exc))]) from None


@dataclass
class CalculatorClient:
    url: str | None = None
    token: str | None = None
    timeout_seconds: float = 5.0

    @classmethod
    def from_settings(cls) -> CalculatorClient:
        settings = get_calculator_settings()
        return cls(settings.calculator_url, settings.calculator_api_token)

    def better_off(self, request: BetterOffRequest) -> BetterOffResult:
        if self.url:
            return self._post("/v1/better-off", request, BETTER_OFF)
        return in_process(calculate, request)

    def sweep(self, request: SweepRequest) -> SweepResult:
        if self.url:
            return self._post("/v1/sweep", request, SWEEP)
        return in_process(sweep, request)

    def compare(self, request: CompareRequest) -> CompareResult:
        if self.url:
            return self._post("/v1/compare", request, COMPARE)
        return in_process(compare, request)

    def _post(self, path: str, body: BaseModel, result: TypeAdapter[ResultT]) -> ResultT:
        assert self.url is not None
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(
            self.url.rstrip("/") + path, data=body.model_dump_json().encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            payload = _json_or_none(exc.read())
            if exc.code == 422 and payload and "errors" in payload:
                raise CalculatorInputError(errors_from_json(payload["errors"])) from None
            raise CalculatorUnavailable(f"the calculator answered {exc.code} at {self.url}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise CalculatorUnavailable(
                f"the calculator at {self.url} could not be reached ({exc})"
            ) from None
        try:
            return result.validate_json(raw)
        except ValidationError:
            # A service of another version, or something else at that address.
            raise CalculatorUnavailable(f"the calculator at {self.url} answered with no result") from None


def _json_or_none(raw: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
