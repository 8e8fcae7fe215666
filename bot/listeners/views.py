"""Modal submissions: validate through caseload, answer errors in place, write once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.listeners.common import refuse_in_modal
from bot.views import Message, modals
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


Handler = Callable[[Session, Staff, Client, Values], str]
HANDLERS: dict[str, tuple[Handler, dict[str, str], str]] = {
    modals.SNOOZE: (_snooze, {"reason": "reason"}, "reason"),
    modals.HOLD: (_hold, {"reason": "reason", "until": "until"}, "reason"),
    modals.CONTACT: (_contact, {"employer": "employer", "contacted_on": "contacted_on",
                                "face_to_face": "face_to_face", "notes": "employer"},
                     "employer"),
}


def _write_once(database: Database, ack: Ack, body: dict[str, Any], client: WebClient,
                work: Callable[[Session, Staff, dict[str, Any]], str | Message],
                blocks: dict[str, str], fallback: str) -> None:
    """Do a modal's work once per view id, answer errors beside the fields, then confirm."""
    view, user_id = body["view"], body["user"]["id"]
    try:
        with database.transaction() as session:
            # A double click or a retried delivery carries the same view id: write once.
            if not claim(session, f"view:{view['id']}"):
                ack()
                return
            actor = staff_by_slack_id(session, user_id)
            confirmation = work(session, actor, view)
    except CaseloadError as exc:
        refuse_in_modal(ack, exc, blocks, fallback)
        return
    ack()
    if isinstance(confirmation, Message):
        client.chat_postMessage(channel=user_id, **confirmation.as_kwargs())
    else:
        client.chat_postMessage(channel=user_id, text=confirmation)


def register(app: App, database: Database) -> None:
    for callback_id, (handler, blocks, fallback) in HANDLERS.items():
        app.view(callback_id)(_submission(database, handler, blocks, fallback))

    @app.view(modals.ANY_CONTACT)
    def any_contact(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        contact_blocks = HANDLERS[modals.CONTACT][1]
        _write_once(database, ack, body, client, _any_contact,
                    {**contact_blocks, "reference": "reference"}, "employer")


def _any_contact(session: Session, actor: Staff, view: dict[str, Any]) -> str:
    values = view["state"]["values"]
    reference = (_value(values, "reference") or "").strip()
    if reference:
        try:
            record = clients.find_client(session, actor, reference)
        except CaseloadError as exc:
            raise InvalidInput.one("reference", str(exc)) from None
        return _contact(session, actor, record, values)
    contact = parse(NewEmployerContact, {
        "employer": _value(values, "employer") or "",
        "contacted_on": _value(values, "contacted_on"),
        "face_to_face": _value(values, "face_to_face") == "yes"})
    record_employer_contact(session, actor, contact)
    return f"Logged job development with {contact.employer}."


def _submission(database: Database, handler: Handler, blocks: dict[str, str], fallback: str
                ) -> Callable[[Ack, dict[str, Any], WebClient], None]:
    def work(session: Session, actor: Staff, view: dict[str, Any]) -> str:
        record = clients.get_client(session, actor, int(view["private_metadata"]))
        return handler(session, actor, record, view["state"]["values"])

    def submit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        _write_once(database, ack, body, client, work, blocks, fallback)

    return submit
