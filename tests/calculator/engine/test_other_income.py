"""New Style ESA and JSA, Carer's Allowance, PIP, Child Benefit, SCP and the council tax estimate.

Rates: DWP "Benefit and pension rates 2026 to 2027"; ESA permitted work: ESA Regulations
2013 reg 39 (under 16 hours, up to £203.50 a week); Carer's Allowance earnings limit £204
(ICA Regulations 1976 reg 8); HICBC: ITEPA 2003 s.681C (1% per £200 over £60,000).
"""

import pytest

from calculator.engine import calculate

from .build import line, request, warning_keys

WEEKS = 52 / 12


def test_esa_kept_in_permitted_work_and_lost_at_16_hours_or_over_the_limit() -> None:
    household = {"claimant": {"age": 30, "lcwra": True, "new_style_esa": "support_group"}}
    kept = calculate(request(household, {"hours_per_week": 15}))  # 15 x 12.71 = £190.65 a week
    esa = line(kept, "new_style_esa")
    assert esa.now_monthly == esa.in_work_monthly == pytest.approx((95.55 + 50.35) * WEEKS, abs=0.01)
    assert "permitted_work_limit" not in warning_keys(kept)
    at_16 = calculate(request(household, {"hours_per_week": 16}))
    assert line(at_16, "new_style_esa").in_work_monthly == 0
    assert "permitted_work_limit" in warning_keys(at_16)
    over_limit = calculate(request(household, {"hours_per_week": 15, "hourly_wage": 14}))  # £210 a week
    assert line(over_limit, "new_style_esa").in_work_monthly == 0


def test_esa_assessment_phase_rate_by_age_and_it_reduces_uc() -> None:
    young = calculate(
        request({"claimant": {"age": 22, "new_style_esa": "assessment_phase"}}, {"hours_per_week": 0})
    )
    assert line(young, "new_style_esa").now_monthly == pytest.approx(75.65 * WEEKS, abs=0.01)
    assert line(young, "universal_credit.unearned_income_deduction").now_monthly == pytest.approx(
        -75.65 * WEEKS, abs=0.01
    )


def test_jsa_stops_at_16_hours_and_is_reduced_by_earnings_over_5_pounds() -> None:
    household = {"claimant": {"age": 30, "new_style_jsa": True}}
    few_hours = calculate(request(household, {"hours_per_week": 4, "hourly_wage": 12.71}))
    # 4 x 12.71 = 50.84 a week: JSA 95.55 - (50.84 - 5) = 49.71 a week
    assert line(few_hours, "new_style_jsa").in_work_monthly == pytest.approx(49.71 * WEEKS, abs=0.02)
    full = calculate(request(household, {"hours_per_week": 16}))
    assert line(full, "new_style_jsa").in_work_monthly == 0
    assert "jsa_stops" in warning_keys(full)


def test_carers_allowance_earnings_limit() -> None:
    carer = {"claimant": {"age": 45, "cares_35_hours": True, "carers_allowance": True}}
    under = calculate(request(carer, {"hours_per_week": 16, "pension": "opt_out"}))  # £203.36 a week
    assert line(under, "carers_allowance").in_work_monthly == pytest.approx(86.45 * WEEKS, abs=0.01)
    over = calculate(request(carer, {"hours_per_week": 17, "pension": "opt_out"}))  # £216.07 a week
    assert line(over, "carers_allowance").in_work_monthly == 0
    assert "carers_allowance_limit" in warning_keys(over)
    # The UC carer element carries on either way.
    assert line(over, "universal_credit.carer_element").in_work_monthly == 209.34


def test_pip_is_unaffected_by_work_and_ignored_by_uc() -> None:
    household = {"claimant": {"age": 30, "pip_daily_living": "enhanced", "pip_mobility": "standard"}}
    result = calculate(request(household, {"hours_per_week": 30}))
    pip = line(result, "pip")
    assert pip.now_monthly == pip.in_work_monthly == pytest.approx((114.60 + 30.30) * WEEKS, abs=0.01)
    assert line(result, "universal_credit.unearned_income_deduction").now_monthly == 0


def test_child_benefit_and_the_high_income_charge() -> None:
    children = [{"age": 7}, {"age": 3}]
    result = calculate(request({"children": children}, {"hours_per_week": 0}))
    assert line(result, "child_benefit").now_monthly == pytest.approx((27.05 + 17.90) * WEEKS, abs=0.01)
    # 40 h x £34 x 52 = £70,720 a year: 1% for each full £200 over £60,000 is 53%.
    high = calculate(
        request({"children": children}, {"hours_per_week": 40, "hourly_wage": 34, "pension": "opt_out"})
    )
    charge = line(high, "high_income_child_benefit_charge").in_work_monthly
    assert charge == pytest.approx(-0.53 * (27.05 + 17.90) * WEEKS, abs=0.02)


def test_scottish_child_payment_only_in_scotland_and_only_with_uc() -> None:
    children = [{"age": 7}, {"age": 3}, {"age": 16}]
    scotland = calculate(request({"nation": "scotland", "children": children}, {"hours_per_week": 0}))
    assert line(scotland, "scottish_child_payment").now_monthly == pytest.approx(2 * 28.20 * WEEKS, abs=0.01)
    england = calculate(request({"children": children}, {"hours_per_week": 0}))
    assert line(england, "scottish_child_payment").now_monthly == 0
    rich = calculate(
        request({"nation": "scotland", "children": children}, {"hours_per_week": 40, "hourly_wage": 40})
    )
    assert line(rich, "scottish_child_payment").in_work_monthly == 0
    assert "scottish_child_payment_ends" in warning_keys(rich)


def test_council_tax_reduction_is_an_estimate_from_the_schemes_settings() -> None:
    council = {"charge_monthly": 150, "maximum_reduction": 0.8, "taper": 0.1, "earnings_disregard_weekly": 25}
    result = calculate(request({"council_tax": council}, {"pension": "opt_out"}))
    ctr = line(result, "council_tax_reduction")
    assert ctr.estimate
    assert ctr.now_monthly == 120.00
    # 881.23 a month take-home = 203.36 a week; less 10% of (203.36 - 25) a week, monthly
    assert ctr.in_work_monthly == pytest.approx(120 - 0.1 * (203.36 - 25) * WEEKS, abs=0.02)


def test_scottish_income_tax_for_a_scottish_household() -> None:
    job = {"hours_per_week": 37.5, "hourly_wage": 30_000 / 52 / 37.5, "pension": "opt_out"}
    scotland = calculate(request({"nation": "scotland"}, job))
    england = calculate(request({}, job))
    assert line(scotland, "income_tax").in_work_monthly == pytest.approx(-3451.07 / 12, abs=0.01)
    assert line(england, "income_tax").in_work_monthly == pytest.approx(-3486.00 / 12, abs=0.01)
