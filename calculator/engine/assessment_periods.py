"""Twelve UC assessment periods from a job start, with real paydays.

UC counts the pay received in each monthly assessment period. Weekly, fortnightly and
four-weekly pay put an extra payday into some months, and UC falls in those months:
the averages hide this, and it is why people say "I thought I'd be better off".
"""

from __future__ import annotations

import calendar
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta

from calculator.engine.deductions import PERIODS_PER_YEAR, pence
from calculator.engine.household import PayFrequency, ProposedJob
from calculator.engine.scenario import Pay, Situation, money

ONE_DAY = timedelta(days=1)
STEP_DAYS = {PayFrequency.WEEKLY: 7, PayFrequency.FORTNIGHTLY: 14, PayFrequency.FOUR_WEEKLY: 28}


@dataclass(slots=True)
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


@dataclass(slots=True)
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
    fromordinal = date.fromordinal
    return [fromordinal(day) for day in range(first.toordinal(), until.toordinal() + 1, STEP_DAYS[frequency])]


def project(
    s: Situation,
    job: ProposedJob,
    steady: tuple[Pay, ...],
    who: int,
    start: date,
    childcare: float,
    work_costs: float,
    count: int = 12,
) -> AssessmentPeriods:
    """`steady` is everyone's pay in work, as worked out for the monthly comparison."""
    pay = steady[who]
    slip = pay.payslip
    tax_per_payment = pay.income_tax * 12 / PERIODS_PER_YEAR[job.pay_frequency]

    starts = period_starts(start, job.assessment_period_start_day or start.day, count)
    first_payday = job.first_payday or next_payday(start, job.pay_frequency)
    all_paydays = paydays(first_payday, job.pay_frequency, starts[-1] - timedelta(days=1))

    # Slice each period's paydays first: periods with the same number of paydays have the
    # same money, so it is worked out once per number, not once per period.
    sliced = [
        all_paydays[bisect_left(all_paydays, starts[i]) : bisect_left(all_paydays, starts[i + 1])]
        for i in range(count)
    ]
    counts = [len(days) if slip else 0 for days in sliced]
    rounded: dict[int, tuple[float, float, float]] = {}
    for n in set(counts):
        period_pay = pay
        if slip:
            period_pay = Pay(
                pay.hours,
                pay.hourly_wage,
                n * slip.gross,
                n * tax_per_payment,
                n * slip.national_insurance,
                n * slip.pension,
                n * slip.pension_gross,
                pay.taxable,
                pay.adjusted_net_income,
                pay.net_weekly_for_benefit_tests,
                slip,
            )
        m = money(s, (*steady[:who], period_pay, *steady[who + 1 :]), childcare if n else 0.0, work_costs)
        rounded[n] = (pence(m.earnings), m.universal_credit.award, pence(m.net_income))

    later = counts[1:] or counts
    usual = max(set(later), key=later.count)
    usual_uc = rounded[usual][1]
    periods = []
    for i, (days, n) in enumerate(zip(sliced, counts, strict=True)):
        earnings, award, net = rounded[n]
        extra = n > usual
        lost = pence(usual_uc - award) if extra and usual_uc > award else 0.0
        ends = starts[i + 1] - ONE_DAY
        periods.append(AssessmentPeriod(i + 1, starts[i], ends, days, earnings, award, net, extra, lost))
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
