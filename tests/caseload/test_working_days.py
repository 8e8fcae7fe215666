"""Working days by nation (bank holidays from the `holidays` package)."""

from datetime import date

import pytest

from caseload.models import Nation
from caseload.working_days import (
    bank_holiday_name,
    first_working_day_of_month,
    is_working_day,
    next_working_day,
)


@pytest.mark.parametrize(
    ("day", "nation", "working"),
    [
        (date(2026, 11, 23), Nation.ENGLAND, True),  # a Monday
        (date(2026, 11, 22), Nation.ENGLAND, False),  # a Sunday
        (date(2026, 4, 6), Nation.ENGLAND, False),  # Easter Monday in England and Wales
        (date(2026, 4, 6), Nation.SCOTLAND, True),  # not a bank holiday in Scotland
        (date(2026, 11, 30), Nation.SCOTLAND, False),  # St Andrew's Day
        (date(2026, 11, 30), Nation.ENGLAND, True),
        (date(2026, 3, 17), Nation.NORTHERN_IRELAND, False),  # St Patrick's Day
        (date(2026, 12, 28), Nation.WALES, False),  # Boxing Day, observed
    ],
)
def test_working_days_follow_each_nations_bank_holidays(day, nation, working) -> None:
    assert is_working_day(day, nation) is working


def test_next_working_day_skips_weekends_and_holidays() -> None:
    # Christmas 2026 is a Friday: Boxing Day observed on Monday 28th.
    assert next_working_day(date(2026, 12, 25), Nation.ENGLAND) == date(2026, 12, 29)
    assert next_working_day(date(2026, 11, 23)) == date(2026, 11, 23)


def test_first_working_day_of_month() -> None:
    assert first_working_day_of_month(2026, 11) == date(2026, 11, 2)  # 1 Nov is a Sunday
    assert first_working_day_of_month(2027, 1, Nation.SCOTLAND) == date(2027, 1, 5)


def test_bank_holiday_names_are_available_for_messages() -> None:
    assert bank_holiday_name(date(2026, 11, 30), Nation.SCOTLAND) == "Saint Andrew's Day"
    assert bank_holiday_name(date(2026, 11, 24), Nation.SCOTLAND) is None
