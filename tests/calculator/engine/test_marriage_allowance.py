"""Marriage Allowance for married couples and civil partners.

Worked examples from GOV.UK "Marriage Allowance" (https://www.gov.uk/marriage-allowance): a
spouse or civil partner whose income is under the personal allowance (£12,570) can transfer
£1,260 of it, which reduces their partner's tax by up to £252 in the tax year; the partner
must pay tax at the basic rate (in Scotland the starter, basic or intermediate rate). The law
is the Income Tax Act 2007, Part 3, Chapter 3A (sections 55A to 55E).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from calculator.engine import calculate
from calculator.engine.deductions import income_tax_annual, marriage_allowance_saving
from calculator.engine.rules import rules_for

from .build import line, request, warning_keys

RULES = rules_for("2026-27")


def test_the_transferable_amount_and_most_it_saves() -> None:
    assert RULES.marriage_allowance == 1260  # 10% of £12,570, rounded up to £10
    assert RULES.marriage_allowance * RULES.marriage_allowance_rate == pytest.approx(252)


@pytest.mark.parametrize(
    ("incomes", "scotland", "saving", "giver"),
    [
        ((0, 30_000), False, 252.0, 0),  # a non-taxpayer and a basic-rate taxpayer: the full £252
        ((30_000, 0), False, 252.0, 1),  # whichever of them has the room gives it
        # The giver earns £12,000: their allowance falls to £11,310, so they pay 20% of £690
        # (£138), and the household saves £252 - £138 = £114.
        ((12_000, 30_000), False, 114.0, 0),
        ((13_000, 30_000), False, 0.0, -1),  # over the allowance: it costs what it saves
        ((0, 13_000), False, 86.0, 0),  # the reduction is at most the tax paid: 20% of £430
        ((0, 60_000), False, 0.0, -1),  # a higher-rate taxpayer cannot receive it
        # Scotland: the reduction is at the UK basic rate of 20% whatever the receiver's Scottish
        # rate ("Scottish taxpayers will continue to claim Marriage Allowance using the
        # prevailing RoUK basic rate of 20%", HMRC's 2018 guidance on UK reliefs for Scottish
        # taxpayers, as reported by Mondaq, https://www.mondaq.com/article.asp?article_id=693570):
        # £252, not 21% (£264.60) for an intermediate-rate taxpayer...
        ((0, 40_000), True, 252.0, 0),
        # ...nor 19% (£239.40) for a starter-rate one on £14,000, whose tax is 19% of £1,430 =
        # £271.70, more than the £252.
        ((0, 14_000), True, 252.0, 0),
        ((0, 45_000), True, 0.0, -1),  # Scotland: a higher-rate (42%) taxpayer cannot
    ],
)
def test_worked_examples(incomes: tuple[float, float], scotland: bool, saving: float, giver: int) -> None:
    found, who = marriage_allowance_saving(RULES, incomes, scotland)
    assert found == pytest.approx(saving)
    assert who == giver


@given(st.floats(0, 150_000), st.floats(0, 150_000), st.booleans())
def test_it_never_costs_the_couple_and_never_saves_more_than_the_reduction(
    a: float, b: float, scotland: bool
) -> None:
    saving, _ = marriage_allowance_saving(RULES, (a, b), scotland)
    assert 0 <= saving <= RULES.marriage_allowance * RULES.marriage_allowance_rate + 1e-6
    assert saving <= income_tax_annual(RULES, a, scotland) + income_tax_annual(RULES, b, scotland) + 1e-6


COUPLE = {
    "claimant": {"age": 40},
    "couple": True,
    "partner": {"age": 42, "job": {"hours_per_week": 37.5, "hourly_wage": 15}},
}


def test_a_married_couple_gets_it_and_an_unmarried_one_does_not() -> None:
    married = calculate(request({**COUPLE, "married": True}, {"hours_per_week": 10}))
    living_together = calculate(request(COUPLE, {"hours_per_week": 10}))
    assert line(married, "marriage_allowance").now_monthly == 21.00
    assert line(married, "marriage_allowance").in_work_monthly == 21.00
    assert line(living_together, "marriage_allowance").now_monthly == 0
    assert married.now.monthly == pytest.approx(living_together.now.monthly + 21.00)


def test_the_job_taking_the_giver_over_the_allowance_ends_it_with_a_warning() -> None:
    # 30 hours at £12.71 is £19,826 a year, over the £12,570 allowance.
    result = calculate(request({**COUPLE, "married": True}, {"hours_per_week": 30}))
    assert line(result, "marriage_allowance").now_monthly == 21.00
    assert line(result, "marriage_allowance").in_work_monthly == 0
    assert "marriage_allowance_ends" in warning_keys(result)
    message = next(w.message for w in result.warnings if w.key == "marriage_allowance_ends")
    assert "about £21.00 a month now but nothing with the job" in message


def test_universal_credit_counts_the_lower_tax_as_earnings() -> None:
    # A couple on UC: the partner's lower tax is more take-home pay, tapered at 55%.
    household = {**COUPLE, "partner": {"age": 42, "job": {"hours_per_week": 20, "hourly_wage": 15}},
                 "housing": {"tenure": "social_rent", "rent_monthly": 500}, "children": [{"age": 4}]}
    married = calculate(request({**household, "married": True}, {"hours_per_week": 0}))
    single_tax = calculate(request(household, {"hours_per_week": 0}))
    uc_married = line(married, "universal_credit").now_monthly
    uc_single = line(single_tax, "universal_credit").now_monthly
    saved = line(married, "marriage_allowance").now_monthly
    assert saved > 0
    assert uc_single - uc_married == pytest.approx(saved * RULES.uc_taper, abs=0.02)


def test_only_a_couple_can_be_married() -> None:
    with pytest.raises(ValidationError) as caught:
        request({"married": True})
    assert "married: only a couple living together can be married here" in str(caught.value)
