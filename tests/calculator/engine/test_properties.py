"""Properties that must hold for any household, checked with generated inputs."""

from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from calculator.engine import calculate, sweep

from .build import line, request, sweep_request

ages = st.integers(min_value=18, max_value=65)
children = st.lists(
    st.builds(
        lambda age: {"age": age},
        st.integers(min_value=0, max_value=8) | st.integers(min_value=10, max_value=17),
    ),
    max_size=4,
)
housing = st.one_of(
    st.just({}),
    st.builds(lambda rent: {"tenure": "social_rent", "rent_monthly": rent}, st.integers(0, 1500)),
    st.builds(
        lambda rent, lha: {
            "tenure": "private_rent",
            "rent_monthly": rent,
            "local_housing_allowance_monthly": lha,
        },
        st.integers(0, 2000),
        st.integers(300, 1500),
    ),
)


@st.composite
def uc_only_households(draw: Any) -> dict[str, Any]:
    """Households whose only benefit that earnings touch is UC: no ESA, JSA or Carer's Allowance,
    and not in Scotland, where Scottish Child Payment stopping with UC is a real cliff edge."""
    couple = draw(st.booleans())
    adult = {
        "age": draw(ages),
        "lcwra": draw(st.booleans()),
        "pip_daily_living": draw(st.sampled_from(["none", "standard"])),
    }
    household: dict[str, Any] = {
        "claimant": adult,
        "children": draw(children),
        "housing": draw(housing),
        "nation": draw(st.sampled_from(["england", "wales"])),
        "in_london": draw(st.booleans()),
    }
    if couple:
        household |= {"couple": True, "partner": {"age": draw(ages)}}
    return household


@settings(max_examples=60, deadline=None)
@given(uc_only_households(), st.floats(min_value=12.71, max_value=40))
def test_net_income_never_falls_as_hours_rise(household: dict[str, Any], wage: float) -> None:
    # Opted out of the pension: auto-enrolment at £833 a month is a real (small) drop in
    # take-home pay, but it is saving, not a loss, so the property is about everything else.
    result = sweep(sweep_request(household, {"hourly_wage": round(wage, 2), "pension": "opt_out"}))
    nets = [p.net_income_monthly for p in result.points]
    assert all(b >= a - 0.01 for a, b in pairwise(nets)), nets


@settings(max_examples=60, deadline=None)
@given(uc_only_households(), st.floats(min_value=0, max_value=60), st.floats(min_value=0, max_value=60))
def test_universal_credit_is_never_negative_and_parts_add_up(
    household: dict[str, Any], hours: float, wage: float
) -> None:
    result = calculate(request(household, {"hours_per_week": round(hours, 1), "hourly_wage": round(wage, 2)}))
    uc = line(result, "universal_credit")
    assert uc.now_monthly >= 0 and uc.in_work_monthly >= 0
    if uc.in_work_monthly > 0:
        parts = sum(item.in_work_monthly for item in result.lines if item.part_of == "universal_credit")
        assert abs(parts - uc.in_work_monthly) <= 0.02
    assert all(p.universal_credit >= 0 for p in result.assessment_periods.periods)


@settings(max_examples=30, deadline=None)
@given(uc_only_households(), st.floats(min_value=0, max_value=45))
def test_the_same_input_twice_gives_the_same_answer(household: dict[str, Any], hours: float) -> None:
    req = request(household, {"hours_per_week": round(hours, 1)})
    assert calculate(req) == calculate(req)
    assert calculate(req) == calculate(request(household, {"hours_per_week": round(hours, 1)}))
