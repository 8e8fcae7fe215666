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

from bot.listeners.common import contact_modal_for, open_for_presser, sentence
from caseload.db import Database
from caseload.errors import CaseloadError

log = logging.getLogger("bot.shortcuts")


def log_employer_contact(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The contact modal, for those who log employer contacts."""
    refusal = open_for_presser(database, ack, body, client, contact_modal_for)
    if isinstance(refusal, CaseloadError):
        # A direct message: the bot need not be in the channel the message came from.
        log.info("log_employer_contact shortcut refused for %s", body["user"]["id"])
        client.chat_postMessage(channel=body["user"]["id"], text=sentence(refusal))


def register(app: App, database: Database) -> None:
    # The callback id in slack/manifest.yml.
    app.shortcut("log_employer_contact")(partial(log_employer_contact, database))
