"""The caseload guard: accepting or assigning a client onto a specialist with 20 or more active
clients, or more than 15% of them in-work (job retention) clients, shows the number and needs
confirming."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from caseload import clients, clock
from caseload.db import Database
from caseload.errors import NotAllowed
from caseload.models import Client, ClientStatus, Role
from tests.factories import make_staff, make_team, refer

TODAY = clock.today()


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Hastings")
        w = {"team": team, "leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "full": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Tom"),
             "room": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Ann")}
    return w


def _load(db, w, who: str, seeking: int, retention: int = 0, held: int = 0,
          working: int = 0) -> None:
    """Give `who` a caseload directly: the guard reads what is there, however it got there.
    `retention`: in work when referred; `working`: helped into work by IPS (in-work support)."""
    with db.transaction() as s:
        rows = ([(ClientStatus.JOB_SEEKING, False)] * seeking
                + [(ClientStatus.ACCEPTED, True)] * retention
                + [(ClientStatus.ON_HOLD, False)] * held + [(ClientStatus.IN_WORK, False)] * working)
        for n, (status, in_work_at_referral) in enumerate(rows):
            s.add(Client(team_id=w["team"].id, reference=f"{who[:3].upper()}-{n}",
                         referral_received_on=date(2026, 1, 5), status=status,
                         consent_recorded=True, specialist_id=w[who].id,
                         in_work_at_referral=in_work_at_referral))


def _referral(db, w, reference="NEW-1"):
    with db.transaction() as s:
        return refer(s, s.merge(w["cc"]), s.merge(w["team"]), reference,
                     received_on=TODAY - timedelta(days=3))


def test_accepting_onto_a_caseload_of_20_shows_the_number_and_needs_confirming(db, w) -> None:
    _load(db, w, "full", 15, retention=2, held=3, working=3)  # on hold is not active
    client = _referral(db, w)
    with db.transaction() as s, pytest.raises(clients.OverCaseload) as refused:
        clients.accept(s, s.merge(w["leader"]), s.get(Client, client.id),
                       specialist_id=w["full"].id)
    assert str(refused.value) == (
        "Tom already has 20 active clients, 2 of them in work when referred (10%); IPS asks for "
        "20 or fewer, with no more than 15% in-work (job retention) clients. Confirm to go ahead.")
    assert refused.value.load.active == 20
    with db.reading() as s:
        assert s.get(Client, client.id).status == ClientStatus.REFERRED
    with db.transaction() as s:
        clients.accept(s, s.merge(w["leader"]), s.get(Client, client.id),
                       specialist_id=w["full"].id, confirm_over=True)
    with db.reading() as s:
        stored = s.get(Client, client.id)
        assert (stored.status, stored.specialist_id) == (ClientStatus.ACCEPTED, w["full"].id)


def test_19_active_with_few_in_work_goes_through_without_a_question(db, w) -> None:
    # 10.5% retention; the 4 IPS helped into work are in-work support, within the 20.
    _load(db, w, "room", 13, retention=2, working=4)
    client = _referral(db, w)
    with db.transaction() as s:
        clients.accept(s, s.merge(w["leader"]), s.get(Client, client.id),
                       specialist_id=w["room"].id)


def test_more_than_15_percent_job_retention_clients_also_asks(db, w) -> None:
    _load(db, w, "room", 5, retention=1)  # 1 of 6: 17%
    client = _referral(db, w)
    with db.transaction() as s:
        clients.accept(s, s.merge(w["leader"]), s.get(Client, client.id))
    with db.transaction() as s, pytest.raises(clients.OverCaseload, match="1 of them in work when"):
        clients.assign(s, s.merge(w["leader"]), s.get(Client, client.id), w["room"].id)
    with db.reading() as s:
        assert s.get(Client, client.id).specialist_id is None
    with db.transaction() as s:
        clients.assign(s, s.merge(w["leader"]), s.get(Client, client.id), w["room"].id,
                       confirm_over=True)


def test_reassigning_counts_the_caseload_without_the_client_itself(db, w) -> None:
    _load(db, w, "room", 19)
    client = _referral(db, w)
    with db.transaction() as s:
        clients.accept(s, s.merge(w["leader"]), s.get(Client, client.id),
                       specialist_id=w["room"].id, confirm_over=False)
        # Ann now holds 20, this client included: assigning it to her again changes nothing.
        clients.assign(s, s.merge(w["leader"]), s.get(Client, client.id), w["room"].id)
    with db.transaction() as s, pytest.raises(clients.OverCaseload, match="Ann already has 20"):
        other = refer(s, s.merge(w["cc"]), s.merge(w["team"]), "NEW-2")
        clients.accept(s, s.merge(w["leader"]), other, specialist_id=w["room"].id)


@pytest.mark.parametrize("who", ["cc", "full"])
def test_only_a_team_leader_reassigns(db, w, who) -> None:
    client = _referral(db, w)
    with db.transaction() as s:
        clients.accept(s, s.merge(w["leader"]), s.get(Client, client.id),
                       specialist_id=w["room"].id)
    with db.transaction() as s, pytest.raises(NotAllowed):
        clients.assign(s, s.merge(w[who]), s.get(Client, client.id), w["full"].id,
                       confirm_over=True)


def test_the_team_leaders_choice_lists_each_specialist_with_their_caseload(db, w) -> None:
    _load(db, w, "full", 21, retention=4)
    _load(db, w, "room", 3)
    with db.reading() as s:
        loads = clients.team_loads(s, w["team"].id)
    assert [(load.name, load.active, load.job_retention, load.over) for load in loads] == [
        ("Ann", 3, 0, False), ("Tom", 25, 4, True)]
