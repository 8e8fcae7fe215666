"""Outcome reports, checked against figures worked out by hand, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from caseload.db import Database
from caseload.errors import NotAllowed
from caseload.history import record_state
from caseload.models import (
    AgeBand,
    BetterOffCalculation,
    BetterOffOutcome,
    Client,
    ClientStatus,
    EmployerContact,
    Job,
    JobType,
    Role,
)
from caseload.outcomes import Caseload, Conversion, EmploymentRate, JobStarts
from caseload.overdue import overdue_counts_as_of
from caseload.periods import Period, month, parse_month
from caseload.reports import (
    all_teams_by_month,
    job_starts_against_target,
    outcomes_report,
    outcomes_report_for,
    published_report,
)
from rendering.tables import render_outcomes_table
from tests.factories import make_staff, make_team

MARCH = month(date(2026, 3, 15))


def _client(s, team, ref, received, accepted=None, status=ClientStatus.JOB_SEEKING,
            specialist=None, discharged=None, last_contact=None):
    client = Client(team_id=team.id, reference=ref, referral_received_on=received,
                    accepted_on=accepted, status=ClientStatus.REFERRED, consent_recorded=True,
                    specialist_id=specialist.id if specialist else None,
                    discharged_on=discharged, last_face_to_face_contact_on=last_contact,
                    first_face_to_face_contact_on=last_contact)
    s.add(client)
    # The dated history the services would have written: referred, then on the caseload from
    # acceptance in the status given, then discharged.
    record_state(s, client, received)
    if accepted is not None:
        client.status = status if status != ClientStatus.DISCHARGED else ClientStatus.JOB_SEEKING
        record_state(s, client, accepted)
    if discharged is not None:
        client.status = ClientStatus.DISCHARGED
        record_state(s, client, discharged)
    client.status = status
    if last_contact is not None:
        s.add(EmployerContact(team_id=team.id, staff_id=client.specialist_id, client_id=client.id,
                              contacted_on=last_contact, employer="Asda", face_to_face=True))
    s.flush()
    return client


def _job(s, client, recorder, started, ended=None, competitive=True, employer="Tesco"):
    s.add(Job(client_id=client.id, team_id=client.team_id, recorded_by_id=recorder.id,
              employer=employer, job_title="Assistant", job_type=JobType.ELEMENTARY,
              hours_per_week=Decimal(16), hourly_wage=Decimal("12.71"),
              age_band=AgeBand.AGE_21_AND_OVER, started_on=started, ended_on=ended,
              is_competitive=competitive,
              not_competitive_reason=None if competitive else "below minimum wage"))
    s.flush()


@pytest.fixture
def sussex(db: Database):
    """Two teams with a March 2026 worked by hand (see each test for the arithmetic)."""
    with db.transaction() as s:
        brighton = make_team(s, "Brighton", job_start_target_per_month=3,
                             referral_target_per_month=6)
        hastings = make_team(s, "Hastings", job_start_target_per_month=2)
        es = make_staff(s, Role.EMPLOYMENT_SPECIALIST, brighton, name="Alex", fte="0.50")
        es_h = make_staff(s, Role.EMPLOYMENT_SPECIALIST, hastings, name="Kim")
        leader = make_staff(s, Role.TEAM_LEADER, brighton)
        # Brighton referrals: B1 (Jan), B2 (Feb), B3, B4, B5 (March), B6 (1 April: next month).
        b1 = _client(s, brighton, "B1", date(2026, 1, 10), date(2026, 1, 12), specialist=es,
                     status=ClientStatus.IN_WORK)
        b2 = _client(s, brighton, "B2", date(2026, 2, 2), date(2026, 2, 3), specialist=es,
                     status=ClientStatus.IN_WORK)
        b3 = _client(s, brighton, "B3", date(2026, 3, 1), date(2026, 3, 2), specialist=es,
                     status=ClientStatus.IN_WORK)
        _client(s, brighton, "B4", date(2026, 3, 31), None, status=ClientStatus.REFERRED)
        _client(s, brighton, "B5", date(2026, 3, 20), date(2026, 3, 21), specialist=es,
                status=ClientStatus.DISCHARGED, discharged=date(2026, 3, 25))
        _client(s, brighton, "B6", date(2026, 4, 1), date(2026, 4, 1), specialist=es)
        # B1: a job from January still going in March (in work at the start: not in the
        # employment-rate denominator) and a second job in March.
        _job(s, b1, es, date(2026, 1, 20))
        _job(s, b1, es, date(2026, 3, 10), employer="Boots")
        # B2: first job on 31 March (counts), below minimum wage (not competitive).
        _job(s, b2, es, date(2026, 3, 31), competitive=False)
        # B3: first job on 1 March, and another on the same day.
        _job(s, b3, es, date(2026, 3, 1))
        _job(s, b3, es, date(2026, 3, 1), employer="Costa")
        # Hastings: one referral in March, no jobs.
        _client(s, hastings, "H1", date(2026, 3, 5), date(2026, 3, 6), specialist=es_h,
                last_contact=date(2026, 3, 30))
        # Better-off calculations: two in March (one better off), one in April.
        for at, outcome in [(datetime(2026, 3, 1, 0, 30, tzinfo=UTC), BetterOffOutcome.BETTER_OFF),
                            (datetime(2026, 3, 31, 22, 59, tzinfo=UTC), BetterOffOutcome.WORSE_OFF),
                            (datetime(2026, 3, 31, 23, 0, tzinfo=UTC),
                             BetterOffOutcome.BETTER_OFF)]:
            s.add(BetterOffCalculation(staff_id=es.id, team_id=brighton.id, calculated_at=at,
                                       tax_year="2025-26", inputs_digest="0" * 64,
                                       better_off_per_month=Decimal(10), outcome=outcome))
        # A general job-development contact has no client and must not disturb anything.
        s.add(EmployerContact(team_id=brighton.id, staff_id=es.id, client_id=None,
                              contacted_on=date(2026, 3, 3), employer="Amex", face_to_face=True))
    return {"brighton": brighton, "hastings": hastings, "es": es, "leader": leader}


def _team(report, name):
    return next(t for t in report.teams if t.team_name == name)


@time_machine.travel(date(2026, 4, 20))
def test_march_job_starts_count_competitive_jobs_only(db, sussex) -> None:
    with db.reading() as s:
        report = outcomes_report(s, MARCH)
    brighton = _team(report, "Brighton")
    # Competitive March starts: B1's second job and B3's two = 3; people into work: B3 (B1's
    # first competitive job was in January); B2's job below the minimum wage is shown apart.
    assert brighton.job_starts == JobStarts(total=3, people=1, not_competitive=1)
    assert brighton.job_start_target == 3
    assert _team(report, "Hastings").job_starts == JobStarts()


@time_machine.travel(date(2026, 4, 20))
def test_referrals_by_acceptance_and_conversion_since_the_start(db, sussex) -> None:
    with db.reading() as s:
        report = outcomes_report(s, MARCH)
    brighton = _team(report, "Brighton")
    # Accepted in March: B3 (2 March) and B5 (21 March); B4 is not accepted yet, B6 was in April.
    assert brighton.referrals == 2 and brighton.referral_target == 6
    # No service start date, so all its records to 31 March: B1, B2, B3, B5 accepted; B1's two
    # jobs and B3's two are competitive.
    assert brighton.since_start == Conversion(referrals=4, job_starts=4)
    assert brighton.since_start.sentence() == "4 referrals and 4 jobs achieved—100%"


@time_machine.travel(date(2026, 4, 20))
def test_employment_rate_by_the_ips_grow_definition(db, sussex) -> None:
    with db.reading() as s:
        report = outcomes_report(s, MARCH)
    # Out of work on the caseload in March: B2, B3, B5 (discharged 25 March, still counted);
    # not B1 (in competitive work on 1 March), B4 (never accepted) or B6 (accepted in April).
    # Started competitive work in March: B3 (B2's job is not competitive).
    assert _team(report, "Brighton").employment == EmploymentRate(started_work=1, out_of_work=3)
    assert _team(report, "Brighton").employment.rate == Decimal("0.333")
    assert _team(report, "Hastings").employment == EmploymentRate(started_work=0, out_of_work=1)
    # The benchmark is for the 12 months to March, not for March alone.
    assert report.year == Period(date(2025, 4, 1), date(2026, 4, 1))
    assert not report.benchmark_applies
    assert _team(report, "Brighton").employment_year == EmploymentRate(started_work=2, out_of_work=4)


@time_machine.travel(date(2026, 4, 20))
def test_better_off_counts_use_london_months(db, sussex) -> None:
    with db.reading() as s:
        report = outcomes_report(s, MARCH)
    better_off = _team(report, "Brighton").better_off
    # 31 March 23:00 UTC is 1 April 00:00 in London (BST): April's, not March's.
    assert (better_off.done, better_off.better_off) == (2, 1)


@time_machine.travel(date(2026, 4, 20))
def test_overdue_and_caseload_per_specialist(db, sussex) -> None:
    with db.reading() as s:
        report = outcomes_report(s, MARCH)
    brighton = _team(report, "Brighton")
    # As of 31 March: B6 was not on the caseload yet; Hastings' H1 had a contact on 30 March.
    assert report.as_of == date(2026, 3, 31)
    assert brighton.overdue == 0 and _team(report, "Hastings").overdue == 0
    # Alex (0.5 FTE) held B1, B2, B3 (in work) on 31 March = 3, i.e. 6 per FTE; B6, on the
    # caseload since 1 April, is April's, whatever day the report is made.
    [alex] = brighton.specialists
    assert (alex.name, alex.active_clients, alex.per_fte) == ("Alex", 3, Decimal("6.0"))
    assert brighton.caseload == Caseload(active=3, in_work=3, job_retention=0)
    assert brighton.caseload.in_work_share == Decimal("1.000")
    # Everyone helped into work is success, not a breach of the 15% for job retention.
    assert not brighton.caseload.over_job_retention_limit


@time_machine.travel(date(2026, 5, 20))
def test_overdue_counts_as_of_the_months_end(db, sussex) -> None:
    with db.reading() as s:
        april = outcomes_report(s, month(date(2026, 4, 1)))
    # By 30 April, H1's last contact (30 March) is 31 days old.
    assert _team(april, "Hastings").overdue == 1


@time_machine.travel(date(2026, 5, 20))
def test_a_teams_overdue_counts_clients_with_no_specialist_in_a_closed_and_the_open_month(
        db, sussex) -> None:
    """A closed month's team figure is added up from the per-specialist read, which must not
    drop the client nobody has taken on; the open month's is read as of today."""
    with db.transaction() as s:
        hastings = s.merge(sussex["hastings"])
        _client(s, hastings, "H2", date(2026, 3, 10), date(2026, 3, 11))  # no specialist, no contact
    with db.reading() as s:
        april = outcomes_report(s, month(date(2026, 4, 1)))
        may = outcomes_report(s, month(date(2026, 5, 1)))
        today = overdue_counts_as_of(s, date(2026, 5, 20))
    assert _team(april, "Hastings").overdue == 2  # H1 (with Kim) and H2 (with nobody)
    assert [row.overdue for _, row in _team(april, "Hastings").supervision] == [1]
    assert may.as_of == date(2026, 5, 20)
    assert _team(may, "Hastings").overdue == today[sussex["hastings"].id] == 2


@time_machine.travel(date(2026, 4, 20))
def test_one_team_only_and_access(db, sussex) -> None:
    with db.reading() as s:
        only = outcomes_report(s, MARCH, team_id=sussex["hastings"].id)
        assert [t.team_name for t in only.teams] == ["Hastings"]
        mine = outcomes_report_for(s, s.merge(sussex["leader"]), MARCH)
        assert [t.team_name for t in mine.teams] == ["Brighton"]
        with pytest.raises(NotAllowed):
            outcomes_report_for(s, s.merge(sussex["es"]), MARCH)
        with pytest.raises(NotAllowed, match="own team"):
            outcomes_report_for(s, s.merge(sussex["leader"]), MARCH, sussex["hastings"].id)


@time_machine.travel(date(2026, 4, 20))
def test_months_against_target_for_each_team_and_the_region(db, sussex) -> None:
    with db.reading() as s:
        rows = job_starts_against_target(s, [month(date(2026, 1, 1)), month(date(2026, 3, 1))])
    brighton = [r for r in rows if r.team_name == "Brighton"]
    assert [(r.month, r.counts.total, r.target, r.difference) for r in brighton] == [
        (date(2026, 1, 1), 1, 3, -2),
        (date(2026, 3, 1), 3, 3, 0),
    ]
    region = all_teams_by_month(rows)
    assert [(r.team_name, r.month, r.counts.total, r.target) for r in region] == [
        ("All teams", date(2026, 1, 1), 1, 5), ("All teams", date(2026, 3, 1), 3, 5)]


@time_machine.travel(date(2026, 4, 20))
def test_rendered_table_shows_the_figures_and_explains_them(db, sussex) -> None:
    with db.reading() as s:
        text = render_outcomes_table(outcomes_report(s, MARCH))
    assert text.startswith("IPS outcomes for March 2026")
    brighton_line = next(line for line in text.splitlines() if line.startswith("Brighton"))
    # Referrals, job starts, target, people into work, not competitive, employment rate.
    assert brighton_line.split()[:8] == ["Brighton", "2", "3", "3", "1", "1", "33%", "(1/3)"]
    assert "All teams" in text
    assert "benchmark applies to the 12-month rate (April 2025 to March 2026), not to a shorter" in text
    assert "Alex 3 (6.0/FTE)" in text
    assert "Brighton: 4 referrals and 4 jobs achieved—100%" in text
    # No competitive job is 13 weeks old by 31 March: B1's from 20 January and March's three
    # are all still going, too recent to judge.
    assert "Brighton: 13 weeks 0 of 0; 26 weeks 0 of 0; 52 weeks 0 of 0; 4 too recent to judge" in text


def test_a_past_month_made_again_lists_what_a_correction_changed(db, sussex) -> None:
    with time_machine.travel(date(2026, 4, 2), tick=False):
        first = published_report(db, MARCH)
    assert first.changed == []
    # B5's acceptance turns out to have been on 27 February: a correction of the past.
    with time_machine.travel(date(2026, 4, 20), tick=False), db.transaction() as s:
        b5 = s.query(Client).filter_by(reference="B5").one()
        b5.accepted_on = date(2026, 2, 27)
    with time_machine.travel(date(2026, 4, 20), tick=False):
        again = published_report(db, MARCH)
    [(team, change)] = again.changed
    assert (team, change.figure, change.first, change.now, change.first_reported_on) == (
        "Brighton", "Referrals", 2, 1, date(2026, 4, 2))
    text = render_outcomes_table(again)
    assert "Changed since first reported" in text and "Referrals 2 → 1" in text


def test_empty_states_are_helpful(db) -> None:
    with db.reading() as s:
        assert "No teams are set up yet" in render_outcomes_table(outcomes_report(s, MARCH))
    with db.transaction() as s:
        make_team(s, "Empty")
    with db.reading() as s:
        text = render_outcomes_table(outcomes_report(s, MARCH))
    assert "No job starts recorded in March 2026." in text
    assert "–" in text  # a rate with nobody to count is shown as a dash, not 0% or an error


def test_month_parsing_names_the_format() -> None:
    assert parse_month("2026-03").start == date(2026, 3, 1)
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month("March")
