"""The cross-team outcomes spreadsheet (xlsx) that regional trainers get each month."""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from caseload.reports import OutcomesReport, TeamMonth, TeamOutcomes

SUMMARY_HEADERS = ["Team", "Job starts", "Target", "First job starts", "Competitive",
                   "Referrals", "Conversion", "YTD referrals", "YTD job starts", "YTD conversion",
                   "Employment rate", "Better-off calculations", "Showed better off",
                   "Overdue for employer contact"]


def _row(t: TeamOutcomes) -> list[object]:
    def pct(value: object) -> object:
        return None if value is None else float(value)  # type: ignore[arg-type]

    return [t.team_name, t.month.job_starts, t.job_start_target, t.month.first_job_starts,
            t.month.competitive_job_starts, t.month_referrals.referrals,
            pct(t.month_referrals.conversion), t.year_to_date.referrals,
            t.year_to_date.job_starts, pct(t.year_to_date.conversion), pct(t.employment.rate),
            t.better_off.done, t.better_off.better_off, t.overdue]


def _sheet_title(name: str, used: set[str]) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\ and unique.
    base = re.sub(r"[\[\]:*?/\\]", " ", name)[:28].strip() or "Team"
    title, n = base, 2
    while title in used:
        title, n = f"{base} {n}", n + 1
    used.add(title)
    return title


def outcomes_workbook(report: OutcomesReport, history: dict[int, list[TeamMonth]]) -> bytes:
    """A summary sheet for every team plus one sheet per team with its last 12 months."""
    book = Workbook()
    summary = book.worksheets[0]  # a new workbook's one sheet (typed, unlike `active`)
    summary.title = "Summary"
    summary.append([f"IPS outcomes for {report.period.label()} (as of {report.as_of:%-d %B %Y})"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(SUMMARY_HEADERS)
    for cell in summary[2]:
        cell.font = Font(bold=True)
    for team in report.teams:
        summary.append(_row(team))
    if len(report.teams) > 1:
        summary.append(_row(report.totals))
    percent_columns = ("G", "J", "K")
    for column in percent_columns:
        for cell in summary[column][2:]:
            cell.number_format = "0%"
    summary.column_dimensions["A"].width = 40
    used = {"Summary"}
    for team in report.teams:
        sheet = book.create_sheet(_sheet_title(team.team_name, used))
        sheet.append([team.team_name])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append(["Month", "Job starts", "Target", "First job starts", "Competitive"])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for month in history.get(team.team_id, []):
            sheet.append([month.month, month.counts.job_starts, month.target,
                          month.counts.first_job_starts, month.counts.competitive_job_starts])
        for cell in sheet["A"][2:]:
            cell.number_format = "mmm yyyy"
        sheet.column_dimensions["A"].width = 14
        sheet.append([])
        sheet.append(["Active caseload per specialist"])
        for caseload in team.caseloads:
            sheet.append([caseload.name, caseload.active_clients, float(caseload.fte)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_name(period_start: date) -> str:
    return f"ips-outcomes-{period_start:%Y-%m}.xlsx"
