"""Employer contacts and the four-week rule built on them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseload import clients, clock
from caseload.audit import history
from caseload.contacts import NewEmployerContact, record_employer_contact
from caseload.db import Database
from caseload.errors import Conflict, InvalidInput, NotAllowed
from caseload.models import Client, ClientStatus, EmployerContact, Role
from caseload.overdue import overdue_for_employer_contact
from caseload.validation import parse
from tests.factories import make_staff, make_team, refer

TODAY = clock.today()


def days_ago(n: int):
    return TODAY - timedelta(days=n)


@pytest.fixture
def team(db: Database):
    with db.transaction() as s:
        team = make_team(s, "North")
        other = make_team(s, "South")
        people = {
            "team": team,
            "other": other,
            "leader": make_staff(s, Role.TEAM_LEADER, team),
            "cc": make_staff(s, Role.CARE_COORDINATOR, team),
            "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
            "es2": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
            "other_es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, other),
        }
    return people


def _job_seeker(db, t, reference, accepted_days_ago, specialist="es"):
    with db.transaction() as s:
        client = refer(s, t["cc"], t["team"], reference, received_on=days_ago(accepted_days_ago + 2))
        clients.accept(s, t["leader"], client, on=days_ago(accepted_days_ago),
                       specialist_id=t[specialist].id)
        clients.start_job_search(s, t[specialist], client, on=days_ago(accepted_days_ago))
    return client


def _contact(db, actor, client_id, on, face_to_face=True, employer="Tesco Hove"):
    with db.transaction() as s:
        return record_employer_contact(s, s.merge(actor), parse(NewEmployerContact, {
            "employer": employer, "contacted_on": on, "face_to_face": face_to_face,
            "client_id": client_id}))


def test_face_to_face_contact_is_recorded_audited_and_moves_the_clock(db, team) -> None:
    client = _job_seeker(db, team, "CON-1", 40)
    contact = _contact(db, team["es"], client.id, days_ago(3))
    with db.reading() as s:
        stored = s.get(EmployerContact, contact.id)
        assert stored.team_id == team["team"].id and stored.staff_id == team["es"].id
        assert s.get(Client, client.id).last_face_to_face_contact_on == days_ago(3)
        assert [r.action for r in history(s, "employer_contacts", contact.id)] == ["record_contact"]
        client_actions = [r.action for r in history(s, "clients", client.id)]
        assert client_actions[-1] == "employer_contact"


def test_phone_contact_does_not_reset_the_four_week_clock(db, team) -> None:
    client = _job_seeker(db, team, "CON-2", 40)
    _contact(db, team["es"], client.id, days_ago(1), face_to_face=False)
    with db.reading() as s:
        assert s.get(Client, client.id).last_face_to_face_contact_on is None
        overdue = overdue_for_employer_contact(s, TODAY)
    assert [o.reference for o in overdue] == ["CON-2"]


def test_an_older_contact_logged_late_does_not_move_the_clock_back(db, team) -> None:
    client = _job_seeker(db, team, "CON-3", 40)
    _contact(db, team["es"], client.id, days_ago(2))
    _contact(db, team["es"], client.id, days_ago(10))
    with db.reading() as s:
        assert s.get(Client, client.id).last_face_to_face_contact_on == days_ago(2)


def test_the_first_face_to_face_date_is_the_earliest_whatever_order_they_are_logged_in(
        db, team) -> None:
    client = _job_seeker(db, team, "CON-4", 40)

    def first():  # type: ignore[no-untyped-def]
        with db.reading() as s:
            return s.get(Client, client.id).first_face_to_face_contact_on

    _contact(db, team["es"], client.id, days_ago(5), face_to_face=False)
    assert first() is None  # a phone call is not meeting an employer
    _contact(db, team["es"], client.id, days_ago(3))
    _contact(db, team["es"], client.id, days_ago(1))
    assert first() == days_ago(3)
    _contact(db, team["es"], client.id, days_ago(20))  # logged late: it came first
    assert first() == days_ago(20)


def test_the_first_contact_for_an_accepted_client_starts_their_job_search(db, team) -> None:
    with db.transaction() as s:
        client = refer(s, team["cc"], team["team"], "CON-4", received_on=days_ago(12))
        clients.accept(s, team["leader"], client, on=days_ago(10), specialist_id=team["es"].id)
    _contact(db, team["es"], client.id, days_ago(6), face_to_face=False)
    _contact(db, team["es"], client.id, days_ago(2))
    with db.reading() as s:
        stored = s.get(Client, client.id)
        assert (stored.status, stored.job_search_started_on) == (ClientStatus.JOB_SEEKING,
                                                                 days_ago(6))
        changes = [r.after for r in history(s, "clients", client.id)
                   if r.action == "employer_contact"]
    # The phone call starts the search; the face-to-face visit only moves the four-week clock
    # (and, being the first, is the client's first meeting with an employer).
    assert changes == [{"job_search_started_on": days_ago(6).isoformat(), "status": "job_seeking"},
                       {"first_face_to_face_contact_on": days_ago(2).isoformat(),
                        "last_face_to_face_contact_on": days_ago(2).isoformat()}]


def test_general_job_development_needs_no_client(db, team) -> None:
    with db.transaction() as s:
        row = record_employer_contact(s, s.merge(team["es"]), parse(NewEmployerContact, {
            "employer": "Brighton Council", "contacted_on": TODAY, "face_to_face": True}))
    assert row.client_id is None and row.team_id == team["team"].id


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"contacted_on": TODAY + timedelta(days=1)}, "contacted_on", "future"),
        ({"employer": ""}, "employer", "at least 2"),
        ({"notes": "client NHS 943 476 5919"}, "notes", "NHS number"),
    ],
)
def test_bad_contacts_are_refused_naming_the_field(change, field, message) -> None:
    data = {"employer": "Tesco", "contacted_on": TODAY, "face_to_face": True, **change}
    with pytest.raises(InvalidInput) as err:
        parse(NewEmployerContact, data)
    assert err.value.errors[0].field == field
    assert message in str(err.value)


def test_contact_before_the_referral_is_refused_and_nothing_written(db, team) -> None:
    client = _job_seeker(db, team, "CON-4", 5)
    with pytest.raises(InvalidInput) as err:
        _contact(db, team["es"], client.id, days_ago(30))
    assert err.value.errors[0].field == "contacted_on"
    with db.reading() as s:
        assert s.scalar(select(func.count(EmployerContact.id))) == 0
        assert s.get(Client, client.id).last_face_to_face_contact_on is None


def test_only_the_clients_specialist_or_leader_logs_contacts(db, team) -> None:
    client = _job_seeker(db, team, "CON-5", 5)
    with pytest.raises(NotAllowed, match="caseload"):
        _contact(db, team["es2"], client.id, TODAY)
    with pytest.raises(NotAllowed, match="Only these roles"):
        _contact(db, team["cc"], client.id, TODAY)
    _contact(db, team["leader"], client.id, TODAY)


def test_contact_for_discharged_client_is_refused(db, team) -> None:
    client = _job_seeker(db, team, "CON-6", 5)
    with db.transaction() as s:
        clients.discharge(s, s.merge(team["es"]), s.get(Client, client.id),
                          parse(clients.Discharge, {"reason": "found work alone"}))
    with pytest.raises(Conflict, match="discharged"):
        _contact(db, team["es"], client.id, TODAY)


def test_four_week_rule_boundary_is_more_than_28_days(db, team) -> None:
    _job_seeker(db, team, "D28", 28)
    _job_seeker(db, team, "D29", 29)
    with db.reading() as s:
        overdue = overdue_for_employer_contact(s, TODAY)
    assert [(o.reference, o.days_without_contact, o.days_overdue) for o in overdue] == [
        ("D29", 29, 1)
    ]


def test_contact_within_four_weeks_clears_and_the_clock_restarts(db, team) -> None:
    client = _job_seeker(db, team, "RST-1", 90)
    _contact(db, team["es"], client.id, days_ago(20))
    with db.reading() as s:
        assert overdue_for_employer_contact(s, TODAY) == []
        # Ten days on, the same contact is 30 days old.
        later = overdue_for_employer_contact(s, TODAY + timedelta(days=10))
    assert [(o.reference, o.since, o.days_without_contact) for o in later] == [
        ("RST-1", days_ago(20), 30)
    ]


def test_only_clients_looking_for_work_can_be_overdue(db, team) -> None:
    held = _job_seeker(db, team, "HELD", 60)
    discharged = _job_seeker(db, team, "GONE", 60)
    _job_seeker(db, team, "LATE", 60)
    with db.transaction() as s:
        refer(s, team["cc"], team["team"], "NEW", received_on=days_ago(60))  # not yet accepted
        clients.put_on_hold(s, s.merge(team["es"]), s.get(Client, held.id),
                            parse(clients.Hold, {"reason": "unwell"}))
        clients.discharge(s, s.merge(team["es"]), s.get(Client, discharged.id),
                          parse(clients.Discharge, {"reason": "moved"}))
    with db.reading() as s:
        assert [o.reference for o in overdue_for_employer_contact(s, TODAY)] == ["LATE"]


def test_overdue_filters_by_specialist_team_and_actor(db, team) -> None:
    _job_seeker(db, team, "ES1-A", 40, specialist="es")
    _job_seeker(db, team, "ES2-A", 50, specialist="es2")
    with db.reading() as s:
        assert [o.reference for o in overdue_for_employer_contact(s, TODAY)] == ["ES2-A", "ES1-A"]
        mine = overdue_for_employer_contact(s, TODAY, specialist_id=team["es"].id)
        assert [o.reference for o in mine] == ["ES1-A"]
        assert overdue_for_employer_contact(s, TODAY, team_id=team["other"].id) == []
        seen = overdue_for_employer_contact(s, TODAY, actor=s.merge(team["other_es"]))
        assert seen == []
