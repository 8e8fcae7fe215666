"""An action item's reminder has a "Mark done" button: its owner or a team leader marks it
done (no more reminders), anyone else is told why not, and a second press says when."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload import clock
from caseload.db import Database
from caseload.models import AuditLog, FidelityActionItem, FidelityReview, ReviewStatus, Role
from tests.bot.driver import eventually, press
from tests.factories import make_staff, make_team


@pytest.fixture
def w(db: Database) -> dict:
    with db.transaction() as s:
        team = make_team(s, "Newhaven")
        people = {role.value: make_staff(s, role, team) for role in (
            Role.TEAM_LEADER, Role.CARE_COORDINATOR, Role.EMPLOYMENT_SPECIALIST)}
        review = FidelityReview(team_id=team.id, status=ReviewStatus.COMPLETED,
                                scheduled_for=clock.today() - timedelta(days=60),
                                conducted_on=clock.today() - timedelta(days=60))
        review.actions.append(FidelityActionItem(
            description="Weekly employer contact targets", due_on=clock.today() - timedelta(14),
            owner_id=people[Role.EMPLOYMENT_SPECIALIST.value].id))
        s.add(review)
        s.flush()
        return {**people, "action": review.actions[0].id}


def _replies(fake, user_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.args["text"] for c in fake.successful("chat.postEphemeral")
            if c.args["user"] == user_id]


def _done_on(db: Database, action_id: int):  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return s.get(FidelityActionItem, action_id).done_on


def test_a_care_coordinator_is_refused_and_the_leader_marks_it_done_once(db, w, slack) -> None:
    url, fake = slack
    cc, leader = w["care_coordinator"].slack_user_id, w["team_leader"].slack_user_id
    press(url, cc, "fidelity_action_done", w["action"])
    eventually(fake, "chat.postEphemeral")
    assert _replies(fake, cc) == [
        "Only the team leader (or a regional trainer or admin) can mark a fidelity action done."]
    assert _done_on(db, w["action"]) is None
    press(url, leader, "fidelity_action_done", w["action"])
    eventually(fake, "chat.postEphemeral", count=2)
    press(url, leader, "fidelity_action_done", w["action"])
    eventually(fake, "chat.postEphemeral", count=3)
    today = clock.today()
    assert _replies(fake, leader) == [
        "Marked done: Weekly employer contact targets. No more reminders about it.",
        f"That action was already marked done on {today:%-d %B %Y}."]
    assert _done_on(db, w["action"]) == today
    with db.reading() as s:
        assert s.scalars(select(AuditLog.action).where(
            AuditLog.action == "fidelity_action_done")).all() == ["fidelity_action_done"]


def test_the_owner_may_mark_their_own_action_done(db, w, slack) -> None:
    url, fake = slack
    press(url, w["employment_specialist"].slack_user_id, "fidelity_action_done", w["action"])
    eventually(fake, "chat.postEphemeral")
    assert _done_on(db, w["action"]) == clock.today()
