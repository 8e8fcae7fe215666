"""Income tax, employee NI and auto-enrolment pension, with worked examples.

Figures: the 2026-27 values in calculator/parameters/ (personal allowance £12,570, FA 2026 s.10;
Scottish bands, Scottish Rate Resolution 2026-27; NI thresholds, SI 2026/231 reg 5;
auto-enrolment band £6,240-£50,270, trigger £10,000, HCWS1206).
"""

import pytest

from calculator.engine.deductions import income_tax_annual, payslip, pence
from calculator.engine.household import PayFrequency, PensionScheme
from calculator.engine.rules import rules_for

RULES = rules_for("2026-27")


@pytest.mark.parametrize(
    ("income", "scotland", "expected"),
    [
        (12_570, False, 0.0),
        # (30,000 - 12,570) x 20%
        (30_000, False, 3_486.00),
        # 37,700 x 20% + (60,000 - 12,570 - 37,700) x 40%
        (60_000, False, 7_540 + 3_892.00),
        # Personal allowance tapered by half the excess over £100,000: 12,570 - 5,000 = 7,570
        (110_000, False, 37_700 * 0.2 + (110_000 - 7_570 - 37_700) * 0.4),
        # Scotland: 19% on 3,967, 20% on 12,989, 21% on the remaining 474 of 17,430 taxable
        (30_000, True, 3_967 * 0.19 + 12_989 * 0.20 + 474 * 0.21),
        # Scotland, into the higher band: taxable 47,430 = 31,092 at the lower bands then 42%
        (60_000, True, 3_967 * 0.19 + 12_989 * 0.20 + 14_136 * 0.21 + (47_430 - 31_092) * 0.42),
    ],
)
def test_income_tax_worked_examples(income: float, scotland: bool, expected: float) -> None:
    assert income_tax_annual(RULES, income, scotland) == pytest.approx(expected, abs=0.005)


def test_ni_is_per_pay_period_with_the_periods_thresholds() -> None:
    monthly = payslip(RULES, 40, 2000 * 12 / 52 / 40, PayFrequency.MONTHLY, PensionScheme.OPT_OUT, 0.05)
    assert monthly.gross == 2000.00
    assert monthly.national_insurance == pytest.approx((2000 - 1048) * 0.08, abs=0.005)  # 76.16
    weekly = payslip(RULES, 40, 25, PayFrequency.WEEKLY, PensionScheme.OPT_OUT, 0.05)
    assert weekly.gross == 1000.00
    # 8% of 242-967 plus 2% above the upper earnings limit
    assert weekly.national_insurance == pytest.approx(725 * 0.08 + 33 * 0.02, abs=0.005)  # 58.66
    four_weekly = payslip(RULES, 16, 12.71, PayFrequency.FOUR_WEEKLY, PensionScheme.OPT_OUT, 0.05)
    # 16 x 12.71 x 4 = 813.44, under the four-weekly threshold of 4 x 242 = 968: no NI
    assert (four_weekly.gross, four_weekly.national_insurance) == (813.44, 0.0)


def test_pension_auto_enrolment_trigger_band_and_relief() -> None:
    below = payslip(RULES, 15, 12.71, PayFrequency.MONTHLY, PensionScheme.RELIEF_AT_SOURCE, 0.05)
    assert below.gross < 833 and below.pension == 0  # under the £833 monthly trigger
    ras = payslip(RULES, 40, 2000 * 12 / 52 / 40, PayFrequency.MONTHLY, PensionScheme.RELIEF_AT_SOURCE, 0.05)
    assert ras.pension_gross == pytest.approx((2000 - 520) * 0.05)  # 74.00 into the pension
    assert ras.pension == pytest.approx(59.20)  # 80% from pay; HMRC adds basic-rate relief
    net_pay = payslip(RULES, 40, 2000 * 12 / 52 / 40, PayFrequency.MONTHLY, PensionScheme.NET_PAY, 0.05)
    assert net_pay.pension == 74.00 and net_pay.pension_reduces_taxable_pay
    top = payslip(RULES, 40, 6000 * 12 / 52 / 40, PayFrequency.MONTHLY, PensionScheme.NET_PAY, 0.05)
    assert top.pension == pytest.approx((4189 - 520) * 0.05, abs=0.005)  # capped at the band's top
    out = payslip(RULES, 40, 20, PayFrequency.MONTHLY, PensionScheme.OPT_OUT, 0.05)
    assert out.pension == 0


def test_pence_rounds_half_up() -> None:
    assert pence(0.125) == 0.13
    assert pence(881.2266) == 881.23
    assert pence(0.0) == 0.0


def test_auto_enrolment_only_from_22_to_state_pension_age() -> None:
    # Pensions Act 2008 s.3(1): eligible jobholders are aged at least 22 and under State Pension age.
    from calculator.engine import calculate

    from .build import line, request

    job = {"hours_per_week": 30, "hourly_wage": 12.71}
    young = calculate(request({"claimant": {"age": 21}}, job))
    adult = calculate(request({"claimant": {"age": 22}}, job))
    # Born March 1960: State Pension age 66 (April 2026). Born October 1960: 66 and 7 months
    # (May 2027), so on 22 November 2026 still a jobholder (Pensions Act 1995 Sch 4).
    older = calculate(request({"claimant": {"date_of_birth": "1960-03-10"}}, job))
    not_yet = calculate(request({"claimant": {"date_of_birth": "1960-10-10"}}, job))
    assert line(young, "pension").in_work_monthly == 0
    assert line(older, "pension").in_work_monthly == 0
    assert line(adult, "pension").in_work_monthly < 0
    assert line(not_yet, "pension").in_work_monthly == line(adult, "pension").in_work_monthly
