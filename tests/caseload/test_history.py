"""Each client episode's dated history: what every service records, corrections of the past,
and the back-fill of records stored before the history existed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
import time_machine

from caseload import clients, jobs
from caseload.db import Database
from caseload.history import in_force_on, periods_of
from caseload.models import ClientStatus, ClientStatusPeriod, JobType, Role
from caseload.validation import parse
from tests.caseload.old_schema import database_at, upgrade
from tests.factories import make_staff, make_team, refer

S = ClientStatus


def _periods(session, client_id: int) -> list[tuple[str, int | None, date, date | None]]:
    return [(p.status.value, p.specialist_id, p.valid_from, p.valid_to)
            for p in periods_of(session, client_id)]


def _job(client_id: int, started_on: date) -> jobs.NewJobStart:
    return parse(jobs.NewJobStart, {
        "client_id": client_id, "employer": "Bakery", "job_title": "Baker",
        "job_type": JobType.ELEMENTARY, "hours_per_week": Decimal("16"),
        "hourly_wage": Decimal("13.00"), "started_on": started_on})


def test_every_step_of_a_journey_is_dated_as_it_took_effect(db: Database) -> None:
    with time_machine.travel(date(2026, 3, 2), tick=False), db.transaction() as s:
        team = make_team(s)
        lead = make_staff(s, Role.TEAM_LEADER, team)
        ann = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)
        bob = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)
        client = refer(s, lead, team, "SEA-1", received_on=date(2026, 2, 20))
        clients.accept(s, lead, client, on=date(2026, 2, 23), specialist_id=ann.id)
        clients.start_job_search(s, lead, client, on=date(2026, 2, 25))
        ids = (client.id, ann.id, bob.id)
    client_id, ann_id, bob_id = ids
    with time_machine.travel(date(2026, 3, 9), tick=False), db.transaction() as s:
        client = s.get(clients.Client, client_id)
        clients.put_on_hold(s, s.get(clients.Staff, ann_id), client,
                            parse(clients.Hold, {"reason": "in hospital", "until": date(2026, 3, 20)}))
    with time_machine.travel(date(2026, 3, 23), tick=False), db.transaction() as s:
        clients.expire_holds(s, date(2026, 3, 23))  # the clock runs late: the hold ended on the 20th
    with time_machine.travel(date(2026, 4, 1), tick=False), db.transaction() as s:
        lead_row = s.scalars(sa.select(clients.Staff).where(clients.Staff.role == Role.TEAM_LEADER)).one()
        client = s.get(clients.Client, client_id)
        clients.assign(s, lead_row, client, bob_id)
        job = jobs.record_job_start(s, lead_row, _job(client_id, date(2026, 3, 30)))
        jobs.record_job_end(s, lead_row, job.id, parse(jobs.JobEnd, {
            "ended_on": date(2026, 4, 1), "reason": "contract_ended"}))
    with time_machine.travel(date(2026, 4, 10), tick=False), db.transaction() as s:
        lead_row = s.scalars(sa.select(clients.Staff).where(clients.Staff.role == Role.TEAM_LEADER)).one()
        clients.discharge(s, lead_row, s.get(clients.Client, client_id),
                          parse(clients.Discharge, {"reason": "moved away", "on": date(2026, 4, 8)}))
    with db.reading() as s:
        assert _periods(s, client_id) == [
            ("referred", None, date(2026, 2, 20), date(2026, 2, 23)),
            ("accepted", ann_id, date(2026, 2, 23), date(2026, 2, 25)),
            ("job_seeking", ann_id, date(2026, 2, 25), date(2026, 3, 9)),
            ("on_hold", ann_id, date(2026, 3, 9), date(2026, 3, 20)),
            ("job_seeking", ann_id, date(2026, 3, 20), date(2026, 3, 30)),
            ("in_work", ann_id, date(2026, 3, 30), date(2026, 4, 1)),
            # The reassignment and the job end both took effect on 1 April.
            ("job_seeking", bob_id, date(2026, 4, 1), date(2026, 4, 8)),
            ("discharged", bob_id, date(2026, 4, 8), None),
        ]


def test_a_back_dated_change_replaces_what_was_recorded_after_its_date(db: Database) -> None:
    with time_machine.travel(date(2026, 5, 20), tick=False), db.transaction() as s:
        team = make_team(s)
        lead = make_staff(s, Role.TEAM_LEADER, team)
        client = refer(s, lead, team, "SEA-2", received_on=date(2026, 5, 1))
        clients.accept(s, lead, client, on=date(2026, 5, 4))
        clients.put_on_hold(s, lead, client, parse(clients.Hold, {"reason": "unwell"}))
        # Discharged, it turns out, a week before the hold was put on.
        clients.discharge(s, lead, client, parse(clients.Discharge, {
            "reason": "no longer wants support", "on": date(2026, 5, 13)}))
        assert _periods(s, client.id) == [
            ("referred", None, date(2026, 5, 1), date(2026, 5, 4)),
            ("accepted", None, date(2026, 5, 4), date(2026, 5, 13)),
            ("discharged", None, date(2026, 5, 13), None),
        ]


def test_changes_on_one_day_leave_the_day_as_the_last_one_did(db: Database) -> None:
    with time_machine.travel(date(2026, 6, 1), tick=False), db.transaction() as s:
        team = make_team(s)
        lead = make_staff(s, Role.TEAM_LEADER, team)
        client = refer(s, lead, team, "SEA-3")
        clients.accept(s, lead, client)
        clients.put_on_hold(s, lead, client, parse(clients.Hold, {"reason": "on holiday"}))
        clients.resume(s, lead, client)
        assert _periods(s, client.id) == [("accepted", None, date(2026, 6, 1), None)]


def test_in_force_on_reads_each_episode_as_it_stood_that_day(db: Database) -> None:
    with time_machine.travel(date(2026, 7, 1), tick=False), db.transaction() as s:
        team = make_team(s)
        lead = make_staff(s, Role.TEAM_LEADER, team)
        first = refer(s, lead, team, "SEA-4", received_on=date(2026, 6, 1))
        clients.accept(s, lead, first, on=date(2026, 6, 10))
        second = refer(s, lead, team, "SEA-5", received_on=date(2026, 6, 15))
        ids = first.id, second.id
    with db.reading() as s:
        def on(day: date) -> dict[int, str]:
            rows = s.execute(sa.select(ClientStatusPeriod.client_id, ClientStatusPeriod.status)
                             .where(in_force_on(day)))
            return {cid: status.value for cid, status in rows}

        assert on(date(2026, 5, 31)) == {}
        assert on(date(2026, 6, 9)) == {ids[0]: "referred"}
        assert on(date(2026, 6, 10)) == {ids[0]: "accepted"}
        assert on(date(2026, 6, 30)) == {ids[0]: "accepted", ids[1]: "referred"}


@contextmanager
def _before_history(db: Database, tmp_path) -> Iterator[Database]:
    """A database of `db`'s kind at revision 0008 with one team, dropped afterwards."""
    with database_at(db, "0008", tmp_path) as old:
        with old.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO teams (id, name, nation, referral_target_per_month, "
                "job_start_target_per_month, created_at) VALUES (1, 'T', 'ENG', 0, 0, :now)"),
                {"now": datetime(2026, 1, 1, tzinfo=UTC)})
        yield old


def _upgrade_to_history(old: Database) -> None:
    upgrade(old, "0009")


def test_the_migration_back_fills_history_from_dates_and_the_audit_log(db: Database, tmp_path) -> None:
    with _before_history(db, tmp_path) as old:
        with old.engine.begin() as conn:
            for sid in (1, 2):
                conn.execute(sa.text(
                    "INSERT INTO staff (id, slack_user_id, display_name, role, team_id, fte, active, "
                    "created_at) VALUES (:id, :slack, 'x', 'employment_specialist', 1, 1, :yes, :now)"),
                    {"id": sid, "slack": f"U{sid}", "yes": True, "now": datetime(2026, 1, 1, tzinfo=UTC)})
            conn.execute(sa.text(
                "INSERT INTO clients (id, team_id, reference, specialist_id, status, "
                "referral_received_on, accepted_on, job_search_started_on, consent_recorded, "
                "created_at, updated_at) VALUES (1, 1, 'OLD-1', 2, 'in_work', :ref, :acc, :js, "
                ":yes, :now, :now)"),
                {"ref": date(2026, 1, 5), "acc": date(2026, 1, 7), "js": date(2026, 1, 12),
                 "yes": True, "now": datetime(2026, 1, 5, tzinfo=UTC)})
            conn.execute(sa.text(
                "INSERT INTO jobs (client_id, team_id, recorded_by_id, employer, job_title, job_type, "
                "hours_per_week, hourly_wage, age_band, open_to_anyone, started_on, is_competitive, "
                "created_at) VALUES (1, 1, 1, 'E', 'J', 'elementary', 16, 13, '21_and_over', :yes, "
                ":start, :yes, :now)"),
                {"yes": True, "start": date(2026, 3, 2), "now": datetime(2026, 3, 2, tzinfo=UTC)})
            for action, at, before, after in (
                    ("assign", datetime(2026, 1, 7, 9, tzinfo=UTC), '{"specialist_id": null}',
                     '{"specialist_id": 1}'),
                    ("hold", datetime(2026, 2, 2, 9, tzinfo=UTC), '{"status": "job_seeking"}',
                     '{"status": "on_hold"}'),
                    ("resume", datetime(2026, 2, 16, 9, tzinfo=UTC), '{"status": "on_hold"}',
                     '{"status": "job_seeking"}'),
                    ("reassign", datetime(2026, 2, 20, 9, tzinfo=UTC), '{"specialist_id": 1}',
                     '{"specialist_id": 2}')):
                conn.execute(sa.text(
                    "INSERT INTO audit_log (at, action, entity_type, entity_id, team_id, before, after) "
                    "VALUES (:at, :action, 'clients', 1, 1, :before, :after)"),
                    {"at": at, "action": action, "before": before, "after": after})
        _upgrade_to_history(old)
        with old.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT status, specialist_id, valid_from, valid_to FROM client_status_history "
                "WHERE client_id = 1 ORDER BY valid_from")).all()
        as_dates = [(r[0], r[1], date.fromisoformat(str(r[2])[:10]),
                     None if r[3] is None else date.fromisoformat(str(r[3])[:10])) for r in rows]
        # Holds and reassignments are dated by their audit rows; everything else by the record.
        assert as_dates == [
            ("referred", None, date(2026, 1, 5), date(2026, 1, 7)),
            ("accepted", 1, date(2026, 1, 7), date(2026, 1, 12)),
            ("job_seeking", 1, date(2026, 1, 12), date(2026, 2, 2)),
            ("on_hold", 1, date(2026, 2, 2), date(2026, 2, 16)),
            ("job_seeking", 1, date(2026, 2, 16), date(2026, 2, 20)),
            ("job_seeking", 2, date(2026, 2, 20), date(2026, 3, 2)),
            ("in_work", 2, date(2026, 3, 2), None),
        ]


def test_a_status_the_dates_cannot_explain_is_taken_as_today(db: Database, tmp_path) -> None:
    """An on-hold client whose hold has no audit row: the history ends in today's status."""
    with _before_history(db, tmp_path) as old:
        with old.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO clients (id, team_id, reference, status, referral_received_on, "
                "consent_recorded, created_at, updated_at) VALUES (1, 1, 'OLD-2', 'on_hold', :ref, "
                ":yes, :now, :now)"),
                {"ref": date(2026, 1, 5), "yes": True, "now": datetime(2026, 1, 5, tzinfo=UTC)})
        _upgrade_to_history(old)
        with old.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT status, valid_to FROM client_status_history ORDER BY valid_from")).all()
        assert [r[0] for r in rows] == ["referred", "on_hold"]
        assert rows[-1][1] is None
