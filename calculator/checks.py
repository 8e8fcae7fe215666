"""What a request must be, beyond its types, before the engine can answer it honestly.

Read by both doors into the calculator, the advisor's form (household_form) and the JSON API
(api_json), so each refuses the same things in the same words, naming the field:

- a job offer of 0 hours is no job to compare with now;
- the start date and the calculation date must fall in a tax year the parameters cover (the
  engine looks up the minimum wage on the start date and every rate on the calculation date).
"""

from __future__ import annotations

from datetime import date

from calculator.engine import BetterOffRequest, CompareRequest
from calculator.engine.household import ProposedJob
from calculator.errors import FieldError
from calculator.parameters import all_tax_years


def covered() -> tuple[date, date, str]:
    """The first and last day the parameters cover, and those tax years in words."""
    years = all_tax_years()
    first, last = years[0], years[-1]
    span = first.tax_year if first is last else f"{first.tax_year} to {last.tax_year}"
    return first.starts, last.ends, span


def _outside(day: date | None) -> str | None:
    starts, ends, span = covered()
    if day is None or starts <= day <= ends:
        return None
    return (
        f"must be from {starts:%-d %B %Y} to {ends:%-d %B %Y}, the tax years the calculator has "
        f"rules for ({span}), not {day:%-d %B %Y}"
    )


def job_errors(where: str, hours_per_week: object, start_date: object) -> list[FieldError]:
    """A job offer's hours and start date, as given (also before the rest of a request is
    valid, so a form shows these with its other errors at once)."""
    errors = []
    if isinstance(hours_per_week, int | float) and hours_per_week == 0:
        errors.append(FieldError(f"{where}.hours_per_week", "must be more than 0 for a job offer"))
    if isinstance(start_date, date) and (message := _outside(start_date)):
        errors.append(FieldError(f"{where}.start_date", message))
    return errors


def _job_errors(where: str, job: ProposedJob) -> list[FieldError]:
    return job_errors(where, job.hours_per_week, job.start_date)


def request_errors(request: BetterOffRequest | CompareRequest) -> list[FieldError]:
    """Every refusal for a request pydantic has accepted; empty when the engine can answer."""
    errors = []
    if message := _outside(request.calculation_date):
        errors.append(FieldError("calculation_date", message))
    if isinstance(request, CompareRequest):
        for index, offer in enumerate(request.offers):
            errors += _job_errors(f"offers.{index}", offer)
    else:
        errors += _job_errors("job", request.job)
    return errors
