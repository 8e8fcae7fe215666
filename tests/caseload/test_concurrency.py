"""Several threads writing at once (Bolt's listener pool, the clock) neither fail nor lose work."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from caseload.db import Database
from caseload.models import AuditLog, Client, Role
from tests.factories import make_staff, make_team, refer


def test_parallel_referrals_all_land(db: Database) -> None:
    with db.transaction() as s:
        team = make_team(s, "Parallel")
        coordinators = [make_staff(s, Role.CARE_COORDINATOR, team) for _ in range(4)]

    def work(index: int) -> None:
        for n in range(10):
            with db.transaction() as s:
                refer(s, s.merge(coordinators[index]), s.merge(team), f"PAR-{index}-{n}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(work, i) for i in range(4)]:
            future.result()
    with db.reading() as s:
        assert s.scalar(select(func.count(Client.id))) == 40


def test_racing_duplicate_referrals_leave_exactly_one(db: Database) -> None:
    from caseload.errors import Conflict

    with db.transaction() as s:
        team = make_team(s, "Race")
        coordinators = [make_staff(s, Role.CARE_COORDINATOR, team) for _ in range(4)]
    outcomes: list[str] = []

    def attempt(index: int) -> None:
        try:
            with db.transaction() as s:
                refer(s, s.merge(coordinators[index]), s.merge(team), "SAME-1")
            outcomes.append("stored")
        except Conflict:
            outcomes.append("refused")

    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(attempt, i) for i in range(4)]:
            future.result()
    assert sorted(outcomes) == ["refused", "refused", "refused", "stored"]
    with db.reading() as s:
        assert s.scalar(select(func.count(Client.id))) == 1


def test_two_people_taking_a_client_off_hold_at_once_resume_it_once(db: Database) -> None:
    """Both read the client on hold before either writes; the second must see the first's
    change (the service locks the row on PostgreSQL; SQLite's writers take turns)."""
    import contextlib
    import threading

    from caseload import clients
    from caseload.errors import Conflict
    from caseload.models import ClientStatus
    from caseload.validation import parse

    with db.transaction() as s:
        team = make_team(s, "Hold race")
        leader = make_staff(s, Role.TEAM_LEADER, team)
        client = refer(s, leader, team, "HOLD-1")
        clients.accept(s, leader, client)
        clients.put_on_hold(s, leader, client, parse(clients.Hold, {"reason": "in hospital"}))
        client_id = client.id
    both_read = threading.Barrier(2)
    outcomes: list[str] = []

    def press() -> None:
        try:
            with db.transaction() as s:
                seen = s.get(Client, client_id)
                assert seen is not None and seen.status == ClientStatus.ON_HOLD
                # On SQLite the other is still waiting to begin, so the barrier gives up.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait(timeout=2)
                clients.resume(s, s.merge(leader), seen)
            outcomes.append("resumed")
        except Conflict:
            outcomes.append("refused")
        except AssertionError:
            outcomes.append("saw it resumed already")

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(press) for _ in range(2)]:
            future.result()
    assert sorted(outcomes) in (["refused", "resumed"], ["resumed", "saw it resumed already"])
    with db.reading() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.action == "resume")).all()
        assert len(rows) == 1
