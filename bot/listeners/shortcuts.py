"""The "Log employer contact" message shortcut, from any message's ⋮ More actions menu.

It opens the same modal as `/ips contact`, and its submission is handled there
(bot/listeners/views.py). Nothing is taken from the message: a message about a client may
hold their name or NHS number, which the record must never see, so its text is neither
copied into the modal nor logged.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners.common import contact_modal_for, sentence
from caseload.access import require_role
from caseload.contacts import CONTACT_ROLES
from caseload.db import Database
from caseload.errors import CaseloadError
from caseload.staff import staff_by_slack_id

log = logging.getLogger("bot.shortcuts")


def register(app: App, database: Database) -> None:
    @app.shortcut("log_employer_contact")  # the callback id in slack/manifest.yml
    def log_employer_contact(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        # The trigger_id lives three seconds: acknowledge, check, open, nothing else.
        ack()
        user_id = body["user"]["id"]
        try:
            with database.reading() as session:
                actor = staff_by_slack_id(session, user_id)
                require_role(actor, CONTACT_ROLES, "log employer contacts")
                view = contact_modal_for(session, actor)
        except CaseloadError as exc:
            # A direct message: the bot need not be in the channel the message came from.
            log.info("log_employer_contact shortcut refused for %s", user_id)
            client.chat_postMessage(channel=user_id, text=sentence(exc))
            return
        client.views_open(trigger_id=body["trigger_id"], view=view)
