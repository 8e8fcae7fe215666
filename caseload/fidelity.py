"""Fidelity reviews on the 25-item IPS scale: scheduling, scoring, bands and the next review.

Items and bands: IPS-25 (Becker et al. 2008; UK form by the Centre for Mental Health), as
summarised in domain.md. Reviews come every 6 months until a service reaches good
fidelity, then every 12.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from dateutil.relativedelta import relativedelta
from pydantic import AfterValidator, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload import clock
from caseload.access import require_team_lead, sees_all_teams, shares_workspace
from caseload.audit import record_change, snapshot
from caseload.errors import Conflict, InvalidInput, NotAllowed, NotFound
from caseload.models import (
    FidelityActionItem,
    FidelityBand,
    FidelityItemScore,
    FidelityReview,
    Nation,
    ReviewStatus,
    Staff,
    Team,
)
from caseload.validation import Input, clean_free_text, not_in_future
from caseload.working_days import (
    bank_holiday_name,
    is_working_day,
    last_working_day_before,
    next_working_day,
    working_day_on_or_before,
)

FIDELITY_ITEMS: dict[str, str] = {
    "S1": "Caseload size",
    "S2": "Employment services staff",
    "S3": "Vocational generalists",
    "O1": "Integration of rehabilitation with mental health treatment through team assignment",
    "O2": "Integration of rehabilitation with mental health treatment through frequent team "
    "member contact",
    "O3": "Collaboration between employment specialists and benefits and employment agencies",
    "O4": "Vocational unit",
    "O5": "Role of employment supervisor",
    "O6": "Zero exclusion criteria",
    "O7": "Agency focus on competitive employment",
    "O8": "Executive team support for supported employment",
    "V1": "Work incentives planning (benefits counselling)",
    "V2": "Disclosure",
    "V3": "Ongoing, work-based vocational assessment",
    "V4": "Rapid search for competitive job",
    "V5": "Individualised job search",
    "V6": "Job development: frequent employer contact",
    "V7": "Job development: quality of employer contact",
    "V8": "Diversity of job types",
    "V9": "Diversity of employers",
    "V10": "Competitive jobs",
    "V11": "Individualised follow-along supports",
    "V12": "Time-unlimited follow-along supports",
    "V13": "Community-based services",
    "V14": "Assertive engagement and outreach by integrated treatment team",
}
MAX_TOTAL = 5 * len(FIDELITY_ITEMS)


def band_for(total: int) -> FidelityBand:
    """115–125 exemplary; 100–114 good; 74–99 fair; 73 or less not IPS."""
    if not 25 <= total <= MAX_TOTAL:
        raise ValueError(f"a fidelity total is between 25 and {MAX_TOTAL}, not {total}")
    if total >= 115:
        return FidelityBand.EXEMPLARY
    if total >= 100:
        return FidelityBand.GOOD
    if total >= 74:
        return FidelityBand.FAIR
    return FidelityBand.NOT_IPS


def next_review_after(conducted_on: date, band: FidelityBand, nation: Nation) -> date:
    """Six months on until fidelity is good, then a year (domain.md), on a working day of the
    team's nation: a review is not due on a weekend or a bank holiday."""
    months = 12 if band in (FidelityBand.GOOD, FidelityBand.EXEMPLARY) else 6
    return next_working_day(conducted_on + relativedelta(months=months), nation)


Notes = Annotated[str | None, Field(max_length=2000), AfterValidator(clean_free_text)]


class ItemScore(Input):
    code: str
    score: Annotated[int, Field(ge=1, le=5)]
    notes: Notes = None

    @model_validator(mode="after")
    def _known(self) -> ItemScore:
        if self.code not in FIDELITY_ITEMS:
            raise ValueError(f"{self.code!r} is not an item of the 25-item fidelity scale")
        return self


class ActionItem(Input):
    description: Annotated[str, Field(min_length=3, max_length=1000),
                           AfterValidator(clean_free_text)]
    owner_id: int | None = None
    due_on: date


class ScheduleReview(Input):
    team_id: int
    scheduled_for: date
    reviewer_id: int | None = None


class ReviewScores(Input):
    conducted_on: Annotated[date, AfterValidator(not_in_future)]
    items: list[ItemScore]
    actions: list[ActionItem] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> ReviewScores:
        codes = [i.code for i in self.items]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"each item is scored once; scored twice: {', '.join(duplicates)}")
        missing = [c for c in FIDELITY_ITEMS if c not in codes]
        if missing:
            raise ValueError(
                f"a completed review scores all 25 items; {len(missing)} missing: "
                + ", ".join(missing)
            )
        return self


def schedule_review(session: Session, actor: Staff, plan: ScheduleReview) -> FidelityReview:
    team = session.get(Team, plan.team_id)
    if team is None:
        raise InvalidInput.one("team_id", f"there is no team with id {plan.team_id}")
    require_team_lead(actor, team, "schedule a fidelity review")
    if plan.scheduled_for < clock.today():
        raise InvalidInput.one("scheduled_for", "is in the past; schedule reviews ahead")
    if not is_working_day(plan.scheduled_for, team.nation):
        raise InvalidInput.one("scheduled_for", _not_a_working_day(plan.scheduled_for, team.nation))
    if plan.reviewer_id is not None and session.get(Staff, plan.reviewer_id) is None:
        raise InvalidInput.one("reviewer_id", f"there is no staff member with id {plan.reviewer_id}")
    pending = session.scalar(
        select(FidelityReview).where(
            FidelityReview.team_id == plan.team_id,
            FidelityReview.status == ReviewStatus.SCHEDULED,
        )
    )
    if pending is not None:
        raise Conflict(
            f"This team already has a review scheduled for {pending.scheduled_for.isoformat()}; "
            "move that one instead."
        )
    return _add_review(session, actor, plan.team_id, plan.scheduled_for, plan.reviewer_id)


def _not_a_working_day(day: date, nation: Nation) -> str:
    """Why a review cannot be on `day`, in words, with the next day it can be."""
    why = bank_holiday_name(day, nation) or f"a {day:%A}"
    return (f"{day:%A %-d %B %Y} is {why}, not a working day; choose a working day, "
            f"such as {next_working_day(day, nation):%A %-d %B %Y}")


def require_may_score(actor: Staff, review: FidelityReview) -> None:
    """Scoring is for the named reviewer, a regional trainer or an admin."""
    if not ((sees_all_teams(actor) and shares_workspace(actor, review.team))
            or actor.id == review.reviewer_id):
        raise NotAllowed("Only the named reviewer, a regional trainer or an admin can score "
                         "a fidelity review.")


# IPS Grow: the action plan follows within 6 weeks of the review (domain.md).
ACTION_PLAN_DUE = relativedelta(weeks=6)
ACTION_ITEM_LIMIT = 5


def action_items_for(items: list[ItemScore], conducted_on: date,
                     limit: int = ACTION_ITEM_LIMIT) -> list[ActionItem]:
    """The lowest-scoring items as action items, lowest first (ties in the scale's order).

    At most `limit`; an item scored 5 needs no action. Each is due when the action plan is.
    """
    order = list(FIDELITY_ITEMS)
    lowest = sorted((i for i in items if i.score < 5), key=lambda i: (i.score, order.index(i.code)))
    return [ActionItem(description=f"{i.code} {FIDELITY_ITEMS[i.code]}: scored {i.score} of 5. "
                                   "Agree in the action plan how to raise it.",
                       due_on=conducted_on + ACTION_PLAN_DUE)
            for i in lowest[:limit]]


def score_review(
    session: Session, actor: Staff, review_id: int, scores: ReviewScores
) -> FidelityReview:
    """Record all 25 scores, total and band, action items, and schedule the next review."""
    review = session.get(FidelityReview, review_id)
    if review is None:
        raise NotFound(f"There is no fidelity review with id {review_id}.")
    require_may_score(actor, review)
    if review.status == ReviewStatus.COMPLETED:
        raise Conflict("This review is already scored.")
    for index, action in enumerate(scores.actions):
        if action.owner_id is not None and session.get(Staff, action.owner_id) is None:
            raise InvalidInput.one(f"actions.{index}.owner_id",
                                   f"there is no staff member with id {action.owner_id}")
        if action.due_on < scores.conducted_on:
            raise InvalidInput.one(f"actions.{index}.due_on", "is before the review took place")

    before = snapshot(review)
    total = sum(item.score for item in scores.items)
    band = band_for(total)
    review.status = ReviewStatus.COMPLETED
    review.conducted_on = scores.conducted_on
    review.total = total
    review.band = band
    review.next_review_due = next_review_after(scores.conducted_on, band, review.team.nation)
    if review.reviewer_id is None:
        review.reviewer_id = actor.id
    order = list(FIDELITY_ITEMS)
    for item in sorted(scores.items, key=lambda i: order.index(i.code)):
        review.items.append(FidelityItemScore(item_code=item.code, score=item.score,
                                              notes=item.notes))
    for action in scores.actions:
        review.actions.append(FidelityActionItem(description=action.description,
                                                 owner_id=action.owner_id, due_on=action.due_on))
    record_change(session, actor=actor, action="score_review", record=review, before=before)

    _add_review(session, None, review.team_id, review.next_review_due, review.reviewer_id)
    return review


def _add_review(session: Session, actor: Staff | None, team_id: int, on: date,
                reviewer_id: int | None) -> FidelityReview:
    """A scheduled review, audited (actor None: the system scheduling the next one)."""
    review = FidelityReview(team_id=team_id, scheduled_for=on, reviewer_id=reviewer_id,
                            status=ReviewStatus.SCHEDULED)
    session.add(review)
    record_change(session, actor=actor, action="schedule_review", record=review, before=None)
    return review


def upcoming_review(session: Session, team_id: int) -> FidelityReview | None:
    return session.scalar(
        select(FidelityReview).where(
            FidelityReview.team_id == team_id, FidelityReview.status == ReviewStatus.SCHEDULED
        ).order_by(FidelityReview.scheduled_for)
    )


def get_review(session: Session, review_id: int) -> FidelityReview | None:
    """The review with this id, or None when it is no longer there."""
    return session.get(FidelityReview, review_id)


def latest_completed_review(session: Session, team_id: int) -> FidelityReview | None:
    return session.scalar(
        select(FidelityReview).where(
            FidelityReview.team_id == team_id, FidelityReview.status == ReviewStatus.COMPLETED
        ).order_by(FidelityReview.conducted_on.desc())
    )


# IPS Grow's preparation timeline before a review (domain.md), with the day-before nudge.
PREPARATION_STEPS: tuple[tuple[str, relativedelta], ...] = (
    ("10 weeks", relativedelta(weeks=10)),
    ("2 months", relativedelta(months=2)),
    ("1 month", relativedelta(months=1)),
    ("3 weeks", relativedelta(weeks=3)),
    ("2 weeks", relativedelta(weeks=2)),
    ("1 day", relativedelta(days=1)),
)
DAY_BEFORE = "1 day"


def preparation_dates(scheduled_for: date, nation: Nation = Nation.ENGLAND
                      ) -> list[tuple[str, date]]:
    """When to remind the team leader and reviewer before a review, earliest first.

    Every step falls on a working day of the team's nation: one that would land on a weekend
    or bank holiday comes on the working day before, never late. The day-before step falls on
    the last working day before the review (the Friday before a Monday review), never on the
    review day itself.
    """
    return [(label, last_working_day_before(scheduled_for, nation) if label == DAY_BEFORE
             else working_day_on_or_before(scheduled_for - step, nation))
            for label, step in PREPARATION_STEPS]


def scheduled_reviews(session: Session) -> list[FidelityReview]:
    """Every review still to be held, whenever it is due: each may need a preparation
    reminder, or an overdue one."""
    return list(session.scalars(select(FidelityReview).where(
        FidelityReview.status == ReviewStatus.SCHEDULED)))


def mark_action_done(session: Session, actor: Staff, action_id: int,
                     on: date | None = None) -> FidelityActionItem:
    """An action item done (today unless `on`), by its owner or the team's leader; audited.
    Done, it is reminded no more."""
    item = session.get(FidelityActionItem, action_id, with_for_update=True)
    if item is None:
        raise NotFound("That fidelity action is no longer on record.")
    if actor.id != item.owner_id:
        require_team_lead(actor, item.review.team, "mark a fidelity action done")
    if item.done_on is not None:
        raise Conflict(f"That action was already marked done on {item.done_on:%-d %B %Y}.")
    before = snapshot(item)
    item.done_on = on or clock.today()
    record_change(session, actor=actor, action="fidelity_action_done", record=item, before=before)
    return item


def action_items_due_near(session: Session, today: date,
                          days: int = 7) -> list[tuple[FidelityActionItem, int]]:
    """The action items not done and due within `days` of `today` or overdue, each with its
    review's team id: the ones to remind their owner (or team leaders) of, and the overdue
    ones to remind team leaders of every week until they are done."""
    rows = session.execute(
        select(FidelityActionItem, FidelityReview.team_id)
        .join(FidelityReview, FidelityActionItem.review_id == FidelityReview.id)
        .where(FidelityActionItem.done_on.is_(None),
               FidelityActionItem.due_on <= today + timedelta(days=days)))
    return [(item, team_id) for item, team_id in rows]
