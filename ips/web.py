"""The web process: an overview of the caseload, the calculator at /calculator, Slack at /slack,
sign-in with Slack (ips/signin.py) in front of every page.

Server-rendered, escaped by Jinja, no JavaScript; security headers, CSRF tokens, rate limits
and no caching of anything personal on every page (calculator/web/guards.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import Flask, redirect, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix

from calculator.engine import BetterOffRequest, BetterOffResult
from calculator.settings import CalculatorSettings, get_calculator_settings
from calculator.web import create_app as create_calculator_app
from calculator.web import frontend
from calculator.web.guards import (
    account_header,
    csrf_refused,
    no_store_unless_set,
    secure_headers,
    storage_uri,
)
from calculator.web.saving import NotSaved, SaveCalculation
from caseload import clock
from caseload.calculations import record_for_reference
from caseload.db import Database
from caseload.errors import CaseloadError, InvalidInput, NotAllowed
from caseload.fidelity import upcoming_review
from caseload.models import Staff
from caseload.outcomes import EMPLOYMENT_RATE_BENCHMARK, JOB_RETENTION_LIMIT
from caseload.periods import month
from caseload.reports import outcomes_report_for, percent
from caseload.settings import get_settings
from caseload.staff import staff_by_slack_id
from ips.context import NotMigrated, require_migrated
from ips.sessions import install_sessions, share_sessions
from ips.signin import StaffPeople, WebSettings, current_staff, idle_timeout, loopback_only, sign_in_blueprint

# Paths anyone may reach: health checks, signing in and out, and Slack's own
# endpoints (which Slack signs; bot/http.py checks each request).
OPEN_PATHS = ("/healthz", "/signin", "/signout", "/signed-out", "/slack/", "/favicon.ico")

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


def _reviews(session: Session, team_ids: list[int]) -> dict[int, str]:
    today = clock.today()
    reviews = {}
    for team_id in team_ids:
        review = upcoming_review(session, team_id)
        if review is None:
            reviews[team_id] = "Not scheduled"
        elif review.scheduled_for < today:
            reviews[team_id] = f"Overdue since {review.scheduled_for:%-d %B %Y}"
        else:
            weeks = (review.scheduled_for - today) // timedelta(weeks=1)
            reviews[team_id] = f"{review.scheduled_for:%-d %B %Y} (in {weeks} weeks)"
    return reviews


def overview_page(db_session: Session, actor: Staff) -> str:
    """The teams `actor` may see (caseload/access.py decides), or a sentence saying why none."""
    try:
        report = outcomes_report_for(db_session, actor, month(clock.today()))
    except NotAllowed:
        return render_template("overview.html", report=None, person=actor,
                               role=actor.role.value.replace("_", " "))
    return render_template(
        "overview.html", report=report, person=actor,
        reviews=_reviews(db_session, [t.team_id for t in report.teams]), percent=percent,
        benchmark=percent(EMPLOYMENT_RATE_BENCHMARK), retention_limit=percent(JOB_RETENTION_LIMIT),
    )


def _guard(app: Flask, web: WebSettings, https: bool, people: StaffPeople) -> Limiter:
    """Headers, rate limits, CSRF and sign-in in front of everything but OPEN_PATHS."""
    secure_headers(app, https=https)
    app.after_request(no_store_unless_set)
    limiter = Limiter(get_remote_address, app=app, storage_uri=storage_uri(web.redis_url),
                      application_limits=[web.ips_page_rate_limit], headers_enabled=True, key_prefix="ips",
                      # Slack's requests come from Slack's few addresses and are signed.
                      application_limits_exempt_when=lambda: request.path.startswith(("/slack/", "/healthz")))
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config["WTF_CSRF_TIME_LIMIT"] = None
    csrf = CSRFProtect(app)
    app.register_error_handler(CSRFError, csrf_refused)

    @app.before_request
    def signed_in_first() -> Any:
        if request.path != "/healthz" and not app.extensions.get("ips_migrated"):
            # Checked until it passes once, so a fresh deploy recovers without a restart.
            require_migrated(app.extensions["ips_database"])
            app.extensions["ips_migrated"] = True
        if request.path.startswith("/slack/"):
            return None  # Slack signs its requests; bot/http.py checks the signature
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.url_rule is not None:
            csrf.protect()
        if request.path.startswith(OPEN_PATHS) or people.signed_in() is not None:
            return None
        return redirect(people.sign_in_url(request.full_path.rstrip("?")))

    return limiter


def secret_key(web: WebSettings) -> str:
    """IPS_SECRET_KEY; else one derived from the Slack app's secret, the same in every worker
    (a key of each worker's own would refuse a form drawn by another); else, on one machine with
    no Slack app, one of this process's own."""
    if web.ips_secret_key:
        return web.ips_secret_key
    if web.slack_client_secret:
        return hmac.new(web.slack_client_secret.encode(), b"ips-web-secret-key", hashlib.sha256).hexdigest()
    return secrets.token_hex(32)


def create_app(database: Database | None = None, config: dict[str, Any] | None = None,
               bot_settings: Any = None, *, listen_host: str | None = None,
               web_settings: WebSettings | None = None,
               calculator_settings: CalculatorSettings | None = None) -> Flask:
    """Application factory: nothing touches the database until a request comes in.

    `listen_host` is where `ips serve` listens; only a loopback address (with no Slack app
    for sign-in) gets the demo sign-in. Under gunicorn it is unknown, so never."""
    web = web_settings or WebSettings()
    https = not loopback_only(listen_host)
    # Its own templates (ips/templates) on the calculator's layout; the styles are the calculator's.
    app = Flask(__name__, static_folder=None)
    app.config.update(config or {})
    frontend.install(app, static_url=lambda name: f"/calculator/static/{name}", home_url=lambda: "/")
    app.secret_key = secret_key(web)
    db = database or Database(get_settings().database_url)
    app.extensions["ips_database"] = db
    app.extensions["ips_web_settings"] = web
    install_sessions(app, db, redis_url=web.redis_url, idle=idle_timeout(web), https=https)
    people = StaffPeople(db, web.ips_session_hours)
    limiter = _guard(app, web, https, people)
    demo = not web.slack_sign_in and loopback_only(listen_host)
    app.register_blueprint(sign_in_blueprint(web, db, limiter, demo=demo))
    _slack_http_mode(app, db, bot_settings)

    @app.get("/healthz")
    def healthz() -> tuple[dict[str, str], int]:
        # A platform routes traffic by this, so it asks the database too: pages that would
        # all fail should not be reported healthy.
        try:
            with db.reading() as db_session:
                db_session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return {"status": "unavailable", "database": "unreachable"}, 503
        return {"status": "ok", "database": "ok"}, 200

    # Refusals (404, 405, 429 ...) as the calculator shows them: a page in words with a way back.
    app.register_error_handler(HTTPException, frontend.error_page)

    @app.errorhandler(NotMigrated)
    def not_migrated(exc: NotMigrated) -> tuple[str, int]:
        return render_template("unavailable.html", message=str(exc)), 503

    @app.context_processor
    def signed_in_header() -> dict[str, Any]:
        person = people.signed_in()
        return {"header_account": account_header(person.name, people.sign_out_url())} if person else {}

    @app.get("/")
    def overview() -> str:
        with db.reading() as db_session:
            actor = current_staff(db_session, web.ips_session_hours)
            assert actor is not None  # signed_in_first let the request through
            return overview_page(db_session, actor)

    # The calculator's pages and API, at /calculator on the same port, behind the same sign-in
    # and sessions; saving a calculation uses the same database, through the one saver the
    # calculator is given.
    calculator = create_calculator_app(calculator_settings or get_calculator_settings(),
                                       save=calculation_saver(db), people=people, https=https)
    share_sessions(app, calculator)
    app.wsgi_app = DispatcherMiddleware(  # type: ignore[method-assign]
        app.wsgi_app, {"/calculator": calculator})
    if web.ips_trusted_proxies:
        # Behind a platform's proxies the address to limit by is the one they forwarded.
        n = web.ips_trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]
    return app
