"""The Bolt app: one factory for Socket Mode (one machine) and HTTP mode (several workers)."""

from __future__ import annotations

import logging
import os
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.guard import AckSafeApp
from bot.listeners import register
from bot.settings import BotSettings
from caseload.db import Database, DatabaseError
from caseload.teams import count_unplaced
from messaging.oauth import oauth_configured, oauth_settings
from messaging.slack_client import make_slack_client

log = logging.getLogger("bot.app")


def create_bolt_app(database: Database, settings: BotSettings | None = None,
                    client: WebClient | None = None) -> App:
    settings = settings or BotSettings()
    if oauth_configured(settings):
        return _create_multi_workspace_app(database, settings, client)
    if not settings.slack_bot_token:
        raise RuntimeError("The Slack bot needs SLACK_BOT_TOKEN; set it in .env.")
    if os.environ.get("SLACK_CLIENT_ID") and os.environ.get("SLACK_CLIENT_SECRET"):
        # Bolt would read these itself and swap the token for installs kept in files.
        raise RuntimeError("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set, but this process "
                           "runs one workspace with SLACK_BOT_TOKEN: multi-workspace install "
                           "needs HTTP mode with SLACK_SIGNING_SECRET, else unset them here.")
    client = client or make_slack_client(settings.slack_bot_token, settings.slack_api_url)
    app = AckSafeApp(
        # The client carries the token (and, in tests, the fake Slack's address).
        signing_secret=settings.slack_signing_secret,
        client=client,
        # auth.test at start-up would need Slack itself; the first real call checks the token.
        token_verification_enabled=False,
        # Socket Mode has no signed HTTP requests to verify.
        request_verification_enabled=settings.slack_signing_secret is not None,
    )
    register(app, database)
    return app


def _create_multi_workspace_app(database: Database, settings: BotSettings,
                                client: WebClient | None) -> App:
    """Any workspace may install the app; each request is authorised from its install."""
    app = AckSafeApp(
        signing_secret=settings.slack_signing_secret,
        # No token here: Bolt finds each request's in the installation store.
        client=client or make_slack_client(None, settings.slack_api_url),
        oauth_settings=oauth_settings(database, settings),
    )
    register(app, database)
    warn_of_unplaced_teams(database)
    return app


def warn_of_unplaced_teams(database: Database) -> int:
    """Log how many teams have no workspace: with several installed, every workspace's
    trainers and admins see those teams until they are placed. Returns the count."""
    try:
        with database.reading() as session:
            unplaced = count_unplaced(session)
    except DatabaseError:
        return 0  # not migrated yet: the web process says so on every page
    if unplaced:
        log.warning("%d team(s) have no Slack workspace, so the regional trainers and admins of "
                    "every workspace installed see them: place each with `ips team "
                    "set-workspace NAME T0123ABCD` (see `ips team list`)", unplaced)
    return unplaced


class SocketModeBot:
    """The bot over Socket Mode, started in the background of `ips serve`."""

    def __init__(self, handler: Any) -> None:
        self._handler = handler

    def stop(self) -> None:
        self._handler.close()


def start(database: Database, settings: BotSettings | None = None) -> SocketModeBot:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = settings or BotSettings()
    if not settings.slack_app_token:
        raise RuntimeError("Socket Mode needs SLACK_APP_TOKEN (an xapp- token); set it in .env.")
    app = create_bolt_app(database, settings.model_copy(update={"slack_signing_secret": None}))
    handler = SocketModeHandler(app, settings.slack_app_token)
    handler.connect()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
    log.info("Slack bot connected over Socket Mode")
    return SocketModeBot(handler)
