"""`/ips betteroff`: the modal, then the answer in a DM with the hours chart.

The submission is checked at once (errors appear beside the fields) and acknowledged; the
calculation, the chart and the upload run after the acknowledgement (a lazy listener),
so Slack's three seconds are never at risk.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners.common import sentence
from bot.listeners.submissions import first_delivery
from bot.views.betteroff import (
    BETTER_OFF,
    MODAL_FIELDS,
    SavedHousehold,
    better_off_message,
    better_off_modal,
    form_values,
)
from calculator.chart import chart_sweep, hours_chart_png
from calculator.client import CalculatorClient, CalculatorUnavailable
from calculator.engine import BetterOffRequest, CompareRequest
from calculator.errors import CalculatorInputError
from calculator.household_form import (
    FormInvalid,
    household_fields,
    parse_comparison,
    parse_form,
    without_personal,
)
from calculator.links import result_page_link
from calculator.settings import get_calculator_settings
from caseload import clock
from caseload.calculations import record_for_reference, saved_household
from caseload.calculator_links import issue_link
from caseload.db import Database
from caseload.errors import CaseloadError
from caseload.references import client_reference_problem
from caseload.staff import staff_by_slack_id

log = logging.getLogger("bot.betteroff")


def open_better_off_modal(database: Database, client: WebClient, trigger_id: str, user: str,
                          reference: str | None = None) -> None:
    """The modal, filled in from the client's last saved household when there is one."""
    saved = None
    if reference:
        try:
            with database.reading() as session:
                found = saved_household(session, staff_by_slack_id(session, user), reference)
        except CaseloadError:
            # Not a client this person may calculate for: the empty modal, and saving it
            # says why beside the reference.
            found = None
        if found:
            values, calculated_at = found
            saved = SavedHousehold(values, calculated_at.date())
    client.views_open(trigger_id=trigger_id, view=better_off_modal(reference, saved))


def check_submission(ack: Ack, body: dict[str, Any]) -> None:
    """Check the answers at once, so errors appear beside the fields; `answer` does the work."""
    values = form_values(body["view"])
    try:
        parse_form(values, clock.today())
        parse_comparison(values, clock.today())
    except FormInvalid as invalid:
        errors: dict[str, str] = {}
        for error in invalid.errors:
            block = error.field if error.field in MODAL_FIELDS else "hours_per_week"
            errors.setdefault(block, error.message[:150])
        ack(response_action="errors", errors=errors)
        return
    except ValueError as exc:  # no rules on file for today's tax year
        ack(response_action="errors", errors={"hours_per_week": str(exc)[:150]})
        return
    ack()


def answer(database: Database, body: dict[str, Any], client: WebClient) -> None:
    """After the acknowledgement: calculate, save against the client when asked, and reply."""
    values = form_values(body["view"])
    reference = (values.pop("client_reference", "") or "").strip().upper() or None
    try:
        request = parse_form(values, clock.today())
        comparison = parse_comparison(values, clock.today())
    except (FormInvalid, ValueError):
        # `check_submission` put the errors beside the fields and the modal stays open: the
        # corrected submission, under the same view id, is the one to answer.
        return
    # Slack may deliver a submission again; the view id makes the answer once-only.
    with database.transaction() as session:
        if not first_delivery(session, body["view"], purpose="betteroff"):
            return
    user = body["user"]["id"]
    try:
        send_answer(database, client, user, request, values, reference, comparison)
    except (CalculatorUnavailable, CalculatorInputError) as exc:
        log.warning("better-off for %s failed: %s", user, exc)
        channel = client.conversations_open(users=user)["channel"]["id"]
        client.chat_postMessage(channel=channel, text=f"The calculator could not answer just now: {exc}")


def register(app: App, database: Database) -> None:
    app.view(BETTER_OFF)(ack=check_submission, lazy=[partial(answer, database)])


def send_answer(database: Database, client: WebClient, user: str, request: BetterOffRequest,
                values: dict[str, str], reference: str | None,
                comparison: CompareRequest | None = None) -> None:
    """The answer to `request` (read from the modal's `values`) in a DM, saved against
    `reference` when given and allowed, with the other offers beside it when there are any."""
    calculator = CalculatorClient.from_settings()
    result = calculator.better_off(request)
    compared = calculator.compare(comparison) if comparison is not None else None
    swept = calculator.sweep(chart_sweep(request))
    saved = False
    note = ""
    if reference and client_reference_problem(reference):
        # Never echo what may be an NHS number or a name back into Slack.
        note = "Not saved: that is not a client reference (use the local one, never a name or NHS number)."
        reference = None
    if reference:
        try:
            with database.transaction() as session:
                actor = staff_by_slack_id(session, user)
                record_for_reference(
                    session,
                    actor,
                    reference,
                    result.tax_year,
                    request.inputs_to_record(),
                    Decimal(str(result.better_off.monthly)),
                    household=household_fields(values),
                )
            saved = True
        except CaseloadError as exc:
            note = f"Not saved: {sentence(exc)}"
    page = None
    if get_calculator_settings().calculator_public_url:
        # A one-time link: the answers stay in the record, the URL carries an opaque id.
        with database.transaction() as session:
            link_id = issue_link(session, user, without_personal(values))
        page = result_page_link(get_calculator_settings(), link_id)
    message = better_off_message(result, reference if saved else None, page, saved, compared)
    channel = client.conversations_open(users=user)["channel"]["id"]
    client.chat_postMessage(channel=channel, **message.as_kwargs())
    if note:
        client.chat_postMessage(channel=channel, text=note)
    client.files_upload_v2(
        channel=channel,
        content=hours_chart_png(swept, result.now.monthly),
        filename="hours-chart.png",
        title="Money left each month at each number of hours",
    )
