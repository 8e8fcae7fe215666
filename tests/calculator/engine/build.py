"""Small builders so each test states only what matters to it."""

from __future__ import annotations

from datetime import date
from typing import Any

from calculator.engine import BetterOffRequest, SweepRequest

ON = date(2026, 11, 22)


def request(
    household: dict[str, Any] | None = None,
    job: dict[str, Any] | None = None,
    cls: type[BetterOffRequest] = BetterOffRequest,
    **extra: Any,
) -> BetterOffRequest:
    body: dict[str, Any] = {
        "household": {"claimant": {"age": 30}, **(household or {})},
        "job": {"hours_per_week": 16, "hourly_wage": 12.71, "start_date": "2026-12-01", **(job or {})},
        "calculation_date": ON.isoformat(),
        **extra,
    }
    return cls.model_validate(body)


def sweep_request(
    household: dict[str, Any] | None = None, job: dict[str, Any] | None = None, **extra: Any
) -> SweepRequest:
    return request(household, job, cls=SweepRequest, **extra)  # type: ignore[return-value]


def line(result: Any, key: str) -> Any:
    return next(item for item in result.lines if item.key == key)


def warning_keys(result: Any) -> set[str]:
    return {w.key for w in result.warnings}
