"""Referrals from Slack: `/ips refer` or the "Refer to IPS" shortcut, then Accept or Assign."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners.common import refuse_in_modal
from bot.views.help import unknown_user_message
from bot.views.just_ask import OPEN_REFERRAL
from bot.views.referrals import ACCEPT, ASSIGN, REFER, referral_for_acceptance, referral_modal
from caseload import clients
from caseload.db import Database, Session
from caseload.errors import CaseloadError, InvalidInput, UnknownUser
from caseload.idempotency import claim
from caseload.models import Role
from caseload.staff import get_staff, staff_by_slack_id
from caseload.teams import get_team, teams_in_workspace
from caseload.validation import parse

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


def _staff_id(session: Session, slack_user_id: str | None, block: str) -> int | None:
    if not slack_user_id:
        return None
    try:
        return staff_by_slack_id(session, slack_user_id).id
    except UnknownUser:
        raise InvalidInput.one(block, "that person is not set up in IPS Assist yet") from None


def _selected(values: dict[str, Any], block: str) -> Any:
    element = values.get(block, {}).get("value", {})
    if element.get("type") == "users_select":
        return element.get("selected_user")
    if element.get("type") == "static_select":
        option = element.get("selected_option")
        return option["value"] if option else None
    if element.get("type") == "checkboxes":
        return [o["value"] for o in element.get("selected_options", [])]
    return element.get("value")


def _tell(client: WebClient, user_id: str, text: str, **extra: Any) -> None:
    client.chat_postMessage(channel=user_id, text=text, **extra)


def register(app: App, database: Database) -> None:
    @app.shortcut("refer_to_ips")
    def refer_shortcut(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        try:
            open_referral_modal(database, client, body["user"]["id"], body["trigger_id"])
        except UnknownUser:
            _tell(client, body["user"]["id"], unknown_user_message().text)

    @app.action(OPEN_REFERRAL)
    def refer_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        try:
            open_referral_modal(database, client, body["user"]["id"], body["trigger_id"])
        except UnknownUser:
            _tell(client, body["user"]["id"], unknown_user_message().text)

    @app.view(REFER)
    def submit_referral(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        values = body["view"]["state"]["values"]
        user_id = body["user"]["id"]
        try:
            with database.transaction() as session:
                if not claim(session, f"view:{body['view']['id']}"):
                    ack()
                    return
                actor = staff_by_slack_id(session, user_id)
                referral = parse(clients.Referral, {
                    "reference": _selected(values, "reference") or "",
                    "team_id": _selected(values, "team"),
                    "care_coordinator_id": _staff_id(session, _selected(values, "care_coordinator"),
                                                     "care_coordinator"),
                    "specialist_id": _staff_id(session, _selected(values, "specialist"),
                                               "specialist"),
                    "work_preferences": _selected(values, "work_preferences"),
                    "consent_recorded": "yes" in (_selected(values, "consent") or []),
                })
                client_row = clients.refer(session, actor, referral)
                team = get_team(session, client_row.team_id)
                deciders = clients.who_accepts(session, client_row)
                note = referral_for_acceptance(client_row.reference, team.name, client_row.id,
                                               actor.display_name)
                reference, recipients = client_row.reference, [d.slack_user_id for d in deciders]
        except CaseloadError as exc:
            refuse_in_modal(ack, exc, BLOCKS, "reference")
            return
        ack()
        _tell(client, user_id, f"Referred {reference}. You'll hear when it is accepted.")
        for recipient in recipients:
            client.chat_postMessage(channel=recipient, **note.as_kwargs())
        log.info("referral %s sent to %d people to accept", reference, len(recipients))

    @app.action(ACCEPT)
    def accept(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        try:
            with database.transaction() as session:
                actor = staff_by_slack_id(session, user_id)
                record = clients.get_client(session, actor, int(body["actions"][0]["value"]))
                clients.accept(session, actor, record)
                referrer = clients.referrer_of(session, record)
                reference, referrer_id = record.reference, referrer.slack_user_id if referrer else None
        except CaseloadError as exc:
            client.chat_postEphemeral(channel=body["channel"]["id"], user=user_id, text=str(exc))
            return
        _tell(client, user_id, f"Accepted {reference} onto the caseload.")
        if referrer_id and referrer_id != user_id:
            _tell(client, referrer_id, f"Your referral {reference} has been accepted.")

    @app.action(ASSIGN)
    def assign(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
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
                clients.assign(session, actor, record, specialist_id)
                reference = record.reference
                name = get_staff(session, specialist_id).display_name
        except CaseloadError as exc:
            client.chat_postEphemeral(channel=body["channel"]["id"], user=user_id, text=str(exc))
            return
        _tell(client, user_id, f"{reference} is assigned to {name}.")
