"""Twelve UC assessment periods from a job start, with real paydays.

UC counts the pay received in each monthly assessment period. Weekly, fortnightly and
four-weekly pay put an extra payday into some months, and UC falls in those months:
the averages hide this, and it is why people say "I thought I'd be better off".
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta

from calculator.engine.deductions import PERIODS_PER_YEAR, payslip, pence
from calculator.engine.household import PayFrequency, ProposedJob
from calculator.engine.scenario import Money, Pay, Situation, money, pays_in_work

STEP_DAYS = {PayFrequency.WEEKLY: 7, PayFrequency.FORTNIGHTLY: 14, PayFrequency.FOUR_WEEKLY: 28}


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class AssessmentPeriods:
    periods: list[AssessmentPeriod]
    average_net_income: float
    lowest_net_income: float
    lowest_period: int
    average_universal_credit: float
    note: str


def _on_day(year: int, month: int, day: int) -> date:
    """`day` of a month, or its last day when the month is shorter."""
    if day > 28:
        day = min(day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _month_plus(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def period_starts(first_day_in: date, start_day: int, count: int) -> list[date]:
    """The start dates of `count` + 1 assessment periods, the first containing `first_day_in`."""
    year, month = first_day_in.year, first_day_in.month
    if first_day_in < _on_day(year, month, start_day):
        year, month = _month_plus(year, month, -1)
    return [_on_day(*_month_plus(year, month, i), start_day) for i in range(count + 1)]


def next_payday(first: date, frequency: PayFrequency, n: int = 1) -> date:
    """The payday `n` periods after `first`; monthly pay keeps its day (the 31st stays the 31st)."""
    if frequency is PayFrequency.MONTHLY:
        return _on_day(*_month_plus(first.year, first.month, n), first.day)
    return first + timedelta(days=STEP_DAYS[frequency] * n)


def paydays(first: date, frequency: PayFrequency, until: date) -> list[date]:
    if frequency is PayFrequency.MONTHLY:
        days: list[date] = []
        while (day := next_payday(first, frequency, len(days))) <= until:
            days.append(day)
        return days
    step = timedelta(days=STEP_DAYS[frequency])
    count = (until - first).days // step.days + 1
    return [first + step * n for n in range(max(0, count))]


def project(
    s: Situation,
    job: ProposedJob,
    who: int,
    start: date,
    childcare: float,
    work_costs: float,
    count: int = 12,
) -> AssessmentPeriods:
    rules = s.rules
    steady = pays_in_work(s, job, who)
    pay = steady[who]
    slip = (
        payslip(
            rules,
            job.hours_per_week,
            job.hourly_wage,
            job.pay_frequency,
            job.pension,
            job.employee_pension_rate,
        )
        if pay.gross
        else None
    )
    per_year = PERIODS_PER_YEAR[job.pay_frequency]
    tax_per_payment = pay.income_tax * 12 / per_year

    starts = period_starts(start, job.assessment_period_start_day or start.day, count)
    first_payday = job.first_payday or next_payday(start, job.pay_frequency)
    all_paydays = paydays(first_payday, job.pay_frequency, starts[-1] - timedelta(days=1))

    # Periods with the same number of paydays have the same money: work each out once.
    by_paydays: dict[int, Money] = {}
    rows = []
    next_index = 0
    for number in range(count):
        begins, ends = starts[number], starts[number + 1] - timedelta(days=1)
        in_period = []
        while next_index < len(all_paydays) and all_paydays[next_index] <= ends:
            if all_paydays[next_index] >= begins:
                in_period.append(all_paydays[next_index])
            next_index += 1
        n = len(in_period) if slip else 0
        m = by_paydays.get(n)
        if m is None:
            period_pay: Pay = pay
            if slip:
                period_pay = replace(
                    pay,
                    gross=n * slip.gross,
                    income_tax=n * tax_per_payment,
                    national_insurance=n * slip.national_insurance,
                    pension=n * slip.pension,
                    pension_gross=n * slip.pension_gross,
                )
            pays = (*steady[:who], period_pay, *steady[who + 1 :])
            m = by_paydays[n] = money(s, pays, childcare if n else 0.0, work_costs)
        rows.append((number + 1, begins, ends, in_period, m))

    usual = Counter(len(r[3]) for r in rows[1:] or rows).most_common(1)[0][0]
    usual_uc = next((r[4].universal_credit.award for r in rows if len(r[3]) == usual), 0.0)
    net_by_paydays = {n: pence(m.net_income) for n, m in by_paydays.items()}
    periods = []
    for number, begins, ends, in_period, m in rows:
        extra = bool(slip) and len(in_period) > usual
        award = m.universal_credit.award
        periods.append(
            AssessmentPeriod(
                number,
                begins,
                ends,
                in_period,
                m.earnings,
                award,
                net_by_paydays[len(in_period) if slip else 0],
                extra,
                pence(max(0.0, usual_uc - award)) if extra else 0.0,
            )
        )
    lowest = min(periods, key=lambda p: p.net_income)
    note = (
        "Each period counts the pay received in it. Periods with an extra payday show the "
        "Universal Credit lost in them. Surplus earnings (very large one-off pay) are not modelled."
    )
    return AssessmentPeriods(
        periods=periods,
        average_net_income=pence(sum(p.net_income for p in periods) / len(periods)),
        lowest_net_income=lowest.net_income,
        lowest_period=lowest.number,
        average_universal_credit=pence(sum(p.universal_credit for p in periods) / len(periods)),
        note=note,
    )
