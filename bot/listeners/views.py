"""Modal submissions: validate through caseload, answer errors in place, write once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.listeners.common import refuse_in_modal
from bot.views import modals
from caseload import clients, snoozes
from caseload.contacts import NewEmployerContact, record_employer_contact
from caseload.db import Database
from caseload.errors import CaseloadError, InvalidInput
from caseload.idempotency import claim
from caseload.models import Client, Staff
from caseload.staff import staff_by_slack_id
from caseload.validation import parse

Values = dict[str, dict[str, dict[str, Any]]]


def _value(values: Values, block: str) -> Any:
    element = values.get(block, {}).get("value", {})
    if "selected_date" in element:
        return element["selected_date"]
    if "selected_option" in element:
        option = element["selected_option"]
        return option["value"] if option else None
    return element.get("value")


def _snooze(session: Session, actor: Staff, client: Client, values: Values) -> str:
    snooze = parse(snoozes.Snooze, {"reason": _value(values, "reason") or ""})
    snoozes.snooze_nudges(session, actor, client, snooze)
    return f"Nudges about {client.reference} are snoozed for {snooze.days} days."


def _hold(session: Session, actor: Staff, client: Client, values: Values) -> str:
    hold = parse(clients.Hold, {"reason": _value(values, "reason") or "",
                                "until": _value(values, "until")})
    clients.put_on_hold(session, actor, client, hold)
    until = f" until {hold.until:%-d %B}" if hold.until else ""
    return f"{client.reference} is on hold{until}; no nudges meanwhile."


def _contact(session: Session, actor: Staff, client: Client, values: Values) -> str:
    contact = parse(NewEmployerContact, {
        "employer": _value(values, "employer") or "",
        "contacted_on": _value(values, "contacted_on"),
        "face_to_face": _value(values, "face_to_face") == "yes",
        "client_id": client.id,
    })
    record_employer_contact(session, actor, contact)
    kind = "face-to-face " if contact.face_to_face else ""
    return f"Logged a {kind}employer contact for {client.reference} with {contact.employer}."


HANDLERS: dict[str, tuple[Callable[[Session, Staff, Client, Values], str], dict[str, str], str]] = {
    modals.SNOOZE: (_snooze, {"reason": "reason"}, "reason"),
    modals.HOLD: (_hold, {"reason": "reason", "until": "until"}, "reason"),
    modals.CONTACT: (_contact, {"employer": "employer", "contacted_on": "contacted_on",
                                "face_to_face": "face_to_face", "notes": "employer"},
                     "employer"),
}


def register(app: App, database: Database) -> None:
    for callback_id, (handler, blocks, fallback) in HANDLERS.items():
        app.view(callback_id)(_submission(database, handler, blocks, fallback))

    @app.view(modals.ANY_CONTACT)
    def any_contact(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        view, user_id = body["view"], body["user"]["id"]
        values = view["state"]["values"]
        contact_blocks = HANDLERS[modals.CONTACT][1]
        try:
            with database.transaction() as session:
                if not claim(session, f"view:{view['id']}"):
                    ack()
                    return
                actor = staff_by_slack_id(session, user_id)
                reference = (_value(values, "reference") or "").strip()
                if reference:
                    try:
                        record = clients.find_client(session, actor, reference)
                    except CaseloadError as exc:
                        raise InvalidInput.one("reference", str(exc)) from None
                    confirmation = _contact(session, actor, record, values)
                else:
                    contact = parse(NewEmployerContact, {
                        "employer": _value(values, "employer") or "",
                        "contacted_on": _value(values, "contacted_on"),
                        "face_to_face": _value(values, "face_to_face") == "yes"})
                    record_employer_contact(session, actor, contact)
                    confirmation = f"Logged job development with {contact.employer}."
        except CaseloadError as exc:
            refuse_in_modal(ack, exc, {**contact_blocks, "reference": "reference"}, "employer")
            return
        ack()
        client.chat_postMessage(channel=user_id, text=confirmation)


def _submission(database: Database, handler, blocks: dict[str, str], fallback: str):  # type: ignore[no-untyped-def]
    def submit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        view = body["view"]
        user_id = body["user"]["id"]
        try:
            with database.transaction() as session:
                # A double click or a retried delivery carries the same view id: write once.
                if not claim(session, f"view:{view['id']}"):
                    ack()
                    return
                actor = staff_by_slack_id(session, user_id)
                record = clients.get_client(session, actor, int(view["private_metadata"]))
                confirmation = handler(session, actor, record, view["state"]["values"])
        except CaseloadError as exc:
            refuse_in_modal(ack, exc, blocks, fallback)
            return
        ack()
        client.chat_postMessage(channel=user_id, text=confirmation)

    return submit
