"""One household's money in one situation (now, or in the job), as steady monthly amounts.

`Situation` holds what does not change with the job; `money()` works out everything that
does. The hours sweep calls `money()` dozens of times, so it builds no text: lines and
explanations are made once, in result.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from calculator.engine.deductions import (
    PERIODS_PER_YEAR,
    Payslip,
    income_tax_annual,
    marriage_allowance_saving,
    payslip,
)
from calculator.engine.household import (
    Adult,
    CouncilTax,
    Household,
    Job,
    Nation,
    NewStyleEsa,
    PensionScheme,
    PipRate,
)
from calculator.engine.pension_age import reached
from calculator.engine.records import keyword_builder
from calculator.engine.rules import Rules
from calculator.engine.universal_credit import (
    NO_AWARD,
    UcAward,
    UcHousehold,
    assess,
    children_born_before_april_2017,
    uc_household,
)

# Enum members read on every calculation, bound once: CPython 3.11 reads a member from its
# class through the enum metaclass's __getattr__ hook, about 900 instructions a read against
# 20 for a module global.
SCOTLAND = Nation.SCOTLAND
NO_ESA, ASSESSMENT_PHASE = NewStyleEsa.NONE, NewStyleEsa.ASSESSMENT_PHASE
SUPPORT_GROUP = NewStyleEsa.SUPPORT_GROUP
NO_PIP, STANDARD, ENHANCED = PipRate.NONE, PipRate.STANDARD, PipRate.ENHANCED

WEEKS_PER_MONTH = 52 / 12


@dataclass(slots=True, kw_only=True)
class Pay:
    """One adult's pay from a job, monthly, and the weekly net figure benefit tests use."""

    hours: float
    hourly_wage: float
    gross: float
    income_tax: float  # tax on the earnings alone
    national_insurance: float
    pension: float  # paid by the employee
    net: float  # take-home: gross less income tax, NI and pension
    pension_gross: float
    taxable: float  # annual taxable pay (after a net-pay pension)
    adjusted_net_income: float  # annual, for the child benefit charge (less relief-at-source too)
    net_weekly_for_benefit_tests: float  # gross less tax, NI and half the pension (CA, ESA, JSA)
    payslip: Payslip | None = None  # one pay period's figures, for assessment periods


new_pay = keyword_builder(Pay)

NO_PAY = Pay(
    hours=0,
    hourly_wage=0,
    gross=0,
    income_tax=0,
    national_insurance=0,
    pension=0,
    net=0,
    pension_gross=0,
    taxable=0,
    adjusted_net_income=0,
    net_weekly_for_benefit_tests=0,
)


def enrolled_scheme(rules: Rules, job: Job, age: int, past_pension_age: bool) -> PensionScheme:
    """Pensions Act 2008 s.3: only jobholders aged 22 to State Pension age are enrolled automatically."""
    if rules.pension_minimum_age <= age and not past_pension_age:
        return job.pension
    return PensionScheme.OPT_OUT


def pay_for(
    rules: Rules,
    job: Job | None,
    scotland: bool,
    age: int,
    past_pension_age: bool,
    hours: float | None = None,
) -> Pay:
    """Pay from `job`, at `hours` a week instead of the job's own when given (the sweep)."""
    if job is None:
        return NO_PAY
    hours = job.hours_per_week if hours is None else hours
    if hours <= 0 or job.hourly_wage <= 0:
        return NO_PAY
    scheme = enrolled_scheme(rules, job, age, past_pension_age)
    slip = payslip(
        rules, hours, job.hourly_wage, job.pay_frequency, scheme, job.employee_pension_rate, past_pension_age
    )
    per_year = PERIODS_PER_YEAR[job.pay_frequency]
    gross_year = slip.gross * per_year
    taxable = gross_year - (slip.pension_gross * per_year if slip.pension_reduces_taxable_pay else 0.0)
    tax = income_tax_annual(rules, taxable, scotland) / 12
    gross = gross_year / 12
    ni = slip.national_insurance * per_year / 12
    pension = slip.pension * per_year / 12
    relief_at_source = 0.0 if slip.pension_reduces_taxable_pay else slip.pension_gross * per_year
    return new_pay(
        hours=hours,
        hourly_wage=job.hourly_wage,
        gross=gross,
        income_tax=tax,
        national_insurance=ni,
        pension=pension,
        net=gross - tax - ni - pension,
        pension_gross=slip.pension_gross * per_year / 12,
        taxable=taxable,
        adjusted_net_income=taxable - relief_at_source,
        net_weekly_for_benefit_tests=(gross - tax - ni - pension / 2) / WEEKS_PER_MONTH,
        payslip=slip,
    )


@dataclass(slots=True, kw_only=True)
class Situation:
    rules: Rules
    household: Household
    adults: tuple[Adult, ...]
    uc: UcHousehold
    scotland: bool
    pip_monthly: tuple[float, ...]
    child_benefit_monthly: float
    scp_children: int
    school_age_children: int
    earnings_tested: tuple[bool, ...]  # per adult: has income that earnings or tax interact with
    pip_total: float  # sum(pip_monthly), the PIP line in every situation
    # Per adult, for the childcare condition (reg 32): LCW, LCWRA or caring 35 hours.
    unable_to_look_after_children: tuple[bool, ...]
    past_pension_age: tuple[bool, ...]  # per adult, on the calculation date
    married: bool  # a married couple or civil partners: Marriage Allowance may apply
    council_tax: CouncilTax | None  # None when there is no charge to reduce


new_situation = keyword_builder(Situation)


def situation(rules: Rules, household: Household, on: date) -> Situation:
    partner = household.partner
    adults = (household.claimant, partner) if partner else (household.claimant,)
    children = household.children
    # List comprehensions, not generators, below: over one or two adults a generator costs
    # more to start than the work it does, and this runs for every calculation.
    pip = tuple([_pip_weekly(rules, a) * WEEKS_PER_MONTH for a in adults])
    youngest = rules.state_pension_ages[0][2]  # most households: nobody near State Pension age
    if all([a.age < youngest for a in adults]):
        past: tuple[bool, ...] = (False,) * len(adults)
    else:
        past = tuple([reached(rules.state_pension_ages, a.age, a.date_of_birth, on) for a in adults])
    return new_situation(
        rules=rules,
        household=household,
        adults=adults,
        uc=uc_household(rules, household, children_born_before_april_2017(household, on), past),
        scotland=household.nation is SCOTLAND,
        pip_monthly=pip,
        child_benefit_monthly=child_benefit_weekly(rules, len(children)) * WEEKS_PER_MONTH,
        scp_children=len([c for c in children if c.age < rules.scp_maximum_age]),
        school_age_children=len(
            [c for c in children if rules.school_age_from <= c.age < rules.school_age_until]
        ),
        earnings_tested=tuple(
            [
                a.new_style_esa is not NO_ESA
                or a.new_style_jsa
                or a.carers_allowance
                or a.pension_income_monthly > 0
                for a in adults
            ]
        ),
        pip_total=sum(pip),
        unable_to_look_after_children=tuple([a.lcw or a.lcwra or a.cares_35_hours for a in adults]),
        past_pension_age=past,
        married=household.married and partner is not None,
        council_tax=household.council_tax if household.council_tax.charge_monthly else None,
    )


def child_benefit_weekly(rules: Rules, children: int) -> float:
    """The higher rate for the eldest or only child, the other rate for each of the rest."""
    if not children:
        return 0.0
    return rules.child_benefit_eldest + rules.child_benefit_other * (children - 1)


def _pip_weekly(rules: Rules, adult: Adult) -> float:
    daily = adult.pip_daily_living
    mobility = adult.pip_mobility
    if daily is NO_PIP and mobility is NO_PIP:  # most people: no dicts to build
        return 0.0
    return {
        STANDARD: rules.pip_daily_living_standard,
        ENHANCED: rules.pip_daily_living_enhanced,
    }.get(daily, 0.0) + {
        STANDARD: rules.pip_mobility_standard,
        ENHANCED: rules.pip_mobility_enhanced,
    }.get(mobility, 0.0)


@dataclass(slots=True, kw_only=True)
class Money:
    """A situation's monthly money, unrounded: lines round each amount to the penny once.

    Deductions are positive amounts here; lines sign them. UC is already in pence (reg 6).
    `money` makes one with what the situation fixes and adds the rest in: the amounts start at
    nothing, so each adult's income is added as it is worked out.
    """

    pay: tuple[Pay, ...]
    earnings: float = 0.0
    income_tax: float = 0.0
    marriage_allowance: float = 0.0  # tax a married couple saves by transferring allowance, monthly
    national_insurance: float = 0.0
    pension: float = 0.0
    universal_credit: UcAward
    new_style_esa: float = 0.0
    new_style_jsa: float = 0.0
    pip: float
    carers_allowance: float = 0.0
    child_benefit: float
    high_income_child_benefit_charge: float = 0.0
    council_tax_reduction: float = 0.0
    scottish_child_payment: float = 0.0
    pension_income: float = 0.0
    work_costs: float
    # Which benefits stop because of work, for warnings and the sweep's cliff edges.
    esa_stopped_by_work: bool = False
    jsa_stopped_by_work: bool = False
    carers_allowance_stopped_by_work: bool = False

    @property
    def net_income(self) -> float:
        return (
            self.earnings
            - self.income_tax
            + self.marriage_allowance
            - self.national_insurance
            - self.pension
            + self.universal_credit.award
            + self.new_style_esa
            + self.new_style_jsa
            + self.pip
            + self.carers_allowance
            + self.child_benefit
            - self.high_income_child_benefit_charge
            + self.council_tax_reduction
            + self.scottish_child_payment
            + self.pension_income
            - self.work_costs
        )


new_money = keyword_builder(Money)


def _esa_weekly(rules: Rules, adult: Adult, pay: Pay) -> tuple[float, bool]:
    if adult.new_style_esa is NO_ESA:
        return 0.0, False
    if pay.gross and (
        pay.hours >= rules.esa_permitted_work_hours
        or pay.net_weekly_for_benefit_tests > rules.esa_permitted_work_limit
    ):
        return 0.0, True
    # New claims since April 2017 get no work-related activity component; the assessment
    # phase pays the age-related rate, after it everyone gets the 25-or-over rate.
    if adult.new_style_esa is ASSESSMENT_PHASE and adult.age < rules.esa_higher_rate_age:
        amount = rules.esa_under_25
    else:
        amount = rules.esa_25_or_over
    if adult.new_style_esa is SUPPORT_GROUP:
        amount += rules.esa_support_component
    return amount, False


def _jsa_weekly(rules: Rules, adult: Adult, pay: Pay) -> tuple[float, bool]:
    if not adult.new_style_jsa:
        return 0.0, False
    if pay.hours >= rules.jsa_remunerative_hours:
        return 0.0, True
    rate = rules.jsa_under_25 if adult.age < rules.jsa_higher_rate_age else rules.jsa_25_or_over
    reduced = rate - max(0.0, pay.net_weekly_for_benefit_tests - rules.jsa_earnings_disregard)
    return max(0.0, reduced), reduced <= 0


def _ca_weekly(rules: Rules, adult: Adult, pay: Pay) -> tuple[float, bool]:
    if not adult.carers_allowance:
        return 0.0, False
    if pay.net_weekly_for_benefit_tests > rules.carers_allowance_earnings_limit:
        return 0.0, True
    return rules.carers_allowance, False


@dataclass(slots=True)
class _Income:
    """What the adults' income adds up to for UC and for tax, one adult at a time (the amounts
    shown are added to the `Money` itself)."""

    earned: float = 0.0  # for UC: net of tax, NI and pension (reg 55)
    unearned: float = 0.0  # for UC: taxable benefits and pensions (reg 66)
    top_adjusted_net_income: float = 0.0  # the higher earner's, for the child benefit charge
    # Yearly taxable income of all adults and of the last added: two floats, not a list, as
    # only a married couple's Marriage Allowance needs each one's.
    taxable_total: float = 0.0
    taxable_last: float = 0.0


new_income = keyword_builder(_Income)


def _add_pay(m: Money, income: _Income, pay: Pay) -> None:
    """An adult with no ESA, JSA, Carer's Allowance or pension: nothing else to test."""
    income.earned += pay.net
    m.earnings += pay.gross
    m.income_tax += pay.income_tax
    m.national_insurance += pay.national_insurance
    m.pension += pay.pension
    if pay.adjusted_net_income > income.top_adjusted_net_income:
        income.top_adjusted_net_income = pay.adjusted_net_income
    income.taxable_total += pay.taxable
    income.taxable_last = pay.taxable


def _add_tested(m: Money, income: _Income, s: Situation, adult: Adult, pay: Pay) -> None:
    """An adult whose benefits or pension interact with their earnings and tax."""
    rules = s.rules
    esa_w, esa_stopped = _esa_weekly(rules, adult, pay)
    jsa_w, jsa_stopped = _jsa_weekly(rules, adult, pay)
    ca_w, ca_stopped = _ca_weekly(rules, adult, pay)
    m.esa_stopped_by_work |= esa_stopped
    m.jsa_stopped_by_work |= jsa_stopped
    m.carers_allowance_stopped_by_work |= ca_stopped
    esa, jsa, ca = esa_w * WEEKS_PER_MONTH, jsa_w * WEEKS_PER_MONTH, ca_w * WEEKS_PER_MONTH
    # Taxable benefits and pensions sit below earnings in the tax calculation, so the tax on
    # earnings is what the earnings add.
    other_taxable_year = (esa + jsa + ca + adult.pension_income_monthly) * 12
    tax = pay.income_tax
    if other_taxable_year:
        tax_other = income_tax_annual(rules, other_taxable_year, s.scotland)
        tax_all = income_tax_annual(rules, pay.taxable + other_taxable_year, s.scotland)
        tax = tax_all / 12
        income.earned += pay.gross - (tax_all - tax_other) / 12 - pay.national_insurance - pay.pension
    else:
        income.earned += pay.net
    m.earnings += pay.gross
    m.income_tax += tax
    m.national_insurance += pay.national_insurance
    m.pension += pay.pension
    m.new_style_esa += esa
    m.new_style_jsa += jsa
    m.carers_allowance += ca
    m.pension_income += adult.pension_income_monthly
    income.unearned += esa + jsa + ca + adult.pension_income_monthly
    income.top_adjusted_net_income = max(
        income.top_adjusted_net_income, pay.adjusted_net_income + other_taxable_year
    )
    income.taxable_last = pay.taxable + other_taxable_year
    income.taxable_total += income.taxable_last


def childcare_work_condition(s: Situation, pays: tuple[Pay, ...]) -> bool:
    """Reg 32: both in paid work, or one in work and the other unable to look after the children."""
    if len(pays) == 1:
        return pays[0].gross > 0
    working, partner_working = pays[0].gross > 0, pays[1].gross > 0
    claimant_unable, partner_unable = s.unable_to_look_after_children
    return (
        (working and partner_working) or (working and partner_unable) or (partner_working and claimant_unable)
    )


def high_income_child_benefit_charge(rules: Rules, child_benefit: float, top_income: float) -> float:
    """ITEPA 2003 s.681C: 1% of the Child Benefit for each full step of the higher income over
    the threshold."""
    if not child_benefit or top_income <= rules.hicbc_threshold:
        return 0.0
    percent = min(100, int((top_income - rules.hicbc_threshold) / (rules.hicbc_width / 100)))
    return child_benefit * percent / 100


def scottish_child_payment(s: Situation, uc: UcAward) -> float:
    """For each child under the maximum age while the household gets Universal Credit."""
    if s.scotland and uc.award > 0 and s.scp_children:
        return s.scp_children * s.rules.scp_weekly * WEEKS_PER_MONTH
    return 0.0


def council_tax_reduction(s: Situation, earned: float) -> float:
    """An estimate from the local scheme's maximum, taper and weekly earnings disregard."""
    council = s.council_tax
    if council is None:
        return 0.0
    net_weekly = earned / WEEKS_PER_MONTH
    taper = council.taper * max(0.0, net_weekly - council.earnings_disregard_weekly) * WEEKS_PER_MONTH
    return max(0.0, council.charge_monthly * council.maximum_reduction - taper)


def _marriage_allowance(s: Situation, income: _Income) -> float:
    """The tax a married couple saves with Marriage Allowance, monthly; less tax on their pay is
    more earned income for UC (reg 55), so it is added there too."""
    second = income.taxable_last
    saving, _ = marriage_allowance_saving(s.rules, (income.taxable_total - second, second), s.scotland)
    income.earned += saving / 12
    return saving / 12


def money(
    s: Situation, pays: tuple[Pay, ...], childcare_costs: float, work_costs: float, extra_earned: float = 0.0
) -> Money:
    """`extra_earned`: take-home pay UC counts beyond the pays' own (a one-off payment, or
    surplus earnings carried into a new claim), for the assessment periods."""
    # UC is assessed once the adults' income is in, below.
    m = new_money(
        pay=pays,
        universal_credit=NO_AWARD,
        pip=s.pip_total,
        child_benefit=s.child_benefit_monthly,
        work_costs=work_costs,
    )
    income = new_income()
    # By index rather than zip(..., strict=True): a keyword argument to a type costs a dict
    # in CPython 3.11, and this runs four times a calculation (pays and adults match by
    # construction).
    for index, pay in enumerate(pays):
        if s.earnings_tested[index]:
            _add_tested(m, income, s, s.adults[index], pay)
        else:
            _add_pay(m, income, pay)
    if s.married:
        m.marriage_allowance = _marriage_allowance(s, income)
    cb = s.child_benefit_monthly
    # The work condition matters only to childcare costs, which most households have none of.
    condition = childcare_work_condition(s, pays) if childcare_costs else False
    other_capped = cb + m.new_style_esa + m.new_style_jsa
    earned = income.earned + extra_earned
    rules = s.rules
    uc = assess(rules, s.uc, earned, income.unearned, childcare_costs, condition, other_capped)
    m.universal_credit = uc
    top_income = income.top_adjusted_net_income
    m.high_income_child_benefit_charge = high_income_child_benefit_charge(rules, cb, top_income)
    m.council_tax_reduction = council_tax_reduction(s, income.earned)
    m.scottish_child_payment = scottish_child_payment(s, uc)
    return m


def pays_now(s: Situation) -> tuple[Pay, ...]:
    past = s.past_pension_age
    return tuple([pay_for(s.rules, a.job, s.scotland, a.age, past[i]) for i, a in enumerate(s.adults)])


def pays_in_work(
    s: Situation, job: Job, who: int, hours: float | None = None, now: tuple[Pay, ...] | None = None
) -> tuple[Pay, ...]:
    """Everyone's pay with the job on offer replacing the person's current work."""
    pays = list(now or pays_now(s))
    pays[who] = pay_for(s.rules, job, s.scotland, s.adults[who].age, s.past_pension_age[who], hours)
    return tuple(pays)
