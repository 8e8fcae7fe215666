"""Rates and thresholds as data: one YAML file per tax year, a citation beside every figure.

A leaf is a mapping with `value`, `unit`, `in_force_from` and `reference` (title and href of
the legislation or GOV.UK page). Groups may carry a `description`. A new tax year is a new
file, not new code.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, HttpUrl

PARAMETER_DIR = Path(__file__).resolve().parent
LEAF_KEYS = {"value", "unit", "in_force_from", "reference"}


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    href: HttpUrl


class Parameter(BaseModel):
    """One figure with where it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    path: str
    value: Decimal | bool | str | list[Any]
    unit: str
    in_force_from: date
    reference: Reference
    description: str | None = None


class TaxYear(BaseModel):
    model_config = ConfigDict(frozen=True)
    tax_year: str
    starts: date
    ends: date
    parameters: dict[str, Parameter]

    def get(self, path: str) -> Parameter:
        try:
            return self.parameters[path]
        except KeyError:
            raise KeyError(f"no parameter {path!r} in tax year {self.tax_year}") from None

    def value(self, path: str) -> Any:
        return self.get(path).value


def _flatten(node: dict[str, Any], prefix: str, out: dict[str, Parameter], source: Path) -> None:
    for key, child in node.items():
        if key == "description":
            continue
        path = f"{prefix}.{key}" if prefix else key
        if not isinstance(child, dict):
            raise ValueError(f"{source.name}: {path} is neither a group nor a parameter")
        if "value" in child:
            missing = LEAF_KEYS - child.keys()
            if missing:
                raise ValueError(f"{source.name}: {path} lacks {', '.join(sorted(missing))}")
            value = child["value"]
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = Decimal(str(value))
            out[path] = Parameter(path=path, **{**child, "value": value})
        else:
            _flatten(child, path, out, source)


def _load(path: Path) -> TaxYear:
    raw = yaml.safe_load(path.read_text())
    header = {k: raw.pop(k) for k in ("tax_year", "starts", "ends")}
    # Named citations, shared by YAML anchors; the figures carry their own copies.
    raw.pop("references", None)
    parameters: dict[str, Parameter] = {}
    _flatten(raw, "", parameters, path)
    return TaxYear(**header, parameters=parameters)


@cache
def all_tax_years() -> tuple[TaxYear, ...]:
    """Every tax year on file, oldest first."""
    years = [_load(path) for path in sorted(PARAMETER_DIR.glob("*.yaml"))]
    return tuple(sorted(years, key=lambda y: y.starts))


def tax_year(name: str) -> TaxYear:
    for year in all_tax_years():
        if year.tax_year == name:
            return year
    known = ", ".join(y.tax_year for y in all_tax_years())
    raise ValueError(f"no parameters for tax year {name!r}; known: {known}")


def tax_year_for(on: date) -> TaxYear:
    for year in all_tax_years():
        if year.starts <= on <= year.ends:
            return year
    raise ValueError(f"no parameters for the tax year containing {on.isoformat()}")


def in_force(path: str, on: date) -> Parameter:
    """The latest value of `path` whose in-force date is on or before `on`.

    Some figures change on a date other than 6 April (the minimum wage on 1 April), so
    the files are searched by in_force_from, not by tax year.
    """
    best: Parameter | None = None
    for year in all_tax_years():
        parameter = year.parameters.get(path)
        if parameter and parameter.in_force_from <= on and (
            best is None or parameter.in_force_from > best.in_force_from
        ):
            best = parameter
    if best is None:
        raise ValueError(f"no value of {path} in force on {on.isoformat()}")
    return best


MINIMUM_WAGE_PATHS = {
    "21_and_over": "minimum_wage.national_living_wage",
    "18_to_20": "minimum_wage.age_18_to_20",
    "under_18": "minimum_wage.under_18",
    "apprentice": "minimum_wage.apprentice",
}


def minimum_hourly_wage(on: date, age_band: str) -> Decimal:
    """The minimum hourly wage for an age band on a date (rates change on 1 April)."""
    try:
        path = MINIMUM_WAGE_PATHS[age_band]
    except KeyError:
        raise ValueError(
            f"unknown age band {age_band!r}; use one of {', '.join(MINIMUM_WAGE_PATHS)}"
        ) from None
    value = in_force(path, on).value
    assert isinstance(value, Decimal)
    return value
