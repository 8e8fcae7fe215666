"""Help that comes with Universal Credit and what it is worth: what a job would lose.

Free NHS prescriptions and dental treatment in England go with UC while take-home pay in the
last assessment period is under the NHS limit (NHSBSA); free school meals in England go with
any UC award from September 2026; broadband social tariffs and the Warm Home Discount go with
getting UC at all. None of it is money paid, so none of it is in the benefit figures: it is
listed with its value where one is public (calculator/parameters/passported_help).
"""

from __future__ import annotations

from dataclasses import dataclass

from calculator.engine.household import Nation
from calculator.engine.records import keyword_builder
from calculator.engine.rules import Rules
from calculator.engine.scenario import Money, Situation

# Enum members read on every calculation, bound once: CPython 3.11 reads a member from its
# class through the enum metaclass's __getattr__ hook, about 900 instructions a read against
# 20 for a module global.
ENGLAND = Nation.ENGLAND


@dataclass(slots=True, kw_only=True)
class HelpLost:
    key: str
    name: str
    monthly_value: float | None  # about what it is worth a month, or None when it depends on use
    detail: str


new_help_lost = keyword_builder(HelpLost)


def _money(amount: float) -> str:
    return f"£{amount:,.2f}"


def prescriptions_limit(rules: Rules, s: Situation) -> float:
    """NHSBSA: the take-home pay limit, higher with a child element or LCW/LCWRA."""
    higher = s.uc.has_capability_for_work_limit or s.uc.has_children
    return rules.prescriptions_limit_with_children_or_lcw if higher else rules.prescriptions_limit


def _health_costs(rules: Rules, s: Situation, limit: float) -> list[HelpLost]:
    yearly = rules.prescription_certificate_yearly
    return [
        new_help_lost(
            key="free_prescriptions",
            name="Free NHS prescriptions",
            monthly_value=round(yearly / 12, 2),
            detail=f"{_money(rules.prescription_charge)} an item once take-home pay in an assessment "
            f"period is over {_money(limit)} or UC stops; a 12-month prepayment certificate "
            f"({_money(yearly)}) caps it at {_money(yearly / 12)} a month.",
        ),
        new_help_lost(
            key="free_dental_treatment",
            name="Free NHS dental treatment",
            monthly_value=None,
            detail=f"{_money(rules.dental_band_1)} for a check-up, {_money(rules.dental_band_2)} with "
            "fillings or extractions, under the same take-home pay limit.",
        ),
    ]


def _with_universal_credit(rules: Rules, s: Situation, nation: Nation) -> list[HelpLost]:
    lost = []
    if nation is ENGLAND and s.school_age_children:
        per_child = rules.free_school_meals_yearly
        lost.append(
            new_help_lost(
                key="free_school_meals",
                name="Free school meals",
                monthly_value=round(per_child * s.school_age_children / 12, 2),
                detail=f"About {_money(per_child)} a year for each child at school (the Department "
                "for Education's figure); they come with any Universal Credit award.",
            )
        )
    lost.append(
        new_help_lost(
            key="social_tariff",
            name="Broadband social tariff",
            monthly_value=round(rules.social_tariff_saving_yearly / 12, 2),
            detail=f"Cheaper broadband for people on Universal Credit saves about "
            f"{_money(rules.social_tariff_saving_yearly)} a year (Ofcom), if they have one.",
        )
    )
    lost.append(
        new_help_lost(
            key="warm_home_discount",
            name="Warm Home Discount",
            monthly_value=round(rules.warm_home_discount_yearly / 12, 2),
            detail=f"{_money(rules.warm_home_discount_yearly)} off the electricity bill each winter "
            "for households on Universal Credit on the qualifying date.",
        )
    )
    return lost


def help_lost_in_work(s: Situation, nation: Nation, now: Money, in_work: Money) -> list[HelpLost]:
    """What the household gets through Universal Credit now and would not in work."""
    if not now.universal_credit.award > 0:
        return []
    rules = s.rules
    keeps_uc = in_work.universal_credit.award > 0
    lost: list[HelpLost] = []
    if nation is ENGLAND:
        limit = prescriptions_limit(rules, s)
        free_now = sum([pay.net for pay in now.pay]) <= limit
        if free_now and (not keeps_uc or sum([pay.net for pay in in_work.pay]) > limit):
            lost += _health_costs(rules, s, limit)
    if not keeps_uc:
        lost += _with_universal_credit(rules, s, nation)
    return lost
