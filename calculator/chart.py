"""The hours chart: net income against hours worked, the proposed hours and every cliff edge.

The sweep is shared by the advisor pages (which draw it as an SVG, calculator/web/chart.py)
and the Slack bot, which uploads this PNG; so both draw the same hours. matplotlib is loaded
only when a PNG is drawn, so a web worker never pays its memory or start-up.
"""

from __future__ import annotations

import io

from calculator.engine import BetterOffRequest, SweepRequest, SweepResult

NHS_BLUE = "#005eb8"
NHS_RED = "#d5281b"
NHS_DARK_GREY = "#425563"
# The chart runs to a full-time week, or further when the job offers more, in half hours.
FULL_TIME_HOURS = 40.0
STEP_HOURS = 0.5


def chart_sweep(request: BetterOffRequest) -> SweepRequest:
    """The sweep the chart draws for this household and job."""
    top = max(FULL_TIME_HOURS, request.job.hours_per_week)
    return SweepRequest.model_validate({**dict(request), "maximum_hours": top, "step": STEP_HOURS})


def hours_chart_png(result: SweepResult, now_net_monthly: float | None = None) -> bytes:
    import matplotlib

    matplotlib.use("Agg")  # no display on servers; must precede pyplot
    import matplotlib.pyplot as plt

    hours = [p.hours for p in result.points]
    net = [p.net_income_monthly for p in result.points]
    figure, axes = plt.subplots(figsize=(8, 4.2), dpi=100)
    try:
        axes.plot(hours, net, color=NHS_BLUE, linewidth=2.5, label="Money left each month")
        if now_net_monthly is not None:
            axes.axhline(
                now_net_monthly,
                color=NHS_DARK_GREY,
                linestyle=":",
                linewidth=1.5,
                label="Now, without the job",
            )
        axes.axvline(
            result.proposed_hours,
            color=NHS_DARK_GREY,
            linestyle="--",
            linewidth=1.5,
            label=f"This job: {result.proposed_hours:g} hours",
        )
        for index, edge in enumerate(result.cliff_edges):
            axes.axvline(
                edge.hours, color=NHS_RED, linewidth=1.5, label="Where help stops" if index == 0 else None
            )
            axes.annotate(
                edge.message,
                xy=(edge.hours, min(net)),
                xytext=(4, 6 + 14 * (index % 3)),
                textcoords="offset points",
                color=NHS_RED,
                fontsize=8,
                rotation=0,
            )
        axes.set_xlabel("Hours worked a week")
        axes.set_ylabel("£ a month")
        axes.set_title("Money left each month at each number of hours", loc="left", fontsize=11)
        axes.grid(True, color="#d8dde0", linewidth=0.8)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="upper left", fontsize=8, frameon=False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
