"""Worked examples from published guidance, for the rules PolicyEngine cannot check.

Each test cites where its example comes from. Where the published example uses an older
year's rates, the rule is tested with that year's figures where the parameters hold them
(the minimum wage by date), or the example is restated with 2026/27 rates and says so.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from calculator.engine import calculate
from calculator.engine.result import _prepare
from calculator.engine.rules import rules_for
from calculator.parameters import minimum_hourly_wage

from .build import line, request, warning_keys

RULES = rules_for("2026-27")
WEEKS = 52 / 12


def _permitted_work_limit(national_living_wage: Decimal) -> Decimal:
    """16 hours at the National Living Wage, rounded up to the next 50p."""
    return Decimal(math.ceil(national_living_wage * 16 * 2)) / 2


def test_esa_permitted_work_higher_limit_is_16_hours_at_the_living_wage_rounded_up_to_50p() -> None:
    # ESA Regulations 2008 reg 45(2)(b) and (9A) (New Style ESA: ESA Regulations 2013 reg 39):
    # the higher limit is 16 × the National Minimum Wage rate, rounded up to the next 50p.
    # DWP's benefit rates 2025-26 publish £195.50 (16 × £12.21 = £195.36); for 2026-27 it is
    # 16 × £12.71 = £203.36, so £203.50 (the figure PolicyEngine UK also holds).
    assert _permitted_work_limit(minimum_hourly_wage(date(2025, 4, 1), "21_and_over")) == Decimal("195.50")
    assert _permitted_work_limit(minimum_hourly_wage(date(2026, 4, 1), "21_and_over")) == Decimal("203.50")
    assert RULES.esa_permitted_work_limit == 203.50


@pytest.mark.parametrize(
    ("hours", "wage", "kept"),
    [
        # No tax or NI at these earnings (under £242 a week and £12,570 a year), so net is gross.
        (15.5, 12.71, True),  # £197.01 a week, under 16 hours: permitted work
        (15.5, 13.12, True),  # £203.36: not over £203.50
        (15.5, 13.13, False),  # £203.52: over the limit by 2p
        (16, 12.71, False),  # 16 hours is not "under 16 hours", whatever the pay
    ],
)
def test_esa_permitted_work_limits(hours: float, wage: float, kept: bool) -> None:
    household = {"claimant": {"age": 30, "lcwra": True, "new_style_esa": "support_group"}}
    job = {"hours_per_week": hours, "hourly_wage": wage, "pension": "opt_out"}
    result = calculate(request(household, job))
    assert (line(result, "new_style_esa").in_work_monthly > 0) == kept
    assert ("permitted_work_limit" in warning_keys(result)) == (not kept)


def test_carers_allowance_counts_half_of_pension_contributions() -> None:
    # Carers UK, "Carer's Allowance and the earnings limit" (2025/26): from earnings after tax
    # and NI, half of any pension contribution comes off — £200 a week and £20 into a pension
    # count as £190, under that year's £196 limit
    # (https://carersuk.org/wales/help-and-advice/financial-support/carer-s-allowance/carer-s-allowance-and-the-earnings-limit;
    # the rule: Social Security (Computation of Earnings) Regulations 1996 Sch 1 para 4(b)).
    # Restated for 2026/27 (limit £204): 16.5 hours at £12.71 paid weekly is £209.72, over the
    # limit with no pension; paying 20% of qualifying earnings (£209.72 - £120 = £89.72, so
    # £17.94 gross, £14.35 after relief at source), half of it comes off: £202.55, under £204.
    carer = {"claimant": {"age": 45, "cares_35_hours": True, "carers_allowance": True}}
    weekly = {"hours_per_week": 16.5, "pay_frequency": "weekly"}
    without = calculate(request(carer, {**weekly, "pension": "opt_out"}))
    assert line(without, "carers_allowance").in_work_monthly == 0
    assert "carers_allowance_limit" in warning_keys(without)
    paying = request(carer, {**weekly, "pension": "relief_at_source", "employee_pension_rate": 0.2})
    slip = _prepare(paying).in_work.pay[0].payslip
    assert slip is not None and (slip.gross, slip.pension_gross, slip.pension) == (209.72, 17.94, 14.35)
    counted = _prepare(paying).in_work.pay[0].net_weekly_for_benefit_tests
    assert counted == pytest.approx(209.72 - 14.35 / 2, abs=0.01)
    kept = calculate(paying)
    assert line(kept, "carers_allowance").in_work_monthly == pytest.approx(86.45 * WEEKS, abs=0.01)


@pytest.mark.parametrize(
    ("frequency", "paydays_by_period"),
    [
        # 52 paydays in 12 assessment periods: eight with 4 and four with 5.
        ("weekly", {4: 8, 5: 4}),
        # 26: ten periods with 2 and two with 3.
        ("fortnightly", {2: 10, 3: 2}),
        # 13: eleven periods with 1 and one with 2.
        ("four_weekly", {1: 11, 2: 1}),
        # Monthly: one a period, the first period before the first payday.
        ("monthly", {0: 1, 1: 11}),
    ],
)
@pytest.mark.parametrize("start", ["2026-12-07", "2027-01-15", "2027-03-31"])
def test_paydays_in_a_year_of_assessment_periods(
    frequency: str, paydays_by_period: dict[int, int], start: str
) -> None:
    # UC Regulations 2013 reg 54(1): earned income is what is received in the assessment
    # period. Universal Credit guidance for working people (e.g. UCE Plus, "Pay frequency",
    # https://uceplus.co.uk/pay-frequency): paid weekly, 4 or 5 payments in a period;
    # fortnightly, ten months with two and two with three; four-weekly, eleven months with one
    # and one period a year with two. The first payday is one pay period after the start, so
    # twelve periods (365 or 366 days) hold a year's 52, 26, 13 or 12 paydays less the first
    # period's wait.
    job = {"hours_per_week": 20, "pay_frequency": frequency, "start_date": start, "pension": "opt_out"}
    result = calculate(request({"claimant": {"age": 30}}, job, calculation_date=start))
    counts = Counter(len(period.paydays) for period in result.assessment_periods.periods)
    assert dict(counts) == paydays_by_period
    extra = [p for p in result.assessment_periods.periods if p.extra_payday]
    assert len(extra) == {"weekly": 4, "fortnightly": 2, "four_weekly": 1, "monthly": 0}[frequency]


# Southampton City Council, "Example of Council Tax Reduction calculation"
# (https://www.southampton.gov.uk/benefits-welfare/housing-benefit/council-tax-reduction/example-ctrs-calculation/),
# working-age examples: a weekly charge of £18.45; on a passport benefit the reduction is 75%
# of it, £13.84 (£4.61 left to pay); for someone working with £40 a week of income over their
# applicable amount, 20% of the excess (£8) comes off the charge first, leaving £10.45, and the
# 25% cut then takes £2.61 more: £7.84 a week, so £10.61 left to pay. The engine takes the
# maximum before the taper, so the council's order is the same scheme entered as a maximum of
# 75% and a taper of 15% (20% of the 75% kept); the page gives the excess rather than income
# and applicable amount, so the disregard is set to the job's weekly take-home less £40.
SOUTHAMPTON_WEEKLY_CHARGE = 18.45
SOUTHAMPTON_CUT = 0.25
SOUTHAMPTON_TAPER = 0.20
# 16 hours at £12.71 with no pension: £203.36 a week, under the NI threshold and the personal
# allowance, so take-home is gross.
SOUTHAMPTON_JOB = {"hours_per_week": 16, "hourly_wage": 12.71, "pension": "opt_out"}
TAKE_HOME_WEEKLY = 16 * 12.71


def _southampton(excess_weekly: float) -> tuple[float, float]:
    """The engine's council tax reduction now (no earnings) and in work, weekly, for a job whose
    take-home is `excess_weekly` over the applicable amount."""
    kept = 1 - SOUTHAMPTON_CUT
    council_tax = {
        "charge_monthly": round(SOUTHAMPTON_WEEKLY_CHARGE * WEEKS, 2),  # £79.95
        "maximum_reduction": kept,
        "taper": SOUTHAMPTON_TAPER * kept,
        "earnings_disregard_weekly": round(TAKE_HOME_WEEKLY - excess_weekly, 2),
    }
    result = calculate(request({"claimant": {"age": 30}, "council_tax": council_tax}, SOUTHAMPTON_JOB))
    reduction = line(result, "council_tax_reduction")
    return reduction.now_monthly / WEEKS, reduction.in_work_monthly / WEEKS


def test_southampton_council_tax_reduction_worked_example() -> None:
    now, in_work = _southampton(excess_weekly=40)
    assert round(now, 2) == 13.84 and round(SOUTHAMPTON_WEEKLY_CHARGE - now, 2) == 4.61
    assert round(in_work, 2) == 7.84 and round(SOUTHAMPTON_WEEKLY_CHARGE - in_work, 2) == 10.61


@pytest.mark.parametrize("excess_weekly", [0, 12.5, 40, 80, 92.25, 150])
def test_southampton_order_taper_then_cut_is_the_same_as_cut_then_smaller_taper(excess_weekly: float) -> None:
    # The council's arithmetic: the charge less 20% of the excess, not below nothing, then 75% of that.
    council = max(0.0, SOUTHAMPTON_WEEKLY_CHARGE - SOUTHAMPTON_TAPER * excess_weekly) * (1 - SOUTHAMPTON_CUT)
    _, in_work = _southampton(excess_weekly)
    assert in_work == pytest.approx(council, abs=0.005)
