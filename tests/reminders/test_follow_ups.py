"""Reminders that follow things up until they are done, with a clock moved through time: a
fidelity action item (weekly to the team leaders while overdue, until marked done), review
steps and action items off weekends and bank holidays, and referrals waiting too long to be
accepted (the team leaders' digest, again each week). Each exactly once, across a restart
and with two clocks."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta

import pytest

from caseload import clients
from caseload.db import Database
from caseload.errors import InvalidInput
from caseload.fidelity import ScheduleReview, mark_action_done, schedule_review
from caseload.models import (
    FidelityActionItem,
    FidelityReview,
    Nation,
    ReviewStatus,
    Role,
    Staff,
)
from caseload.teams import ReferralWait, set_referral_wait
from caseload.validation import parse
from messaging.slack_client import make_slack_client
from reminders import jobs
from reminders.sender import Outbox
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack
from tests.reminders.test_jobs import MONDAY, _at

Job = Callable[[Outbox, date], object]


def _clock(db: Database, fake: FakeSlack) -> Outbox:
    return Outbox(db, make_slack_client(BOT_TOKEN, fake.url), min_interval=0)


def _days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=n) for n in range(count)]


def _run_days(db: Database, fake: FakeSlack, job: Job, days: list[date], hour: int = 9,
              minute: int = 30, between: Callable[[date], None] | None = None) -> None:
    """Each day: a fresh clock (a restart) on odd days, two clocks at once on even days, and
    the catch-up sweep half an hour later."""
    for day in days:
        for at_minute in (minute, minute + 30):
            moment = (hour + at_minute // 60, at_minute % 60)
            with _at(day, *moment):
                if day.toordinal() % 2:
                    job(_clock(db, fake), day)
                else:
                    with ThreadPoolExecutor(max_workers=2) as pool:
                        list(pool.map(job, [_clock(db, fake), _clock(db, fake)], [day, day]))
        if between is not None:
            between(day)


def _arrivals(fake: FakeSlack, user_id: str, starts: str = "") -> list[date]:
    return [datetime.fromtimestamp(c.at).date() for c in fake.messages_to(user_id)
            if c.args["text"].startswith(starts) or starts in c.args["text"]]


@pytest.fixture
def team(db: Database) -> dict:
    with _at(MONDAY - timedelta(days=60)), db.transaction() as s:
        t = make_team(s, "Follow")
        return {"team": t, "leader": make_staff(s, Role.TEAM_LEADER, t),
                "leader2": make_staff(s, Role.TEAM_LEADER, t),
                "cc": make_staff(s, Role.CARE_COORDINATOR, t),
                "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, t)}


def _action(db: Database, team: dict, due_on: date, owner: Staff | None) -> int:
    """An action item from a review held a month before MONDAY."""
    with db.transaction() as s:
        review = FidelityReview(team_id=team["team"].id, scheduled_for=MONDAY - timedelta(28),
                                conducted_on=MONDAY - timedelta(28), status=ReviewStatus.COMPLETED)
        review.actions.append(FidelityActionItem(description="Raise employer contacts to 6 a week",
                                                 owner_id=owner.id if owner else None,
                                                 due_on=due_on))
        s.add(review)
        s.flush()
        return review.actions[0].id


# -- action items -------------------------------------------------------------------------

def test_an_overdue_action_goes_to_the_team_leaders_weekly_until_done(db, team) -> None:
    due = MONDAY + timedelta(days=2)  # a Wednesday
    action_id = _action(db, team, due, team["es"])

    def mark_done(day: date) -> None:
        if day == due + timedelta(days=17):
            with db.transaction() as s:
                mark_action_done(s, s.get(Staff, team["leader"].id), action_id, on=day)

    fake = FakeSlack().start()
    try:
        _run_days(db, fake, jobs.fidelity_reminders, _days(MONDAY, 35), 8, 45, mark_done)
        owner = _arrivals(fake, team["es"].slack_user_id, "Follow: a fidelity action is due")
        overdue = {who: _arrivals(fake, team[who].slack_user_id, "Follow: a fidelity action due")
                   for who in ("leader", "leader2")}
        texts = [c.args["text"] for c in fake.messages_to(team["leader"].slack_user_id)]
    finally:
        fake.stop()
    # The owner: a week before (Monday, within the week) and on the day.
    assert owner == [MONDAY, due]
    # Both leaders: a week overdue, two weeks; then it was done (day 17), so no third.
    assert overdue == {who: [due + timedelta(7), due + timedelta(14)] for who in overdue}
    assert "(1 week overdue)" in texts[0] and "(2 weeks overdue)" in texts[1]


def test_an_action_due_on_a_saturday_is_reminded_on_the_friday(db, team) -> None:
    saturday = MONDAY + timedelta(days=12)
    _action(db, team, saturday, team["es"])
    fake = FakeSlack().start()
    try:
        _run_days(db, fake, jobs.fidelity_reminders, _days(MONDAY, 14), 8, 45)
        arrived = _arrivals(fake, team["es"].slack_user_id, "Follow: a fidelity action is due")
    finally:
        fake.stop()
    # A week before is Saturday 21st: the Monday after; the day itself: the Friday before.
    assert arrived == [MONDAY + timedelta(days=7), MONDAY + timedelta(days=11)]


def test_only_the_owner_or_a_team_leader_marks_an_action_done_and_only_once(db, team) -> None:
    from caseload.errors import Conflict, NotAllowed

    action_id = _action(db, team, MONDAY, team["es"])
    with pytest.raises(NotAllowed), db.transaction() as s:
        mark_action_done(s, s.get(Staff, team["cc"].id), action_id)
    with db.transaction() as s:
        mark_action_done(s, s.get(Staff, team["es"].id), action_id, on=MONDAY)
    with pytest.raises(Conflict, match="already marked done on 16 November 2026"), \
            db.transaction() as s:
        mark_action_done(s, s.get(Staff, team["leader"].id), action_id)


# -- review dates and steps off non-working days ------------------------------------------

@pytest.mark.parametrize(("day", "words"), [
    (date(2027, 1, 30), "Saturday 30 January 2027 is a Saturday, not a working day; choose a "
                        "working day, such as Monday 1 February 2027"),
    (date(2026, 12, 28), "Monday 28 December 2026 is Boxing Day (observed), not a working day; "
                         "choose a working day, such as Tuesday 29 December 2026"),
])
def test_a_review_on_a_weekend_or_bank_holiday_is_refused_naming_the_date(db, team, day,
                                                                           words) -> None:
    with _at(MONDAY), pytest.raises(InvalidInput) as err, db.transaction() as s:
        schedule_review(s, s.get(Staff, team["leader"].id), parse(ScheduleReview, {
            "team_id": team["team"].id, "scheduled_for": day}))
    [error] = err.value.errors
    assert (error.field, error.message) == ("scheduled_for", words)


def test_a_scottish_bank_holiday_is_refused_for_a_scottish_team_only(db, team) -> None:
    st_andrews = date(2026, 11, 30)
    with _at(MONDAY), db.transaction() as s:
        scots = make_team(s, "Leith", nation=Nation.SCOTLAND)
        leader = make_staff(s, Role.TEAM_LEADER, scots)
    with _at(MONDAY), pytest.raises(InvalidInput) as err, db.transaction() as s:
        schedule_review(s, s.merge(leader), parse(ScheduleReview, {
            "team_id": scots.id, "scheduled_for": st_andrews}))
    assert "is Saint Andrew's Day, not a working day" in err.value.errors[0].message
    with _at(MONDAY), db.transaction() as s:
        schedule_review(s, s.get(Staff, team["leader"].id), parse(ScheduleReview, {
            "team_id": team["team"].id, "scheduled_for": st_andrews}))


def test_a_preparation_step_on_a_sunday_comes_on_the_friday_before(db, team) -> None:
    review_day = date(2027, 1, 29)  # a Friday: "2 months" before is Sunday 29 November
    with _at(MONDAY), db.transaction() as s:
        schedule_review(s, s.get(Staff, team["leader"].id), parse(ScheduleReview, {
            "team_id": team["team"].id, "scheduled_for": review_day}))
    fake = FakeSlack().start()
    try:
        _run_days(db, fake, jobs.fidelity_reminders, _days(date(2026, 11, 19), 13), 8, 45)
        steps = [(datetime.fromtimestamp(c.at).date(), c.args["text"].split("(")[-1])
                 for c in fake.messages_to(team["leader"].slack_user_id)]
    finally:
        fake.stop()
    assert steps == [(date(2026, 11, 20), "10 weeks to go)."),
                     (date(2026, 11, 27), "2 months to go).")]


# -- referrals waiting to be accepted -----------------------------------------------------

def test_referrals_past_five_working_days_reach_the_leaders_weekly_until_accepted(db,
                                                                                 team) -> None:
    with _at(MONDAY + timedelta(days=2), 8), db.transaction() as s:
        cc = s.get(Staff, team["cc"].id)
        # Received Friday 13th: the 5 working days are Mon 16th to Fri 20th; past on Mon 23rd.
        friday = refer(s, cc, s.merge(team["team"]), "WAIT-1",
                       received_on=MONDAY - timedelta(days=3))
        # Received Saturday 14th: counted from Monday, so past on the same day.
        saturday = refer(s, cc, s.merge(team["team"]), "WAIT-2",
                         received_on=MONDAY - timedelta(days=2))
        # Received Wednesday 18th: past on Thursday 26th.
        wednesday = refer(s, cc, s.merge(team["team"]), "WAIT-3",
                          received_on=MONDAY + timedelta(days=2))
    ids = {"WAIT-1": friday.id, "WAIT-2": saturday.id, "WAIT-3": wednesday.id}

    def accept_one(day: date) -> None:
        if day == MONDAY + timedelta(days=10):  # Thursday 26th: WAIT-1 is accepted
            with _at(day, 12), db.transaction() as s:
                leader = s.get(Staff, team["leader"].id)
                clients.accept(s, leader, clients.get_client(s, leader, ids["WAIT-1"]), on=day,
                               specialist_id=team["es"].id)

    fake = FakeSlack().start()
    try:
        _run_days(db, fake, jobs.referral_digests, _days(MONDAY, 22), between=accept_one)
        digests = {who: [(datetime.fromtimestamp(c.at).date(), _listed(c.args["blocks"]))
                         for c in fake.messages_to(team[who].slack_user_id)]
                   for who in ("leader", "leader2")}
    finally:
        fake.stop()
    monday2, thursday2 = MONDAY + timedelta(days=7), MONDAY + timedelta(days=10)
    expected = [
        (monday2, ["WAIT-1", "WAIT-2"]),
        (thursday2, ["WAIT-3"]),
        # A week on: WAIT-1 was accepted on the Thursday, so only WAIT-2 comes back; and so on.
        (monday2 + timedelta(days=7), ["WAIT-2"]),
        (thursday2 + timedelta(days=7), ["WAIT-3"]),
        (monday2 + timedelta(days=14), ["WAIT-2"]),
    ]
    assert digests == {"leader": expected, "leader2": expected}


def _listed(blocks: list[dict]) -> list[str]:
    text = " ".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    return sorted(ref for ref in ("WAIT-1", "WAIT-2", "WAIT-3") if f"*{ref}*" in text)


def test_a_team_sets_its_own_wait_and_the_digest_says_how_long_past(db, team) -> None:
    with _at(MONDAY - timedelta(days=31)), db.transaction() as s:
        refer(s, s.get(Staff, team["cc"].id), s.merge(team["team"]), "OLD-1",
              received_on=MONDAY - timedelta(days=31))
        set_referral_wait(s, s.merge(team["team"]), parse(ReferralWait, {"working_days": 10}),
                          actor=None)
    fake = FakeSlack().start()
    try:
        _run_days(db, fake, jobs.referral_digests, [MONDAY])
        [digest] = fake.messages_to(team["leader"].slack_user_id)
    finally:
        fake.stop()
    # Received Friday 16 October: 10 working days end Friday 30th; past from Monday 2 November.
    assert digest.args["text"] == "Follow: 1 referral not accepted within 10 working days."
    assert "*OLD-1*: referred 16 October 2026, 2 weeks past the 10 working days" in str(
        digest.args["blocks"])


@pytest.mark.parametrize("days", [0, 31])
def test_a_teams_wait_is_between_one_and_thirty_working_days(days) -> None:
    with pytest.raises(InvalidInput) as err:
        parse(ReferralWait, {"working_days": days})
    assert err.value.errors[0].field == "working_days"


def test_the_referral_digest_waits_for_the_teams_nudge_time(db, team) -> None:
    from caseload.teams import TeamSchedule, set_schedule

    with _at(MONDAY - timedelta(days=30)), db.transaction() as s:
        refer(s, s.get(Staff, team["cc"].id), s.merge(team["team"]), "OLD-2",
              received_on=MONDAY - timedelta(days=30))
        set_schedule(s, s.merge(team["team"]), parse(TeamSchedule, {"nudges_at": "11:00"}),
                     actor=None)
    fake = FakeSlack().start()
    try:
        box = _clock(db, fake)
        with _at(MONDAY, 9, 30):
            jobs.referral_digests(box, MONDAY, time(9, 30))
        assert fake.messages_to(team["leader"].slack_user_id) == []
        with _at(MONDAY, 11, 0):
            jobs.referral_digests(box, MONDAY, time(11, 0))
        assert len(fake.messages_to(team["leader"].slack_user_id)) == 1
    finally:
        fake.stop()
