"""Action items from a review: the lowest-scoring items, due with the action plan."""

from __future__ import annotations

from datetime import date

from caseload.fidelity import FIDELITY_ITEMS, ItemScore, action_items_for

DAY = date(2027, 3, 3)


def _items(**low: int) -> list[ItemScore]:
    return [ItemScore(code=code, score=low.get(code, 4)) for code in FIDELITY_ITEMS]


def test_the_lowest_first_ties_in_the_scales_order_at_most_five() -> None:
    actions = action_items_for(_items(V14=1, S3=2, O8=2, V1=2, S1=3, O2=3, V9=3), DAY)
    assert [a.description.split()[0] for a in actions] == ["V14", "S3", "O8", "V1", "S1"]
    assert actions[0].description == ("V14 Assertive engagement and outreach by integrated treatment "
                                      "team: scored 1 of 5. Agree in the action plan how to raise it.")


def test_due_six_weeks_after_the_review_with_no_owner() -> None:
    [action, *_] = action_items_for(_items(O6=1), DAY)
    assert action.due_on == date(2027, 4, 14) and action.owner_id is None


def test_an_item_scored_five_needs_no_action() -> None:
    perfect = [ItemScore(code=code, score=5) for code in FIDELITY_ITEMS]
    assert action_items_for(perfect, DAY) == []
    one_short = [ItemScore(code=code, score=5 if code != "V7" else 4) for code in FIDELITY_ITEMS]
    assert [a.description.split()[0] for a in action_items_for(one_short, DAY)] == ["V7"]
