"""Events: App Home is published afresh each time someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.listeners.commands import caseload_for
from bot.views.help import unknown_user_message
from bot.views.home import home_view, team_summary, teams_overview
from caseload import clock
from caseload.access import sees_all_teams
from caseload.db import Database
from caseload.errors import UnknownUser
from caseload.fidelity import upcoming_review
from caseload.models import Role
from caseload.reports import outcomes_report
from caseload.staff import staff_by_slack_id


def register(app: App, database: Database) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") != "home":
            return
        user_id = event["user"]
        try:
            with database.reading() as session:
                actor = staff_by_slack_id(session, user_id)
                if sees_all_teams(actor):
                    blocks = teams_overview(outcomes_report(session, clock.today()))
                elif actor.role == Role.TEAM_LEADER and actor.team_id is not None:
                    report = outcomes_report(session, clock.today(), actor.team_id)
                    review = upcoming_review(session, actor.team_id)
                    when = f"{review.scheduled_for:%-d %B %Y}" if review else "not scheduled"
                    blocks = [*team_summary(report.teams[0], report.period.label(), when),
                              *caseload_for(session, actor).blocks]
                else:
                    blocks = caseload_for(session, actor).blocks
        except UnknownUser:
            blocks = unknown_user_message().blocks
        # Publishing is idempotent, so a retried event simply publishes the same Home again.
        client.views_publish(user_id=user_id, view=home_view(blocks))
