"""How `/ips` finds a subcommand: each is registered by name with its handler and the lines
`/ips help` shows for it, in one place (bot/listeners/commands.py), so help is drawn from the
same table the dispatcher uses and cannot list a subcommand that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.listeners.common import sentence
from bot.views.help import HelpLine
from caseload.db import Database, Session
from caseload.errors import CaseloadError
from caseload.models import Role, Staff
from caseload.staff import staff_by_slack_id
from messaging.views import Message


@dataclass(frozen=True)
class Invocation:
    """One `/ips <name> ...` as a subcommand handler sees it; the caller is already known."""

    ack: Ack
    command: dict[str, Any]
    client: WebClient
    person: Staff
    name: str
    words: list[str]  # what follows the subcommand's name
    database: Database


Handler = Callable[[Invocation], None]


class Subcommands:
    """The `/ips` subcommands by name, and the help lines in the order `/ips help` lists them."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._help: list[HelpLine] = []

    def add(self, name: str, handler: Handler, *help: HelpLine) -> Subcommands:
        if name in self._handlers:
            raise ValueError(f"/ips {name} is registered twice")
        self._handlers[name] = handler
        self._help.extend(help)
        return self

    def describe(self, *help: HelpLine) -> Subcommands:
        """Help for what is used without a subcommand (buttons, shortcuts), listed here."""
        self._help.extend(help)
        return self

    def knows(self, name: str) -> bool:
        return name in self._handlers

    def handler(self, name: str) -> Handler:
        return self._handlers[name]

    def help_for(self, role: Role) -> list[HelpLine]:
        """What `role` can use, in the order registered."""
        return [line for line in self._help if role in line.roles]


def open_modal(inv: Invocation, make: Callable[[Session, Staff], View]) -> None:
    """Look up what the modal needs, then acknowledge: privately with the refusal, or open it."""
    try:
        with inv.database.reading() as session:
            view = make(session, staff_by_slack_id(session, inv.person.slack_user_id))
    except CaseloadError as exc:
        inv.ack(response_type="ephemeral", text=sentence(exc))
        return
    inv.ack()
    inv.client.views_open(trigger_id=inv.command["trigger_id"], view=view)


def reply(inv: Invocation, make: Callable[[], Message]) -> None:
    """Answer privately with the message, or with why there is none."""
    try:
        message = make()
    except CaseloadError as exc:
        inv.ack(response_type="ephemeral", text=sentence(exc))
        return
    inv.ack(response_type="ephemeral", **message.as_kwargs())
