"""Fidelity reviews: scheduling, scoring, bands and the next review date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from caseload import clock
from caseload.db import Database
from caseload.errors import Conflict, InvalidInput, NotAllowed
from caseload.fidelity import (
    FIDELITY_ITEMS,
    ReviewScores,
    ScheduleReview,
    band_for,
    next_review_after,
    preparation_dates,
    schedule_review,
    score_review,
    upcoming_review,
)
from caseload.models import (
    FidelityBand,
    FidelityItemScore,
    FidelityReview,
    Nation,
    ReviewStatus,
    Role,
)
from caseload.validation import parse
from caseload.working_days import last_working_day_before, next_working_day
from tests.factories import make_staff, make_team


@pytest.mark.parametrize(
    ("total", "band"),
    [(25, FidelityBand.NOT_IPS), (73, FidelityBand.NOT_IPS), (74, FidelityBand.FAIR),
     (99, FidelityBand.FAIR), (100, FidelityBand.GOOD), (114, FidelityBand.GOOD),
     (115, FidelityBand.EXEMPLARY), (125, FidelityBand.EXEMPLARY)],
)
def test_bands_follow_the_ips25_cut_points(total: int, band: FidelityBand) -> None:
    assert band_for(total) == band


@pytest.mark.parametrize("total", [24, 126])
def test_impossible_totals_are_refused(total: int) -> None:
    with pytest.raises(ValueError, match="between 25 and 125"):
        band_for(total)


def test_next_review_is_six_months_until_good_then_twelve() -> None:
    # 28 February 2027 is a Sunday: the review is due the next working day.
    assert next_review_after(date(2026, 8, 31), FidelityBand.FAIR, Nation.ENGLAND) == date(2027, 3, 1)
    assert next_review_after(date(2026, 3, 1), FidelityBand.NOT_IPS, Nation.ENGLAND) == date(2026, 9, 1)
    assert next_review_after(date(2026, 3, 1), FidelityBand.GOOD, Nation.ENGLAND) == date(2027, 3, 1)
    assert next_review_after(date(2026, 3, 1), FidelityBand.EXEMPLARY, Nation.ENGLAND) == date(2027, 3, 1)
    # 2 January 2027 is a Saturday; Scotland keeps its 2 January holiday on Monday the 4th.
    assert next_review_after(date(2026, 7, 2), FidelityBand.FAIR, Nation.SCOTLAND) == date(2027, 1, 5)
    assert next_review_after(date(2026, 7, 2), FidelityBand.FAIR, Nation.ENGLAND) == date(2027, 1, 4)


def _scores(value_for=lambda code: 4, **extra):
    items = [{"code": code, "score": value_for(code)} for code in FIDELITY_ITEMS]
    return {"conducted_on": clock.today(), "items": items, **extra}


@pytest.fixture
def setup(db: Database):
    with db.transaction() as s:
        team = make_team(s, "East")
        other = make_team(s, "West")
        people = {
            "team": team,
            "other": other,
            "leader": make_staff(s, Role.TEAM_LEADER, team),
            "other_leader": make_staff(s, Role.TEAM_LEADER, other),
            "trainer": make_staff(s, Role.REGIONAL_TRAINER, None),
            "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
        }
    return people


def _schedule(db, actor, team, days=30, reviewer=None):
    with db.transaction() as s:
        return schedule_review(s, s.merge(actor), parse(ScheduleReview, {
            "team_id": team.id,
            # Reviews are held on working days: a past one is the last working day before today.
            "scheduled_for": (next_working_day(clock.today() + timedelta(days=days)) if days >= 0
                              else last_working_day_before(clock.today())),
            "reviewer_id": reviewer.id if reviewer else None}))


def test_score_a_review_records_items_band_actions_and_schedules_the_next(db, setup) -> None:
    review = _schedule(db, setup["leader"], setup["team"], reviewer=setup["trainer"])
    scores = _scores(lambda code: 5 if code.startswith("V") else 3, actions=[
        {"description": "Raise employer contacts to 6 a week", "owner_id": setup["es"].id,
         "due_on": clock.today() + timedelta(days=42)}])
    with db.transaction() as s:
        score_review(s, s.merge(setup["trainer"]), review.id, parse(ReviewScores, scores))
    with db.reading() as s:
        done = s.get(FidelityReview, review.id)
        # 14 service items at 5, 11 staffing and organisation items at 3.
        assert done.total == 14 * 5 + 11 * 3 == 103
        assert done.band == FidelityBand.GOOD
        assert done.status == ReviewStatus.COMPLETED
        assert done.next_review_due == next_review_after(clock.today(), FidelityBand.GOOD, Nation.ENGLAND)
        assert [i.item_code for i in done.items] == list(FIDELITY_ITEMS)
        assert done.actions[0].owner_id == setup["es"].id
        following = upcoming_review(s, setup["team"].id)
        assert following is not None and following.scheduled_for == done.next_review_due


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["items"].pop(), "1 missing: V14"),
        (lambda d: d["items"][0].update(score=6), "less than or equal to 5"),
        (lambda d: d["items"][0].update(score=0), "greater than or equal to 1"),
        (lambda d: d["items"][0].update(code="Z9"), "not an item"),
        (lambda d: d["items"].append({"code": "S1", "score": 3}), "scored twice: S1"),
        (lambda d: d.update(conducted_on=clock.today() + timedelta(days=1)), "future"),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_written(db, setup, mutate, message) -> None:
    review = _schedule(db, setup["leader"], setup["team"])
    data = _scores()
    mutate(data)
    with pytest.raises(InvalidInput, match=message), db.transaction() as s:
        score_review(s, s.merge(setup["trainer"]), review.id, parse(ReviewScores, data))
    with db.reading() as s:
        assert s.get(FidelityReview, review.id).status == ReviewStatus.SCHEDULED
        assert s.scalar(select(func.count(FidelityItemScore.id))) == 0


def test_a_refused_action_item_rolls_back_the_whole_scoring(db, setup) -> None:
    review = _schedule(db, setup["leader"], setup["team"])
    data = _scores(actions=[{"description": "Fix caseloads", "owner_id": 99999,
                             "due_on": clock.today() + timedelta(days=10)}])
    with pytest.raises(InvalidInput) as err, db.transaction() as s:
        score_review(s, s.merge(setup["trainer"]), review.id, parse(ReviewScores, data))
    assert err.value.errors[0].field == "actions.0.owner_id"
    with db.reading() as s:
        assert s.scalar(select(func.count(FidelityReview.id))) == 1


def test_who_may_schedule_and_score(db, setup) -> None:
    with pytest.raises(NotAllowed, match="team leader"):
        _schedule(db, setup["other_leader"], setup["team"])
    with pytest.raises(NotAllowed, match="team leader"):
        _schedule(db, setup["es"], setup["team"])
    review = _schedule(db, setup["leader"], setup["team"])
    with pytest.raises(NotAllowed, match="named reviewer"), db.transaction() as s:
        score_review(s, s.merge(setup["leader"]), review.id, parse(ReviewScores, _scores()))


def test_one_scheduled_review_per_team_and_none_in_the_past(db, setup) -> None:
    _schedule(db, setup["leader"], setup["team"])
    with pytest.raises(Conflict, match="already has a review scheduled"):
        _schedule(db, setup["leader"], setup["team"], days=60)
    with pytest.raises(InvalidInput) as err:
        _schedule(db, setup["leader"], setup["team"], days=-1)
    assert err.value.errors[0].field == "scheduled_for"


def test_scoring_twice_is_refused(db, setup) -> None:
    review = _schedule(db, setup["leader"], setup["team"])
    with db.transaction() as s:
        score_review(s, s.merge(setup["trainer"]), review.id, parse(ReviewScores, _scores()))
    with pytest.raises(Conflict, match="already scored"), db.transaction() as s:
        score_review(s, s.merge(setup["trainer"]), review.id, parse(ReviewScores, _scores()))


def test_preparation_timeline_before_a_review() -> None:
    assert preparation_dates(date(2027, 3, 31)) == [
        ("10 weeks", date(2027, 1, 20)),
        # 31 January and 28 February 2027 are Sundays: those steps come on the Friday before.
        ("2 months", date(2027, 1, 29)),
        ("1 month", date(2027, 2, 26)),
        ("3 weeks", date(2027, 3, 10)),
        ("2 weeks", date(2027, 3, 17)),
        ("1 day", date(2027, 3, 30)),
    ]
    # A Monday review's day-before step is the Friday; Easter Monday's is Maundy Thursday.
    assert preparation_dates(date(2026, 12, 7))[-1] == ("1 day", date(2026, 12, 4))
    assert preparation_dates(date(2027, 3, 29))[-1] == ("1 day", date(2027, 3, 25))
