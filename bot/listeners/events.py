"""Events: App Home is published afresh each time someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.listeners import home_tab
from caseload.db import Database


def register(app: App, database: Database) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") != "home":
            return
        # Always page 1; the Home's own buttons publish the others (bot/listeners/home_tab.py).
        home_tab.publish_home(database, client, event["user"])

    home_tab.register(app, database)
