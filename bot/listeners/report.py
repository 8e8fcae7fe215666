"""`/ips report [period] [team|all]`: outcome figures for any period, privately, with the charts
and the workbook sent to the person's direct messages. Team leaders get their own team; regional
trainers and admins every team of their Slack workspace (or the one they name)."""

from __future__ import annotations

import logging
from datetime import date

from slack_sdk.errors import SlackApiError

from bot.listeners.common import sentence
from bot.listeners.dispatch import Invocation
from caseload import clock
from caseload.errors import CaseloadError, InvalidInput
from caseload.periods import Period, parse_period
from caseload.reports import (
    OutcomesReport,
    all_teams_by_month,
    months_against_target_for,
    published_report,
    report_team,
    reports_by_month_for,
)
from caseload.staff import staff_by_slack_id
from messaging.views import Message
from messaging.views.reports import outcomes_message, several_teams_message
from rendering.charts import cumulative_chart, job_starts_chart
from rendering.workbooks import outcomes_workbook, workbook_name

log = logging.getLogger("bot.report")


def read_request(words: list[str], today: date) -> tuple[Period, str | None]:
    """The period (first word, when it is one; last month otherwise) and the team named after
    it (None for every team the person may see, as `all` or nothing)."""
    period = parse_period("month", today)
    if words:
        try:
            period = parse_period(words[0], today)
            words = words[1:]
        except ValueError as exc:
            if words[0][:1].isdigit():  # meant as a period, and not one
                raise InvalidInput.one("period", "give the period as "
                                       + str(exc).removeprefix("the period must be ")) from None
    name = " ".join(words).strip()
    return period, None if name.lower() in ("", "all") else name


def report_command(inv: Invocation) -> None:
    try:
        period, team_name = read_request(inv.words, clock.today())
        with inv.database.reading() as session:
            team_id = None if team_name is None else report_team(session, inv.person, team_name)
        report = published_report(inv.database, period, actor=inv.person, team_id=team_id)
    except CaseloadError as exc:
        inv.ack(response_type="ephemeral", text=sentence(exc))
        return
    if not report.teams:
        inv.ack(response_type="ephemeral", text="There are no teams to report on yet.")
        return
    inv.ack(response_type="ephemeral", **_message(report).as_kwargs())
    try:
        _send_files(inv, report, team_id)
    except SlackApiError as exc:
        # The figures are already on screen; the files can be asked for again.
        log.warning("/ips report files for %s (%s) not sent: %s", inv.person.slack_user_id,
                    period.label(), exc.response.get("error"))


def _message(report: OutcomesReport) -> Message:
    if len(report.teams) == 1:
        return outcomes_message(report, report.teams[0], chart_file_id=None, supervision=True)
    return several_teams_message(report)


def _send_files(inv: Invocation, report: OutcomesReport, team_id: int | None) -> None:
    """Figure 1 and the cumulative chart for the team (or the teams added up), and the
    workbook, in one upload to the person's direct messages."""
    with inv.database.reading() as session:
        actor = staff_by_slack_id(session, inv.person.slack_user_id)
        rows = months_against_target_for(session, actor, report.period.last_day, team_id)
        # The workbook's months are the report's own: a year's report gives twelve.
        months = reports_by_month_for(session, actor, report.period)
    name = report.teams[0].team_name if len(report.teams) == 1 else "All teams"
    line = rows if len(report.teams) == 1 else all_teams_by_month(rows)
    stem = f"{report.period.last_day:%Y-%m}"
    channel = inv.client.conversations_open(users=inv.person.slack_user_id)["channel"]["id"]
    inv.client.files_upload_v2(channel=channel, file_uploads=[
        {"content": job_starts_chart(name, line), "filename": f"job-starts-{stem}.png",
         "title": f"{name}: job starts against target, 12 months to {report.period.last_day:%B %Y}"},
        {"content": cumulative_chart(name, line), "filename": f"job-starts-so-far-{stem}.png",
         "title": f"{name}: job starts so far against target"},
        {"content": outcomes_workbook(report, months), "filename": workbook_name(report.period),
         "title": f"IPS outcomes, {report.period.label()}"},
    ])
