"""Who holds a client: reassigning from the client card (team leaders), and confirming an
acceptance or assignment onto a caseload of 20 or more (or over 15% job retention).

The caseload service refuses such a move unless confirmed (caseload/clients.py OverCaseload);
here the refusal becomes a modal that shows the number and asks. Whoever gains or loses the
client is told through the outbox, in the same transaction as the change.
"""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.views import View

from bot.listeners.common import open_for_presser, sentence, tell_privately
from bot.listeners.submissions import queue, send_queued, write_once
from bot.modal_input import submitted, values_of
from bot.views import modals
from bot.views.clients import CARD_REASSIGN
from caseload import clients
from caseload.access import require_team_lead
from caseload.db import Database, Session
from caseload.errors import CaseloadError, InvalidInput
from caseload.models import Client, Staff
from caseload.outbox import Delivery
from caseload.staff import get_staff

log = logging.getLogger("bot.assignment")


def assignment_notices(session: Session, actor: Staff, record: Client, previous: int | None,
                       key: str) -> list[Delivery | None]:
    """Queue the confirmation to `actor` and the notes to the specialist who now holds the
    client and to the one who held it before (each once, never to the actor themself)."""
    assert record.specialist_id is not None
    now = get_staff(session, record.specialist_id)
    queued = [queue(session, f"{key}:confirm", actor.slack_user_id,
                  f"{record.reference} is assigned to {now.display_name}.")]
    if now.slack_user_id != actor.slack_user_id:
        queued.append(queue(session, f"{key}:specialist", now.slack_user_id,
                          f"{record.reference} has been assigned to you by {actor.display_name}."))
    if previous is not None and previous != now.id:
        before = get_staff(session, previous)
        if before.slack_user_id != actor.slack_user_id:
            queued.append(queue(session, f"{key}:previous", before.slack_user_id,
                              f"{record.reference} has been reassigned to {now.display_name} by "
                              f"{actor.display_name}."))
    return queued


def over_metadata(do: str, client_id: int, specialist_id: int | None, press: str) -> str:
    return json.dumps({"do": do, "client": client_id, "specialist": specialist_id,
                       "press": press})


def ask_to_confirm(client: WebClient, body: dict[str, Any], refusal: clients.OverCaseload,
                   metadata: str, what: str) -> None:
    """Show the specialist's caseload and ask; the trigger lives three seconds, so a modal
    that cannot open falls back to saying so privately."""
    try:
        client.views_open(trigger_id=body["trigger_id"],
                          view=modals.confirm_over_modal(metadata, refusal.load.sentence(), what))
    except (SlackApiError, SlackClientError):  # an expired trigger: say it in words instead
        log.info("confirm modal could not open for %s", body["user"]["id"])
        tell_privately(client, body, str(refusal))


def _confirmed(session: Session, actor: Staff, view: dict[str, Any]) -> list[Delivery | None]:
    plan = json.loads(view["private_metadata"])
    record = clients.get_client(session, actor, int(plan["client"]))
    previous = record.specialist_id
    if plan["do"] == "accept":
        clients.accept(session, actor, record, confirm_over=True)
        queued = [queue(session, f"accepted:{record.id}:confirm", actor.slack_user_id,
                      f"Accepted {record.reference} onto the caseload.")]
        referrer = clients.referrer_of(session, record)
        if referrer and referrer.slack_user_id != actor.slack_user_id:
            queued.append(queue(session, f"accepted:{record.id}:referrer", referrer.slack_user_id,
                              f"Your referral {record.reference} has been accepted."))
        return queued
    clients.assign(session, actor, record, int(plan["specialist"]), confirm_over=True)
    return assignment_notices(session, actor, record, previous,
                              f"assigned:{record.id}:{plan['press']}")


def confirm_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The confirm modal has no field to show an error beside: a refusal (accepted meanwhile,
    say) undoes its own part and is told in a direct message instead."""
    refused: list[str] = []

    def work(session: Session, actor: Staff, view: dict[str, Any]) -> list[Delivery | None]:
        try:
            with session.begin_nested():
                return _confirmed(session, actor, view)
        except CaseloadError as exc:
            refused.append(sentence(exc))
            return []

    queued = write_once(database, ack, body, work, {}, "confirm")
    send_queued(database, client, queued or [])
    if refused:
        client.chat_postMessage(channel=body["user"]["id"], text=refused[0])


def _reassign_view(session: Session, actor: Staff, client_id: int) -> View:
    record = clients.get_client(session, actor, client_id)
    require_team_lead(actor, record.team, "reassign a client")
    loads = clients.team_loads(session, record.team_id)
    current = next((load.name for load in loads if load.specialist_id == record.specialist_id),
                   None)
    return modals.reassign_modal(record.id, record.reference, current, [
        (load.specialist_id, load.name, load.active, load.job_retention, load.over) for load in loads
        if load.specialist_id != record.specialist_id])


def reassign_pressed(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The card's Reassign (team leaders): the team's specialists with their caseloads."""
    client_id = int(body["actions"][0]["value"])
    refusal = open_for_presser(database, ack, body, client,
                               lambda session, actor: _reassign_view(session, actor, client_id))
    if refusal is not None:
        tell_privately(client, body, sentence(refusal) if isinstance(refusal, CaseloadError)
                       else "That client is not known.")


def _reassign(session: Session, actor: Staff, view: dict[str, Any]) -> list[Delivery | None]:
    values = values_of(view)
    record = clients.get_client(session, actor, int(view["private_metadata"]))
    chosen = submitted(values, "specialist")
    if not chosen:
        raise InvalidInput.one("specialist_id", "choose the new specialist")
    previous = record.specialist_id
    go_ahead = "yes" in (submitted(values, modals.GO_AHEAD) or [])
    try:
        clients.assign(session, actor, record, int(chosen), confirm_over=go_ahead)
    except clients.OverCaseload as over:
        raise InvalidInput.one("specialist_id", f"{over.load.sentence()} Tick 'Go ahead' to "
                                                "confirm.") from None
    return assignment_notices(session, actor, record, previous,
                              f"reassigned:{record.id}:{view['id']}")


def reassign_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    queued = write_once(database, ack, body, _reassign, {"specialist_id": "specialist"},
                      "specialist")
    send_queued(database, client, queued or [])


def register(app: App, database: Database) -> None:
    app.action(CARD_REASSIGN)(partial(reassign_pressed, database))
    app.view(modals.REASSIGN)(partial(reassign_submitted, database))
    app.view(modals.CONFIRM_OVER)(partial(confirm_submitted, database))
