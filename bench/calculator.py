"""Benchmark: the better-off engine in process, one household and a 0-40 hour sweep.

Times `calculate` (now vs in work, itemised, warnings, 12 assessment periods) and `sweep`
(0 to 40 hours in half-hour steps) over a varied set of households, and input validation
on its own. When PolicyEngine UK is importable (the `oracle` extra, or its own venv), it
times PolicyEngine on the same households and prints the ratio.

    .venv/bin/python bench/calculator.py
    .venv/bin/python bench/calculator.py --households 200 --repeat 50
    valgrind --tool=callgrind --callgrind-out-file=/dev/null .venv/bin/python bench/calculator.py --passes 2

Targets (issue #3): one household <= 100 microseconds median; a sweep <= 5 ms. Issue 17:
comparing three offers (`compare`) <= 1 ms median.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The path is set above so the script runs from a checkout without installing.
from calculator.engine import BetterOffRequest, CompareRequest, SweepRequest, calculate, compare, sweep
from calculator.engine.assessment_periods import _calendar

CALCULATION_DATE = "2026-11-22"


def households(count: int, seed: int = 2026) -> list[dict[str, Any]]:
    """Varied requests: couples and singles, children, renters, LCWRA, PIP, ESA, pay frequencies."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        claimant: dict[str, Any] = {"age": rng.randint(18, 64), "lcwra": rng.random() < 0.4}
        if rng.random() < 0.3:
            claimant["pip_daily_living"] = rng.choice(["standard", "enhanced"])
        if rng.random() < 0.2:
            claimant["new_style_esa"] = rng.choice(["assessment_phase", "support_group"])
        household: dict[str, Any] = {
            "claimant": claimant,
            "nation": rng.choice(["england", "england", "scotland", "wales"]),
        }
        if rng.random() < 0.35:
            household["couple"] = True
            partner: dict[str, Any] = {"age": rng.randint(18, 64)}
            if rng.random() < 0.5:
                partner["job"] = {
                    "hours_per_week": rng.choice([16, 24, 37.5]),
                    "hourly_wage": round(rng.uniform(12.71, 20), 2),
                }
            household["partner"] = partner
        household["children"] = [
            {"age": rng.choice([0, 2, 4, 7, 10, 13, 16])} for _ in range(rng.choice([0, 0, 1, 2, 3]))
        ]
        tenure = rng.choice(["social_rent", "private_rent", "owner", "no_housing_costs"])
        housing: dict[str, Any] = {"tenure": tenure}
        if tenure == "social_rent":
            housing["rent_monthly"] = rng.randint(350, 700)
        elif tenure == "private_rent":
            housing |= {"rent_monthly": rng.randint(500, 1200), "local_housing_allowance_monthly": 775}
        household["housing"] = housing
        job = {
            "hours_per_week": rng.choice([8, 12, 15, 16, 20, 25, 30, 37.5]),
            "hourly_wage": round(rng.uniform(12.71, 16), 2),
            "pay_frequency": rng.choice(["weekly", "fortnightly", "four_weekly", "monthly"]),
            "start_date": "2026-12-07",
        }
        out.append({"household": household, "job": job, "calculation_date": CALCULATION_DATE})
    return out


def three_offers(body: dict[str, Any]) -> dict[str, Any]:
    """The household's offer and two others: fewer hours paid weekly, more hours paid monthly."""
    job = body["job"]
    fewer = {**job, "hours_per_week": max(4.0, job["hours_per_week"] / 2), "pay_frequency": "weekly"}
    more = {**job, "hours_per_week": min(40.0, job["hours_per_week"] + 10), "pay_frequency": "monthly",
            "hourly_wage": round(job["hourly_wage"] + 1.5, 2), "travel_costs_weekly": 15}
    return {"household": body["household"], "offers": [job, fewer, more],
            "calculation_date": body["calculation_date"]}


def calculate_new_calendar(request: BetterOffRequest) -> Any:
    """`calculate` as for a start date not seen before: these households share one, so the
    cached calendar of assessment periods and paydays would otherwise always be found."""
    _calendar.cache_clear()
    return calculate(request)


def median_microseconds(function: Any, items: list[Any], repeat: int) -> tuple[float, float]:
    """Median and 99th percentile of per-call time, each item timed `repeat` times."""
    samples = []
    for item in items:
        for _ in range(repeat):
            started = time.perf_counter_ns()
            function(item)
            samples.append((time.perf_counter_ns() - started) / 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def time_policyengine(count: int) -> float | None:
    """Median seconds for PolicyEngine UK to work out one household (each its own simulation),
    or None when PolicyEngine is not importable here (run this script under the oracle's venv)."""
    try:
        from calculator.oracle.households import generate
        from calculator.oracle.policyengine import run_all

        run_all(generate()[:1])  # first use loads PolicyEngine's parameters
    except ImportError:
        return None
    samples = []
    for case in generate()[:count]:
        started = time.perf_counter()
        run_all([case])
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--policyengine-households", type=int, default=20)
    parser.add_argument(
        "--passes",
        type=int,
        default=None,
        help="no timing: warm up, then run `calculate` on every household this many times more "
        "(run under valgrind --tool=callgrind with 0 and 2; the difference over 2 x households is "
        "the instructions one calculation takes, whatever the machine's load)",
    )
    args = parser.parse_args()

    bodies = households(args.households)
    requests = [BetterOffRequest.model_validate(body) for body in bodies]
    if args.passes is not None:
        for req in requests * (args.passes + 1):
            calculate(req)
        return
    sweeps = [SweepRequest.model_validate(body) for body in bodies]
    for req in requests[:10]:  # warm caches (parameter files, compiled rules)
        calculate(req)

    validate = median_microseconds(BetterOffRequest.model_validate, bodies, args.repeat)
    one = median_microseconds(calculate, requests, args.repeat)
    uncached = median_microseconds(calculate_new_calendar, requests, args.repeat)
    swept = median_microseconds(sweep, sweeps, max(1, args.repeat // 5))
    comparisons = [CompareRequest.model_validate(three_offers(body)) for body in bodies]
    compared = median_microseconds(compare, comparisons, max(1, args.repeat // 2))
    print(f"households: {len(bodies)}, repeats: {args.repeat}")
    print(f"validate input        median {validate[0]:8.1f} µs   p99 {validate[1]:8.1f} µs")
    print(f"calculate (one)       median {one[0]:8.1f} µs   p99 {one[1]:8.1f} µs   target ≤ 100 µs")
    print(f"  new start date      median {uncached[0]:8.1f} µs   p99 {uncached[1]:8.1f} µs")
    print(
        f"sweep 0-40 h by 0.5   median {swept[0] / 1000:8.2f} ms   p99 {swept[1] / 1000:8.2f} ms"
        f"   target ≤ 5 ms"
    )
    print(
        f"compare three offers  median {compared[0] / 1000:8.2f} ms   p99 {compared[1] / 1000:8.2f} ms"
        f"   target ≤ 1 ms"
    )
    pe = time_policyengine(args.policyengine_households)
    if pe is None:
        print("PolicyEngine UK: not importable here (pip install -e '.[oracle]', or run under its venv)")
    else:
        print(
            f"PolicyEngine UK       median {pe * 1000:8.1f} ms per household; "
            f"this engine is {pe * 1e6 / one[0]:,.0f}x faster"
        )


if __name__ == "__main__":
    main()
