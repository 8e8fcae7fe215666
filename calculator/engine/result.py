"""The answer an advisor reads: itemised lines now and in work, totals, cautions, sweep."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from calculator.engine.assessment_periods import AssessmentPeriods, project
from calculator.engine.household import BetterOffRequest, PayFrequency, SweepRequest
from calculator.engine.lines import LINES, amounts, explain
from calculator.engine.passported import HelpLost, help_lost_in_work
from calculator.engine.records import keyword_builder
from calculator.engine.rules import Rules, rules_on
from calculator.engine.scenario import (
    WEEKS_PER_MONTH,
    Money,
    Situation,
    money,
    pays_in_work,
    pays_now,
    situation,
)
from calculator.parameters import minimum_hourly_wage

# Below this, "per extra hour" is not a figure anyone could use, and dividing by a
# vanishingly small number of hours (5e-324 passes validation) overflows.
MIN_EXTRA_HOURS = 0.01

# Enum members read on every calculation, bound once: CPython 3.11 reads a member from its
# class through the enum metaclass's __getattr__ hook, about 900 instructions a read against
# 20 for a module global.
MONTHLY = PayFrequency.MONTHLY


@dataclass(slots=True, kw_only=True)
class Line:
    key: str
    label: str
    now_monthly: float
    in_work_monthly: float
    change_monthly: float
    explanation: str
    part_of: str | None = None
    estimate: bool = False


new_line = keyword_builder(Line)


@dataclass(slots=True, kw_only=True)
class Totals:
    weekly: float
    monthly: float


@dataclass(slots=True, kw_only=True)
class BetterOff:
    weekly: float
    monthly: float
    per_extra_hour: float | None
    better_off: bool


@dataclass(slots=True)
class Caution:
    """Something the advisor should tell the person: a benefit that stops, a limit, a risk."""

    key: str
    message: str


@dataclass(slots=True, kw_only=True)
class BudgetResult:
    """Money left after what the household pays, now and in work (monthly)."""

    spending: float  # rent, service charges, council tax and the budget's bills, the same in work
    universal_credit_deductions_now: float  # no more than the UC there is
    universal_credit_deductions_in_work: float
    left_now: float
    left_in_work: float
    change: float
    # What the help lost in work is worth a month, where it has a value (help_lost_in_work): not
    # taken off what is left, as some of it depends on use.
    help_lost_monthly: float = 0.0


@dataclass(slots=True, kw_only=True)
class BetterOffResult:
    tax_year: str
    calculation_date: date
    hours_per_week: float
    hourly_wage: float
    lines: list[Line]
    now: Totals
    in_work: Totals
    better_off: BetterOff
    warnings: list[Caution]
    assessment_periods: AssessmentPeriods
    budget: BudgetResult | None = None
    help_lost_in_work: list[HelpLost] = field(default_factory=list)


new_totals = keyword_builder(Totals)
new_better_off = keyword_builder(BetterOff)
new_result = keyword_builder(BetterOffResult)


def _budget(p: _Prepared, now_net: float, work_net: float) -> BudgetResult | None:
    """What is left after the bills: read from the answer's totals, never feeding back into it."""
    household = p.request.household
    budget = household.budget
    if budget is None:
        return None
    housing = household.housing
    bills = (
        housing.rent_monthly
        + housing.service_charges_monthly
        + household.council_tax.charge_monthly
        + budget.energy_monthly
        + budget.water_monthly
        + budget.phone_and_broadband_monthly
        + budget.travel_monthly
        + budget.food_and_other_monthly
        + budget.debt_repayments_monthly
    )
    spending = pence_signed(bills)
    wanted = budget.universal_credit_deductions_monthly
    taken_now = pence_signed(min(wanted, p.now.universal_credit.award))
    taken_work = pence_signed(min(wanted, p.in_work.universal_credit.award))
    left_now = pence_signed(now_net - spending - taken_now)
    left_work = pence_signed(work_net - spending - taken_work)
    return BudgetResult(
        spending=spending,
        universal_credit_deductions_now=taken_now,
        universal_credit_deductions_in_work=taken_work,
        left_now=left_now,
        left_in_work=left_work,
        change=round(left_work - left_now, 2),
        help_lost_monthly=round(sum([help.monthly_value or 0.0 for help in p.help_lost]), 2),
    )


def _totals(monthly: float) -> Totals:
    return new_totals(weekly=pence_signed(monthly / WEEKS_PER_MONTH), monthly=pence_signed(monthly))


def pence_signed(amount: float) -> float:
    """To the penny, halves away from zero (the same as `pence` for amounts of either sign)."""
    return pennies(amount) / 100


def pennies(amount: float) -> int:
    """`amount` in whole pennies, halves away from zero."""
    return int(amount * 100 + (0.5 + 1e-9 if amount >= 0 else -0.5 - 1e-9))


@dataclass(slots=True, kw_only=True)
class _Prepared:
    request: BetterOffRequest
    rules: Rules
    on: date
    s: Situation
    who: int
    now: Money
    in_work: Money
    childcare_in_work: float
    work_costs_in_work: float
    help_lost: list[HelpLost]


new_prepared = keyword_builder(_Prepared)


def _prepare(request: BetterOffRequest, same_household: _Prepared | None = None) -> _Prepared:
    """Everything the answer is read from. `same_household`: a calculation already prepared for
    the same household and date (another offer), whose situation and money now are reused."""
    if same_household is None:
        on = request.on
        rules = rules_on(on)
        s = situation(rules, request.household, on)
        childcare_now = request.household.childcare_costs_monthly
        now = money(s, pays_now(s), childcare_now, childcare_now)
    else:
        on, rules, s, now = same_household.on, same_household.rules, same_household.s, same_household.now
    who = 0 if request.job.who == "claimant" else 1
    job = request.job
    work_costs = job.childcare_costs_monthly + job.travel_costs_weekly * WEEKS_PER_MONTH
    in_work = money(s, pays_in_work(s, job, who, now=now.pay), job.childcare_costs_monthly, work_costs)
    return new_prepared(
        request=request,
        rules=rules,
        on=on,
        s=s,
        who=who,
        now=now,
        in_work=in_work,
        childcare_in_work=job.childcare_costs_monthly,
        work_costs_in_work=work_costs,
        help_lost=help_lost_in_work(s, request.household.nation, now, in_work),
    )


@lru_cache(maxsize=16)
def _labels(rules: Rules) -> tuple[str, ...]:
    """Each line's label for a tax year: some name a figure ("Less: earnings (55% taper)")."""
    return tuple(line.label.format(rules=rules) for line in LINES)


def _lines(p: _Prepared) -> tuple[list[Line], float, float]:
    """The lines shown, and net income now and in work as the sums of the rounded main lines."""
    lines = []
    now_net = work_net = 0.0
    labels, now, work = _labels(p.rules), amounts(p.now), amounts(p.in_work)
    for index, line in enumerate(LINES):  # labels and amounts are in the order of LINES
        a, b = now[index], work[index]
        # Lines that are nothing either way (Scottish Child Payment in Wales, say) only clutter
        # the page and the client's summary; the core of the calculation is always shown.
        # Most lines are nothing both ways, so they are passed over before any rounding: they
        # would add 0.0 to the totals, which changes nothing (the totals are never -0.0).
        if not (a or b or line.always_shown):
            continue
        pennies_now = pennies(a) if a else 0
        pennies_in_work = pennies(b) if b else 0
        a, b = pennies_now / 100, pennies_in_work / 100
        if line.part_of is None:
            now_net += a
            work_net += b
        if not (a or b or line.always_shown):  # under half a penny both ways
            continue
        lines.append(
            new_line(
                key=line.key,
                label=labels[index],
                now_monthly=a,
                in_work_monthly=b,
                # The same float as round(b - a, 2), without round()'s detour through decimal
                # digits: the difference in whole pennies, divided once.
                change_monthly=(pennies_in_work - pennies_now) / 100,
                explanation=explain(line, p.rules, p.s, p.now, p.in_work),
                part_of=line.part_of,
                estimate=line.estimate,
            )
        )
    return lines, now_net, work_net


def _better_off(p: _Prepared, difference: float) -> BetterOff:
    job = p.request.job
    current = p.s.adults[p.who].job
    extra_hours = job.hours_per_week - (current.hours_per_week if current else 0.0)
    weekly = difference / WEEKS_PER_MONTH
    return new_better_off(
        weekly=pence_signed(weekly),
        monthly=pence_signed(difference),
        per_extra_hour=pence_signed(weekly / extra_hours) if extra_hours >= MIN_EXTRA_HOURS else None,
        better_off=difference > 0,
    )


def calculate(request: BetterOffRequest) -> BetterOffResult:
    """How much better or worse off the household would be with the job, itemised."""
    return result_of(_prepare(request))


def result_of(p: _Prepared) -> BetterOffResult:
    """The itemised answer for a prepared calculation."""
    job = p.request.job
    lines, now_net, work_net = _lines(p)
    # Totals are the sums of the rounded lines, so the page adds up to the penny.
    difference = work_net - now_net
    start = job.start_date or p.on
    periods = project(p.s, job, p.in_work, p.who, start, p.childcare_in_work, p.work_costs_in_work)
    return new_result(
        tax_year=p.rules.tax_year,
        calculation_date=p.on,
        hours_per_week=job.hours_per_week,
        hourly_wage=job.hourly_wage,
        lines=lines,
        now=_totals(now_net),
        in_work=_totals(work_net),
        better_off=_better_off(p, difference),
        warnings=cautions(p, periods, difference),
        assessment_periods=periods,
        budget=_budget(p, now_net, work_net),
        help_lost_in_work=p.help_lost,
    )


@lru_cache(maxsize=4096)
def _minimum_wage(on: date, band: str) -> float:
    return float(minimum_hourly_wage(on, band))


def minimum_wage_band(rules: Rules, age: int, apprentice: bool) -> str:
    """National Minimum Wage Regulations 2015 regs 4 and 4A: the band for a worker's age."""
    if apprentice:
        return "apprentice"
    if age >= rules.national_living_wage_age:
        return "21_and_over"
    if age >= rules.minimum_wage_18_to_20_age:
        return "18_to_20"
    return "under_18"


# Each caution is one small check of the prepared calculation, adding what it finds to
# `out`; they run in this order.
Check = Callable[["_Prepared", AssessmentPeriods, float, list[Caution]], None]


def _below_minimum_wage(
    p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]
) -> None:
    job = p.request.job
    band = minimum_wage_band(p.rules, p.s.adults[p.who].age, job.apprentice)
    minimum = _minimum_wage(job.start_date or p.on, band)
    if 0 < job.hourly_wage < minimum:
        out.append(
            Caution(
                "below_minimum_wage",
                f"£{job.hourly_wage:.2f} an hour is below the legal minimum of £{minimum:.2f} "
                f"for this person; the employer must pay at least that, and IPS does not count "
                f"it as a competitive job.",
            )
        )


def _worse_off(p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]) -> None:
    if difference < 0:
        out.append(
            Caution(
                "worse_off",
                f"This job would leave the household about £{-difference:,.2f} a "
                f"month worse off. Check the lines below before deciding.",
            )
        )


def _benefits_stopped_by_work(
    p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]
) -> None:
    rules, work = p.rules, p.in_work
    if work.esa_stopped_by_work:
        out.append(
            Caution(
                "permitted_work_limit",
                f"New Style ESA stops: permitted work allows under "
                f"{rules.esa_permitted_work_hours:g} hours a week and up to "
                f"£{rules.esa_permitted_work_limit:.2f} a week after tax and National Insurance.",
            )
        )
    if work.carers_allowance_stopped_by_work:
        out.append(
            Caution(
                "carers_allowance_limit",
                f"Carer's Allowance stops: earnings after tax, National Insurance and half of "
                f"pension contributions would be over £{rules.carers_allowance_earnings_limit:.0f} "
                f"a week. The UC carer element carries on.",
            )
        )
    if work.jsa_stopped_by_work:
        out.append(
            Caution(
                "jsa_stops",
                f"New Style JSA stops: {rules.jsa_remunerative_hours:g} hours or "
                f"more a week is full-time work for JSA, or earnings use it all up.",
            )
        )


def _benefit_cap(p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]) -> None:
    rules, now, work = p.rules, p.now.universal_credit, p.in_work.universal_credit
    if now.capped and not work.capped:
        out.append(
            Caution(
                "benefit_cap_ends",
                f"The benefit cap stops: earning £{rules.cap_earnings_exception:,.2f} a month or more "
                f"after tax ({rules.cap_earnings_exception_hours:g} hours at the National Living Wage) "
                "lifts it.",
            )
        )
    elif work.capped and not now.capped:
        out.append(Caution("benefit_cap_starts", "The benefit cap would start to reduce Universal Credit."))


def _capability_earnings(
    p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]
) -> None:
    rules = p.rules
    for index, adult in enumerate(p.s.adults):
        if not (adult.lcw or adult.lcwra):
            continue
        threshold = rules.capability_earnings_threshold
        if p.in_work.pay[index].net >= threshold:
            what = "LCWRA" if adult.lcwra else "LCW"
            out.append(
                Caution(
                    "capability_earnings_threshold",
                    f"Earnings of £{threshold:,.2f} a month or more "
                    f"({rules.uc_capability_earnings_hours:g} hours at the National "
                    f"Living Wage) mean DWP can treat the person as no longer having {what}; the "
                    f"health element could stop at the next review.",
                )
            )


def _universal_credit_ends(
    p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]
) -> None:
    if p.now.universal_credit.award > 0 and not p.in_work.universal_credit.award > 0:
        out.append(
            Caution(
                "universal_credit_ends",
                "Universal Credit would stop. Passported help that comes with it stops too.",
            )
        )


def _passported_help(p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]) -> None:
    """Help that comes with UC and stops in work, each with what it is worth (passported.py)."""
    for help in p.help_lost:
        out.append(Caution(help.key, f"{help.name} would stop: {help.detail}"))


def _scottish_child_payment_ends(
    p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]
) -> None:
    if p.now.scottish_child_payment and not p.in_work.scottish_child_payment:
        out.append(
            Caution(
                "scottish_child_payment_ends", "Scottish Child Payment stops when Universal Credit stops."
            )
        )


def _extra_paydays(p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]) -> None:
    frequency = p.request.job.pay_frequency
    if frequency is MONTHLY:
        return
    extra = [period for period in periods.periods if period.extra_payday]
    if not extra:
        return
    lost = sum([period.universal_credit_lost_to_extra_payday for period in extra])
    out.append(
        Caution(
            "extra_paydays",
            f"Being paid {frequency.replace('_', '-')} puts an extra payday into "
            f"some assessment periods, and UC is about £{lost:,.2f} lower over the year in "
            f"those months. Budget for the lowest month: about "
            f"£{periods.lowest_net_income:,.2f} (period {periods.lowest_period}).",
        )
    )


def _surplus_earnings(
    p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]
) -> None:
    """UC Regulations reg 54A, as the assessment periods apply it."""
    if not periods.surplus_earnings_carried:
        return
    carried = [period for period in periods.periods if period.surplus_earnings > 0]
    first = carried[0]
    lost = sum(period.universal_credit_lost_to_surplus for period in carried)
    threshold = p.rules.uc_surplus_earnings_threshold
    out.append(
        Caution(
            "surplus_earnings",
            f"Universal Credit would be nil in period {first.number - 1}, which ends the award. On "
            f"a new claim straight away, £{first.surplus_earnings:,.2f} of surplus earnings (pay "
            f"over the point where UC stops, plus £{threshold:,.0f}) counts as pay in period "
            f"{first.number}"
            + (" and up to 4 periods after it" if len(carried) > 1 else "")
            + f", so UC is about £{lost:,.2f} lower. The £2,500 allowance for this ended on "
            "31 March 2026 and no later extension has been published.",
        )
    )


def _marriage_allowance(
    p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]
) -> None:
    """ITA 2007 s.55B: the transfer helps only while the giver's income is under their allowance
    and neither pays above the basic rate (Scotland: the intermediate rate)."""
    now, work = p.now.marriage_allowance, p.in_work.marriage_allowance
    if now > 0 and work < now - 0.005:
        out.append(
            Caution(
                "marriage_allowance_ends" if work == 0 else "marriage_allowance_falls",
                f"Marriage Allowance saves about £{now:,.2f} a month now but "
                + ("nothing" if work == 0 else f"about £{work:,.2f}")
                + " with the job: the one who gives allowance away would earn over their personal "
                f"allowance of £{p.rules.personal_allowance:,.0f} (or one of them would pay "
                "higher-rate tax), so the transfer costs them nearly what it saves their partner. It "
                "runs to the end of the tax year once claimed; cancel it for the next one.",
            )
        )
    elif work > now + 0.005 and p.request.household.married:
        out.append(
            Caution(
                "marriage_allowance_starts",
                f"With the job, Marriage Allowance would save about £{work:,.2f} a month: claim it "
                "at gov.uk/marriage-allowance (the figures assume it is claimed).",
            )
        )


# UC (Transitional Provisions) Regulations 2014, regs 55-57, as DWP's guidance "Move to
# Universal Credit (managed migration): transitional protection" sets them out.
TRANSITIONAL_ENDS = (
    "transitional protection ends when the award ends and is not paid on a later claim, except "
    "where DWP restores it on a new claim soon after an award ended because of earnings "
    "(UC (Transitional Provisions) Regulations 2014, regulations 56 and 57)"
)


def _transitional_protection(
    p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]
) -> None:
    """Exactly when the job would end the transitional element: UC stopping, in every month or
    in one month of the projection; otherwise that it carries on."""
    te = p.s.uc.transitional_element
    if not te or not p.now.universal_credit.award > 0:
        return
    if not p.in_work.universal_credit.award > 0:
        message = (
            f"Universal Credit would stop with this job, and the £{te:,.2f} a month transitional "
            f"element with it: {TRANSITIONAL_ENDS}. Check DWP's time limit if the job may not last."
        )
        out.append(Caution("transitional_protection_ends", message))
        return
    nil = [period.number for period in periods.periods if not period.universal_credit > 0]
    if nil:
        message = (
            f"Universal Credit would be nil in assessment period {', '.join(map(str, nil))} (more "
            f"pay lands in it), and an award can end on a nil month: {TRANSITIONAL_ENDS}. Tell DWP "
            "at once, or ask the employer about paydays."
        )
        out.append(Caution("transitional_protection_at_risk", message))
        return
    message = (
        f"The £{te:,.2f} a month transitional element carries on in work: starting a job does not "
        "end it. It ends if Universal Credit stops, if the person joins or leaves a couple, or (for "
        "someone who earned at least the administrative earnings threshold in the first assessment "
        "period of their award) after three assessment periods in a row below it."
    )
    out.append(Caution("transitional_protection_kept", message))


def _universal_credit_not_covered(
    p: _Prepared, periods: AssessmentPeriods, difference: float, out: list[Caution]
) -> None:
    if p.s.uc.not_entitled:
        out.append(Caution("universal_credit_not_covered", p.s.uc.not_entitled))


CHECKS: tuple[Check, ...] = (
    _below_minimum_wage,
    _worse_off,
    _benefits_stopped_by_work,
    _benefit_cap,
    _capability_earnings,
    _universal_credit_ends,
    _passported_help,
    _scottish_child_payment_ends,
    _extra_paydays,
    _surplus_earnings,
    _marriage_allowance,
    _transitional_protection,
    _universal_credit_not_covered,
)


def cautions(p: _Prepared, periods: AssessmentPeriods, difference: float) -> list[Caution]:
    """What the advisor should raise with the person, in the order the checks run."""
    out: list[Caution] = []
    for check in CHECKS:
        check(p, periods, difference, out)
    return out


@dataclass(slots=True)
class SweepPoint:
    hours: float
    earnings_monthly: float
    net_income_monthly: float
    universal_credit_monthly: float
    marginal_deduction_rate: float | None


@dataclass(slots=True)
class CliffEdge:
    hours: float
    key: str
    message: str


@dataclass(slots=True)
class SweepResult:
    tax_year: str
    proposed_hours: float
    points: list[SweepPoint]
    cliff_edges: list[CliffEdge]


CLIFFS = (
    ("esa_stopped_by_work", "permitted_work_limit", "New Style ESA stops"),
    ("carers_allowance_stopped_by_work", "carers_allowance_limit", "Carer's Allowance stops"),
    ("jsa_stopped_by_work", "jsa_stops", "New Style JSA stops"),
)


def _cliff_edges(hours: float, m: Money, previous: Money) -> Iterator[CliffEdge]:
    """What stops or starts between the previous point of the sweep and this one."""
    for flag, key, message in CLIFFS:
        if getattr(m, flag) and not getattr(previous, flag):
            yield CliffEdge(hours, key, message)
    uc, before = m.universal_credit, previous.universal_credit
    if before.award > 0 and uc.award == 0:
        yield CliffEdge(hours, "universal_credit_ends", "Universal Credit stops")
    if uc.capped != before.capped:
        yield CliffEdge(hours, "benefit_cap", "Benefit cap " + ("starts" if uc.capped else "ends"))


def sweep(request: SweepRequest) -> SweepResult:
    """Net income at 0, step, 2*step ... maximum_hours, with the marginal deduction rate."""
    p = _prepare(request)
    job = request.job
    points: list[SweepPoint] = []
    cliffs: list[CliffEdge] = []
    previous: Money | None = None
    for i in range(round(request.maximum_hours / request.step) + 1):
        hours = round(i * request.step, 4)
        pays = pays_in_work(p.s, job, p.who, hours, now=p.now.pay)
        m = money(p.s, pays, job.childcare_costs_monthly, p.work_costs_in_work if hours else 0.0)
        rate = None
        if previous is not None and m.earnings != previous.earnings:
            rate = round(1 - (m.net_income - previous.net_income) / (m.earnings - previous.earnings), 4)
            cliffs.extend(_cliff_edges(hours, m, previous))
        points.append(
            SweepPoint(
                hours=hours,
                earnings_monthly=m.earnings,
                net_income_monthly=pence_signed(m.net_income),
                universal_credit_monthly=m.universal_credit.award,
                marginal_deduction_rate=rate,
            )
        )
        previous = m
    return SweepResult(
        tax_year=p.rules.tax_year, proposed_hours=job.hours_per_week, points=points, cliff_edges=cliffs
    )
