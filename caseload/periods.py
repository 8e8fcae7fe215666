"""Reporting periods: calendar months, financial quarters (April to June is Q1, as the NHS and
IPS Grow count them) and years, with London-midnight bounds."""

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

    def months(self) -> int:
        """Whole calendar months covered (a quarter is 3, a year 12)."""
        span = relativedelta(self.end, self.start)
        return span.years * 12 + span.months

    def label(self) -> str:
        if self.start.day == 1 and self.end == self.start + relativedelta(months=1):
            return self.start.strftime("%B %Y")
        if self.start.day == 1 and self.end.day == 1:
            return f"{self.start:%B %Y} to {self.last_day:%B %Y}"
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


def quarter(any_day: date) -> Period:
    """The financial quarter containing `any_day`: April-June, July-September, October-December
    or January-March."""
    start = any_day.replace(day=1) - relativedelta(months=(any_day.month - 4) % 3)
    return Period(start, start + relativedelta(months=3))


def twelve_months_ending(any_day: date) -> Period:
    """The 12 calendar months up to and including the one containing `any_day`."""
    end = month(any_day).end
    return Period(end - relativedelta(months=12), end)


def parse_period(text: str, today: date) -> Period:
    """What a person types for a report period: `month`, `quarter` or `year` (the last complete
    one; a year is the 12 months to the end of last month), `2026-03`, or `2026-Q1` (the first
    quarter of the 2026/27 financial year: April to June 2026). A clear ValueError otherwise."""
    word = text.strip().lower()
    last_month = month(today).start - relativedelta(days=1)
    if word == "month":
        return month(last_month)
    if word == "quarter":
        return quarter(quarter(today).start - relativedelta(days=1))
    if word == "year":
        return twelve_months_ending(last_month)
    if len(word) == 7 and word[4:6] == "-q" and word[:4].isdigit() and word[6] in "1234":
        start = date(int(word[:4]), 4, 1) + relativedelta(months=3 * (int(word[6]) - 1))
        return quarter(start)
    try:
        return parse_month(word)
    except ValueError:
        raise ValueError("the period must be month, quarter, year, a month such as 2026-03 or a "
                         f"financial quarter such as 2026-Q1, not {text.strip()!r}") from None
