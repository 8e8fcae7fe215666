"""The hours chart on the result page, as an SVG drawn on the server.

The geometry only: where each line, tick and label goes in a fixed viewBox that the browser
scales to the page. The template (_chart.html) draws it and the styles colour it, so a page
costs no image rendering (matplotlib stays for Slack, which needs a PNG: calculator.chart).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from calculator.engine import SweepResult

WIDTH = 760
HEIGHT = 360
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 52


@dataclass(frozen=True)
class Tick:
    at: float  # position along the axis, in viewBox units
    label: str


@dataclass(frozen=True)
class HoursChart:
    width: int
    height: int
    left: int
    right: float  # x of the plot's right edge
    top: int
    bottom: float  # y of the plot's bottom edge
    in_work: str  # the polyline's points
    now_y: float | None
    job_x: float
    cliffs: list[float]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    table: list[tuple[float, float]]  # (hours, £ a month) for the chart as a table


def _nice_step(span: float, count: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `count` intervals."""
    raw = max(span, 1.0) / count
    power = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw))


def hours_chart(result: SweepResult, now_monthly: float | None) -> HoursChart:
    points = [(p.hours, p.net_income_monthly) for p in result.points]
    values = [net for _, net in points] + ([now_monthly] if now_monthly is not None else [])
    step = _nice_step(max(values) - min(values), 5)
    low = math.floor(min(values) / step) * step
    high = math.ceil(max(values) / step) * step
    if high == low:
        high = low + step
    top_hours = max(hours for hours, _ in points) or 1.0
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(hours: float) -> float:
        return round(LEFT + (right - LEFT) * hours / top_hours, 1)

    def y(money: float) -> float:
        return round(bottom - (bottom - TOP) * (money - low) / (high - low), 1)

    hour_step = 5 if top_hours <= 60 else 10
    return HoursChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        in_work=" ".join(f"{x(h)},{y(n)}" for h, n in points),
        now_y=y(now_monthly) if now_monthly is not None else None,
        job_x=x(result.proposed_hours),
        cliffs=[x(edge.hours) for edge in result.cliff_edges],
        x_ticks=[Tick(x(h), f"{h:g}") for h in range(0, int(top_hours) + 1, hour_step)],
        y_ticks=[
            Tick(y(low + i * step), f"£{low + i * step:,.0f}")
            for i in range(round((high - low) / step) + 1)
        ],
        table=[(h, n) for h, n in points if h == int(h) and int(h) % 4 == 0],
    )
