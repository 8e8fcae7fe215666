"""Team and staff changes: admins only, each audited with the admin as the actor."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func, select

from caseload import staff, teams
from caseload.audit import history
from caseload.db import Database
from caseload.errors import NotAllowed
from caseload.models import AuditLog, Role, Staff, Team
from caseload.validation import parse
from tests.factories import make_staff, make_team


@pytest.fixture
def w(db: Database) -> dict:
    with db.transaction() as s:
        team = make_team(s, "Lewes")
        out = {"team": team, "admin": make_staff(s, Role.ADMIN, None, name="Ada"),
               "trainer": make_staff(s, Role.REGIONAL_TRAINER, None)}
        for role in (Role.CARE_COORDINATOR, Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER,
                     Role.BENEFITS_ADVISOR):
            out[role.value] = make_staff(s, role, team)
    return out


def _audit_count(db: Database) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(AuditLog.id))) or 0


def test_an_admin_adds_and_changes_a_team_and_is_named_in_the_audit(db: Database, w) -> None:
    with db.transaction() as s:
        admin = s.merge(w["admin"])
        team = teams.add_team(s, parse(teams.NewTeam, {"name": "Hove"}), actor=admin)
        teams.set_targets(s, team, parse(teams.TeamTargets, {
            "referral_target_per_month": 12, "job_start_target_per_month": 3}), actor=admin)
        teams.set_schedule(s, team, parse(teams.TeamSchedule, {"nudges_at": "11:00"}), actor=admin)
    with db.reading() as s:
        rows = history(s, "teams", team.id)
        assert [r.action for r in rows] == ["add_team", "set_team_targets", "set_team_schedule"]
        assert {r.actor_id for r in rows} == {w["admin"].id}
        assert rows[1].before == {"job_start_target_per_month": 0, "referral_target_per_month": 0}
        assert rows[1].after == {"job_start_target_per_month": 3, "referral_target_per_month": 12}
        assert s.get(Team, team.id).nudges_at == time(11, 0)


def test_an_unchanged_team_writes_no_audit_row(db: Database, w) -> None:
    before = _audit_count(db)
    with db.transaction() as s:
        teams.set_targets(s, s.merge(w["team"]), parse(teams.TeamTargets, {
            "referral_target_per_month": 0, "job_start_target_per_month": 0}),
            actor=s.merge(w["admin"]))
    assert _audit_count(db) == before


def test_an_admin_adds_moves_and_switches_off_staff_all_audited(db: Database, w) -> None:
    with db.transaction() as s:
        admin = s.merge(w["admin"])
        other = make_team(s, "Seaford")
        person = staff.add_staff(s, parse(staff.NewStaff, {
            "slack_user_id": "U0NEW0001", "display_name": "Sam", "role": "care_coordinator",
            "team_id": w["team"].id}), actor=admin)
        staff.set_role(s, person, Role.EMPLOYMENT_SPECIALIST, other.id, actor=admin)
        staff.set_active(s, person, False, actor=admin)
    with db.reading() as s:
        rows = history(s, "staff", person.id)
        assert [r.action for r in rows] == ["add_staff", "set_role", "deactivate_staff"]
        assert {r.actor_id for r in rows} == {w["admin"].id}
        assert rows[1].after == {"role": "employment_specialist", "team_id": other.id}
        assert rows[2].before == {"active": True} and rows[2].after == {"active": False}
        assert not s.get(Staff, person.id).active


@pytest.mark.parametrize("role", ["care_coordinator", "employment_specialist", "team_leader",
                                  "benefits_advisor", "trainer"])
def test_only_admins_change_teams_and_staff(db: Database, w, role: str) -> None:
    before = _audit_count(db)
    attempts = [
        lambda s, a: teams.add_team(s, parse(teams.NewTeam, {"name": "Hove"}), actor=a),
        lambda s, a: teams.set_targets(s, s.merge(w["team"]), parse(teams.TeamTargets, {
            "referral_target_per_month": 5, "job_start_target_per_month": 1}), actor=a),
        lambda s, a: staff.add_staff(s, parse(staff.NewStaff, {
            "slack_user_id": "U0NEW0001", "display_name": "Sam", "role": "admin"}), actor=a),
        lambda s, a: staff.set_role(s, s.merge(w["care_coordinator"]), Role.TEAM_LEADER, actor=a),
        lambda s, a: staff.set_active(s, s.merge(w["care_coordinator"]), False, actor=a),
    ]
    for attempt in attempts:
        with pytest.raises(NotAllowed, match=r"Only these roles can .*: admin\."), \
                db.transaction() as s:
            attempt(s, s.merge(w[role]))
    assert _audit_count(db) == before
    with db.reading() as s:
        assert s.scalar(select(func.count(Team.id))) == 1
        assert s.get(Staff, w["care_coordinator"].id).role == Role.CARE_COORDINATOR


def test_an_admin_cannot_demote_or_switch_off_themselves(db: Database, w) -> None:
    with pytest.raises(NotAllowed, match="your own role"), db.transaction() as s:
        admin = s.merge(w["admin"])
        staff.set_role(s, admin, Role.TEAM_LEADER, w["team"].id, actor=admin)
    with pytest.raises(NotAllowed, match="your own access"), db.transaction() as s:
        admin = s.merge(w["admin"])
        staff.set_active(s, admin, False, actor=admin)
    with db.reading() as s:
        me = s.get(Staff, w["admin"].id)
        assert me.role == Role.ADMIN and me.active


def test_a_switched_off_admin_can_change_nothing(db: Database, w) -> None:
    with db.transaction() as s:
        other = make_staff(s, Role.ADMIN, None)
        staff.set_active(s, s.merge(other), False, actor=s.merge(w["admin"]))
    with pytest.raises(NotAllowed, match="switched off"), db.transaction() as s:
        teams.add_team(s, parse(teams.NewTeam, {"name": "Hove"}), actor=s.merge(other))
