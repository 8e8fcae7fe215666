"""The outcomes workbook (xlsx): the period's figures per team and in total, the same figures
month by month, caseloads per specialist, and a sheet that says how each figure is counted."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from caseload.outcomes import DEFINITIONS
from caseload.periods import Period
from caseload.reports import OutcomesReport, TeamOutcomes

RATES = ["Employment rate", "12-month employment rate", "In-work share of the caseload",
         "Job retention share of the caseload (at most 15%)"]
OVER = "Over the job retention limit"


def _rates(t: TeamOutcomes) -> list[object]:
    """The rates (as fractions, shown as percentages), then whether job retention is past 15%."""
    def number(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return [number(t.employment.rate), number(t.employment_year.rate),
            number(t.caseload.in_work_share), number(t.caseload.job_retention_share),
            "yes" if t.caseload.over_job_retention_limit else "no"]


def _figure_names(report: OutcomesReport) -> list[str]:
    return list(report.teams[0].figures()) if report.teams else []


def _bold_row(sheet: Worksheet, values: list[object]) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _percent_columns(sheet: Worksheet, first: int, count: int, from_row: int) -> None:
    for row in sheet.iter_rows(min_row=from_row, min_col=first, max_col=first + count - 1):
        for cell in row:
            cell.number_format = "0%"


def _summary(sheet: Worksheet, report: OutcomesReport) -> None:
    sheet.title = "Summary"
    sheet.append([f"IPS outcomes for {report.period.label()} (caseloads as of "
                  f"{report.as_of:%-d %B %Y})"])
    sheet["A1"].font = Font(bold=True, size=14)
    names = _figure_names(report)
    _bold_row(sheet, ["Team", *names, "Job start target", *RATES, OVER, "Since the service started"])
    teams = [*report.teams, *([report.totals] if len(report.teams) > 1 else [])]
    for t in teams:
        sheet.append([t.team_name, *t.figures().values(), t.job_start_target, *_rates(t),
                      t.since_start_sentence()])
    _percent_columns(sheet, len(names) + 3, len(RATES), 3)
    sheet.column_dimensions["A"].width = 32
    if report.changed:
        sheet.append([])
        _bold_row(sheet, ["Changed since first reported", "Figure", "First reported", "Now",
                          "First reported on"])
        for team, c in report.changed:
            sheet.append([team, c.figure, c.first, c.now, c.first_reported_on])


def _by_month(sheet: Worksheet, months: list[OutcomesReport]) -> None:
    names = _figure_names(months[0]) if months else []
    _bold_row(sheet, ["Month", "Team", *names, "Job start target", *RATES, OVER])
    for report in months:
        teams = [*report.teams, *([report.totals] if len(report.teams) > 1 else [])]
        for t in teams:
            sheet.append([report.period.start, t.team_name, *t.figures().values(),
                          t.job_start_target, *_rates(t)])
    for cell in sheet["A"][1:]:
        cell.number_format = "mmm yyyy"
    _percent_columns(sheet, len(names) + 4, len(RATES), 2)
    sheet.column_dimensions["B"].width = 32


def _caseloads(sheet: Worksheet, report: OutcomesReport) -> None:
    _bold_row(sheet, ["Team", "Specialist", "Active caseload", "FTE", "Per full-time specialist"])
    for t in report.teams:
        for c in t.specialists:
            sheet.append([t.team_name, c.name, c.active_clients, float(c.fte), float(c.per_fte)])
    sheet.column_dimensions["A"].width = 32


def _funnel(sheet: Worksheet, report: OutcomesReport) -> None:
    _bold_row(sheet, ["Team", "Referring clinician", "Asked about work", "Said yes", "Referred",
                      "Said yes but not referred", "Accepted", "First meeting with an employer",
                      "Started work"])
    for t in report.teams:
        for name, step in t.funnel:
            sheet.append([t.team_name, name, step.asked, step.said_yes, step.referred,
                          step.said_yes_not_referred, step.accepted, step.met_an_employer,
                          step.started_work])
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 28


def _supervision(sheet: Worksheet, report: OutcomesReport) -> None:
    _bold_row(sheet, ["Team", "Specialist", "Face-to-face employer contacts",
                      "A week (aim: 6)", "Competitive job starts", "In-work support contacts",
                      "Caseload at the end", "Overdue at the end"])
    for t in report.teams:
        for name, row in t.supervision:
            sheet.append([t.team_name, name, row.employer_contacts, float(row.contacts_a_week),
                          row.job_starts, row.in_work_contacts, row.caseload, row.overdue])
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 28


def _definitions(sheet: Worksheet) -> None:
    _bold_row(sheet, ["Figure", "How it is counted"])
    for name, meaning in DEFINITIONS.items():
        sheet.append([name, meaning])
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 120


def outcomes_workbook(report: OutcomesReport, months: list[OutcomesReport]) -> bytes:
    """The report, `months` (each a month's report) row by row, and what each figure means."""
    book = Workbook()
    _summary(book.worksheets[0], report)
    _by_month(book.create_sheet("By month"), months)
    _caseloads(book.create_sheet("Caseload per specialist"), report)
    _funnel(book.create_sheet("Referral funnel"), report)
    _supervision(book.create_sheet("Per specialist"), report)
    _definitions(book.create_sheet("How each figure is counted"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_name(period: Period) -> str:
    if period.months() == 1 and period.start.day == 1:
        return f"ips-outcomes-{period.start:%Y-%m}.xlsx"
    return f"ips-outcomes-{period.start:%Y-%m-%d}-to-{period.last_day:%Y-%m-%d}.xlsx"
