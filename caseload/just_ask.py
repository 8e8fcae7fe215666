"""Weekly "just ask" answers: how many clients a clinician asked about work, said yes, referred."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from pydantic import Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload import clock
from caseload.access import require_active
from caseload.errors import InvalidInput
from caseload.models import JustAskResponse, Staff, utcnow
from caseload.validation import Input

Count = Annotated[int, Field(ge=0, le=500)]


def week_starting(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


class JustAskAnswer(Input):
    week_of: date | None = Field(default=None, description="Any day in the week; default this week")
    asked_count: Count
    said_yes_count: Count = 0
    referred_count: Count = 0

    @model_validator(mode="after")
    def _consistent(self) -> JustAskAnswer:
        if self.said_yes_count > self.asked_count:
            raise ValueError("said_yes_count cannot be more than asked_count")
        if self.referred_count > self.said_yes_count:
            raise ValueError("referred_count cannot be more than said_yes_count")
        return self


def record_just_ask(session: Session, actor: Staff, answer: JustAskAnswer) -> JustAskResponse:
    """Record (or correct) the actor's answer for a week; one row per person per week."""
    require_active(actor)
    week = week_starting(answer.week_of or clock.today())
    if week > clock.today():
        raise InvalidInput.one("week_of", "that week has not started yet")
    row = session.scalar(
        select(JustAskResponse).where(
            JustAskResponse.staff_id == actor.id, JustAskResponse.week_starting == week
        )
    )
    if row is None:
        row = JustAskResponse(staff_id=actor.id, team_id=actor.team_id, week_starting=week)
        session.add(row)
    row.asked_count = answer.asked_count
    row.said_yes_count = answer.said_yes_count
    row.referred_count = answer.referred_count
    row.answered_at = utcnow()
    session.flush()
    return row


def who_answered(session: Session, week: date) -> set[int]:
    """The ids of the staff who answered the just-ask for the week starting `week`: they get
    no follow-up."""
    return set(session.scalars(select(JustAskResponse.staff_id).where(
        JustAskResponse.week_starting == week)))
