"""The job-starts chart (PNG) the monthly report posts to each team."""

from __future__ import annotations

import io

import matplotlib
from matplotlib.ticker import MaxNLocator

matplotlib.use("Agg")  # no display on servers; must precede pyplot
import matplotlib.pyplot as plt

from caseload.reports import TeamMonth

NHS_BLUE = "#005eb8"
NHS_DARK_GREY = "#425563"


def job_starts_chart(team_name: str, months: list[TeamMonth]) -> bytes:
    """Bars of job starts per month with the monthly target as a line (Sussex Figure 1)."""
    labels = [m.month.strftime("%b %y") for m in months]
    starts = [m.counts.job_starts for m in months]
    targets = [m.target for m in months]
    figure, axes = plt.subplots(figsize=(8, 3.6), dpi=100)
    try:
        axes.bar(labels, starts, color=NHS_BLUE, label="Job starts")
        axes.plot(labels, targets, color=NHS_DARK_GREY, linewidth=2, linestyle="--",
                  marker="o", label="Target")
        axes.set_title(f"{team_name}: job starts against target", loc="left")
        axes.set_ylabel("Job starts")
        axes.set_ylim(0, max([*starts, *targets, 1]) * 1.2)
        locator = axes.yaxis.get_major_locator()
        if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
            locator.set_params(integer=True)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(frameon=False, loc="upper left")
        axes.tick_params(axis="x", labelrotation=45)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
