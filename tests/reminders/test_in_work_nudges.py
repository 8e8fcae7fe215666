"""In-work support and job-end follow-up nudges, with a clock moved through three weeks: in the
specialist's one daily DM with the four-week rule, once per client per due date, snoozed like
it, escalated to the team leaders' digest, at the team's own time, exactly once across a
restart and with two clocks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from caseload import clients, jobs
from caseload.contacts import NewEmployerContact, record_employer_contact
from caseload.db import Database
from caseload.in_work import NewInWorkContact, record_in_work_contact
from caseload.models import Client, Nation, Role, Staff
from caseload.snoozes import Snooze, snooze_nudges
from caseload.validation import parse
from reminders import jobs as clock_jobs
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import FakeSlack
from tests.reminders.test_follow_ups import _clock, _days, _run_days
from tests.reminders.test_jobs import MONDAY, _at

JOB_STARTED = MONDAY - timedelta(days=14)  # Monday 2 November: in-work contacts due weekly
JOB_ENDED = MONDAY + timedelta(days=2)  # Wednesday 18th: follow up by Monday 23rd


@pytest.fixture
def w(db: Database) -> dict:
    with _at(MONDAY - timedelta(days=60)), db.transaction() as s:
        team = make_team(s, "Worth")
        w = {"team": team, "leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)}
    with _at(MONDAY - timedelta(days=14)), db.transaction() as s:
        for reference, started in (("IW-1", JOB_STARTED), ("JE-1", MONDAY - timedelta(days=40))):
            client = refer(s, w["cc"], team, reference, received_on=MONDAY - timedelta(days=50))
            clients.accept(s, w["leader"], client, on=MONDAY - timedelta(days=49),
                           specialist_id=w["es"].id)
            w[reference] = client
            w[f"{reference}:job"] = jobs.record_job_start(s, w["es"], parse(jobs.NewJobStart, {
                "client_id": client.id, "employer": "Worth Cafe", "job_title": "Barista",
                "job_type": "sales_customer_service", "hours_per_week": "16",
                "hourly_wage": "12.71", "started_on": started})).id
    with _at(MONDAY, 8), db.transaction() as s:
        es = s.get(Staff, w["es"].id)
        # JE-1 met an employer and was seen in work lately: nothing is due for them yet.
        record_employer_contact(s, es, parse(NewEmployerContact, {
            "employer": "Worth Cafe", "contacted_on": MONDAY - timedelta(days=5),
            "face_to_face": True, "client_id": w["JE-1"].id}))
        record_in_work_contact(s, es, parse(NewInWorkContact, {
            "client_id": w["JE-1"].id, "contacted_on": MONDAY - timedelta(days=3),
            "with_whom": "both", "face_to_face": True}))
    return w


def _events(db: Database, w: dict):  # type: ignore[no-untyped-def]
    """What people do after the day's runs."""
    def happen(day: date) -> None:
        with _at(day, 14), db.transaction() as s:
            es = s.get(Staff, w["es"].id)
            if day == MONDAY + timedelta(days=1):  # IW-1 seen: next due Tuesday 24th
                record_in_work_contact(s, es, parse(NewInWorkContact, {
                    "client_id": w["IW-1"].id, "contacted_on": day, "with_whom": "person",
                    "face_to_face": True}))
            if day == JOB_ENDED:
                jobs.record_job_end(s, es, w["JE-1:job"], parse(jobs.JobEnd, {
                    "ended_on": day, "reason": "resigned"}))
            if day == MONDAY + timedelta(days=7):  # snoozed until Monday 30th
                snooze_nudges(s, es, s.get(Client, w["IW-1"].id),
                              parse(Snooze, {"reason": "on leave this week"}))
    return happen


def test_in_work_and_job_end_nudges_once_per_due_date_with_snooze_and_escalation(db, w) -> None:
    fake = FakeSlack().start()
    try:
        _run_days(db, fake, clock_jobs.four_week_nudges, _days(MONDAY, 19),
                  between=_events(db, w))
        dms = [(datetime.fromtimestamp(c.at).date(), c.args["text"],
                " ".join(b["text"]["text"] for b in c.args["blocks"] if b["type"] == "section"))
               for c in fake.messages_to(w["es"].slack_user_id)]
        digests = [(datetime.fromtimestamp(c.at).date(), c.args["text"])
                   for c in fake.messages_to(w["leader"].slack_user_id)]
    finally:
        fake.stop()
    assert [(day, text) for day, text, _body in dms] == [
        # IW-1's first contact was due on the 9th.
        (MONDAY, "On your caseload: 1 client in work is due in-work support."),
        # The day after JE-1's job ended.
        (MONDAY + timedelta(days=3), "On your caseload: 1 client's job has ended: contact "
                                     "them within 3 working days."),
        # IW-1 was due again on the 24th, but snoozed until the 30th.
        (MONDAY + timedelta(days=14), "On your caseload: 1 client in work is due in-work "
                                      "support."),
    ]
    assert "*IW-1*: in-work support due 9 Nov (7 days overdue)" in dms[0][2]
    assert "*JE-1*: job ended 18 Nov (resigned); contact them by Monday 23 Nov" in dms[1][2]
    assert "*IW-1*: in-work support due 24 Nov (6 days overdue)" in dms[2][2]
    # JE-1 was not followed up by the 23rd: the leaders hear each working day from the 24th.
    after = [d for d in _days(MONDAY + timedelta(days=8), 11) if d.weekday() < 5]
    assert digests == [(day, "Worth: 1 job end not followed up within 3 working days.")
                       for day in after]


def test_in_work_nudges_wait_for_the_teams_nudge_time(db, w) -> None:
    from caseload.teams import TeamSchedule, set_schedule

    with _at(MONDAY - timedelta(days=1)), db.transaction() as s:
        set_schedule(s, s.merge(w["team"]), parse(TeamSchedule, {"nudges_at": "11:00"}),
                     actor=None)
    fake = FakeSlack().start()
    try:
        box = _clock(db, fake)
        with _at(MONDAY, 9, 30):
            clock_jobs.four_week_nudges(box, MONDAY, time(9, 30))
        assert fake.messages_to(w["es"].slack_user_id) == []
        with _at(MONDAY, 11, 0):
            clock_jobs.four_week_nudges(box, MONDAY, time(11, 0))
            clock_jobs.four_week_nudges(box, MONDAY, time(11, 0))
        assert len(fake.messages_to(w["es"].slack_user_id)) == 1
    finally:
        fake.stop()


def test_a_four_week_client_and_an_in_work_one_share_the_days_one_dm(db, w) -> None:
    with _at(MONDAY - timedelta(days=14)), db.transaction() as s:
        client = refer(s, s.get(Staff, w["cc"].id), s.merge(w["team"]), "FW-1",
                       received_on=MONDAY - timedelta(days=40))
        clients.accept(s, s.get(Staff, w["leader"].id), client, on=MONDAY - timedelta(days=35),
                       specialist_id=w["es"].id)
    fake = FakeSlack().start()
    try:
        _run_days(db, fake, clock_jobs.four_week_nudges, [MONDAY])
        [dm] = fake.messages_to(w["es"].slack_user_id)
    finally:
        fake.stop()
    assert dm.args["text"] == ("On your caseload: 1 client has gone over four weeks without a "
                               "face-to-face employer contact; 1 client in work is due in-work "
                               "support.")
    listed = [b["block_id"] for b in dm.args["blocks"] if b.get("block_id", "").startswith("client_")]
    assert listed == [f"client_{client.id}", f"client_{w['IW-1'].id}"]


@pytest.mark.parametrize(("holiday", "closed", "open_"), [
    # St Andrew's Day, Monday 30 November 2026: a bank holiday in Scotland, not in England.
    (date(2026, 11, 30), Nation.SCOTLAND, Nation.ENGLAND),
    # Easter Monday, 29 March 2027: a bank holiday in England, not in Scotland.
    (date(2027, 3, 29), Nation.ENGLAND, Nation.SCOTLAND),
])
def test_in_work_support_due_on_a_bank_holiday_is_nudged_on_the_next_working_day_once(
        db, holiday, closed, open_) -> None:
    """A team on each side of the border, each with someone a week into a job, so their first
    in-work contact falls due on the Monday that is a bank holiday for one of them. And a job
    in each that ended on the Friday before: its follow-up's 3 working days skip the holiday
    where it is one. The clock runs Saturday to Wednesday, restarted and doubled."""
    started, ended = holiday - timedelta(days=7), holiday - timedelta(days=3)
    people: dict[Nation, dict] = {}
    with _at(started - timedelta(days=60)), db.transaction() as s:
        for nation in (closed, open_):
            team = make_team(s, f"Border {nation.value}", nation=nation)
            people[nation] = {"leader": make_staff(s, Role.TEAM_LEADER, team),
                              "cc": make_staff(s, Role.CARE_COORDINATOR, team),
                              "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
                              "team": team}
    with _at(ended, 12), db.transaction() as s:
        for nation, p in people.items():
            for reference, began in (("IW", started), ("JE", started - timedelta(days=21))):
                client = refer(s, p["cc"], p["team"], f"{reference}-{nation.value}",
                               received_on=began - timedelta(days=30))
                clients.accept(s, p["leader"], client, on=began - timedelta(days=29),
                               specialist_id=p["es"].id)
                job = jobs.record_job_start(s, p["es"], parse(jobs.NewJobStart, {
                    "client_id": client.id, "employer": "Border Cafe", "job_title": "Cook",
                    "job_type": "elementary", "hours_per_week": "16", "hourly_wage": "12.71",
                    "started_on": began}))
                if reference == "JE":
                    jobs.record_job_end(s, p["es"], job.id, parse(jobs.JobEnd, {
                        "ended_on": ended, "reason": "contract_ended"}))
    fake = FakeSlack().start()
    try:
        _run_days(db, fake, clock_jobs.four_week_nudges, _days(holiday - timedelta(days=2), 5))
        dms = {nation: [(datetime.fromtimestamp(c.at).date(), " ".join(
            b["text"]["text"] for b in c.args["blocks"] if b["type"] == "section"))
            for c in fake.messages_to(p["es"].slack_user_id)] for nation, p in people.items()}
    finally:
        fake.stop()
    after = holiday + timedelta(days=1)
    # Where Monday is a working day both are in Monday's DM; where it is a bank holiday, in
    # Tuesday's, and neither comes again.
    assert [day for day, _ in dms[open_]] == [holiday]
    assert [day for day, _ in dms[closed]] == [after]
    for nation in (open_, closed):
        [(_, body)] = dms[nation]
        assert f"*IW-{nation.value}*: in-work support due {holiday:%-d %b}" in body
    # Friday plus 3 working days: Wednesday, or Thursday past the bank holiday.
    assert f"contact them by Wednesday {holiday + timedelta(days=2):%-d %b}" in dms[open_][0][1]
    assert f"contact them by Thursday {holiday + timedelta(days=3):%-d %b}" in dms[closed][0][1]
