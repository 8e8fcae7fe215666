"""The whole answer: lines add up, better-off figures, warnings, assessment periods, sweep."""

from dataclasses import fields
from datetime import date

import pytest

from calculator.engine import calculate, sweep
from calculator.engine.lines import LINE_KEYS
from calculator.engine.lines import amounts as _amounts
from calculator.engine.scenario import Money
from calculator.engine.universal_credit import UcAward

from .build import line, request, sweep_request, warning_keys

WEEKS = 52 / 12


def test_main_lines_add_up_to_net_income_and_uc_parts_to_uc() -> None:
    result = calculate(
        request(
            {
                "claimant": {"age": 30, "lcwra": True},
                "children": [{"age": 4}],
                "housing": {"tenure": "social_rent", "rent_monthly": 500},
            },
            {"childcare_costs_monthly": 300, "travel_costs_weekly": 10},
        )
    )
    main = [item for item in result.lines if item.part_of is None]
    parts = [item for item in result.lines if item.part_of == "universal_credit"]
    keys = [item.key for item in result.lines]
    assert keys == [key for key in LINE_KEYS if key in keys]  # in the stable order
    assert {"earnings", "income_tax", "universal_credit", "universal_credit.childcare_costs_element"} <= set(
        keys
    )
    assert "scottish_child_payment" not in keys  # nothing either way in England: not shown
    assert sum(item.now_monthly for item in main) == pytest.approx(result.now.monthly, abs=0.02)
    assert sum(item.in_work_monthly for item in main) == pytest.approx(result.in_work.monthly, abs=0.02)
    uc = line(result, "universal_credit")
    assert sum(item.in_work_monthly for item in parts) == pytest.approx(uc.in_work_monthly, abs=0.02)
    assert line(result, "work_costs").in_work_monthly == pytest.approx(-(300 + 10 * WEEKS), abs=0.01)
    assert all(item.explanation.endswith(".") and item.label for item in result.lines)


def test_better_off_per_week_month_and_extra_hour() -> None:
    result = calculate(request({"claimant": {"age": 30, "lcwra": True}}, {"hours_per_week": 16}))
    difference = result.in_work.monthly - result.now.monthly
    assert result.better_off.monthly == pytest.approx(difference, abs=0.01)
    assert result.better_off.weekly == pytest.approx(difference / WEEKS, abs=0.01)
    assert result.better_off.per_extra_hour == pytest.approx(difference / WEEKS / 16, abs=0.01)
    assert result.better_off.better_off


def test_per_extra_hour_counts_only_the_hours_added_to_a_current_job() -> None:
    household = {"claimant": {"age": 30, "job": {"hours_per_week": 10, "hourly_wage": 12.71}}}
    result = calculate(request(household, {"hours_per_week": 20}))
    assert result.better_off.per_extra_hour == pytest.approx(result.better_off.weekly / 10, abs=0.01)


def test_a_vanishingly_small_job_has_no_per_extra_hour_figure() -> None:
    # Found by schemathesis: 5e-324 hours passes validation, and fares to work made the
    # weekly difference divided by it overflow.
    result = calculate(request(job={"hours_per_week": 5e-324, "travel_costs_weekly": 10}))
    assert result.better_off.per_extra_hour is None
    assert result.better_off.weekly == pytest.approx(-10, abs=0.01)


def test_the_job_can_be_the_partners() -> None:
    household = {"couple": True, "partner": {"age": 35}}
    result = calculate(request(household, {"who": "partner", "hours_per_week": 30}))
    assert line(result, "earnings").in_work_monthly == pytest.approx(30 * 12.71 * WEEKS, abs=0.01)


def test_below_minimum_wage_is_warned_by_age_band() -> None:
    adult = calculate(request({}, {"hourly_wage": 11}))
    assert "below_minimum_wage" in warning_keys(adult)
    # £11 is above the 18-20 rate (£10.85) for a 19-year-old.
    young = calculate(request({"claimant": {"age": 19}}, {"hourly_wage": 11}))
    assert "below_minimum_wage" not in warning_keys(young)
    apprentice = calculate(request({}, {"hourly_wage": 8.5, "apprentice": True}))
    assert "below_minimum_wage" not in warning_keys(apprentice)


def test_lcwra_earnings_threshold_and_free_prescriptions_warnings() -> None:
    household = {"claimant": {"age": 30, "lcwra": True}}
    low = calculate(request(household, {"hours_per_week": 10}))
    assert "capability_earnings_threshold" not in warning_keys(low)
    high = calculate(request(household, {"hours_per_week": 20, "pension": "opt_out"}))
    assert "capability_earnings_threshold" in warning_keys(high)
    # £935 take-home limit with LCWRA: 20 h x 12.71 x 52/12 = £1,101.53
    assert "free_prescriptions" in warning_keys(high)
    assert "free_prescriptions" not in warning_keys(low)


def test_worse_off_is_said_plainly() -> None:
    # Savings over £16,000 mean no UC to make up the ESA lost at 16 hours; travel eats the rest.
    household = {"claimant": {"age": 30, "new_style_esa": "support_group", "lcwra": True}, "capital": 20_000}
    result = calculate(
        request(household, {"hours_per_week": 16, "hourly_wage": 12.71, "travel_costs_weekly": 60})
    )
    assert not result.better_off.better_off
    assert "worse_off" in warning_keys(result)


def test_weekly_pay_shows_the_months_with_five_paydays() -> None:
    result = calculate(
        request(
            {"claimant": {"age": 30, "lcwra": True}},
            {
                "pay_frequency": "weekly",
                "start_date": "2026-12-01",
                "first_payday": "2026-12-04",
                "assessment_period_start_day": 1,
            },
        )
    )
    periods = result.assessment_periods.periods
    assert len(periods) == 12
    assert periods[0].starts == date(2026, 12, 1) and periods[-1].ends == date(2027, 11, 30)
    # Paid on Fridays: January, April, July and October 2027 have five.
    five = [p.starts.month for p in periods if len(p.paydays) == 5]
    assert five == [1, 4, 7, 10]
    assert all(p.extra_payday == (len(p.paydays) == 5) for p in periods)
    normal = next(p for p in periods if not p.extra_payday)
    for p in periods:
        if p.extra_payday:
            assert p.universal_credit < normal.universal_credit
            assert p.universal_credit_lost_to_extra_payday == pytest.approx(
                normal.universal_credit - p.universal_credit, abs=0.01
            )
    summary = result.assessment_periods
    assert summary.lowest_net_income == min(p.net_income for p in periods)
    assert summary.average_net_income == pytest.approx(sum(p.net_income for p in periods) / 12, abs=0.01)
    assert "extra_paydays" in warning_keys(result)


def test_monthly_pay_first_period_before_the_first_payday() -> None:
    result = calculate(
        request(
            {"claimant": {"age": 30, "lcwra": True}},
            {"start_date": "2026-12-10", "assessment_period_start_day": 15},
        )
    )
    periods = result.assessment_periods.periods
    assert periods[0].starts == date(2026, 11, 15)
    assert periods[0].paydays == [] and periods[0].earnings == 0
    assert [len(p.paydays) for p in periods[1:]] == [1] * 11
    # More UC in the first period, but no pay yet: the lowest month is the first.
    assert periods[0].universal_credit > periods[1].universal_credit
    assert result.assessment_periods.lowest_period == 1


def test_pay_on_the_31st_stays_at_month_end() -> None:
    result = calculate(
        request(
            {}, {"start_date": "2027-01-01", "first_payday": "2027-01-31", "assessment_period_start_day": 1}
        )
    )
    paydays = [d for p in result.assessment_periods.periods for d in p.paydays]
    assert paydays[:3] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]


def test_sweep_points_marginal_rates_and_cliff_edges() -> None:
    household = {"claimant": {"age": 30, "new_style_esa": "support_group", "lcwra": True}}
    result = sweep(sweep_request(household, {"pension": "opt_out"}))
    assert [p.hours for p in result.points] == [i / 2 for i in range(81)]
    assert result.points[0].marginal_deduction_rate is None
    # Below the work allowance, with ESA kept, every extra pound is kept.
    assert result.points[4].marginal_deduction_rate == pytest.approx(0.0, abs=1e-4)
    # 15.5 hours is still permitted work (£197.01 a week); 16 hours is not.
    assert [(c.hours, c.key) for c in result.cliff_edges][:1] == [(16.0, "permitted_work_limit")]


def test_sweep_uc_taper_without_work_allowance_is_55_percent() -> None:
    result = sweep(
        sweep_request(
            {"claimant": {"age": 30}, "housing": {"tenure": "social_rent", "rent_monthly": 600}},
            {"pension": "opt_out"},
            maximum_hours=10,
            step=1,
        )
    )
    rates = [p.marginal_deduction_rate for p in result.points[1:]]
    assert rates == [pytest.approx(0.55, abs=1e-3)] * 10


def test_same_input_gives_the_same_result() -> None:
    req = request({"claimant": {"age": 30, "lcwra": True}, "children": [{"age": 3}]})
    assert calculate(req) == calculate(req)


def test_each_line_takes_its_own_figure() -> None:
    # The amounts are a tuple in LINE_KEYS order (for speed), so a figure in the wrong row would
    # show one line's money on its neighbour: give every figure a different value to catch it.
    uc = UcAward(**{f.name: float(n) for n, f in enumerate(fields(UcAward)[:-1], start=1)}, capped=False)
    figures = [100.0 + n for n in range(1, 16)]
    amounts = [f.name for f in fields(Money) if f.type == "float"]
    flags = {f.name: False for f in fields(Money) if f.type == "bool"}
    m = Money(pay=(), universal_credit=uc, **dict(zip(amounts, figures, strict=True)), **flags)
    expected = {
        "earnings": m.earnings,
        "income_tax": -m.income_tax,
        "marriage_allowance": m.marriage_allowance,
        "national_insurance": -m.national_insurance,
        "pension": -m.pension,
        "universal_credit": uc.award,
        "universal_credit.standard_allowance": uc.standard_allowance,
        "universal_credit.child_element": uc.child_element,
        "universal_credit.disabled_child_addition": uc.disabled_child_addition,
        "universal_credit.lcwra_element": uc.lcwra_element,
        "universal_credit.carer_element": uc.carer_element,
        "universal_credit.childcare_costs_element": uc.childcare_costs_element,
        "universal_credit.housing_costs_element": uc.housing_costs_element,
        "universal_credit.transitional_element": uc.transitional_element,
        "universal_credit.earnings_deduction": -uc.earnings_deduction,
        "universal_credit.unearned_income_deduction": -uc.unearned_income,
        "universal_credit.benefit_cap_reduction": -uc.benefit_cap_reduction,
        "new_style_esa": m.new_style_esa,
        "new_style_jsa": m.new_style_jsa,
        "pip": m.pip,
        "carers_allowance": m.carers_allowance,
        "child_benefit": m.child_benefit,
        "high_income_child_benefit_charge": -m.high_income_child_benefit_charge,
        "council_tax_reduction": m.council_tax_reduction,
        "scottish_child_payment": m.scottish_child_payment,
        "pension_income": m.pension_income,
        "work_costs": -m.work_costs,
    }
    assert dict(zip(LINE_KEYS, _amounts(m), strict=True)) == expected
    assert len(set(expected.values())) == len(expected)
