"""`/ips report`: any period's outcomes by role, privately, with the charts and the workbook in
the person's direct messages; refusals name what is wrong and send nothing."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from caseload import clients, clock, jobs
from caseload.db import Database
from caseload.models import FirstReport, JobType, Role
from caseload.periods import month, parse_period
from caseload.teams import set_workspace as set_team_workspace
from caseload.validation import parse
from tests.bot.driver import eventually, slash
from tests.factories import make_staff, make_team, refer

# Last month, whenever the tests run: the report's default.
LAST = month(month(clock.today()).start - timedelta(days=1))
NAME, STEM = LAST.label(), f"{LAST.start:%Y-%m}"


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        rye = make_team(s, "Rye", job_start_target_per_month=2, referral_target_per_month=4)
        hove = make_team(s, "Hove")
        w = {"leader": make_staff(s, Role.TEAM_LEADER, rye),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, rye, name="Sam"),
             "trainer": make_staff(s, Role.REGIONAL_TRAINER, None),
             "hove_leader": make_staff(s, Role.TEAM_LEADER, hove),
             "cc": make_staff(s, Role.CARE_COORDINATOR, rye)}
        client = refer(s, w["leader"], rye, "RY-0001", received_on=LAST.start)
        clients.accept(s, w["leader"], client, on=LAST.start + timedelta(days=1),
                       specialist_id=w["es"].id)
        jobs.record_job_start(s, w["leader"], parse(jobs.NewJobStart, {
            "client_id": client.id, "employer": "Boots", "job_title": "Assistant",
            "job_type": JobType.SALES_CUSTOMER, "hours_per_week": Decimal(16),
            "hourly_wage": Decimal("12.71"), "started_on": LAST.start + timedelta(days=4)}))
        refer(s, w["hove_leader"], hove, "HV-0001")
    return w


def _text(body: dict) -> str:
    return "\n".join(b["text"]["text"] for b in body["blocks"] if b["type"] == "section")


def test_a_team_leader_gets_last_month_with_charts_and_workbook(db, w, slack) -> None:
    url, fake = slack
    body = slash(url, w["leader"].slack_user_id, "report").json()
    assert body["response_type"] == "ephemeral"
    assert body["text"] == f"Rye, {NAME}: 1 job starts against a target of 2 (1 short of the target)."
    text = _text(body)
    assert "*Referrals:* 1 (target 4)" in text
    assert "*Since the service started:* 1 referral and 1 job achieved—100%" in text
    assert "*How long jobs lasted:* no job reached 13 weeks in this period (1 too recent to judge)" in text
    assert ("*From asking to work:* 0 asked, 0 said yes, 1 referred, 1 accepted, 0 met an employer, "
            "1 started work; *0 said yes but were not referred*") in text
    assert "• Sam: 0.0 a week, 1 job starts, 0 in-work support contacts, caseload 1, 0 overdue" \
        in text
    assert "Hove" not in text
    [done] = eventually(fake, "files.completeUploadExternal")
    names = sorted(fake.uploads[f["id"]].filename for f in done.args["files"])
    assert names == [f"ips-outcomes-{STEM}.xlsx", f"job-starts-{STEM}.png", f"job-starts-so-far-{STEM}.png"]
    [book] = [fake.uploads[f["id"]] for f in done.args["files"] if f["id"] and
              fake.uploads[f["id"]].filename.endswith(".xlsx")]
    summary = load_workbook(io.BytesIO(book.content))["Summary"]
    assert [row[0] for row in summary.iter_rows(min_row=3, values_only=True)] == ["Rye"]
    with db.reading() as s:  # October is closed: its first report is kept
        assert s.query(FirstReport).count() == 1


def test_a_trainer_gets_every_team_or_the_one_named_for_a_quarter(db, w, slack) -> None:
    url, _ = slack
    every = slash(url, w["trainer"].slack_user_id, "report quarter").json()
    quarter = parse_period("quarter", clock.today())
    assert every["text"].startswith(f"All teams, {quarter.label()}:")
    assert "*Rye*" in _text(every) and "*Hove*" in _text(every)
    one = slash(url, w["trainer"].slack_user_id, f"report {STEM} hove").json()
    assert one["text"].startswith(f"Hove, {NAME}:")


@pytest.mark.parametrize(("who", "words", "says"), [
    # A leader is not told whether another team exists.
    ("leader", "report month Hove", "There is no team called 'Hove' among the teams whose figures"),
    ("trainer", "report month Lewes", "There is no team called 'Lewes' among the teams"),
    ("leader", "report 2026-13", "Give the period as month, quarter, year, a month such as 2026-03"),
    ("es", "report", "Only these roles can see team outcome reports"),
    ("cc", "report month", "Only these roles can see team outcome reports"),
])
def test_refusals_say_why_and_send_nothing(db, w, slack, who: str, words: str, says: str) -> None:
    url, fake = slack
    body = slash(url, w[who].slack_user_id, words).json()
    assert body["response_type"] == "ephemeral" and says in body["text"]
    assert fake.successful("files.getUploadURLExternal") == []


def test_a_trainer_of_another_workspace_sees_none_of_its_teams(db, w, slack) -> None:
    url, _ = slack
    with db.transaction() as s:
        set_team_workspace(s, s.merge(w["leader"]).team, "T0RYE", actor=None)
        other = make_staff(s, Role.REGIONAL_TRAINER, None, workspace="T0OTHER")
    body = slash(url, other.slack_user_id, "report month Rye", team_id="T0OTHER").json()
    assert "There is no team called 'Rye'" in body["text"]


def test_slack_failing_the_files_still_leaves_the_figures_on_screen(db, w, slack, caplog) -> None:
    url, fake = slack
    slash(url, w["leader"].slack_user_id, "help")  # Bolt checks its token on the first request
    fake.fail_next(2, status=500)  # conversations.open and slack_sdk's one retry of it
    body = slash(url, w["leader"].slack_user_id, "report").json()
    assert body["text"].startswith(f"Rye, {NAME}:")
    deadline = time.monotonic() + 5
    while "not sent" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.02)
    assert f"/ips report files for {w['leader'].slack_user_id} ({NAME}) not sent" in caplog.text
    assert fake.successful("files.getUploadURLExternal") == []
