"""In-work support contacts, each team's rhythm for them, job ends with a reason from the list,
and the follow-up after a job end: the reads the clock nudges from, with the date moved on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from caseload import clients, jobs, teams
from caseload.audit import history
from caseload.db import Database
from caseload.errors import Conflict, InvalidInput, NotAllowed
from caseload.in_work import (
    InWorkRhythm,
    NewInWorkContact,
    in_work_contact_due_on,
    in_work_contacts_due,
    job_end_follow_ups_awaiting,
    record_in_work_contact,
)
from caseload.models import Client, InWorkContact, Job, JobEndReason, Nation, Role, Team
from caseload.validation import parse
from caseload.working_days import add_working_days
from tests.factories import make_staff, make_team, refer

# A Monday; the job starts the Monday before.
TODAY = date(2026, 6, 15)
STARTED = date(2026, 6, 8)


@pytest.fixture
def world(db: Database):
    with time_machine.travel(TODAY, tick=False), db.transaction() as s:
        team = make_team(s, "Worthing")
        other = make_team(s, "Glasgow", nation=Nation.SCOTLAND)
        w = {"team": team, "other": other,
             "leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
             "es2": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
             "advisor": make_staff(s, Role.BENEFITS_ADVISOR, team),
             "other_leader": make_staff(s, Role.TEAM_LEADER, other),
             "other_cc": make_staff(s, Role.CARE_COORDINATOR, other),
             "other_es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, other)}
    return w


def _in_work(db, w, reference, started=STARTED, team="team", prefix=""):
    with time_machine.travel(TODAY, tick=False), db.transaction() as s:
        client = refer(s, w[f"{prefix}cc"], w[team], reference, received_on=date(2026, 1, 5))
        clients.accept(s, w[f"{prefix}leader"], client, on=date(2026, 1, 7),
                       specialist_id=w[f"{prefix}es"].id)
        job = jobs.record_job_start(s, w[f"{prefix}es"], parse(jobs.NewJobStart, {
            "client_id": client.id, "employer": "Worthing Pier Cafe", "job_title": "Barista",
            "job_type": "sales_customer_service", "hours_per_week": "16", "hourly_wage": "12.71",
            "started_on": started}))
    return client, job


def _contact(db, actor, client_id, on, with_whom="person", face_to_face=True, today=TODAY,
             notes=None):
    with time_machine.travel(today, tick=False), db.transaction() as s:
        return record_in_work_contact(s, s.merge(actor), parse(NewInWorkContact, {
            "client_id": client_id, "contacted_on": on, "with_whom": with_whom,
            "face_to_face": face_to_face, "notes": notes}))


def _end(db, actor, job_id, on, reason="resigned", details=None, today=None):
    with time_machine.travel(today or on, tick=False), db.transaction() as s:
        return jobs.record_job_end(s, s.merge(actor), job_id, parse(jobs.JobEnd, {
            "ended_on": on, "reason": reason, "details": details}))


def _due(db, on, **filters):
    with db.reading() as s:
        return in_work_contacts_due(s, on, **filters)


def _awaiting(db, on, **filters):
    with db.reading() as s:
        return job_end_follow_ups_awaiting(s, on, **filters)


# --- recording -----------------------------------------------------------------------------

def test_an_in_work_contact_is_stored_against_the_job_and_audited(db, world) -> None:
    client, job = _in_work(db, world, "IW-1")
    row = _contact(db, world["es"], client.id, date(2026, 6, 12), with_whom="both",
                   face_to_face=False, notes="Checked rota with the manager")
    with db.reading() as s:
        stored = s.get(InWorkContact, row.id)
        assert (stored.job_id, stored.team_id, stored.staff_id) == (job.id, world["team"].id,
                                                                     world["es"].id)
        assert (stored.with_whom.value, stored.face_to_face) == ("both", False)
        assert s.get(Client, client.id).last_in_work_contact_on == date(2026, 6, 12)
        assert [r.action for r in history(s, "in_work_contacts", row.id)] == [
            "record_in_work_contact"]
        assert history(s, "clients", client.id)[-1].after == {
            "last_in_work_contact_on": "2026-06-12"}


def test_an_older_in_work_contact_logged_late_does_not_move_the_last_contact_back(db, world) -> None:
    client, _ = _in_work(db, world, "IW-2")
    _contact(db, world["es"], client.id, date(2026, 6, 12))
    _contact(db, world["es"], client.id, date(2026, 6, 9))
    with db.reading() as s:
        assert s.get(Client, client.id).last_in_work_contact_on == date(2026, 6, 12)
        assert s.scalar(select(func.count(InWorkContact.id))) == 2


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"contacted_on": TODAY + timedelta(days=1)}, "contacted_on", "future"),
    ({"with_whom": "neighbour"}, "with_whom", "'person', 'employer' or 'both'"),
    ({"face_to_face": None}, "face_to_face", "boolean"),
    ({"notes": "NHS 943 476 5919"}, "notes", "NHS number"),
    ({"employer": "Tesco"}, "employer", "Extra inputs"),
])
def test_bad_in_work_contacts_are_refused_naming_the_field(change, field, message) -> None:
    data = {"client_id": 1, "contacted_on": TODAY, "with_whom": "person", "face_to_face": True,
            **change}
    with time_machine.travel(TODAY, tick=False), pytest.raises(InvalidInput) as err:
        parse(NewInWorkContact, data)
    assert err.value.errors[0].field == field
    assert message in str(err.value)


def test_a_contact_before_the_job_or_for_someone_never_in_work_is_refused(db, world) -> None:
    client, _ = _in_work(db, world, "IW-3")
    with pytest.raises(InvalidInput) as err:
        _contact(db, world["es"], client.id, date(2026, 6, 1))
    assert err.value.errors[0].field == "contacted_on" and "first job started (2026-06-08)" in str(err.value)
    with time_machine.travel(TODAY, tick=False), db.transaction() as s:
        seeker = refer(s, world["cc"], world["team"], "SEEK-1", received_on=date(2026, 5, 1))
        clients.accept(s, world["leader"], seeker, on=date(2026, 5, 2),
                       specialist_id=world["es"].id)
    with pytest.raises(Conflict, match=r"no job recorded.*employer contact instead"):
        _contact(db, world["es"], seeker.id, TODAY)
    with pytest.raises(InvalidInput, match="no client with id 999"):
        _contact(db, world["es"], 999, TODAY)
    with db.reading() as s:
        assert s.scalar(select(func.count(InWorkContact.id))) == 0


@pytest.mark.parametrize(("who", "refusal"), [
    ("es2", "caseload"), ("cc", "Only these roles"), ("advisor", "Only these roles"),
    ("other_leader", "team"), ("other_es", "caseload"),
])
def test_in_work_contacts_are_refused_by_role(db, world, who, refusal) -> None:
    client, _ = _in_work(db, world, "IW-4")
    with pytest.raises(NotAllowed, match=refusal):
        _contact(db, world[who], client.id, TODAY)
    with db.reading() as s:
        assert s.scalar(select(func.count(InWorkContact.id))) == 0


def test_the_leader_may_log_in_work_support_and_a_discharged_client_is_refused(db, world) -> None:
    client, _ = _in_work(db, world, "IW-5")
    _contact(db, world["leader"], client.id, TODAY)
    with time_machine.travel(TODAY, tick=False), db.transaction() as s:
        clients.discharge(s, s.merge(world["es"]), s.get(Client, client.id),
                          parse(clients.Discharge, {"reason": "moved away"}))
    with pytest.raises(Conflict, match="discharged"):
        _contact(db, world["es"], client.id, TODAY)


# --- the rhythm ----------------------------------------------------------------------------

def test_the_default_rhythm_is_weekly_for_four_weeks_then_every_30_days() -> None:
    rhythm = InWorkRhythm()
    start = date(2026, 6, 1)
    assert in_work_contact_due_on(start, None, rhythm) == date(2026, 6, 8)
    assert in_work_contact_due_on(start, date(2026, 6, 22), rhythm) == date(2026, 6, 29)
    # The fourth week's contact: the next is 30 days on, not a week.
    assert in_work_contact_due_on(start, date(2026, 6, 29), rhythm) == date(2026, 7, 29)
    assert in_work_contact_due_on(start, date(2026, 6, 24), rhythm) == date(2026, 7, 24)
    # A contact before this job (a previous one) does not count for it.
    assert in_work_contact_due_on(start, date(2026, 5, 20), rhythm) == date(2026, 6, 8)
    assert in_work_contact_due_on(start, None, InWorkRhythm(0, 7, 30)) == date(2026, 7, 1)


def test_due_and_overdue_as_the_date_moves_on(db, world) -> None:
    client, _ = _in_work(db, world, "IW-6")
    assert _due(db, date(2026, 6, 14)) == []
    [due] = _due(db, date(2026, 6, 15))
    assert (due.reference, due.due_on, due.days_overdue(date(2026, 6, 15))) == ("IW-6", date(2026, 6, 15), 0)
    assert due.job_started_on == STARTED and due.last_contact_on is None
    assert _due(db, date(2026, 6, 20))[0].days_overdue(date(2026, 6, 20)) == 5
    _contact(db, world["es"], client.id, date(2026, 6, 15), with_whom="employer",
             face_to_face=False)
    assert _due(db, date(2026, 6, 21)) == []
    [due] = _due(db, date(2026, 6, 22))
    assert (due.last_contact_on, due.due_on) == (date(2026, 6, 15), date(2026, 6, 22))
    # A contact dated after the day asked about does not count for that day.
    assert [d.due_on for d in _due(db, date(2026, 6, 14))] == []


def test_the_teams_own_rhythm_is_used_and_set_by_an_admin_only(db, world) -> None:
    _in_work(db, world, "IW-7")
    with db.transaction() as s:
        team = s.get(Team, world["team"].id)
        with pytest.raises(NotAllowed):
            teams.set_in_work_rhythm(s, team, teams.InWorkRhythmSetting(),
                                     actor=s.merge(world["leader"]))
        teams.set_in_work_rhythm(s, team, parse(teams.InWorkRhythmSetting, {
            "first_weeks": 2, "first_every_days": 3, "then_every_days": 14}), actor=None)
    assert [d.due_on for d in _due(db, date(2026, 6, 11))] == [date(2026, 6, 11)]
    with db.reading() as s:
        audit = [r for r in history(s, "teams", world["team"].id)
                 if r.action == "set_team_in_work_rhythm"]
        assert audit[0].after == {"in_work_first_every_days": 3, "in_work_first_weeks": 2,
                                  "in_work_then_every_days": 14}


@pytest.mark.parametrize(("change", "field"), [
    ({"first_weeks": 53}, "first_weeks"), ({"first_every_days": 0}, "first_every_days"),
    ({"then_every_days": 93}, "then_every_days"), ({"then_every_days": "monthly"}, "then_every_days"),
])
def test_a_bad_rhythm_is_refused_naming_the_setting(change, field) -> None:
    with pytest.raises(InvalidInput) as err:
        parse(teams.InWorkRhythmSetting, change)
    assert err.value.errors[0].field == field


def test_only_clients_in_work_are_due_and_filters_apply(db, world) -> None:
    held, _ = _in_work(db, world, "IW-HELD")
    _in_work(db, world, "IW-MINE")
    _in_work(db, world, "IW-SCOT", team="other", prefix="other_")
    with time_machine.travel(TODAY, tick=False), db.transaction() as s:
        clients.put_on_hold(s, s.merge(world["es"]), s.get(Client, held.id),
                            parse(clients.Hold, {"reason": "in hospital"}))
        clients.assign(s, s.merge(world["leader"]), s.get(Client, held.id), world["es2"].id)
    assert [d.reference for d in _due(db, TODAY)] == ["IW-MINE", "IW-SCOT"]
    assert [d.reference for d in _due(db, TODAY, team_id=world["other"].id)] == ["IW-SCOT"]
    assert [d.reference for d in _due(db, TODAY, specialist_id=world["es"].id)] == ["IW-MINE"]
    with db.reading() as s:
        seen = in_work_contacts_due(s, TODAY, actor=s.merge(world["other_leader"]))
    assert [d.reference for d in seen] == ["IW-SCOT"]


def test_a_new_job_restarts_the_weekly_pace(db, world) -> None:
    client, _ = _in_work(db, world, "IW-8", started=date(2026, 3, 2))
    _contact(db, world["es"], client.id, date(2026, 5, 20))
    assert _due(db, TODAY) == []  # the first job: 30 days after the contact, 19 June
    with time_machine.travel(TODAY, tick=False), db.transaction() as s:
        jobs.record_job_start(s, s.merge(world["es"]), parse(jobs.NewJobStart, {
            "client_id": client.id, "employer": "Worthing Library", "job_title": "Library assistant",
            "job_type": "administrative_secretarial", "hours_per_week": "10",
            "hourly_wage": "13.00", "started_on": date(2026, 6, 8)}))
    [due] = _due(db, TODAY)
    assert (due.job_started_on, due.last_contact_on, due.due_on) == (
        date(2026, 6, 8), None, date(2026, 6, 15))


# --- job ends and their follow-up --------------------------------------------------------

def test_a_job_end_keeps_its_reason_from_the_list(db, world) -> None:
    _, job = _in_work(db, world, "END-1")
    _end(db, world["es"], job.id, date(2026, 6, 19), reason="better_job", details="Full time post")
    with db.reading() as s:
        stored = s.get(Job, job.id)
        assert (stored.ended_on, stored.end_reason_code, stored.end_reason) == (
            date(2026, 6, 19), JobEndReason.BETTER_JOB, "Full time post")
        assert history(s, "jobs", job.id)[-1].after["end_reason_code"] == "better_job"


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"reason": "fired"}, "reason", "'resigned', 'dismissed', 'contract_ended', 'better_job' or 'other'"),
    ({"reason": "other"}, "details", "say in a few words why"),
    ({}, "reason", "Field required"),
    ({"reason": "resigned", "details": "NHS 943 476 5919"}, "details", "NHS number"),
    ({"reason": "resigned", "ended_on": TODAY + timedelta(days=1)}, "ended_on", "future"),
])
def test_a_bad_job_end_is_refused_naming_the_field(data, field, message) -> None:
    with time_machine.travel(TODAY, tick=False), pytest.raises(InvalidInput) as err:
        parse(jobs.JobEnd, {"ended_on": TODAY, **data})
    assert err.value.errors[0].field == field
    assert message in str(err.value)


def test_a_job_end_awaits_a_contact_with_the_person_within_3_working_days(db, world) -> None:
    client, job = _in_work(db, world, "END-2")
    # Ended on a Friday: due the Wednesday after.
    _end(db, world["es"], job.id, date(2026, 6, 19), reason="dismissed")
    [awaiting] = _awaiting(db, date(2026, 6, 19))
    assert (awaiting.reference, awaiting.reason, awaiting.due_on) == (
        "END-2", JobEndReason.DISMISSED, date(2026, 6, 24))
    assert not awaiting.overdue_on(date(2026, 6, 24)) and awaiting.overdue_on(date(2026, 6, 25))
    # A call with the old employer is not the follow-up; a call with the person is.
    _contact(db, world["es"], client.id, date(2026, 6, 22), with_whom="employer",
             face_to_face=False, today=date(2026, 6, 22))
    assert [a.job_id for a in _awaiting(db, date(2026, 6, 22))] == [job.id]
    _contact(db, world["es"], client.id, date(2026, 6, 23), face_to_face=False,
             today=date(2026, 6, 23))
    assert _awaiting(db, date(2026, 6, 23)) == []
    # Asked about the day before the follow-up, it was still awaited.
    assert [a.job_id for a in _awaiting(db, date(2026, 6, 22))] == [job.id]


def test_the_follow_up_counts_the_teams_bank_holidays(db, world) -> None:
    # St Andrew's Day (Monday 30 November 2026) is a Scottish bank holiday, not an English one.
    _, job = _in_work(db, world, "END-SCT", team="other", prefix="other_")
    _, job2 = _in_work(db, world, "END-ENG")
    _end(db, world["other_es"], job.id, date(2026, 11, 27), reason="contract_ended")
    _end(db, world["es"], job2.id, date(2026, 11, 27), reason="contract_ended")
    due = {a.reference: a.due_on for a in _awaiting(db, date(2026, 11, 27))}
    assert due == {"END-ENG": date(2026, 12, 2), "END-SCT": date(2026, 12, 3)}
    assert add_working_days(date(2026, 11, 27), 3, Nation.SCOTLAND) == date(2026, 12, 3)


def test_old_held_or_discharged_job_ends_are_not_awaited(db, world) -> None:
    _, old = _in_work(db, world, "END-OLD", started=date(2026, 3, 2))
    held, job = _in_work(db, world, "END-HELD")
    _end(db, world["es"], old.id, date(2026, 4, 1), reason="resigned")
    _end(db, world["es"], job.id, TODAY, reason="resigned")
    with time_machine.travel(TODAY, tick=False), db.transaction() as s:
        clients.put_on_hold(s, s.merge(world["es"]), s.get(Client, held.id),
                            parse(clients.Hold, {"reason": "needs a break"}))
    assert _awaiting(db, TODAY) == []
    assert [a.reference for a in _awaiting(db, date(2026, 4, 29))] == ["END-OLD"]
    assert _awaiting(db, date(2026, 4, 30)) == []


def test_follow_ups_are_filtered_by_team_specialist_and_who_may_see(db, world) -> None:
    _, mine = _in_work(db, world, "END-A")
    _, theirs = _in_work(db, world, "END-B", team="other", prefix="other_")
    _end(db, world["es"], mine.id, TODAY)
    _end(db, world["other_es"], theirs.id, TODAY)
    assert [a.reference for a in _awaiting(db, TODAY, specialist_id=world["es"].id)] == ["END-A"]
    assert [a.reference for a in _awaiting(db, TODAY, team_id=world["other"].id)] == ["END-B"]
    with db.reading() as s:
        assert [a.reference for a in job_end_follow_ups_awaiting(
            s, TODAY, actor=s.merge(world["es2"]))] == []


def test_the_migration_gives_jobs_already_ended_a_reason_from_their_words(db, tmp_path) -> None:
    import sqlalchemy as sa

    from tests.caseload.old_schema import add_team_and_clients, database_at, upgrade

    now = datetime(2026, 1, 1, tzinfo=UTC)
    with database_at(db, "0013", tmp_path) as old:
        with old.engine.begin() as conn:
            add_team_and_clients(conn, {1: "in_work"}, now)
            for job_id, ended, words in ((1, date(2026, 3, 1), "Resigned after a month"),
                                         (2, date(2026, 4, 1), "temporary contract ended"),
                                         (3, date(2026, 5, 1), "moved away"),
                                         (4, None, None)):
                conn.execute(sa.text(
                    "INSERT INTO jobs (id, client_id, team_id, recorded_by_id, employer, job_title, "
                    "job_type, hours_per_week, hourly_wage, age_band, open_to_anyone, started_on, "
                    "ended_on, end_reason, is_competitive, created_at) VALUES (:id, 1, 1, 1, 'E', "
                    "'J', 'elementary', 16, 13, '21_and_over', :yes, :start, :ended, :words, :yes, "
                    ":now)"), {"id": job_id, "yes": True, "start": date(2026, 2, 1),
                               "ended": ended, "words": words, "now": now})
        upgrade(old, "0014")
        with old.engine.connect() as conn:
            codes = conn.execute(sa.text(
                "SELECT id, end_reason_code, end_reason FROM jobs ORDER BY id")).all()
            rhythm = conn.execute(sa.text(
                "SELECT in_work_first_weeks, in_work_first_every_days, in_work_then_every_days "
                "FROM teams")).one()
    assert [tuple(row) for row in codes] == [
        (1, "resigned", "Resigned after a month"), (2, "contract_ended", "temporary contract ended"),
        (3, "other", "moved away"), (4, None, None)]
    assert tuple(rhythm) == (4, 7, 30)
