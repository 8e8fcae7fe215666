"""Charts of job starts against target (PNG), as the monthly report posts them: month by month
(Figure 1 of the Sussex briefing) and added up over the months (Figure 2 of the 2018
evaluation)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import accumulate

import matplotlib
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

matplotlib.use("Agg")  # no display on servers; must precede pyplot
import matplotlib.pyplot as plt

from caseload.reports import TeamMonth

NHS_BLUE = "#005eb8"
NHS_DARK_GREY = "#425563"


@contextmanager
def _figure(title: str, out: io.BytesIO) -> Iterator[Axes]:
    figure, axes = plt.subplots(figsize=(8, 3.6), dpi=100)
    try:
        yield axes
        axes.set_title(title, loc="left")
        axes.set_ylabel("Job starts")
        locator = axes.yaxis.get_major_locator()
        if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
            locator.set_params(integer=True)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(frameon=False, loc="upper left")
        axes.tick_params(axis="x", labelrotation=45)
        figure.tight_layout()
        figure.savefig(out, format="png")
    finally:
        plt.close(figure)


def job_starts_chart(team_name: str, months: list[TeamMonth]) -> bytes:
    """Bars of competitive job starts per month with the monthly target as a line."""
    labels = [m.month.strftime("%b %y") for m in months]
    starts = [m.counts.total for m in months]
    targets = [m.target for m in months]
    out = io.BytesIO()
    with _figure(f"{team_name}: job starts against target", out) as axes:
        axes.bar(labels, starts, color=NHS_BLUE, label="Job starts")
        axes.plot(labels, targets, color=NHS_DARK_GREY, linewidth=2, linestyle="--",
                  marker="o", label="Target")
        axes.set_ylim(0, max([*starts, *targets, 1]) * 1.2)
    return out.getvalue()


def cumulative_chart(name: str, months: list[TeamMonth]) -> bytes:
    """Job starts added up month by month against the target added up the same way."""
    labels = [m.month.strftime("%b %y") for m in months]
    starts = list(accumulate(m.counts.total for m in months))
    targets = list(accumulate(m.target for m in months))
    out = io.BytesIO()
    with _figure(f"{name}: job starts so far against target", out) as axes:
        axes.plot(labels, starts, color=NHS_BLUE, linewidth=2.5, marker="o", label="Job starts")
        axes.plot(labels, targets, color=NHS_DARK_GREY, linewidth=2, linestyle="--",
                  label="Target")
        axes.set_ylim(0, max([*starts, *targets, 1]) * 1.15)
    return out.getvalue()
