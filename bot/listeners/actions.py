"""Buttons about one client: the four-week nudge's Log contact / Snooze 7 days / Put on hold, and
the client card's Log contact / Put on hold / Discharge, which open a modal, and its Take off
hold, which acts at once (a second press finds the client off hold and says so)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.listeners.common import open_for_presser, tell_privately
from bot.views import modals
from bot.views.clients import (
    CARD_DISCHARGE,
    CARD_HOLD,
    CARD_IN_WORK,
    CARD_LOG_CONTACT,
    CARD_RESUME,
    taken_off_hold,
)
from caseload import clock
from caseload.clients import get_client, resume
from caseload.db import Database, Session
from caseload.errors import CaseloadError
from caseload.models import Staff
from caseload.staff import staff_by_slack_id
from messaging.views.nudges import HOLD, LOG_CONTACT, SNOOZE


def open_client_modal(database: Database, make_view: Callable[[int, str], View], ack: Ack,
                      body: dict[str, Any], client: WebClient) -> None:
    """A modal about the client on the pressed button, for someone who may see them."""
    def make(session: Session, actor: Staff) -> View:
        record = get_client(session, actor, int(body["actions"][0]["value"]))
        return make_view(record.id, record.reference)

    refusal = open_for_presser(database, ack, body, client, make)
    if refusal is not None:
        tell_privately(client, body, str(refusal))


def _contact_modal(client_id: int, reference: str) -> View:
    return modals.contact_modal(client_id, reference, clock.today())


def _in_work_modal(client_id: int, reference: str) -> View:
    return modals.in_work_contact_modal(clock.today(), client_id, reference)


def _discharge_modal(client_id: int, reference: str) -> View:
    return modals.discharge_modal(client_id, reference, clock.today())


def take_off_hold(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The card's Take off hold: at once, saying so privately."""
    ack()
    try:
        with database.transaction() as session:
            actor = staff_by_slack_id(session, body["user"]["id"])
            record = resume(session, actor, get_client(session, actor, int(body["actions"][0]["value"])))
            text = taken_off_hold(record)
    except (CaseloadError, ValueError) as exc:
        text = str(exc) if isinstance(exc, CaseloadError) else "That client is not known."
    tell_privately(client, body, text)


def register(app: App, database: Database) -> None:
    app.action(SNOOZE)(partial(open_client_modal, database, modals.snooze_modal))
    app.action(HOLD)(partial(open_client_modal, database, modals.hold_modal))
    app.action(LOG_CONTACT)(partial(open_client_modal, database, _contact_modal))
    app.action(CARD_LOG_CONTACT)(partial(open_client_modal, database, _contact_modal))
    app.action(CARD_IN_WORK)(partial(open_client_modal, database, _in_work_modal))
    app.action(CARD_HOLD)(partial(open_client_modal, database, modals.hold_modal))
    app.action(CARD_DISCHARGE)(partial(open_client_modal, database, _discharge_modal))
    app.action(CARD_RESUME)(partial(take_off_hold, database))
