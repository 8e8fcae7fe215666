"""Job retention against the 15%: the people already in work when referred, as a share of the
active caseload, are held against it; the people IPS helped into work are not. Counted from the
dated history, in every report surface, on both databases."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook

from caseload import clients, jobs
from caseload.db import Database
from caseload.models import Client, FirstReport, JobType, Role, Staff
from caseload.outcomes import Caseload, caseloads_on, over_job_retention_limit
from caseload.periods import month
from caseload.reports import OutcomesReport, TeamOutcomes, outcomes_report, published_report
from caseload.validation import parse
from messaging.views.reports import outcomes_message, several_teams_message
from rendering.tables import HEADERS, render_outcomes_csv, render_outcomes_table
from rendering.workbooks import outcomes_workbook
from tests.factories import make_staff, make_team, refer
from tests.ips.web_helpers import signed_in

OCTOBER = month(date(2026, 10, 1))
NOVEMBER = month(date(2026, 11, 1))


def _on(day: date) -> time_machine.travel:
    return time_machine.travel(day, tick=False)


def _take_on(s, lead: Staff, specialist: Staff, reference: str, in_work: bool = False) -> int:
    client = refer(s, lead, lead.team, reference, in_work_at_referral=in_work)
    clients.accept(s, lead, client, specialist_id=specialist.id, confirm_over=True)
    return client.id


def _job(s, actor: Staff, client_id: int, day: date) -> None:
    jobs.record_job_start(s, actor, parse(jobs.NewJobStart, {
        "client_id": client_id, "employer": "Boots", "job_title": "Assistant",
        "job_type": JobType.SALES_CUSTOMER, "hours_per_week": Decimal(16),
        "hourly_wage": Decimal("12.71"), "started_on": day}))


def _build(db: Database) -> dict[str, int]:
    """October 2026, worked by hand:

    - Lewes (doing well): 10 out-of-work clients accepted 1 September, 6 of whom start a
      competitive job on 1 October, and LW-R referred in work: on 31 October 11 active, 6 in work
      (0.545, shown as 54%), 1 job retention (9%): not over the 15%.
    - Crawley: 8 out-of-work clients and CR-R1, CR-R2 referred in work, accepted 1 September:
      10 active, none in work, 2 job retention (20%): over.
    """
    ids: dict[str, int] = {}
    with _on(date(2026, 9, 1)), db.transaction() as s:
        for name, prefix in (("Lewes", "LW"), ("Crawley", "CR")):
            team = make_team(s, name)
            lead = make_staff(s, Role.TEAM_LEADER, team, name=f"{name} lead")
            specialist = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name=f"{name} specialist")
            ids[name], ids[f"{prefix} lead"], ids[f"{prefix} es"] = team.id, lead.id, specialist.id
            for n in range(10 if prefix == "LW" else 8):
                ids[f"{prefix}-{n}"] = _take_on(s, lead, specialist, f"{prefix}-{n}")
            for reference in (["LW-R"] if prefix == "LW" else ["CR-R1", "CR-R2"]):
                ids[reference] = _take_on(s, lead, specialist, reference, in_work=True)
    with _on(date(2026, 10, 1)), db.transaction() as s:
        lead = s.get(Staff, ids["LW lead"])
        for n in range(6):
            _job(s, lead, ids[f"LW-{n}"], date(2026, 10, 1))
    return ids


def _team(report: OutcomesReport, name: str) -> TeamOutcomes:
    return next(t for t in report.teams if t.team_name == name)


def _october(db: Database) -> OutcomesReport:
    with _on(date(2026, 11, 15)), db.reading() as s:
        return outcomes_report(s, OCTOBER)


def test_in_work_is_not_held_against_the_limit_and_job_retention_is(db: Database) -> None:
    _build(db)
    report = _october(db)
    lewes, crawley = _team(report, "Lewes").caseload, _team(report, "Crawley").caseload
    assert lewes == Caseload(active=11, in_work=6, job_retention=1)
    assert lewes.in_work_share == Decimal("0.545") and lewes.job_retention_share == Decimal("0.091")
    assert not lewes.over_job_retention_limit
    assert crawley == Caseload(active=10, in_work=0, job_retention=2)
    assert crawley.job_retention_share == Decimal("0.200") and crawley.over_job_retention_limit
    # Added up: 3 of 21 (14%) is within the 15%.
    assert report.totals.caseload == Caseload(active=21, in_work=6, job_retention=3)
    assert not report.totals.caseload.over_job_retention_limit


def test_the_limit_is_more_than_15_percent_exactly() -> None:
    assert not over_job_retention_limit(3, 20)  # 15% is at the limit, not past it
    assert over_job_retention_limit(4, 20)
    assert over_job_retention_limit(1, 6)  # 17%
    assert not over_job_retention_limit(0, 0)


def test_a_closed_month_keeps_its_job_retention_whatever_happens_later(db: Database) -> None:
    ids = _build(db)
    first = _october(db)
    # November: Crawley discharges CR-R1 and takes on another person in work when referred;
    # Lewes's LW-R starts a new job. None of it is about October.
    with _on(date(2026, 11, 10)), db.transaction() as s:
        lead = s.get(Staff, ids["CR lead"])
        clients.discharge(s, lead, s.get(Client, ids["CR-R1"]),
                          parse(clients.Discharge, {"reason": "moved away"}))
        _take_on(s, lead, s.get(Staff, ids["CR es"]), "CR-R3", in_work=True)
        _job(s, s.get(Staff, ids["LW lead"]), ids["LW-R"], date(2026, 11, 10))
    with _on(date(2026, 12, 2)):
        assert _october(db) == first
        with db.reading() as s:
            november = caseloads_on(s, NOVEMBER.last_day)
    assert november[ids["Crawley"]] == Caseload(active=10, in_work=0, job_retention=2)
    # LW-R, in work when referred, is in work (a new job) and still job retention.
    assert november[ids["Lewes"]] == Caseload(active=11, in_work=7, job_retention=1)


def test_the_text_table_flags_job_retention_not_in_work(db: Database) -> None:
    _build(db)
    table = render_outcomes_table(_october(db))
    # Cells are at least two spaces apart; a cell's own words ("20% over") one.
    rows = {cells[0]: dict(zip(HEADERS, cells, strict=True)) for cells in (
        re.split(r"\s{2,}", line.strip()) for line in table.splitlines()
        if line.startswith(("Lewes", "Crawley")))}
    assert (rows["Lewes"]["In work"], rows["Lewes"]["Job retention"]) == ("54%", "9%")
    assert (rows["Crawley"]["In work"], rows["Crawley"]["Job retention"]) == ("0%", "20% over")
    assert "job retention = in work when referred, at most 15% of the caseload" in table
    assert "in work against 15%" not in table


def test_the_csv_has_a_job_retention_column_and_in_work_claims_no_limit(db: Database) -> None:
    _build(db)
    rows = {row["Team"]: row for row in csv.DictReader(io.StringIO(render_outcomes_csv(_october(db))))}
    assert {name: (row["In work"], row["In-work share"], row["Job retention"],
                   row["Job retention share"], row["Over the job retention limit"])
            for name, row in rows.items()} == {
        "Lewes": ("6", "0.545", "1", "0.091", "no"),
        "Crawley": ("0", "0.000", "2", "0.200", "yes"),
        "All teams": ("6", "0.286", "3", "0.143", "no"),
    }


def test_the_workbook_shows_job_retention_against_the_limit(db: Database) -> None:
    _build(db)
    report = _october(db)
    book = load_workbook(io.BytesIO(outcomes_workbook(report, [report])))
    for sheet, header_row in ((book["Summary"], 2), (book["By month"], 1)):
        rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
        headers = list(rows[0])
        by_team = {row[headers.index("Team")]: dict(zip(headers, row, strict=True)) for row in rows[1:]
                   if row[headers.index("Team")]}
        assert "In-work share of the caseload" in headers  # kept, with no limit in its name
        assert {name: (row["In work"], row["In-work share of the caseload"], row["Job retention"],
                       row["Job retention share of the caseload (at most 15%)"],
                       row["Over the job retention limit"])
                for name, row in by_team.items()} == {
            "Lewes": (6, 0.545, 1, 0.091, "no"), "Crawley": (0, 0.0, 2, 0.2, "yes"),
            "All teams": (6, 0.286, 3, 0.143, "no")}
    definitions = dict(book["How each figure is counted"].iter_rows(min_row=2, values_only=True))
    assert "in-work (retention) clients should be at most 15% of a caseload" in definitions["Job retention"]
    assert "No limit applies" in definitions["In work"]


def _slack_text(message) -> str:
    return "\n".join(b.text.text for b in message.blocks if getattr(b, "text", None) is not None
                     and hasattr(b.text, "text"))


def test_the_slack_report_holds_job_retention_not_in_work_against_15_percent(db: Database) -> None:
    _build(db)
    report = _october(db)
    lewes = _slack_text(outcomes_message(report, _team(report, "Lewes"), None))
    assert "*Caseload on 31 October:* 11 active, 6 in work (54%)\n" in lewes
    assert ("*Job retention:* 1 in work when referred (9% of the caseload; at most 15%)\n"
            in lewes)
    assert "over the limit" not in lewes
    crawley = _slack_text(outcomes_message(report, _team(report, "Crawley"), None))
    assert ("*Job retention:* 2 in work when referred (20% of the caseload; at most 15%) "
            "*over the limit*") in crawley
    every = _slack_text(several_teams_message(report))
    [crawley_line] = [line for line in every.splitlines() if line.startswith("• *Crawley*")]
    [lewes_line] = [line for line in every.splitlines() if line.startswith("• *Lewes*")]
    assert crawley_line.endswith(", job retention over 15%")
    assert "job retention" not in lewes_line


def test_the_web_overview_shows_the_in_work_share_and_flags_job_retention(db: Database) -> None:
    _build(db)
    with db.transaction() as s:
        admin = make_staff(s, Role.ADMIN, None).slack_user_id
    with _on(date(2026, 11, 15)):
        page = signed_in(db, admin).get("/").get_data(as_text=True)

    def cells(team: str) -> list[str]:
        row = page.split(f"<span>{team}</span></th>", 1)[1].split("</tr>", 1)[0]
        return re.findall(r"<span>([^<]*)</span></td>", row)

    # Caseload with its in-work share, then job retention, after the overdue column.
    assert cells("Lewes")[6:8] == ["11 (54% in work)", "9%"]
    assert cells("Crawley")[6:8] == ["10 (0% in work)", "20%, over the limit"]


def test_a_period_first_reported_without_job_retention_keeps_it_from_its_first_report(
        db: Database) -> None:
    ids = _build(db)
    with _on(date(2026, 11, 2)):
        published_report(db, OCTOBER)
    # As a row kept before job retention was a figure: the same counts, without it.
    with db.transaction() as s:
        for row in s.scalars(sa.select(FirstReport)):
            row.figures = {k: v for k, v in row.figures.items() if k != "Job retention"}
    with _on(date(2026, 11, 20)):
        again = published_report(db, OCTOBER)
    assert [t.changed for t in again.teams] == [[], []]  # In work keeps its meaning: no change
    with db.reading() as s:
        kept = {r.team_id: r for r in s.scalars(sa.select(FirstReport))}
    crawley = ids["Crawley"]
    assert kept[crawley].figures["Job retention"] == 2
    assert kept[crawley].figures_added_on == {"Job retention": "2026-11-20"}
    # On 25 November CR-R1's discharge is recorded as of 20 October: a correction of October.
    with _on(date(2026, 11, 25)), db.transaction() as s:
        clients.discharge(s, s.get(Staff, ids["CR lead"]), s.get(Client, ids["CR-R1"]),
                          parse(clients.Discharge, {"reason": "moved away", "on": date(2026, 10, 20)}))
    with _on(date(2026, 11, 26)):
        corrected = published_report(db, OCTOBER)
    changed = {(c.figure, c.first, c.now, c.first_reported_on)
               for c in _team(corrected, "Crawley").changed}
    # CR-R1 had no employer contact: overdue on 31 October until the correction took it off.
    assert changed == {("Active caseload", 10, 9, date(2026, 11, 2)),
                       ("Overdue for employer contact", 10, 9, date(2026, 11, 2)),
                       ("Job retention", 2, 1, date(2026, 11, 20))}
