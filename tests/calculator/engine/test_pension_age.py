"""State Pension age from the date of birth, and what the engine does with it.

Worked examples from the table in the Pensions Act 1995, Schedule 4, Part 1, as amended by
the Pensions Act 2014, section 26 (https://www.legislation.gov.uk/ukpga/2014/19/section/26):
born 6 April 1960 to 5 May 1960, 66 years and 1 month; ... born 6 February to 5 March 1961,
66 years and 11 months; born 6 March 1961 to 5 April 1977, 67. Everyone born from 6 October
1954 to 5 April 1960 reaches it at 66 (Pensions Act 2011, section 1).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from calculator.engine import calculate
from calculator.engine.pension_age import age_on, pension_date, reached_by_age, reached_by_birth_date
from calculator.engine.rules import rules_for

from .build import ON, line, request, warning_keys

TABLE = rules_for("2026-27").state_pension_ages


@pytest.mark.parametrize(
    ("born", "reaches"),
    [
        (date(1960, 4, 5), date(2026, 4, 5)),  # 66
        (date(1960, 4, 6), date(2026, 5, 6)),  # 66 and 1 month
        (date(1960, 5, 5), date(2026, 6, 5)),  # 66 and 1 month, the last day of the row
        (date(1960, 10, 6), date(2027, 5, 6)),  # 66 and 7 months
        (date(1960, 7, 31), date(2026, 11, 30)),  # 66 and 4 months: November has no 31st
        (date(1961, 3, 5), date(2028, 2, 5)),  # 66 and 11 months
        (date(1961, 3, 6), date(2028, 3, 6)),  # 67
        (date(1977, 4, 5), date(2044, 4, 5)),  # 67, the last row
    ],
)
def test_state_pension_date_from_the_schedule(born: date, reaches: date) -> None:
    assert pension_date(TABLE, born) == reaches


def test_someone_born_before_the_table_reached_it_before_it() -> None:
    assert pension_date(TABLE, date(1950, 1, 1)) is None
    assert reached_by_birth_date(TABLE, date(1950, 1, 1), ON)


def test_age_alone_decides_except_around_66_and_67() -> None:
    assert reached_by_age(TABLE, 65, ON) is False
    assert reached_by_age(TABLE, 68, ON) is True
    # On 22 November 2026 a 66-year-old was born between November 1959 and November 1960:
    # before 6 April 1960 they reached it at 66, after it not until 2027.
    assert reached_by_age(TABLE, 66, ON) is None
    # A 67-year-old was born November 1958 to November 1959: all reached it at 66.
    assert reached_by_age(TABLE, 67, ON) is True


@given(st.dates(date(1940, 1, 1), date(1990, 12, 31)), st.dates(date(2026, 4, 6), date(2027, 4, 5)))
def test_age_alone_never_contradicts_the_date_of_birth(born: date, on: date) -> None:
    by_age = reached_by_age(TABLE, age_on(born, on), on)
    if by_age is not None:
        assert by_age == reached_by_birth_date(TABLE, born, on)


@given(st.dates(date(1954, 10, 6), date(1977, 4, 5)), st.dates(date(1954, 10, 6), date(1977, 4, 5)))
def test_a_later_birthday_never_reaches_it_sooner(a: date, b: date) -> None:
    early, late = sorted((a, b))
    assert pension_date(TABLE, early) <= pension_date(TABLE, late)  # type: ignore[operator]


def test_ages_count_whole_years_and_leap_day_birthdays() -> None:
    assert age_on(date(1960, 11, 22), ON) == 66
    assert age_on(date(1960, 11, 23), ON) == 65
    assert age_on(date(1960, 2, 29), date(2027, 2, 28)) == 66
    assert age_on(date(1960, 2, 29), date(2027, 3, 1)) == 67


def test_single_66_year_old_born_after_april_1960_still_gets_universal_credit() -> None:
    born_october = calculate(request({"claimant": {"date_of_birth": "1960-10-10"}}))
    born_march = calculate(request({"claimant": {"date_of_birth": "1960-03-10"}}))
    assert line(born_october, "universal_credit").now_monthly > 0
    assert line(born_march, "universal_credit").now_monthly == 0
    assert "universal_credit_not_covered" in warning_keys(born_march)


def test_a_mixed_age_couple_keeps_universal_credit_until_both_reach_it() -> None:
    mixed = calculate(request({
        "claimant": {"date_of_birth": "1958-01-01"},
        "couple": True,
        "partner": {"age": 40},
    }))
    both = calculate(request({
        "claimant": {"date_of_birth": "1958-01-01"},
        "couple": True,
        "partner": {"date_of_birth": "1960-01-02"},
    }))
    assert line(mixed, "universal_credit").now_monthly > 0
    assert line(both, "universal_credit").now_monthly == 0


def _refused(household: dict) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        request(household)
    return [(".".join(map(str, e["loc"])), e["msg"]) for e in caught.value.errors()]


def test_a_66_year_old_without_a_date_of_birth_is_asked_for_it() -> None:
    [(_, message)] = _refused({"claimant": {"age": 66}})
    assert "household.claimant.date_of_birth: give the date of birth: at 66" in message
    assert "rises from 66 to 67 for people born from 6 April 1960" in message
    [(_, partner)] = _refused({"couple": True, "partner": {"age": 66}})
    assert "household.partner.date_of_birth: give the date of birth" in partner


def test_a_date_of_birth_must_fit_the_age_and_the_date() -> None:
    [(_, wrong_age)] = _refused({"claimant": {"age": 40, "date_of_birth": "1960-10-10"}})
    assert "household.claimant.age: the date of birth gives a different age on 2026-11-22" in wrong_age
    assert "1960" not in wrong_age  # the date of birth is never echoed
    future = _refused({"claimant": {"age": 30, "date_of_birth": "2030-01-01"}})
    assert any("cannot be after the calculation date" in message for _, message in future)
    given_alone = request({"claimant": {"date_of_birth": "1960-10-10"}})
    assert given_alone.household.claimant.age == 66


def test_no_employee_national_insurance_past_state_pension_age() -> None:
    # SSCBA 1992 s.6(3): no primary Class 1 contributions on earnings paid after pensionable age.
    job = {"hours_per_week": 30, "hourly_wage": 14}
    past = calculate(request({"claimant": {"date_of_birth": "1958-05-01"}}, job))
    before = calculate(request({"claimant": {"date_of_birth": "1960-10-10"}}, job))
    assert line(past, "national_insurance").in_work_monthly == 0
    assert line(before, "national_insurance").in_work_monthly < 0
