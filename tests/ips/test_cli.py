"""The `ips` command line, driven as an operator would, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from caseload.db import Database
from caseload.migrate import upgrade
from caseload.models import AuditLog, Client, ClientStatus, Role, Staff, Team
from ips.cli import main
from ips.context import SYSTEM_SLACK_ID
from tests.conftest import POSTGRES_URL, postgres_schema


@pytest.fixture
def url(db: Database) -> str:
    """A URL the command line can use for the test database (schema included on PostgreSQL)."""
    if db.dialect == "sqlite":
        return db.url
    schema = postgres_schema()
    return f"{POSTGRES_URL}?options={quote(f'-csearch_path={schema}')}"


def run(url: str, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--database-url", url, *args])


def test_demo_data_loads_every_status_and_only_once(db: Database, url: str) -> None:
    result = run(url, "demo-data")
    assert result.exit_code == 0, result.output
    assert "Loaded 3 teams, 12 staff" in result.output
    with db.reading() as s:
        assert s.scalar(select(func.count(Team.id))) == 3
        assert s.scalar(select(func.count(Staff.id))) == 12
        clients = s.scalar(select(func.count(Client.id)))
        assert 140 <= clients <= 170
        statuses = set(s.scalars(select(Client.status).distinct()))
        assert statuses == set(ClientStatus)
        assert s.scalar(select(func.count(AuditLog.id))) > clients
    again = run(url, "demo-data", "--if-empty")
    assert again.exit_code == 0 and "already has teams" in again.output
    refused = run(url, "demo-data")
    assert refused.exit_code == 1 and "use --if-empty" in refused.output
    with db.reading() as s:
        assert s.scalar(select(func.count(Client.id))) == clients


def test_demo_is_the_same_for_the_same_seed(tmp_path) -> None:
    outputs = []
    for name in ("one", "two"):
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        assert run(url, "db", "upgrade").exit_code == 0
        outputs.append(run(url, "demo-data", "--seed", "7").output)
    assert outputs[0] == outputs[1]


def test_team_add_and_list(db: Database, url: str) -> None:
    result = run(url, "team", "add", "Worthing CMHT", "--nation", "WLS", "--job-start-target", "4")
    assert result.exit_code == 0, result.output
    listing = run(url, "team", "list")
    assert "Worthing CMHT" in listing.output and "WLS" in listing.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["team", "add", "X"], "name: String should have at least 2 characters"),
        (["team", "add", "Lewes", "--channel", "#general"], "slack_channel_id: must be a Slack"),
        (["team", "add", "Lewes", "--job-start-target", "-3"], "job_start_target_per_month"),
        (["team", "add", "Lewes", "--started", "yesterday"], "service_started_on"),
    ],
)
def test_bad_team_input_is_one_line_naming_the_field_and_writes_nothing(
        db: Database, url: str, args, message) -> None:
    result = run(url, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    with db.reading() as s:
        assert s.scalar(select(func.count(Team.id))) == 0


def test_staff_add_list_and_set_role(db: Database, url: str) -> None:
    assert run(url, "team", "add", "Eastbourne").exit_code == 0
    added = run(url, "staff", "add", "U0ABC1234", "Jo Bloggs", "--role", "care_coordinator",
                "--team", "Eastbourne", "--fte", "0.6")
    assert added.exit_code == 0, added.output
    changed = run(url, "staff", "set-role", "U0ABC1234", "team_leader")
    assert changed.exit_code == 0 and "now team leader" in changed.output
    listing = run(url, "staff", "list", "--team", "Eastbourne")
    header, row = listing.output.splitlines()
    assert header.split() == ["slack", "id", "name", "role", "team", "fte"]
    assert row.split() == ["U0ABC1234", "Jo", "Bloggs", "team_leader", "Eastbourne", "0.60"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["staff", "add", "bob", "Bob", "--role", "admin"], "slack_user_id: must be a Slack user id"),
        (["staff", "add", "U0ABC1234", "Bob", "--role", "employment_specialist"],
         "must belong to a team"),
        (["staff", "add", "U0ABC1234", "Bob", "--role", "admin", "--fte", "lots"], "fte:"),
        (["staff", "add", "U0ABC1234", "Bob", "--role", "care_coordinator", "--team", "Nowhere"],
         "team: there is no team called 'Nowhere'"),
        (["staff", "set-role", "U0NOBODY1", "admin"],
         "Error: slack_user_id: there is no staff member with Slack user id 'U0NOBODY1'"),
        (["staff", "add", "U0ABC1234", "Bob", "--role", "admin", "--workspace", "sussex"],
         "slack_team_id: must be a Slack workspace id"),
        (["staff", "set-workspace", "U0NOBODY1", "T0SUSSEX"],
         "Error: slack_user_id: there is no staff member with Slack user id 'U0NOBODY1'"),
    ],
)
def test_bad_staff_input_is_refused_and_writes_nothing(db: Database, url: str, args, message) -> None:
    result = run(url, *args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    with db.reading() as s:
        assert s.scalar(select(func.count(Staff.id))) == 0


def test_staff_workspace_is_set_on_adding_or_later_and_audited(db: Database, url: str) -> None:
    assert run(url, "team", "add", "Eastbourne").exit_code == 0
    assert run(url, "staff", "add", "U0ABC1234", "Jo Bloggs", "--role", "care_coordinator",
               "--team", "Eastbourne", "--workspace", "T0SUSSEX").exit_code == 0
    assert run(url, "staff", "add", "U0DEF5678", "Al Smith", "--role", "admin").exit_code == 0
    with db.reading() as s:
        assert dict(s.execute(select(Staff.slack_user_id, Staff.slack_team_id).where(
            Staff.slack_user_id.in_(["U0ABC1234", "U0DEF5678"]))).all()) == {
            "U0ABC1234": "T0SUSSEX", "U0DEF5678": None}
    # Someone added before a second workspace installed the app gets theirs afterwards...
    moved = run(url, "staff", "set-workspace", "U0DEF5678", "T0KENT01")
    assert (moved.exit_code, moved.output) == (0, "Al Smith is in workspace T0KENT01.\n")
    # ...and leaving it out puts them back in the one workspace of a single-token install.
    back = run(url, "staff", "set-workspace", "U0ABC1234")
    assert (back.exit_code, back.output) == (0, "Jo Bloggs is in the one workspace.\n")
    refused = run(url, "staff", "set-workspace", "U0DEF5678", "kent")
    assert refused.exit_code == 1 and "slack_team_id: must be a Slack workspace id" in refused.output
    with db.reading() as s:
        assert s.scalar(select(Staff.slack_team_id).where(Staff.slack_user_id == "U0DEF5678")) == "T0KENT01"
        rows = s.scalars(select(AuditLog).where(AuditLog.action == "set_workspace")
                         .order_by(AuditLog.id)).all()
        assert [(r.before, r.after) for r in rows] == [
            ({"slack_team_id": None}, {"slack_team_id": "T0KENT01"}),
            ({"slack_team_id": "T0SUSSEX"}, {"slack_team_id": None})]


def test_team_workspace_is_set_on_adding_or_later_and_audited(db: Database, url: str) -> None:
    assert run(url, "team", "add", "Eastbourne", "--workspace", "T0SUSSEX").exit_code == 0
    assert run(url, "team", "add", "Maidstone").exit_code == 0
    listed = run(url, "team", "list").output.splitlines()
    assert listed[0].split()[-1] == "workspace"
    assert [line.split()[-1] for line in listed[1:]] == ["T0SUSSEX", "-"]
    moved = run(url, "team", "set-workspace", "Maidstone", "T0KENT01")
    assert (moved.exit_code, moved.output) == (0, "Maidstone is in workspace T0KENT01.\n")
    back = run(url, "team", "set-workspace", "Eastbourne")
    assert (back.exit_code, back.output) == (0, "Eastbourne is in the one workspace.\n")
    for args, message in [
        (["team", "set-workspace", "Maidstone", "kent"], "slack_team_id: must be a Slack workspace id"),
        (["team", "set-workspace", "Nowhere", "T0KENT01"], "There is no team called 'Nowhere'"),
        (["team", "add", "Hastings", "--workspace", "t0lower"], "slack_team_id: must be a Slack"),
    ]:
        refused = run(url, *args)
        assert refused.exit_code == 1 and message in refused.output, refused.output
    with db.reading() as s:
        assert dict(s.execute(select(Team.name, Team.slack_team_id)).all()) == {
            "Eastbourne": None, "Maidstone": "T0KENT01"}
        rows = s.scalars(select(AuditLog).where(AuditLog.action == "set_team_workspace")
                         .order_by(AuditLog.id)).all()
        assert [(r.before, r.after) for r in rows] == [
            ({"slack_team_id": None}, {"slack_team_id": "T0KENT01"}),
            ({"slack_team_id": "T0SUSSEX"}, {"slack_team_id": None})]


def test_unknown_role_is_a_usage_error(url: str) -> None:
    result = run(url, "staff", "add", "U0ABC1234", "Bob", "--role", "wizard")
    assert result.exit_code == 2 and "wizard" in result.output


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["team", "add", "Lewes", "--job-start-target", "abc"],
         "Error: Invalid value for '--job-start-target': 'abc' is not a valid integer."),
        (["staff", "set-role", "U0ABC1234", "wizard"], "Error: Invalid value for 'ROLE': 'wizard'"),
        (["team", "add"], "Error: Missing argument 'NAME'."),
        (["tema", "list"], "Error: No such command 'tema'."),
    ],
)
def test_a_bad_option_is_one_line_pointing_at_the_help(url: str, args: list[str], start: str) -> None:
    result = run(url, *args)
    assert result.exit_code == 2
    assert result.output.startswith(start) and result.output.endswith(" --help)\n")
    assert result.output.count("\n") == 1


def test_report_outcomes_prints_the_demo_month(db: Database, url: str) -> None:
    assert run(url, "demo-data").exit_code == 0
    result = run(url, "report", "outcomes", "--period", "2026-10")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("IPS outcomes for October 2026")
    for team in ("Brighton and Hove CMHT", "Hastings and Rother CMHT", "All teams"):
        assert team in result.output
    one = run(url, "report", "outcomes", "--period", "2026-10", "--team", "Hastings and Rother CMHT")
    assert "Brighton" not in one.output and "Hastings" in one.output


def test_report_outcomes_for_a_quarter_any_dates_as_csv_and_as_a_workbook(
        db: Database, url: str, tmp_path) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    assert run(url, "demo-data").exit_code == 0
    quarter = run(url, "report", "outcomes", "--period", "2026-Q2")
    assert quarter.output.startswith("IPS outcomes for July 2026 to September 2026"), quarter.output
    days = run(url, "report", "outcomes", "--from", "2026-09-01", "--to", "2026-09-30",
               "--format", "csv")
    assert days.exit_code == 0, days.output
    rows = days.output.splitlines()
    assert rows[0].startswith("Period start,Period end,Team,Referrals,")
    assert rows[-1].startswith("2026-09-01,2026-09-30,All teams,")
    path = tmp_path / "q.xlsx"
    made = run(url, "report", "outcomes", "--period", "2026-Q2", "--format", "xlsx",
               "--output", str(path))
    assert made.exit_code == 0 and made.output == f"Wrote {path} (July 2026 to September 2026).\n"
    book = load_workbook(BytesIO(path.read_bytes()))
    assert book.sheetnames == ["Summary", "By month", "Caseload per specialist",
                               "Referral funnel", "Per specialist", "How each figure is counted"]
    funnel = list(book["Referral funnel"].iter_rows(values_only=True))
    assert funnel[0][:6] == ("Team", "Referring clinician", "Asked about work", "Said yes", "Referred",
                             "Said yes but not referred")
    assert len(funnel) > 1  # the demo's coordinators answer "just ask" every week or so
    by_month = list(book["By month"].iter_rows(min_row=2, values_only=True))
    assert {row[0].month for row in by_month} == {7, 8, 9}


@pytest.mark.parametrize(("args", "option", "words"), [
    (["--period", "2026-13"], "--period", "a month such as 2026-03"),
    (["--period", "last week"], "--period", "financial quarter such as 2026-Q1"),
    (["--from", "2026-09-01"], "--to", "give both --from and --to"),
    (["--from", "2026-09-30", "--to", "2026-09-01"], "--to", "the last day is before the first"),
    (["--from", "2026-09-01", "--to", "2026-09-30", "--period", "month"], "--period", "not both"),
    (["--from", "1 Sept"], "--from", "1 Sept"),
])
def test_report_with_a_bad_period_names_the_option(url: str, args: list[str], option: str,
                                                   words: str) -> None:
    result = run(url, "report", "outcomes", *args)
    assert result.exit_code == 2 and option in result.output and words in result.output


def test_an_unmigrated_database_says_to_run_the_upgrade(tmp_path) -> None:
    result = run(f"sqlite:///{tmp_path / 'empty.sqlite3'}", "team", "list")
    assert result.exit_code == 1
    assert "run `ips db upgrade` first" in result.output


def test_an_unreachable_database_is_one_clear_line() -> None:
    result = run("postgresql+psycopg://nobody@127.0.0.1:1/none", "team", "list")
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot use the database:")
    assert result.output.count("\n") == 1


def test_team_and_staff_changes_are_audited_as_the_command_line_operator(db: Database, url: str) -> None:
    assert run(url, "team", "add", "Crawley CMHT").exit_code == 0
    assert run(url, "staff", "add", "U0ABC1234", "Jo Bloggs", "--role", "care_coordinator",
               "--team", "Crawley CMHT").exit_code == 0
    assert run(url, "staff", "set-role", "U0ABC1234", "team_leader").exit_code == 0
    with db.reading() as s:
        rows = s.scalars(select(AuditLog).order_by(AuditLog.id)).all()
        actor = s.get(Staff, rows[0].actor_id)
        assert actor is not None and actor.slack_user_id == SYSTEM_SLACK_ID
        assert actor.role == Role.ADMIN
        assert {r.actor_id for r in rows} == {actor.id}
        assert [r.action for r in rows] == ["add_team", "add_staff", "set_role"]
        assert rows[2].before == {"role": "care_coordinator"} and rows[2].after == {"role": "team_leader"}
    # The operator is made once, and is not listed among the people.
    assert "IPS Assist (command line)" not in run(url, "staff", "list").output
    with db.reading() as s:
        assert s.scalar(select(func.count(Staff.id)).where(Staff.slack_user_id == SYSTEM_SLACK_ID)) == 1


def test_the_operator_account_keeps_its_role(db: Database, url: str) -> None:
    assert run(url, "team", "add", "Crawley CMHT").exit_code == 0
    result = run(url, "staff", "set-role", SYSTEM_SLACK_ID, "care_coordinator", "--team", "Crawley CMHT")
    assert result.exit_code == 1 and "slack_user_id:" in result.output
    with db.reading() as s:
        assert s.scalar(select(Staff.role).where(Staff.slack_user_id == SYSTEM_SLACK_ID)) == Role.ADMIN


def test_set_role_to_a_team_role_without_a_team_is_refused(db: Database, url: str) -> None:
    assert run(url, "staff", "add", "U0ABC1234", "Helen", "--role", "regional_trainer").exit_code == 0
    result = run(url, "staff", "set-role", "U0ABC1234", "employment_specialist")
    assert result.exit_code == 1
    assert result.output == "Error: team: a employment specialist must belong to a team\n"
    with db.reading() as s:
        assert s.scalar(select(Staff.role).where(Staff.slack_user_id == "U0ABC1234")) \
            == Role.REGIONAL_TRAINER


def test_a_database_behind_the_migrations_says_to_run_the_upgrade(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0001")
    result = run(url, "team", "list")
    assert result.exit_code == 1
    assert result.output == ("Error: The database is behind this version of IPS Assist: "
                             "run `ips db upgrade` first.\n")
    assert run(url, "db", "upgrade").exit_code == 0
    assert run(url, "team", "list").exit_code == 0


IPS = Path(sys.executable).with_name("ips")


def test_the_installed_command_reports_errors_on_stderr_without_a_traceback(db: Database, url: str) -> None:
    """The real `ips` executable, as an operator's shell runs it, on SQLite and PostgreSQL."""
    env = {**os.environ, "DATABASE_URL": url}

    def ips(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([IPS, *args], env=env, capture_output=True, text=True, timeout=60)

    added = ips("team", "add", "Bognor CMHT", "--nation", "SCT", "--job-start-target", "3")
    assert added.returncode == 0, added.stderr
    assert "Bognor CMHT" in ips("team", "list").stdout
    bad = ips("staff", "add", "U0ABC1234", "Bob", "--role", "care_coordinator", "--team", "X")
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr == "Error: team: there is no team called 'X'\n"
    usage = ips("team", "add", "Lewes", "--fte", "1")
    assert usage.returncode == 2
    assert usage.stderr == "Error: No such option '--fte'. (see: ips team add --help)\n"
    report = ips("report", "outcomes", "--period", "2026-10")
    assert report.returncode == 0, report.stderr
    assert "Bognor CMHT" in report.stdout
    with db.reading() as s:
        assert s.scalar(select(func.count(Team.id))) == 1
        assert s.scalar(select(func.count(Staff.id))) == 1  # only the operator


def test_the_clock_without_a_slack_token_says_so_in_one_line(url: str, monkeypatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")  # whatever a developer's .env holds
    result = run(url, "clock")
    assert result.exit_code == 1
    assert result.output == ("Error: The clock needs SLACK_BOT_TOKEN (or, for several workspaces, "
                             "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) to send anything; set it in .env.\n")


def test_team_schedule_is_set_audited_and_checked(db: Database, url: str) -> None:
    from datetime import time

    assert run(url, "team", "add", "Crawley").exit_code == 0
    result = run(url, "team", "schedule", "Crawley", "--nudges-at", "11:30",
                 "--just-ask-day", "tuesday")
    assert result.exit_code == 0, result.output
    assert "nudges at 11:30" in result.output and "Tuesday at 10:00" in result.output
    with db.reading() as s:
        team = s.scalar(select(Team).where(Team.name == "Crawley"))
        assert (team.nudges_at, team.just_ask_weekday, team.just_ask_at) == (time(11, 30), 1, None)
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "set_team_schedule")).one()
        assert audit.after == {"just_ask_weekday": 1, "nudges_at": "11:30:00"}
    refused = run(url, "team", "schedule", "Crawley", "--nudges-at", "05:00")
    assert refused.exit_code == 1 and "nudges_at: reminders go out in working hours" in refused.output
    with db.reading() as s:
        assert s.scalar(select(Team.nudges_at).where(Team.name == "Crawley")) == time(11, 30)


def test_team_referral_wait_is_set_audited_and_checked(db: Database, url: str) -> None:
    assert run(url, "team", "add", "Horsham").exit_code == 0
    result = run(url, "team", "referral-wait", "Horsham", "8")
    assert result.exit_code == 0, result.output
    assert result.output == ("Horsham: team leaders hear of referrals unaccepted after 8 working "
                             "days, and again each week they wait.\n")
    with db.reading() as s:
        assert s.scalar(select(Team.referral_wait_working_days)
                        .where(Team.name == "Horsham")) == 8
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "set_team_referral_wait")).one()
        assert audit.after == {"referral_wait_working_days": 8}
    refused = run(url, "team", "referral-wait", "Horsham", "45")
    assert refused.exit_code == 1 and "working_days" in refused.output
    assert "5 working days" in run(url, "team", "referral-wait", "Horsham").output


def test_report_ips_grow_gives_the_quarters_return(db: Database, url: str, tmp_path) -> None:
    assert run(url, "demo-data").exit_code == 0
    text = run(url, "report", "ips-grow", "--quarter", "2026-Q2")
    assert text.exit_code == 0, text.output
    assert text.output.startswith("IPS Grow quarterly return, Q2 2026/27 (July 2026 to September 2026)")
    assert "Number of clients supported into work (first job starts):" in text.output
    path = tmp_path / "return.xlsx"
    made = run(url, "report", "ips-grow", "--quarter", "2026-Q2", "--format", "xlsx", "--output", str(path))
    assert made.exit_code == 0 and path.stat().st_size > 0
    wrong = run(url, "report", "ips-grow", "--quarter", "2026-07")
    assert wrong.exit_code == 2 and "--quarter" in wrong.output and "financial quarter" in wrong.output


def test_outbox_lists_what_waits_and_retries_or_cancels_one_audited(db: Database, url: str) -> None:
    from caseload import outbox
    from caseload.models import AuditLog, OutboxMessage, OutboxStatus

    assert "Nothing waiting" in run(url, "outbox", "list").output
    with db.transaction() as s:
        outbox.enqueue(s, "referral:1:confirm", "U0DAN", {"text": "Referred WT-1."})
        outbox.enqueue(s, "referral:1:to:U0PRIYA", "U0PRIYA", {"text": "Please accept WT-1."})
    [first] = outbox.claim_due(db, keys=["referral:1:confirm"])
    outbox.give_up(db, first, "Slack refused it: channel_not_found")
    listed = run(url, "outbox", "list")
    assert listed.exit_code == 0, listed.output
    assert "failed" in listed.output and "channel_not_found" in listed.output
    assert "pending" in listed.output and "referral:1:to:U0PRIYA" in listed.output
    assert "Referred WT-1" not in listed.output  # what a message says stays out of the listing
    with db.reading() as s:
        ids = {row.key: row.id for row in s.execute(select(OutboxMessage.key, OutboxMessage.id))}
    assert run(url, "outbox", "retry", str(ids["referral:1:confirm"])).exit_code == 0
    assert run(url, "outbox", "cancel", str(ids["referral:1:to:U0PRIYA"])).exit_code == 0
    again = run(url, "outbox", "cancel", str(ids["referral:1:to:U0PRIYA"]))
    assert again.exit_code == 1 and "only a pending or failed one" in again.output
    assert "no outbox message 999" in run(url, "outbox", "retry", "999").output
    with db.reading() as s:
        statuses = {row.key: row.status
                    for row in s.execute(select(OutboxMessage.key, OutboxMessage.status))}
        audited = [(row.action, row.actor_id) for row in s.execute(
            select(AuditLog.action, AuditLog.actor_id).where(AuditLog.entity_type == "outbox"))]
    assert statuses == {"referral:1:confirm": OutboxStatus.PENDING,
                        "referral:1:to:U0PRIYA": OutboxStatus.CANCELLED}
    assert [action for action, _ in audited] == ["outbox_retried", "outbox_cancelled"]
    assert all(actor is not None for _, actor in audited)


def test_team_in_work_rhythm_is_set_audited_and_refused_in_the_options_words(
        db: Database, url: str) -> None:
    assert run(url, "team", "add", "Crawley").exit_code == 0
    result = run(url, "team", "in-work", "Crawley", "--first-weeks", "6", "--then-every", "28")
    assert result.exit_code == 0, result.output
    assert result.output == ("Crawley: in-work support contacts every 7 days for the first 6 "
                             "weeks of a job, then every 28 days.\n")
    with db.reading() as s:
        team = s.scalar(select(Team).where(Team.name == "Crawley"))
        assert (team.in_work_first_weeks, team.in_work_first_every_days,
                team.in_work_then_every_days) == (6, 7, 28)
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "set_team_in_work_rhythm")).one()
        assert audit.after == {"in_work_first_weeks": 6, "in_work_then_every_days": 28}
    refused = run(url, "team", "in-work", "Crawley", "--then-every", "0")
    assert refused.exit_code == 1 and "--then-every: Input should be greater than or equal to 1" \
        in refused.output
    with db.reading() as s:
        assert s.scalar(select(Team.in_work_then_every_days).where(Team.name == "Crawley")) == 28
    back = run(url, "team", "in-work", "Crawley")
    assert "every 7 days for the first 4 weeks of a job, then every 30 days" in back.output
