"""Run generated households through PolicyEngine UK and read back monthly amounts.

PolicyEngine UK is AGPL: it is an outside program that we run as an oracle, never code or
data copied into this repository. It is imported only inside functions, so this module can
be imported anywhere; running it needs PolicyEngine UK installed (`pip install
'.[oracle]'`, or a separate virtualenv such as /tmp/pe). See docs/policyengine-oracle.md.

Building a PolicyEngine simulation takes seconds (it builds the whole rule system), so all
the households go into one situation, each its own household and benefit unit, and every
variable is calculated once for all of them. `run` does one household alone, which
`regenerate --check` uses to confirm the households do not affect each other.

PolicyEngine works in years: every amount here is its 2026 (April 2026 to March 2027)
annual figure divided by 12 and rounded to the penny, each on its own, so a total can
differ from the sum of its rounded parts by a penny or two.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from calculator.oracle.households import Case

POLICYENGINE_UK_VERSION = "2.162.10"
YEAR = 2026  # PolicyEngine's 2026 is the 2026/27 tax year
# PolicyEngine reads an age as the age on 6 October of the year and by default puts the
# birthday six months before that (6 April). With the birthday on 6 October instead, the
# age is the same on 22 November 2026, the date the differential tests calculate on, and
# a 66-year-old (born October 1960) has not reached State Pension age (66 and 7 months).
MONTHS_SINCE_BIRTHDAY = 0
# A 9-year-old born before 6 April 2017: born 6 March 2017, seven months before 6 October.
MONTHS_SINCE_BIRTHDAY_BORN_BEFORE_APRIL_2017 = 7
# A monthly rent no Local Housing Allowance rate reaches, to read the rate itself back.
PROBE_RENT = 1_000_000

PIP_CATEGORY = {"none": "NONE", "standard": "STANDARD", "enhanced": "ENHANCED"}
SOCIAL_TENURE = "RENT_FROM_COUNCIL"
PRIVATE_TENURE = "RENT_PRIVATELY"
OWNER_TENURE = "OWNED_WITH_MORTGAGE"

# Cash the engine also counts.
CASH_BENEFITS = ("universal_credit", "child_benefit", "scottish_child_payment", "pip")
CASH_TAXES = ("income_tax", "national_insurance")
# Household taxes in household_net_income that the engine leaves out, reported on their own.
NON_CASH_TAXES = ("tv_licence", "council_tax")
UC_DETAIL = (
    "uc_standard_allowance",
    "uc_child_element",
    "uc_disability_elements",
    "uc_LCWRA_element",
    "uc_carer_element",
    "uc_housing_costs_element",
    "uc_childcare_element",
    "uc_maximum_amount",
    "uc_work_allowance",
    "uc_earned_income",
    "uc_unearned_income",
    "uc_income_reduction",
    "universal_credit_pre_benefit_cap",
    "uc_benefit_cap_reduction_after_floor",
    "uc_deductions",
)
# PolicyEngine holds amounts as 32-bit floats: household_net_income may miss the sum of its
# parts by a few pence a year.
TOLERANCE_ANNUAL = 0.10


class OracleError(RuntimeError):
    """PolicyEngine gave something this module cannot account for."""


def installed_version() -> str:
    return metadata.version("policyengine-uk")


@cache
def _simulation_class() -> Any:
    from policyengine_uk import Simulation

    return Simulation


@cache
def household_lists() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """What PolicyEngine adds up for household_net_income, read from PolicyEngine itself:
    market income, benefits and taxes."""
    from policyengine_uk.variables.gov.hmrc.household_tax import HOUSEHOLD_TAX_VARIABLES
    from policyengine_uk.variables.household.income.household_benefits import (
        HOUSEHOLD_BENEFIT_VARIABLES,
    )
    from policyengine_uk.variables.household.income.household_market_income import (
        HOUSEHOLD_MARKET_INCOME_VARIABLES,
    )

    return (
        tuple(HOUSEHOLD_MARKET_INCOME_VARIABLES),
        tuple(HOUSEHOLD_BENEFIT_VARIABLES),
        tuple(HOUSEHOLD_TAX_VARIABLES),
    )


def situation(cases: Sequence[Case], probe_rent: bool = False) -> dict[str, Any]:
    """The households as one PolicyEngine situation for 2026: each case is one household
    holding one benefit unit, named by the case id.

    With `probe_rent`, renters' rent is PROBE_RENT, so uc_LHA_cap is the LHA rate itself.
    """
    people: dict[str, Any] = {}
    benunits: dict[str, Any] = {}
    households: dict[str, Any] = {}
    for case in cases:
        case_people, benunit, household = _one(case, probe_rent)
        people.update(case_people)
        benunits[case.id] = benunit
        households[case.id] = household
    return {"people": people, "benunits": benunits, "households": households}


def _one(case: Case, probe_rent: bool) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """One case as PolicyEngine's people, benefit unit and household."""
    has_children = bool(case.household["children"])
    people = {f"{case.id}:{name}": _adult(name, adult, has_children) for name, adult in _adults(case)}
    for index, child in enumerate(case.household["children"], start=1):
        people[f"{case.id}:child_{index}"] = _child(child)
    members = list(people)
    return people, _benunit(case, members), _household(case, members, probe_rent)


def _adult(name: str, adult: dict[str, Any], has_children: bool) -> dict[str, Any]:
    year = str(YEAR)
    job = adult.get("job")
    hours = job["hours_per_week"] if job else 0.0
    wage = job["hourly_wage"] if job else 0.0
    lcwra = adult.get("lcwra", False)
    return {
        "age": {year: adult["age"]},
        "months_since_last_birthday": {year: MONTHS_SINCE_BIRTHDAY},
        "employment_income": {year: hours * wage * 52},
        "hours_worked": {year: hours * 52},
        # PolicyEngine guesses who is the couple from ages when not told (a partner 20
        # or more years younger is presumed the claimant's child): tell it.
        "is_claimant_or_partner": {year: True},
        "is_benunit_head": {year: name == "claimant"},
        "is_household_head": {year: name == "claimant"},
        "is_parent": {year: has_children},
        # Both set: left alone they default to is_disabled_for_benefits.
        "uc_limited_capability_for_WRA": {year: lcwra},
        "uc_limited_capability_for_work": {year: lcwra or adult.get("lcw", False)},
        "pip_dl_category": {year: PIP_CATEGORY[adult.get("pip_daily_living", "none")]},
        "pip_m_category": {year: PIP_CATEGORY[adult.get("pip_mobility", "none")]},
    }


def _child(child: dict[str, Any]) -> dict[str, Any]:
    year = str(YEAR)
    months = (
        MONTHS_SINCE_BIRTHDAY_BORN_BEFORE_APRIL_2017
        if child["age"] == 9 and child.get("born_before_6_april_2017")
        else MONTHS_SINCE_BIRTHDAY
    )
    return {
        "age": {year: child["age"]},
        "months_since_last_birthday": {year: months},
        "is_claimant_or_partner": {year: False},
        "is_benunit_head": {year: False},
        "is_household_head": {year: False},
        # A 16- to 19-year-old counts for Universal Credit and Child Benefit only in
        # non-advanced education; the engine counts every child it is given.
        "is_in_non_advanced_education": {year: True},
        "would_claim_scp": {year: True},
    }


def _benunit(case: Case, members: list[str]) -> dict[str, Any]:
    year = str(YEAR)
    new_claim_rate = any(
        adult.get("lcwra", False) and adult.get("lcwra_rate", "protected") == "new_claim"
        for _, adult in _adults(case)
    )
    return {
        "members": members,
        "would_claim_uc": {year: True},
        "would_claim_child_benefit": {year: True},
        "child_benefit_opts_out": {year: False},
        # PolicyEngine presumes every couple married, which brings in the Marriage Allowance
        # (a transfer of personal allowance); the engine has it only for couples it is told are
        # married, so PolicyEngine is told the same. UC treats all couples alike.
        "is_married": {year: bool(case.household.get("married", False))},
        # False is the protected LCWRA amount; the flag is one for the benefit unit.
        "uc_receives_new_claimant_health_element": {year: new_claim_rate},
    }


def _household(case: Case, members: list[str], probe_rent: bool) -> dict[str, Any]:
    year = str(YEAR)
    household = case.household
    housing = household.get("housing", {})
    tenure = housing.get("tenure", "no_housing_costs")
    rent = PROBE_RENT if probe_rent else housing.get("rent_monthly", 0.0)
    pe_household: dict[str, Any] = {
        "members": members,
        "region": {year: case.area.region},
        "brma": {year: case.area.brma},
        "council_tax": {year: 0.0},
        "savings": {year: household.get("capital", 0.0)},
    }
    if tenure in ("social_rent", "private_rent"):
        pe_household["tenure_type"] = {year: SOCIAL_TENURE if tenure == "social_rent" else PRIVATE_TENURE}
        pe_household["rent"] = {year: (rent + housing.get("service_charges_monthly", 0.0)) * 12}
    elif tenure == "owner":
        pe_household["tenure_type"] = {year: OWNER_TENURE}
        pe_household["rent"] = {year: 0.0}
    else:
        raise OracleError(f"{case.id}: tenure {tenure!r} has no PolicyEngine mapping here")
    return pe_household


def _adults(case: Case) -> list[tuple[str, dict[str, Any]]]:
    adults = [("claimant", case.household["claimant"])]
    if case.household.get("partner"):
        adults.append(("partner", case.household["partner"]))
    return adults


def _per_household(sim: Any, variable: str) -> list[float]:
    """A 2026 variable for each household: summed over its people or benefit units."""
    entity = sim.tax_benefit_system.variables[variable].entity.key
    values = sim.calculate(variable, YEAR, map_to=None if entity == "household" else "household")
    return [float(v) for v in values]


def _monthly(annual: float) -> float:
    return round(annual / 12, 2)


def lha_rates(cases: Sequence[Case]) -> dict[str, tuple[float, str]]:
    """PolicyEngine's monthly Universal Credit LHA rate and category for each private renter."""
    renters = [c for c in cases if c.household["housing"]["tenure"] == "private_rent"]
    if not renters:
        return {}
    sim = _simulation_class()(situation=situation(renters, probe_rent=True))
    caps = _per_household(sim, "uc_LHA_cap")
    categories = sim.calculate("LHA_category", YEAR, decode_enums=True)
    rates = {}
    for case, cap, category in zip(renters, caps, categories, strict=True):
        if not 0 < cap < PROBE_RENT * 12:
            raise OracleError(f"{case.id}: no LHA rate for {case.area.brma}")
        rates[case.id] = (round(cap / 12, 2), str(category))
    return rates


def run_all(cases: Sequence[Case]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each household as the engine should see it, and PolicyEngine's figures for it.

    A private renter's `local_housing_allowance_monthly` is PolicyEngine's rate for the
    household's BRMA and category, so both sides cap the rent the same way.
    """
    lha = lha_rates(cases)
    sim = _simulation_class()(situation=situation(cases))
    market, benefits, taxes = household_lists()
    wanted = set(market + benefits + taxes + UC_DETAIL) | {
        "household_net_income",
        "pension_contributions",
        "uc_benefit_cap",
        "uc_LHA_cap",
        "is_SP_age",
        "is_couple",
        "is_child_or_qualifying_young_person_for_universal_credit",
        "is_uc_assessed_claimant",
    }
    annual = {name: _per_household(sim, name) for name in sorted(wanted)}
    return [_result(case, i, annual, lha.get(case.id)) for i, case in enumerate(cases)]


def run(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
    return run_all([case])[0]


def _check_family(case: Case, annual: dict[str, float]) -> None:
    """PolicyEngine sees the same family as the engine: the couple, claimants and children."""
    household = case.household
    seen = (
        bool(annual["is_couple"]),
        round(annual["is_uc_assessed_claimant"]),
        round(annual["is_child_or_qualifying_young_person_for_universal_credit"]),
    )
    meant = (household["couple"], 2 if household["couple"] else 1, len(household["children"]))
    if seen != meant:
        raise OracleError(f"{case.id}: PolicyEngine sees (couple, claimants, children) {seen}, not {meant}")


def _result(
    case: Case, i: int, annual_all: dict[str, list[float]], lha: tuple[float, str] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    annual = {name: values[i] for name, values in annual_all.items()}
    household = copy.deepcopy(case.household)
    if lha is not None:
        household["housing"]["local_housing_allowance_monthly"] = lha[0]

    _check_family(case, annual)
    market, benefits, taxes = household_lists()
    cash = set(CASH_BENEFITS + CASH_TAXES + NON_CASH_TAXES + ("employment_income",))
    other_market = {n: annual[n] for n in market if n not in cash and annual[n]}
    other_benefits = {n: annual[n] for n in benefits if n not in cash and annual[n]}
    other_taxes = {n: annual[n] for n in taxes if n not in cash and annual[n]}
    cash_net = (
        annual["employment_income"]
        - sum(annual[n] for n in CASH_TAXES)
        + sum(annual[n] for n in CASH_BENEFITS)
    )
    accounted = (
        cash_net
        + sum(other_market.values())
        + sum(other_benefits.values())
        - sum(other_taxes.values())
        - sum(annual[n] for n in NON_CASH_TAXES)
        - annual["pension_contributions"]
    )
    net_income = annual["household_net_income"]
    if abs(accounted - net_income) > TOLERANCE_ANNUAL:
        raise OracleError(
            f"{case.id}: household_net_income {net_income:.2f} is not the sum of its parts "
            f"{accounted:.2f}; PolicyEngine counts something this module does not read"
        )
    cap = annual["uc_benefit_cap"]
    result: dict[str, Any] = {
        "region": case.area.region,
        "brma": case.area.brma,
        "lha_category": lha[1] if lha else None,
        "employment_income": _monthly(annual["employment_income"]),
        "income_tax": _monthly(annual["income_tax"]),
        "national_insurance": _monthly(annual["national_insurance"]),
        "universal_credit": _monthly(annual["universal_credit"]),
        "child_benefit": _monthly(annual["child_benefit"]),
        "scottish_child_payment": _monthly(annual["scottish_child_payment"]),
        "pip": _monthly(annual["pip"]),
        "household_net_income": _monthly(net_income),
        "tv_licence": _monthly(annual["tv_licence"]),
        "council_tax": _monthly(annual["council_tax"]),
        "pension_contributions": _monthly(annual["pension_contributions"]),
        "other_market_income": {n: _monthly(v) for n, v in other_market.items()},
        "other_benefits": {n: _monthly(v) for n, v in other_benefits.items()},
        "other_taxes": {n: _monthly(v) for n, v in other_taxes.items()},
        "cash_net_income": _monthly(cash_net),
        "benefit_cap": None if cap == float("inf") else _monthly(cap),
        "uc_lha_cap": _monthly(annual["uc_LHA_cap"]) if lha else None,
        "state_pension_age_reached": annual["is_SP_age"] > 0,
        "uc_detail": {n: _monthly(annual[n]) for n in UC_DETAIL},
    }
    return household, result
