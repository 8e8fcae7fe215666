"""The weekly "just ask" buttons: a tap for "didn't ask", a short modal otherwise."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners.common import refuse_in_modal
from bot.views import modals
from bot.views.just_ask import DID_NOT_ASK, NOT_NOW, WANTS_WORK, just_ask_saved
from caseload.db import Database
from caseload.errors import CaseloadError
from caseload.just_ask import JustAskAnswer, record_just_ask
from caseload.staff import staff_by_slack_id
from caseload.validation import parse

BLOCKS = {"asked_count": "asked_count", "said_yes_count": "said_yes_count",
          "referred_count": "referred_count", "week_of": "asked_count"}


def _record(database: Database, user_id: str, answer: dict[str, Any]) -> None:
    with database.transaction() as session:
        record_just_ask(session, staff_by_slack_id(session, user_id),
                        parse(JustAskAnswer, answer))


def register(app: App, database: Database) -> None:
    @app.action(DID_NOT_ASK)
    def did_not_ask(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        week = body["actions"][0]["value"]
        try:
            _record(database, user_id, {"week_of": week, "asked_count": 0})
            text = "Thanks, noted. There's always next week: just ask."
        except CaseloadError as exc:
            text = str(exc)
        client.chat_postEphemeral(channel=body["channel"]["id"], user=user_id, text=text)

    def opener(wants_work: bool):  # type: ignore[no-untyped-def]
        def open_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            week = date.fromisoformat(body["actions"][0]["value"])
            client.views_open(trigger_id=body["trigger_id"],
                              view=modals.just_ask_modal(week, wants_work))

        return open_modal

    app.action(WANTS_WORK)(opener(True))
    app.action(NOT_NOW)(opener(False))

    @app.view(modals.JUST_ASK)
    def submit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        values = body["view"]["state"]["values"]
        answer: dict[str, Any] = {"week_of": body["view"]["private_metadata"]}
        for block in ("asked_count", "said_yes_count", "referred_count"):
            if block in values:
                answer[block] = values[block]["value"].get("value") or 0
        try:
            # One answer per person per week, so a repeated submission just saves it again.
            _record(database, body["user"]["id"], answer)
        except CaseloadError as exc:
            refuse_in_modal(ack, exc, BLOCKS, "asked_count")
            return
        ack()
        to_refer = int(answer.get("said_yes_count") or 0) - int(answer.get("referred_count") or 0)
        message = just_ask_saved(to_refer)
        client.chat_postMessage(channel=body["user"]["id"], **message.as_kwargs())
