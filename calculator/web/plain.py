"""The client's summary in plain words: the answers it used, what changes, what to watch for,
and what to do next. Written for the client, not the advisor: no abbreviation without its
meaning, no "period 3", and no change that rounds to nothing shown as news."""

from __future__ import annotations

import re

from calculator.engine import BetterOffRequest, BetterOffResult
from calculator.engine.household import Adult, NewStyleEsa, Tenure

GOES = {True: "goes up by", False: "goes down by"}
# How each line reads to the person it is about.
PLAIN_NAMES = {
    "earnings": "Your pay before deductions",
    "income_tax": "Income tax",
    "national_insurance": "National Insurance",
    "pension": "Your workplace pension saving",
    "universal_credit": "Universal Credit",
    "new_style_esa": "New Style Employment and Support Allowance (ESA)",
    "new_style_jsa": "New Style Jobseeker's Allowance (JSA)",
    "pip": "Personal Independence Payment (PIP)",
    "carers_allowance": "Carer's Allowance",
    "child_benefit": "Child Benefit",
    "high_income_child_benefit_charge": "The Child Benefit tax charge",
    "council_tax_reduction": "Council Tax Reduction (our estimate)",
    "scottish_child_payment": "Scottish Child Payment",
    "pension_income": "Your pension",
    "work_costs": "Travel and childcare costs",
}
DEDUCTIONS = {"income_tax", "national_insurance", "pension", "work_costs", "high_income_child_benefit_charge"}
# Less than a penny either way is no change worth telling anyone about.
PENNY = 0.005

# The advisor's words, and the client's. Applied in order, whole words only.
CLIENT_WORDS = [
    (r"\bUC\b", "Universal Credit"),
    (r"\bUniversal Credit Regulations 2013\b", "the Universal Credit rules"),
    (r"\bassessment periods\b", "Universal Credit months"),
    (r"\ban assessment period\b", "a Universal Credit month"),
    (r"\bassessment period\b", "Universal Credit month"),
    (r"\bPassported help\b", "Other help that comes with it (such as free prescriptions)"),
    (r"\bpassported\b", "that comes with Universal Credit"),
    (r"\s*\(period \d+\)", ""),
    (r"\bin period (\d+)\b", "in one month"),
    (r"\bNew Style ESA\b", "New Style Employment and Support Allowance"),
    (r"\bNew Style JSA\b", "New Style Jobseeker's Allowance"),
    (r"\bLCWRA\b", "limited capability for work and work-related activity"),
    (r"\bLCW\b", "limited capability for work"),
    (r"\bDWP\b", "the DWP"),
    (r"\bthe the DWP\b", "the DWP"),
]


def in_client_words(text: str) -> str:
    for pattern, words in CLIENT_WORDS:
        text = re.sub(pattern, words, text)
    return text


def changes_in_words(result: BetterOffResult) -> list[str]:
    out = []
    for line in result.lines:
        if line.part_of or abs(line.change_monthly) < PENNY:
            continue
        name = PLAIN_NAMES.get(line.key, line.label)
        amount = abs(line.change_monthly)
        if line.key in DEDUCTIONS:
            # Deductions are negative lines: a more negative line means more to pay.
            more = line.in_work_monthly < line.now_monthly
            out.append(f"{name}: you pay £{amount:,.2f} a month {'more' if more else 'less'}.")
        elif abs(line.in_work_monthly) < PENNY and line.now_monthly > 0:
            out.append(f"{name} stops (it is £{line.now_monthly:,.2f} a month now).")
        else:
            out.append(f"{name} {GOES[line.change_monthly > 0]} £{amount:,.2f} a month.")
    return out


def cautions_in_words(result: BetterOffResult) -> list[str]:
    """The engine's warnings as the client reads them; the headline already says worse off."""
    out = []
    periods = result.assessment_periods
    for caution in result.warnings:
        if caution.key == "worse_off":
            continue
        if caution.key == "extra_paydays":
            lost = sum(p.universal_credit_lost_to_extra_payday for p in periods.periods)
            if lost < PENNY:
                continue  # an extra payday that costs nothing is not worth a warning
            out.append(
                "Some months have an extra payday, so Universal Credit is lower in those months: "
                f"about £{lost:,.2f} less over the year. Plan for the lowest month: about "
                f"£{periods.lowest_net_income:,.2f}."
            )
        elif caution.key == "surplus_earnings":
            out.append(
                "In one month your pay would be high enough to stop Universal Credit. If you claim "
                "again straight away, some of that pay also counts in the next months, so "
                "Universal Credit is lower then too."
            )
        else:
            out.append(in_client_words(caution.message))
    return out


def what_to_do_next(req: BetterOffRequest, result: BetterOffResult) -> list[str]:
    tell = []
    gets_uc = any(line.key == "universal_credit" and (line.now_monthly or line.in_work_monthly)
                  for line in result.lines)
    if gets_uc:
        tell.append(
            "Report the job in your Universal Credit journal when you start: the start date, "
            "hours and pay. Your employer sends your pay to the DWP (the Department for Work and "
            "Pensions)."
        )
    worker = req.household.claimant if req.job.who == "claimant" else req.household.partner
    if worker is not None and worker.new_style_esa is not NewStyleEsa.NONE:
        tell.append(
            "Tell the Employment and Support Allowance office before you start: under 16 hours "
            "a week and within the permitted work limit you can keep it; above them it stops."
        )
    if worker is not None and worker.new_style_jsa:
        tell.append(
            "Tell Jobcentre Plus about the job: New Style Jobseeker's Allowance stops at 16 hours a week."
        )
    if worker is not None and worker.carers_allowance:
        tell.append("Tell the Carer's Allowance Unit about your earnings.")
    tell.append("Tell your council about the job if you get Council Tax Reduction.")
    tell.append(
        "If the hours, pay or start date change, ask your employment specialist to work this out again."
    )
    return tell

CAPABILITY = {
    (False, False): None,
    (True, False): "limited capability for work",
    (False, True): "limited capability for work and work-related activity",
}
PAID = {"weekly": "every week", "fortnightly": "every two weeks", "four_weekly": "every four weeks",
        "monthly": "every month"}
HOMES = {
    Tenure.SOCIAL_RENT: "Rent from the council or a housing association",
    Tenure.PRIVATE_RENT: "Rent from a private landlord",
    Tenure.OWNER: "Own their home",
    Tenure.NO_HOUSING_COSTS: "No rent to pay",
}


def _adult(adult: Adult) -> str:
    words = [f"aged {adult.age}"] if adult.age is not None else []
    if capability := CAPABILITY.get((adult.lcw, adult.lcwra)):
        words.append(capability)
    if adult.pip_daily_living.value != "none" or adult.pip_mobility.value != "none":
        words.append("gets Personal Independence Payment")
    if adult.new_style_esa is not NewStyleEsa.NONE:
        words.append("gets New Style Employment and Support Allowance")
    if adult.new_style_jsa:
        words.append("gets New Style Jobseeker's Allowance")
    if adult.carers_allowance:
        words.append("gets Carer's Allowance")
    if adult.job is not None and adult.job.hours_per_week:
        job = adult.job
        words.append(f"works {job.hours_per_week:g} hours a week at £{job.hourly_wage:.2f} an hour")
    return _sentence(", ".join(words))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ages(ages: list[str]) -> str:
    if not ages:
        return "None"
    return "Aged " + (f"{', '.join(ages[:-1])} and {ages[-1]}" if len(ages) > 1 else ages[0])


def answers_in_words(req: BetterOffRequest) -> list[tuple[str, str]]:
    """What the figures were worked out from, as the client would say it."""
    h, job = req.household, req.job
    children = [str(child.age) for child in h.children]
    housing = HOMES[h.housing.tenure]
    if h.housing.rent_monthly:
        housing += f", £{h.housing.rent_monthly:,.2f} a month"
    start = job.start_date or req.on
    who = "your partner" if job.who == "partner" else "you"
    answers = [
        ("You", _adult(h.claimant)),
        ("Partner", _adult(h.partner) if h.partner is not None else "None"),
        ("Children", _ages(children)),
        ("Home", housing),
        (
            "The job",
            f"For {who}: {job.hours_per_week:g} hours a week at £{job.hourly_wage:.2f} an hour, paid "
            f"{PAID[job.pay_frequency.value]}, starting {start:%-d %B %Y}",
        ),
    ]
    costs = []
    if job.travel_costs_weekly:
        costs.append(f"travel £{job.travel_costs_weekly:,.2f} a week")
    if job.childcare_costs_monthly:
        costs.append(f"childcare £{job.childcare_costs_monthly:,.2f} a month")
    if costs:
        answers.append(("Costs of working", _sentence(", ".join(costs))))
    if h.capital:
        answers.append(("Savings", f"£{h.capital:,.2f}"))
    if h.council_tax is not None and h.council_tax.charge_monthly:
        answers.append(("Council tax", f"£{h.council_tax.charge_monthly:,.2f} a month"))
    return answers
