"""Job starts and ends, and the competitive-outcome rule (minimum wage, open to anyone)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from sqlalchemy import func, select

from caseload import clients, clock
from caseload.audit import history
from caseload.db import Database
from caseload.errors import Conflict, InvalidInput, NotAllowed
from caseload.jobs import JobEnd, NewJobStart, record_job_end, record_job_start
from caseload.models import Client, ClientStatus, Job, Role
from caseload.validation import parse
from tests.factories import make_staff, make_team, refer

# Minimum wage rates from 1 April 2026: £12.71 (21 and over), £10.85 (18 to 20)
# (The National Minimum Wage (Amendment) Regulations 2026, SI 2026/357, reg 2).
# From 1 April 2025: £12.21 (21 and over).


@pytest.fixture
def world(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Bexhill")
        w = {
            "team": team,
            "leader": make_staff(s, Role.TEAM_LEADER, team),
            "cc": make_staff(s, Role.CARE_COORDINATOR, team),
            "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
            "es2": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
        }
        client = refer(s, w["cc"], team, "JOB-1", received_on=date(2025, 3, 1))
        clients.accept(s, w["leader"], client, on=date(2025, 3, 3), specialist_id=w["es"].id)
        clients.start_job_search(s, w["es"], client, on=date(2025, 3, 10))
        w["client"] = client
    return w


def _start(db, actor, client_id, **change):
    data = {"client_id": client_id, "employer": "Sainsbury's Hove", "job_title": "Shelf stacker",
            "job_type": "elementary", "hours_per_week": "16", "hourly_wage": "12.71",
            "started_on": date(2026, 5, 4), **change}
    with db.transaction() as s:
        return record_job_start(s, s.merge(actor), parse(NewJobStart, data))


def test_a_job_at_the_minimum_wage_counts_and_puts_the_client_in_work(db, world) -> None:
    job = _start(db, world["es"], world["client"].id)
    with db.reading() as s:
        stored = s.get(Job, job.id)
        assert stored.is_competitive and stored.not_competitive_reason is None
        assert stored.hours_per_week == Decimal("16.00")
        assert s.get(Client, world["client"].id).status == ClientStatus.IN_WORK
        assert [r.action for r in history(s, "jobs", job.id)] == ["job_start"]
        assert history(s, "clients", world["client"].id)[-1].action == "in_work"


def test_a_penny_below_the_minimum_wage_is_stored_but_not_competitive(db, world) -> None:
    job = _start(db, world["es"], world["client"].id, hourly_wage="12.70")
    assert not job.is_competitive
    assert "£12.70 an hour is below the minimum wage of £12.71" in job.not_competitive_reason
    assert "21 and over" in job.not_competitive_reason


def test_the_minimum_wage_in_force_on_the_start_date_applies(db, world) -> None:
    # £12.50 was above the £12.21 rate in force in March 2026, below April 2026's £12.71.
    march = _start(db, world["es"], world["client"].id, hourly_wage="12.50",
                   started_on=date(2026, 3, 31))
    assert march.is_competitive
    april = _start(db, world["es"], world["client"].id, hourly_wage="12.50",
                   started_on=date(2026, 4, 1), employer="Boots")
    assert not april.is_competitive


def test_age_band_sets_the_minimum(db, world) -> None:
    job = _start(db, world["es"], world["client"].id, hourly_wage="10.85", age_band="18_to_20")
    assert job.is_competitive


def test_a_job_set_aside_for_mental_health_service_users_is_not_competitive(db, world) -> None:
    job = _start(db, world["es"], world["client"].id, open_to_anyone=False)
    assert not job.is_competitive
    assert "set aside" in job.not_competitive_reason


def test_second_job_keeps_client_in_work_and_ending_one_does_not_end_work(db, world) -> None:
    first = _start(db, world["es"], world["client"].id)
    second = _start(db, world["es"], world["client"].id, employer="Costa", job_title="Barista",
                    job_type="sales_customer_service", started_on=date(2026, 6, 1))
    end = parse(JobEnd, {"ended_on": date(2026, 7, 1), "reason": "contract_ended"})
    with db.transaction() as s:
        record_job_end(s, s.merge(world["es"]), first.id, end)
    with db.reading() as s:
        assert s.get(Client, world["client"].id).status == ClientStatus.IN_WORK
    with db.transaction() as s:
        record_job_end(s, s.merge(world["es"]), second.id, end)
    with db.reading() as s:
        assert s.get(Client, world["client"].id).status == ClientStatus.JOB_SEEKING
        assert [r.action for r in history(s, "jobs", second.id)] == ["job_start", "job_end"]


def test_job_end_before_its_start_is_refused_and_nothing_changes(db, world) -> None:
    job = _start(db, world["es"], world["client"].id)
    end = parse(JobEnd, {"ended_on": date(2026, 5, 1), "reason": "other", "details": "mistake"})
    with pytest.raises(InvalidInput) as err, db.transaction() as s:
        record_job_end(s, s.merge(world["es"]), job.id, end)
    assert err.value.errors[0].field == "ended_on"
    with db.reading() as s:
        assert s.get(Job, job.id).ended_on is None
        assert s.get(Client, world["client"].id).status == ClientStatus.IN_WORK


def test_ending_a_job_twice_is_refused(db, world) -> None:
    job = _start(db, world["es"], world["client"].id)
    end = parse(JobEnd, {"ended_on": date(2026, 6, 1), "reason": "resigned"})
    with db.transaction() as s:
        record_job_end(s, s.merge(world["es"]), job.id, end)
    with pytest.raises(Conflict, match="already ended"), db.transaction() as s:
        record_job_end(s, s.merge(world["es"]), job.id, end)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"started_on": clock.today() + timedelta(days=1)}, "started_on"),
        ({"hours_per_week": "0"}, "hours_per_week"),
        ({"hours_per_week": "101"}, "hours_per_week"),
        ({"hourly_wage": "-1"}, "hourly_wage"),
        ({"hourly_wage": "12.345"}, "hourly_wage"),
        ({"job_type": "astronaut"}, "job_type"),
        ({"age_band": "ancient"}, "age_band"),
        ({"employer": "x"}, "employer"),
    ],
)
def test_bad_job_input_names_the_field(change, field) -> None:
    data = {"client_id": 1, "employer": "Tesco", "job_title": "Cashier",
            "job_type": "elementary", "hours_per_week": "16", "hourly_wage": "12.71",
            "started_on": date(2026, 5, 4), **change}
    with pytest.raises(InvalidInput) as err:
        parse(NewJobStart, data)
    assert err.value.errors[0].field == field


def test_job_before_referral_is_refused_and_nothing_written(db, world) -> None:
    with pytest.raises(InvalidInput) as err:
        _start(db, world["es"], world["client"].id, started_on=date(2025, 2, 1),
               hourly_wage="12.21")
    assert err.value.errors[0].field == "started_on"
    with db.reading() as s:
        assert s.scalar(select(func.count(Job.id))) == 0
        assert s.get(Client, world["client"].id).status == ClientStatus.JOB_SEEKING


def test_only_the_specialist_or_leader_records_jobs(db, world) -> None:
    with pytest.raises(NotAllowed, match="caseload"):
        _start(db, world["es2"], world["client"].id)
    with pytest.raises(NotAllowed, match="Only these roles"):
        _start(db, world["cc"], world["client"].id)
    _start(db, world["leader"], world["client"].id)


def test_a_referred_but_not_accepted_client_cannot_start_a_job(db, world) -> None:
    with db.transaction() as s:
        waiting = refer(s, world["cc"], world["team"], "JOB-2", received_on=date(2026, 1, 5),
                        specialist_id=world["es"].id)
    with pytest.raises(Conflict, match="accepted onto the caseload"):
        _start(db, world["es"], waiting.id)


@time_machine.travel(date(2026, 4, 1))
def test_minimum_wage_check_uses_the_rate_in_force_today_for_a_start_today(db, world) -> None:
    job = _start(db, world["es"], world["client"].id, hourly_wage="12.21",
                 started_on=date(2026, 4, 1))
    assert not job.is_competitive


def test_a_job_older_than_the_minimum_wage_on_record_is_refused_by_name(db) -> None:
    with db.transaction() as s:
        team = make_team(s)
        lead = make_staff(s, Role.TEAM_LEADER, team)
        client = refer(s, lead, team, "OLD-0001", received_on=date(2020, 1, 6))
        clients.accept(s, lead, client, on=date(2020, 1, 7))
        with pytest.raises(InvalidInput, match="started_on: 3 February 2020 is before the earliest"):
            record_job_start(s, lead, parse(NewJobStart, {
                "client_id": client.id, "employer": "Boots", "job_title": "Assistant",
                "job_type": "elementary", "hours_per_week": "16", "hourly_wage": "9.00",
                "started_on": date(2020, 2, 3)}))
