"""The `/ips` slash command: acknowledge at once, answer privately to the person asking."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.listeners.betteroff import open_better_off_modal
from bot.listeners.client_commands import client_card_reply, client_view, job_view, open_modal
from bot.listeners.common import contact_modal_for, sentence
from bot.listeners.referrals import open_referral_modal
from bot.views import Message, modals
from bot.views.caseload import caseload_message
from bot.views.help import help_message, unknown_user_message
from bot.views.home import ADVISOR_NO_CASELOAD
from bot.views.just_ask import just_ask_prompt
from caseload import clock
from caseload.access import require_active
from caseload.calculations import CALCULATION_ROLES
from caseload.clients import list_clients
from caseload.db import Database, Session
from caseload.errors import CaseloadError, NotAllowed, UnknownUser
from caseload.just_ask import week_starting
from caseload.models import Client, Role, Staff
from caseload.overdue import OverdueClient, overdue_for_employer_contact
from caseload.references import client_reference_problem
from caseload.staff import staff_by_slack_id

log = logging.getLogger("bot.commands")

# `/ips hold REF` and `/ips discharge REF` open the same modals as the client card's buttons.
CLIENT_MODALS = {
    "hold": modals.hold_modal,
    "discharge": lambda client_id, reference: modals.discharge_modal(client_id, reference,
                                                                     clock.today()),
}


@dataclass(frozen=True)
class Invocation:
    """One `/ips <sub> ...` as a subcommand handler sees it; the caller is already known."""

    ack: Ack
    command: dict[str, Any]
    client: WebClient
    person: Staff
    words: list[str]  # what follows the subcommand's name
    database: Database


# Subcommands that live in their own listener modules register here with @subcommand.
SUBCOMMANDS: dict[str, Callable[[Invocation], None]] = {}


def subcommand(name: str) -> Callable[[Callable[[Invocation], None]], Callable[[Invocation], None]]:
    def add(handler: Callable[[Invocation], None]) -> Callable[[Invocation], None]:
        SUBCOMMANDS[name] = handler
        return handler

    return add


def register(app: App, database: Database) -> None:
    @app.command("/ips")
    def ips_command(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        words = (command.get("text") or "").split()
        sub = words[0].lower() if words else "help"
        try:
            with database.reading() as session:
                person = staff_by_slack_id(session, command["user_id"])
            # Switched-off staff can do nothing, here or in any modal a subcommand would open.
            require_active(person)
        except UnknownUser:
            message = unknown_user_message()
            ack(response_type="ephemeral", **message.as_kwargs())
            return
        except NotAllowed as exc:
            ack(response_type="ephemeral", text=str(exc))
            return
        if sub == "refer":
            ack()
            open_referral_modal(database, client, command["user_id"], command["trigger_id"])
            return
        if sub == "caseload":
            ack(response_type="ephemeral", **_caseload(database, command["user_id"]).as_kwargs())
            return
        if sub == "contact":
            ack()
            with database.reading() as session:
                view = contact_modal_for(session, person)
            client.views_open(trigger_id=command["trigger_id"], view=view)
            return
        if sub in ("client", *CLIENT_MODALS) and len(words) < 2:
            ack(response_type="ephemeral",
                text=f"Which client? Use `/ips {sub} REF` with their local reference.")
            return
        if sub == "client":
            try:
                card = client_card_reply(database, command["user_id"], words[1:])
            except CaseloadError as exc:
                ack(response_type="ephemeral", text=sentence(exc))
                return
            ack(response_type="ephemeral", **card.as_kwargs())
            return
        if sub in CLIENT_MODALS:
            open_modal(database, ack, client, command, client_view(CLIENT_MODALS[sub], words[1:]))
            return
        if sub == "job":
            open_modal(database, ack, client, command, job_view(words[1:]))
            return
        if sub == "betteroff":
            if person.role not in CALCULATION_ROLES:
                ack(response_type="ephemeral", text="Better-off calculations are for employment specialists, "
                    "benefits advisors and team leaders; ask one of them.")
                return
            ack()
            given = words[1] if len(words) > 1 else None
            # Only a well-formed reference is put back into the modal; nothing else is echoed.
            reference = given if given and not client_reference_problem(given) else None
            open_better_off_modal(database, client, command["trigger_id"], person.slack_user_id,
                                  reference)
            return
        if sub == "justask":
            prompt = just_ask_prompt(week_starting(clock.today()))
            ack(response_type="ephemeral", **prompt.as_kwargs())
            return
        handler = SUBCOMMANDS.get(sub)
        if handler is not None:
            handler(Invocation(ack, command, client, person, words[1:], database))
            return
        # Other subcommands are not built yet: they get help rather than silence.
        message = help_message(person.role, person.display_name)
        if sub != "help":
            log.info("/ips %s from %s: not built yet, answered with help", sub, person.id)
        ack(response_type="ephemeral", **message.as_kwargs())


def _caseload(database: Database, user_id: str) -> Message:
    with database.reading() as session:
        return caseload_for(session, staff_by_slack_id(session, user_id))


def caseload_of(session: Session, actor: Staff) -> tuple[str, list[Client], dict[int, OverdueClient]]:
    """The title, visible clients and who is overdue, for `/ips caseload` and App Home."""
    visible = list_clients(session, actor)
    overdue = {o.client_id: o for o in
               overdue_for_employer_contact(session, clock.today(), actor=actor)}
    titles = {Role.CARE_COORDINATOR: "Your referrals",
              Role.EMPLOYMENT_SPECIALIST: "Your caseload",
              Role.TEAM_LEADER: "Your team's caseload"}
    return titles.get(actor.role, "Caseload"), visible, overdue


def caseload_for(session: Session, actor: Staff) -> Message:
    """The caseload message for `actor` (`/ips caseload`)."""
    if actor.role == Role.BENEFITS_ADVISOR:
        return Message(text=ADVISOR_NO_CASELOAD, blocks=[
            SectionBlock(text=MarkdownTextObject(text=ADVISOR_NO_CASELOAD))])
    return caseload_message(*caseload_of(session, actor))
