"""The advisor pages: the form, the result, the client's printable summary, saving, sources.

Server-rendered and working without JavaScript; Jinja escapes everything echoed back.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from pydantic import ValidationError

from calculator.chart import chart_sweep
from calculator.engine import BetterOffRequest, CompareRequest, calculate, compare, sweep
from calculator.errors import FieldError
from calculator.household_form import (
    BUDGET_FIELDS,
    OFFER_FIELDS,
    OTHER_OFFERS,
    FormInvalid,
    household_fields,
    in_form_order,
    parse_comparison,
    parse_form,
)
from calculator.parameters import tax_year, tax_year_for
from calculator.web.chart import hours_chart
from calculator.web.guards import account_header
from calculator.web.openapi import document
from calculator.web.plain import answers_in_words, cautions_in_words, changes_in_words, what_to_do_next
from calculator.web.saving import LinkNotOpened, NotSaved, People, SaveCalculation, SignedIn

pages = Blueprint(
    "pages", __name__, template_folder="templates", static_folder="static", static_url_path="/static"
)

DEFAULTS = {
    "nation": "england",
    "capability": "none",
    "couple": "no",
    "tenure": "no_housing_costs",
    "pay_frequency": "monthly",
    "pension": "relief_at_source",
    "who": "claimant",
}
MORE_DETAILS = {
    "capital",
    "transitional_element_monthly",
    "service_charges_monthly",
    "non_dependants",
    "spare_bedrooms",
    "current_hours",
    "current_wage",
    "partner_hours",
    "partner_wage",
    "pension_income_monthly",
    "childcare_now",
    "childcare_in_work",
    "travel_weekly",
    "council_tax_monthly",
    "ctr_maximum_percent",
    "ctr_taper_percent",
    "first_payday",
    "ap_start_day",
    "one_off_payment",
    "one_off_payment_date",
    "who",
    "pension",
}


def _today() -> date:
    return date.today()


def _rules_year() -> str | None:
    """Today's tax year, or None when its rules are not on file yet."""
    try:
        return tax_year_for(_today()).tax_year
    except ValueError:
        return None


@pages.app_context_processor
def footer_links() -> dict[str, Any]:
    """The footer's links on every page: the calculator, this year's sources, the API."""
    links = [{"href": url_for("pages.form"), "text": "Better-off calculator"}]
    if year := _rules_year():
        links.append({"href": url_for("pages.sources", name=year), "text": "Rates and references"})
    links.append({"href": url_for("pages.docs"), "text": "API"})
    if request.script_root:  # mounted under the web process, whose overview is at /
        links.insert(0, {"href": "/", "text": "Caseload overview"})
    return {"footer_links": links}


def _people() -> People | None:
    people: People | None = current_app.config.get("PEOPLE")
    return people


def _signed_in() -> SignedIn | None:
    people = _people()
    return people.signed_in() if people is not None else None


def _can_save() -> SignedIn | None:
    """The signed-in person when they may save (their role allows it and saving is wired)."""
    person = _signed_in()
    return person if person is not None and person.can_save and _saver() is not None else None


def _answers(form: Any) -> dict[str, str]:
    """The form's answers as given, without the form's CSRF token (a new page gets its own)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


@pages.app_context_processor
def signed_in_header() -> dict[str, Any]:
    """Who is signed in, and Sign out, in the header of every page (mounted with sign-in)."""
    people, person = _people(), _signed_in()
    if people is None or person is None:
        return {}
    return {"header_account": account_header(person.name, people.sign_out_url())}


@pages.before_request
def sign_in_first() -> Any:
    """Mounted with the record, every page is for signed-in staff; on its own, for anyone."""
    people = _people()
    if people is None or request.endpoint == "pages.static" or people.signed_in() is not None:
        return None
    return redirect(people.sign_in_url(request.script_root + request.full_path.rstrip("?")))


# The other offers' fields, which open their own "Compare with other offers" section.
OFFER_NAMES = {f"offer{n}_{name}" for n in OTHER_OFFERS for name in OFFER_FIELDS.values()}


def _form_page(values: dict[str, str], errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    shown = {**DEFAULTS, "start_date": _today().isoformat(), **values}
    open_compare = any(name in OFFER_NAMES for name in errors) or any(
        values.get(f"offer{n}_hours") for n in OTHER_OFFERS
    )
    open_budget = any(name in BUDGET_FIELDS for name in {*errors, *(k for k, v in values.items() if v)})
    open_details = any(name in MORE_DETAILS for name in errors) or any(
        values.get(name) for name in MORE_DETAILS - {"who", "pension"}
    )
    return render_template(
        "form.html",
        values=shown,
        errors=errors,
        tax_year=_rules_year(),
        signed_in=_can_save() is not None,
        open_details=open_details,
        open_compare=open_compare,
        open_budget=open_budget,
    ), status


@pages.route("/", methods=["GET", "POST"])
def form() -> Any:
    """GET: an empty form. POST: the form again with the answers given ("Change the answers")."""
    return _form_page(_answers(request.values), {})


def _result_page(
    req: BetterOffRequest,
    values: dict[str, str],
    save: dict[str, Any] | None,
    comparison: CompareRequest | None = None,
) -> str:
    result = calculate(req)
    compared = compare(comparison) if comparison is not None else None
    swept = sweep(chart_sweep(req))
    chart = hours_chart(swept, result.now.monthly)
    return render_template(
        "result.html",
        result=result,
        sweep=swept,
        chart=chart,
        values=values,
        request_json=req.model_dump_json(),
        save=save,
        compared=compared,
    )


def _answers_page(form_data: Any, values: dict[str, str]) -> Any:
    # Both read every answer, so every problem shows on the first submit, in the form's order.
    errors: list[FieldError] = []
    try:
        req = parse_form(form_data, _today())
    except FormInvalid as invalid:
        errors += invalid.errors
    try:
        comparison = parse_comparison(form_data, _today())
    except FormInvalid as invalid:
        errors += invalid.errors
    if errors:
        return _form_page(values, {e.field: e.message for e in in_form_order(errors)}, status=422)
    save = {"saved": False, "reference": None, "error": None} if _can_save() is not None else None
    return _result_page(req, values, save, comparison)


@pages.route("/result", methods=["GET", "POST"])
def result() -> Any:
    """POST: the form's answers. GET (a bookmark, or an old link from Slack): the empty form."""
    if request.method == "GET":
        return _form_page({}, {}, 200)
    return _answers_page(request.form, _answers(request.form))


def _link_page(link_id: str, person: SignedIn, *, use: bool) -> Any:
    people = _people()
    assert people is not None
    try:
        answers = people.open_link(link_id, person.slack_user_id, use=use)
    except LinkNotOpened as refused:
        return render_template("link.html", refused=str(refused), link_id=None), 410 if refused.gone else 404
    if not use:
        return render_template("link.html", refused=None, link_id=link_id, person=person)
    return _answers_page(answers, dict(answers))


@pages.route("/link/<link_id>", methods=["GET", "POST"])
def link(link_id: str) -> Any:
    """A one-time link from Slack: GET asks the signed-in person to confirm (using nothing);
    POST uses the link, once, and shows the result of the answers given in Slack."""
    person = _signed_in()
    if _people() is None or person is None:
        return render_template("link.html", refused="Links from Slack open only where staff sign in.",
                               link_id=None), 404
    return _link_page(link_id, person, use=request.method == "POST")


def _request_from_hidden() -> BetterOffRequest | None:
    try:
        return BetterOffRequest.model_validate(json.loads(request.form.get("request", "")))
    except (ValueError, ValidationError):
        return None


@pages.post("/summary")
def summary() -> Any:
    req = _request_from_hidden()
    if req is None:
        return _form_page({}, {"hours_per_week": "Start again: the answers did not come through"}, 422)
    result = calculate(req)
    return render_template(
        "summary.html",
        result=result,
        answers=answers_in_words(req),
        changes=changes_in_words(result),
        next_steps=what_to_do_next(req, result),
        cautions=cautions_in_words(result),
        pension=any(line.key == "pension" for line in result.lines),
    )


def _saver() -> SaveCalculation | None:
    saver: SaveCalculation | None = current_app.config["SAVE_CALCULATION"]
    return saver


@pages.post("/save")
def save() -> Any:
    req = _request_from_hidden()
    person = _can_save()
    saver = _saver()
    if req is None or person is None or saver is None:
        return _form_page(
            {},
            {"hours_per_week": "Sign in as an advisor or specialist to save a calculation against a client"},
            403,
        )
    reference = request.form.get("client_reference", "")
    result = calculate(req)
    state: dict[str, Any] = {"saved": False, "reference": reference, "error": None}
    household = household_fields(request.form)
    try:
        saver(person.slack_user_id, reference, req, result, household)
        state["saved"] = True
        state["reference"] = reference.strip().upper()
    except NotSaved as exc:
        state["error"] = str(exc)
    return _result_page(req, household, state)


@pages.get("/sources/<name>")
def sources(name: str) -> Any:
    try:
        year = tax_year(name)
    except ValueError as exc:
        return render_template("sources.html", year=None, message=str(exc)), 404
    return render_template("sources.html", year=year, message=None)


@pages.get("/docs")
def docs() -> Any:
    return render_template(
        "docs.html",
        doc=document(request.script_root + "/" if request.script_root else "/"),
        example=json.dumps(EXAMPLE, indent=2),
    )


EXAMPLE = {
    "household": {
        "claimant": {"age": 34, "lcwra": True},
        "housing": {"tenure": "social_rent", "rent_monthly": 450},
    },
    "job": {"hours_per_week": 16, "hourly_wage": 12.71, "pay_frequency": "weekly"},
}
