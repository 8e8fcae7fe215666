"""Ninety days of the clock in simulated time, across the October clock change.

Every nudge, reminder and report the rules call for goes out exactly once, on a working day
of the team's nation, at the London time of the run that was due; nothing else goes out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

from caseload import clients
from caseload.contacts import NewEmployerContact, record_employer_contact
from caseload.db import Database
from caseload.fidelity import ScheduleReview, schedule_review
from caseload.just_ask import JustAskAnswer, record_just_ask
from caseload.models import Nation, Role
from caseload.validation import parse
from caseload.working_days import is_working_day
from messaging.slack_client import make_slack_client
from reminders.clock import run_due
from reminders.sender import Outbox
from reminders.settings import ClockSettings
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack

LONDON = ZoneInfo("Europe/London")
START = date(2026, 9, 14)
DAYS = 90
# The 07:45 and 10:30 runs, and two 30-minute catch-up sweeps after them (a message that
# fails again on the first sweep waits out its backoff and goes on the second).
RUNS = (time(7, 45), time(10, 30), time(11, 0), time(11, 30))


def _travel(day: date, at: time):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime.combine(day, at, LONDON), tick=False)


def _dates(*values: str) -> list[date]:
    return [date.fromisoformat(v) for v in values]


def _build(db: Database) -> dict:
    with _travel(START, time(7, 0)), db.transaction() as s:
        w: dict = {}
        w["E"] = make_team(s, "Eastbourne", slack_channel_id="C0SIMENG1", job_start_target_per_month=2)
        w["S"] = make_team(s, "Stranraer", nation=Nation.SCOTLAND, job_start_target_per_month=1)
        w["trainer"] = make_staff(s, Role.REGIONAL_TRAINER, None)
        for key in ("E", "S"):
            for role, name in ((Role.TEAM_LEADER, "leader"), (Role.CARE_COORDINATOR, "cc"),
                               (Role.EMPLOYMENT_SPECIALIST, "es")):
                w[f"{key}_{name}"] = make_staff(s, role, w[key])
        e1 = refer(s, w["E_cc"], w["E"], "EB-1", received_on=date(2026, 8, 30))
        clients.accept(s, w["E_leader"], e1, on=date(2026, 9, 1), specialist_id=w["E_es"].id)
        w["E1"] = e1
        schedule_review(s, w["E_leader"], parse(ScheduleReview, {
            "team_id": w["E"].id, "scheduled_for": date(2026, 12, 10),
            "reviewer_id": w["trainer"].id}))
    return w


def _events(db: Database, w: dict, day: date) -> None:
    """What people do at noon: the English coordinator answers on Tuesdays; one contact."""
    with _travel(day, time(12, 0)):
        if day.weekday() == 1:
            with db.transaction() as s:
                record_just_ask(s, s.merge(w["E_cc"]), parse(JustAskAnswer, {"asked_count": 3}))
        if day == date(2026, 10, 20):
            with db.transaction() as s:
                record_employer_contact(s, s.merge(w["E_es"]), parse(NewEmployerContact, {
                    "employer": "Boots", "contacted_on": day, "face_to_face": True,
                    "client_id": w["E1"].id}))
        if day == date(2026, 10, 31):
            with db.transaction() as s:
                s1 = refer(s, w["S_cc"], w["S"], "SR-1", received_on=date(2026, 10, 30))
                clients.accept(s, s.merge(w["S_leader"]), s1, on=date(2026, 10, 31),
                               specialist_id=w["S_es"].id)


def _simulate(db: Database, boxes: list[Outbox], w: dict, days: int,
              flaky: FakeSlack | None = None) -> None:
    settings = ClockSettings()
    for offset in range(days):
        day = START + timedelta(days=offset)
        for at in RUNS:
            if flaky is not None and offset % 3 == 0 and at < RUNS[2]:
                # A 500 and a 429 now and then; what fails goes out on the catch-up sweep.
                flaky.fail_next(1, status=500)
                flaky.fail_next(1, status=429, retry_after=0)
            with _travel(day, at):
                now = datetime.combine(day, at, LONDON)
                if len(boxes) == 1:
                    run_due(boxes[0], settings, now)
                else:
                    with ThreadPoolExecutor(max_workers=len(boxes)) as pool:
                        list(pool.map(run_due, boxes, [settings] * len(boxes), [now] * len(boxes)))
        _events(db, w, day)


def _received(fake: FakeSlack, w: dict) -> dict[str, list[tuple[date, time, str]]]:
    """Per recipient (staff key or channel): (London date, time, kind of message)."""
    people = {k: w[k].slack_user_id for k in w if hasattr(w[k], "slack_user_id")}
    # Messages go to a person's user id; files to the DM conversations.open gives.
    channels = {user: k for k, user in people.items()}
    channels |= {"D" + user.lstrip("U"): k for k, user in people.items()}
    channels["C0SIMENG1"] = "E_channel"
    out: dict[str, list[tuple[date, time, str]]] = defaultdict(list)
    for call in fake.calls:
        if not call.ok or call.method not in ("chat.postMessage", "files.completeUploadExternal"):
            continue
        channel = call.args.get("channel") or call.args.get("channel_id")
        when = datetime.fromtimestamp(call.at, LONDON)
        if call.method == "files.completeUploadExternal":
            kind = "file:" + call.args["files"][0]["title"].split(":")[0]
        else:
            kind = call.args["text"]
        out[channels[channel]].append((when.date(), when.time().replace(microsecond=0), kind))
    return out


def _expected() -> dict[tuple[str, str], list[date]]:
    """(recipient, start of message text) → the London dates it must arrive on."""
    mondays = [START + timedelta(weeks=n) for n in range(13)]
    # The "2 months" step falls on Saturday 10 October: it comes on the Friday before.
    prep = _dates("2026-10-01", "2026-10-09", "2026-11-10", "2026-11-19", "2026-11-26",
                  "2026-12-09")
    firsts = _dates("2026-10-01", "2026-11-02", "2026-12-01")
    return {
        # EB-1 (accepted 1 Sep; contact 20 Oct): weekly while overdue.
        ("E_es", "1 client"): _dates("2026-09-30", "2026-10-07", "2026-10-14", "2026-11-18",
                                     "2026-11-25", "2026-12-02", "2026-12-09"),
        # SR-1 (accepted 31 Oct) is due on Sunday 29 November; Monday is St Andrew's Day, a
        # Scottish bank holiday, so the first nudge goes on Tuesday.
        ("S_es", "1 client"): _dates("2026-12-01", "2026-12-08"),
        # Escalation digests past 42 days, every working day until the contact, and later.
        ("E_leader", "Eastbourne: 1 client past six weeks"): _dates(
            "2026-10-14", "2026-10-15", "2026-10-16", "2026-10-19", "2026-10-20",
            "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08",
            "2026-12-09", "2026-12-10", "2026-12-11"),
        # Fidelity preparation for the 10 December review, to the leader and the reviewer.
        ("E_leader", "Eastbourne: fidelity review on"): prep,
        ("trainer", "Eastbourne: fidelity review on"): prep,
        ("E_leader", "Eastbourne: the fidelity review planned"): _dates("2026-12-11"),
        ("trainer", "Eastbourne: the fidelity review planned"): _dates("2026-12-11"),
        # Monthly reports: Eastbourne's channel; Stranraer has none, so its leader.
        ("E_channel", "Eastbourne, "): firsts,
        ("E_channel", "file:Eastbourne"): firsts,
        ("S_leader", "Stranraer, "): firsts,
        ("S_leader", "file:Stranraer"): firsts,
        ("trainer", "file:IPS outcomes across teams"): firsts,
        # Just ask on Mondays (the Scottish one moves off St Andrew's Day); follow-ups only to
        # the coordinator who never answers.
        ("E_cc", "Just ask"): mondays,
        ("S_cc", "Just ask"): [d if d != date(2026, 11, 30) else date(2026, 12, 1)
                               for d in mondays],
        ("E_cc", "A gentle reminder"): [],
        ("S_cc", "A gentle reminder"): [m + timedelta(days=3) for m in mondays],
    }


def _check(got: dict[str, list[tuple[date, time, str]]], until: date) -> None:
    for (who, starts), dates in _expected().items():
        arrived = [d for d, _t, kind in got[who] if kind.startswith(starts)]
        assert arrived == [d for d in dates if d <= until], (who, starts)
    # Nothing else went out, nothing twice, and only at a run's London time on a working day.
    expected_kinds = {(who, starts) for who, starts in _expected()}
    nations = {"S_es": Nation.SCOTLAND, "S_leader": Nation.SCOTLAND, "S_cc": Nation.SCOTLAND}
    for who, items in got.items():
        counts = Counter(items)
        assert not items or max(counts.values()) == 1, (who, counts.most_common(1))
        for day, at, kind in items:
            assert at in RUNS, (who, day, at)
            assert is_working_day(day, nations.get(who, Nation.ENGLAND)), (who, day)
            assert any(w == who and kind.startswith(s) for w, s in expected_kinds), (who, kind)


def _clock(db: Database, fake: FakeSlack) -> Outbox:
    return Outbox(db, make_slack_client(BOT_TOKEN, fake.url), min_interval=0)


def test_ninety_days_of_reminders_go_out_once_on_working_days(db: Database) -> None:
    fake = FakeSlack().start()
    try:
        w = _build(db)
        _simulate(db, [_clock(db, fake)], w, DAYS)
        got = _received(fake, w)
    finally:
        fake.stop()
    _check(got, START + timedelta(days=DAYS - 1))


def test_two_clocks_and_a_flaky_slack_for_a_month_send_everything_once(db: Database) -> None:
    fake = FakeSlack().start()
    try:
        w = _build(db)
        # Both clocks run every step at the same moment; Slack fails now and then.
        _simulate(db, [_clock(db, fake), _clock(db, fake)], w, 31, flaky=fake)
        got = _received(fake, w)
    finally:
        fake.stop()
    _check(got, START + timedelta(days=30))
    assert any(not c.ok for c in fake.calls), "the fake should have failed some calls"


def test_across_the_march_clock_change_prompts_keep_london_time(db: Database) -> None:
    # British Summer Time starts on Sunday 28 March 2027.
    start = date(2027, 3, 15)
    fake = FakeSlack().start()
    try:
        with _travel(start, time(7, 0)), db.transaction() as s:
            team = make_team(s, "Bognor")
            cc = make_staff(s, Role.CARE_COORDINATOR, team)
        box = _clock(db, fake)
        settings = ClockSettings()
        for offset in range(28):
            day = start + timedelta(days=offset)
            for at in RUNS:
                with _travel(day, at):
                    run_due(box, settings, datetime.combine(day, at, LONDON))
        prompts = [c for c in fake.messages_to(cc.slack_user_id)
                   if c.args["text"].startswith("Just ask")]
    finally:
        fake.stop()
    arrived = [datetime.fromtimestamp(c.at, LONDON) for c in prompts]
    # Mondays 15 and 22 March; Easter Monday (29 March 2027) is a bank holiday, so that
    # week's prompt goes on Tuesday 30 March, the first day of summer time on a weekday;
    # then Monday 5 April.
    assert [a.date() for a in arrived] == _dates("2027-03-15", "2027-03-22", "2027-03-30",
                                                 "2027-04-05")
    assert {a.time() for a in arrived} == {time(10, 30)}
    # The same London time is a different UTC hour either side of the change.
    assert [a.utcoffset() for a in arrived] == [timedelta(0), timedelta(0),
                                                timedelta(hours=1), timedelta(hours=1)]
