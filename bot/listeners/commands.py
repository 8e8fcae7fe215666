"""The `/ips` slash command: acknowledge at once, answer privately to the person asking.

Every subcommand is registered in `subcommands()` below, with the lines `/ips help` shows for
it; help lists them in the order registered.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners import admin, caseload, client_commands, just_ask, referrals, report, review
from bot.listeners.dispatch import Invocation, Subcommands
from bot.views import help as help_lines
from caseload.access import require_active
from caseload.db import Database
from caseload.errors import NotAllowed, UnknownUser
from caseload.staff import staff_by_slack_id

log = logging.getLogger("bot.commands")


def help_command(subcommands: Subcommands, inv: Invocation) -> None:
    """`/ips help`: what the caller's role can use."""
    role = inv.person.role
    message = help_lines.help_message(role, inv.person.display_name, subcommands.help_for(role))
    inv.ack(response_type="ephemeral", **message.as_kwargs())


def subcommands() -> Subcommands:
    """Every `/ips` subcommand, with its help, in the order help lists them."""
    registry = Subcommands()
    registry.add("refer", referrals.refer_command, *help_lines.REFER)
    registry.add("justask", just_ask.just_ask_command, help_lines.JUST_ASK)
    registry.add("caseload", caseload.caseload_command, *help_lines.CASELOAD)
    registry.add("contact", client_commands.contact_command, *help_lines.CONTACT)
    registry.add("job", client_commands.job_command, *help_lines.JOBS)
    registry.add("client", client_commands.client_command, *help_lines.CLIENT_CARD)
    registry.add("hold", client_commands.hold_command, help_lines.HOLD)
    registry.add("discharge", client_commands.discharge_command, help_lines.DISCHARGE)
    registry.add("betteroff", client_commands.betteroff_command, help_lines.BETTER_OFF)
    registry.describe(help_lines.NUDGE_BUTTONS, help_lines.LOG_CONTACT_SHORTCUT,
                      help_lines.IN_WORK_SHORTCUT, help_lines.ACCEPT_ASSIGN)
    registry.add("report", report.report_command, help_lines.REPORT)
    registry.add("review", review.review_command, help_lines.REVIEW)
    registry.add("team", admin.team_command, help_lines.TEAM)
    registry.add("staff", admin.staff_command, help_lines.STAFF)
    registry.add("help", partial(help_command, registry), help_lines.HELP)
    return registry


def ips_command(subcommands: Subcommands, database: Database, ack: Ack, command: dict[str, Any],
                client: WebClient) -> None:
    """`/ips <subcommand> ...`, for someone set up and active; anything unknown gets help."""
    words = (command.get("text") or "").split()
    name = words[0].lower() if words else "help"
    try:
        with database.reading() as session:
            person = staff_by_slack_id(session, command["user_id"])
        # Switched-off staff can do nothing, here or in any modal a subcommand would open.
        require_active(person)
    except UnknownUser:
        ack(response_type="ephemeral", **help_lines.unknown_user_message().as_kwargs())
        return
    except NotAllowed as exc:
        ack(response_type="ephemeral", text=str(exc))
        return
    if not subcommands.knows(name):
        log.info("/ips %s from %s: no such subcommand, answered with help", name, person.id)
        name = "help"
    subcommands.handler(name)(Invocation(ack, command, client, person, name, words[1:], database))


def register(app: App, database: Database) -> None:
    app.command("/ips")(partial(ips_command, subcommands(), database))
