"""Referrals from Slack: `/ips refer` or the "Refer to IPS" shortcut, then Accept or Assign."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners.assignment import ask_to_confirm, assignment_notices, over_metadata
from bot.listeners.common import sentence, tell_privately
from bot.listeners.dispatch import Invocation
from bot.listeners.submissions import queue, send_queued, write_once
from bot.modal_input import submitted, values_of
from bot.views.help import unknown_user_message
from bot.views.referrals import ACCEPT, ASSIGN, REFER, referral_for_acceptance, referral_modal
from caseload import clients
from caseload.db import Database, Session
from caseload.errors import CaseloadError, InvalidInput, UnknownUser
from caseload.models import Role, Staff
from caseload.outbox import Delivery
from caseload.staff import staff_by_slack_id
from caseload.teams import teams_in_workspace
from caseload.validation import parse
from messaging.views.just_ask import OPEN_REFERRAL

log = logging.getLogger("bot.referrals")

BLOCKS = {"reference": "reference", "team_id": "team", "care_coordinator_id": "care_coordinator",
          "specialist_id": "specialist", "work_preferences": "work_preferences",
          "consent_recorded": "consent", "received_on": "reference",
          "care_coordinator": "care_coordinator", "specialist": "specialist"}


def open_referral_modal(database: Database, client: WebClient, user_id: str,
                        trigger_id: str) -> None:
    with database.reading() as session:
        actor = staff_by_slack_id(session, user_id)
        # Only the caller's workspace's teams: another trust's team names are not theirs to see.
        teams = [(t.id, t.name) for t in teams_in_workspace(session, actor)]
        if actor.team_id is not None:
            teams = [t for t in teams if t[0] == actor.team_id] or teams
        me = user_id if actor.role == Role.CARE_COORDINATOR else None
    client.views_open(trigger_id=trigger_id, view=referral_modal(teams, actor.team_id, me))


def refer_command(inv: Invocation) -> None:
    """`/ips refer`: the referral modal."""
    inv.ack()
    open_referral_modal(inv.database, inv.client, inv.command["user_id"], inv.command["trigger_id"])


def open_referral(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The "Refer to IPS" shortcut, and the Refer button after a "just ask": the referral modal."""
    ack()
    try:
        open_referral_modal(database, client, body["user"]["id"], body["trigger_id"])
    except UnknownUser:
        client.chat_postMessage(channel=body["user"]["id"], text=unknown_user_message().text)


def _staff(session: Session, slack_user_id: str | None, block: str) -> Staff | None:
    if not slack_user_id:
        return None
    try:
        return staff_by_slack_id(session, slack_user_id)
    except UnknownUser:
        raise InvalidInput.one(block, "that person is not set up in IPS Assist yet") from None


def _staff_id(session: Session, slack_user_id: str | None, block: str) -> int | None:
    person = _staff(session, slack_user_id, block)
    return person.id if person is not None else None


def _refer(session: Session, actor: Staff, view: dict[str, Any]) -> list[Delivery | None]:
    """Save the referral and queue, in the same transaction, the referrer's confirmation and
    the note asking each decider to accept it. Returns the queued messages."""
    values = values_of(view)
    # The people picked are held while the referral is made, so its checks find them in the
    # session instead of reading them again.
    coordinator = _staff(session, submitted(values, "care_coordinator"), "care_coordinator")
    specialist = _staff(session, submitted(values, "specialist"), "specialist")
    referral = parse(clients.Referral, {
        "reference": submitted(values, "reference") or "",
        "team_id": submitted(values, "team"),
        "care_coordinator_id": coordinator.id if coordinator is not None else None,
        "specialist_id": specialist.id if specialist is not None else None,
        "work_preferences": submitted(values, "work_preferences"),
        "consent_recorded": "yes" in (submitted(values, "consent") or []),
    })
    record = clients.refer(session, actor, referral)
    note = referral_for_acceptance(record.reference, record.team.name, record.id,
                                   actor.display_name)
    deciders = [d.slack_user_id for d in clients.who_accepts(session, record)]
    queued = [queue(session, f"referral:{record.id}:confirm", actor.slack_user_id,
                    f"Referred {record.reference}. You'll hear when it is accepted.")]
    queued += [queue(session, f"referral:{record.id}:to:{decider}", decider, note)
               for decider in deciders]
    log.info("referral %s queued for %d people to accept", record.reference, len(deciders))
    return queued


def referral_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    queued = write_once(database, ack, body, _refer, BLOCKS, "reference")
    send_queued(database, client, queued or [])


def accept_pressed(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    user_id = body["user"]["id"]
    client_id = int(body["actions"][0]["value"])
    try:
        with database.transaction() as session:
            actor = staff_by_slack_id(session, user_id)
            record = clients.get_client(session, actor, client_id)
            clients.accept(session, actor, record)
            referrer = clients.referrer_of(session, record)
            queued = [queue(session, f"accepted:{record.id}:confirm", user_id,
                          f"Accepted {record.reference} onto the caseload.")]
            if referrer and referrer.slack_user_id != user_id:
                queued.append(queue(session, f"accepted:{record.id}:referrer", referrer.slack_user_id,
                                  f"Your referral {record.reference} has been accepted."))
    except clients.OverCaseload as over:
        ask_to_confirm(client, body, over, over_metadata("accept", client_id, None, ""),
                       "Accept anyway")
        return
    except CaseloadError as exc:
        tell_privately(client, body, sentence(exc))
        return
    send_queued(database, client, queued)


def assign_picked(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    user_id = body["user"]["id"]
    action = body["actions"][0]
    client_id = int(action["block_id"].removeprefix("referral_"))
    try:
        with database.transaction() as session:
            actor = staff_by_slack_id(session, user_id)
            record = clients.get_client(session, actor, client_id)
            specialist_id = _staff_id(session, action.get("selected_user"), "specialist_id")
            if specialist_id is None:
                return
            previous = record.specialist_id
            clients.assign(session, actor, record, specialist_id)
            # Each pick is its own press: Slack's action_ts tells a retry from a new pick.
            queued = assignment_notices(session, actor, record, previous,
                                      f"assigned:{record.id}:{action.get('action_ts', '')}")
    except clients.OverCaseload as over:
        ask_to_confirm(client, body, over, over_metadata(
            "assign", client_id, over.load.specialist_id, str(action.get("action_ts", ""))),
            "Assign anyway")
        return
    except CaseloadError as exc:
        tell_privately(client, body, sentence(exc))
        return
    send_queued(database, client, queued)


def register(app: App, database: Database) -> None:
    app.shortcut("refer_to_ips")(partial(open_referral, database))
    app.action(OPEN_REFERRAL)(partial(open_referral, database))
    app.view(REFER)(partial(referral_submitted, database))
    app.action(ACCEPT)(partial(accept_pressed, database))
    app.action(ASSIGN)(partial(assign_picked, database))
