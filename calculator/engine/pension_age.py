"""State Pension age from the date of birth (Pensions Act 1995 Schedule 4, as amended).

The table is a parameter (state_pension/age_by_date_of_birth.yaml). Without a date of birth
an age is enough except where the table makes it ambiguous: a 66-year-old in 2026/27 may have
been born before 6 April 1960 (State Pension age 66) or after (66 and some months), so the
request asks for the date of birth then. The date of birth is used here and nowhere else; it
is never kept (docs/calculator.md, Privacy).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any

from calculator.parameters import histories

PATH = "state_pension.age_by_date_of_birth"

# One row: born on or after, born on or before, years, months.
PensionAgeRow = tuple[date, date, int, int]
PensionAges = tuple[PensionAgeRow, ...]


def pension_age_rows(value: Any) -> PensionAges:
    """The parameter's rows as typed tuples, checked to be in order and without gaps."""
    rows = tuple((row[0], row[1], int(row[2]), int(row[3])) for row in value)
    for (_, until, years, months), (start, _, later_years, later_months) in pairwise(rows):
        if start != until + timedelta(days=1):
            raise ValueError(f"state pension age table: a gap or overlap before {start.isoformat()}")
        # Later births never reach it younger: the first row's age is the youngest.
        if (later_years, later_months) < (years, months):
            raise ValueError(f"state pension age table: the age falls at {start.isoformat()}")
    return rows


@lru_cache(maxsize=256)
def pension_ages_on(on: date) -> PensionAges | None:
    """The table in force on `on` (for checking a request), or None before it."""
    parameter = histories()[PATH].on(on)
    return pension_age_rows(parameter.value) if parameter else None


def add_years_and_months(born: date, years: int, months: int) -> date:
    """The day someone born on `born` is `years` and `months` old; a day the month lacks
    (born on the 31st) is that month's last day, as DWP's State Pension date tool gives."""
    index = born.year * 12 + born.month - 1 + years * 12 + months
    year, month = divmod(index, 12)
    day = min(born.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def pension_date(table: PensionAges, born: date) -> date | None:
    """The day State Pension age is reached; None for someone born before the table, who
    reached it before it came into force (6 October 2020)."""
    if born < table[0][0]:
        return None
    for start, until, years, months in table:
        if start <= born <= until:
            return add_years_and_months(born, years, months)
    # Born after the last row: at least the last row's age (the Pensions Act 2007 rise to 68
    # comes later), so the last row's age is a date before which they have surely not reached it.
    _, _, years, months = table[-1]
    return add_years_and_months(born, years, months)


def reached_by_birth_date(table: PensionAges, born: date, on: date) -> bool:
    reached = pension_date(table, born)
    return reached is None or reached <= on


def years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def reached_by_age(table: PensionAges, age: int, on: date) -> bool | None:
    """Whether someone `age` years old on `on` has reached State Pension age: None when the
    age alone cannot say (some birthdays give yes, some no)."""
    if age < table[0][2]:  # most people: no dates to work out (the first row is the youngest)
        return False
    latest_birth = years_before(on, age)
    earliest_birth = years_before(on, age + 1) + timedelta(days=1)
    # Later birthdays reach it no earlier, so the two ends of the range decide.
    if reached_by_birth_date(table, latest_birth, on):
        return True
    if not reached_by_birth_date(table, earliest_birth, on):
        return False
    return None


def reached(table: PensionAges, age: int, born: date | None, on: date) -> bool:
    """Whether State Pension age is reached on `on`, by the date of birth when given; a request
    whose age alone cannot say is refused before it gets here."""
    if born is not None:
        return reached_by_birth_date(table, born, on)
    return bool(reached_by_age(table, age, on))


def age_on(born: date, on: date) -> int:
    """Whole years old on `on` (a 29 February birthday counts from 1 March in other years)."""
    years = on.year - born.year
    return years - 1 if years_before(on, years) < born else years
