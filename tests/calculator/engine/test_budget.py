"""The budget: what is left after the bills, now and in work; it never changes a benefit figure."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator.engine import calculate

from .build import line, request

HOUSEHOLD: dict[str, Any] = {
    "claimant": {"age": 34, "lcwra": True},
    "housing": {"tenure": "social_rent", "rent_monthly": 450, "service_charges_monthly": 20},
    "council_tax": {"charge_monthly": 120},
}
BUDGET = {
    "energy_monthly": 110,
    "water_monthly": 40,
    "phone_and_broadband_monthly": 35,
    "travel_monthly": 20,
    "food_and_other_monthly": 300,
    "debt_repayments_monthly": 25,
    "universal_credit_deductions_monthly": 60,
}


def test_money_left_after_the_bills_now_and_in_work() -> None:
    result = calculate(request({**HOUSEHOLD, "budget": BUDGET}))
    budget = result.budget
    assert budget is not None
    # Rent £450 + service £20 + council tax £120 + £530 of bills.
    assert budget.spending == 1120.00
    assert budget.universal_credit_deductions_now == 60.00
    assert budget.left_now == pytest.approx(result.now.monthly - 1120 - 60, abs=0.005)
    assert budget.left_in_work == pytest.approx(result.in_work.monthly - 1120 - 60, abs=0.005)
    assert budget.change == pytest.approx(result.better_off.monthly, abs=0.01)


def test_deductions_from_universal_credit_stop_when_it_does() -> None:
    job = {"hours_per_week": 37.5, "hourly_wage": 25}
    result = calculate(request({**HOUSEHOLD, "budget": BUDGET}, job))
    assert line(result, "universal_credit").in_work_monthly == 0
    assert result.budget is not None and result.budget.universal_credit_deductions_in_work == 0


money = st.floats(0, 2000, allow_nan=False).map(lambda x: round(x, 2))


@settings(max_examples=40, deadline=None)
@given(st.fixed_dictionaries({key: money for key in BUDGET}), st.sampled_from([0, 8, 16, 30, 37.5]))
def test_a_budget_never_changes_the_benefit_figures(budget: dict[str, float], hours: float) -> None:
    job = {"hours_per_week": hours}
    without = calculate(request(HOUSEHOLD, job))
    with_budget = calculate(request({**HOUSEHOLD, "budget": budget}, job))
    assert with_budget.budget is not None and without.budget is None
    assert replace(with_budget, budget=None) == without
