"""A household and a job from flat form fields: strings by field name in, the engine's
request out, and every refusal as an error on the field a person filled in, in their words.

The advisor pages and the Slack modal both ask with these field names, so one reading
serves both. The common case takes a few fields; every other field has a default, so a
short form is a complete calculation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import ValidationError

from calculator.checks import job_errors, request_errors
from calculator.engine import BetterOffRequest, CompareRequest
from calculator.errors import CalculatorInputError, FieldError, field_errors

# What each work capability choice says about the claimant.
CAPABILITY: dict[str, dict[str, Any]] = {
    "none": {},
    "lcw": {"lcw": True},
    "lcwra_protected": {"lcwra": True, "lcwra_rate": "protected"},
    "lcwra_new_claim": {"lcwra": True, "lcwra_rate": "new_claim"},
}

# Where an engine error about a request field shows on the form.
FIELD_FOR_ERROR = [
    (r"^household\.claimant\.date_of_birth", "date_of_birth"),
    (r"^household\.partner\.date_of_birth", "partner_date_of_birth"),
    (r"^household\.claimant\.age$", "age"),
    (r"^household\.claimant\.(lcw|lcwra)", "capability"),
    (r"^household\.claimant\.pip_daily_living", "pip_daily_living"),
    (r"^household\.claimant\.pip_mobility", "pip_mobility"),
    (r"^household\.claimant\.carers_allowance", "carers_allowance"),
    (r"^household\.claimant\.new_style_jsa", "jsa"),
    (r"^household\.claimant\.job\.hours", "current_hours"),
    (r"^household\.claimant\.job\.hourly_wage", "current_wage"),
    (r"^household\.claimant\.pension_income", "pension_income_monthly"),
    (r"^household\.partner\.age$|^household\.partner$|^household\.couple", "partner_age"),
    (r"^household\.partner\.job\.hours", "partner_hours"),
    (r"^household\.partner\.job\.hourly_wage", "partner_wage"),
    (r"^household\.children", "children_ages"),
    (r"^household\.housing\.rent", "rent_monthly"),
    (r"^household\.housing\.local_housing_allowance", "lha_monthly"),
    (r"^household\.housing\.service", "service_charges_monthly"),
    (r"^household\.housing\.spare", "spare_bedrooms"),
    (r"^household\.housing\.non_dep", "non_dependants"),
    (r"^household\.housing", "tenure"),
    (r"^household\.capital", "capital"),
    (r"^household\.childcare", "childcare_now"),
    (r"^household\.council_tax\.charge", "council_tax_monthly"),
    (r"^household\.council_tax\.maximum", "ctr_maximum_percent"),
    (r"^household\.council_tax\.taper", "ctr_taper_percent"),
    (r"^household\.nation", "nation"),
    (r"^household\.married", "married"),
    (r"^household\.transitional", "transitional_element_monthly"),
    (r"^household\.budget\.(\w+)", "budget"),
    (r"^job\.hours_per_week", "hours_per_week"),
    (r"^job\.hourly_wage", "hourly_wage"),
    (r"^job\.pay_frequency", "pay_frequency"),
    (r"^job\.start_date", "start_date"),
    (r"^calculation_date", "start_date"),  # the form calculates on today, the default start
    (r"^job\.first_payday", "first_payday"),
    (r"^job\.assessment_period", "ap_start_day"),
    (r"^job\.travel", "travel_weekly"),
    (r"^job\.childcare", "childcare_in_work"),
    (r"^job\.one_off_payment_date", "one_off_payment_date"),
    (r"^job\.one_off_payment", "one_off_payment"),
    (r"^job\.who", "who"),
    (r"^job\.pension", "pension"),
]


# Each field's name in a sentence about it ("Hours a week must be 0 or more"), in the order the
# form asks them, so the error summary lists the problems top to bottom.
NAMES = {
    "age": "Age",
    "date_of_birth": "Date of birth",
    "nation": "Where they live",
    "capability": "Work capability assessment",
    "pip_daily_living": "PIP daily living",
    "pip_mobility": "PIP mobility",
    "esa": "New Style ESA",
    "jsa": "New Style JSA",
    "carers_allowance": "Carer's Allowance",
    "cares_35_hours": "Caring 35 hours a week",
    "couple": "Living with a partner",
    "married": "Married or in a civil partnership",
    "partner_age": "Partner's age",
    "partner_date_of_birth": "Partner's date of birth",
    "children_ages": "Children's ages",
    "eldest_born_before_april_2017": "The eldest child's date of birth",
    "tenure": "Housing",
    "rent_monthly": "Rent",
    "lha_monthly": "Local Housing Allowance rate",
    "hours_per_week": "Hours a week",
    "hourly_wage": "Pay an hour",
    "pay_frequency": "How often they are paid",
    "start_date": "Start date",
    "capital": "Savings",
    "service_charges_monthly": "Service charges",
    "non_dependants": "Other adults who pay towards housing",
    "spare_bedrooms": "Spare bedrooms",
    "in_london": "Greater London",
    "current_hours": "Hours they work now",
    "current_wage": "Pay now",
    "partner_hours": "Partner's hours a week",
    "partner_wage": "Partner's pay an hour",
    "transitional_element_monthly": "Transitional element",
    "pension_income_monthly": "Pension they get now",
    "childcare_now": "Childcare paid now",
    "childcare_in_work": "Childcare needed for the job",
    "travel_weekly": "Travel to work",
    "pension": "Workplace pension",
    "apprentice": "Apprenticeship",
    "who": "Who takes the job",
    "council_tax_monthly": "Council tax",
    "ctr_maximum_percent": "Most the local scheme pays",
    "ctr_taper_percent": "Reduction lost per £1 earned",
    "first_payday": "First payday",
    "one_off_payment": "One-off payment",
    "one_off_payment_date": "Date of the one-off payment",
    "ap_start_day": "Day the assessment periods start",
    "budget_energy": "Gas and electricity",
    "budget_water": "Water",
    "budget_phone": "Phones and broadband",
    "budget_travel": "Other travel",
    "budget_food": "Food and everything else",
    "budget_debts": "Debt repayments",
    "budget_uc_deductions": "Taken from Universal Credit",
    **{
        f"offer{n}_{field}": f"Offer {n}: {words}"
        for n in (2, 3)
        for field, words in (
            ("hours", "hours a week"),
            ("wage", "pay an hour"),
            ("pay_frequency", "how often paid"),
            ("travel_weekly", "travel to work"),
            ("childcare", "childcare needed"),
        )
    },
}


def name_of(field: str) -> str:
    return NAMES.get(field, field.replace("_", " ").capitalize())


def in_form_order(errors: list[FieldError]) -> list[FieldError]:
    """One error per field, in the order the form asks them (the first found for a field wins)."""
    order = {field: index for index, field in enumerate(NAMES)}
    kept: dict[str, FieldError] = {}
    for error in errors:
        kept.setdefault(error.field, error)
    return sorted(kept.values(), key=lambda e: order.get(e.field, len(order)))


REQUIRED = {
    "age": "Enter the person's age",
    "hours_per_week": "Enter the hours a week the job offers",
    "hourly_wage": "Enter the pay per hour",
}


# Every field `request_body` reads: numbers, choices, dates and children's ages, never free
# text. A calculation saved against a client keeps these, so the next one can start from them.
HOUSEHOLD_FIELDS = frozenset({
    "age", "capability", "pip_daily_living", "pip_mobility", "esa", "jsa", "cares_35_hours",
    "carers_allowance", "pension_income_monthly", "current_hours", "current_wage", "nation",
    "in_london", "childcare_now", "capital", "couple", "married", "partner_age", "partner_hours",
    "partner_wage", "children_ages", "eldest_born_before_april_2017", "tenure", "rent_monthly",
    "service_charges_monthly", "non_dependants", "lha_monthly", "spare_bedrooms",
    "council_tax_monthly", "transitional_element_monthly", "ctr_maximum_percent",
    "ctr_taper_percent", "who", "hours_per_week",
    "hourly_wage", "pay_frequency", "pension", "apprentice", "travel_weekly", "childcare_in_work",
    "start_date", "first_payday", "ap_start_day", "one_off_payment", "one_off_payment_date",
    "budget_energy", "budget_water", "budget_phone", "budget_travel", "budget_food", "budget_debts",
    "budget_uc_deductions",
})

# The budget's form fields and what each is in the engine's request.
BUDGET_FIELDS = {
    "budget_energy": "energy_monthly",
    "budget_water": "water_monthly",
    "budget_phone": "phone_and_broadband_monthly",
    "budget_travel": "travel_monthly",
    "budget_food": "food_and_other_monthly",
    "budget_debts": "debt_repayments_monthly",
    "budget_uc_deductions": "universal_credit_deductions_monthly",
}


# Read for the calculation, never kept: not with the saved household, not in a link to the
# pages, not in a log line (a date of birth identifies a person).
PERSONAL_FIELDS = frozenset({"date_of_birth", "partner_date_of_birth"})


def without_personal(form: Mapping[str, str]) -> dict[str, str]:
    """The answers with the personal ones (dates of birth) left out, for a link or a record."""
    return {name: value for name, value in form.items() if name not in PERSONAL_FIELDS}


def household_fields(form: Mapping[str, str]) -> dict[str, str]:
    """The form's answers worth keeping for next time: known fields that were filled in."""
    return {name: value.strip() for name, value in form.items()
            if name in HOUSEHOLD_FIELDS and value and value.strip()}


class FormInvalid(CalculatorInputError):
    """The answers were refused; each error names the form field to correct."""


def form_field(request_field: str) -> str:
    for pattern, field in FIELD_FOR_ERROR:
        if match := re.search(pattern, request_field):
            if field == "budget":  # household.budget.energy_monthly is the field budget_energy
                by_key = {key: name for name, key in BUDGET_FIELDS.items()}
                return by_key.get(match.group(1), "budget_energy")
            return field
    return "hours_per_week"


class _Reader:
    """Reads typed values from the submitted strings, collecting an error per bad field."""

    def __init__(self, form: Mapping[str, str]) -> None:
        self.form = form
        self.errors: list[FieldError] = []

    def text(self, name: str, default: str = "") -> str:
        return (self.form.get(name) or default).strip()

    def flag(self, name: str) -> bool:
        return self.text(name) in ("yes", "on", "true", "1")

    def number(self, name: str, default: float = 0.0, like: str = "450") -> float:
        raw = self.text(name).replace(",", "").removeprefix("£")
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):  # "nan" and "inf" parse, but are no amount
            self.errors.append(FieldError(name, f"{name_of(name)} must be a number, like {like}"))
            return default
        return value

    def whole(self, name: str, default: int = 0) -> int:
        raw = self.text(name)
        if not raw:
            return default
        if not re.fullmatch(r"-?\d+", raw):
            self.errors.append(FieldError(name, f"{name_of(name)} must be a whole number, like 3"))
            return default
        return int(raw)

    def day(self, name: str) -> date | None:
        raw = self.text(name)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors.append(FieldError(name, f"{name_of(name)} must be a date, like 2026-12-07"))
            return None

    def ages(self, name: str) -> list[int]:
        raw = self.text(name)
        parts = [p for p in re.split(r"[,\s]+", raw) if p]
        if not all(re.fullmatch(r"\d{1,2}", p) for p in parts):
            self.errors.append(FieldError(name, "Enter each child's age in whole years, separated by commas"))
            return []
        return [int(p) for p in parts]


def request_body(form: Mapping[str, str], today: date) -> dict[str, Any]:
    """The engine request for a submitted form (not yet validated by the engine)."""
    body, errors = _read(form, today)
    if errors:
        raise FormInvalid(errors)
    return body


def _read(form: Mapping[str, str], today: date) -> tuple[dict[str, Any], list[FieldError]]:
    """The request as far as the answers can be read, and what could not be (each such field
    left at its default, so the engine can still check every other one)."""
    r = _Reader(form)
    for name, message in REQUIRED.items():
        if name == "age" and r.text("date_of_birth"):
            continue  # the age is worked out from the date of birth
        if not r.text(name):
            r.errors.append(FieldError(name, message))
    body = {"household": _household(r), "job": _job(r, today), "calculation_date": today}
    return body, r.errors


def _household(r: _Reader) -> dict[str, Any]:
    claimant = _claimant(r)
    household: dict[str, Any] = {
        "nation": r.text("nation", "england"),
        "in_london": r.flag("in_london"),
        "claimant": claimant,
        "children": [],
        "childcare_costs_monthly": r.number("childcare_now"),
        "capital": r.number("capital"),
        "transitional_element_monthly": r.number("transitional_element_monthly"),
    }
    if r.text("couple") == "yes":
        household |= {"couple": True, "partner": _partner(r)}
    if r.text("married") == "yes":
        household["married"] = True
    household["children"] = _children(r)
    household["housing"] = _housing(r)
    if any(r.text(name) for name in BUDGET_FIELDS):
        household["budget"] = {key: r.number(name) for name, key in BUDGET_FIELDS.items()}
    council = r.number("council_tax_monthly")
    if council:
        household["council_tax"] = {
            "charge_monthly": council,
            "maximum_reduction": r.number("ctr_maximum_percent", 100, like="80") / 100,
            "taper": r.number("ctr_taper_percent", 20, like="20") / 100,
        }
    return household


def _claimant(r: _Reader) -> dict[str, Any]:
    claimant: dict[str, Any] = {
        **_age(r, "age", "date_of_birth"),
        **CAPABILITY.get(r.text("capability", "none"), {}),
        "pip_daily_living": r.text("pip_daily_living", "none"),
        "pip_mobility": r.text("pip_mobility", "none"),
        "new_style_esa": r.text("esa", "none"),
        "new_style_jsa": r.flag("jsa"),
        "cares_35_hours": r.flag("cares_35_hours") or r.flag("carers_allowance"),
        "carers_allowance": r.flag("carers_allowance"),
        "pension_income_monthly": r.number("pension_income_monthly"),
    }
    current_hours = r.number("current_hours", like="16")
    if current_hours:
        wage = r.number("current_wage", like="12.71")
        claimant["job"] = {"hours_per_week": current_hours, "hourly_wage": wage}
    return claimant


def _partner(r: _Reader) -> dict[str, Any]:
    if not (r.text("partner_age") or r.text("partner_date_of_birth")):
        r.errors.append(FieldError("partner_age", "Enter the partner's age, or choose No for a partner"))
    partner: dict[str, Any] = _age(r, "partner_age", "partner_date_of_birth")
    partner_hours = r.number("partner_hours", like="16")
    if partner_hours:
        wage = r.number("partner_wage", like="12.71")
        partner["job"] = {"hours_per_week": partner_hours, "hourly_wage": wage}
    return partner


def _age(r: _Reader, age: str, born: str) -> dict[str, Any]:
    """The age, the date of birth, or both (the engine checks they agree)."""
    out: dict[str, Any] = {}
    if r.text(age) or not r.text(born):
        out["age"] = r.whole(age, 0)
    if day := r.day(born):
        out["date_of_birth"] = day
    return out


def _children(r: _Reader) -> list[dict[str, Any]]:
    ages = r.ages("children_ages")
    eldest_before = r.flag("eldest_born_before_april_2017")
    children = []
    for index, age in enumerate(ages):
        child: dict[str, Any] = {"age": age}
        if age == 9 and index == ages.index(max(ages)):
            child["born_before_6_april_2017"] = eldest_before
        children.append(child)
    return children


def _housing(r: _Reader) -> dict[str, Any]:
    tenure = r.text("tenure", "no_housing_costs")
    housing: dict[str, Any] = {"tenure": tenure}
    if tenure in ("social_rent", "private_rent"):
        housing |= {
            "rent_monthly": r.number("rent_monthly"),
            "service_charges_monthly": r.number("service_charges_monthly"),
            "non_dependants": r.whole("non_dependants"),
        }
    if tenure == "private_rent":
        lha = r.number("lha_monthly", default=-1)
        housing["local_housing_allowance_monthly"] = None if lha < 0 else lha
    if tenure == "social_rent":
        housing["spare_bedrooms"] = r.whole("spare_bedrooms")
    return housing


def _job(r: _Reader, today: date) -> dict[str, Any]:
    job: dict[str, Any] = {
        "who": r.text("who", "claimant"),
        "hours_per_week": r.number("hours_per_week", like="16"),
        "hourly_wage": r.number("hourly_wage", like="12.71"),
        "pay_frequency": r.text("pay_frequency", "monthly"),
        "pension": r.text("pension", "relief_at_source"),
        "apprentice": r.flag("apprentice"),
        "travel_costs_weekly": r.number("travel_weekly"),
        "childcare_costs_monthly": r.number("childcare_in_work"),
        "start_date": r.day("start_date") or today,
    }
    if first := r.day("first_payday"):
        job["first_payday"] = first
    if r.text("ap_start_day"):
        job["assessment_period_start_day"] = r.whole("ap_start_day")
    if one_off := r.number("one_off_payment"):
        job["one_off_payment"] = one_off
    if paid_on := r.day("one_off_payment_date"):
        job["one_off_payment_date"] = paid_on
    return job


def parse_form(form: Mapping[str, str], today: date) -> BetterOffRequest:
    """The engine's request for these answers; `FormInvalid` names each field to correct,
    every one at once (what could not be read, then what the engine and the checks refuse)."""
    body, errors = _read(form, today)
    try:
        request = BetterOffRequest.model_validate(body)
    except ValidationError as exc:
        job = body["job"]
        checked = _form_errors_of(job_errors("job", job["hours_per_week"], job["start_date"]))
        raise FormInvalid(in_form_order(errors + _form_errors(exc) + checked)) from None
    errors += _form_errors_of(request_errors(request))
    if errors:
        raise FormInvalid(in_form_order(errors))
    return request


# The other offers' fields: offer2_hours, offer3_wage and so on, by what they hold.
OFFER_FIELDS = {
    "hours_per_week": "hours",
    "hourly_wage": "wage",
    "pay_frequency": "pay_frequency",
    "travel_costs_weekly": "travel_weekly",
    "childcare_costs_monthly": "childcare",
}
OTHER_OFFERS = (2, 3)


def parse_comparison(form: Mapping[str, str], today: date) -> CompareRequest | None:
    """The offers to compare when the form gives a second or third one, else None; the
    first offer is the form's own job. `FormInvalid` names each field to correct."""
    r = _Reader(form)
    offers = [offer for n in OTHER_OFFERS if (offer := _offer(r, n, today))]
    if r.text("offer3_hours") and not r.text("offer2_hours"):
        # Offers keep their numbers from the form to the answer, so none is skipped.
        r.errors.append(FieldError("offer3_hours", "Fill in offer 2 first, then offer 3"))
    if not offers:
        if r.errors:
            raise FormInvalid(in_form_order(r.errors))
        return None
    body, errors = _read(form, today)
    errors += r.errors
    try:
        request = CompareRequest.model_validate(
            {"household": body["household"], "offers": [body["job"], *offers], "calculation_date": today}
        )
    except ValidationError as exc:
        checked = [
            error
            for index, offer in enumerate(offers, start=1)
            for error in job_errors(f"offers.{index}", offer["hours_per_week"], offer["start_date"])
        ]
        raise FormInvalid(in_form_order(errors + _form_errors(exc) + _form_errors_of(checked))) from None
    errors += _form_errors_of(request_errors(request))
    if errors:
        raise FormInvalid(in_form_order(errors))
    return request


def _offer(r: _Reader, n: int, today: date) -> dict[str, Any] | None:
    """Offer `n` from its fields, or None when its hours are left empty."""
    name = f"offer{n}_"
    if not r.text(name + "hours"):
        return None
    if not r.text(name + "wage"):
        r.errors.append(FieldError(name + "wage", f"Enter the pay per hour for offer {n}"))
    return {
        "who": r.text("who", "claimant"),
        "hours_per_week": r.number(name + "hours", like="16"),
        "hourly_wage": r.number(name + "wage", like="12.71"),
        "pay_frequency": r.text(name + "pay_frequency") or r.text("pay_frequency", "monthly"),
        "pension": r.text("pension", "relief_at_source"),
        "travel_costs_weekly": r.number(name + "travel_weekly"),
        "childcare_costs_monthly": r.number(name + "childcare"),
        "start_date": r.day("start_date") or today,
    }


def _offer_field(request_field: str) -> str:
    """The form field for an error about offers.N.x: the job's own for the first offer."""
    index, _, rest = request_field.removeprefix("offers.").partition(".")
    if index == "0" or not index.isdigit() or rest.split(".")[0] not in OFFER_FIELDS:
        return form_field("job." + rest)  # the first offer's, or one the offers share (start date)
    return f"offer{int(index) + 1}_" + OFFER_FIELDS[rest.split(".")[0]]


def _form_errors(exc: ValidationError) -> list[FieldError]:
    """The engine's errors on the form's fields."""
    return _form_errors_of(field_errors(exc))


def _form_errors_of(errors: list[FieldError]) -> list[FieldError]:
    """Errors about request fields as errors about the form's fields, in its words (a field
    with several keeps the first, which keeps the summary readable)."""
    out = []
    for error in errors:
        offer = error.field.startswith("offers")
        field = _offer_field(error.field) if offer else form_field(error.field)
        out.append(FieldError(field, _plain(field, error.message)))
    return out


def _plain(field: str, message: str) -> str:
    """pydantic's wording, made into a sentence an advisor reads, naming the field."""
    message = re.sub(r"^Input should be greater than or equal to (\S+)$", r"must be \1 or more", message)
    message = re.sub(r"^Input should be less than or equal to (\S+)$", r"must be \1 or less", message)
    message = re.sub(r"^Input should be greater than (\S+)$", r"must be more than \1", message)
    message = re.sub(r"^Input should be less than (\S+)$", r"must be less than \1", message)
    if message.startswith("Input should be a finite number"):
        message = "must be a number, like 12.71"
    if message.startswith("Input should be '"):  # a choice the form does not offer (a tampered form)
        return f"{name_of(field)}: choose one of the options"
    if message.startswith("must "):
        return f"{name_of(field)} {message}"
    return message[:1].upper() + message[1:]
