"""Events: App Home is published afresh each time someone opens it; uninstalls forget tokens."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.listeners import home_tab
from caseload.db import Database

log = logging.getLogger("bot.events")


def home_opened(database: Database, event: dict[str, Any], client: WebClient) -> None:
    if event.get("tab") != "home":
        return
    # Always page 1; the Home's own buttons publish the others (bot/listeners/home_tab.py).
    home_tab.publish_home(database, client, event["user"])


def uninstalled(body: dict[str, Any]) -> None:
    log.warning("The app was uninstalled from workspace %s: SLACK_BOT_TOKEN no longer "
                "works; reinstall the app and set the new token", body.get("team_id"))


def revoked(event: dict[str, Any], body: dict[str, Any]) -> None:
    if event.get("tokens", {}).get("bot"):
        log.warning("The bot token for workspace %s was revoked: SLACK_BOT_TOKEN no longer "
                    "works; reinstall the app and set the new token", body.get("team_id"))


def register(app: App, database: Database) -> None:
    app.event("app_home_opened")(partial(home_opened, database))
    home_tab.register(app, database)
    register_uninstall(app)


def register_uninstall(app: App) -> None:
    """app_uninstalled and tokens_revoked: the manifest subscribes to both, so answer both.

    With an installation store (multi-workspace mode) Bolt's own listeners delete the
    workspace's install and bot rows (app_uninstalled) or the revoked tokens (tokens_revoked)
    through DatabaseInstallationStore, so no dead token is kept. Bolt skips auth.test for
    these two events, as the token is already gone. In one-workspace mode the only token is
    SLACK_BOT_TOKEN in the environment, which we cannot delete: say so in the log, and still
    answer 200 so Slack does not retry a delivery nothing would handle.
    """
    if app.installation_store is not None:
        app.enable_token_revocation_listeners()
        return
    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(revoked)
