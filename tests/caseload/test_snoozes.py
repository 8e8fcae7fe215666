"""Snoozes and hold expiry, which the reminders clock honours."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from caseload import clients, clock
from caseload.audit import history
from caseload.db import Database
from caseload.errors import Conflict, InvalidInput, NotAllowed
from caseload.models import Client, ClientStatus, Role
from caseload.snoozes import Snooze, snooze_nudges, snoozed_client_ids
from caseload.validation import parse
from tests.factories import make_staff, make_team, refer


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Snooze")
        out = {"team": team, "leader": make_staff(s, Role.TEAM_LEADER, team),
               "cc": make_staff(s, Role.CARE_COORDINATOR, team),
               "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
               "es2": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)}
        client = refer(s, out["cc"], team, "SNZ-1", received_on=clock.today() - timedelta(40))
        clients.accept(s, out["leader"], client, on=clock.today() - timedelta(39),
                       specialist_id=out["es"].id)
        out["client"] = client
    return out


def test_snooze_lasts_its_days_and_is_audited(db, w) -> None:
    with db.transaction() as s:
        row = snooze_nudges(s, s.merge(w["es"]), s.get(Client, w["client"].id),
                            parse(Snooze, {"days": 7, "reason": "interview next week"}))
    today = clock.today()
    with db.reading() as s:
        assert snoozed_client_ids(s, today) == {w["client"].id}
        assert snoozed_client_ids(s, today + timedelta(days=6)) == {w["client"].id}
        assert snoozed_client_ids(s, today + timedelta(days=7)) == set()
        assert [r.action for r in history(s, "client_snoozes", row.id)] == ["snooze"]


def test_snooze_needs_a_reason_and_a_sensible_length() -> None:
    with pytest.raises(InvalidInput) as err:
        parse(Snooze, {"reason": ""})
    assert err.value.errors[0].field == "reason"
    with pytest.raises(InvalidInput) as err:
        parse(Snooze, {"reason": "busy", "days": 60})
    assert err.value.errors[0].field == "days"


def test_only_the_clients_specialist_snoozes_and_only_when_looking(db, w) -> None:
    snooze = parse(Snooze, {"reason": "busy week"})
    with pytest.raises(NotAllowed), db.transaction() as s:
        snooze_nudges(s, s.merge(w["es2"]), s.get(Client, w["client"].id), snooze)
    with db.transaction() as s:
        clients.discharge(s, s.merge(w["es"]), s.get(Client, w["client"].id),
                          parse(clients.Discharge, {"reason": "moved"}))
    with pytest.raises(Conflict, match="only clients looking for work"), db.transaction() as s:
        snooze_nudges(s, s.merge(w["es"]), s.get(Client, w["client"].id), snooze)


def test_holds_expire_on_their_date_back_to_the_previous_status(db, w) -> None:
    with db.transaction() as s:
        clients.put_on_hold(s, s.merge(w["es"]), s.get(Client, w["client"].id), parse(
            clients.Hold, {"reason": "in hospital", "until": clock.today() + timedelta(days=3)}))
    with db.transaction() as s:
        assert clients.expire_holds(s, clock.today() + timedelta(days=2)) == []
    with time_machine.travel(clock.today() + timedelta(days=3)), db.transaction() as s:
        expired = clients.expire_holds(s, clock.today())
        assert [c.reference for c in expired] == ["SNZ-1"]
    with db.reading() as s:
        client = s.get(Client, w["client"].id)
        assert client.status == ClientStatus.ACCEPTED
        last = history(s, "clients", client.id)[-1]
        assert last.action == "resume" and last.actor_id is None
