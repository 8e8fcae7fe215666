"""Several threads writing at once (Bolt's listener pool, the clock) neither fail nor lose work."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from caseload.db import Database
from caseload.models import Client, Role
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
