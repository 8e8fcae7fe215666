"""HTTP mode: Slack posts events, commands and interactions to /slack/events (Flask)."""

from __future__ import annotations

from flask import Flask, Response, request
from slack_bolt.adapter.flask import SlackRequestHandler

from bot.app import create_bolt_app
from bot.settings import BotSettings
from caseload.db import Database


def create_flask_app(database: Database, settings: BotSettings | None = None) -> Flask:
    settings = settings or BotSettings()
    if not settings.slack_signing_secret:
        raise RuntimeError("HTTP mode needs SLACK_SIGNING_SECRET to check Slack's signatures.")
    handler = SlackRequestHandler(create_bolt_app(database, settings))
    app = Flask(__name__)

    @app.post("/slack/events")
    def slack_events() -> Response:
        return handler.handle(request)

    return app
