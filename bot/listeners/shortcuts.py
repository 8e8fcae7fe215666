"""The "Log employer contact" and "Log in-work support" message shortcuts, from any message's
⋮ More actions menu.

They open the same modals as `/ips contact` and `/ips contact in-work`, whose submissions are
handled there
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

from bot.listeners.common import contact_modal_for, in_work_modal_for, open_for_presser, sentence
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


def log_in_work_support(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The in-work support modal (asking for the reference), for those who log contacts."""
    refusal = open_for_presser(database, ack, body, client, in_work_modal_for)
    if isinstance(refusal, CaseloadError):
        log.info("log_in_work_support shortcut refused for %s", body["user"]["id"])
        client.chat_postMessage(channel=body["user"]["id"], text=sentence(refusal))


def register(app: App, database: Database) -> None:
    # The callback ids in slack/manifest.yml.
    app.shortcut("log_employer_contact")(partial(log_employer_contact, database))
    app.shortcut("log_in_work_support")(partial(log_in_work_support, database))
