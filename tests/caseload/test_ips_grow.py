"""IPS Grow's quarterly return, counted by hand from a caseload recorded day by day."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from caseload.db import Database
from caseload.errors import InvalidInput
from caseload.ips_grow import CANNOT_GIVE_YET, FIGURES, quarterly_returns
from caseload.periods import Period, month, quarter
from rendering.ips_grow import ips_grow_text, ips_grow_workbook, quarter_label
from tests.caseload.seaford import Q4, Seaford


def test_the_return_for_a_quarter_counted_by_hand(db: Database) -> None:
    seaford = Seaford(db)
    seaford.first_quarter()
    seaford.april_on()
    with db.reading() as s:
        returns = quarterly_returns(s, Q4)
        first = quarterly_returns(s, quarter(date(2026, 4, 1)), seaford.ids["seaford"])
    by_team = {r.team_name: r.values for r in returns}
    # January to March 2026 (see Seaford): referrals S-01..S-05; S-04 in work when referred;
    # S-05's profile; S-01 into work; S-01's two competitive jobs (S-02's is not competitive).
    assert by_team == {"Newhaven": (1, 0, 0, 0, 0), "Seaford": (5, 1, 1, 1, 2)}
    # April to June: S-06 referred with its profile; S-02 and S-05 into work, two job starts.
    assert [r.values for r in first] == [(1, 0, 1, 2, 2)]


def test_only_a_financial_quarter_is_a_return(db: Database) -> None:
    with db.reading() as s, pytest.raises(InvalidInput, match="quarter: must be a financial quarter"):
        quarterly_returns(s, month(date(2026, 4, 1)))
    with db.reading() as s, pytest.raises(InvalidInput):
        quarterly_returns(s, Period(date(2026, 2, 1), date(2026, 5, 1)))


def test_the_sheet_is_laid_out_to_copy_across(db: Database) -> None:
    seaford = Seaford(db)
    seaford.first_quarter()
    with db.reading() as s:
        returns = quarterly_returns(s, Q4)
    assert quarter_label(Q4) == "Q4 2025/26 (January 2026 to March 2026)"
    sheet = load_workbook(BytesIO(ips_grow_workbook(Q4, returns)))["IPS Grow return"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "IPS Grow quarterly return, Q4 2025/26 (January 2026 to March 2026)"
    assert rows[1] == ("Figure", "Newhaven", "Seaford")
    assert [row[0] for row in rows[2:7]] == list(FIGURES)
    assert [row[2] for row in rows[2:7]] == [5, 1, 1, 1, 2]
    assert rows[8][0] == "Not from the record yet"
    text = ips_grow_text(Q4, returns)
    assert "  Total number of job starts: 2" in text and CANNOT_GIVE_YET[0] in text
