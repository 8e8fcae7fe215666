"""What every listener needs: errors a modal can show beside its fields, errors as a private
reply, the client behind a reference someone typed, and opening a modal from a press."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.views import modals
from caseload import clock
from caseload.access import require_role
from caseload.clients import find_client
from caseload.contacts import CONTACT_ROLES
from caseload.db import Database, Session
from caseload.errors import CaseloadError, InvalidInput
from caseload.models import Client, Staff
from caseload.references import client_reference_problem
from caseload.staff import staff_by_slack_id
from caseload.teams import teams_in_workspace


def modal_errors(error: InvalidInput, blocks: dict[str, str], fallback: str) -> dict[str, str]:
    """Map caseload field errors onto the modal's input blocks (Slack shows them in place)."""
    out: dict[str, str] = {}
    for field_error in error.errors:
        block = blocks.get(field_error.field.split(".")[0], fallback)
        out.setdefault(block, field_error.message[:150])
    return out


def refuse_in_modal(ack: Ack, error: CaseloadError, blocks: dict[str, str], fallback: str) -> None:
    """Answer a modal submission with the error shown beside the field it is about."""
    if isinstance(error, InvalidInput):
        ack(response_action="errors", errors=modal_errors(error, blocks, fallback))
    else:
        ack(response_action="errors", errors={fallback: str(error)[:150]})


def client_by_reference(session: Session, actor: Staff, text: str) -> Client:
    """The client whose reference someone typed; never echoes back what is not a reference."""
    reference = text.strip()
    if not reference:
        raise InvalidInput.one("reference", "say which client, by their reference")
    problem = client_reference_problem(reference)
    if problem:
        raise InvalidInput.one("reference", f"that is not a client reference: {problem}")
    return find_client(session, actor, reference)


def sentence(error: CaseloadError) -> str:
    """An error as one sentence for a private reply (field names are for modals, not people)."""
    if isinstance(error, InvalidInput):
        text = "; ".join(e.message for e in error.errors)
        return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
    return str(error)


def contact_modal_for(session: Session, actor: Staff) -> View:
    """The `/ips contact` modal (and the shortcut's), with a team picker for those in no team;
    refused up front for those who do not log employer contacts."""
    require_role(actor, CONTACT_ROLES, "log employer contacts")
    teams = None if actor.team_id is not None else [
        (t.id, t.name) for t in teams_in_workspace(session, actor)]
    return modals.any_contact_modal(clock.today(), teams)


def in_work_modal_for(session: Session, actor: Staff, reference: str = "") -> View:
    """The in-work support modal: about the client named, else asking for a reference;
    refused up front for those who do not log contacts."""
    require_role(actor, CONTACT_ROLES, "log in-work support contacts")
    if reference.strip():
        record = client_by_reference(session, actor, reference)
        return modals.in_work_contact_modal(clock.today(), record.id, record.reference)
    return modals.in_work_contact_modal(clock.today())


def tell_privately(client: WebClient, body: dict[str, Any], text: str) -> None:
    """A reply only the person who pressed sees, where they pressed it (else in their DM)."""
    user_id = body["user"]["id"]
    client.chat_postEphemeral(channel=body.get("channel", {}).get("id", user_id), user=user_id, text=text)


def open_for_presser(database: Database, ack: Ack, body: dict[str, Any], client: WebClient,
                     make: Callable[[Session, Staff], View]) -> CaseloadError | ValueError | None:
    """Acknowledge a button or shortcut, then open the modal `make` builds for whoever pressed
    it; the refusal (or a value that is not a number) is returned for the caller to explain."""
    # The trigger_id lives three seconds: acknowledge, look up, open, nothing else.
    ack()
    try:
        with database.reading() as session:
            view = make(session, staff_by_slack_id(session, body["user"]["id"]))
    except (CaseloadError, ValueError) as exc:
        return exc
    client.views_open(trigger_id=body["trigger_id"], view=view)
    return None
