"""Universal Credit worked examples, monthly, 2026/27 (UC Regulations 2013 and the 2026-27
amounts in calculator/parameters/: DWP "Benefit and pension rates 2026 to 2027")."""

import pytest

from calculator.engine import calculate

from .build import line, request, warning_keys

NOTHING = {"hours_per_week": 0}


def uc_now(household: dict) -> float:
    return line(calculate(request(household, NOTHING)), "universal_credit").now_monthly


def test_single_25_or_over_with_lcwra_and_social_rent_out_of_work() -> None:
    result = calculate(
        request(
            {
                "claimant": {"age": 30, "lcwra": True},
                "housing": {"tenure": "social_rent", "rent_monthly": 450},
            },
            NOTHING,
        )
    )
    # 424.90 standard + 429.80 protected LCWRA + 450 rent
    assert line(result, "universal_credit").now_monthly == 1304.70
    assert line(result, "universal_credit.lcwra_element").now_monthly == 429.80


def test_new_claim_lcwra_rate_is_the_lower_amount() -> None:
    result = calculate(request({"claimant": {"age": 30, "lcwra": True, "lcwra_rate": "new_claim"}}, NOTHING))
    assert line(result, "universal_credit.lcwra_element").now_monthly == 217.26
    assert line(result, "universal_credit").now_monthly == pytest.approx(424.90 + 217.26)


def test_under_25_and_couple_standard_allowances() -> None:
    assert uc_now({"claimant": {"age": 22}}) == 338.58
    assert uc_now({"claimant": {"age": 22}, "couple": True, "partner": {"age": 23}}) == 528.34
    assert uc_now({"claimant": {"age": 22}, "couple": True, "partner": {"age": 40}}) == 666.97


def test_work_allowance_and_taper_on_take_home_pay() -> None:
    # 16 h x £12.71 monthly = 881.23 gross; under the NI threshold and personal allowance.
    # LCWRA + housing: lower work allowance £427; 55% of (881.23 - 14.47 pension - 427).
    result = calculate(
        request(
            {
                "claimant": {"age": 30, "lcwra": True},
                "housing": {"tenure": "social_rent", "rent_monthly": 450},
            }
        )
    )
    pension = line(result, "pension").in_work_monthly
    assert pension == pytest.approx(-0.8 * 0.05 * (881.23 - 520), abs=0.01)
    take_home = 881.23 + pension
    assert line(result, "universal_credit.earnings_deduction").in_work_monthly == pytest.approx(
        -0.55 * (take_home - 427), abs=0.01
    )
    # Without housing costs the higher work allowance (£710) applies.
    result = calculate(request({"claimant": {"age": 30, "lcwra": True}}))
    assert line(result, "universal_credit.earnings_deduction").in_work_monthly == pytest.approx(
        -0.55 * (take_home - 710), abs=0.01
    )


def test_no_work_allowance_without_children_or_lcw() -> None:
    result = calculate(request({"claimant": {"age": 30}}, {"pension": "opt_out"}))
    assert line(result, "universal_credit.earnings_deduction").in_work_monthly == pytest.approx(
        -0.55 * 881.23, abs=0.01
    )
    # 424.90 - 484.68 is below nothing: no award, never negative.
    assert line(result, "universal_credit").in_work_monthly == 0


def test_child_elements_without_the_two_child_limit() -> None:
    three = [{"age": 12}, {"age": 6}, {"age": 1}]
    # Eldest born before 6 April 2017 gets the higher first-child rate; the third child counts too.
    assert uc_now({"children": three}) == pytest.approx(424.90 + 351.88 + 2 * 303.94)
    younger = [{"age": 6}, {"age": 1}]
    assert uc_now({"children": younger}) == pytest.approx(424.90 + 2 * 303.94)


def test_disabled_child_additions() -> None:
    children = [{"age": 6, "disability": "lower"}, {"age": 4, "disability": "higher"}]
    result = calculate(request({"children": children}, NOTHING))
    assert line(result, "universal_credit.disabled_child_addition").now_monthly == pytest.approx(
        164.79 + 514.71
    )


def test_carer_element_but_not_with_lcwra_for_the_same_person() -> None:
    assert uc_now({"claimant": {"age": 30, "cares_35_hours": True}}) == pytest.approx(424.90 + 209.34)
    assert uc_now({"claimant": {"age": 30, "cares_35_hours": True, "lcwra": True}}) == pytest.approx(
        424.90 + 429.80
    )


def test_private_rent_is_capped_at_the_lha_rate_and_non_dependants_deducted() -> None:
    housing = {
        "tenure": "private_rent",
        "rent_monthly": 900,
        "local_housing_allowance_monthly": 775,
        "non_dependants": 1,
    }
    result = calculate(request({"claimant": {"age": 40, "lcwra": True}, "housing": housing}, NOTHING))
    assert line(result, "universal_credit.housing_costs_element").now_monthly == pytest.approx(775 - 96.55)


def test_social_sector_size_criteria() -> None:
    one = {"tenure": "social_rent", "rent_monthly": 500, "service_charges_monthly": 20, "spare_bedrooms": 1}
    two = {**one, "spare_bedrooms": 2}
    res = calculate(request({"claimant": {"age": 40, "lcwra": True}, "housing": one}, NOTHING))
    assert line(res, "universal_credit.housing_costs_element").now_monthly == pytest.approx(520 * 0.86)
    res = calculate(request({"claimant": {"age": 40, "lcwra": True}, "housing": two}, NOTHING))
    assert line(res, "universal_credit.housing_costs_element").now_monthly == pytest.approx(520 * 0.75)


def test_childcare_costs_element_needs_work_and_is_capped() -> None:
    household = {"children": [{"age": 3}]}
    result = calculate(request(household, {"childcare_costs_monthly": 600}))
    assert line(result, "universal_credit.childcare_costs_element").in_work_monthly == pytest.approx(510.00)
    assert line(result, "universal_credit.childcare_costs_element").now_monthly == 0
    capped = calculate(request(household, {"childcare_costs_monthly": 2000}))
    assert line(capped, "universal_credit.childcare_costs_element").in_work_monthly == 1071.09
    # A couple where the partner neither works nor is unable to care: no childcare element.
    couple = {**household, "couple": True, "partner": {"age": 30}}
    none = calculate(request(couple, {"childcare_costs_monthly": 600}))
    assert line(none, "universal_credit.childcare_costs_element").in_work_monthly == 0


def test_capital_tariff_income_and_upper_limit() -> None:
    # £10,000: (10,000 - 6,000) / 250 = 16 steps of £4.35
    result = calculate(request({"capital": 10_000}, NOTHING))
    assert line(result, "universal_credit.unearned_income_deduction").now_monthly == pytest.approx(-69.60)
    # £6,001 is one part-step: £4.35
    result = calculate(request({"capital": 6_001}, NOTHING))
    assert line(result, "universal_credit.unearned_income_deduction").now_monthly == pytest.approx(-4.35)
    assert uc_now({"capital": 16_000.01}) == 0


def test_unearned_income_comes_off_pound_for_pound() -> None:
    result = calculate(request({"claimant": {"age": 30, "pension_income_monthly": 100}}, NOTHING))
    assert line(result, "universal_credit").now_monthly == pytest.approx(324.90)


def test_benefit_cap_applies_out_of_work_and_lifts_with_earnings() -> None:
    housing = {"tenure": "private_rent", "rent_monthly": 1200, "local_housing_allowance_monthly": 1200}
    household = {"claimant": {"age": 30}, "housing": housing}
    out_of_work = calculate(request(household, NOTHING))
    # 424.90 + 1200 = 1624.90 against the single cap of 1229.42
    assert line(out_of_work, "universal_credit.benefit_cap_reduction").now_monthly == pytest.approx(-395.48)
    assert line(out_of_work, "universal_credit").now_monthly == 1229.42
    # 16 hours at NLW take-home (opted out of pension) = 881.23, the earnings exception.
    in_work = calculate(request(household, {"pension": "opt_out"}))
    assert line(in_work, "universal_credit.benefit_cap_reduction").in_work_monthly == 0
    assert "benefit_cap_ends" in warning_keys(in_work)


def test_benefit_cap_counts_child_benefit_and_spares_pip() -> None:
    housing = {"tenure": "private_rent", "rent_monthly": 1300, "local_housing_allowance_monthly": 1300}
    children = [{"age": 12}, {"age": 8}, {"age": 5}]
    capped = calculate(request({"housing": housing, "children": children}, NOTHING))
    uc = line(capped, "universal_credit").now_monthly
    cb = line(capped, "child_benefit").now_monthly
    assert uc + cb == pytest.approx(1835.00, abs=0.01)
    exempt = calculate(
        request(
            {
                "claimant": {"age": 30, "pip_daily_living": "standard"},
                "housing": housing,
                "children": children,
            },
            NOTHING,
        )
    )
    assert line(exempt, "universal_credit.benefit_cap_reduction").now_monthly == 0


def test_minimum_award_and_never_negative() -> None:
    result = calculate(request({}, {"hours_per_week": 40, "hourly_wage": 20}))
    assert line(result, "universal_credit").in_work_monthly == 0
    assert all(
        item.in_work_monthly >= 0
        for item in result.lines
        if item.part_of == "universal_credit" and item.key.endswith(("element", "allowance"))
    )
