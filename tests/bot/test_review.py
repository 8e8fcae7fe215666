"""`/ips review`: schedule a fidelity review, or score all 25 items over several modal pages."""

from __future__ import annotations

import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests
from sqlalchemy import func, select

from bot.views.review import PAGES, REVIEW_BACK, Draft, score_page, summary_page
from caseload import clients, clock
from caseload.contacts import NewEmployerContact, record_employer_contact
from caseload.db import Database
from caseload.evidence import EvidenceItem
from caseload.fidelity import (
    FIDELITY_ITEMS,
    ItemScore,
    ScheduleReview,
    action_items_for,
    schedule_review,
)
from caseload.models import (
    FidelityActionItem,
    FidelityBand,
    FidelityItemScore,
    FidelityReview,
    ReviewStatus,
    Role,
)
from caseload.validation import parse
from caseload.working_days import next_working_day
from tests.bot.driver import eventually, interaction, opened_view, slash, submit
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import check_view

TODAY = clock.today()
# Lowest five, in order: O6 (1), V4 (2), V6 (2), S2 (3), O3 (3); V10 (3) is sixth.
LOW = {"O6": 1, "V4": 2, "V6": 2, "S2": 3, "O3": 3, "V10": 3}
TOTAL = sum(LOW.get(code, 4) for code in FIDELITY_ITEMS)  # 90: fair


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Seaford")
        make_team(s, "Brighton")
        w = {"team": team,
             "leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
             "trainer": make_staff(s, Role.REGIONAL_TRAINER, None, name="Rhian Trainer")}
        c = refer(s, w["cc"], team, "SF-1", received_on=TODAY - timedelta(days=20))
        clients.accept(s, w["leader"], c, on=TODAY - timedelta(days=19), specialist_id=w["es"].id)
        record_employer_contact(s, w["es"], parse(NewEmployerContact, {
            "employer": "Waitrose", "contacted_on": TODAY - timedelta(days=5),
            "face_to_face": True, "client_id": c.id}))
    return w


@pytest.fixture
def scheduled(db: Database, w):
    with db.transaction() as s:
        review = schedule_review(s, w["leader"], ScheduleReview(
            team_id=w["team"].id, scheduled_for=next_working_day(TODAY),
            reviewer_id=w["trainer"].id))
    return review


def _option(kind: str, value: str) -> dict:
    return {"value": {"type": kind, "selected_option": {"value": value}}}


def _date(day: date) -> dict:
    return {"value": {"type": "datepicker", "selected_date": day.isoformat()}}


def _next(answer: requests.Response) -> dict:
    """The page a submission moved to: `response_action: update`, within Slack's limits."""
    body = answer.json()
    assert body["response_action"] == "update", body
    view = body["view"]
    check_view(view)  # the fake Slack's Block Kit checks: blocks, texts, private_metadata
    return view


def _page_values(codes: tuple[str, ...]) -> dict:
    return {code: _option("static_select", str(LOW.get(code, 4))) for code in codes}


def _start(url: str, fake, user: str, values: dict, view_id: str = "V0001") -> requests.Response:
    slash(url, user, "review")
    return submit(url, user, opened_view(fake), values, view_id=view_id)


def _score_pages(url: str, user: str, view: dict, view_id: str = "V0001") -> dict:
    """Every page in turn; returns the summary page."""
    for number, codes in enumerate(PAGES):
        assert view["callback_id"] == "fidelity_review_page"
        assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == list(codes)
        assert ("Back" in str(view["blocks"][-1])) == (number > 0)
        view = _next(submit(url, user, view, _page_values(codes), view_id=view_id))
    assert view["callback_id"] == "fidelity_review_summary"
    return view


def _reviews(db: Database) -> list[FidelityReview]:
    with db.reading() as s:
        return list(s.scalars(select(FidelityReview).order_by(FidelityReview.id)))


def test_a_team_leader_schedules_the_teams_review(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["leader"].slack_user_id, "review")
    first = opened_view(fake)  # views.open went through the fake's checks
    assert first["callback_id"] == "fidelity_review_start"
    assert "Seaford" in str(first["blocks"][0]) and "No fidelity review" in str(first["blocks"][0])
    assert "team" not in [b.get("block_id") for b in first["blocks"]]  # their own team only
    form = _next(submit(url, w["leader"].slack_user_id, first,
                        {"action": _option("radio_buttons", "schedule")}))
    assert form["callback_id"] == "fidelity_review_schedule"
    day = next_working_day(TODAY + timedelta(days=70))
    answer = submit(url, w["leader"].slack_user_id, form, {
        "scheduled_for": _date(day),
        "reviewer": {"value": {"type": "users_select", "selected_user": w["trainer"].slack_user_id}}})
    assert answer.text == ""
    [review] = _reviews(db)
    assert (review.team_id, review.scheduled_for, review.reviewer_id, review.status) == (
        w["team"].id, day, w["trainer"].id, ReviewStatus.SCHEDULED)
    [done] = eventually(fake, "chat.postMessage")
    assert done.args["channel"] == w["leader"].slack_user_id
    assert "Seaford" in done.args["text"] and "Rhian Trainer" in done.args["text"]


def test_scheduling_errors_are_shown_beside_the_field(db, w, scheduled, slack) -> None:
    url, fake = slack
    form = _next(_start(url, fake, w["leader"].slack_user_id,
                        {"action": _option("radio_buttons", "schedule")}))
    past = submit(url, w["leader"].slack_user_id, form, {"scheduled_for": _date(TODAY - timedelta(days=1))})
    assert past.json() == {"response_action": "errors",
                           "errors": {"scheduled_for": "is in the past; schedule reviews ahead"}}
    stranger = submit(url, w["leader"].slack_user_id, form, {
        "scheduled_for": _date(next_working_day(TODAY + timedelta(days=9))),
        "reviewer": {"value": {"type": "users_select", "selected_user": "U99999999"}}})
    assert stranger.json()["errors"] == {
        "reviewer": "is not set up in IPS Assist yet: ask an admin to add them first"}
    twice = submit(url, w["leader"].slack_user_id, form,
                   {"scheduled_for": _date(next_working_day(TODAY + timedelta(days=9)))})
    assert "already has a review scheduled" in twice.json()["errors"]["scheduled_for"]
    assert len(_reviews(db)) == 1


def test_a_trainer_scores_all_25_items_over_the_pages(db, w, scheduled, slack) -> None:
    url, fake = slack
    user = w["trainer"].slack_user_id
    slash(url, user, "review score")
    first = opened_view(fake)
    team_select = next(b for b in first["blocks"] if b.get("block_id") == "team")
    assert [o["text"]["text"] for o in team_select["element"]["options"]] == ["Brighton", "Seaford"]
    page = _next(submit(url, user, first, {"team": _option("static_select", str(w["team"].id)),
                                           "action": _option("radio_buttons", "score")}))
    evidence = {b["block_id"]: b["elements"][0]["text"] for b in page["blocks"]
                if b.get("block_id", "").startswith("evidence_")}
    assert evidence["evidence_S1"].startswith("*Evidence from records:* 1.0 clients per full-time")
    assert "which suggests 5" in evidence["evidence_S1"]
    assert "*Scale:* 1 41 or more clients per specialist · 2 31 to 40" in evidence["evidence_S1"]
    assert "\n• " in evidence["evidence_S1"]  # the rows behind the figure: clients per specialist
    summary = _score_pages(url, user, page)
    assert summary["blocks"][0]["text"]["text"] == f"Total {TOTAL} of 125: fair fidelity"
    shown = str(summary["blocks"])
    assert "O6 Zero exclusion criteria: scored 1 of 5" in shown
    assert "V10 Competitive jobs: scored" not in shown  # sixth lowest: not an action item

    assert submit(url, user, summary, {"conducted_on": _date(TODAY)}).text == ""
    done, following = _reviews(db)
    assert (done.status, done.total, done.band, done.conducted_on) == (
        ReviewStatus.COMPLETED, TOTAL, FidelityBand.FAIR, TODAY)
    assert following.status == ReviewStatus.SCHEDULED and following.scheduled_for == done.next_review_due
    with db.reading() as s:
        stored = dict(s.execute(select(FidelityItemScore.item_code, FidelityItemScore.score)).all())
        actions = list(s.scalars(select(FidelityActionItem).order_by(FidelityActionItem.id)))
    assert stored == {code: LOW.get(code, 4) for code in FIDELITY_ITEMS}
    assert [a.description.split()[0] for a in actions] == ["O6", "V4", "V6", "S2", "O3"]
    assert {a.due_on for a in actions} == {TODAY + timedelta(weeks=6)}
    [told] = eventually(fake, "chat.postMessage")
    assert told.args["text"] == f"Seaford's fidelity review is saved: {TOTAL} of 125, fair fidelity."


def test_a_pages_errors_are_answered_in_place_and_nothing_is_written(db, w, scheduled, slack) -> None:
    url, fake = slack
    user = w["trainer"].slack_user_id
    page = _next(_start(url, fake, user, {"team": _option("static_select", str(w["team"].id)),
                                          "action": _option("radio_buttons", "score")}))
    values = _page_values(PAGES[0])
    del values[PAGES[0][1]]
    values[PAGES[0][2]] = _option("static_select", "7")
    answer = submit(url, user, page, values)
    assert answer.json() == {"response_action": "errors", "errors": {
        PAGES[0][1]: "choose a score from 1 to 5", PAGES[0][2]: "choose a score from 1 to 5"}}

    summary = _score_pages(url, user, page)
    future = submit(url, user, summary, {"conducted_on": _date(TODAY + timedelta(days=1))})
    assert future.json()["response_action"] == "errors"
    assert "is in the future" in future.json()["errors"]["conducted_on"]
    assert [r.status for r in _reviews(db)] == [ReviewStatus.SCHEDULED]
    with db.reading() as s:
        assert s.scalar(select(func.count(FidelityItemScore.id))) == 0
    # The refused submission did not use up the view: the corrected one saves.
    assert submit(url, user, summary, {"conducted_on": _date(TODAY)}).text == ""
    assert _reviews(db)[0].status == ReviewStatus.COMPLETED


def test_a_retried_final_submit_writes_once(db, w, scheduled, slack) -> None:
    url, fake = slack
    user = w["trainer"].slack_user_id
    page = _next(_start(url, fake, user, {"team": _option("static_select", str(w["team"].id)),
                                          "action": _option("radio_buttons", "score")}, view_id="V0777"))
    summary = _score_pages(url, user, page, view_id="V0777")
    for _ in range(2):
        assert submit(url, user, summary, {"conducted_on": _date(TODAY)}, view_id="V0777").text == ""
    assert [r.status for r in _reviews(db)] == [ReviewStatus.COMPLETED, ReviewStatus.SCHEDULED]
    with db.reading() as s:
        assert s.scalar(select(func.count(FidelityItemScore.id))) == 25
        assert s.scalar(select(func.count(FidelityActionItem.id))) == 5
    eventually(fake, "chat.postMessage")
    time.sleep(0.3)
    assert len(fake.successful("chat.postMessage")) == 1
    # Another modal on the same review is told it is done, beside the date.
    again = submit(url, user, summary, {"conducted_on": _date(TODAY)}, view_id="V0778")
    assert again.json()["errors"] == {"conducted_on": "This review is already scored."}


def _back(url: str, user: str, view: dict, values: dict) -> requests.Response:
    return interaction(url, {
        "type": "block_actions", "user": {"id": user, "team_id": "T0001"},
        "team": {"id": "T0001", "domain": "nhs-ips"}, "api_app_id": "A0001", "token": "legacy",
        "trigger_id": "123.456.ghi", "container": {"type": "view", "view_id": "V0001"},
        "view": {**view, "id": "V0001", "hash": "2.def", "state": {"values": values}},
        "actions": [{"action_id": REVIEW_BACK, "block_id": "navigation", "value": "back",
                     "type": "button", "action_ts": "1.3", "text": {"type": "plain_text", "text": "Back"}}],
    })


def test_back_keeps_the_scores_chosen_on_both_pages(db, w, scheduled, slack) -> None:
    url, fake = slack
    user = w["trainer"].slack_user_id
    first = _next(_start(url, fake, user, {"team": _option("static_select", str(w["team"].id)),
                                           "action": _option("radio_buttons", "score")}))
    second = _next(submit(url, user, first, _page_values(PAGES[0])))
    half = {code: _option("static_select", "2") for code in PAGES[1][:2]}
    assert _back(url, user, second, half).status_code == 200
    [update] = eventually(fake, "views.update")  # through the fake's Block Kit checks
    assert update.args["view_id"] == "V0001" and update.args["hash"] == "2.def"
    back = update.args["view"]
    chosen = {b["block_id"]: b["element"]["initial_option"]["value"] for b in back["blocks"]
              if b["type"] == "input"}
    assert chosen == {code: str(LOW.get(code, 4)) for code in PAGES[0]}
    assert Draft.from_metadata(back["private_metadata"]).scores == {
        **{code: LOW.get(code, 4) for code in PAGES[0]}, **{code: 2 for code in PAGES[1][:2]}}
    forward = _next(submit(url, user, back, _page_values(PAGES[0])))
    kept = [b for b in forward["blocks"] if b["type"] == "input" and "initial_option" in b["element"]]
    assert [b["block_id"] for b in kept] == list(PAGES[1][:2])


def test_roles_that_may_not_review_are_refused(db, w, slack) -> None:
    url, fake = slack
    for person in ("es", "cc"):
        answer = slash(url, w[person].slack_user_id, "review")
        assert answer.json() == {"response_type": "ephemeral", "text": (
            "Only these roles can schedule or score fidelity reviews: team leader, regional trainer, admin.")}
    assert fake.successful("views.open") == []


def test_a_team_leader_who_is_not_the_reviewer_cannot_score(db, w, scheduled, slack) -> None:
    url, fake = slack
    answer = _start(url, fake, w["leader"].slack_user_id, {"action": _option("radio_buttons", "score")})
    assert answer.json() == {"response_action": "errors", "errors": {"action": (
        "Only the named reviewer, a regional trainer or an admin can score a fidelity review.")}}


def test_scoring_needs_a_scheduled_review(db, w, slack) -> None:
    url, fake = slack
    answer = _start(url, fake, w["trainer"].slack_user_id,
                    {"team": _option("static_select", str(w["team"].id)),
                     "action": _option("radio_buttons", "score")})
    assert answer.json()["errors"] == {
        "action": "Seaford has no fidelity review scheduled: schedule one first."}


def test_help_lists_review_for_the_roles_that_may_use_it(db, w, slack) -> None:
    url, _fake = slack
    for person, listed in (("leader", True), ("trainer", True), ("es", False), ("cc", False)):
        text = str(slash(url, w[person].slack_user_id, "help").json())
        assert ("/ips review" in text) == listed, person


def test_the_fullest_pages_stay_within_slacks_limits() -> None:
    """Every item with long evidence, every score chosen: each page still passes the checks."""
    assert sorted(code for page in PAGES for code in page) == sorted(FIDELITY_ITEMS)
    evidence = {code: EvidenceItem(code, title, Decimal("99.9"), "x" * 200, 3, 999, "y" * 1500, True,
                                   ("a" * 40,) * 5, ("r" * 100,) * 50)
                for code, title in FIDELITY_ITEMS.items()}
    draft = Draft(10**9, 10**9, 0, {code: 5 for code in FIDELITY_ITEMS})
    for number in range(len(PAGES)):
        view = score_page(draft.at(number), "T" * 100, TODAY, evidence).to_dict()
        check_view(view)
        assert len(view["blocks"]) <= 100 and len(view["private_metadata"]) <= 3000
    items = [ItemScore(code=code, score=1) for code in FIDELITY_ITEMS]
    summary = summary_page(draft.at(len(PAGES)), "T" * 100, FidelityBand.NOT_IPS, TODAY,
                           action_items_for(items, TODAY), TODAY).to_dict()
    check_view(summary)
