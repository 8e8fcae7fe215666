"""Once-only claims: a retried delivery writes nothing twice, and a failed write frees the key."""

import pytest
from sqlalchemy import func, select

from caseload.db import Database
from caseload.idempotency import claim
from caseload.models import IdempotencyKey


def test_first_claim_wins_and_later_ones_see_it_taken(db: Database) -> None:
    with db.transaction() as s:
        assert claim(s, "event:Ev123")
    with db.transaction() as s:
        assert not claim(s, "event:Ev123")
        assert claim(s, "event:Ev124")


def test_a_rolled_back_write_releases_its_claim(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as s:
        assert claim(s, "view:V1")
        raise RuntimeError("the write after the claim failed")
    with db.transaction() as s:
        assert claim(s, "view:V1")


def test_concurrent_claims_on_two_connections_give_one_winner(db: Database) -> None:
    first = db.engine.connect()
    try:
        from sqlalchemy.orm import Session

        with Session(bind=first) as s1:
            assert claim(s1, "action:double-click")
            s1.commit()
        with db.transaction() as s2:
            assert not claim(s2, "action:double-click")
        with db.reading() as s:
            assert s.scalar(select(func.count(IdempotencyKey.id))) == 1
    finally:
        first.close()


def test_overlong_keys_are_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="255"), db.transaction() as s:
        claim(s, "x" * 256)
