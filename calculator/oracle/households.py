"""A fixed, seeded set of households for differential tests against PolicyEngine UK.

Each household is a dict in the engine's input schema (`calculator.engine.household.Household`)
describing a household now: who is in it, who works and for how much, where it lives and
what it pays. The set is stratified so every cell of single or couple, social renter,
private renter or owner, and England or Scotland gets the same number of households; the
rest (ages, children, jobs, LCWRA, PIP, capital, rent) is drawn from one `random.Random`,
so the same seed always gives the same households.

Only what PolicyEngine models the same way as the engine is generated: no New Style ESA
or JSA and no Carer's Allowance (PolicyEngine takes those as inputs, it does not work them
out), no childcare costs, no council tax, no workplace pension (PolicyEngine has no
auto-enrolment, so every job is "opt_out"), no disabled children, no non-dependants, and
social renters with no spare bedrooms (PolicyEngine does not apply the size criteria).

A private renter's Local Housing Allowance is not known here: it is a placeholder equal to
the rent, which `regenerate` replaces with the rate PolicyEngine works out for the
household's Broad Rental Market Area and bedroom category.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date
from itertools import product
from typing import Any

from calculator.engine.household import BetterOffRequest, Household
from calculator.parameters import minimum_hourly_wage

# The date the differential tests calculate on; ages are ages on this date.
CALCULATION_DATE = "2026-11-22"

SEED = 20261122
PER_CELL = 22  # 2 family types x 3 tenures x 2 nations x 22 = 264 households

MAXIMUM_ANNUAL_EARNINGS = 45_000
# The National Living Wage on the calculation date.
MINIMUM_WAGE = float(minimum_hourly_wage(date.fromisoformat(CALCULATION_DATE), "21_and_over"))
MAXIMUM_WAGE = 25.00
MAXIMUM_HOURS = 45
WEEKS_PER_YEAR = 52


@dataclass(frozen=True, slots=True)
class Area:
    """Where a household lives: PolicyEngine's region and Broad Rental Market Area."""

    brma: str  # PolicyEngine's BRMAName member
    region: str  # PolicyEngine's Region member
    nation: str  # the engine's Nation value
    rent_level: float  # rough private rent level against a typical area, for drawing rents

    @property
    def in_london(self) -> bool:
        return self.region == "LONDON"


ENGLAND_AREAS = (
    Area("TYNESIDE", "NORTH_EAST", "england", 0.85),
    Area("CENTRAL_GREATER_MANCHESTER", "NORTH_WEST", "england", 1.1),
    Area("LEEDS", "YORKSHIRE", "england", 1.0),
    Area("SHEFFIELD", "YORKSHIRE", "england", 0.9),
    Area("BIRMINGHAM", "WEST_MIDLANDS", "england", 1.0),
    Area("LEICESTER", "EAST_MIDLANDS", "england", 1.0),
    Area("CAMBRIDGE", "EAST_OF_ENGLAND", "england", 1.3),
    Area("SOUTHAMPTON", "SOUTH_EAST", "england", 1.15),
    Area("BRISTOL", "SOUTH_WEST", "england", 1.35),
    Area("PLYMOUTH", "SOUTH_WEST", "england", 0.9),
    Area("INNER_SOUTH_EAST_LONDON", "LONDON", "england", 1.9),
    Area("OUTER_NORTH_LONDON", "LONDON", "england", 1.7),
)
SCOTLAND_AREAS = (
    Area("LOTHIAN", "SCOTLAND", "scotland", 1.3),
    Area("GREATER_GLASGOW", "SCOTLAND", "scotland", 1.05),
    Area("ABERDEEN_AND_SHIRE", "SCOTLAND", "scotland", 0.85),
    Area("DUNDEE_AND_ANGUS", "SCOTLAND", "scotland", 0.8),
    Area("FIFE", "SCOTLAND", "scotland", 0.8),
)
AREAS = {area.brma: area for area in ENGLAND_AREAS + SCOTLAND_AREAS}

TENURES = ("social_rent", "private_rent", "owner")
NATIONS = ("england", "scotland")


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    area: Area
    household: dict[str, Any]


def generate(seed: int = SEED, per_cell: int = PER_CELL) -> list[Case]:
    """The households, each validated against the engine's schema, in a fixed order."""
    rng = random.Random(seed)
    cases = []
    cells = list(product((False, True), TENURES, NATIONS)) * per_cell
    for number, (couple, tenure, nation) in enumerate(cells, start=1):
        area = rng.choice(ENGLAND_AREAS if nation == "england" else SCOTLAND_AREAS)
        household = _household(rng, couple, tenure, area)
        validate(household)
        cases.append(Case(id=f"pe-{number:03d}", area=area, household=household))
    return cases + _couples_for_issue_17(seed, len(cases) + 1)


MARRIED_COUPLES = 24
MIXED_AGE_COUPLES = 12


def _couples_for_issue_17(seed: int, first: int) -> list[Case]:
    """Married couples (one earning under the personal allowance, so Marriage Allowance can
    apply) and couples of mixed ages (one past State Pension age), drawn from a second random
    stream so the households before them are as they were for a seed."""
    rng = random.Random(seed + 17)
    cases = []
    for offset in range(MARRIED_COUPLES + MIXED_AGE_COUPLES):
        area = rng.choice(ENGLAND_AREAS + SCOTLAND_AREAS)
        household = _household(rng, True, rng.choice(TENURES), area)
        if offset < MARRIED_COUPLES:
            household["married"] = True
            low = household["claimant"]
            low.pop("job", None)
            if rng.random() < 0.5:  # some earn a little, under the allowance
                hours = float(rng.choice((8, 10, 12, 15)))
                low["job"] = {"hours_per_week": hours, "hourly_wage": MINIMUM_WAGE,
                              "pay_frequency": "monthly", "pension": "opt_out"}
            household["partner"]["job"] = _job(rng)
        else:
            household["claimant"]["age"] = rng.randint(67, 75)
            household["partner"]["age"] = rng.randint(30, 64)
        validate(household)
        cases.append(Case(id=f"pe-{first + offset:03d}", area=area, household=household))
    return cases


def with_birth_dates(household: dict[str, Any]) -> dict[str, Any]:
    """Each adult's date of birth as PolicyEngine is told it: a birthday on 6 October
    (policyengine.py), so the age on the calculation date is the same and State Pension age,
    which depends on the date of birth around 66, follows from it on both sides."""
    on = date.fromisoformat(CALCULATION_DATE)
    out = dict(household)
    for who in ("claimant", "partner"):
        if adult := household.get(who):
            out[who] = {**adult, "date_of_birth": date(on.year - adult["age"], 10, 6).isoformat()}
    return out


def validate(household: dict[str, Any]) -> None:
    """Refuse a household the engine would refuse, on the tests' calculation date (a
    9-year-old must say whether born before 6 April 2017)."""
    Household.model_validate(household)
    BetterOffRequest.model_validate(
        {
            "household": with_birth_dates(household),
            "job": {"hours_per_week": 16.0, "hourly_wage": MINIMUM_WAGE},
            "calculation_date": CALCULATION_DATE,
        }
    )


def _household(rng: random.Random, couple: bool, tenure: str, area: Area) -> dict[str, Any]:
    claimant = _adult(rng, works=0.6)
    partner = _adult(rng, works=0.5) if couple else None
    if partner and claimant["lcwra"] and partner["lcwra"]:
        # One LCWRA element per award, and PolicyEngine's new-claimant rate is one flag for
        # the benefit unit: joint claimants who both have LCWRA get the same rate here.
        partner["lcwra_rate"] = claimant["lcwra_rate"]
    children = _children(rng)
    household: dict[str, Any] = {
        "nation": area.nation,
        "in_london": area.in_london,
        "claimant": claimant,
        "couple": couple,
        "children": children,
        "housing": _housing(rng, tenure, area, couple, len(children)),
        "capital": _capital(rng),
        "council_tax": {"charge_monthly": 0.0},
    }
    if partner:
        household["partner"] = partner
    return household


def _adult(rng: random.Random, works: float) -> dict[str, Any]:
    adult: dict[str, Any] = {"age": rng.randint(18, 66)}
    if rng.random() < works:
        adult["job"] = _job(rng)
    lcwra = rng.random() < 0.25
    adult["lcwra"] = lcwra
    adult["lcwra_rate"] = rng.choice(("protected", "new_claim"))
    if rng.random() < (0.5 if lcwra else 0.12):
        daily, mobility = "none", "none"
        while daily == mobility == "none":
            daily = rng.choice(("none", "standard", "enhanced"))
            mobility = rng.choice(("none", "standard", "enhanced"))
        adult["pip_daily_living"] = daily
        adult["pip_mobility"] = mobility
    return adult


def _job(rng: random.Random) -> dict[str, Any]:
    wage = MINIMUM_WAGE if rng.random() < 0.15 else round(rng.uniform(MINIMUM_WAGE, MAXIMUM_WAGE), 2)
    if rng.random() < 0.04:
        hours = 0.0  # a job with no hours this month: no pay
    else:
        hours = rng.choice((8, 10, 12, 15, 16, 18, 20, 22.5, 24, 25, 30, 32, 35, 37.5, 40, 42, 45))
        hours = float(hours)
        cap = math.floor(MAXIMUM_ANNUAL_EARNINGS / (wage * WEEKS_PER_YEAR) * 2) / 2
        hours = min(hours, cap, MAXIMUM_HOURS)
    return {"hours_per_week": hours, "hourly_wage": wage, "pay_frequency": "monthly", "pension": "opt_out"}


def _children(rng: random.Random) -> list[dict[str, Any]]:
    count = rng.choices((0, 1, 2, 3, 4), weights=(30, 25, 25, 12, 8))[0]
    children = []
    for _ in range(count):
        child: dict[str, Any] = {"age": rng.randint(0, 17)}
        if child["age"] == 9:
            # Aged 9 on 22 November 2026 could be born either side of 6 April 2017: say which.
            child["born_before_6_april_2017"] = rng.random() < 0.5
        children.append(child)
    return sorted(children, key=lambda c: -c["age"])


def _housing(rng: random.Random, tenure: str, area: Area, couple: bool, children: int) -> dict[str, Any]:
    if tenure == "owner":
        return {"tenure": "owner"}
    if tenure == "social_rent":
        low, high = (520, 950) if area.in_london else (360, 700) if area.nation == "england" else (330, 620)
        return {
            "tenure": "social_rent",
            "rent_monthly": round(rng.uniform(low, high), 2),
            "spare_bedrooms": 0,
        }
    # A rough bedroom count and area level, so rents land on both sides of the LHA rate.
    bedrooms = 1 + math.ceil(children / 2)
    typical = (420 if not couple and not children else 600 + 150 * (bedrooms - 1)) * area.rent_level
    rent = round(typical * rng.uniform(0.75, 1.35), 2)
    return {"tenure": "private_rent", "rent_monthly": rent, "local_housing_allowance_monthly": rent}


def _capital(rng: random.Random) -> float:
    if rng.random() < 0.7:
        return 0.0
    return float(rng.randint(200, 15_999))
