"""`/ips caseload`: each person sees their own clients, overdue ones flagged, nobody else's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseload import clients, clock
from caseload.db import Database
from caseload.models import Role
from tests.bot.driver import slash
from tests.factories import make_staff, make_team, refer


@pytest.fixture
def w(db: Database):
    today = clock.today()
    with db.transaction() as s:
        team = make_team(s, "Rye")
        w = {"leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
             "es2": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)}
        late = refer(s, w["cc"], team, "RY-LATE", received_on=today - timedelta(days=40))
        clients.accept(s, w["leader"], late, on=today - timedelta(days=35),
                       specialist_id=w["es"].id)
        fresh = refer(s, w["cc"], team, "RY-NEW", received_on=today - timedelta(days=3))
        clients.accept(s, w["leader"], fresh, on=today - timedelta(days=2),
                       specialist_id=w["es"].id)
        refer(s, w["cc"], team, "RY-WAIT")
    return w


def _text(body: dict) -> str:
    return "\n".join(b["text"]["text"] for b in body["blocks"] if b["type"] == "section")


def test_specialist_sees_their_caseload_with_the_overdue_flagged(db, w, slack) -> None:
    url, _ = slack
    body = slash(url, w["es"].slack_user_id, "caseload").json()
    assert body["response_type"] == "ephemeral"
    assert body["text"] == "Your caseload: 2 open, 1 overdue for an employer contact."
    text = _text(body)
    assert "*RY-LATE*: :warning: 35 days without an employer contact" in text
    assert "*RY-NEW*" in text and "RY-WAIT" not in text


def test_coordinator_sees_their_referrals_including_those_waiting(db, w, slack) -> None:
    url, _ = slack
    text = _text(slash(url, w["cc"].slack_user_id, "caseload").json())
    assert "*Waiting to be accepted* (1)" in text and "RY-WAIT" in text


def test_an_empty_caseload_says_what_to_do(db, w, slack) -> None:
    url, _ = slack
    body = slash(url, w["es2"].slack_user_id, "caseload").json()
    assert body["text"] == ("Your caseload: nobody yet. Refer someone who would like work "
                            "with /ips refer.")
