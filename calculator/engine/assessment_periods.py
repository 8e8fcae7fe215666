"""Twelve UC assessment periods from a job start, with real paydays.

UC counts the pay received in each monthly assessment period. Weekly, fortnightly and
four-weekly pay put an extra payday into some months, and UC falls in those months:
the averages hide this, and it is why people say "I thought I'd be better off".
"""

from __future__ import annotations

import calendar
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from calculator.engine.deductions import PERIODS_PER_YEAR, pence
from calculator.engine.household import PayFrequency, ProposedJob
from calculator.engine.records import keyword_builder
from calculator.engine.rules import Rules
from calculator.engine.scenario import Money, Situation, money, new_pay
from calculator.engine.universal_credit import UcAward, UcHousehold

ONE_DAY = timedelta(days=1)
STEP_DAYS = {PayFrequency.WEEKLY: 7, PayFrequency.FORTNIGHTLY: 14, PayFrequency.FOUR_WEEKLY: 28}


@dataclass(slots=True, kw_only=True)
class AssessmentPeriod:
    number: int
    starts: date
    ends: date
    paydays: list[date]
    earnings: float
    universal_credit: float
    net_income: float
    extra_payday: bool
    universal_credit_lost_to_extra_payday: float
    one_off_payment: float = 0.0  # take-home, paid in this period
    surplus_earnings: float = 0.0  # carried in from a nil period before (UC Regs reg 54A)
    universal_credit_lost_to_surplus: float = 0.0


@dataclass(slots=True, kw_only=True)
class AssessmentPeriods:
    periods: list[AssessmentPeriod]
    average_net_income: float
    lowest_net_income: float
    lowest_period: int
    average_universal_credit: float
    note: str
    surplus_earnings_carried: float = 0.0  # the most carried into any period (reg 54A)


new_assessment_period = keyword_builder(AssessmentPeriod)
new_assessment_periods = keyword_builder(AssessmentPeriods)


DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _on_day(year: int, month: int, day: int) -> date:
    """`day` of a month, or its last day when the month is shorter."""
    if day > 28:
        # calendar.monthrange also works out the first weekday, which is not needed here.
        last = 29 if month == 2 and calendar.isleap(year) else DAYS_IN_MONTH[month - 1]
        day = min(day, last)
    return date(year, month, day)


def _month_plus(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def period_starts(first_day_in: date, start_day: int, count: int) -> list[date]:
    """The start dates of `count` + 1 assessment periods, the first containing `first_day_in`."""
    year, month = first_day_in.year, first_day_in.month
    if first_day_in < _on_day(year, month, start_day):
        year, month = _month_plus(year, month, -1)
    first = year * 12 + month - 1  # months since year 0, so each period is one more
    if start_day <= 28:  # every month has the day: no month lengths to look up
        return [date(index // 12, index % 12 + 1, start_day) for index in range(first, first + count + 1)]
    return [_on_day(index // 12, index % 12 + 1, start_day) for index in range(first, first + count + 1)]


def next_payday(first: date, frequency: PayFrequency, n: int = 1) -> date:
    """The payday `n` periods after `first`; monthly pay keeps its day (the 31st stays the 31st)."""
    if frequency is PayFrequency.MONTHLY:
        return _on_day(*_month_plus(first.year, first.month, n), first.day)
    return first + timedelta(days=STEP_DAYS[frequency] * n)


def paydays(first: date, frequency: PayFrequency, until: date, day_of_month: int | None = None) -> list[date]:
    """Paydays from `first` to `until`; monthly pay falls on `day_of_month` (first's day unless
    given), or the month's last day when it is shorter."""
    if frequency is PayFrequency.MONTHLY:
        days: list[date] = []
        index = first.year * 12 + first.month - 1
        wanted = day_of_month or first.day
        while (day := _on_day(index // 12, index % 12 + 1, wanted)) <= until:
            days.append(day)
            index += 1
        return days
    return list(map(date.fromordinal, range(first.toordinal(), until.toordinal() + 1, STEP_DAYS[frequency])))


def _by_period(all_paydays: list[date], starts: list[date]) -> tuple[tuple[date, ...], ...]:
    """The paydays in each period [starts[i], starts[i + 1]): each search starts where the last ended."""
    sliced = []
    j = bisect_left(all_paydays, starts[0])  # paydays before the first period are in none
    for end in starts[1:]:
        k = bisect_left(all_paydays, end, j)
        sliced.append(tuple(all_paydays[j:k]))
        j = k
    return tuple(sliced)


@dataclass(frozen=True, slots=True)
class _Calendar:
    """Where twelve periods fall and which paydays land in each: dates only, no money."""

    starts: tuple[date, ...]
    ends: tuple[date, ...]
    paydays: tuple[tuple[date, ...], ...]  # one tuple per period
    counts: tuple[int, ...]  # how many paydays each period has
    usual: int  # the most common number of paydays after the first period


@lru_cache(maxsize=1024)
def _calendar(
    start: date, start_day: int, first_payday: date | None, frequency: PayFrequency, count: int
) -> _Calendar:
    """The periods and the paydays in each: a pure function of a few dates.

    Making some 80 dates takes 10-15 µs, a sixth of a calculation, and calculations share
    start dates (a client's recalculations and sweep, a week's job starts), so this is
    cached. The key is dates and a pay frequency only, so one household's money cannot reach
    another's answer; `project` copies the payday tuples into fresh lists for each result.
    """
    starts = period_starts(start, start_day, count)
    first = first_payday or next_payday(start, frequency)
    # Paid monthly from a start on the 31st, the default first payday is 30 April (say), but
    # later ones are on the 31st again, not on the 30th for good.
    day_of_month = (first_payday or start).day
    by_period = _by_period(paydays(first, frequency, starts[-1] - ONE_DAY, day_of_month), starts)
    counts = tuple(map(len, by_period))
    return _Calendar(
        starts=tuple(starts[:count]),
        ends=tuple([day - ONE_DAY for day in starts[1:]]),
        paydays=by_period,
        counts=counts,
        usual=_usual(counts),
    )


def _usual(counts: tuple[int, ...]) -> int:
    """The number of paydays most periods after the first have: a period with more has an extra
    payday (the first can have more or fewer as the job starts)."""
    later = counts[1:] or counts
    return max(set(later), key=later.count)


NOTE = (
    "Each period counts the pay received in it. Periods with an extra payday show the "
    "Universal Credit lost in them. A period in which UC is nil ends the award; a new claim "
    "straight away is assumed, with any surplus earnings carried into it (UC Regulations reg 54A)."
)


def project(
    s: Situation,
    job: ProposedJob,
    steady: Money,
    who: int,
    start: date,
    childcare: float,
    work_costs: float,
    count: int = 12,
) -> AssessmentPeriods:
    """`steady` is the household's money in work, as worked out for the monthly comparison,
    with the same `childcare` and `work_costs`: a period paid exactly as the steady month
    takes its figures from it."""
    calendar = _calendar(
        start, job.assessment_period_start_day or start.day, job.first_payday, job.pay_frequency, count
    )
    paid = steady.pay[who].payslip is not None
    period_money = new_period_money(
        s=s, job=job, steady=steady, who=who, childcare=childcare, work_costs=work_costs
    )
    # Periods with the same number of paydays have the same money, so it is worked out once
    # per number, not once per period.
    counts, usual = (calendar.counts, calendar.usual) if paid else ((0,) * count, 0)
    rounded = {n: _rounded(period_money.for_paydays(n)) for n in set(counts)}

    periods = _periods(calendar, counts, usual, rounded)
    one_off = _one_off_period(calendar, job) if job.one_off_payment else None
    # Surplus earnings need an award to end (some period with UC) and a nil period or a one-off
    # payment; the few distinct figures say so without looking at every period.
    awards = [figures[1] for figures in rounded.values()]
    carried = 0.0
    if max(awards) > 0 and (one_off is not None or min(awards) <= 0):
        surplus_earnings(periods, counts, one_off, job.one_off_payment, period_money)
        carried = max(period.surplus_earnings for period in periods)
    nets = [period.net_income for period in periods]
    lowest = min(nets)
    return new_assessment_periods(
        periods=periods,
        average_net_income=pence(sum(nets) / count),
        lowest_net_income=lowest,
        lowest_period=nets.index(lowest) + 1,  # the first of equals, as min() picks
        average_universal_credit=pence(sum([period.universal_credit for period in periods]) / count),
        note=NOTE,
        surplus_earnings_carried=carried,
    )


def _periods(
    calendar: _Calendar, counts: tuple[int, ...], usual: int, rounded: dict[int, tuple[float, float, float]]
) -> list[AssessmentPeriod]:
    """Each period with its dates and the rounded money for its number of paydays; a period with
    more paydays than usual after the first is an extra-payday period, with the UC it costs."""
    usual_uc = rounded[usual][1]
    # Everything but the dates, once per number of paydays: earnings, UC, net income, whether
    # it is an extra payday, and the UC that costs.
    figures = {}
    for n, (earnings, award, net) in rounded.items():
        extra = n > usual
        lost = pence(usual_uc - award) if extra and usual_uc > award else 0.0
        figures[n] = (earnings, award, net, extra, lost)
    periods = []
    for index, n in enumerate(counts):  # the calendar has a start, end and paydays for each
        earnings, award, net, extra, lost = figures[n]
        periods.append(
            new_assessment_period(
                number=index + 1,
                starts=calendar.starts[index],
                ends=calendar.ends[index],
                paydays=list(calendar.paydays[index]),
                earnings=earnings,
                universal_credit=award,
                net_income=net,
                extra_payday=extra,
                universal_credit_lost_to_extra_payday=lost,
            )
        )
    return periods


def _period_full(
    s: Situation,
    job: ProposedJob,
    steady: Money,
    who: int,
    n: int,
    childcare: float,
    work_costs: float,
    extra_earned: float = 0.0,
) -> Money:
    """The money of a period in which the worker is paid `n` times, with `extra_earned` more
    take-home pay counted by UC (a one-off payment, surplus earnings)."""
    pay = steady.pay[who]
    slip = pay.payslip
    if slip is None:  # no pay in the job at all: every period is the steady month without childcare
        return money(s, steady.pay, 0.0, work_costs, extra_earned)
    tax_per_payment = pay.income_tax * 12 / PERIODS_PER_YEAR[job.pay_frequency]
    gross, tax, ni, pension, pension_gross = (
        n * slip.gross,
        n * tax_per_payment,
        n * slip.national_insurance,
        n * slip.pension,
        n * slip.pension_gross,
    )
    if (
        not extra_earned
        and n
        and (gross, tax, ni, pension, pension_gross)
        == (
            pay.gross,
            pay.income_tax,
            pay.national_insurance,
            pay.pension,
            pay.pension_gross,
        )
    ):
        # Monthly pay, one payday: the steady month, already worked out (`money` is pure).
        return steady
    period_pay = new_pay(
        hours=pay.hours,
        hourly_wage=pay.hourly_wage,
        gross=gross,
        income_tax=tax,
        national_insurance=ni,
        pension=pension,
        net=gross - tax - ni - pension,
        pension_gross=pension_gross,
        taxable=pay.taxable,
        adjusted_net_income=pay.adjusted_net_income,
        net_weekly_for_benefit_tests=pay.net_weekly_for_benefit_tests,
        payslip=slip,
    )
    pays = (*steady.pay[:who], period_pay, *steady.pay[who + 1 :])
    return money(s, pays, childcare if n else 0.0, work_costs, extra_earned)


def _one_off_period(calendar: _Calendar, job: ProposedJob) -> int | None:
    """The index of the period the one-off payment is paid in, or None (none, or outside)."""
    day = job.one_off_payment_date
    if not job.one_off_payment or day is None:
        return None
    for index, (first, last) in enumerate(zip(calendar.starts, calendar.ends, strict=True)):
        if first <= day <= last:
            return index
    return None


@dataclass(slots=True, kw_only=True)
class _PeriodMoney:
    """A period's money from what it is worked out from, remembered by the number of paydays
    and the extra earnings: periods paid alike have the same money, and the surplus earnings
    rule asks again for a period it has just worked out."""

    s: Situation
    job: ProposedJob
    steady: Money
    who: int
    childcare: float
    work_costs: float
    known: dict[tuple[int, float], Money] = field(default_factory=dict)

    def for_paydays(self, n: int, extra_earned: float = 0.0) -> Money:
        m = self.known.get((n, extra_earned))
        if m is None:
            m = self.known[(n, extra_earned)] = _period_full(
                self.s, self.job, self.steady, self.who, n, self.childcare, self.work_costs, extra_earned
            )
        return m


new_period_money = keyword_builder(_PeriodMoney)


# UC Regulations reg 54A(3)(a) to (d) define surplus earnings for the first to the fifth claim
# after the old award ends (all within the six months of reg 54A(1)(a)); a sixth has none.
SURPLUS_CLAIMS = 5


def nil_point(rules: Rules, uc: UcHousehold, award: UcAward) -> float:
    """The earned income at which the award is nil (reg 54A): the household's work allowance
    plus the maximum amount less unearned income, grossed up by the taper."""
    return uc.work_allowance + max(0.0, award.maximum_amount - award.unearned_income) / rules.uc_taper


def _carried(rules: Rules, uc: UcHousehold, award: UcAward) -> float:
    """The surplus a nil period passes on: the earned income it counted (its own pay, any
    one-off payment and the surplus carried in) above the relevant threshold, the nil point
    plus £300 (or £2,500). Reg 54A(3)(b) to (d), as substituted by SI 2018/65 reg 7(3), take
    the whole threshold off again for each later claim ("the adjusted surplus"), not only the
    amount by which a month's own pay falls short of the nil point."""
    return max(0.0, award.earned_income - nil_point(rules, uc, award) - rules.uc_surplus_earnings_threshold)


def surplus_earnings(
    periods: list[AssessmentPeriod],
    counts: tuple[int, ...],
    one_off: int | None,
    one_off_amount: float,
    period_money: _PeriodMoney,
) -> None:
    """Reg 54A, period by period: a period with UC nil ends the award, a new claim follows, and
    earnings above the nil point plus the relevant threshold count in the new claim's first
    period; a new claim still nil carries what is left on, into at most five claims. The one-off
    payment counts in the period it is paid in."""
    rules, uc = period_money.s.rules, period_money.s.uc
    surplus, claim = 0.0, 0  # the new claim the surplus goes into: 1 to SURPLUS_CLAIMS
    for index, period in enumerate(periods):
        cash = one_off_amount if index == one_off else 0.0
        if surplus or cash:
            before = period.universal_credit
            m = period_money.for_paydays(counts[index], surplus + cash)
            period.universal_credit = m.universal_credit.award
            period.net_income = pence(m.net_income + cash)
            period.one_off_payment = cash
            period.surplus_earnings = pence(surplus)
            period.universal_credit_lost_to_surplus = pence(max(0.0, before - period.universal_credit))
        if period.universal_credit > 0:
            surplus, claim = 0.0, 0
            continue
        award = period_money.for_paydays(counts[index], surplus + cash).universal_credit
        claim = claim + 1 if surplus else 1
        surplus = _carried(rules, uc, award) if claim <= SURPLUS_CLAIMS else 0.0


def _rounded(m: Money) -> tuple[float, float, float]:
    return pence(m.earnings), m.universal_credit.award, pence(m.net_income)
