"""Comparing offers: each offer's answer is the one it gets alone, in any company and order."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator.engine import CompareRequest, calculate, compare, sweep
from calculator.engine.household import SweepRequest

from .build import ON

HOUSEHOLD: dict[str, Any] = {
    "claimant": {"age": 34, "lcwra": True, "new_style_esa": "support_group"},
    "housing": {"tenure": "social_rent", "rent_monthly": 450},
}


def _request(offers: list[dict[str, Any]], household: dict[str, Any] | None = None) -> CompareRequest:
    return CompareRequest.model_validate(
        {"household": household or HOUSEHOLD, "offers": offers, "calculation_date": ON.isoformat()}
    )


offers = st.fixed_dictionaries({
    "hours_per_week": st.sampled_from([0, 8, 12, 15.5, 16, 20, 25, 30, 37.5]),
    "hourly_wage": st.sampled_from([12.71, 13.5, 16.0, 22.0]),
    "pay_frequency": st.sampled_from(["weekly", "fortnightly", "four_weekly", "monthly"]),
    "travel_costs_weekly": st.sampled_from([0, 15]),
})


@settings(max_examples=40, deadline=None)
@given(st.lists(offers, min_size=1, max_size=3), st.randoms())
def test_comparing_never_changes_or_reorders_an_offers_result(jobs: list[dict], rnd: Any) -> None:
    request = _request(jobs)
    result = compare(request)
    alone = [calculate(request.for_offer(i)) for i in range(len(jobs))]
    assert [offer.result for offer in result.offers] == alone
    shuffled = list(range(len(jobs)))
    rnd.shuffle(shuffled)
    again = compare(_request([jobs[i] for i in shuffled]))
    for place, original in enumerate(shuffled):
        assert again.offers[place].result == alone[original]
        assert again.offers[place].cliff_edges == result.offers[original].cliff_edges


def test_cliff_edges_are_where_the_sweep_finds_them() -> None:
    jobs = [{"hours_per_week": 12, "hourly_wage": 12.71}, {"hours_per_week": 30, "hourly_wage": 16}]
    result = compare(_request(jobs))
    assert result.offers[0].cliff_edges == []  # 12 hours is permitted work
    swept = sweep(SweepRequest.model_validate({
        "household": HOUSEHOLD, "job": jobs[1], "calculation_date": ON.isoformat(), "maximum_hours": 30,
    }))
    assert [(e.hours, e.key) for e in result.offers[1].cliff_edges] == [
        (e.hours, e.key) for e in swept.cliff_edges
    ]
    assert result.offers[1].cliff_edges[0].key == "permitted_work_limit"


def test_the_best_offer_and_none_when_all_leave_less() -> None:
    result = compare(_request([{"hours_per_week": 16, "hourly_wage": 12.71},
                               {"hours_per_week": 30, "hourly_wage": 16}]))
    gains = [o.result.better_off.monthly for o in result.offers]
    assert result.best_offer == gains.index(max(gains)) + 1
    # Travel costing more than the job pays leaves everyone worse off: no best offer.
    worse = compare(_request([{"hours_per_week": 2, "hourly_wage": 12.71, "travel_costs_weekly": 200}]))
    assert worse.best_offer is None


def test_an_offer_for_a_partner_who_is_not_there_is_refused_by_its_place() -> None:
    with pytest.raises(ValueError, match=r"offers\.1\.who: the job is for the partner"):
        _request([{"hours_per_week": 16, "hourly_wage": 12.71},
                  {"hours_per_week": 16, "hourly_wage": 12.71, "who": "partner"}])
