"""The web process: an overview of the caseload, the calculator at /calculator, Slack at /slack.

Server-rendered, escaped by Jinja, no JavaScript; styled after the NHS.UK design system's
colours and type so it feels familiar to NHS staff.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import Flask, render_template_string
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from calculator.engine import BetterOffRequest, BetterOffResult
from calculator.web import create_app as create_calculator_app
from calculator.web.saving import NotSaved, SaveCalculation
from caseload import clock
from caseload.calculations import record_for_reference
from caseload.db import Database
from caseload.errors import CaseloadError, InvalidInput
from caseload.fidelity import upcoming_review
from caseload.outcomes import EMPLOYMENT_RATE_BENCHMARK
from caseload.periods import month
from caseload.reports import outcomes_report, percent
from caseload.settings import get_settings
from caseload.staff import staff_by_slack_id
from ips.context import NotMigrated, require_migrated

PAGE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>IPS Assist – {{ report.period.label() }} overview</title>
<style>
  body { font-family: Arial, sans-serif; margin: 0; color: #212b32; background: #f0f4f5;
         font-size: 1.1875rem; line-height: 1.5; }
  header { background: #005eb8; color: #fff; padding: 16px 24px; }
  header a { color: #fff; }
  main { max-width: 1100px; margin: 0 auto; padding: 24px; }
  h1 { font-size: 2rem; margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; background: #fff; margin-bottom: 24px; }
  caption { text-align: left; font-weight: bold; font-size: 1.375rem; padding: 8px 0; }
  th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid #d8dde0; }
  td.num, th.num { text-align: right; }
  .behind { color: #d5281b; font-weight: bold; }
  .on-target { color: #007f3b; font-weight: bold; }
  .panel { background: #fff; padding: 16px 24px; border-left: 8px solid #005eb8;
           margin-bottom: 24px; }
  a { color: #005eb8; }
  a:focus { outline: 4px solid #ffeb3b; background: #ffeb3b; color: #212b32; }
</style>
</head>
<body>
<header><strong>IPS Assist</strong> · Individual Placement and Support</header>
<main>
<h1>{{ report.period.label() }}: outcomes against target</h1>
<p>Figures as of {{ report.as_of.strftime('%-d %B %Y') }}. Client records hold a local
reference only.</p>
{% if not report.teams %}
<div class="panel"><p>No teams are set up yet. Add one with <code>ips team add "Team name"</code>,
or load the demo with <code>ips demo-data</code>.</p></div>
{% else %}
<table>
<caption>This month</caption>
<thead><tr><th scope="col">Team</th><th scope="col" class="num">Job starts</th>
<th scope="col" class="num">Target</th><th scope="col" class="num">People into work</th>
<th scope="col" class="num">Referrals</th>
<th scope="col" class="num">Employment rate, last 12 months</th>
<th scope="col" class="num">Overdue for employer contact</th>
<th scope="col">Next fidelity review</th></tr></thead>
<tbody>
{% for t in report.teams %}
<tr><th scope="row">{{ t.team_name }}</th>
<td class="num {{ 'on-target' if t.job_starts.total >= t.job_start_target else 'behind' }}">
{{ t.job_starts.total }}</td>
<td class="num">{{ t.job_start_target }}</td>
<td class="num">{{ t.job_starts.people }}</td>
<td class="num">{{ t.referrals }}</td>
<td class="num">{{ percent(t.employment_year.rate) }}</td>
<td class="num">{{ t.overdue }}</td>
<td>{{ reviews[t.team_id] }}</td></tr>
{% endfor %}
</tbody>
</table>
<table>
<caption>Since each service started</caption>
<thead><tr><th scope="col">Team</th><th scope="col">Referrals and jobs achieved</th></tr></thead>
<tbody>
{% for t in report.teams %}
<tr><th scope="row">{{ t.team_name }}</th><td>{{ t.since_start_sentence() }}</td></tr>
{% endfor %}
</tbody>
</table>
<div class="panel"><p>Job starts count competitive jobs only: open to anyone and paid at least
the minimum wage. Employment rate: out-of-work clients who started a competitive job ÷
out-of-work clients on the caseload over the last 12 months (IPS Grow; benchmark {{ benchmark }},
which applies to 12 months or more, never to a single month). Overdue: looking for work with no
face-to-face employer contact for over 28 days.</p></div>
{% endif %}
<p><a href="/calculator/">Better-off calculator</a></p>
</main>
</body>
</html>
"""


UNAVAILABLE = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>IPS Assist – not ready</title></head>
<body style="font-family: Arial, sans-serif; margin: 24px; color: #212b32">
<h1>IPS Assist is not ready yet</h1><p>{{ message }}</p></body></html>
"""


def _slack_http_mode(app: Flask, database: Database, settings: Any) -> None:
    """With SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET set, the web process also serves Slack
    at /slack/events (HTTP mode: several gunicorn workers can share the load)."""
    from bot.http import add_slack_routes, http_mode_configured
    from bot.settings import BotSettings

    settings = settings or BotSettings()
    if http_mode_configured(settings):
        add_slack_routes(app, database, settings)


def calculation_saver(database: Database) -> SaveCalculation:
    """Saving from the calculator's pages: the record's rules in one transaction, and a
    refusal as the sentence the page shows beside the reference."""

    def save(slack_user_id: str, reference: str, request: BetterOffRequest, result: BetterOffResult,
             household: dict[str, str]) -> None:
        try:
            with database.transaction() as session:
                record_for_reference(
                    session, staff_by_slack_id(session, slack_user_id), reference, result.tax_year,
                    request.inputs_to_record(), Decimal(str(result.better_off.monthly)),
                    household=household,
                )
        except InvalidInput as exc:
            message = exc.errors[0].message
            raise NotSaved(message[:1].upper() + message[1:]) from None
        except CaseloadError as exc:
            raise NotSaved(str(exc)) from None

    return save


def create_app(database: Database | None = None, config: dict[str, Any] | None = None,
               bot_settings: Any = None) -> Flask:
    """Application factory: nothing touches the database until a request comes in."""
    app = Flask(__name__)
    app.config.update(config or {})
    app.extensions["ips_database"] = database or Database(get_settings().database_url)
    _slack_http_mode(app, app.extensions["ips_database"], bot_settings)

    @app.get("/healthz")
    def healthz() -> tuple[dict[str, str], int]:
        # A platform routes traffic by this, so it asks the database too: pages that would
        # all fail should not be reported healthy.
        db: Database = app.extensions["ips_database"]
        try:
            with db.reading() as session:
                session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return {"status": "unavailable", "database": "unreachable"}, 503
        return {"status": "ok", "database": "ok"}, 200

    @app.errorhandler(NotMigrated)
    def not_migrated(exc: NotMigrated) -> tuple[str, int]:
        return render_template_string(UNAVAILABLE, message=str(exc)), 503

    @app.get("/")
    def overview() -> str:
        db: Database = app.extensions["ips_database"]
        if not app.extensions.get("ips_migrated"):
            # Checked until it passes once, so a fresh deploy recovers without a restart.
            require_migrated(db)
            app.extensions["ips_migrated"] = True
        today = clock.today()
        with db.reading() as session:
            report = outcomes_report(session, month(today))
            reviews = {}
            for t in report.teams:
                review = upcoming_review(session, t.team_id)
                if review is None:
                    reviews[t.team_id] = "Not scheduled"
                elif review.scheduled_for < today:
                    reviews[t.team_id] = f"Overdue since {review.scheduled_for:%-d %B %Y}"
                else:
                    weeks = (review.scheduled_for - today) // timedelta(weeks=1)
                    reviews[t.team_id] = f"{review.scheduled_for:%-d %B %Y} (in {weeks} weeks)"
        return render_template_string(
            PAGE, report=report, reviews=reviews, percent=percent,
            benchmark=percent(EMPLOYMENT_RATE_BENCHMARK),
        )

    # The calculator's pages and API, at /calculator on the same port; saving a
    # calculation uses the same database, through the one saver the calculator is given.
    calculator = create_calculator_app(save=calculation_saver(app.extensions["ips_database"]))
    app.wsgi_app = DispatcherMiddleware(  # type: ignore[method-assign]
        app.wsgi_app, {"/calculator": calculator})
    return app
