"""The client's summary in plain words: what changes, and what to tell DWP."""

from __future__ import annotations

from calculator.engine import BetterOffRequest, BetterOffResult
from calculator.engine.household import NewStyleEsa

GOES = {True: "goes up by", False: "goes down by"}
# How each line reads to the person it is about.
PLAIN_NAMES = {
    "earnings": "Your pay before deductions",
    "income_tax": "Income tax",
    "national_insurance": "National Insurance",
    "pension": "Your workplace pension saving",
    "universal_credit": "Universal Credit",
    "new_style_esa": "New Style ESA",
    "new_style_jsa": "New Style JSA",
    "pip": "PIP",
    "carers_allowance": "Carer's Allowance",
    "child_benefit": "Child Benefit",
    "high_income_child_benefit_charge": "The Child Benefit tax charge",
    "council_tax_reduction": "Council Tax Reduction (our estimate)",
    "scottish_child_payment": "Scottish Child Payment",
    "pension_income": "Your pension",
    "work_costs": "Travel and childcare costs",
}


def changes_in_words(result: BetterOffResult) -> list[str]:
    out = []
    for line in result.lines:
        if line.part_of or not line.change_monthly:
            continue
        name = PLAIN_NAMES.get(line.key, line.label)
        amount = abs(line.change_monthly)
        if line.key in (
            "income_tax",
            "national_insurance",
            "pension",
            "work_costs",
            "high_income_child_benefit_charge",
        ):
            # Deductions are negative lines: a more negative line means more to pay.
            verb = "you pay" if line.in_work_monthly < line.now_monthly else "you pay less"
            out.append(f"{name}: {verb} £{amount:,.2f} a month{' more' if verb == 'you pay' else ''}.")
        elif line.in_work_monthly == 0 and line.now_monthly > 0:
            out.append(f"{name} stops (it is £{line.now_monthly:,.2f} a month now).")
        else:
            out.append(f"{name} {GOES[line.change_monthly > 0]} £{amount:,.2f} a month.")
    return out


def what_to_tell(req: BetterOffRequest, result: BetterOffResult) -> list[str]:
    keys = {line.key for line in result.lines}
    tell = []
    if "universal_credit" in keys and any(
        line.key == "universal_credit" and (line.now_monthly or line.in_work_monthly) for line in result.lines
    ):
        tell.append(
            "Report the job in your Universal Credit journal when you start: the start date, "
            "hours and pay. Your payslips are sent to DWP by your employer."
        )
    worker = req.household.claimant if req.job.who == "claimant" else req.household.partner
    if worker is not None and worker.new_style_esa is not NewStyleEsa.NONE:
        tell.append(
            "Tell the ESA office before you start: under 16 hours and within the permitted work "
            "limit you can keep ESA, above them it stops."
        )
    if worker is not None and worker.new_style_jsa:
        tell.append("Tell Jobcentre Plus about the job: New Style JSA stops at 16 hours a week.")
    if worker is not None and worker.carers_allowance:
        tell.append("Tell the Carer's Allowance Unit about your earnings.")
    if not tell:
        tell.append("Nothing to report to DWP for the benefits worked out here.")
    tell.append("Tell your council about the change if you get Council Tax Reduction.")
    return tell
