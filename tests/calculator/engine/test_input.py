"""Bad input is refused with the field and the rule named, before any rule runs."""

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from calculator.engine import BetterOffRequest

from .build import ON

GOOD: dict[str, Any] = {
    "household": {"claimant": {"age": 30}},
    "job": {"hours_per_week": 16, "hourly_wage": 12.71},
    "calculation_date": ON.isoformat(),
}


def errors(changes: dict[str, Any]) -> list[tuple[str, str]]:
    body = _merge(GOOD, changes)
    with pytest.raises(ValidationError) as caught:
        BetterOffRequest.model_validate(body)
    return [(".".join(str(part) for part in e["loc"]), e["msg"]) for e in caught.value.errors()]


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        out[key] = (
            _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
        )
    return out


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"job": {"hours_per_week": 120}}, "job.hours_per_week", "less than or equal to 100"),
        ({"job": {"hours_per_week": -1}}, "job.hours_per_week", "greater than or equal to 0"),
        ({"job": {"hourly_wage": 501}}, "job.hourly_wage", "less than or equal to 500"),
        ({"household": {"claimant": {"age": 15}}}, "household.claimant.age", "greater than or equal to 16"),
        ({"household": {"claimant": {"age": 121}}}, "household.claimant.age", "less than or equal to 120"),
        ({"household": {"capital": -5}}, "household.capital", "greater than or equal to 0"),
        ({"household": {"children": [{"age": 1}] * 13}}, "household.children", "at most 12"),
        ({"household": {"nation": "narnia"}}, "household.nation", "'england', 'scotland' or 'wales'"),
        (
            {"household": {"nation": "northern_ireland"}},
            "household.nation",
            "Northern Ireland is not covered: its own Universal Credit rules and mitigation payments, "
            "and rates instead of council tax",
        ),
        ({"household": {"nation": "Northern Ireland"}}, "household.nation", "Northern Ireland is not"),
        ({"job": {"pay_frequency": "daily"}}, "job.pay_frequency", "weekly"),
        (
            {"household": {"claimant": {"age": 30, "nhs_number": "x"}}},
            "household.claimant.nhs_number",
            "Extra inputs are not permitted",
        ),
    ],
)
def test_bounds_name_the_field(changes: dict[str, Any], field: str, words: str) -> None:
    found = errors(changes)
    assert any(loc == field and words in msg for loc, msg in found), found


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"household": {"couple": True}}, "partner: a couple needs the partner's details"),
        ({"household": {"partner": {"age": 30}}}, "couple: partner details were given"),
        (
            {"household": {"children": [{"age": 3, "born_before_6_april_2017": True}]}},
            "children.0.born_before_6_april_2017: a child aged 3",
        ),
        (
            {"household": {"children": [{"age": 12, "born_before_6_april_2017": False}]}},
            "cannot have been born on or after 6 April 2017",
        ),
        (
            {"household": {"children": [{"age": 9}]}},
            "say whether this 9-year-old was born before 6 April 2017",
        ),
        (
            {"household": {"claimant": {"age": 30, "lcw": True, "lcwra": True}}},
            "lcwra: choose LCW or LCWRA, not both",
        ),
        (
            {"household": {"claimant": {"age": 30, "carers_allowance": True}}},
            "carers_allowance: Carer's Allowance needs",
        ),
        (
            {"household": {"housing": {"tenure": "private_rent", "rent_monthly": 700}}},
            "local_housing_allowance_monthly: private renters need",
        ),
        (
            {"household": {"housing": {"tenure": "owner", "rent_monthly": 700}}},
            "rent_monthly: rent is only counted",
        ),
        (
            {
                "household": {
                    "housing": {
                        "tenure": "private_rent",
                        "local_housing_allowance_monthly": 700,
                        "spare_bedrooms": 1,
                    }
                }
            },
            "spare_bedrooms: the size criteria",
        ),
        ({"job": {"who": "partner"}}, "job.who: the job is for the partner, but there is no partner"),
    ],
)
def test_impossible_combinations_are_refused_with_the_rule(changes: dict[str, Any], words: str) -> None:
    found = errors(changes)
    assert any(words in msg for _, msg in found), found


def test_a_nine_year_old_is_fine_once_the_advisor_says() -> None:
    body = _merge(GOOD, {"household": {"children": [{"age": 9, "born_before_6_april_2017": True}]}})
    assert BetterOffRequest.model_validate(body).household.children[0].age == 9


def test_the_engine_takes_today_from_the_caller_and_never_reads_the_clock() -> None:
    body = {key: value for key, value in GOOD.items() if key != "calculation_date"}
    with pytest.raises(ValidationError, match="calculation_date: give the date to calculate on"):
        BetterOffRequest.model_validate(body)
    given = BetterOffRequest.model_validate(body, context={"today": date(2026, 5, 1)})
    assert given.calculation_date == given.on == date(2026, 5, 1)
    # A date in the request wins over the caller's today.
    assert BetterOffRequest.model_validate(GOOD, context={"today": date(2026, 5, 1)}).on == ON
