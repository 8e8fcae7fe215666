"""Reporting periods: calendar months and NHS financial years, with London-midnight bounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from dateutil.relativedelta import relativedelta

from caseload.clock import LONDON


@dataclass(frozen=True)
class Period:
    """Whole days from `start` up to but not including `end`."""

    start: date
    end: date

    @property
    def last_day(self) -> date:
        return self.end - relativedelta(days=1)

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The period as UTC instants, midnight to midnight in London (for timestamps)."""
        return (
            datetime.combine(self.start, time(), LONDON).astimezone(UTC),
            datetime.combine(self.end, time(), LONDON).astimezone(UTC),
        )

    def label(self) -> str:
        if self.start.day == 1 and self.end == self.start + relativedelta(months=1):
            return self.start.strftime("%B %Y")
        return f"{self.start:%-d %B %Y} to {self.last_day:%-d %B %Y}"


def month(any_day: date) -> Period:
    start = any_day.replace(day=1)
    return Period(start, start + relativedelta(months=1))


def parse_month(text: str) -> Period:
    """'2026-03' → March 2026; a clear ValueError otherwise."""
    try:
        start = datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise ValueError(f"month must look like YYYY-MM, e.g. 2026-03, not {text!r}") from None
    return month(start)


def months_ending(any_day: date, count: int) -> list[Period]:
    """The `count` calendar months up to and including the one containing `any_day`."""
    last = month(any_day)
    return [month(last.start - relativedelta(months=n)) for n in range(count - 1, -1, -1)]


def financial_year_to_date(any_day: date) -> Period:
    """From 1 April (the NHS financial year) to the end of the month containing `any_day`."""
    year = any_day.year if any_day.month >= 4 else any_day.year - 1
    return Period(date(year, 4, 1), month(any_day).end)
