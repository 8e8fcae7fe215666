"""Pay and what comes off it: income tax, employee National Insurance, workplace pension.

National Insurance and pension are worked out per pay period, as payroll does, because
their thresholds are per period: four-weekly pay crosses them differently from monthly.
Income tax is worked out on the year (PAYE is cumulative, so a steady job pays the
annual amount spread evenly).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from calculator.engine.household import PayFrequency, PensionScheme
from calculator.engine.records import keyword_builder
from calculator.engine.rules import Bands, Rules

# Enum members read on every calculation, bound once: CPython 3.11 reads a member from its
# class through the enum metaclass's __getattr__ hook, about 900 instructions a read against
# 20 for a module global.
OPT_OUT, NET_PAY = PensionScheme.OPT_OUT, PensionScheme.NET_PAY
RELIEF_AT_SOURCE = PensionScheme.RELIEF_AT_SOURCE


WEEKS_IN_PERIOD = {
    PayFrequency.WEEKLY: 1.0,
    PayFrequency.FORTNIGHTLY: 2.0,
    PayFrequency.FOUR_WEEKLY: 4.0,
    PayFrequency.MONTHLY: 52 / 12,
}
PERIODS_PER_YEAR = {
    PayFrequency.WEEKLY: 52,
    PayFrequency.FORTNIGHTLY: 26,
    PayFrequency.FOUR_WEEKLY: 13,
    PayFrequency.MONTHLY: 12,
}


def pence(amount: float) -> float:
    """Round half up to the penny (money is never negative where this is used)."""
    return int(amount * 100 + 0.5 + 1e-9) / 100


@dataclass(slots=True, kw_only=True)
class Payslip:
    """One pay period's figures."""

    gross: float
    national_insurance: float
    pension: float  # what the employee actually pays (after relief at source)
    pension_gross: float  # the contribution going into the pension, relief included
    pension_reduces_taxable_pay: bool


new_payslip = keyword_builder(Payslip)


@lru_cache(maxsize=64)
def period_thresholds(rules: Rules, frequency: PayFrequency) -> tuple[float, float, float, float, float]:
    """(NI primary threshold, NI upper limit, pension trigger, QE lower, QE upper) for one period.

    Monthly figures are set in their own right; two- and four-week periods are multiples of
    the weekly ones, as the regulations and the automatic enrolment order provide. Cached:
    four per tax year, and every payslip needs them.
    """
    if frequency is PayFrequency.MONTHLY:
        return (
            rules.ni_primary_threshold_monthly,
            rules.ni_upper_earnings_limit_monthly,
            rules.pension_trigger_monthly,
            rules.pension_lower_monthly,
            rules.pension_upper_monthly,
        )
    weeks = WEEKS_IN_PERIOD[frequency]
    return (
        rules.ni_primary_threshold_weekly * weeks,
        rules.ni_upper_earnings_limit_weekly * weeks,
        rules.pension_trigger_weekly * weeks,
        rules.pension_lower_weekly * weeks,
        rules.pension_upper_weekly * weeks,
    )


def employee_national_insurance(rules: Rules, gross: float, threshold: float, upper: float) -> float:
    """SSCBA 1992 s.8: the main rate between the primary threshold and the upper earnings
    limit, the additional rate above it, on one period's pay."""
    if gross <= threshold:
        return 0.0
    ni = rules.ni_main_rate * (min(gross, upper) - threshold)
    if gross > upper:
        ni += rules.ni_additional_rate * (gross - upper)
    return pence(ni) if ni else 0.0


def pension_contribution(gross: float, rate: float, band: tuple[float, float]) -> float:
    """Automatic enrolment: the employee's share of one period's qualifying earnings (pay
    between the band's lower and upper limits), relief included."""
    lower, upper = band
    return pence(rate * (min(gross, upper) - lower))


def payslip(
    rules: Rules,
    hours_per_week: float,
    hourly_wage: float,
    frequency: PayFrequency,
    pension: PensionScheme,
    employee_pension_rate: float,
    past_pension_age: bool = False,
) -> Payslip:
    """One period's pay and deductions; no employee National Insurance once the worker has
    reached State Pension age (SSCBA 1992 s.6(3))."""
    gross = pence(hours_per_week * hourly_wage * WEEKS_IN_PERIOD[frequency])
    threshold, upper, trigger, qe_lower, qe_upper = period_thresholds(rules, frequency)
    pension_gross = pension_paid = 0.0
    if pension is not OPT_OUT and gross > trigger:
        pension_gross = pension_contribution(gross, employee_pension_rate, (qe_lower, qe_upper))
        pension_paid = pension_gross
        if pension is RELIEF_AT_SOURCE:
            # The scheme claims basic-rate relief from HMRC: the employee pays the rest.
            pension_paid = pence(pension_gross * (1 - rules.pension_basic_rate_relief))
    return new_payslip(
        gross=gross,
        national_insurance=(
            0.0 if past_pension_age else employee_national_insurance(rules, gross, threshold, upper)
        ),
        pension=pension_paid,
        pension_gross=pension_gross,
        pension_reduces_taxable_pay=pension is NET_PAY,
    )


def personal_allowance(rules: Rules, adjusted_net_income: float) -> float:
    """ITA 2007 s.35: reduced by £1 for every £2 of income over the limit."""
    excess = adjusted_net_income - rules.personal_allowance_income_limit
    if excess <= 0:
        return rules.personal_allowance
    return max(0.0, rules.personal_allowance - excess / 2)


def tax_on_bands(bands: Bands, taxable: float) -> float:
    tax = 0.0
    for index, (threshold, rate) in enumerate(bands):
        if taxable <= threshold:
            break
        top = bands[index + 1][0] if index + 1 < len(bands) else taxable
        tax += (min(taxable, top) - threshold) * rate
    return tax


def income_tax_annual(
    rules: Rules, total_income: float, scotland: bool, allowance_given_away: float = 0.0
) -> float:
    """Income tax for a year on `total_income` (after any net-pay pension contributions), less
    any personal allowance transferred to a spouse by Marriage Allowance."""
    allowance = personal_allowance(rules, total_income) - allowance_given_away
    taxable = total_income - max(0.0, allowance)
    if taxable <= 0:
        return 0.0
    return tax_on_bands(rules.scotland_bands if scotland else rules.rest_of_uk_bands, taxable)


def _within_marriage_allowance_rates(rules: Rules, total_income: float, scotland: bool) -> bool:
    """ITA 2007 s.55B: neither spouse may be liable above the basic rate (in Scotland, above
    the intermediate rate)."""
    bands = rules.scotland_bands if scotland else rules.rest_of_uk_bands
    highest = (
        rules.marriage_allowance_highest_rate_scotland if scotland else rules.marriage_allowance_highest_rate
    )
    taxable = total_income - personal_allowance(rules, total_income)
    return all(taxable <= threshold for threshold, rate in bands if rate > highest)


def marriage_allowance_saving(
    rules: Rules, incomes: tuple[float, float], scotland: bool
) -> tuple[float, int]:
    """ITA 2007 Part 3 Chapter 3A: the yearly tax a married couple saves by the better transfer
    of personal allowance, and who gives it (0 or 1); (0.0, -1) when no transfer helps.

    The transferor's allowance falls by the transferred amount; the recipient's tax falls by
    the reduction rate of it, at most the tax they pay. Once the transferor's income passes
    their allowance the extra tax they pay matches what their spouse saves, so it helps nothing.
    """
    best, giver = 0.0, -1
    amount = rules.marriage_allowance
    rate = rules.marriage_allowance_rate
    if not all(_within_marriage_allowance_rates(rules, income, scotland) for income in incomes):
        return best, giver
    for transferor in (0, 1):
        mine, theirs = incomes[transferor], incomes[1 - transferor]
        extra = income_tax_annual(rules, mine, scotland, amount) - income_tax_annual(rules, mine, scotland)
        relief = min(rate * amount, income_tax_annual(rules, theirs, scotland))
        if relief - extra > best + 1e-9:
            best, giver = relief - extra, transferor
    return best, giver
