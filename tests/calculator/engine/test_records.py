"""The keyword builders build exactly the record the class would (calculator/engine/records.py)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pytest

from calculator.engine.assessment_periods import AssessmentPeriods, new_assessment_periods
from calculator.engine.records import keyword_builder
from calculator.engine.result import BetterOffResult, new_result
from calculator.engine.scenario import NO_PAY, Pay, new_pay

from .build import request


@dataclass(slots=True, kw_only=True)
class _Record:
    name: str
    amount: float = 1.5
    seen: list[str] = field(default_factory=list)


def test_a_builder_makes_the_record_the_class_makes_with_its_defaults() -> None:
    build = keyword_builder(_Record)
    assert build(name="a") == _Record(name="a")
    assert build(name="b", amount=2.0, seen=["x"]) == _Record(name="b", amount=2.0, seen=["x"])
    assert type(build(name="a")) is _Record


def test_a_default_made_afresh_is_made_afresh_for_each_record() -> None:
    build = keyword_builder(_Record)
    first, second = build(name="a"), build(name="b")
    first.seen.append("x")
    assert second.seen == []


def test_a_builder_takes_fields_by_keyword_only_and_refuses_unknown_ones() -> None:
    build = keyword_builder(_Record)
    with pytest.raises(TypeError):
        build("a")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        build(name="a", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        build(amount=2.0)  # type: ignore[call-arg]


def test_records_whose_init_does_more_than_set_fields_are_refused() -> None:
    @dataclass(frozen=True, slots=True)
    class Frozen:
        name: str

    @dataclass
    class Unslotted:
        name: str

    @dataclass(slots=True)
    class Checked:
        name: str

        def __post_init__(self) -> None:
            self.name = self.name.strip()

    for cls in (Frozen, Unslotted, Checked):
        with pytest.raises(TypeError):
            keyword_builder(cls)


def test_the_engines_builders_fill_every_field() -> None:
    pay = new_pay(**{f.name: getattr(NO_PAY, f.name) for f in fields(Pay)})
    assert pay == NO_PAY
    values = {"periods": [], "average_net_income": 1.0, "lowest_net_income": 0.5, "lowest_period": 2,
              "average_universal_credit": 3.0, "note": "n"}
    assert new_assessment_periods(**values) == AssessmentPeriods(**values)


def test_a_calculation_is_made_of_the_records_the_classes_make() -> None:
    from calculator.engine import calculate

    result = calculate(request())
    rebuilt = BetterOffResult(**{f.name: getattr(result, f.name) for f in fields(BetterOffResult)})
    assert new_result(**{f.name: getattr(result, f.name) for f in fields(BetterOffResult)}) == rebuilt
    assert result == rebuilt
