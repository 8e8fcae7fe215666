"""Working days per UK nation: weekends and that nation's bank holidays are not working days.

Bank holidays come from the `holidays` package (UK, with the nation as subdivision), so a
Scottish team is not nudged on St Andrew's Day and an English team is not nudged on Easter
Monday.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

from caseload.models import Nation


@cache
def _bank_holidays(nation: Nation, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=nation.value, years=year))


def bank_holiday_name(day: date, nation: Nation) -> str | None:
    names = holidays.country_holidays("GB", subdiv=nation.value, years=day.year)
    return names.get(day)


def is_working_day(day: date, nation: Nation = Nation.ENGLAND) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(nation, day.year)


def next_working_day(day: date, nation: Nation = Nation.ENGLAND) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, nation):
        day += timedelta(days=1)
    return day


def last_working_day_before(day: date, nation: Nation = Nation.ENGLAND) -> date:
    """The last working day strictly before `day`."""
    day -= timedelta(days=1)
    while not is_working_day(day, nation):
        day -= timedelta(days=1)
    return day


def first_working_day_of_month(year: int, month: int, nation: Nation = Nation.ENGLAND) -> date:
    return next_working_day(date(year, month, 1), nation)


def add_working_days(day: date, count: int, nation: Nation = Nation.ENGLAND) -> date:
    """The `count`th working day after `day` (a Friday plus 3 is the Wednesday after)."""
    for _ in range(count):
        day += timedelta(days=1)
        while not is_working_day(day, nation):
            day += timedelta(days=1)
    return day


def working_days_between(start: date, end: date, nation: Nation = Nation.ENGLAND) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not later)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day, nation)
    return count


def working_day_on_or_before(day: date, nation: Nation = Nation.ENGLAND) -> date:
    """`day` itself when it is a working day, else the last working day before it: a reminder
    moved off a weekend or bank holiday comes early, never late."""
    return day if is_working_day(day, nation) else last_working_day_before(day, nation)
