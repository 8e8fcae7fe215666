"""Small builders so each test states only what matters to it."""

from __future__ import annotations

from datetime import date
from typing import Any

from calculator.engine import BetterOffRequest, SweepRequest
from calculator.engine.lines import LINE_KEYS, LINES
from calculator.engine.result import Line

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
    """The line for `key`; a line left out because it is nothing either way reads as zeros."""
    assert key in LINE_KEYS, key
    found = next((item for item in result.lines if item.key == key), None)
    label = next(spec.label for spec in LINES if spec.key == key)
    return found or Line(
        key=key, label=label, now_monthly=0.0, in_work_monthly=0.0, change_monthly=0.0, explanation=""
    )


def warning_keys(result: Any) -> set[str]:
    return {w.key for w in result.warnings}
