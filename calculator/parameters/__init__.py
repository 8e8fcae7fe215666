"""Rates and thresholds as data: one YAML file per figure, its values by date, each cited.

`universal_credit/standard_allowance/single_25_or_over.yaml` is the figure
`universal_credit.standard_allowance.single_25_or_over`. Each file has a `description`, a
`unit` and `values`: for each date the value came into force, the `value` and the
`reference` (title and href of the legislation or GOV.UK page) that set it. A new rate is
one more dated entry in one file. A tax year's figures are the values in force on its first
day; the tax years on file are listed in tax_years.yaml.
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
TAX_YEARS_FILE = PARAMETER_DIR / "tax_years.yaml"
# A tax year starts on 6 April (Income Tax Act 2007, section 4).
TAX_YEAR_START_MONTH, TAX_YEAR_START_DAY = 4, 6

Value = Decimal | bool | str | list[Any]


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    href: HttpUrl


class Parameter(BaseModel):
    """One figure with where it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    path: str
    value: Value
    unit: str
    in_force_from: date
    reference: Reference
    description: str | None = None


class DatedValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    value: Value
    reference: Reference


class History(BaseModel):
    """One parameter file: a figure's values by the date each came into force."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    path: str
    description: str
    unit: str
    values: dict[date, DatedValue]

    def on(self, day: date) -> Parameter | None:
        """The value in force on `day`, or None before the first."""
        since = max((start for start in self.values if start <= day), default=None)
        if since is None:
            return None
        dated = self.values[since]
        return Parameter(
            path=self.path,
            value=dated.value,
            unit=self.unit,
            in_force_from=since,
            reference=dated.reference,
            description=self.description,
        )


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


def _number(value: Any) -> Any:
    """Figures as Decimals, so a rate reads exactly as written (0.55, not 0.55000000000000004)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def _load(file: Path) -> History:
    path = ".".join(file.relative_to(PARAMETER_DIR).with_suffix("").parts)
    raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not raw.get("values"):
        raise ValueError(f"{path}: a parameter file needs description, unit and dated values")
    values = {
        start: {**entry, "value": _number(entry.get("value"))} for start, entry in raw["values"].items()
    }
    return History(path=path, **{**raw, "values": values})


@cache
def histories() -> dict[str, History]:
    """Every parameter on file by its dotted path, in path order."""
    files = sorted(PARAMETER_DIR.glob("*/**/*.yaml"))
    return {history.path: history for history in map(_load, files)}


def _tax_year(name: str) -> TaxYear:
    first = int(name[:4])
    starts = date(first, TAX_YEAR_START_MONTH, TAX_YEAR_START_DAY)
    ends = date(first + 1, TAX_YEAR_START_MONTH, TAX_YEAR_START_DAY - 1)
    in_force = {path: history.on(starts) for path, history in histories().items()}
    parameters = {path: parameter for path, parameter in in_force.items() if parameter is not None}
    return TaxYear(tax_year=name, starts=starts, ends=ends, parameters=parameters)


@cache
def all_tax_years() -> tuple[TaxYear, ...]:
    """Every tax year on file, oldest first."""
    names = yaml.safe_load(TAX_YEARS_FILE.read_text(encoding="utf-8"))
    return tuple(sorted(map(_tax_year, names), key=lambda year: year.starts))


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
    """The value of `path` in force on `on`.

    Some figures change on a date other than 6 April (the minimum wage on 1 April), so this
    goes by the dates in the parameter's file, not by tax year.
    """
    history = histories().get(path)
    parameter = history.on(on) if history else None
    if parameter is None:
        raise ValueError(f"no value of {path} in force on {on.isoformat()}")
    return parameter


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
