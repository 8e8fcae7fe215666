"""The lines an advisor reads, in the order shown: for each, its key, label, where its amount
comes from in `Money` and the plain-English sentence built from the figures that made it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from calculator.engine.household import LcwraRate, Tenure
from calculator.engine.rules import Rules
from calculator.engine.scenario import Money, Situation

Sentence = Callable[[Rules, Situation, Money, Money], str]


def _money(amount: float) -> str:
    return f"£{amount:,.2f}"


def _earnings(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return _earnings_sentence(tuple([(p.hours, p.hourly_wage) for p in work.pay if p.gross]))


@lru_cache(maxsize=1024)
def _earnings_sentence(jobs: tuple[tuple[float, float], ...]) -> str:
    if not jobs:
        return "No earnings in work at these hours."
    parts = [f"{hours:g} hours a week at {_money(wage)} an hour" for hours, wage in jobs]
    return f"{' and '.join(parts)}, averaged over the year as 52 weeks ÷ 12 months."


# Sentences that depend on the tax year and a figure or two of the household (a cap, a
# work allowance, a number of children) are made by small cached functions of exactly those
# values: there are few distinct ones, so each sentence is formatted once, not per call.


def _income_tax(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return _income_tax_sentence(r, s.scotland)


@lru_cache(maxsize=64)
def _income_tax_sentence(r: Rules, scotland: bool) -> str:
    where = "Scottish" if scotland else "UK"
    return (
        f"{where} income tax on income above the {_money(r.personal_allowance)} a year personal "
        f"allowance, worked out on the year as PAYE does."
    )


def _marriage(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return _marriage_sentence(r)


@lru_cache(maxsize=16)
def _marriage_sentence(r: Rules) -> str:
    return (
        f"A spouse or civil partner who does not use all their personal allowance can transfer "
        f"{_money(r.marriage_allowance)} of it; the other's tax falls by up to "
        f"{_money(r.marriage_allowance * r.marriage_allowance_rate)} a year. Shown when it helps "
        "and neither pays higher-rate tax; claim it at gov.uk/marriage-allowance."
    )


def _ni(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return (
        f"{r.ni_main_rate:.0%} of pay between {_money(r.ni_primary_threshold_weekly)} and "
        f"{_money(r.ni_upper_earnings_limit_weekly)} a week ({_money(r.ni_primary_threshold_monthly)} "
        f"and {_money(r.ni_upper_earnings_limit_monthly)} a month), worked out for each payday."
    )


def _pension(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return (
        f"Auto-enrolment (ages {r.pension_minimum_age} to State Pension age) once pay passes "
        f"{_money(r.pension_trigger_monthly)} a month: the employee "
        f"share of pay above {_money(r.pension_lower_monthly)} a month; relief-at-source schemes take "
        f"{1 - r.pension_basic_rate_relief:.0%} and HMRC adds the rest. It is savings, not a loss, "
        "and can be opted out of."
    )


def _uc(r: Rules, s: Situation, now: Money, work: Money) -> str:
    if s.uc.not_entitled:
        return s.uc.not_entitled
    return _uc_sentence(r)


@lru_cache(maxsize=16)
def _uc_sentence(r: Rules) -> str:
    return (
        f"The maximum amount below, less {r.uc_taper:.0%} of take-home pay above any work allowance "
        "and all other income, paid monthly in arrears."
    )


def _standard(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return _standard_sentence(len(s.adults) == 2, s.uc.standard_allowance)


@lru_cache(maxsize=64)
def _standard_sentence(couple: bool, amount: float) -> str:
    who = "a couple" if couple else "a single person"
    return f"The basic amount for {who} by age: {_money(amount)} a month."


def _child(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return _child_sentence(r, len(s.household.children))


@lru_cache(maxsize=64)
def _child_sentence(r: Rules, n: int) -> str:
    if not n:
        return "No children in the household."
    return (
        f"{_money(r.uc_child)} a month for each of {n} child{'ren' if n > 1 else ''} "
        f"({_money(r.uc_child_first_higher)} for a first child born before 6 April 2017); "
        f"the two-child limit ended on 6 April 2026."
    )


def _disabled_child(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return (
        f"{_money(r.uc_disabled_child_lower)} a month for a child getting DLA or PIP, "
        f"{_money(r.uc_disabled_child_higher)} at the higher rate."
    )


def _lcwra(r: Rules, s: Situation, now: Money, work: Money) -> str:
    protected = any([a.lcwra and a.lcwra_rate is LcwraRate.PROTECTED for a in s.adults])
    return _lcwra_sentence(s.uc.lcwra_element, protected)


@lru_cache(maxsize=64)
def _lcwra_sentence(amount: float, protected: bool) -> str:
    if not amount:
        return (
            "Paid when someone is assessed as having limited capability for work and work-related activity."
        )
    which = (
        "the protected rate for people assessed before April 2026"
        if protected
        else "the rate for new claims from April 2026"
    )
    return f"{_money(amount)} a month at {which}; work does not stop it by itself."


def _carer(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return (
        f"{_money(r.uc_carer)} a month for caring 35 hours a week or more; "
        "unlike Carer's Allowance it has no earnings limit."
    )


def _childcare(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return _childcare_sentence(r, s.uc.childcare_cap)


@lru_cache(maxsize=64)
def _childcare_sentence(r: Rules, cap: float) -> str:
    return (
        f"{r.uc_childcare_proportion:.0%} of childcare paid for work, up to {_money(cap)} "
        f"a month; claim it in the assessment period the cost is paid."
    )


def _housing(r: Rules, s: Situation, now: Money, work: Money) -> str:
    housing = s.household.housing
    return _housing_sentence(
        r,
        housing.tenure,
        housing.local_housing_allowance_monthly,
        housing.spare_bedrooms,
        housing.non_dependants,
    )


@lru_cache(maxsize=256)
def _housing_sentence(
    r: Rules, tenure: Tenure, lha_rate: float | None, spare: int, non_dependants: int
) -> str:
    if tenure is Tenure.PRIVATE_RENT:
        lha = _money(lha_rate or 0)
        base = f"Rent up to the Local Housing Allowance of {lha}"
    elif tenure is Tenure.SOCIAL_RENT:
        base = "Rent and eligible service charges"
        if spare:
            one = spare == 1
            rate = r.uc_under_occupancy_one if one else r.uc_under_occupancy_two_or_more
            base += f", less {rate:.0%} for spare bedrooms"
    else:
        return "No rent to help with (owners can ask about a Support for Mortgage Interest loan)."
    if non_dependants:
        base += f", less {_money(r.uc_non_dependant_deduction)} for each other adult living here"
    return base + "."


def _transitional(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return (
        "Transitional protection from the move to UC by managed migration: it carries on in work, "
        "but ends for good if UC stops or the person joins or leaves a couple."
    )


def _earnings_deduction(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return _earnings_deduction_sentence(r.uc_taper, s.uc.work_allowance)


@lru_cache(maxsize=64)
def _earnings_deduction_sentence(taper: float, allowance: float) -> str:
    if allowance:
        return (
            f"{taper:.0%} of take-home pay above the {_money(allowance)} a month work allowance "
            f"(for households with children or limited capability for work)."
        )
    return f"{taper:.0%} of all take-home pay: there is no work allowance without children or LCW/LCWRA."


def _unearned(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return (
        "New Style ESA or JSA, Carer's Allowance, pensions and assumed income from savings over "
        f"{_money(r.uc_capital_lower)} come off pound for pound."
    )


def _cap(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return _cap_sentence(r, s.uc.cap)


@lru_cache(maxsize=64)
def _cap_sentence(r: Rules, cap: float) -> str:
    return (
        f"Benefits are capped at {_money(cap)} a month unless someone earns "
        f"{_money(r.cap_earnings_exception)} a month or gets a disability or carer benefit."
    )


def _esa(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return (
        f"Kept while working under {r.esa_permitted_work_hours:g} hours and earning up to "
        f"{_money(r.esa_permitted_work_limit)} a week (permitted work); it stops above either."
    )


def _jsa(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return (
        f"Earnings over {_money(r.jsa_earnings_disregard)} a week come off it, and it stops at "
        f"{r.jsa_remunerative_hours:g} hours a week."
    )


def _pip(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return "Not affected by work or earnings; it is ignored as income for Universal Credit."


def _ca(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return (
        f"{_money(r.carers_allowance)} a week while take-home pay stays at or under "
        f"{_money(r.carers_allowance_earnings_limit)} a week; it counts as income for UC."
    )


def _cb(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return (
        f"{_money(r.child_benefit_eldest)} a week for the eldest child and "
        f"{_money(r.child_benefit_other)} for each other child; not counted as income for UC."
    )


def _hicbc(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return (
        f"Paid back at 1% for every £{r.hicbc_width / 100:,.0f} the higher earner's income is over "
        f"{_money(r.hicbc_threshold)} a year."
    )


def _ctr(r: Rules, s: Situation, now: Money, work: Money) -> str:
    ct = s.household.council_tax
    if not ct.charge_monthly:
        return "No council tax entered; each council runs its own reduction scheme."
    return _ctr_sentence(ct.maximum_reduction, ct.taper, ct.earnings_disregard_weekly)


@lru_cache(maxsize=64)
def _ctr_sentence(maximum_reduction: float, taper: float, disregard_weekly: float) -> str:
    return (
        f"An estimate: up to {maximum_reduction:.0%} of the bill, less {taper:.0%} of take-home "
        f"pay over {_money(disregard_weekly)} a week; the council's own scheme decides."
    )


def _scp(r: Rules, s: Situation, now: Money, work: Money) -> str:
    if not s.scotland:
        return "Scotland only."
    return _scp_sentence(r)


@lru_cache(maxsize=16)
def _scp_sentence(r: Rules) -> str:
    return (
        f"{_money(r.scp_weekly)} a week for each child under {r.scp_maximum_age} while the "
        "household gets Universal Credit."
    )


def _pension_income(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return "Occupational or personal pensions: taxable, and counted in full for Universal Credit."


def _work_costs(r: Rules, s: Situation, now: Money, work: Money) -> str:
    return "Travel to work and childcare paid, so the comparison is of money left to live on."


@dataclass(frozen=True, slots=True, kw_only=True)
class LineSpec:
    key: str
    label: str  # may name a figure of the year's rules, as {rules.uc_taper:.0%}
    source: str  # the attribute of Money holding the amount
    sentence: Sentence
    deduction: bool = False  # shown as a negative: it comes off net income
    part_of: str | None = None  # UC's parts add up to the UC line, not to net income
    estimate: bool = False
    always_shown: bool = False  # the core of the calculation, shown even when nothing either way
    # The sentence depends only on the tax year's figures, so it is made once per year.
    rules_only: bool = False


def _uc_part(key: str, label: str, source: str, sentence: Sentence, **flags: bool) -> LineSpec:
    return LineSpec(
        key=f"universal_credit.{key}",
        label=label,
        source=f"universal_credit.{source}",
        sentence=sentence,
        part_of="universal_credit",
        **flags,
    )


LINES = (
    LineSpec(
        key="earnings",
        label="Earnings before deductions",
        source="earnings",
        sentence=_earnings,
        always_shown=True,
    ),
    LineSpec(
        key="income_tax",
        label="Income tax",
        source="income_tax",
        sentence=_income_tax,
        deduction=True,
        always_shown=True,
    ),
    LineSpec(
        key="marriage_allowance",
        label="Marriage Allowance (tax saved)",
        source="marriage_allowance",
        sentence=_marriage,
        rules_only=True,
    ),
    LineSpec(
        key="national_insurance",
        label="National Insurance",
        source="national_insurance",
        sentence=_ni,
        deduction=True,
        always_shown=True,
        rules_only=True,
    ),
    LineSpec(
        key="pension",
        label="Workplace pension",
        source="pension",
        sentence=_pension,
        deduction=True,
        rules_only=True,
    ),
    LineSpec(
        key="universal_credit",
        label="Universal Credit",
        source="universal_credit.award",
        sentence=_uc,
        always_shown=True,
    ),
    _uc_part("standard_allowance", "Standard allowance", "standard_allowance", _standard),
    _uc_part("child_element", "Child element", "child_element", _child),
    _uc_part(
        "disabled_child_addition",
        "Disabled child addition",
        "disabled_child_addition",
        _disabled_child,
        rules_only=True,
    ),
    _uc_part("lcwra_element", "LCWRA (health) element", "lcwra_element", _lcwra),
    _uc_part("carer_element", "Carer element", "carer_element", _carer, rules_only=True),
    _uc_part("childcare_costs_element", "Childcare costs element", "childcare_costs_element", _childcare),
    _uc_part("housing_costs_element", "Housing costs element", "housing_costs_element", _housing),
    _uc_part(
        "transitional_element",
        "Transitional element (protection)",
        "transitional_element",
        _transitional,
        rules_only=True,
    ),
    _uc_part(
        "earnings_deduction",
        "Less: earnings ({rules.uc_taper:.0%} taper)",
        "earnings_deduction",
        _earnings_deduction,
        deduction=True,
    ),
    _uc_part(
        "unearned_income_deduction",
        "Less: other income",
        "unearned_income",
        _unearned,
        deduction=True,
        rules_only=True,
    ),
    _uc_part("benefit_cap_reduction", "Less: benefit cap", "benefit_cap_reduction", _cap, deduction=True),
    LineSpec(
        key="new_style_esa", label="New Style ESA", source="new_style_esa", sentence=_esa, rules_only=True
    ),
    LineSpec(
        key="new_style_jsa", label="New Style JSA", source="new_style_jsa", sentence=_jsa, rules_only=True
    ),
    LineSpec(key="pip", label="Personal Independence Payment", source="pip", sentence=_pip, rules_only=True),
    LineSpec(
        key="carers_allowance",
        label="Carer's Allowance",
        source="carers_allowance",
        sentence=_ca,
        rules_only=True,
    ),
    LineSpec(
        key="child_benefit", label="Child Benefit", source="child_benefit", sentence=_cb, rules_only=True
    ),
    LineSpec(
        key="high_income_child_benefit_charge",
        label="High Income Child Benefit Charge",
        source="high_income_child_benefit_charge",
        sentence=_hicbc,
        deduction=True,
        rules_only=True,
    ),
    LineSpec(
        key="council_tax_reduction",
        label="Council Tax Reduction (estimate)",
        source="council_tax_reduction",
        sentence=_ctr,
        estimate=True,
    ),
    LineSpec(
        key="scottish_child_payment",
        label="Scottish Child Payment",
        source="scottish_child_payment",
        sentence=_scp,
    ),
    LineSpec(
        key="pension_income",
        label="Pension income",
        source="pension_income",
        sentence=_pension_income,
        rules_only=True,
    ),
    LineSpec(
        key="work_costs",
        label="Work costs (travel and childcare)",
        source="work_costs",
        sentence=_work_costs,
        deduction=True,
        rules_only=True,
    ),
)
LINE_KEYS = tuple(line.key for line in LINES)

_ON_AWARD = "universal_credit."


def _amounts_function() -> Callable[[Money], list[float]]:
    """`amounts`, written out from LINES as one plain attribute read a line (of Money, or of its
    UC award for a source under "universal_credit."), negated for a deduction.

    Made from the table, so LINES stays the one place that says where a line's amount comes
    from and in what order; written out, as dataclasses writes out `__init__`, because it runs
    twice a calculation and plain reads of slots cost a fraction of attrgetter's lookups.
    """
    reads = []
    for line in LINES:
        name = line.source.removeprefix(_ON_AWARD)
        if not name.isidentifier():
            raise ValueError(f"line {line.key}: {line.source!r} is not an attribute of Money or its award")
        owner = "award" if line.source.startswith(_ON_AWARD) else "m"
        reads.append(f"{'-' if line.deduction else ''}{owner}.{name}")
    namespace: dict[str, Any] = {}
    exec(  # the source is made from LINES alone, checked above
        f"def amounts(m):\n    award = m.universal_credit\n    return [{', '.join(reads)}]\n", namespace
    )
    function: Callable[[Money], list[float]] = namespace["amounts"]
    function.__doc__ = "Each line's amount, signed by its effect on net income, in the order of LINES."
    return function


amounts = _amounts_function()


_by_year: dict[tuple[str, str], str] = {}


def explain(line: LineSpec, rules: Rules, s: Situation, now: Money, work: Money) -> str:
    if line.rules_only:
        cached = _by_year.get((line.key, rules.tax_year))
        if cached is None:
            cached = _by_year[(line.key, rules.tax_year)] = line.sentence(rules, s, now, work)
        return cached
    return line.sentence(rules, s, now, work)
