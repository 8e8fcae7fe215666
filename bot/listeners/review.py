"""`/ips review`: schedule the team's fidelity review, or score it over several modal pages.

Each page is a view submission: its scores are checked (errors beside the item) and carried
forward in private_metadata by `response_action: update`. Only the last page writes, in one
transaction, once per view id; Back (a button) goes through views.update and keeps what was
chosen on the page it leaves.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.listeners.common import refuse_in_modal, tell_privately
from bot.listeners.dispatch import Invocation, open_modal
from bot.listeners.submissions import save_and_confirm
from bot.modal_input import Values, submitted, values_of
from bot.views.review import (
    PAGES,
    REVIEW_BACK,
    REVIEW_PAGE,
    REVIEW_SCHEDULE,
    REVIEW_START,
    REVIEW_SUMMARY,
    SCHEDULE,
    SCORE,
    Draft,
    TeamChoice,
    Upcoming,
    review_saved,
    review_scheduled,
    review_start_modal,
    schedule_modal,
    score_page,
    summary_page,
)
from caseload import clock
from caseload.access import require_role, require_workspace, sees_all_teams
from caseload.db import Database, Session
from caseload.errors import CaseloadError, Conflict, FieldError, InvalidInput, NotAllowed, UnknownUser
from caseload.evidence import fidelity_evidence
from caseload.fidelity import (
    ItemScore,
    ReviewScores,
    ScheduleReview,
    action_items_for,
    band_for,
    get_review,
    mark_action_done,
    next_review_after,
    require_may_score,
    schedule_review,
    score_review,
    upcoming_review,
)
from caseload.models import FidelityReview, ReviewStatus, Role, Staff, Team
from caseload.staff import get_staff, staff_by_slack_id
from caseload.teams import get_team, team_by_name, teams_in_workspace
from caseload.validation import parse
from messaging.views import Message
from messaging.views.fidelity import ACTION_DONE

log = logging.getLogger("bot.review")

REVIEW_ROLES = (Role.TEAM_LEADER, Role.REGIONAL_TRAINER, Role.ADMIN)
WHAT = "schedule or score fidelity reviews"
START_BLOCKS = {"team": "team", "team_id": "team", "action": "action"}
SCHEDULE_BLOCKS = {"scheduled_for": "scheduled_for", "reviewer_id": "reviewer",
                   "reviewer": "reviewer", "team_id": "scheduled_for"}
SUMMARY_BLOCKS = {"conducted_on": "conducted_on"}


def review_command(inv: Invocation) -> None:
    """`/ips review [schedule|score]`: the first page, for those who review."""
    choice = inv.words[0].lower() if inv.words else None
    open_modal(inv, lambda session, actor: _start_view(session, actor, choice))


def _start_view(session: Session, actor: Staff, choice: str | None) -> View:
    require_role(actor, REVIEW_ROLES, WHAT)
    if sees_all_teams(actor):
        teams = teams_in_workspace(session, actor)
        if not teams:
            raise Conflict("There are no teams yet, so there is no review to schedule or score.")
    else:
        if actor.team_id is None:
            raise NotAllowed("You are not in a team, so there is no team review for you.")
        teams = [get_team(session, actor.team_id)]
    upcoming = None
    if len(teams) == 1:
        review = upcoming_review(session, teams[0].id)
        if review is not None:
            reviewer = get_staff(session, review.reviewer_id) if review.reviewer_id else None
            upcoming = Upcoming(review.scheduled_for, reviewer.display_name if reviewer else None)
    return review_start_modal([TeamChoice(t.id, t.name) for t in teams], upcoming,
                              choice if choice in (SCHEDULE, SCORE) else None)


def _chosen_team(session: Session, actor: Staff, view: dict[str, Any]) -> Team:
    """A team leader's own team; for those who see every team, the one they picked."""
    if not sees_all_teams(actor):
        if actor.team_id is None:
            raise NotAllowed("You are not in a team, so there is no team review for you.")
        return get_team(session, actor.team_id)
    values = values_of(view)
    given = submitted(values, "team") if "team" in values else view.get("private_metadata")
    if not given:
        raise InvalidInput.one("team", "choose a team")
    try:
        if "team" in values and "selected_option" not in values["team"].get("value", {}):
            team = team_by_name(session, str(given).strip())
        else:
            team = get_team(session, int(given))
        require_workspace(actor, team, "review teams")
    except (CaseloadError, ValueError) as exc:
        raise InvalidInput.one("team", str(exc) or "choose a team") from None
    return team


def _open_review(session: Session, actor: Staff, team: Team) -> FidelityReview:
    review = upcoming_review(session, team.id)
    if review is None:
        raise InvalidInput.one("action", f"{team.name} has no fidelity review scheduled: "
                                         "schedule one first.")
    require_may_score(actor, review)
    return review


def _render(session: Session, draft: Draft) -> View:
    """The page the draft is on: a page of items, or the total before saving."""
    review = get_review(session, draft.review_id)
    if review is None or review.team_id != draft.team_id:
        raise Conflict("That fidelity review is no longer there; start again with /ips review.")
    if review.status == ReviewStatus.COMPLETED:
        raise Conflict("This review is already scored.")
    team = get_team(session, review.team_id)
    today = clock.today()
    if draft.page < len(PAGES):
        evidence = {item.code: item for item in fidelity_evidence(session, team.id, today)}
        return score_page(draft, team.name, review.scheduled_for, evidence)
    conducted_on = min(review.scheduled_for, today)
    band = band_for(draft.total)
    actions = action_items_for(_item_scores(draft), conducted_on)
    return summary_page(draft, team.name, band, next_review_after(conducted_on, band, team.nation), actions,
                        conducted_on)


def _item_scores(draft: Draft) -> list[ItemScore]:
    return [ItemScore(code=code, score=score) for code, score in draft.scores.items()]


def page_scores(values: Values, codes: tuple[str, ...]) -> dict[str, int]:
    """This page's scores, each 1 to 5; every error names the item's block."""
    scores: dict[str, int] = {}
    errors: list[FieldError] = []
    for code in codes:
        given = submitted(values, code)
        try:
            scores[code] = parse(ItemScore, {"code": code, "score": given}).score
        except InvalidInput:
            errors.append(FieldError(code, "choose a score from 1 to 5"))
    if errors:
        raise InvalidInput(errors)
    return scores


def _kept_scores(values: Values, codes: tuple[str, ...]) -> dict[str, int]:
    """What was chosen on a page being left by Back; unfinished items are simply not kept."""
    kept = {}
    for code in codes:
        given = submitted(values, code)
        if given is not None and str(given).isdigit() and 1 <= int(given) <= 5:
            kept[code] = int(given)
    return kept


def _schedule(session: Session, actor: Staff, view: dict[str, Any]) -> Message:
    values = values_of(view)
    reviewer: Staff | None = None
    chosen = submitted(values, "reviewer")
    if chosen:
        try:
            reviewer = staff_by_slack_id(session, chosen)
        except UnknownUser:
            raise InvalidInput.one("reviewer", "is not set up in IPS Assist yet: ask an admin to "
                                               "add them first") from None
        if not reviewer.active:
            raise InvalidInput.one("reviewer", "has had their IPS Assist access switched off")
    plan = parse(ScheduleReview, {"team_id": int(view["private_metadata"]),
                                  "scheduled_for": submitted(values, "scheduled_for"),
                                  "reviewer_id": reviewer.id if reviewer else None})
    review = schedule_review(session, actor, plan)
    team = get_team(session, review.team_id)
    return review_scheduled(team.name, review.scheduled_for,
                            reviewer.display_name if reviewer else None)


def _save(session: Session, actor: Staff, view: dict[str, Any]) -> Message:
    """All 25 scores, the total, band and action items, written together."""
    draft = Draft.from_metadata(view["private_metadata"])
    items = [{"code": code, "score": score} for code, score in draft.scores.items()]
    scores = parse(ReviewScores, {"conducted_on": submitted(values_of(view), "conducted_on"),
                                  "items": items})
    # The action items are the service's: the lowest-scoring items, due with the action plan.
    scores = scores.model_copy(update={"actions": action_items_for(scores.items, scores.conducted_on)})
    review = score_review(session, actor, draft.review_id, scores)
    return review_saved(get_team(session, review.team_id).name, review)


def start_submitted(database: Database, ack: Ack, body: dict[str, Any]) -> None:
    """The first page: on to scheduling, or to the first page of scores."""
    view = body["view"]
    try:
        with database.reading() as session:
            actor = staff_by_slack_id(session, body["user"]["id"])
            require_role(actor, REVIEW_ROLES, WHAT)
            team = _chosen_team(session, actor, view)
            if submitted(values_of(view), "action") == SCHEDULE:
                following = schedule_modal(team.id, team.name, clock.today())
            else:
                review = _open_review(session, actor, team)
                following = _render(session, Draft(review.id, team.id))
    except CaseloadError as exc:
        refuse_in_modal(ack, exc, START_BLOCKS, "action")
        return
    ack(response_action="update", view=following)


def schedule_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, _schedule, SCHEDULE_BLOCKS, "scheduled_for")


def page_submitted(database: Database, ack: Ack, body: dict[str, Any]) -> None:
    """A page of scores: checked, then carried forward to the next page."""
    view = body["view"]
    draft = Draft.from_metadata(view["private_metadata"])
    codes = PAGES[min(draft.page, len(PAGES) - 1)]
    try:
        scores = page_scores(values_of(view), codes)
        with database.reading() as session:
            following = _render(session, draft.with_scores(scores).at(draft.page + 1))
    except CaseloadError as exc:
        refuse_in_modal(ack, exc, {code: code for code in codes}, codes[0])
        return
    ack(response_action="update", view=following)


def summary_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, _save, SUMMARY_BLOCKS, "conducted_on")


def back_pressed(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Back: the previous page, keeping what was chosen on this one."""
    ack()
    view = body["view"]
    draft = Draft.from_metadata(view["private_metadata"])
    if draft.page < len(PAGES):
        draft = draft.with_scores(_kept_scores(values_of(view), PAGES[draft.page]))
    try:
        with database.reading() as session:
            previous = _render(session, draft.at(max(draft.page - 1, 0)))
    except CaseloadError as exc:
        log.info("fidelity review Back for %s: %s", body["user"]["id"], exc)
        return
    client.views_update(view_id=view["id"], hash=view.get("hash"), view=previous)


def action_done_pressed(database: Database, ack: Ack, body: dict[str, Any],
                        client: WebClient) -> None:
    """"Mark done" on an action item's reminder: at once, saying so privately (a second press
    finds it done and says when)."""
    ack()
    try:
        with database.transaction() as session:
            actor = staff_by_slack_id(session, body["user"]["id"])
            item = mark_action_done(session, actor, int(body["actions"][0]["value"]))
            text = f"Marked done: {item.description}. No more reminders about it."
    except (CaseloadError, ValueError) as exc:
        text = str(exc) if isinstance(exc, CaseloadError) else "That action is not known."
    tell_privately(client, body, text)


def register(app: App, database: Database) -> None:
    app.action(ACTION_DONE)(partial(action_done_pressed, database))
    app.view(REVIEW_START)(partial(start_submitted, database))
    app.view(REVIEW_SCHEDULE)(partial(schedule_submitted, database))
    app.view(REVIEW_PAGE)(partial(page_submitted, database))
    app.view(REVIEW_SUMMARY)(partial(summary_submitted, database))
    app.action(REVIEW_BACK)(partial(back_pressed, database))
