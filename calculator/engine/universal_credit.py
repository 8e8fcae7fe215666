"""Universal Credit for one monthly assessment period (UC Regulations 2013, SI 2013/376).

Maximum amount (reg 23: standard allowance and elements) less 55% of earned income above
any work allowance (reg 22) and all unearned income (reg 66), then the benefit cap
(regs 78-83) and the minimum award (reg 17).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from calculator.engine.deductions import pence
from calculator.engine.household import (
    ChildDisability,
    Household,
    LcwraRate,
    Tenure,
    born_before_april_2017,
)
from calculator.engine.rules import Rules


@dataclass(slots=True)
class UcHousehold:
    """What UC needs that does not change with earnings, worked out once per household."""

    standard_allowance: float
    child_element: float
    disabled_child_addition: float
    lcwra_element: float
    carer_element: float
    housing_costs_element: float
    childcare_cap: float
    work_allowance: float  # 0 when the household has none
    cap: float  # the benefit cap that would apply, monthly
    cap_exempt_whatever_earnings: bool
    capital_tariff_income: float
    # Why there is no UC at all, in plain English, or None.
    not_entitled: str | None
    has_children: bool
    has_capability_for_work_limit: bool


@dataclass(slots=True)
class UcAward:
    standard_allowance: float
    child_element: float
    disabled_child_addition: float
    lcwra_element: float
    carer_element: float
    childcare_costs_element: float
    housing_costs_element: float
    maximum_amount: float
    work_allowance: float
    earned_income: float
    earnings_deduction: float
    unearned_income: float
    benefit_cap_reduction: float
    award: float
    capped: bool


def uc_household(rules: Rules, household: Household, on_date_children: list[bool]) -> UcHousehold:
    """`on_date_children`: for each child, whether born before 6 April 2017."""
    partner = household.partner
    couple = partner is not None
    adults = (household.claimant, partner) if partner else (household.claimant,)
    ages = [a.age for a in adults]
    not_entitled = None
    if min(ages) < rules.uc_minimum_age and not couple:
        not_entitled = (
            "People under 18 can claim Universal Credit only in some cases, which this does not cover."
        )
    elif household.capital > rules.uc_capital_upper:
        not_entitled = f"Savings over £{rules.uc_capital_upper:,.0f} mean no Universal Credit."
    elif all(age >= rules.state_pension_age for age in ages):
        not_entitled = (
            "At State Pension age Pension Credit replaces Universal Credit; this does not cover it."
        )

    if couple:
        standard = (
            rules.uc_standard_joint_both_under_25
            if max(ages) < rules.uc_higher_rate_age
            else rules.uc_standard_joint_25_or_over
        )
    else:
        standard = (
            rules.uc_standard_single_under_25
            if ages[0] < rules.uc_higher_rate_age
            else rules.uc_standard_single_25_or_over
        )

    children = household.children
    child_element = disabled = 0.0
    if children:
        # The first child is the eldest (reg 24); the higher rate only if born before 6 April 2017.
        eldest = max(range(len(children)), key=lambda i: children[i].age)
        for index in range(len(children)):
            higher = index == eldest and on_date_children[index]
            child_element += rules.uc_child_first_higher if higher else rules.uc_child
        disabled = sum(
            rules.uc_disabled_child_higher
            if c.disability is ChildDisability.HIGHER
            else rules.uc_disabled_child_lower
            for c in children
            if c.disability is not ChildDisability.NONE
        )

    # What each adult brings, in one pass: health elements, caring, disability benefits.
    any_lcwra = protected = limited = exempt_benefit = False
    carers = 0
    for a in adults:
        if a.lcwra:
            any_lcwra = True
            protected = protected or a.lcwra_rate is LcwraRate.PROTECTED
        elif a.cares_35_hours:
            carers += 1  # reg 29(4): a carer who also has LCWRA gets only the LCWRA element
        limited = limited or a.lcw or a.lcwra
        exempt_benefit = exempt_benefit or (
            a.pip_daily_living != "none"
            or a.pip_mobility != "none"
            or a.carers_allowance
            or a.new_style_esa == "support_group"
        )
    lcwra = 0.0
    if any_lcwra:
        # One element per award (reg 27(4)); the protected amount if either has it.
        lcwra = rules.uc_lcwra_protected if protected else rules.uc_lcwra_new_claim
    carer = rules.uc_carer * carers

    housing = household.housing
    housing_element = 0.0
    if housing.tenure in (Tenure.SOCIAL_RENT, Tenure.PRIVATE_RENT):
        eligible = housing.rent_monthly + housing.service_charges_monthly
        if housing.tenure is Tenure.PRIVATE_RENT:
            eligible = min(eligible, housing.local_housing_allowance_monthly or 0.0)
        elif housing.spare_bedrooms:
            rate = (
                rules.uc_under_occupancy_one
                if housing.spare_bedrooms == 1
                else rules.uc_under_occupancy_two_or_more
            )
            eligible -= pence(eligible * rate)
        eligible -= housing.non_dependants * rules.uc_non_dependant_deduction
        housing_element = max(0.0, pence(eligible))

    work_allowance = 0.0
    if children or limited:
        work_allowance = (
            rules.uc_work_allowance_with_housing
            if housing_element
            else rules.uc_work_allowance_without_housing
        )

    single_no_children = not couple and not children
    if household.in_london:
        cap = rules.cap_london_single if single_no_children else rules.cap_london_other
    else:
        cap = rules.cap_outside_london_single if single_no_children else rules.cap_outside_london_other
    # Reg 83: an LCWRA or carer element, or PIP, Carer's Allowance or a disabled child's
    # benefit in the household, takes it out of the cap whatever anyone earns.
    exempt = bool(lcwra or carer or disabled or exempt_benefit)

    tariff = 0.0
    if household.capital > rules.uc_capital_lower:
        steps = math.ceil((household.capital - rules.uc_capital_lower) / rules.uc_tariff_step)
        tariff = pence(steps * rules.uc_tariff_per_step)

    # Positional, in field order: keywords cost three times as much to match.
    return UcHousehold(
        standard,  # standard_allowance
        pence(child_element) if child_element else 0.0,
        pence(disabled) if disabled else 0.0,  # disabled_child_addition
        lcwra,  # lcwra_element
        pence(carer) if carer else 0.0,  # carer_element
        housing_element,  # housing_costs_element
        rules.uc_childcare_cap_two_or_more if len(children) >= 2 else rules.uc_childcare_cap_one,
        work_allowance,
        cap,
        exempt,  # cap_exempt_whatever_earnings
        tariff,  # capital_tariff_income
        not_entitled,
        bool(children),  # has_children
        limited,  # has_capability_for_work_limit
    )


NO_AWARD = UcAward(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, False)


def assess(
    rules: Rules,
    uc: UcHousehold,
    earned_income: float,
    unearned_income: float,
    childcare_costs: float,
    childcare_work_condition: bool,
    other_capped_benefits: float,
) -> UcAward:
    """One assessment period's award.

    `earned_income` is net of income tax, National Insurance and pension contributions (reg 55);
    `other_capped_benefits` are the other benefits the cap counts (Child Benefit, New Style
    ESA and JSA), monthly.
    """
    if uc.not_entitled:
        return NO_AWARD
    childcare = 0.0
    if childcare_costs and childcare_work_condition and uc.has_children:
        childcare = pence(min(childcare_costs * rules.uc_childcare_proportion, uc.childcare_cap))
    maximum = (
        uc.standard_allowance
        + uc.child_element
        + uc.disabled_child_addition
        + uc.lcwra_element
        + uc.carer_element
        + childcare
        + uc.housing_costs_element
    )
    earned = max(0.0, earned_income)
    # Most situations have no earnings over the allowance, or no other income: no rounding.
    over_allowance = max(0.0, earned - uc.work_allowance)
    earnings_deduction = pence(rules.uc_taper * over_allowance) if over_allowance else 0.0
    unearned = unearned_income + uc.capital_tariff_income
    unearned = pence(unearned) if unearned else 0.0
    award = maximum - earnings_deduction - unearned
    cap_reduction = 0.0
    capped = False
    if award > 0 and not uc.cap_exempt_whatever_earnings and earned < rules.cap_earnings_exception:
        excess = award + other_capped_benefits - uc.cap
        if excess > 0:
            capped = True
            # Reg 81: the reduction is itself reduced by the childcare costs element.
            cap_reduction = pence(min(award, max(0.0, excess - childcare)))
            award -= cap_reduction
    award = pence(award) if award >= rules.uc_minimum_award else 0.0
    # Positional, in field order: keywords cost three times as much to match, and this runs
    # for every situation, assessment period and point of a sweep.
    return UcAward(
        uc.standard_allowance,
        uc.child_element,
        uc.disabled_child_addition,
        uc.lcwra_element,
        uc.carer_element,
        childcare,  # childcare_costs_element
        uc.housing_costs_element,
        pence(maximum),  # maximum_amount
        uc.work_allowance,
        pence(earned) if earned else 0.0,  # earned_income
        earnings_deduction,
        unearned,  # unearned_income
        cap_reduction,  # benefit_cap_reduction
        award,
        capped,
    )


def children_born_before_april_2017(household: Household, on: date) -> list[bool]:
    return [born_before_april_2017(child, on) for child in household.children]
