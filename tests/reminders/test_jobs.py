"""Each clock job: who gets what, on which days, once."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import func, select

from caseload import clients
from caseload.contacts import NewEmployerContact, record_employer_contact
from caseload.db import Database
from caseload.fidelity import ScheduleReview, schedule_review
from caseload.just_ask import JustAskAnswer, record_just_ask
from caseload.models import Client, ClientStatus, Nation, OutboxMessage, OutboxStatus, Role
from caseload.snoozes import Snooze, snooze_nudges
from caseload.validation import parse
from reminders import jobs
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import FakeSlack

MONDAY = date(2026, 11, 16)


def _at(day: date, hour: int = 9, minute: int = 30):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return time_machine.travel(datetime.combine(day, time(hour, minute),
                                                ZoneInfo("Europe/London")), tick=False)


@pytest.fixture
def world(db: Database):
    """A team with a specialist holding clients accepted 29, 35 and 50 days before MONDAY."""
    with _at(MONDAY - timedelta(days=60)), db.transaction() as s:
        team = make_team(s, "Clock", slack_channel_id="C0CLOCK01", job_start_target_per_month=2)
        w = {"team": team, "leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
             "trainer": make_staff(s, Role.REGIONAL_TRAINER, None)}
    with _at(MONDAY), db.transaction() as s:
        for ref, days in (("CLK-29", 29), ("CLK-35", 35), ("CLK-50", 50), ("CLK-10", 10)):
            c = refer(s, w["cc"], w["team"], ref, received_on=MONDAY - timedelta(days=days + 1))
            clients.accept(s, w["leader"], c, on=MONDAY - timedelta(days=days),
                           specialist_id=w["es"].id)
            w[ref] = c
    return w


def _dm(user_id: str) -> str:
    # The outbox posts a person's messages to their user id: Slack puts them in the DM.
    return user_id


def _texts(fake: FakeSlack, user_id: str) -> list[str]:
    return [c.args["text"] for c in fake.messages_to(_dm(user_id))]


def test_one_dm_per_specialist_with_every_overdue_client(db, world, box, fake_slack) -> None:
    with _at(MONDAY):
        jobs.four_week_nudges(box, MONDAY)
    [call] = fake_slack.messages_to(_dm(world["es"].slack_user_id))
    listed = [b["block_id"] for b in call.args["blocks"] if b.get("block_id", "").startswith("client_")]
    ids = {world[r].id for r in ("CLK-29", "CLK-35", "CLK-50")}
    # Longest-waiting first.
    assert listed == [f"client_{world[r].id}" for r in ("CLK-50", "CLK-35", "CLK-29")]
    assert {f"client_{i}" for i in ids} == set(listed)
    text = " ".join(b["text"]["text"] for b in call.args["blocks"] if b["type"] == "section")
    assert "*CLK-50*: 50 days" in text and "(22 days overdue)" in text
    assert "CLK-10" not in text
    # Only references reach Slack.
    assert "Client" not in call.args["text"]


def test_a_client_is_nudged_weekly_not_daily(db, world, box, fake_slack) -> None:
    es = world["es"].slack_user_id
    for offset in range(0, 8):
        day = MONDAY + timedelta(days=offset)
        with _at(day):
            jobs.four_week_nudges(box, day)
            jobs.four_week_nudges(box, day)  # a second run the same day sends nothing
    sent = fake_slack.messages_to(_dm(es))
    # Monday: three clients. Next Monday (a week on): the same three again. CLK-10 is not due
    # until day 29 (after this window). Weekend: nothing.
    assert [datetime.fromtimestamp(c.at).date() for c in sent] == [MONDAY, MONDAY + timedelta(7)]


def test_snoozed_and_held_clients_are_not_nudged_and_a_contact_resets(db, world, box,
                                                                      fake_slack) -> None:
    with _at(MONDAY), db.transaction() as s:
        es = s.merge(world["es"])
        snooze_nudges(s, es, s.get(Client, world["CLK-29"].id), parse(Snooze, {"reason": "interview"}))
        clients.put_on_hold(s, es, s.get(Client, world["CLK-35"].id),
                            parse(clients.Hold, {"reason": "unwell"}))
        record_employer_contact(s, es, parse(NewEmployerContact, {
            "employer": "Tesco", "contacted_on": MONDAY, "face_to_face": True,
            "client_id": world["CLK-50"].id}))
    with _at(MONDAY):
        jobs.four_week_nudges(box, MONDAY)
    assert fake_slack.messages_to(_dm(world["es"].slack_user_id)) == []


def test_weekend_nudges_wait_for_monday_and_bank_holidays_for_the_next_day(db, box,
                                                                           fake_slack) -> None:
    # St Andrew's Day, Monday 30 November 2026, is a bank holiday in Scotland only.
    holiday = date(2026, 11, 30)
    with _at(holiday - timedelta(days=30)), db.transaction() as s:
        team = make_team(s, "Dumfries", nation=Nation.SCOTLAND)
        leader = make_staff(s, Role.TEAM_LEADER, team)
        cc = make_staff(s, Role.CARE_COORDINATOR, team)
        es = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)
        client = refer(s, cc, team, "DG-1", received_on=holiday - timedelta(days=33))
        clients.accept(s, leader, client, on=holiday - timedelta(days=32), specialist_id=es.id)
    for day in (holiday - timedelta(days=2), holiday - timedelta(days=1), holiday,
                holiday + timedelta(days=1)):
        with _at(day):
            jobs.four_week_nudges(box, day)
    [call] = fake_slack.messages_to(_dm(es.slack_user_id))
    assert datetime.fromtimestamp(call.at).date() == holiday + timedelta(days=1)


def test_escalation_digest_goes_to_the_team_leader_past_42_days(db, world, box, fake_slack) -> None:
    with _at(MONDAY):
        jobs.four_week_nudges(box, MONDAY)
    [call] = fake_slack.messages_to(_dm(world["leader"].slack_user_id))
    assert "1 client past six weeks" in call.args["text"]
    body = " ".join(b["text"]["text"] for b in call.args["blocks"] if b["type"] == "section")
    assert "CLK-50" in body and "CLK-35" not in body


def test_failed_send_is_retried_on_the_next_run_and_sent_once(db, world, box, fake_slack) -> None:
    # Enough 500s to outlast the client's own retry, so the first run fails.
    fake_slack.fail_next(4, status=500)
    with _at(MONDAY):
        jobs.four_week_nudges(box, MONDAY)
        assert fake_slack.messages_to(_dm(world["es"].slack_user_id)) == []
        with db.reading() as s:
            assert s.scalar(select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.last_error.is_not(None))) >= 1
    # The catch-up sweep half an hour later (past the backoff), and another.
    with _at(MONDAY, 10, 0):
        jobs.four_week_nudges(box, MONDAY)
        jobs.four_week_nudges(box, MONDAY)
    assert len(fake_slack.messages_to(_dm(world["es"].slack_user_id))) == 1


def test_rate_limited_send_waits_and_goes_through_once(db, world, box, fake_slack) -> None:
    fake_slack.fail_next(1, status=429, retry_after=0)
    with _at(MONDAY):
        jobs.four_week_nudges(box, MONDAY)
    assert len(fake_slack.messages_to(_dm(world["es"].slack_user_id))) == 1


def test_just_ask_prompt_monday_and_follow_up_only_to_those_who_did_not_answer(
        db, world, box, fake_slack) -> None:
    with _at(MONDAY - timedelta(days=60)), db.transaction() as s:
        other = make_staff(s, Role.CARE_COORDINATOR, world["team"])
    for offset in range(0, 5):
        day = MONDAY + timedelta(days=offset)
        if offset == 2:
            with _at(day), db.transaction() as s:
                record_just_ask(s, s.merge(world["cc"]), parse(JustAskAnswer, {"asked_count": 4}))
        with _at(day, 10, 30):
            jobs.just_ask(box, day)
    answered = _texts(fake_slack, world["cc"].slack_user_id)
    silent = _texts(fake_slack, other.slack_user_id)
    assert len(answered) == 1 and answered[0].startswith("Just ask")
    assert len(silent) == 2 and "gentle reminder" in silent[1]
    follow_up = fake_slack.messages_to(_dm(other.slack_user_id))[1]
    assert datetime.fromtimestamp(follow_up.at).date() == MONDAY + timedelta(days=3)
    actions = [e["action_id"] for e in follow_up.args["blocks"][-1]["elements"]]
    assert actions == ["just_ask_wants_work", "just_ask_not_now", "just_ask_did_not_ask"]


def test_fidelity_preparation_reminders_follow_the_timeline(db, world, box, fake_slack) -> None:
    review_day = date(2027, 1, 27)
    with _at(MONDAY), db.transaction() as s:
        schedule_review(s, s.merge(world["leader"]), parse(ScheduleReview, {
            "team_id": world["team"].id, "scheduled_for": review_day,
            "reviewer_id": world["trainer"].id}))
    # 10 weeks before 27 January 2027 is 18 November 2026.
    for offset in range(0, 5):
        day = MONDAY + timedelta(days=offset)
        with _at(day):
            jobs.fidelity_reminders(box, day)
    for person in ("leader", "trainer"):
        [call] = fake_slack.messages_to(_dm(world[person].slack_user_id))
        assert datetime.fromtimestamp(call.at).date() == date(2026, 11, 18)
        assert "10 weeks to go" in call.args["text"]


def test_monthly_report_chart_and_spreadsheet(db, world, box, fake_slack) -> None:
    first = date(2026, 12, 1)
    with _at(first, 7, 45):
        jobs.monthly_reports(box, first)
        jobs.monthly_reports(box, first)
    [message] = fake_slack.messages_to("C0CLOCK01")
    assert message.args["text"].startswith("Clock, November 2026: 0 job starts against a target of 2")
    # The team channel gets the team's figures, never each specialist's (those are for supervision).
    assert "Per specialist" not in str(message.args["blocks"])
    uploads = {u.filename: u for u in fake_slack.uploads.values()}
    assert uploads["job-starts-2026-11.png"].content.startswith(b"\x89PNG")
    book = load_workbook(io.BytesIO(uploads["ips-outcomes-2026-11.xlsx"].content))
    assert book.sheetnames == ["Summary", "By month", "Caseload per specialist",
                               "Referral funnel", "Per specialist", "How each figure is counted"]
    assert book["Summary"]["A3"].value == "Clock"
    # The twelve months to November, month by month.
    months = [row[0] for row in book["By month"].iter_rows(min_row=2, values_only=True)]
    assert (months[0].date(), months[-1].date()) == (date(2025, 12, 1), date(2026, 11, 1))
    assert len([c for c in fake_slack.successful("files.completeUploadExternal")]) == 2


def test_holds_expire_when_the_clock_runs(db, world, box) -> None:
    with _at(MONDAY), db.transaction() as s:
        clients.put_on_hold(s, s.merge(world["es"]), s.get(Client, world["CLK-10"].id),
                            parse(clients.Hold, {"reason": "away", "until": MONDAY + timedelta(2)}))
    with _at(MONDAY + timedelta(days=2), 6, 5):
        assert jobs.expire_holds(box, MONDAY + timedelta(days=2)) == 1
    with db.reading() as s:
        assert s.get(Client, world["CLK-10"].id).status == ClientStatus.ACCEPTED


def test_monthly_report_waits_for_each_nations_first_working_day(db, box, fake_slack) -> None:
    # 1 January 2027 is a Friday and a bank holiday everywhere; 4 January is a working day in
    # England but Scotland's 2 January holiday is observed that Monday.
    with _at(date(2026, 12, 1)), db.transaction() as s:
        make_team(s, "Lewes", slack_channel_id="C0LEWES01")
        make_team(s, "Oban", nation=Nation.SCOTLAND, slack_channel_id="C0OBAN001")
    for day in (date(2027, 1, 1), date(2027, 1, 4), date(2027, 1, 5)):
        with _at(day, 7, 45):
            jobs.monthly_reports(box, day)
    [lewes] = fake_slack.messages_to("C0LEWES01")
    [oban] = fake_slack.messages_to("C0OBAN001")
    assert datetime.fromtimestamp(lewes.at).date() == date(2027, 1, 4)
    assert datetime.fromtimestamp(oban.at).date() == date(2027, 1, 5)


def test_a_clock_started_mid_month_does_not_send_last_months_report(db, world, box,
                                                                    fake_slack) -> None:
    with _at(date(2026, 12, 14), 7, 45):
        jobs.monthly_reports(box, date(2026, 12, 14))
    assert fake_slack.messages_to("C0CLOCK01") == []


def test_each_team_can_set_its_own_nudge_time_and_just_ask_day(db, world, box, fake_slack) -> None:
    from caseload.teams import TeamSchedule, set_schedule
    from reminders.clock import run_due
    from reminders.settings import ClockSettings

    with _at(MONDAY), db.transaction() as s:
        set_schedule(s, s.merge(world["team"]), parse(TeamSchedule, {
            "nudges_at": "11:00", "just_ask_weekday": 1, "just_ask_at": "14:00"}), actor=None)
    settings = ClockSettings()
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    for day, hour, minute in ((MONDAY, 10, 30), (MONDAY, 11, 0), (MONDAY + timedelta(1), 13, 30),
                              (MONDAY + timedelta(1), 14, 0)):
        with _at(day, hour, minute):
            run_due(box, settings, datetime.combine(day, time(hour, minute), london))
    [nudge] = fake_slack.messages_to(_dm(world["es"].slack_user_id))
    assert datetime.fromtimestamp(nudge.at, london).time() == time(11, 0)
    [prompt] = fake_slack.messages_to(_dm(world["cc"].slack_user_id))
    when = datetime.fromtimestamp(prompt.at, london)
    assert (when.date(), when.time()) == (MONDAY + timedelta(1), time(14, 0))


@pytest.mark.parametrize(("data", "field"), [({"nudges_at": "06:00"}, "nudges_at"),
                                             ({"just_ask_weekday": 5}, "just_ask_weekday"),
                                             ({"just_ask_at": "19:30"}, "just_ask_at")])
def test_team_schedules_stay_in_working_hours_and_days(data, field) -> None:
    from caseload.errors import InvalidInput
    from caseload.teams import TeamSchedule

    with pytest.raises(InvalidInput) as err:
        parse(TeamSchedule, data)
    assert err.value.errors[0].field == field


def test_a_claim_whose_clock_died_is_sent_after_the_lease_not_counted_as_sent(
        db, world, box, fake_slack) -> None:
    from caseload import outbox

    es = world["es"].slack_user_id
    with _at(MONDAY, 9, 0):
        # A clock queues today's nudges, claims them and dies before sending them.
        box.send_queued = lambda: None  # type: ignore[assignment,method-assign]
        jobs.four_week_nudges(box, MONDAY)
        assert [d.recipient for d in outbox.claim_due(db)] == [es, world["leader"].slack_user_id]
    with _at(MONDAY, 9, 10):
        del box.send_queued  # the same process restarted: a new clock
        jobs.four_week_nudges(box, MONDAY)
        assert fake_slack.messages_to(_dm(es)) == []  # still within the dead clock's lease
    with _at(MONDAY, 9, 30):
        jobs.four_week_nudges(box, MONDAY)
        jobs.four_week_nudges(box, MONDAY)
    [call] = fake_slack.messages_to(_dm(es))
    assert sum(b.get("block_id", "").startswith("client_") for b in call.args["blocks"]) == 3
    with db.reading() as s:
        assert set(s.scalars(select(OutboxMessage.status))) == {OutboxStatus.SENT}


def test_one_four_week_dm_a_day_when_a_client_comes_off_hold_mid_day(db, world, box,
                                                                     fake_slack) -> None:
    es = world["es"]
    with _at(MONDAY, 8), db.transaction() as s:
        clients.put_on_hold(s, s.merge(es), s.get(Client, world["CLK-35"].id),
                            parse(clients.Hold, {"reason": "unwell"}))
    with _at(MONDAY, 9, 30):
        jobs.four_week_nudges(box, MONDAY)
    with _at(MONDAY, 11), db.transaction() as s:
        clients.resume(s, s.merge(es), s.get(Client, world["CLK-35"].id))
    with _at(MONDAY, 11, 30):
        jobs.four_week_nudges(box, MONDAY)
    tuesday = MONDAY + timedelta(days=1)
    with _at(tuesday, 9, 30):
        jobs.four_week_nudges(box, tuesday)
    sent = fake_slack.messages_to(_dm(es.slack_user_id))
    assert [datetime.fromtimestamp(c.at).date() for c in sent] == [MONDAY, tuesday]
    listed = [[b["block_id"] for b in c.args["blocks"] if b.get("block_id", "").startswith("client_")]
              for c in sent]
    assert listed == [[f"client_{world[r].id}" for r in ("CLK-50", "CLK-29")],
                      [f"client_{world['CLK-35'].id}"]]


def test_the_scheduled_nine_and_ten_oclock_runs_keep_each_teams_own_times(
        db, world, box, fake_slack) -> None:
    from zoneinfo import ZoneInfo

    from apscheduler.schedulers.background import BackgroundScheduler

    from caseload.teams import TeamSchedule, set_schedule
    from reminders.clock import build_scheduler
    from reminders.settings import ClockSettings

    with _at(MONDAY), db.transaction() as s:
        set_schedule(s, s.merge(world["team"]), parse(TeamSchedule, {
            "nudges_at": "11:00", "just_ask_at": "14:00"}), actor=None)
    london = ZoneInfo("Europe/London")
    scheduler = build_scheduler(ClockSettings(), box, BackgroundScheduler(timezone=london))
    fired = {job.id: job.func for job in scheduler.get_jobs()}
    with _at(MONDAY, 9, 0):
        fired["four_week_nudges"]()
    with _at(MONDAY, 10, 0):
        fired["just_ask"]()
    # The escalation digest, the specialist's DM and the prompt all wait for the team's time.
    for person in ("es", "leader", "cc"):
        assert fake_slack.messages_to(_dm(world[person].slack_user_id)) == []
    with _at(MONDAY, 11, 0):
        fired["four_week_nudges"]()
    assert len(fake_slack.messages_to(_dm(world["es"].slack_user_id))) == 1
    assert len(fake_slack.messages_to(_dm(world["leader"].slack_user_id))) == 1


def test_the_day_before_step_of_a_monday_review_comes_on_friday_never_on_the_day(
        db, world, box, fake_slack) -> None:
    review_day = date(2026, 12, 7)  # a Monday
    with _at(MONDAY), db.transaction() as s:
        schedule_review(s, s.merge(world["leader"]), parse(ScheduleReview, {
            "team_id": world["team"].id, "scheduled_for": review_day}))
    for day in (date(2026, 12, 4), review_day):
        with _at(day):
            jobs.fidelity_reminders(box, day)
    [call] = [c for c in fake_slack.messages_to(_dm(world["leader"].slack_user_id))
              if datetime.fromtimestamp(c.at).date() >= date(2026, 12, 4)]
    assert datetime.fromtimestamp(call.at).date() == date(2026, 12, 4)
    text = " ".join(b["text"]["text"] for b in call.args["blocks"] if b["type"] == "section")
    assert "in 3 days" in text and "tomorrow" not in text


def test_a_day_before_step_missed_by_a_clock_that_was_down_is_not_sent_on_the_review_day(
        db, world, box, fake_slack) -> None:
    review_day = date(2026, 12, 8)  # a Tuesday
    with _at(MONDAY), db.transaction() as s:
        schedule_review(s, s.merge(world["leader"]), parse(ScheduleReview, {
            "team_id": world["team"].id, "scheduled_for": review_day}))
    # The clock was down on Monday; on Tuesday, the review day, preparation is over.
    with _at(review_day):
        jobs.fidelity_reminders(box, review_day)
    assert fake_slack.messages_to(_dm(world["leader"].slack_user_id)) == []
    with _at(review_day - timedelta(days=1)):
        jobs.fidelity_reminders(box, review_day - timedelta(days=1))
    [call] = fake_slack.messages_to(_dm(world["leader"].slack_user_id))
    assert "(tomorrow)" in call.args["text"]


class _Killed(Exception):
    """The process dying between the claim and the send."""


def test_a_clock_killed_between_claim_and_send_loses_no_kind_of_message(db, world, box,
                                                                        fake_slack) -> None:
    from zoneinfo import ZoneInfo

    from caseload import outbox
    from messaging.outbox import Sender
    from reminders.clock import run_due
    from reminders.sender import Outbox
    from reminders.settings import ClockSettings

    first = date(2026, 12, 1)  # the monthly report, nudges, a just-ask prompt, a review step
    with _at(MONDAY), db.transaction() as s:
        schedule_review(s, s.merge(world["leader"]), parse(ScheduleReview, {
            "team_id": world["team"].id, "scheduled_for": first + timedelta(weeks=2),
            "reviewer_id": world["trainer"].id}))
        # And a confirmation the bot queued whose web process died before sending it.
        outbox.enqueue(s, "view:V1:confirm", world["cc"].slack_user_id, {"text": "Saved."})

    class Dying(Sender):
        def _post(self, client, delivery):  # type: ignore[no-untyped-def]
            raise _Killed(delivery.key)

    settings = ClockSettings()
    moment = datetime.combine(first, time(10, 30), ZoneInfo("Europe/London"))
    dying = Outbox(db, box.slack, min_interval=0)
    dying._sender = Dying(db, dying.client_for, min_interval=0)
    with _at(first, 10, 30):
        run_due(dying, settings, moment)  # every job queues, claims everything due, and dies
    with db.reading() as s:
        rows = s.scalars(select(OutboxMessage)).all()
    assert {r.key.split(":")[0] for r in rows} >= {
        "daily_nudges", "escalation", "fidelity_prep", "just_ask", "monthly_report",
        "monthly_chart", "monthly_xlsx", "view"}
    assert all(r.status == OutboxStatus.PENDING and r.claimed_at is not None for r in rows)
    assert fake_slack.successful("chat.postMessage") == []
    with _at(first, 10, 40):
        run_due(box, settings, moment + timedelta(minutes=10))  # within the lease: nothing
    assert fake_slack.successful("chat.postMessage") == []
    later = moment + outbox.CLAIM_LEASE + timedelta(minutes=1)
    with _at(first, later.hour, later.minute):
        run_due(box, settings, later)  # a new clock, after the lease
        run_due(box, settings, later)
    with db.reading() as s:
        statuses = list(s.scalars(select(OutboxMessage.status)))
    assert set(statuses) == {OutboxStatus.SENT}
    posted = [(c.args["channel"], c.args["text"]) for c in fake_slack.successful("chat.postMessage")]
    assert len(posted) == len(set(posted)) == len(statuses) - 2  # nothing twice; two are files
    assert len(fake_slack.messages_to(_dm(world["es"].slack_user_id))) == 1
    assert len(fake_slack.successful("files.completeUploadExternal")) == 2
