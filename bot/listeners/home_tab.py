"""App Home: built for the person and the page asked for, then published with views.publish.

Opening the Home shows page 1; "Previous page" and "Next page" publish the page named in
their value. The row buttons ("Log contact", "Put on hold") are the client card's, handled in
bot/listeners/actions.py.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from bot.listeners.caseload import caseload_of
from bot.views.help import unknown_user_message
from bot.views.home import advisor_home, home_view, team_summary, teams_overview
from bot.views.home_pages import HOME_NEXT, HOME_PREVIOUS, ROW_ACTION_ROLES, caseload_page
from caseload import clock
from caseload.access import require_active, sees_all_teams
from caseload.db import Database, Session
from caseload.errors import NotAllowed, UnknownUser
from caseload.fidelity import upcoming_review
from caseload.models import Role
from caseload.periods import month
from caseload.reports import BetterOffCounts, better_off_counts, outcomes_report, outcomes_report_for
from caseload.staff import staff_by_slack_id


def home_blocks(session: Session, user_id: str, page: int = 1) -> list[Block]:
    """The Home for `user_id` at `page`: every team for the regional roles; otherwise the
    caseload (after the month's summary for a team leader), a page at a time."""
    actor = staff_by_slack_id(session, user_id)
    require_active(actor)  # switched off: not even the team's figures
    if sees_all_teams(actor):
        return teams_overview(outcomes_report_for(session, actor, month(clock.today())))
    if actor.role == Role.BENEFITS_ADVISOR:
        period = month(clock.today())
        counts = better_off_counts(session, period, actor.team_id).get(actor.team_id)
        return advisor_home(counts or BetterOffCounts(), period.label())
    before: list[Block] = []
    if actor.role == Role.TEAM_LEADER and actor.team_id is not None:
        report = outcomes_report(session, month(clock.today()), actor.team_id)
        review = upcoming_review(session, actor.team_id)
        when = f"{review.scheduled_for:%-d %B %Y}" if review else "not scheduled"
        before = team_summary(report.teams[0], report.period.label(), when)
    title, visible, overdue, ages = caseload_of(session, actor)
    return caseload_page(title, visible, overdue, page, before=before, ages=ages,
                         row_actions=actor.active and actor.role in ROW_ACTION_ROLES).blocks


def publish_home(database: Database, client: WebClient, user_id: str, page: int = 1) -> None:
    try:
        with database.reading() as session:
            blocks = home_blocks(session, user_id, page)
    except UnknownUser:
        blocks = unknown_user_message().blocks
    except NotAllowed as exc:
        blocks = [SectionBlock(text=MarkdownTextObject(text=str(exc)))]
    # Publishing is idempotent, so a retried event or a double press publishes the same Home.
    client.views_publish(user_id=user_id, view=home_view(blocks))


def turn_page(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Previous page or Next page: publish the page named in the button's value."""
    ack()
    try:
        page = int(body["actions"][0]["value"])
    except (KeyError, IndexError, ValueError):
        page = 1
    publish_home(database, client, body["user"]["id"], page)


def register(app: App, database: Database) -> None:
    app.action(HOME_PREVIOUS)(partial(turn_page, database))
    app.action(HOME_NEXT)(partial(turn_page, database))
