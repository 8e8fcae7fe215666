"""The parameter files: every figure cited, found by date, minimum wage right either side of 1 April."""

from datetime import date
from decimal import Decimal

import pytest

from calculator.parameters import (
    all_tax_years,
    histories,
    in_force,
    minimum_hourly_wage,
    tax_year,
    tax_year_for,
)


def test_every_figure_has_a_reference_with_a_link() -> None:
    years = all_tax_years()
    assert [y.tax_year for y in years][:2] == ["2025-26", "2026-27"]
    for year in years:
        assert year.parameters, year.tax_year
        for parameter in year.parameters.values():
            assert parameter.reference.title
            assert parameter.reference.href.scheme == "https"


@pytest.mark.parametrize(
    ("on", "band", "expected"),
    [
        # GOV.UK "National Minimum Wage and National Living Wage rates": from 1 April 2025.
        (date(2025, 4, 1), "21_and_over", "12.21"),
        (date(2026, 3, 31), "18_to_20", "10.00"),
        (date(2026, 3, 31), "under_18", "7.55"),
        # SI 2026/357 reg 2: from 1 April 2026 (before the 6 April tax-year start).
        (date(2026, 4, 1), "21_and_over", "12.71"),
        (date(2026, 4, 5), "18_to_20", "10.85"),
        (date(2027, 3, 31), "under_18", "8.00"),
        (date(2026, 11, 22), "apprentice", "8.00"),
    ],
)
def test_minimum_wage_by_date_and_band(on: date, band: str, expected: str) -> None:
    assert minimum_hourly_wage(on, band) == Decimal(expected)


def test_unknown_band_and_dates_before_the_files_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown age band 'adult'"):
        minimum_hourly_wage(date(2026, 5, 1), "adult")
    with pytest.raises(ValueError, match="in force on 2024-05-01"):
        minimum_hourly_wage(date(2024, 5, 1), "21_and_over")


def test_tax_years_are_found_by_name_and_date() -> None:
    assert tax_year_for(date(2026, 4, 6)).tax_year == "2026-27"
    assert tax_year_for(date(2026, 4, 5)).tax_year == "2025-26"
    assert tax_year("2026-27").starts == date(2026, 4, 6)
    with pytest.raises(ValueError, match="known: 2025-26"):
        tax_year("1999-00")
    assert in_force("minimum_wage.national_living_wage", date(2026, 4, 1)).reference.href.host == (
        "www.legislation.gov.uk"
    )


def test_each_file_is_one_figure_described_with_its_values_by_date() -> None:
    found = histories()
    assert "universal_credit.standard_allowance.single_25_or_over" in found
    for path, history in found.items():
        assert history.description and history.unit, path
        assert history.values, path


def test_a_tax_year_holds_the_values_in_force_on_6_april() -> None:
    wage = histories()["minimum_wage.national_living_wage"]
    assert sorted(wage.values) == [date(2025, 4, 1), date(2026, 4, 1)]
    year = tax_year("2026-27")
    assert year.get("minimum_wage.national_living_wage").in_force_from == date(2026, 4, 1)
    # Unchanged since 2021: one dated value serves every later year.
    taper = year.get("universal_credit.earnings_taper_rate")
    assert (taper.value, taper.in_force_from) == (Decimal("0.55"), date(2021, 11, 24))
    assert tax_year("2025-26").get("universal_credit.earnings_taper_rate") == taper
