"""Two Slack workspaces (two trusts) in one database: trainers and admins see only their own.

Team A works in workspace T0AAAA and team B in T0BBBB; team S has no workspace, as every team
of a single-token install has, so it is shared. A trainer or admin with no workspace (added
at the command line) still sees everything.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from caseload import clock, staff, teams
from caseload.access import workspace_teams
from caseload.calculations import (
    CalculationRecord,
    inputs_digest,
    list_calculations,
    record_calculation,
    record_for_reference,
)
from caseload.clients import accept, find_client, get_client, list_clients
from caseload.contacts import NewEmployerContact, record_employer_contact
from caseload.db import Database
from caseload.errors import InvalidInput, NotAllowed, NotFound
from caseload.fidelity import ScheduleReview, require_may_score, schedule_review
from caseload.models import AuditLog, Client, EmployerContact, FidelityReview, Role, Staff
from caseload.periods import month
from caseload.reports import outcomes_report_for
from caseload.validation import parse
from caseload.working_days import next_working_day
from tests.factories import make_staff, make_team, refer

A, B = "T0AAAA", "T0BBBB"
IN_A_MONTH = next_working_day(clock.today() + timedelta(days=30))


@pytest.fixture
def trusts(db: Database) -> dict[str, int]:
    """Ids of everything, so each test reads fresh rows in its own session."""
    long_ago = clock.today() - timedelta(days=60)
    with db.transaction() as s:
        team_a = make_team(s, "Alpha", slack_team_id=A)
        team_b = make_team(s, "Bravo", slack_team_id=B)
        shared = make_team(s, "Shared")
        ids = {"team_a": team_a.id, "team_b": team_b.id, "shared": shared.id}
        for name, team in (("a", team_a), ("b", team_b), ("s", shared)):
            cc = make_staff(s, Role.CARE_COORDINATOR, team)
            advisor = make_staff(s, Role.BENEFITS_ADVISOR, team)
            client = refer(s, cc, team, f"REF{name.upper()}1", received_on=long_ago)
            record_calculation(s, advisor, parse(CalculationRecord, {
                "tax_year": "2026-27", "inputs_digest": inputs_digest({"t": name}),
                "better_off_per_month": Decimal("100"), "client_id": client.id}))
            ids[f"client_{name}"] = client.id
        for role in (Role.REGIONAL_TRAINER, Role.ADMIN):
            key = role.value
            ids[f"{key}_a"] = make_staff(s, role, None, workspace=A).id
            ids[f"{key}_b"] = make_staff(s, role, None, workspace=B).id
            ids[f"{key}_none"] = make_staff(s, role, None).id
    return ids


def _refs(clients) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.reference for c in clients}


@pytest.mark.parametrize("role", [Role.REGIONAL_TRAINER, Role.ADMIN])
def test_lists_reports_and_calculations_hold_only_the_own_workspace(db, trusts, role) -> None:
    with db.reading() as s:
        a, b, anyone = (s.get(Staff, trusts[f"{role.value}_{w}"]) for w in ("a", "b", "none"))
        assert _refs(list_clients(s, a)) == {"REFA1", "REFS1"}
        assert _refs(list_clients(s, b)) == {"REFB1", "REFS1"}
        assert _refs(list_clients(s, anyone)) == {"REFA1", "REFB1", "REFS1"}
        if role == Role.REGIONAL_TRAINER:  # reports are for trainers and team leaders
            report = outcomes_report_for(s, a, month(clock.today()))
            assert [t.team_name for t in report.teams] == ["Alpha", "Shared"]
            assert report.totals.better_off.done == 2  # one saved per team
        calc_teams = {c.team_id for c in list_calculations(s, b)}
        assert calc_teams == {trusts["team_b"], trusts["shared"]}


@pytest.mark.parametrize("role", [Role.REGIONAL_TRAINER, Role.ADMIN])
def test_the_other_workspaces_clients_are_refused_by_reference_and_by_id(db, trusts, role) -> None:
    with db.reading() as s:
        a = s.get(Staff, trusts[f"{role.value}_a"])
        with pytest.raises(NotFound, match="No client REFB1"):
            find_client(s, a, "refb1")
        assert find_client(s, a, "REFS1").id == trusts["client_s"]
        assert find_client(s, s.get(Staff, trusts[f"{role.value}_none"]), "REFB1")
    with db.transaction() as s:
        a = s.get(Staff, trusts[f"{role.value}_a"])
        with pytest.raises(NotAllowed, match="see clients within your own Slack workspace; "
                                             "REFB1 is not"):
            get_client(s, a, trusts["client_b"])
        with pytest.raises(NotAllowed, match="accept a referral within your own Slack workspace"):
            accept(s, a, s.get_one(Client, trusts["client_b"]))


def test_acts_on_the_other_workspaces_teams_are_refused_and_write_nothing(db, trusts) -> None:
    before = _row_counts(db)
    for act, message in [
        (lambda s, t: refer(s, t, s.get(teams.Team, trusts["team_b"]), "NEW1"),
         "You can only make referrals within your own Slack workspace."),
        (lambda s, t: record_employer_contact(s, t, parse(NewEmployerContact, {
            "employer": "Tesco", "contacted_on": clock.today(), "face_to_face": True,
            "team_id": trusts["team_b"]})),
         "You can only log job development within your own Slack workspace."),
        (lambda s, t: schedule_review(s, t, parse(ScheduleReview, {
            "team_id": trusts["team_b"], "scheduled_for": IN_A_MONTH})),
         "You can only schedule a fidelity review within your own Slack workspace."),
        (lambda s, t: record_for_reference(s, t, "REFB1", "2026-27", {"x": 1}, Decimal("5")),
         "there is no client REFB1 in your Slack workspace's teams"),
    ]:
        with pytest.raises((NotAllowed, InvalidInput), match=message), db.transaction() as s:
            act(s, s.get(Staff, trusts["regional_trainer_a"]))
    assert _row_counts(db) == before
    # The same acts on the shared team are allowed.
    with db.transaction() as s:
        trainer = s.get(Staff, trusts["regional_trainer_a"])
        refer(s, trainer, s.get(teams.Team, trusts["shared"]), "NEW1")
        review = schedule_review(s, trainer, parse(ScheduleReview, {
            "team_id": trusts["shared"], "scheduled_for": IN_A_MONTH}))
        require_may_score(trainer, review)
        other = schedule_review(s, s.get(Staff, trusts["regional_trainer_b"]), parse(
            ScheduleReview, {"team_id": trusts["team_b"],
                             "scheduled_for": IN_A_MONTH}))
        with pytest.raises(NotAllowed, match="Only the named reviewer"):
            require_may_score(trainer, other)


def test_admins_manage_only_their_own_workspaces_teams_and_people(db, trusts) -> None:
    with db.transaction() as s:
        admin_a = s.get(Staff, trusts["admin_a"])
        team_b = s.get(teams.Team, trusts["team_b"])
        targets = parse(teams.TeamTargets, {"referral_target_per_month": 9,
                                            "job_start_target_per_month": 3})
        with pytest.raises(NotAllowed, match="change a team's targets within your own Slack"):
            teams.set_targets(s, team_b, targets, actor=admin_a)
        with pytest.raises(NotAllowed, match="switch someone's access off or on within"):
            staff.set_active(s, s.get(Staff, trusts["admin_b"]), False, actor=admin_a)
        with pytest.raises(NotAllowed, match="add staff within your own Slack workspace"):
            staff.add_staff(s, parse(staff.NewStaff, {
                "slack_user_id": "U0NEWPERSON", "display_name": "New", "role": "care_coordinator",
                "team_id": team_b.id, "slack_team_id": A}), actor=admin_a)
        mover = s.get(Staff, trusts["regional_trainer_a"])
        with pytest.raises(NotAllowed, match="move someone into a team within your own"):
            staff.set_role(s, mover, Role.TEAM_LEADER, team_b.id, actor=admin_a)
        assert team_b.referral_target_per_month == 0 and mover.role == Role.REGIONAL_TRAINER
        # Their own workspace's and the shared team are theirs to change.
        teams.set_targets(s, s.get(teams.Team, trusts["shared"]), targets, actor=admin_a)
        staff.set_role(s, mover, Role.TEAM_LEADER, trusts["team_a"], actor=admin_a)
        assert [t.name for t in teams.list_teams(s, workspace_teams(admin_a))] == [
            "Alpha", "Shared"]


def _row_counts(db: Database) -> dict[str, int]:
    with db.reading() as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m))
                for m in (AuditLog, Client, EmployerContact, FidelityReview)}
