"""Ninety days of the clock in simulated time, across the October clock change.

Every nudge, reminder and report the rules call for goes out exactly once, on a working day
of the team's nation, at the London time of the run that was due; nothing else goes out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
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
from reminders.clock import run_due
from reminders.sender import Outbox
from reminders.settings import ClockSettings
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import FakeSlack

LONDON = ZoneInfo("Europe/London")
START = date(2026, 9, 14)
DAYS = 90
RUNS = (time(7, 45), time(10, 30))


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


def _simulate(db: Database, fake: FakeSlack, boxes: list[Outbox], w: dict) -> None:
    settings = ClockSettings()
    for offset in range(DAYS):
        day = START + timedelta(days=offset)
        for at in RUNS:
            with _travel(day, at):
                for box in boxes:
                    run_due(box, settings, datetime.combine(day, at, LONDON))
        _events(db, w, day)


def _received(fake: FakeSlack, w: dict) -> dict[str, list[tuple[date, time, str]]]:
    """Per recipient (staff key or channel): (London date, time, kind of message)."""
    channels = {"D" + w[k].slack_user_id.lstrip("U"): k for k in w
                if hasattr(w[k], "slack_user_id")}
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


def test_ninety_days_of_reminders_go_out_once_on_working_days(db: Database) -> None:
    fake = FakeSlack().start()
    try:
        from reminders.sender import make_slack_client
        from tests.fakes.slack_api import BOT_TOKEN

        box = Outbox(db, make_slack_client(BOT_TOKEN, fake.url), min_interval=0)
        w = _build(db)
        _simulate(db, fake, [box], w)
        got = _received(fake, w)
    finally:
        fake.stop()

    def days(who: str, starts: str) -> list[date]:
        return [d for d, _t, kind in got[who] if kind.startswith(starts)]

    # Four-week nudges for EB-1 (accepted 1 Sep; contact 20 Oct), weekly while overdue.
    assert days("E_es", "1 client") == _dates(
        "2026-09-30", "2026-10-07", "2026-10-14", "2026-11-18", "2026-11-25", "2026-12-02",
        "2026-12-09")
    # SR-1 (accepted 31 Oct) is due on Sunday 29 November; Monday is St Andrew's Day, a
    # Scottish bank holiday, so the first nudge goes on Tuesday.
    assert days("S_es", "1 client") == _dates("2026-12-01", "2026-12-08")
    # Escalation digests past 42 days, every working day until the contact, and again later.
    assert days("E_leader", "Eastbourne: 1 client past six weeks") == _dates(
        "2026-10-14", "2026-10-15", "2026-10-16", "2026-10-19", "2026-10-20",
        "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08", "2026-12-09",
        "2026-12-10", "2026-12-11")
    # Fidelity preparation for the 10 December review, to the leader and the reviewer.
    prep = _dates("2026-10-01", "2026-10-12", "2026-11-10", "2026-11-19", "2026-11-26",
                  "2026-12-09")
    for who in ("E_leader", "trainer"):
        assert days(who, "Eastbourne: fidelity review on") == prep
        assert days(who, "Eastbourne: the fidelity review planned") == _dates("2026-12-11")
    # Monthly reports: the channel for Eastbourne, the leader for Stranraer (no channel).
    firsts = _dates("2026-10-01", "2026-11-02", "2026-12-01")
    assert days("E_channel", "Eastbourne, ") == firsts
    assert days("E_channel", "file:Eastbourne") == firsts
    assert days("S_leader", "Stranraer, ") == firsts
    assert days("trainer", "file:IPS outcomes across teams") == firsts
    # Just ask: 13 Mondays; the Scottish one moves off St Andrew's Day; follow-ups only to
    # the coordinator who never answers.
    mondays = [START + timedelta(weeks=n) for n in range(13)]
    assert days("E_cc", "Just ask") == mondays
    assert days("S_cc", "Just ask") == [d if d != date(2026, 11, 30) else date(2026, 12, 1)
                                        for d in mondays]
    assert days("E_cc", "A gentle reminder") == []
    assert days("S_cc", "A gentle reminder") == [m + timedelta(days=3) for m in mondays]

    # Nothing else went out, nothing twice, and only at a run's London time on a working day.
    nations = {"S_es": Nation.SCOTLAND, "S_leader": Nation.SCOTLAND, "S_cc": Nation.SCOTLAND}
    for who, items in got.items():
        counts = Counter(items)
        assert max(counts.values()) == 1, (who, counts.most_common(1))
        for day, at, _kind in items:
            assert at in RUNS, (who, day, at)
            assert is_working_day(day, nations.get(who, Nation.ENGLAND)), (who, day)
