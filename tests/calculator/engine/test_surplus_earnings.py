"""Surplus earnings (Universal Credit Regulations 2013, regulation 54A) in the assessment periods.

When earnings make UC nil, the award ends; on a new claim, earnings above the amount at which
UC stops ("the nil point") plus the relevant threshold count as earnings in the new claim's
first assessment period, and what a nil month leaves over is carried on, less the amount by
which that month's own earnings fall short of the nil point, for up to six months
(https://www.legislation.gov.uk/uksi/2013/376/regulation/54A). The relevant threshold was
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
    # Period 4 is short of the nil point by £1,590.73 - £1,295.76 = £294.97: £2,110.06 carried on.
    assert periods[5].surplus_earnings == pytest.approx(2110.06, abs=0.01)
    # Six months after the award ended, the surplus no longer counts.
    assert periods[9].surplus_earnings > 0 and periods[10].surplus_earnings == 0
    assert periods[10].universal_credit > 0
    assert "surplus_earnings" in warning_keys(result)


def test_a_four_weekly_double_payday_carries_surplus_into_the_next_period() -> None:
    # 30 hours: £1,525.20 a payday, £1,368.96 take-home; two paydays in period 1 (1 and 29
    # December) make £2,737.92, so UC is nil and £2,737.92 - £1,590.73 - £300 = £847.19 is carried.
    job = {**FOUR_WEEKLY, "hours_per_week": 30, "first_payday": "2026-12-01",
           "assessment_period_start_day": 1}
    result = calculate(request(HOUSEHOLD, job))
    first, second = result.assessment_periods.periods[:2]
    assert len(first.paydays) == 2 and first.universal_credit == 0
    assert second.surplus_earnings == pytest.approx(847.19, abs=0.02)
    # Without the surplus period 2 would get £874.90 - 55% of £1,368.96 = £121.97; with it, none.
    assert second.universal_credit == 0 and second.universal_credit_lost_to_surplus == pytest.approx(121.97)
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
