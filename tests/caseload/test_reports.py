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
from caseload.periods import month, parse_month
from caseload.reports import (
    EmploymentRate,
    ReferralConversion,
    job_starts_against_target,
    outcomes_report,
    outcomes_report_for,
)
from rendering.tables import render_outcomes_table
from tests.factories import make_staff, make_team

MARCH = date(2026, 3, 15)


def _client(s, team, ref, received, accepted=None, status=ClientStatus.JOB_SEEKING,
            specialist=None, discharged=None, last_contact=None):
    client = Client(team_id=team.id, reference=ref, referral_received_on=received,
                    accepted_on=accepted, status=ClientStatus.REFERRED, consent_recorded=True,
                    specialist_id=specialist.id if specialist else None,
                    discharged_on=discharged, last_face_to_face_contact_on=last_contact)
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
def test_march_job_starts_first_starts_and_competitive(db, sussex) -> None:
    with db.reading() as s:
        report = outcomes_report(s, MARCH)
    brighton = _team(report, "Brighton")
    # March starts: B1 second job, B2, B3 twice = 4; first starts: B2 and B3 = 2 people;
    # competitive: all but B2's = 3.
    assert (brighton.month.job_starts, brighton.month.first_job_starts,
            brighton.month.competitive_job_starts) == (4, 2, 3)
    assert brighton.job_start_target == 3
    assert _team(report, "Hastings").month.job_starts == 0


@time_machine.travel(date(2026, 4, 20))
def test_referrals_to_job_starts_like_table_3(db, sussex) -> None:
    with db.reading() as s:
        report = outcomes_report(s, MARCH)
    brighton = _team(report, "Brighton")
    # March referrals B3, B4, B5 = 3; 4 job starts: 133% (starts can come from earlier referrals).
    assert brighton.month_referrals == ReferralConversion(referrals=3, job_starts=4)
    assert brighton.month_referrals.conversion == Decimal("1.333")
    # Financial year from 1 April 2025: B1..B5 = 5 referrals, 5 job starts (with January's).
    assert brighton.year_to_date == ReferralConversion(referrals=5, job_starts=5)
    assert report.year_to_date.start == date(2025, 4, 1)


@time_machine.travel(date(2026, 4, 20))
def test_employment_rate_by_the_ips_grow_definition(db, sussex) -> None:
    with db.reading() as s:
        report = outcomes_report(s, MARCH)
    # Out of work on the caseload in March: B2, B3, B5 (discharged 25 March, still counted);
    # not B1 (in work on 1 March), B4 (never accepted) or B6 (accepted in April).
    # Started work in March: B2 and B3.
    assert _team(report, "Brighton").employment == EmploymentRate(started_work=2, out_of_work=3)
    assert _team(report, "Brighton").employment.rate == Decimal("0.667")
    assert _team(report, "Hastings").employment == EmploymentRate(started_work=0, out_of_work=1)


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
    # As of 31 March: B6 is not yet accepted... it is job seeking from 1 April, so not overdue.
    # Hastings' H1 had a contact on 30 March.
    assert report.as_of == date(2026, 3, 31)
    assert brighton.overdue == 0 and _team(report, "Hastings").overdue == 0
    # Alex (0.5 FTE) held B1, B2, B3 (in work) on 31 March = 3, i.e. 6 per FTE; B6, on the
    # caseload since 1 April, is April's, whatever day the report is made.
    [alex] = brighton.caseloads
    assert (alex.name, alex.active_clients, alex.per_fte) == ("Alex", 3, Decimal("6.0"))


@time_machine.travel(date(2026, 5, 20))
def test_overdue_counts_as_of_the_months_end(db, sussex) -> None:
    with db.reading() as s:
        april = outcomes_report(s, date(2026, 4, 1))
    # By 30 April, H1's last contact (30 March) is 31 days old.
    assert _team(april, "Hastings").overdue == 1


@time_machine.travel(date(2026, 4, 20))
def test_one_team_only_and_access(db, sussex) -> None:
    with db.reading() as s:
        only = outcomes_report(s, MARCH, team_id=sussex["hastings"].id)
        assert [t.team_name for t in only.teams] == ["Hastings"]
        mine = outcomes_report_for(s, s.merge(sussex["leader"]), MARCH)
        assert [t.team_name for t in mine.teams] == ["Brighton"]
        with pytest.raises(NotAllowed):
            outcomes_report_for(s, s.merge(sussex["es"]), MARCH)


@time_machine.travel(date(2026, 4, 20))
def test_twelve_months_against_target(db, sussex) -> None:
    with db.reading() as s:
        rows = job_starts_against_target(s, [month(date(2026, 1, 1)), month(MARCH)],
                                         team_id=sussex["brighton"].id)
    assert [(r.month, r.counts.job_starts, r.target, r.difference) for r in rows] == [
        (date(2026, 1, 1), 1, 3, -2),
        (date(2026, 3, 1), 4, 3, 1),
    ]


@time_machine.travel(date(2026, 4, 20))
def test_rendered_table_shows_the_figures_and_explains_them(db, sussex) -> None:
    with db.reading() as s:
        text = render_outcomes_table(outcomes_report(s, MARCH))
    assert text.startswith("IPS outcomes for March 2026")
    brighton_line = next(line for line in text.splitlines() if line.startswith("Brighton"))
    assert brighton_line.split()[:7] == ["Brighton", "4", "3", "2", "3", "3", "133%"]
    assert "All teams" in text
    assert "benchmark 40%" in text
    assert "Alex 3 (6.0/FTE)" in text


def test_empty_states_are_helpful(db) -> None:
    with db.reading() as s:
        assert "No teams are set up yet" in render_outcomes_table(outcomes_report(s, MARCH))
    with db.transaction() as s:
        make_team(s, "Empty")
    with db.reading() as s:
        text = render_outcomes_table(outcomes_report(s, MARCH))
    assert "No job starts recorded in March 2026." in text
    assert "–" in text  # conversion with no referrals is shown as a dash, not 0% or an error


def test_month_parsing_names_the_format() -> None:
    assert parse_month("2026-03").start == date(2026, 3, 1)
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month("March")
