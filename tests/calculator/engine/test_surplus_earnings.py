"""Surplus earnings (Universal Credit Regulations 2013, regulation 54A) in the assessment periods.

When earnings make UC nil, the award ends; on a new claim, earnings above the amount at which
UC stops ("the nil point") plus the relevant threshold count as earnings in the new claim's
first assessment period. A new claim that is nil as well passes on the surplus it counted plus
its own earnings, less the relevant threshold again, into at most the fifth claim
(https://www.legislation.gov.uk/uksi/2013/376/regulation/54A; reg 54A(3)(a) to (d) as
substituted by SI 2018/65 reg 7(3),
https://www.legislation.gov.uk/uksi/2018/65/regulation/7/made). The relevant threshold was
£2,500 during the temporary de minimis period, which DWP's determination of 26 February 2025
extended only to 31 March 2026; "monthly earnings of more than £2,500 over the amount where
your Universal Credit payment stops will be treated as surplus earnings" (GOV.UK, "Secretary
of State determination under regulation 5 ..."). From 1 April 2026 it is reg 54A's £300.

The worked figures below are this household's, by hand: a single person of 40 renting from a
council at £450 a month, so UC's maximum amount is £424.90 + £450 = £874.90 with no work
allowance, and UC stops at take-home pay of £874.90 / 0.55 = £1,590.73 a month.
"""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from calculator.engine import calculate
from calculator.engine.rules import rules_for
from calculator.parameters import in_force

from .build import request, warning_keys

HOUSEHOLD = {"claimant": {"age": 40}, "housing": {"tenure": "social_rent", "rent_monthly": 450}}
FOUR_WEEKLY = {"pay_frequency": "four_weekly", "pension": "opt_out", "hourly_wage": 12.71}


def test_the_relevant_threshold_by_date() -> None:
    path = "universal_credit.surplus_earnings_threshold"
    assert in_force(path, date(2026, 3, 31)).value == 2500  # the temporary de minimis period
    assert in_force(path, date(2026, 4, 1)).value == 300  # reg 54A's own figure after it ended
    assert rules_for("2026-27").uc_surplus_earnings_threshold == 300


def test_a_one_off_payment_ends_the_award_and_its_surplus_is_carried_on() -> None:
    # 28 hours, paid every four weeks: £1,423.52 a payday, less NI of 8% of (£1,423.52 - £968)
    # = £36.44 and income tax of 20% of (£18,505.76 - £12,570) / 13 = £91.32: £1,295.76 take-home.
    job = {**FOUR_WEEKLY, "hours_per_week": 28, "one_off_payment": 3000, "one_off_payment_date": "2027-02-10"}
    result = calculate(request(HOUSEHOLD, job))
    periods = {p.number: p for p in result.assessment_periods.periods}
    paid = periods[3]
    assert (paid.one_off_payment, paid.universal_credit) == (3000.0, 0.0)
    # Surplus into period 4: £1,295.76 + £3,000 - £1,590.73 - £300 = £2,405.03.
    assert periods[4].surplus_earnings == pytest.approx(2405.03, abs=0.01)
    # Each nil claim after it passes on surplus plus pay less the nil point and the £300 again:
    # £2,405.03 + £1,295.76 - £1,890.73 = £1,810.06, then £1,215.09, £620.12 and £25.15.
    carried = [periods[n].surplus_earnings for n in (5, 6, 7, 8)]
    assert carried == pytest.approx([1810.06, 1215.09, 620.12, 25.15], abs=0.02)
    # £25.15 leaves UC in period 8 (£874.90 - 55% of £1,320.91 = £148.40): a new award, no surplus.
    assert periods[8].universal_credit == pytest.approx(148.40, abs=0.01)
    assert periods[9].surplus_earnings == 0 and periods[9].universal_credit > 0
    assert "surplus_earnings" in warning_keys(result)


def test_surplus_counts_in_at_most_five_new_claims() -> None:
    # Reg 54A(3)(a) to (d) define surplus earnings for the first to the fifth claim after the
    # old award ends and no later one. £9,000 paid in period 3: £8,405.03 into period 4, less
    # £594.97 a month (the £300 and the £294.97 by which pay falls short of the nil point).
    job = {**FOUR_WEEKLY, "hours_per_week": 28, "one_off_payment": 9000, "one_off_payment_date": "2027-02-10"}
    periods = {p.number: p for p in calculate(request(HOUSEHOLD, job)).assessment_periods.periods}
    assert [periods[n].surplus_earnings for n in (4, 5, 6, 7, 8)] == pytest.approx(
        [8405.03, 7810.06, 7215.09, 6620.12, 6025.15], abs=0.02
    )
    assert all(periods[n].universal_credit == 0 for n in (4, 5, 6, 7, 8))
    # Period 9 would be the sixth claim: the £5,430.18 left no longer counts.
    assert periods[9].surplus_earnings == 0 and periods[9].universal_credit == pytest.approx(162.23)


def test_a_four_weekly_double_payday_carries_surplus_into_the_next_period() -> None:
    # 30 hours: £1,525.20 a payday, £1,368.96 take-home; two paydays in period 1 (1 and 29
    # December) make £2,737.92, so UC is nil and £2,737.92 - £1,590.73 - £300 = £847.19 is carried.
    job = {
        **FOUR_WEEKLY,
        "hours_per_week": 30,
        "first_payday": "2026-12-01",
        "assessment_period_start_day": 1,
    }
    result = calculate(request(HOUSEHOLD, job))
    first, second = result.assessment_periods.periods[:2]
    assert len(first.paydays) == 2 and first.universal_credit == 0
    assert second.surplus_earnings == pytest.approx(847.19, abs=0.02)
    # Without the surplus period 2 would get £874.90 - 55% of £1,368.96 = £121.97; with it, none.
    assert second.universal_credit == 0 and second.universal_credit_lost_to_surplus == pytest.approx(121.97)
    # Period 2 is nil too, so it passes on £847.19 + £1,368.96 - £1,590.73 - £300 = £325.42
    # (the £300 comes off again); period 3 with it counts £1,694.38, still over the nil point.
    third, fourth = result.assessment_periods.periods[2:4]
    assert third.surplus_earnings == pytest.approx(325.42, abs=0.02) and third.universal_credit == 0
    # Period 3 passes on £325.42 + £1,368.96 - £1,890.73, less than nothing: UC again in period 4.
    assert fourth.surplus_earnings == 0 and fourth.universal_credit == pytest.approx(121.97)
    [message] = [w.message for w in result.warnings if w.key == "surplus_earnings"]
    assert "nil in period 1" in message and "plus £300" in message and "31 March 2026" in message


def test_monthly_pay_under_the_nil_point_has_no_surplus() -> None:
    result = calculate(request(HOUSEHOLD, {"hours_per_week": 20, "pay_frequency": "monthly"}))
    assert all(p.surplus_earnings == 0 for p in result.assessment_periods.periods)
    assert "surplus_earnings" not in warning_keys(result)


def test_a_household_with_no_universal_credit_has_no_surplus_earnings() -> None:
    job = {**FOUR_WEEKLY, "hours_per_week": 40, "hourly_wage": 30}
    result = calculate(request({"claimant": {"age": 40}}, job))
    assert all(p.surplus_earnings == 0 and p.universal_credit == 0 for p in result.assessment_periods.periods)


def test_a_one_off_payment_needs_its_date() -> None:
    with pytest.raises(ValidationError) as caught:
        request(HOUSEHOLD, {"one_off_payment": 500})
    assert "one_off_payment_date: give the day the one-off payment is paid" in str(caught.value)
