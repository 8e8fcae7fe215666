"""The weekly "just ask": `/ips justask`, a tap for "didn't ask", a short modal otherwise."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners.common import tell_privately
from bot.listeners.dispatch import Invocation
from bot.listeners.submissions import save_and_confirm
from bot.modal_input import submitted, values_of
from bot.views import modals
from caseload import clock
from caseload.db import Database, Session
from caseload.errors import CaseloadError
from caseload.just_ask import JustAskAnswer, record_just_ask, week_starting
from caseload.models import Staff
from caseload.staff import staff_by_slack_id
from caseload.validation import parse
from messaging.views import Message
from messaging.views.just_ask import DID_NOT_ASK, NOT_NOW, WANTS_WORK, just_ask_prompt, just_ask_saved

BLOCKS = {"asked_count": "asked_count", "said_yes_count": "said_yes_count",
          "referred_count": "referred_count", "week_of": "asked_count"}


def just_ask_command(inv: Invocation) -> None:
    """`/ips justask`: this week's prompt with its buttons, privately."""
    prompt = just_ask_prompt(week_starting(clock.today()))
    inv.ack(response_type="ephemeral", **prompt.as_kwargs())


def _record(database: Database, user_id: str, answer: dict[str, Any]) -> None:
    with database.transaction() as session:
        record_just_ask(session, staff_by_slack_id(session, user_id),
                        parse(JustAskAnswer, answer))


def did_not_ask(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    user_id = body["user"]["id"]
    week = body["actions"][0]["value"]
    try:
        _record(database, user_id, {"week_of": week, "asked_count": 0})
        text = "Thanks, noted. There's always next week: just ask."
    except CaseloadError as exc:
        text = str(exc)
    tell_privately(client, body, text)


def open_answer_modal(wants_work: bool, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """"They'd like work" or "Asked, not now": the counts modal for the week on the button."""
    ack()
    week = date.fromisoformat(body["actions"][0]["value"])
    client.views_open(trigger_id=body["trigger_id"], view=modals.just_ask_modal(week, wants_work))


def answer_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The counts saved, and the thank-you queued in the same transaction (the outbox), so a
    Slack failure after the save cannot lose it."""
    values = values_of(body["view"])
    answer: dict[str, Any] = {"week_of": body["view"]["private_metadata"]}
    for block in ("asked_count", "said_yes_count", "referred_count"):
        if block in values:
            answer[block] = submitted(values, block) or 0

    def save(session: Session, actor: Staff, _view: dict[str, Any]) -> Message:
        # One answer per person per week, so a second submission just saves it again.
        record_just_ask(session, actor, parse(JustAskAnswer, answer))
        to_refer = int(answer.get("said_yes_count") or 0) - int(answer.get("referred_count") or 0)
        return just_ask_saved(to_refer)

    save_and_confirm(database, ack, body, client, save, BLOCKS, "asked_count")


def register(app: App, database: Database) -> None:
    app.action(DID_NOT_ASK)(partial(did_not_ask, database))
    app.action(WANTS_WORK)(partial(open_answer_modal, True))
    app.action(NOT_NOW)(partial(open_answer_modal, False))
    app.view(modals.JUST_ASK)(partial(answer_submitted, database))
