"""HTTP mode: Slack posts events, commands and interactions to /slack/events (Flask)."""

from __future__ import annotations

from flask import Flask, Response, request
from slack_bolt.adapter.flask import SlackRequestHandler

from bot.app import create_bolt_app
from bot.manifest import EVENTS_PATH
from bot.settings import BotSettings
from caseload.db import Database
from messaging.oauth import INSTALL_PATH, REDIRECT_PATH, oauth_configured


def http_mode_configured(settings: BotSettings) -> bool:
    return bool(settings.slack_bot_token and settings.slack_signing_secret) or oauth_configured(settings)


def add_slack_routes(app: Flask, database: Database, settings: BotSettings) -> None:
    """Serve Slack's requests at /slack/events on an existing Flask app (the web process)."""
    if not settings.slack_signing_secret:
        raise RuntimeError("HTTP mode needs SLACK_SIGNING_SECRET to check Slack's signatures.")
    handler = SlackRequestHandler(create_bolt_app(database, settings))

    def slack_events() -> Response:
        return handler.handle(request)

    app.add_url_rule(EVENTS_PATH, "slack_events", slack_events, methods=["POST"])
    if oauth_configured(settings):
        # Multi-workspace: a workspace installs at /slack/install and Slack sends the
        # installer back to /slack/oauth_redirect; the handler tells them apart by path.
        def slack_oauth() -> Response:
            return handler.handle(request)

        app.add_url_rule(INSTALL_PATH, "slack_install", slack_oauth, methods=["GET"])
        app.add_url_rule(REDIRECT_PATH, "slack_oauth_redirect", slack_oauth, methods=["GET"])


def create_flask_app(database: Database, settings: BotSettings | None = None) -> Flask:
    """A Flask app serving only Slack's requests."""
    app = Flask(__name__)
    add_slack_routes(app, database, settings or BotSettings())
    return app
