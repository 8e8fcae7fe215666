"""Listeners, registered per kind; each turns Slack payloads into caseload calls."""

from __future__ import annotations

from slack_bolt import App

from caseload.db import Database


def register(app: App, database: Database) -> None:
    from bot.listeners import (
        actions,
        admin,
        assignment,
        betteroff,
        commands,
        events,
        just_ask,
        referrals,
        review,
        shortcuts,
        views,
    )

    commands.register(app, database)
    actions.register(app, database)
    views.register(app, database)
    just_ask.register(app, database)
    referrals.register(app, database)
    events.register(app, database)
    betteroff.register(app, database)
    admin.register(app, database)
    shortcuts.register(app, database)
    review.register(app, database)
    assignment.register(app, database)
