"""The answer an advisor reads: itemised lines now and in work, totals, warnings, sweep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from calculator.engine.assessment_periods import AssessmentPeriods, project
from calculator.engine.explain import LABELS, explain
from calculator.engine.household import BetterOffRequest, Nation, PayFrequency, SweepRequest
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

# Main lines add up to net income; UC's parts add up to the UC line.
MAIN_KEYS = (
    "earnings",
    "income_tax",
    "national_insurance",
    "pension",
    "universal_credit",
    "new_style_esa",
    "new_style_jsa",
    "pip",
    "carers_allowance",
    "child_benefit",
    "high_income_child_benefit_charge",
    "council_tax_reduction",
    "scottish_child_payment",
    "pension_income",
    "work_costs",
)
UC_KEYS = (
    "standard_allowance",
    "child_element",
    "disabled_child_addition",
    "lcwra_element",
    "carer_element",
    "childcare_costs_element",
    "housing_costs_element",
    "earnings_deduction",
    "unearned_income_deduction",
    "benefit_cap_reduction",
)
ESTIMATES = {"council_tax_reduction"}
ALWAYS_SHOWN = {"earnings", "income_tax", "national_insurance", "universal_credit"}
# The order lines are shown in: UC's parts straight after the UC line.
LINE_KEYS = tuple(
    key
    for main in MAIN_KEYS
    for key in (
        (main, *(f"universal_credit.{part}" for part in UC_KEYS)) if main == "universal_credit" else (main,)
    )
)

# Below this, "per extra hour" is not a figure anyone could use, and dividing by a
# vanishingly small number of hours (5e-324 passes validation) overflows.
MIN_EXTRA_HOURS = 0.01


@dataclass(slots=True)
class Line:
    key: str
    label: str
    now_monthly: float
    in_work_monthly: float
    change_monthly: float
    explanation: str
    part_of: str | None = None
    estimate: bool = False


@dataclass(slots=True)
class Totals:
    weekly: float
    monthly: float


@dataclass(slots=True)
class BetterOff:
    weekly: float
    monthly: float
    per_extra_hour: float | None
    better_off: bool


@dataclass(slots=True)
class Warning:
    key: str
    message: str


@dataclass(slots=True)
class BetterOffResult:
    tax_year: str
    calculation_date: date
    hours_per_week: float
    hourly_wage: float
    lines: list[Line]
    now: Totals
    in_work: Totals
    better_off: BetterOff
    warnings: list[Warning]
    assessment_periods: AssessmentPeriods


LINE_SPECS = tuple(
    (key, LABELS[key], "universal_credit" if key.startswith("universal_credit.") else None, key in ESTIMATES)
    for key in LINE_KEYS
)


def _amounts(m: Money) -> tuple[float, ...]:
    """Every line's amount, signed by its effect on net income, in LINE_KEYS order.

    A tuple rather than a dict keyed by line: built twice per calculation, and a dict of 25
    took four times as long. test_result checks the order against LINE_KEYS.
    """
    uc = m.universal_credit
    return (
        m.earnings,
        -m.income_tax,
        -m.national_insurance,
        -m.pension,
        uc.award,  # universal_credit
        uc.standard_allowance,
        uc.child_element,
        uc.disabled_child_addition,
        uc.lcwra_element,
        uc.carer_element,
        uc.childcare_costs_element,
        uc.housing_costs_element,
        -uc.earnings_deduction,
        -uc.unearned_income,  # universal_credit.unearned_income_deduction
        -uc.benefit_cap_reduction,
        m.new_style_esa,
        m.new_style_jsa,
        m.pip,
        m.carers_allowance,
        m.child_benefit,
        -m.high_income_child_benefit_charge,
        m.council_tax_reduction,
        m.scottish_child_payment,
        m.pension_income,
        -m.work_costs,
    )


def _totals(monthly: float) -> Totals:
    return Totals(weekly=pence_signed(monthly / WEEKS_PER_MONTH), monthly=pence_signed(monthly))


def pence_signed(amount: float) -> float:
    """To the penny, halves away from zero (the same as `pence` for amounts of either sign)."""
    return int(amount * 100 + (0.5 + 1e-9 if amount >= 0 else -0.5 - 1e-9)) / 100


@dataclass(slots=True)
class _Prepared:
    rules: Rules
    on: date
    s: Situation
    who: int
    now: Money
    in_work: Money
    childcare_in_work: float
    work_costs_in_work: float


def _prepare(request: BetterOffRequest) -> _Prepared:
    on = request.calculation_date or date.today()
    rules = rules_on(on)
    s = situation(rules, request.household, on)
    who = 0 if request.job.who == "claimant" else 1
    job = request.job
    current = pays_now(s)
    now = money(
        s, current, request.household.childcare_costs_monthly, request.household.childcare_costs_monthly
    )
    work_costs = job.childcare_costs_monthly + job.travel_costs_weekly * WEEKS_PER_MONTH
    in_work = money(s, pays_in_work(s, job, who, now=current), job.childcare_costs_monthly, work_costs)
    return _Prepared(rules, on, s, who, now, in_work, job.childcare_costs_monthly, work_costs)


def _lines(p: _Prepared) -> tuple[list[Line], float, float]:
    """The lines shown, and net income now and in work as the sums of the rounded main lines."""
    lines = []
    now_net = work_net = 0.0
    for (key, label, part_of, estimate), a, b in zip(
        LINE_SPECS, _amounts(p.now), _amounts(p.in_work), strict=True
    ):
        # Lines that are nothing either way (Scottish Child Payment in Wales, say) only clutter
        # the page and the client's summary; the core of the calculation is always shown.
        # Most lines are nothing both ways, so they are passed over before any rounding: they
        # would add 0.0 to the totals, which changes nothing (the totals are never -0.0).
        if not (a or b or key in ALWAYS_SHOWN):
            continue
        a = pence_signed(a) if a else 0.0
        b = pence_signed(b) if b else 0.0
        if part_of is None:
            now_net += a
            work_net += b
        if not (a or b or key in ALWAYS_SHOWN):  # under half a penny both ways
            continue
        # round() is slow and only needed when both sides are non-zero: a penny amount less
        # nothing is already exactly its own rounding.
        lines.append(
            Line(
                key,
                label,
                a,
                b,
                round(b - a, 2) if a and b else b - a,
                explain(key, p.rules, p.s, p.now, p.in_work),
                part_of,
                estimate,
            )
        )
    return lines, now_net, work_net


def calculate(request: BetterOffRequest) -> BetterOffResult:
    """How much better or worse off the household would be with the job, itemised."""
    p = _prepare(request)
    job = request.job
    lines, now_net, work_net = _lines(p)
    # Totals are the sums of the rounded lines, so the page adds up to the penny.
    difference = work_net - now_net
    current = request.household.claimant.job if p.who == 0 else request.household.partner.job  # type: ignore[union-attr]
    extra_hours = job.hours_per_week - (current.hours_per_week if current else 0.0)
    weekly = difference / WEEKS_PER_MONTH
    start = job.start_date or p.on
    periods = project(p.s, job, p.in_work, p.who, start, p.childcare_in_work, p.work_costs_in_work)
    return BetterOffResult(
        tax_year=p.rules.tax_year,
        calculation_date=p.on,
        hours_per_week=job.hours_per_week,
        hourly_wage=job.hourly_wage,
        lines=lines,
        now=_totals(now_net),
        in_work=_totals(work_net),
        better_off=BetterOff(
            weekly=pence_signed(weekly),
            monthly=pence_signed(difference),
            per_extra_hour=(pence_signed(weekly / extra_hours) if extra_hours >= MIN_EXTRA_HOURS else None),
            better_off=difference > 0,
        ),
        warnings=warnings(request, p, periods, difference),
        assessment_periods=periods,
    )


@lru_cache(maxsize=4096)
def _minimum_wage(on: date, band: str) -> float:
    return float(minimum_hourly_wage(on, band))


def warnings(
    request: BetterOffRequest, p: _Prepared, periods: AssessmentPeriods, difference: float
) -> list[Warning]:
    rules, job, now, work = p.rules, request.job, p.now, p.in_work
    adults = p.s.adults
    worker = adults[p.who]
    out: list[Warning] = []

    band = (
        "apprentice"
        if job.apprentice
        else "21_and_over"
        if worker.age >= rules.national_living_wage_age
        else "18_to_20"
        if worker.age >= rules.minimum_wage_18_to_20_age
        else "under_18"
    )
    minimum = _minimum_wage(job.start_date or p.on, band)
    if 0 < job.hourly_wage < minimum:
        out.append(
            Warning(
                "below_minimum_wage",
                f"£{job.hourly_wage:.2f} an hour is below the legal minimum of £{minimum:.2f} "
                f"for this person; the employer must pay at least that, and IPS does not count "
                f"it as a competitive job.",
            )
        )
    if difference < 0:
        out.append(
            Warning(
                "worse_off",
                f"This job would leave the household about £{-difference:,.2f} a "
                f"month worse off. Check the lines below before deciding.",
            )
        )
    if work.esa_stopped_by_work:
        out.append(
            Warning(
                "permitted_work_limit",
                f"New Style ESA stops: permitted work allows under "
                f"{rules.esa_permitted_work_hours:g} hours a week and up to "
                f"£{rules.esa_permitted_work_limit:.2f} a week after tax and National Insurance.",
            )
        )
    if work.carers_allowance_stopped_by_work:
        out.append(
            Warning(
                "carers_allowance_limit",
                f"Carer's Allowance stops: earnings after tax, National Insurance and half of "
                f"pension contributions would be over £{rules.carers_allowance_earnings_limit:.0f} "
                f"a week. The UC carer element carries on.",
            )
        )
    if work.jsa_stopped_by_work:
        out.append(
            Warning(
                "jsa_stops",
                f"New Style JSA stops: {rules.jsa_remunerative_hours:g} hours or "
                f"more a week is full-time work for JSA, or earnings use it all up.",
            )
        )
    if now.universal_credit.capped and not work.universal_credit.capped:
        out.append(
            Warning(
                "benefit_cap_ends",
                f"The benefit cap stops: earning £{rules.cap_earnings_exception:,.2f} a month or more "
                f"after tax ({rules.cap_earnings_exception_hours:g} hours at the National Living Wage) "
                "lifts it.",
            )
        )
    elif work.universal_credit.capped and not now.universal_credit.capped:
        out.append(Warning("benefit_cap_starts", "The benefit cap would start to reduce Universal Credit."))
    threshold = rules.capability_earnings_threshold
    for index, adult in enumerate(adults):
        if (adult.lcw or adult.lcwra) and work.pay[index].net >= threshold:
            what = "LCWRA" if adult.lcwra else "LCW"
            out.append(
                Warning(
                    "capability_earnings_threshold",
                    f"Earnings of £{threshold:,.2f} a month or more "
                    f"({rules.uc_capability_earnings_hours:g} hours at the National "
                    f"Living Wage) mean DWP can treat the person as no longer having {what}; the "
                    f"health element could stop at the next review.",
                )
            )
    had_uc, keeps_uc = now.universal_credit.award > 0, work.universal_credit.award > 0
    if had_uc and not keeps_uc:
        out.append(
            Warning(
                "universal_credit_ends",
                "Universal Credit would stop. Passported help that comes with it stops too.",
            )
        )
    nation = request.household.nation
    if nation is Nation.ENGLAND and had_uc:
        lcw = p.s.uc.has_capability_for_work_limit or p.s.uc.has_children
        limit = rules.prescriptions_limit_with_children_or_lcw if lcw else rules.prescriptions_limit
        take_home = sum(pay.net for pay in work.pay)
        if not keeps_uc or take_home > limit:
            out.append(
                Warning(
                    "free_prescriptions",
                    f"Free NHS prescriptions through UC stop above £{limit:.0f} take-home pay in an "
                    f"assessment period; a prepayment certificate can cap the cost.",
                )
            )
        if p.s.school_age_children and not keeps_uc:
            out.append(
                Warning(
                    "free_school_meals",
                    "Free school meals in England depend on getting UC; they stop if UC stops.",
                )
            )
    if now.scottish_child_payment and not work.scottish_child_payment:
        out.append(
            Warning(
                "scottish_child_payment_ends", "Scottish Child Payment stops when Universal Credit stops."
            )
        )
    if job.pay_frequency is not PayFrequency.MONTHLY and any(
        [period.extra_payday for period in periods.periods]
    ):
        lost = sum(period.universal_credit_lost_to_extra_payday for period in periods.periods)
        out.append(
            Warning(
                "extra_paydays",
                f"Being paid {job.pay_frequency.value.replace('_', '-')} puts an extra payday into "
                f"some assessment periods, and UC is about £{lost:,.2f} lower over the year in "
                f"those months. Budget for the lowest month: about "
                f"£{periods.lowest_net_income:,.2f} (period {periods.lowest_period}).",
            )
        )
    if p.s.uc.not_entitled:
        out.append(Warning("universal_credit_not_covered", p.s.uc.not_entitled))
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


def sweep(request: SweepRequest) -> SweepResult:
    """Net income at 0, step, 2*step ... maximum_hours, with the marginal deduction rate."""
    p = _prepare(request)
    job = request.job
    work_costs = p.work_costs_in_work
    points: list[SweepPoint] = []
    cliffs: list[CliffEdge] = []
    previous: Money | None = None
    steps = round(request.maximum_hours / request.step)
    for i in range(steps + 1):
        hours = round(i * request.step, 4)
        m = money(
            p.s,
            pays_in_work(p.s, job, p.who, hours, now=p.now.pay),
            job.childcare_costs_monthly,
            work_costs if hours else 0.0,
        )
        rate = None
        if previous is not None and m.earnings != previous.earnings:
            rate = round(1 - (m.net_income - previous.net_income) / (m.earnings - previous.earnings), 4)
            for flag, key, message in CLIFFS:
                if getattr(m, flag) and not getattr(previous, flag):
                    cliffs.append(CliffEdge(hours, key, message))
            if previous.universal_credit.award > 0 and m.universal_credit.award == 0:
                cliffs.append(CliffEdge(hours, "universal_credit_ends", "Universal Credit stops"))
            if m.universal_credit.capped != previous.universal_credit.capped:
                cliffs.append(
                    CliffEdge(
                        hours,
                        "benefit_cap",
                        "Benefit cap " + ("starts" if m.universal_credit.capped else "ends"),
                    )
                )
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
