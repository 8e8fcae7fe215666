"""What a report said the first time a closed period was reported, and what has changed since.

A closed period's figures only move when someone corrects the past (a contact logged late with
its real date, a back-dated discharge). The first time a team's figures for a closed period are
reported they are kept; every later report of that period lists the figures that differ, with
both values, so nobody is surprised by a number that changed under them.

A figure the report gained later (job retention, added on 29 November 2026) has no first value
for periods reported before it existed: it is kept from the first report that carries it, with
that report's day, and compared from then on. A figure is never renamed or given a new meaning
under its old name, since its first value would then be compared with a different count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseload.models import FirstReport
from caseload.periods import Period


@dataclass(frozen=True)
class Changed:
    """A figure that differs from what was first reported for the period."""

    figure: str
    first: int
    now: int
    first_reported_on: date


def compare_with_first(session: Session, period: Period, today: date,
                       figures: dict[int, dict[str, int]]) -> dict[int, list[Changed]]:
    """Keep each team's figures the first time a closed period is reported; afterwards, the
    figures that differ from then. An open period (ending after today) is neither kept nor
    compared: its figures are still coming in."""
    if period.end > today or not figures:
        return {}
    kept = {row.team_id: row for row in session.scalars(
        select(FirstReport).where(FirstReport.period_start == period.start,
                                  FirstReport.period_end == period.end,
                                  FirstReport.team_id.in_(figures)))}
    changes: dict[int, list[Changed]] = {}
    for team_id, now in figures.items():
        row = kept.get(team_id)
        if row is None:
            _keep(session, team_id, period, now)
            continue
        on = row.reported_at.date()
        added_on = row.figures_added_on or {}
        differ = [Changed(name, int(row.figures[name]), value,
                          date.fromisoformat(added_on[name]) if name in added_on else on)
                  for name, value in now.items() if name in row.figures and row.figures[name] != value]
        if differ:
            changes[team_id] = differ
        _keep_added(row, now, today)
    return changes


def _keep_added(row: FirstReport, now: dict[str, int], today: date) -> None:
    """Figures this first report lacks (the report gained them since) are kept as reported now."""
    added = {name: value for name, value in now.items() if name not in row.figures}
    if added:
        # New dicts, so the JSON columns are seen to change.
        row.figures = {**row.figures, **added}
        row.figures_added_on = {**(row.figures_added_on or {}),
                                **dict.fromkeys(added, today.isoformat())}


def _keep(session: Session, team_id: int, period: Period, figures: dict[str, int]) -> None:
    # Two reports of the same closed period at once: the first to commit is the first report.
    try:
        with session.begin_nested():
            session.add(FirstReport(team_id=team_id, period_start=period.start,
                                    period_end=period.end, figures=dict(figures)))
    except IntegrityError:
        pass
