"""Help that comes with Universal Credit, what it is worth, and when a job loses it.

Values (calculator/parameters/passported_help, each cited there): NHS prescriptions in England
£9.90 an item, a 12-month prepayment certificate £114.50 (£9.54 a month); NHS dental Band 1
£27.40 and Band 2 £75.30 (from 1 April 2025); free school meals about £500 a year a child (DfE,
written answer of 21 July 2025); a broadband social tariff saves about £144 a year (Ofcom,
February 2022); the Warm Home Discount is £150 a winter. Limits: NHSBSA, free prescriptions
with UC up to £435 take-home pay in the assessment period, £935 with a child element or LCW.
"""

from __future__ import annotations

import pytest

from calculator.engine import calculate

from .build import request, warning_keys

SOCIAL_RENT = {"tenure": "social_rent", "rent_monthly": 500}
PARENT = {
    "claimant": {"age": 35},
    "children": [{"age": 7}, {"age": 10}],
    "housing": SOCIAL_RENT,
}
WELL_PAID = {"hours_per_week": 37.5, "hourly_wage": 30, "pension": "opt_out"}


def lost(result: object) -> dict[str, float | None]:
    return {help.key: help.monthly_value for help in result.help_lost_in_work}  # type: ignore[attr-defined]


def test_a_job_that_ends_universal_credit_loses_each_help_with_its_value() -> None:
    result = calculate(request(PARENT, WELL_PAID))
    assert result.lines and not any(
        line.key == "universal_credit" and line.in_work_monthly for line in result.lines
    )
    assert lost(result) == {
        "free_prescriptions": 9.54,  # £114.50 / 12
        "free_dental_treatment": None,  # a charge per course, not a monthly amount
        "free_school_meals": 83.33,  # 2 children × £500 / 12
        "social_tariff": 12.0,  # £144 / 12
        "warm_home_discount": 12.5,  # £150 / 12
    }
    assert {"free_prescriptions", "free_school_meals", "warm_home_discount"} <= warning_keys(result)
    message = next(w.message for w in result.warnings if w.key == "free_dental_treatment")
    assert "£27.40" in message and "£75.30" in message


def test_keeping_universal_credit_above_the_nhs_limit_loses_only_health_costs() -> None:
    # 30 hours at £12.71: about £1,500 take-home a month, over the £935 limit with children,
    # and UC carries on.
    result = calculate(request(PARENT, {"hours_per_week": 30, "pension": "opt_out"}))
    assert set(lost(result)) == {"free_prescriptions", "free_dental_treatment"}
    assert "£935.00" in next(h.detail for h in result.help_lost_in_work if h.key == "free_prescriptions")


def test_a_small_job_under_the_limit_loses_nothing() -> None:
    result = calculate(request(PARENT, {"hours_per_week": 8, "pension": "opt_out"}))
    assert lost(result) == {}


def test_in_scotland_health_costs_and_school_meals_are_not_lost_through_universal_credit() -> None:
    # Prescriptions are free in Scotland for everyone; school meals there are not tied to UC here.
    result = calculate(request({**PARENT, "nation": "scotland"}, WELL_PAID))
    assert set(lost(result)) == {"social_tariff", "warm_home_discount"}


def test_nothing_is_lost_without_universal_credit_now() -> None:
    owner = {"claimant": {"age": 40}, "capital": 20_000}  # savings over £16,000: no UC now
    assert lost(calculate(request(owner, WELL_PAID))) == {}


def test_the_budget_says_what_the_help_lost_is_worth_and_leaves_the_rest_alone() -> None:
    budget = {"energy_monthly": 120, "food_and_other_monthly": 400}
    with_budget = calculate(request({**PARENT, "budget": budget}, WELL_PAID))
    without = calculate(request(PARENT, WELL_PAID))
    assert with_budget.budget is not None
    assert with_budget.budget.help_lost_monthly == pytest.approx(9.54 + 83.33 + 12.0 + 12.5)
    assert with_budget.lines == without.lines and with_budget.help_lost_in_work == without.help_lost_in_work


def test_prescriptions_already_paid_for_now_are_not_counted_as_lost() -> None:
    # Working 30 hours now: over the £935 limit already, so more hours lose nothing new.
    job_now = {"hours_per_week": 30, "hourly_wage": 12.71, "pension": "opt_out"}
    working = {**PARENT, "claimant": {"age": 35, "job": job_now}}
    result = calculate(request(working, {"hours_per_week": 35, "pension": "opt_out"}))
    assert result.help_lost_in_work == [] or "free_prescriptions" not in lost(result)
    assert "free_prescriptions" not in warning_keys(result)
