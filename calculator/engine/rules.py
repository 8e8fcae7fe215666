"""One tax year's figures, read once from the parameter files into plain floats.

The engine runs thousands of times a second (hours sweeps), so it reads attributes of a
frozen dataclass rather than looking up cited Decimals on every step. Nothing here is a
figure: every number comes from a file under calculator/parameters/ with its citation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache, lru_cache
from typing import Any

from calculator.engine.pension_age import PensionAges, pension_age_rows
from calculator.parameters import TaxYear, tax_year, tax_year_for

Bands = tuple[tuple[float, float], ...]
UC = "universal_credit."


def law(path: str) -> Any:
    """A field of `Rules` read from the parameter at `path`: the one place a figure is named."""
    return field(metadata={"path": path})


# Compared and hashed by identity (eq=False): there is one per tax year, as `rules_for` is
# cached, and the engine's caches are keyed on it, where hashing 80 fields took 1.6 µs.
@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Rules:
    tax_year: str
    starts: date
    national_living_wage: float = law("minimum_wage.national_living_wage")
    national_living_wage_age: int = law("minimum_wage.national_living_wage_age")
    minimum_wage_18_to_20_age: int = law("minimum_wage.age_18_to_20_from_age")
    # Universal Credit, monthly
    uc_standard_single_under_25: float = law(UC + "standard_allowance.single_under_25")
    uc_standard_single_25_or_over: float = law(UC + "standard_allowance.single_25_or_over")
    uc_standard_joint_both_under_25: float = law(UC + "standard_allowance.joint_both_under_25")
    uc_standard_joint_25_or_over: float = law(UC + "standard_allowance.joint_one_or_both_25_or_over")
    uc_work_allowance_with_housing: float = law(UC + "work_allowance.with_housing_costs_element")
    uc_work_allowance_without_housing: float = law(UC + "work_allowance.without_housing_costs_element")
    uc_taper: float = law(UC + "earnings_taper_rate")
    uc_lcwra_protected: float = law(UC + "lcwra_element.protected_amount")
    uc_lcwra_new_claim: float = law(UC + "lcwra_element.new_claim_amount")
    uc_carer: float = law(UC + "carer_element")
    uc_child_first_higher: float = law(UC + "child_element.first_child_born_before_6_april_2017")
    uc_child: float = law(UC + "child_element.each_other_child")
    uc_disabled_child_lower: float = law(UC + "disabled_child_addition.lower_rate")
    uc_disabled_child_higher: float = law(UC + "disabled_child_addition.higher_rate")
    uc_childcare_proportion: float = law(UC + "childcare_costs_element.proportion_of_costs")
    uc_childcare_cap_one: float = law(UC + "childcare_costs_element.maximum_one_child")
    uc_childcare_cap_two_or_more: float = law(UC + "childcare_costs_element.maximum_two_or_more_children")
    uc_capital_lower: float = law(UC + "capital.lower_limit")
    uc_capital_upper: float = law(UC + "capital.upper_limit")
    uc_tariff_step: float = law(UC + "capital.tariff_step")
    uc_tariff_per_step: float = law(UC + "capital.tariff_income_per_step")
    uc_non_dependant_deduction: float = law(UC + "housing.non_dependant_deduction")
    uc_under_occupancy_one: float = law(UC + "housing.under_occupancy_one_bedroom")
    uc_under_occupancy_two_or_more: float = law(UC + "housing.under_occupancy_two_or_more_bedrooms")
    uc_minimum_award: float = law(UC + "minimum_award")
    uc_surplus_earnings_threshold: float = law(UC + "surplus_earnings_threshold")
    uc_capability_earnings_hours: float = law(UC + "capability_earnings_threshold_hours")
    uc_minimum_age: int = law(UC + "minimum_age")
    uc_higher_rate_age: int = law(UC + "standard_allowance.higher_rate_age")
    state_pension_ages: PensionAges = law("state_pension.age_by_date_of_birth")
    # Benefit cap, monthly
    cap_outside_london_single: float = law("benefit_cap.outside_london_single")
    cap_outside_london_other: float = law("benefit_cap.outside_london_couple_or_children")
    cap_london_single: float = law("benefit_cap.london_single")
    cap_london_other: float = law("benefit_cap.london_couple_or_children")
    cap_earnings_exception_hours: float = law("benefit_cap.earnings_exception_hours")
    # Income tax, annual
    personal_allowance: float = law("income_tax.personal_allowance")
    personal_allowance_income_limit: float = law("income_tax.personal_allowance_income_limit")
    rest_of_uk_bands: Bands = law("income_tax.rest_of_uk_bands")
    marriage_allowance_fraction: float = law("income_tax.marriage_allowance.transferable_fraction")
    marriage_allowance_rounding: float = law("income_tax.marriage_allowance.rounding_step")
    marriage_allowance_rate: float = law("income_tax.marriage_allowance.tax_reduction_rate")
    marriage_allowance_highest_rate: float = law("income_tax.marriage_allowance.highest_rate_rest_of_uk")
    marriage_allowance_highest_rate_scotland: float = law(
        "income_tax.marriage_allowance.highest_rate_scotland"
    )
    scotland_bands: Bands = law("income_tax.scotland_bands")
    # National Insurance, by earnings period
    ni_primary_threshold_weekly: float = law("national_insurance.primary_threshold_weekly")
    ni_primary_threshold_monthly: float = law("national_insurance.primary_threshold_monthly")
    ni_upper_earnings_limit_weekly: float = law("national_insurance.upper_earnings_limit_weekly")
    ni_upper_earnings_limit_monthly: float = law("national_insurance.upper_earnings_limit_monthly")
    ni_main_rate: float = law("national_insurance.main_rate")
    ni_additional_rate: float = law("national_insurance.additional_rate")
    # Workplace pension, by pay reference period
    pension_trigger_weekly: float = law("workplace_pension.earnings_trigger_weekly")
    pension_trigger_monthly: float = law("workplace_pension.earnings_trigger_monthly")
    pension_lower_weekly: float = law("workplace_pension.qualifying_earnings_lower_weekly")
    pension_lower_monthly: float = law("workplace_pension.qualifying_earnings_lower_monthly")
    pension_upper_weekly: float = law("workplace_pension.qualifying_earnings_upper_weekly")
    pension_upper_monthly: float = law("workplace_pension.qualifying_earnings_upper_monthly")
    pension_employee_rate: float = law("workplace_pension.employee_contribution_rate")
    pension_basic_rate_relief: float = law("workplace_pension.basic_rate_relief")
    pension_minimum_age: int = law("workplace_pension.minimum_age")
    # Other benefits, weekly unless named otherwise
    child_benefit_eldest: float = law("child_benefit.eldest_or_only_child")
    child_benefit_other: float = law("child_benefit.each_other_child")
    hicbc_threshold: float = law("child_benefit.high_income_charge_threshold")
    hicbc_width: float = law("child_benefit.high_income_charge_width")
    carers_allowance: float = law("carers_allowance.weekly_rate")
    carers_allowance_earnings_limit: float = law("carers_allowance.earnings_limit")
    esa_under_25: float = law("new_style_esa.personal_allowance_under_25")
    esa_25_or_over: float = law("new_style_esa.personal_allowance_25_or_over")
    esa_higher_rate_age: int = law("new_style_esa.higher_rate_age")
    esa_support_component: float = law("new_style_esa.support_component")
    esa_permitted_work_hours: float = law("new_style_esa.permitted_work_hours")
    esa_permitted_work_limit: float = law("new_style_esa.permitted_work_higher_limit")
    jsa_under_25: float = law("new_style_jsa.personal_rate_under_25")
    jsa_25_or_over: float = law("new_style_jsa.personal_rate_25_or_over")
    jsa_higher_rate_age: int = law("new_style_jsa.higher_rate_age")
    jsa_remunerative_hours: float = law("new_style_jsa.remunerative_work_hours")
    jsa_earnings_disregard: float = law("new_style_jsa.earnings_disregard")
    pip_daily_living_standard: float = law("personal_independence_payment.daily_living_standard")
    pip_daily_living_enhanced: float = law("personal_independence_payment.daily_living_enhanced")
    pip_mobility_standard: float = law("personal_independence_payment.mobility_standard")
    pip_mobility_enhanced: float = law("personal_independence_payment.mobility_enhanced")
    scp_weekly: float = law("scottish_child_payment.weekly_rate")
    scp_maximum_age: int = law("scottish_child_payment.maximum_age")
    school_age_from: int = law("compulsory_school_age.from_age")
    school_age_until: int = law("compulsory_school_age.until_age")
    prescriptions_limit: float = law("passported_help.free_prescriptions_earnings_limit")
    prescriptions_limit_with_children_or_lcw: float = law(
        "passported_help.free_prescriptions_earnings_limit_with_children_or_lcw"
    )
    # What the help that comes with UC is worth, for saying what is lost in work
    prescription_charge: float = law("passported_help.prescription_charge_per_item")
    prescription_certificate_yearly: float = law("passported_help.prescription_prepayment_certificate_yearly")
    dental_band_1: float = law("passported_help.dental_charge_band_1")
    dental_band_2: float = law("passported_help.dental_charge_band_2")
    free_school_meals_yearly: float = law("passported_help.free_school_meals_yearly_per_child")
    social_tariff_saving_yearly: float = law("passported_help.social_tariff_saving_yearly")
    warm_home_discount_yearly: float = law("passported_help.warm_home_discount_yearly")

    @property
    def capability_earnings_threshold(self) -> float:
        """Monthly earnings of 16 hours a week at the national living wage (UC Regs reg 41, 82)."""
        return self.uc_capability_earnings_hours * self.national_living_wage * 52 / 12

    @property
    def marriage_allowance(self) -> float:
        """The personal allowance transferred: a share of it rounded up to the step (ITA 2007 s.55C)."""
        step = self.marriage_allowance_rounding
        return math.ceil(self.personal_allowance * self.marriage_allowance_fraction / step) * step

    @property
    def cap_earnings_exception(self) -> float:
        return self.cap_earnings_exception_hours * self.national_living_wage * 52 / 12


def _bands(value: Any) -> Bands:
    return tuple((float(threshold), float(rate)) for threshold, rate in value)


# How a figure is read into the type its field declares (annotations are strings here).
CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "float": float,
    "int": int,
    "Bands": _bands,
    "PensionAges": pension_age_rows,
}


def _figures(year: TaxYear) -> dict[str, Any]:
    """Every `law(...)` field of `Rules`, read from the year's parameters."""
    return {
        item.name: CONVERTERS[str(item.type)](year.value(item.metadata["path"]))
        for item in fields(Rules)
        if "path" in item.metadata
    }


@cache
def rules_for(name: str) -> Rules:
    """The compiled rules for a tax year such as "2026-27"."""
    year = tax_year(name)
    return Rules(tax_year=year.tax_year, starts=year.starts, **_figures(year))


@lru_cache(maxsize=1024)
def rules_on(on: date) -> Rules:
    """The rules for the tax year containing `on`; refused plainly if that year is not on file.

    Remembered by date (a refusal is not): every calculation asks, and finding the year means
    going through the tax years on file.
    """
    year = tax_year_for(on)
    try:
        return rules_for(year.tax_year)
    except KeyError as missing:
        raise ValueError(
            f"the better-off rules for {year.tax_year} are not complete ({missing.args[0]}); "
            "use a calculation date in 2026-27"
        ) from None
