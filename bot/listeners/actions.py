"""Buttons about one client: the four-week nudge's Log contact / Snooze 7 days / Put on hold, and
the client card's Log contact / Put on hold / Discharge, which open a modal, and its Take off
hold, which acts at once (a second press finds the client off hold and says so)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.views import modals
from bot.views.clients import (
    CARD_DISCHARGE,
    CARD_HOLD,
    CARD_LOG_CONTACT,
    CARD_RESUME,
    taken_off_hold,
)
from bot.views.nudges import HOLD, LOG_CONTACT, SNOOZE
from caseload import clock
from caseload.clients import get_client, resume
from caseload.db import Database
from caseload.errors import CaseloadError
from caseload.staff import staff_by_slack_id


def register(app: App, database: Database) -> None:
    def opener(make_view):  # type: ignore[no-untyped-def]
        def open_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            # The trigger_id lives three seconds: acknowledge, look up, open, nothing else.
            ack()
            user_id = body["user"]["id"]
            try:
                client_id = int(body["actions"][0]["value"])
                with database.reading() as session:
                    actor = staff_by_slack_id(session, user_id)
                    record = get_client(session, actor, client_id)
                    view = make_view(record.id, record.reference)
            except (CaseloadError, ValueError) as exc:
                client.chat_postEphemeral(channel=body.get("channel", {}).get("id", user_id),
                                          user=user_id, text=str(exc))
                return
            client.views_open(trigger_id=body["trigger_id"], view=view)

        return open_modal

    def contact(client_id: int, reference: str) -> View:
        return modals.contact_modal(client_id, reference, clock.today())

    def discharge(client_id: int, reference: str) -> View:
        return modals.discharge_modal(client_id, reference, clock.today())

    app.action(SNOOZE)(opener(modals.snooze_modal))
    app.action(HOLD)(opener(modals.hold_modal))
    app.action(LOG_CONTACT)(opener(contact))
    app.action(CARD_LOG_CONTACT)(opener(contact))
    app.action(CARD_HOLD)(opener(modals.hold_modal))
    app.action(CARD_DISCHARGE)(opener(discharge))

    @app.action(CARD_RESUME)
    def take_off_hold(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        channel = body.get("channel", {}).get("id", user_id)
        try:
            with database.transaction() as session:
                actor = staff_by_slack_id(session, user_id)
                record = resume(session, actor, get_client(session, actor,
                                                           int(body["actions"][0]["value"])))
                text = taken_off_hold(record)
        except (CaseloadError, ValueError) as exc:
            text = str(exc) if isinstance(exc, CaseloadError) else "That client is not known."
        client.chat_postEphemeral(channel=channel, user=user_id, text=text)
