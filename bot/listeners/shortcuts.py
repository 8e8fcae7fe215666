"""The "Log employer contact" message shortcut, from any message's ⋮ More actions menu.

It opens the same modal as `/ips contact`, and its submission is handled there
(bot/listeners/views.py). Nothing is taken from the message: a message about a client may
hold their name or NHS number, which the record must never see, so its text is neither
copied into the modal nor logged.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.listeners.common import contact_modal_for, open_for_presser, sentence
from caseload.access import require_role
from caseload.contacts import CONTACT_ROLES
from caseload.db import Database, Session
from caseload.errors import CaseloadError
from caseload.models import Staff

log = logging.getLogger("bot.shortcuts")


def log_employer_contact(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The contact modal, for those who log employer contacts."""
    def contact_view(session: Session, actor: Staff) -> View:
        require_role(actor, CONTACT_ROLES, "log employer contacts")
        return contact_modal_for(session, actor)

    refusal = open_for_presser(database, ack, body, client, contact_view)
    if isinstance(refusal, CaseloadError):
        # A direct message: the bot need not be in the channel the message came from.
        log.info("log_employer_contact shortcut refused for %s", body["user"]["id"])
        client.chat_postMessage(channel=body["user"]["id"], text=sentence(refusal))


def register(app: App, database: Database) -> None:
    # The callback id in slack/manifest.yml.
    app.shortcut("log_employer_contact")(partial(log_employer_contact, database))
