"""The referral journey and its access rules, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from caseload import clients, clock
from caseload.audit import history
from caseload.db import Database
from caseload.errors import Conflict, InvalidInput, NotAllowed, NotFound
from caseload.models import AuditLog, Client, ClientStatus, Role
from caseload.validation import parse
from tests.factories import make_staff, make_team, refer


@pytest.fixture
def world(db: Database):
    """Two teams, each with a leader, two coordinators and two specialists."""
    with db.transaction() as s:
        out = {}
        for key in ("a", "b"):
            team = make_team(s, f"Team {key.upper()}")
            out[key] = {
                "team": team,
                "leader": make_staff(s, Role.TEAM_LEADER, team),
                "cc1": make_staff(s, Role.CARE_COORDINATOR, team),
                "cc2": make_staff(s, Role.CARE_COORDINATOR, team),
                "es1": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
                "es2": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
                "advisor": make_staff(s, Role.BENEFITS_ADVISOR, team),
            }
        out["trainer"] = make_staff(s, Role.REGIONAL_TRAINER, None)
        out["admin"] = make_staff(s, Role.ADMIN, None)
    return out


def _counts(db: Database) -> tuple[int, int]:
    with db.reading() as s:
        return (s.scalar(select(func.count(Client.id))) or 0,
                s.scalar(select(func.count(AuditLog.id))) or 0)


def test_care_coordinator_refers_and_is_the_default_coordinator(db, world) -> None:
    a = world["a"]
    with db.transaction() as s:
        client = refer(s, a["cc1"], a["team"], "abc-001", work_preferences="Retail, mornings")
    with db.reading() as s:
        stored = s.get(Client, client.id)
        assert stored.reference == "ABC-001"
        assert stored.status == ClientStatus.REFERRED
        assert stored.care_coordinator_id == a["cc1"].id
        assert stored.referral_received_on == clock.today()
        assert stored.consent_recorded
        rows = history(s, "clients", client.id)
        assert [r.action for r in rows] == ["refer"]
        assert rows[0].actor_id == a["cc1"].id
        assert rows[0].before is None
        assert rows[0].after["reference"] == "ABC-001"


@pytest.mark.parametrize(
    ("reference", "expected"),
    [("943 476 5919", "NHS number"), ("12/03/1985", "date"), ("no", "3 to 20")],
)
def test_bad_reference_is_refused_naming_the_field_and_nothing_is_written(
    db, world, reference, expected
) -> None:
    a = world["a"]
    before = _counts(db)
    with pytest.raises(InvalidInput) as err, db.transaction() as s:
        refer(s, a["cc1"], a["team"], reference)
    assert err.value.errors[0].field == "reference"
    assert expected in str(err.value)
    assert _counts(db) == before


def test_referral_without_consent_is_refused(db, world) -> None:
    a = world["a"]
    with pytest.raises(InvalidInput) as err:
        parse(clients.Referral, {"reference": "ABC1", "team_id": a["team"].id,
                                 "consent_recorded": False})
    assert err.value.errors[0].field == "consent_recorded"
    assert "consent" in str(err.value)


def test_future_referral_date_is_refused(db, world) -> None:
    with pytest.raises(InvalidInput) as err:
        parse(clients.Referral, {"reference": "ABC1", "team_id": world["a"]["team"].id,
                                 "consent_recorded": True,
                                 "received_on": clock.today() + timedelta(days=1)})
    assert err.value.errors[0].field == "received_on"
    assert "future" in str(err.value)


def test_unknown_fields_are_refused(db, world) -> None:
    # A front end that tried to send a name would be stopped here.
    with pytest.raises(InvalidInput) as err:
        parse(clients.Referral, {"reference": "ABC1", "team_id": 1, "consent_recorded": True,
                                 "client_name": "someone"})
    assert err.value.errors[0].field == "client_name"


def test_duplicate_open_referral_in_a_team_is_refused_and_nothing_changes(db, world) -> None:
    a, b = world["a"], world["b"]
    with db.transaction() as s:
        refer(s, a["cc1"], a["team"], "DUP-1")
    before = _counts(db)
    with pytest.raises(Conflict, match="already has an open referral"), db.transaction() as s:
        refer(s, a["cc2"], a["team"], "dup-1")
    assert _counts(db) == before
    # The same reference in another team is another person's local reference.
    with db.transaction() as s:
        refer(s, b["cc1"], b["team"], "DUP-1")


def test_discharge_then_re_refer_opens_a_linked_episode(db, world) -> None:
    a = world["a"]
    with db.transaction() as s:
        first = refer(s, a["cc1"], a["team"], "EP-1", received_on=clock.today() - timedelta(30))
        clients.discharge(s, a["cc1"], first, parse(clients.Discharge, {"reason": "moved away"}))
    with db.transaction() as s:
        old = s.get(Client, first.id)
        actor = s.merge(a["cc1"])
        new = clients.re_refer(s, actor, old, parse(clients.ReReferral, {"consent_recorded": True}))
    with db.reading() as s:
        assert s.get(Client, first.id).status == ClientStatus.DISCHARGED
        again = s.get(Client, new.id)
        assert again.status == ClientStatus.REFERRED
        assert again.previous_episode_id == first.id
        assert again.reference == "EP-1"
        actions = [r.action for r in history(s, "clients", first.id)]
        assert actions == ["refer", "discharge"]


def test_re_refer_of_an_open_client_is_refused(db, world) -> None:
    a = world["a"]
    with db.transaction() as s:
        client = refer(s, a["cc1"], a["team"], "OPEN-1")
    with pytest.raises(Conflict, match="only a discharged client"), db.transaction() as s:
        clients.re_refer(s, s.merge(a["cc1"]), s.get(Client, client.id),
                         parse(clients.ReReferral, {"consent_recorded": True}))


def test_accept_assign_and_reassign_are_audited(db, world) -> None:
    a = world["a"]
    with db.transaction() as s:
        client = refer(s, a["cc1"], a["team"], "ACC-1", received_on=clock.today() - timedelta(3))
        clients.accept(s, a["leader"], client, specialist_id=a["es1"].id)
        clients.assign(s, a["leader"], client, a["es2"].id)
    with db.reading() as s:
        stored = s.get(Client, client.id)
        assert stored.status == ClientStatus.ACCEPTED
        assert stored.accepted_on == clock.today()
        assert stored.specialist_id == a["es2"].id
        rows = history(s, "clients", client.id)
        assert [r.action for r in rows] == ["refer", "accept", "reassign"]
        assert rows[2].before == {"specialist_id": a["es1"].id}
        assert rows[2].after == {"specialist_id": a["es2"].id}


def test_assigned_specialist_may_accept_but_a_coordinator_may_not(db, world) -> None:
    a = world["a"]
    with db.transaction() as s:
        client = refer(s, a["cc1"], a["team"], "ACC-2", specialist_id=a["es1"].id)
    with pytest.raises(NotAllowed, match="team leader"), db.transaction() as s:
        clients.accept(s, a["cc1"], s.get(Client, client.id))
    with db.transaction() as s:
        clients.accept(s, a["es1"], s.get(Client, client.id))


def test_assigning_someone_who_is_not_a_specialist_of_the_team_is_refused(db, world) -> None:
    a, b = world["a"], world["b"]
    with db.transaction() as s:
        client = refer(s, a["cc1"], a["team"], "ASG-1")
    for wrong, message in ((a["cc2"], "not an employment specialist"),
                           (b["es1"], "not in this client's team")):
        with pytest.raises(InvalidInput) as err, db.transaction() as s:
            clients.assign(s, a["leader"], s.get(Client, client.id), wrong.id)
        assert err.value.errors[0].field == "specialist_id"
        assert message in str(err.value)
    with db.reading() as s:
        assert s.get(Client, client.id).specialist_id is None


def test_accept_date_before_referral_is_refused(db, world) -> None:
    a = world["a"]
    with db.transaction() as s:
        client = refer(s, a["cc1"], a["team"], "ACC-3", received_on=clock.today() - timedelta(2))
    with pytest.raises(InvalidInput) as err, db.transaction() as s:
        clients.accept(s, a["leader"], s.get(Client, client.id),
                       on=clock.today() - timedelta(5))
    assert err.value.errors[0].field == "accepted_on"
    with db.reading() as s:
        assert s.get(Client, client.id).status == ClientStatus.REFERRED


def test_hold_and_resume_return_to_the_previous_status(db, world) -> None:
    a = world["a"]
    with db.transaction() as s:
        client = refer(s, a["cc1"], a["team"], "HOLD-1")
        clients.accept(s, a["leader"], client, specialist_id=a["es1"].id)
        clients.start_job_search(s, a["es1"], client)
        clients.put_on_hold(s, a["es1"], client, parse(clients.Hold, {
            "reason": "in hospital", "until": clock.today() + timedelta(days=14)}))
    with db.reading() as s:
        held = s.get(Client, client.id)
        assert held.status == ClientStatus.ON_HOLD
        assert held.status_before_hold == ClientStatus.JOB_SEEKING
    with db.transaction() as s:
        clients.resume(s, s.merge(a["es1"]), s.get(Client, client.id))
    with db.reading() as s:
        back = s.get(Client, client.id)
        assert back.status == ClientStatus.JOB_SEEKING
        assert back.hold_reason is None and back.hold_until is None


def test_hold_until_today_or_earlier_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        parse(clients.Hold, {"reason": "away", "until": clock.today()})
    assert err.value.errors[0].field == "until"


def test_discharging_twice_is_refused(db, world) -> None:
    a = world["a"]
    with db.transaction() as s:
        client = refer(s, a["cc1"], a["team"], "DIS-1")
        clients.discharge(s, a["cc1"], client, parse(clients.Discharge, {"reason": "declined"}))
    with pytest.raises(Conflict, match="already discharged"), db.transaction() as s:
        clients.discharge(s, s.merge(a["cc1"]), s.get(Client, client.id),
                          parse(clients.Discharge, {"reason": "declined"}))


def test_who_sees_which_clients(db, world) -> None:
    a, b = world["a"], world["b"]
    with db.transaction() as s:
        mine = refer(s, a["cc1"], a["team"], "VIS-1")
        clients.accept(s, a["leader"], mine, specialist_id=a["es1"].id)
        refer(s, a["cc2"], a["team"], "VIS-2")
        refer(s, b["cc1"], b["team"], "VIS-3")
    with db.reading() as s:
        def refs(actor):
            return sorted(c.reference for c in clients.list_clients(s, s.merge(actor)))

        assert refs(a["cc1"]) == ["VIS-1"]
        assert refs(a["cc2"]) == ["VIS-2"]
        assert refs(a["es1"]) == ["VIS-1"]
        assert refs(a["es2"]) == []
        assert refs(a["leader"]) == ["VIS-1", "VIS-2"]
        assert refs(b["leader"]) == ["VIS-3"]
        assert refs(a["advisor"]) == []
        assert refs(world["trainer"]) == ["VIS-1", "VIS-2", "VIS-3"]
        assert refs(world["admin"]) == ["VIS-1", "VIS-2", "VIS-3"]


def test_refusals_say_what_is_not_allowed(db, world) -> None:
    a, b = world["a"], world["b"]
    with db.transaction() as s:
        client = refer(s, a["cc1"], a["team"], "REF-1")
    cases = [
        (a["cc2"], "only discharge your own referrals"),
        (a["es1"], "only discharge clients on your caseload"),
        (b["leader"], "only discharge clients of your own team"),
        (a["advisor"], "Benefits advisors cannot discharge client records"),
    ]
    for actor, message in cases:
        with pytest.raises(NotAllowed, match=message), db.transaction() as s:
            clients.discharge(s, s.merge(actor), s.get(Client, client.id),
                              parse(clients.Discharge, {"reason": "test"}))
    with db.reading() as s:
        assert s.get(Client, client.id).status == ClientStatus.REFERRED


def test_referring_into_another_team_is_refused(db, world) -> None:
    with pytest.raises(NotAllowed, match="own team"), db.transaction() as s:
        refer(s, world["a"]["cc1"], world["b"]["team"], "XT-1")


def test_inactive_staff_can_do_nothing(db, world) -> None:
    a = world["a"]
    with db.transaction() as s:
        client = refer(s, a["cc1"], a["team"], "OFF-1")
        cc = s.merge(a["cc1"])
        cc.active = False
    with pytest.raises(NotAllowed, match="switched off"), db.transaction() as s:
        clients.discharge(s, s.merge(cc), s.get(Client, client.id),
                          parse(clients.Discharge, {"reason": "test"}))


def test_find_client_by_reference_respects_access(db, world) -> None:
    a = world["a"]
    with db.transaction() as s:
        refer(s, a["cc1"], a["team"], "FIND-1")
    with db.reading() as s:
        assert clients.find_client(s, s.merge(a["cc1"]), "find-1").reference == "FIND-1"
        with pytest.raises(NotAllowed):
            clients.find_client(s, s.merge(a["cc2"]), "FIND-1")
        with pytest.raises(NotFound):
            clients.find_client(s, s.merge(a["cc1"]), "NOPE-1")


def test_notes_with_an_nhs_number_are_refused(db, world) -> None:
    with pytest.raises(InvalidInput) as err:
        parse(clients.Referral, {"reference": "ABC1", "team_id": 1, "consent_recorded": True,
                                 "work_preferences": "NHS 943 476 5919 wants retail"})
    assert err.value.errors[0].field == "work_preferences"


def test_referral_date_defaults_to_london_today(db, world) -> None:
    a = world["a"]
    with db.transaction() as s:
        client = refer(s, a["cc1"], a["team"], "DATE-1")
    assert client.referral_received_on == clock.today()
    assert isinstance(client.referral_received_on, date)
