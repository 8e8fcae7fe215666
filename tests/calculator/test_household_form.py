"""What the advisor form keeps when a calculation is saved against a client."""

from __future__ import annotations

from datetime import date

from calculator.household_form import HOUSEHOLD_FIELDS, PERSONAL_FIELDS, household_fields, request_body


class _Recording(dict[str, str]):
    """A form that notes every field the reader asks for."""

    def __init__(self) -> None:
        super().__init__(age="30", hours_per_week="16", hourly_wage="12.71", couple="yes",
                         partner_age="31", tenure="private_rent", children_ages="9, 4")
        self.asked: set[str] = set()

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        self.asked.add(key)
        return super().get(key, default)


def test_the_kept_fields_are_exactly_the_ones_the_form_reads() -> None:
    # A field added to the form but not to HOUSEHOLD_FIELDS would be lost from the saved
    # household; one listed but never read would keep something the calculation ignores.
    form = _Recording()
    for tenure in ("private_rent", "social_rent"):
        form["tenure"] = tenure
        request_body(form, date(2026, 11, 22))
    form.update(council_tax_monthly="120", first_payday="2026-12-20", ap_start_day="5",
                current_hours="4", partner_hours="10")
    request_body(form, date(2026, 11, 22))
    # Dates of birth are read for the calculation and never kept.
    assert form.asked == HOUSEHOLD_FIELDS | PERSONAL_FIELDS
    assert not HOUSEHOLD_FIELDS & PERSONAL_FIELDS


def test_only_known_filled_in_fields_are_kept() -> None:
    kept = household_fields({"age": " 30 ", "hours_per_week": "16", "rent_monthly": "",
                             "client_reference": "WT-1", "notes": "Jane Smith",
                             "as": "signed-token", "date_of_birth": "1960-10-10",
                             "partner_date_of_birth": "1961-01-01"})
    assert kept == {"age": "30", "hours_per_week": "16"}
