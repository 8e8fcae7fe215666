"""IPS Grow's quarterly return as a workbook laid out to copy across: one column per service,
one row per figure in the Reporting Tool's order, then what the record cannot give yet."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from caseload.ips_grow import CANNOT_GIVE_YET, FIGURES, QuarterlyReturn
from caseload.periods import Period


def quarter_label(period: Period) -> str:
    first = period.start.year if period.start.month >= 4 else period.start.year - 1
    number = ((period.start.month - 4) % 12) // 3 + 1
    return f"Q{number} {first}/{(first + 1) % 100:02d} ({period.label()})"


def ips_grow_workbook(period: Period, returns: list[QuarterlyReturn]) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "IPS Grow return"
    sheet.append([f"IPS Grow quarterly return, {quarter_label(period)}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Figure", *(r.team_name for r in returns)])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for i, figure in enumerate(FIGURES):
        sheet.append([figure, *(r.values[i] for r in returns)])
    if not returns:
        sheet.append(["No teams to report on."])
    sheet.append([])
    sheet.append(["Not from the record yet"])
    sheet[sheet.max_row][0].font = Font(bold=True)
    for note in CANNOT_GIVE_YET:
        sheet.append([note])
        sheet[sheet.max_row][0].alignment = Alignment(wrap_text=True)
    sheet.column_dimensions["A"].width = 70
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ips_grow_text(period: Period, returns: list[QuarterlyReturn]) -> str:
    lines = [f"IPS Grow quarterly return, {quarter_label(period)}", ""]
    if not returns:
        lines.append("No teams to report on.")
    for r in returns:
        lines.append(r.team_name)
        lines += [f"  {figure}: {value}" for figure, value in r.rows()]
    lines += ["", "Not from the record yet:", *(f"  - {note}" for note in CANNOT_GIVE_YET)]
    return "\n".join(lines) + "\n"
