"""One tax year's figures, read once from its parameter file into plain floats.

The engine runs thousands of times a second (hours sweeps), so it reads attributes of a
frozen dataclass rather than looking up cited Decimals on every step. Nothing here is a
figure: every number comes from calculator/parameters/<tax year>.yaml with its citation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from calculator.parameters import TaxYear, in_force, tax_year, tax_year_for

Bands = tuple[tuple[float, float], ...]


# Compared and hashed by identity (eq=False): there is one per tax year, as `rules_for` is
# cached, and the engine's caches are keyed on it, where hashing 80 fields took 1.6 µs.
@dataclass(frozen=True, slots=True, eq=False)
class Rules:
    tax_year: str
    starts: date
    national_living_wage: float
    # Universal Credit, monthly
    uc_standard_single_under_25: float
    uc_standard_single_25_or_over: float
    uc_standard_joint_both_under_25: float
    uc_standard_joint_25_or_over: float
    uc_work_allowance_with_housing: float
    uc_work_allowance_without_housing: float
    uc_taper: float
    uc_lcwra_protected: float
    uc_lcwra_new_claim: float
    uc_carer: float
    uc_child_first_higher: float
    uc_child: float
    uc_disabled_child_lower: float
    uc_disabled_child_higher: float
    uc_childcare_proportion: float
    uc_childcare_cap_one: float
    uc_childcare_cap_two_or_more: float
    uc_capital_lower: float
    uc_capital_upper: float
    uc_tariff_step: float
    uc_tariff_per_step: float
    uc_non_dependant_deduction: float
    uc_under_occupancy_one: float
    uc_under_occupancy_two_or_more: float
    uc_minimum_award: float
    uc_capability_earnings_hours: float
    uc_minimum_age: int
    # Benefit cap, monthly
    cap_outside_london_single: float
    cap_outside_london_other: float
    cap_london_single: float
    cap_london_other: float
    cap_earnings_exception_hours: float
    # Income tax, annual
    personal_allowance: float
    personal_allowance_income_limit: float
    rest_of_uk_bands: Bands
    scotland_bands: Bands
    # National Insurance, by earnings period
    ni_primary_threshold_weekly: float
    ni_primary_threshold_monthly: float
    ni_upper_earnings_limit_weekly: float
    ni_upper_earnings_limit_monthly: float
    ni_main_rate: float
    ni_additional_rate: float
    # Workplace pension, by pay reference period
    pension_trigger_weekly: float
    pension_trigger_monthly: float
    pension_lower_weekly: float
    pension_lower_monthly: float
    pension_upper_weekly: float
    pension_upper_monthly: float
    pension_employee_rate: float
    pension_basic_rate_relief: float
    pension_minimum_age: int
    state_pension_age: int
    # Other benefits, weekly unless named otherwise
    child_benefit_eldest: float
    child_benefit_other: float
    hicbc_threshold: float
    hicbc_width: float
    carers_allowance: float
    carers_allowance_earnings_limit: float
    esa_under_25: float
    esa_25_or_over: float
    esa_support_component: float
    esa_permitted_work_hours: float
    esa_permitted_work_limit: float
    jsa_under_25: float
    jsa_25_or_over: float
    jsa_remunerative_hours: float
    jsa_earnings_disregard: float
    pip_daily_living_standard: float
    pip_daily_living_enhanced: float
    pip_mobility_standard: float
    pip_mobility_enhanced: float
    scp_weekly: float
    scp_maximum_age: int
    prescriptions_limit: float
    prescriptions_limit_with_children_or_lcw: float

    @property
    def capability_earnings_threshold(self) -> float:
        """Monthly earnings of 16 hours a week at the national living wage (UC Regs reg 41, 82)."""
        return self.uc_capability_earnings_hours * self.national_living_wage * 52 / 12

    @property
    def cap_earnings_exception(self) -> float:
        return self.cap_earnings_exception_hours * self.national_living_wage * 52 / 12


def _bands(year: TaxYear, path: str) -> Bands:
    return tuple((float(threshold), float(rate)) for threshold, rate in year.value(path))


@cache
def rules_for(name: str) -> Rules:
    """The compiled rules for a tax year such as "2026-27"."""
    year = tax_year(name)

    def f(path: str) -> float:
        return float(year.value(path))

    uc = "universal_credit."
    return Rules(
        tax_year=year.tax_year,
        starts=year.starts,
        national_living_wage=float(in_force("minimum_wage.national_living_wage", year.starts).value),
        uc_standard_single_under_25=f(uc + "standard_allowance.single_under_25"),
        uc_standard_single_25_or_over=f(uc + "standard_allowance.single_25_or_over"),
        uc_standard_joint_both_under_25=f(uc + "standard_allowance.joint_both_under_25"),
        uc_standard_joint_25_or_over=f(uc + "standard_allowance.joint_one_or_both_25_or_over"),
        uc_work_allowance_with_housing=f(uc + "work_allowance.with_housing_costs_element"),
        uc_work_allowance_without_housing=f(uc + "work_allowance.without_housing_costs_element"),
        uc_taper=f(uc + "earnings_taper_rate"),
        uc_lcwra_protected=f(uc + "lcwra_element.protected_amount"),
        uc_lcwra_new_claim=f(uc + "lcwra_element.new_claim_amount"),
        uc_carer=f(uc + "carer_element"),
        uc_child_first_higher=f(uc + "child_element.first_child_born_before_6_april_2017"),
        uc_child=f(uc + "child_element.each_other_child"),
        uc_disabled_child_lower=f(uc + "disabled_child_addition.lower_rate"),
        uc_disabled_child_higher=f(uc + "disabled_child_addition.higher_rate"),
        uc_childcare_proportion=f(uc + "childcare_costs_element.proportion_of_costs"),
        uc_childcare_cap_one=f(uc + "childcare_costs_element.maximum_one_child"),
        uc_childcare_cap_two_or_more=f(uc + "childcare_costs_element.maximum_two_or_more_children"),
        uc_capital_lower=f(uc + "capital.lower_limit"),
        uc_capital_upper=f(uc + "capital.upper_limit"),
        uc_tariff_step=f(uc + "capital.tariff_step"),
        uc_tariff_per_step=f(uc + "capital.tariff_income_per_step"),
        uc_non_dependant_deduction=f(uc + "housing.non_dependant_deduction"),
        uc_under_occupancy_one=f(uc + "housing.under_occupancy_one_bedroom"),
        uc_under_occupancy_two_or_more=f(uc + "housing.under_occupancy_two_or_more_bedrooms"),
        uc_minimum_award=f(uc + "minimum_award"),
        uc_capability_earnings_hours=f(uc + "capability_earnings_threshold_hours"),
        uc_minimum_age=int(f(uc + "minimum_age")),
        cap_outside_london_single=f("benefit_cap.outside_london_single"),
        cap_outside_london_other=f("benefit_cap.outside_london_couple_or_children"),
        cap_london_single=f("benefit_cap.london_single"),
        cap_london_other=f("benefit_cap.london_couple_or_children"),
        cap_earnings_exception_hours=f("benefit_cap.earnings_exception_hours"),
        personal_allowance=f("income_tax.personal_allowance"),
        personal_allowance_income_limit=f("income_tax.personal_allowance_income_limit"),
        rest_of_uk_bands=_bands(year, "income_tax.rest_of_uk_bands"),
        scotland_bands=_bands(year, "income_tax.scotland_bands"),
        ni_primary_threshold_weekly=f("national_insurance.primary_threshold_weekly"),
        ni_primary_threshold_monthly=f("national_insurance.primary_threshold_monthly"),
        ni_upper_earnings_limit_weekly=f("national_insurance.upper_earnings_limit_weekly"),
        ni_upper_earnings_limit_monthly=f("national_insurance.upper_earnings_limit_monthly"),
        ni_main_rate=f("national_insurance.main_rate"),
        ni_additional_rate=f("national_insurance.additional_rate"),
        pension_trigger_weekly=f("workplace_pension.earnings_trigger_weekly"),
        pension_trigger_monthly=f("workplace_pension.earnings_trigger_monthly"),
        pension_lower_weekly=f("workplace_pension.qualifying_earnings_lower_weekly"),
        pension_lower_monthly=f("workplace_pension.qualifying_earnings_lower_monthly"),
        pension_upper_weekly=f("workplace_pension.qualifying_earnings_upper_weekly"),
        pension_upper_monthly=f("workplace_pension.qualifying_earnings_upper_monthly"),
        pension_employee_rate=f("workplace_pension.employee_contribution_rate"),
        pension_basic_rate_relief=f("workplace_pension.basic_rate_relief"),
        pension_minimum_age=int(f("workplace_pension.minimum_age")),
        state_pension_age=int(f("workplace_pension.state_pension_age")),
        child_benefit_eldest=f("child_benefit.eldest_or_only_child"),
        child_benefit_other=f("child_benefit.each_other_child"),
        hicbc_threshold=f("child_benefit.high_income_charge_threshold"),
        hicbc_width=f("child_benefit.high_income_charge_width"),
        carers_allowance=f("carers_allowance.weekly_rate"),
        carers_allowance_earnings_limit=f("carers_allowance.earnings_limit"),
        esa_under_25=f("new_style_esa.personal_allowance_under_25"),
        esa_25_or_over=f("new_style_esa.personal_allowance_25_or_over"),
        esa_support_component=f("new_style_esa.support_component"),
        esa_permitted_work_hours=f("new_style_esa.permitted_work_hours"),
        esa_permitted_work_limit=f("new_style_esa.permitted_work_higher_limit"),
        jsa_under_25=f("new_style_jsa.personal_rate_under_25"),
        jsa_25_or_over=f("new_style_jsa.personal_rate_25_or_over"),
        jsa_remunerative_hours=f("new_style_jsa.remunerative_work_hours"),
        jsa_earnings_disregard=f("new_style_jsa.earnings_disregard"),
        pip_daily_living_standard=f("personal_independence_payment.daily_living_standard"),
        pip_daily_living_enhanced=f("personal_independence_payment.daily_living_enhanced"),
        pip_mobility_standard=f("personal_independence_payment.mobility_standard"),
        pip_mobility_enhanced=f("personal_independence_payment.mobility_enhanced"),
        scp_weekly=f("scottish_child_payment.weekly_rate"),
        scp_maximum_age=int(f("scottish_child_payment.maximum_age")),
        prescriptions_limit=f("passported_help.free_prescriptions_earnings_limit"),
        prescriptions_limit_with_children_or_lcw=f(
            "passported_help.free_prescriptions_earnings_limit_with_children_or_lcw"
        ),
    )


def rules_on(on: date) -> Rules:
    """The rules for the tax year containing `on`; refused plainly if that year is not on file."""
    year = tax_year_for(on)
    try:
        return rules_for(year.tax_year)
    except KeyError as missing:
        raise ValueError(
            f"the better-off rules for {year.tax_year} are not complete ({missing.args[0]}); "
            "use a calculation date in 2026-27"
        ) from None
