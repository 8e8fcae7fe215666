"""Universal Credit for one monthly assessment period (UC Regulations 2013, SI 2013/376).

Maximum amount (reg 23: standard allowance and elements) less the taper on earned income
above any work allowance (reg 22) and all unearned income (reg 66), then the benefit cap
(regs 78-83) and the minimum award (reg 17).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from calculator.engine.deductions import pence
from calculator.engine.household import (
    Adult,
    Child,
    ChildDisability,
    Household,
    Housing,
    LcwraRate,
    Tenure,
    born_before_april_2017,
)
from calculator.engine.records import keyword_builder
from calculator.engine.rules import Rules

# Enum members read on every calculation, bound once: CPython 3.11 reads a member from its
# class through the enum metaclass's __getattr__ hook, about 900 instructions a read against
# 20 for a module global.
HIGHER_RATE, LOWER_RATE = ChildDisability.HIGHER, ChildDisability.LOWER
PROTECTED = LcwraRate.PROTECTED
SOCIAL_RENT, PRIVATE_RENT = Tenure.SOCIAL_RENT, Tenure.PRIVATE_RENT


@dataclass(slots=True, kw_only=True)
class UcHousehold:
    """What UC needs that does not change with earnings, worked out once per household."""

    standard_allowance: float
    child_element: float
    disabled_child_addition: float
    lcwra_element: float
    carer_element: float
    housing_costs_element: float
    transitional_element: float  # managed migration's top-up, as it stands now
    childcare_cap: float
    work_allowance: float  # 0 when the household has none
    cap: float  # the benefit cap that would apply, monthly
    cap_exempt_whatever_earnings: bool
    capital_tariff_income: float
    # Why there is no UC at all, in plain English, or None.
    not_entitled: str | None
    has_children: bool
    has_capability_for_work_limit: bool


@dataclass(slots=True, kw_only=True)
class UcAward:
    standard_allowance: float
    child_element: float
    disabled_child_addition: float
    lcwra_element: float
    carer_element: float
    childcare_costs_element: float
    housing_costs_element: float
    transitional_element: float
    maximum_amount: float
    # The work allowance is the household's (UcHousehold), the same in every period.
    earned_income: float
    earnings_deduction: float
    unearned_income: float
    benefit_cap_reduction: float
    award: float
    capped: bool


new_uc_household = keyword_builder(UcHousehold)
new_uc_award = keyword_builder(UcAward)


def not_entitled(
    rules: Rules, household: Household, ages: list[int], past_pension_age: tuple[bool, ...]
) -> str | None:
    """Why the household cannot get UC at all (reg 3 and WRA 2012 s.4), or None."""
    if min(ages) < rules.uc_minimum_age and household.partner is None:
        return "People under 18 can claim Universal Credit only in some cases, which this does not cover."
    if household.capital > rules.uc_capital_upper:
        return f"Savings over £{rules.uc_capital_upper:,.0f} mean no Universal Credit."
    # WRA 2012 s.4(1)(b), UC Regs reg 3(2)(a): a couple claims UC while either is under State
    # Pension age, so UC ends only once both have reached it.
    if all(past_pension_age):
        return "At State Pension age Pension Credit replaces Universal Credit; this does not cover it."
    return None


def standard_allowance(rules: Rules, ages: list[int]) -> float:
    """Reg 36: by single or joint claim and age (a couple gets the higher amount if either has it)."""
    older = max(ages) >= rules.uc_higher_rate_age
    if len(ages) == 2:
        return rules.uc_standard_joint_25_or_over if older else rules.uc_standard_joint_both_under_25
    return rules.uc_standard_single_25_or_over if older else rules.uc_standard_single_under_25


def child_element(rules: Rules, children: list[Child], born_before: list[bool]) -> float:
    """Reg 24: the first child is the eldest, at the higher rate only if born before 6 April 2017."""
    if not children:
        return 0.0
    ages = [child.age for child in children]
    eldest = ages.index(max(ages))  # the first of children the same age
    total = 0.0
    for index in range(len(children)):
        total += rules.uc_child_first_higher if index == eldest and born_before[index] else rules.uc_child
    return pence(total)


def disabled_child_addition(rules: Rules, children: list[Child]) -> float:
    total = 0.0
    for child in children:
        if child.disability is HIGHER_RATE:
            total += rules.uc_disabled_child_higher
        elif child.disability is LOWER_RATE:
            total += rules.uc_disabled_child_lower
    return pence(total) if total else 0.0


def lcwra_element(rules: Rules, adults: tuple[Adult, ...]) -> float:
    """One element per award (reg 27(4)); the protected amount if either adult has it."""
    amount = 0.0
    for adult in adults:
        if adult.lcwra:
            if adult.lcwra_rate is PROTECTED:
                return rules.uc_lcwra_protected
            amount = rules.uc_lcwra_new_claim
    return amount


def carer_element(rules: Rules, adults: tuple[Adult, ...]) -> float:
    """Reg 29: for each carer of 35 hours; a carer who also has LCWRA gets only the LCWRA element."""
    carers = 0
    for adult in adults:
        if adult.cares_35_hours and not adult.lcwra:
            carers += 1
    return pence(rules.uc_carer * carers) if carers else 0.0


def housing_costs_element(rules: Rules, housing: Housing) -> float:
    """Schedule 4: renters' eligible rent, capped at the LHA rate or cut for spare bedrooms,
    less a deduction for each non-dependant."""
    if housing.tenure not in (SOCIAL_RENT, PRIVATE_RENT):
        return 0.0
    eligible = housing.rent_monthly + housing.service_charges_monthly
    if housing.tenure is PRIVATE_RENT:
        eligible = min(eligible, housing.local_housing_allowance_monthly or 0.0)
    elif housing.spare_bedrooms:
        one = housing.spare_bedrooms == 1
        eligible -= pence(
            eligible * (rules.uc_under_occupancy_one if one else rules.uc_under_occupancy_two_or_more)
        )
    eligible -= housing.non_dependants * rules.uc_non_dependant_deduction
    return max(0.0, pence(eligible))


def work_allowance(rules: Rules, has_children: bool, limited: bool, housing_element: float) -> float:
    """Reg 22: only with children or limited capability for work; lower with housing costs."""
    if not (has_children or limited):
        return 0.0
    return (
        rules.uc_work_allowance_with_housing if housing_element else rules.uc_work_allowance_without_housing
    )


def benefit_cap(rules: Rules, household: Household) -> float:
    """Reg 80A: the monthly cap, higher in Greater London and for couples or anyone with a child."""
    single = household.partner is None and not household.children
    if household.in_london:
        return rules.cap_london_single if single else rules.cap_london_other
    return rules.cap_outside_london_single if single else rules.cap_outside_london_other


def gets_cap_exempt_benefit(adults: tuple[Adult, ...]) -> bool:
    """Reg 83: PIP, Carer's Allowance or the ESA support group takes the household out of the cap."""
    return any(
        [
            a.pip_daily_living != "none"
            or a.pip_mobility != "none"
            or a.carers_allowance
            or a.new_style_esa == "support_group"
            for a in adults
        ]
    )


def capital_tariff_income(rules: Rules, capital: float) -> float:
    """Reg 72: assumed income for each step, or part step, of capital over the lower limit."""
    if capital <= rules.uc_capital_lower:
        return 0.0
    steps = math.ceil((capital - rules.uc_capital_lower) / rules.uc_tariff_step)
    return pence(steps * rules.uc_tariff_per_step)


def uc_household(
    rules: Rules, household: Household, on_date_children: list[bool], past_pension_age: tuple[bool, ...]
) -> UcHousehold:
    """`on_date_children`: for each child, whether born before 6 April 2017; `past_pension_age`:
    for each adult, whether State Pension age is reached."""
    partner = household.partner
    adults = (household.claimant, partner) if partner else (household.claimant,)
    ages = [a.age for a in adults]
    children = household.children
    limited = any([a.lcw or a.lcwra for a in adults])
    lcwra = lcwra_element(rules, adults)
    carer = carer_element(rules, adults)
    disabled = disabled_child_addition(rules, children)
    housing = housing_costs_element(rules, household.housing)
    two_or_more = len(children) >= 2
    return new_uc_household(
        standard_allowance=standard_allowance(rules, ages),
        child_element=child_element(rules, children, on_date_children),
        disabled_child_addition=disabled,
        lcwra_element=lcwra,
        carer_element=carer,
        housing_costs_element=housing,
        transitional_element=household.transitional_element_monthly,
        childcare_cap=rules.uc_childcare_cap_two_or_more if two_or_more else rules.uc_childcare_cap_one,
        work_allowance=work_allowance(rules, bool(children), limited, housing),
        cap=benefit_cap(rules, household),
        # Reg 83: an LCWRA or carer element, or PIP, Carer's Allowance or a disabled child's
        # benefit in the household, takes it out of the cap whatever anyone earns.
        cap_exempt_whatever_earnings=bool(lcwra or carer or disabled or gets_cap_exempt_benefit(adults)),
        capital_tariff_income=capital_tariff_income(rules, household.capital),
        not_entitled=not_entitled(rules, household, ages, past_pension_age),
        has_children=bool(children),
        has_capability_for_work_limit=limited,
    )


NO_AWARD = UcAward(
    standard_allowance=0,
    child_element=0,
    disabled_child_addition=0,
    lcwra_element=0,
    carer_element=0,
    childcare_costs_element=0,
    housing_costs_element=0,
    transitional_element=0,
    maximum_amount=0,
    earned_income=0,
    earnings_deduction=0,
    unearned_income=0,
    benefit_cap_reduction=0,
    award=0,
    capped=False,
)


def childcare_costs_element(rules: Rules, uc: UcHousehold, costs: float, work_condition: bool) -> float:
    """Regs 31-36: a share of childcare paid for work, capped, when the work condition is met."""
    if not (costs and work_condition and uc.has_children):
        return 0.0
    return pence(min(costs * rules.uc_childcare_proportion, uc.childcare_cap))


def earnings_deduction(rules: Rules, uc: UcHousehold, earned: float) -> float:
    """Reg 22: the taper on earned income above any work allowance."""
    # Most situations have no earnings over the allowance: no rounding.
    over_allowance = max(0.0, earned - uc.work_allowance)
    return pence(rules.uc_taper * over_allowance) if over_allowance else 0.0


def benefit_cap_reduction(
    rules: Rules, uc: UcHousehold, award: float, earned: float, other_capped: float, childcare: float
) -> float | None:
    """Regs 79-82: what the cap takes from the award, or None when the household is not capped.

    Capped with nothing taken is possible: the childcare costs element can cover the excess.
    """
    if award <= 0 or uc.cap_exempt_whatever_earnings:
        return None
    excess = award + other_capped - uc.cap
    # Most awards are under the cap: the earnings exception (a figure worked out from the
    # rules) is looked at only for those over it.
    if excess <= 0 or earned >= rules.cap_earnings_exception:
        return None
    # Reg 81: the reduction is itself reduced by the childcare costs element.
    return pence(min(award, max(0.0, excess - childcare)))


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
    if childcare_costs:  # most households pay none
        childcare = childcare_costs_element(rules, uc, childcare_costs, childcare_work_condition)
    maximum = (
        uc.standard_allowance
        + uc.child_element
        + uc.disabled_child_addition
        + uc.lcwra_element
        + uc.carer_element
        + childcare
        + uc.housing_costs_element
        # UC (Transitional Provisions) Regs 2014 reg 55: added to the maximum amount. It is
        # eroded only by increases in the other elements (never the childcare element), and a
        # job changes none of them, so it is the same in work as now.
        + uc.transitional_element
    )
    earned = max(0.0, earned_income)
    taper = earnings_deduction(rules, uc, earned)
    unearned = unearned_income + uc.capital_tariff_income
    unearned = pence(unearned) if unearned else 0.0
    award = maximum - taper - unearned
    capped = benefit_cap_reduction(rules, uc, award, earned, other_capped_benefits, childcare)
    cap_reduction = capped or 0.0
    award -= cap_reduction
    return new_uc_award(
        standard_allowance=uc.standard_allowance,
        child_element=uc.child_element,
        disabled_child_addition=uc.disabled_child_addition,
        lcwra_element=uc.lcwra_element,
        carer_element=uc.carer_element,
        childcare_costs_element=childcare,
        housing_costs_element=uc.housing_costs_element,
        transitional_element=uc.transitional_element,
        maximum_amount=pence(maximum),
        earned_income=pence(earned) if earned else 0.0,
        earnings_deduction=taper,
        unearned_income=unearned,
        benefit_cap_reduction=cap_reduction,
        award=pence(award) if award >= rules.uc_minimum_award else 0.0,
        capped=capped is not None,
    )


def children_born_before_april_2017(household: Household, on: date) -> list[bool]:
    return [born_before_april_2017(child, on) for child in household.children]
