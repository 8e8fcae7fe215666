"""Two or three job offers side by side, each against now.

Each offer's answer is exactly the one `calculate` gives for it alone (the same household,
date and checks), with the cliff edges it crosses on the way from no hours to its own: what
stops or starts, and at how many hours. The edges are found by halving the hours between two
points where something differs, on the half-hour steps of the sweep, so an offer costs a
dozen or so money calculations rather than the sweep's 81.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from calculator.engine.household import CompareRequest
from calculator.engine.result import (
    BetterOffResult,
    CliffEdge,
    Totals,
    _prepare,
    _Prepared,
    result_of,
)
from calculator.engine.scenario import Money, money, pays_in_work

STEP = 0.5  # hours, as the sweep steps


@dataclass(slots=True, kw_only=True)
class OfferResult:
    offer: int  # its place in the request, from 1
    result: BetterOffResult
    cliff_edges: list[CliffEdge]


@dataclass(slots=True, kw_only=True)
class CompareResult:
    tax_year: str
    now: Totals
    offers: list[OfferResult]
    best_offer: int | None  # the offer leaving the most money each month, if any leaves more than now


# What can stop or start with more hours: each reads one Money, and changes once as hours rise.
EDGES: tuple[tuple[str, str, Callable[[Money], bool]], ...] = (
    ("permitted_work_limit", "New Style ESA stops", lambda m: m.esa_stopped_by_work),
    ("carers_allowance_limit", "Carer's Allowance stops", lambda m: m.carers_allowance_stopped_by_work),
    ("jsa_stops", "New Style JSA stops", lambda m: m.jsa_stopped_by_work),
    ("universal_credit_ends", "Universal Credit stops", lambda m: not m.universal_credit.award > 0),
    ("benefit_cap", "Benefit cap changes", lambda m: m.universal_credit.capped),
)


def _hours_grid(hours: float) -> list[float]:
    """The sweep's half-hour points from the first step up to `hours`, and `hours` itself."""
    grid = [round(k * STEP, 4) for k in range(1, int(hours / STEP + 1e-9) + 1)]
    if not grid or grid[-1] < hours:
        grid.append(hours)
    return grid


def cliff_edges(p: _Prepared) -> list[CliffEdge]:
    """Where, between no hours and the offer's, each benefit stops or the cap starts or ends."""
    job = p.request.job
    # The offer's own hours (when there are any) are the money in work already worked out.
    cache: dict[float, Money] = {job.hours_per_week: p.in_work} if job.hours_per_week > 0 else {}

    def at(hours: float) -> Money:
        if hours not in cache:
            pays = pays_in_work(p.s, job, p.who, hours, now=p.now.pay)
            costs = p.work_costs_in_work if hours else 0.0
            cache[hours] = money(p.s, pays, job.childcare_costs_monthly, costs)
        return cache[hours]

    grid = _hours_grid(job.hours_per_week) if job.hours_per_week > 0 else []
    if not grid:
        return []
    start, end = at(0.0), at(grid[-1])
    edges = []
    for key, message, state in EDGES:
        if state(start) == state(end):
            continue
        low, high = -1, len(grid) - 1  # state differs from the start at grid[high], not at grid[low]
        while high - low > 1:
            middle = (low + high) // 2
            if state(at(grid[middle])) == state(end):
                high = middle
            else:
                low = middle
        if key == "benefit_cap":
            message = "Benefit cap " + ("starts" if state(end) else "ends")
        edges.append(CliffEdge(grid[high], key, message))
    return sorted(edges, key=lambda edge: edge.hours)


def compare(request: CompareRequest) -> CompareResult:
    """Each offer as `calculate` answers it alone, with its cliff edges, and the best of them."""
    offers = []
    first: _Prepared | None = None
    for index in range(len(request.offers)):
        # One household and date: the situation and the money now are worked out once.
        p = _prepare(request.for_offer(index), same_household=first)
        first = first or p
        offers.append(OfferResult(offer=index + 1, result=result_of(p), cliff_edges=cliff_edges(p)))
    gains = [offer.result.better_off.monthly for offer in offers]
    best = max(range(len(gains)), key=lambda i: gains[i])
    return CompareResult(
        tax_year=offers[0].result.tax_year,
        now=offers[0].result.now,
        offers=offers,
        best_offer=best + 1 if gains[best] > 0 else None,
    )
