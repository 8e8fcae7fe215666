"""Transitional protection for people moved to Universal Credit by managed migration.

The rules: the Universal Credit (Transitional Provisions) Regulations 2014, regulation 55
(the transitional element is added to the maximum amount and eroded only by increases in the
other elements, never the childcare costs element) and regulations 56 and 57 (when it ends)
(https://www.legislation.gov.uk/uksi/2014/1230/part/4/crossheading/ending-of-transitional-protection);
DWP's guidance "Move to Universal Credit (managed migration): transitional protection" lists
the same events: the award ending, joining or leaving a couple, and three assessment periods
in a row below the administrative earnings threshold for someone who earned at least that in
the award's first assessment period.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from calculator.engine import calculate

from .build import line, request, warning_keys

SOCIAL_TENANT = {"claimant": {"age": 40}, "housing": {"tenure": "social_rent", "rent_monthly": 450}}


def _with(te: float, **household: object) -> dict:
    return {**SOCIAL_TENANT, "transitional_element_monthly": te, **household}


def test_the_element_adds_to_universal_credit_now_and_in_work() -> None:
    job = {"hours_per_week": 16, "pay_frequency": "monthly", "pension": "opt_out"}
    protected = calculate(request(_with(50), job))
    plain = calculate(request(SOCIAL_TENANT, job))
    element = line(protected, "universal_credit.transitional_element")
    assert (element.now_monthly, element.in_work_monthly) == (50.0, 50.0)
    for side in ("now_monthly", "in_work_monthly"):
        assert getattr(line(protected, "universal_credit"), side) == pytest.approx(
            getattr(line(plain, "universal_credit"), side) + 50, abs=0.01
        )
    assert "transitional_protection_kept" in warning_keys(protected)


def test_the_benefit_cap_takes_the_element_with_the_rest_of_the_award() -> None:
    # The element is part of the maximum amount (reg 55), and the cap (UC Regs regs 79-81)
    # reduces the award worked out from it: a capped household keeps none of it above the cap.
    # Single, private rent of £1,200 at its LHA: 424.90 + 1200 = 1624.90 against the single
    # cap of 1229.42 (tests/calculator/engine/test_universal_credit.py works the same case).
    housing = {"tenure": "private_rent", "rent_monthly": 1200, "local_housing_allowance_monthly": 1200}
    nothing = {"hours_per_week": 0, "hourly_wage": 0}
    protected = calculate(request({"claimant": {"age": 30}, "housing": housing,
                                   "transitional_element_monthly": 100}, nothing))
    assert line(protected, "universal_credit.transitional_element").now_monthly == 100.0
    assert line(protected, "universal_credit.benefit_cap_reduction").now_monthly == pytest.approx(-495.48)
    assert line(protected, "universal_credit").now_monthly == 1229.42


def test_the_childcare_element_starting_in_work_does_not_erode_it() -> None:
    # Reg 55(4): a relevant increase is any element's increase apart from the childcare element.
    household = _with(80, children=[{"age": 3}])
    result = calculate(request(household, {"hours_per_week": 16, "childcare_costs_monthly": 400}))
    assert line(result, "universal_credit.childcare_costs_element").in_work_monthly > 0
    assert line(result, "universal_credit.transitional_element").in_work_monthly == 80.0


def test_a_job_that_stops_universal_credit_ends_it_with_a_warning_naming_the_amount() -> None:
    result = calculate(request(_with(50), {"hours_per_week": 37.5, "hourly_wage": 16}))
    assert line(result, "universal_credit").in_work_monthly == 0
    [message] = [w.message for w in result.warnings if w.key == "transitional_protection_ends"]
    assert "the £50.00 a month transitional element with it" in message
    assert "regulations 56 and 57" in message


def test_a_nil_month_from_an_extra_payday_is_flagged_by_period() -> None:
    # Weekly pay of 30 hours at £12.71: UC about £109 in a usual month, nil in a five-payday one.
    job = {"hours_per_week": 30, "pay_frequency": "weekly", "pension": "opt_out"}
    result = calculate(request(_with(50), job))
    assert line(result, "universal_credit").in_work_monthly > 0
    nil = [p.number for p in result.assessment_periods.periods if p.universal_credit == 0]
    assert nil
    [message] = [w.message for w in result.warnings if w.key == "transitional_protection_at_risk"]
    assert f"nil in assessment period {', '.join(map(str, nil))}" in message
    assert "transitional_protection_kept" not in warning_keys(result)


def test_no_element_no_warning() -> None:
    result = calculate(request(SOCIAL_TENANT, {"hours_per_week": 37.5, "hourly_wage": 16}))
    assert not {key for key in warning_keys(result) if key.startswith("transitional")}


def test_a_negative_element_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as caught:
        request(_with(-5))
    assert "household.transitional_element_monthly" in str(caught.value)
