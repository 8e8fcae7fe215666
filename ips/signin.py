"""Sign in with Slack (Slack's OpenID Connect, through slack_sdk) for the web pages.

The person is whoever Slack says signed in, looked up in the staff record by their Slack user
id: someone not in it, or switched off, is refused with a plain page, and the record's rules
(caseload/access.py) decide what each page shows them. The JSON API keeps its bearer token.

With no Slack app configured and the server listening on a loopback address only (`make run`),
a clearly marked demo sign-in lets a developer be any demo staff member; anywhere else that
route does not exist.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_limiter import Limiter
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth import OpenIDConnectAuthorizeUrlGenerator

from calculator.web.saving import LinkNotOpened, SignedIn
from caseload.calculations import CALCULATION_ROLES
from caseload.calculator_links import LinkRefused, peek_link, use_link
from caseload.db import Database
from caseload.errors import UnknownUser
from caseload.models import Staff
from caseload.staff import list_staff, staff_by_slack_id
from messaging.oauth import SIGN_IN_REDIRECT_PATH, SIGN_IN_SCOPES

SLACK_ISSUER = "https://slack.com"
USER_CLAIM = "https://slack.com/user_id"
TEAM_CLAIM = "https://slack.com/team_id"


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    ips_secret_key: str | None = Field(
        default=None, description="Signs the pages' CSRF tokens; a new one each start when unset.")
    ips_public_url: str | None = Field(
        default=None, description="Where people reach the pages, e.g. https://ips.example.nhs.uk; "
        "Slack returns to <this>/signin/slack/callback.")
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_openid_authorize_url: str = "https://slack.com/openid/connect/authorize"
    slack_api_url: str = "https://slack.com/api/"
    redis_url: str | None = Field(default=None, description="Sessions and rate limits; else the database "
                                  "and memory.")
    ips_session_idle_minutes: int = Field(default=30, description="Signed out after this long idle.")
    ips_session_hours: int = Field(default=10, description="Signed out this long after signing in.")
    ips_trusted_proxies: int = Field(default=0, description="Proxies in front (a platform's router: 1) "
                                     "whose X-Forwarded-For and -Proto are believed.")
    ips_page_rate_limit: str = "300 per minute"
    ips_failed_signin_limit: str = "10 per 15 minutes"

    @property
    def slack_sign_in(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)


def loopback_only(host: str | None) -> bool:
    """Whether the server listens only where nobody else can reach it."""
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


class SignInRefused(Exception):
    """Shown on a plain page; `str()` says what to do."""


STALE = "That sign-in did not come from this page, or took too long. Try signing in again."
NOT_STAFF = ("You signed in with Slack, but you are not set up in IPS Assist. Ask your team leader "
             "or an admin to add you.")
SWITCHED_OFF = "Your IPS Assist access has been switched off: ask your team leader."


def _staff(database: Database, slack_user_id: str, slack_team_id: str | None = None) -> tuple[str, str]:
    """The person's Slack user id and name, once the record says they may sign in."""
    with database.reading() as db_session:
        try:
            staff = staff_by_slack_id(db_session, slack_user_id)
        except UnknownUser:
            raise SignInRefused(NOT_STAFF) from None
        if slack_team_id and staff.slack_team_id and staff.slack_team_id != slack_team_id:
            # The same user id in another workspace is someone else.
            raise SignInRefused(NOT_STAFF)
        if not staff.active:
            raise SignInRefused(SWITCHED_OFF)
        return staff.slack_user_id, staff.display_name


def current_staff(db_session: Any, session_hours: int) -> Staff | None:
    """The signed-in staff member within `db_session`, or None (signed out, timed out, gone or
    switched off since)."""
    slack_user_id = session.get("slack_user_id")
    if not isinstance(slack_user_id, str):
        return None
    signed_in_at = session.get("signed_in_at", 0)
    if time.time() - signed_in_at > session_hours * 3600:
        session.clear()
        return None
    try:
        staff = staff_by_slack_id(db_session, slack_user_id)
    except UnknownUser:
        session.clear()
        return None
    if not staff.active:
        session.clear()
        return None
    return staff


def _sign_in_as(slack_user_id: str, next_path: Any) -> Any:
    """Sign in and go on to `next_path` (a path on this site only)."""
    # A new session id on every sign-in: a session id planted before it is worth nothing after.
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    session.clear()
    session["slack_user_id"] = slack_user_id
    session["signed_in_at"] = time.time()
    return redirect(_safe_next(next_path))


def _safe_next(value: Any) -> str:
    """Only a path on this site: never another site, not even `//evil.example`."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return "/"


@dataclass(frozen=True)
class StaffPeople:
    """The calculator's `People`: who is signed in, from the shared session and the record."""

    database: Database
    session_hours: int

    def signed_in(self) -> SignedIn | None:
        if "slack_user_id" not in session:
            return None
        if "ips_signed_in" in g:  # asked once a request: the gate, then the page's header
            found: SignedIn | None = g.ips_signed_in
            return found
        with self.database.reading() as db_session:
            staff = current_staff(db_session, self.session_hours)
            g.ips_signed_in = None if staff is None else SignedIn(
                staff.slack_user_id, staff.display_name, staff.role in CALCULATION_ROLES)
        return self.signed_in()

    def sign_in_url(self, next_path: str) -> str:
        return "/signin?" + urlencode({"next": _safe_next(next_path)})

    def sign_out_url(self) -> str:
        return "/signout"

    def open_link(self, link_id: str, slack_user_id: str, *, use: bool) -> dict[str, str]:
        try:
            with self.database.transaction() as db_session:
                opened = use_link if use else peek_link
                return opened(db_session, link_id, slack_user_id)
        except LinkRefused as refused:
            raise LinkNotOpened(str(refused), gone=refused.gone) from None


def _id_token_claims(id_token: str) -> dict[str, Any]:
    """The ID token's claims. Its signature is not checked: the token came straight from Slack's
    token endpoint over TLS, authenticated with our client secret, which OpenID Connect Core
    3.1.3.7 accepts in place of the signature; issuer, audience, expiry and nonce are checked."""
    try:
        payload = id_token.split(".")[1]
        claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        raise SignInRefused("Slack's answer could not be read. Try signing in again.") from None
    return claims


def _check_claims(claims: dict[str, Any], settings: WebSettings, nonce: str | None) -> str:
    good = (claims.get("iss") == SLACK_ISSUER and claims.get("aud") == settings.slack_client_id
            and isinstance(claims.get("exp"), int) and claims["exp"] > time.time()
            and nonce is not None and hmac.compare_digest(str(claims.get("nonce", "")), nonce)
            and isinstance(claims.get(USER_CLAIM), str))
    if not good:
        raise SignInRefused(STALE)
    return str(claims[USER_CLAIM])


def _redirect_uri(settings: WebSettings) -> str:
    base = settings.ips_public_url or request.host_url
    return base.rstrip("/") + SIGN_IN_REDIRECT_PATH


def _finish_slack_sign_in(settings: WebSettings, database: Database) -> str:
    """The Slack user id once Slack's answer checks out and the record lets them in."""
    state = session.pop("oidc_state", None)
    nonce = session.pop("oidc_nonce", None)
    given = request.args.get("state", "")
    if not state or not hmac.compare_digest(given, state):
        raise SignInRefused(STALE)
    if request.args.get("error") or not request.args.get("code"):
        raise SignInRefused("Slack did not sign you in. Try again, and choose Allow.")
    client = WebClient(base_url=settings.slack_api_url)
    try:
        answer = client.openid_connect_token(
            client_id=settings.slack_client_id or "", client_secret=settings.slack_client_secret or "",
            code=request.args["code"], redirect_uri=_redirect_uri(settings))
    except SlackApiError:
        raise SignInRefused("Slack did not accept that sign-in. Try signing in again.") from None
    claims = _id_token_claims(str(answer.get("id_token", "")))
    slack_user_id = _check_claims(claims, settings, nonce)
    user, _ = _staff(database, slack_user_id, claims.get(TEAM_CLAIM))
    return user


def _refused(message: str, status: int = 403) -> tuple[str, int]:
    return render_template("signin_refused.html", message=message), status


def sign_in_blueprint(settings: WebSettings, database: Database, limiter: Limiter, *,
                      demo: bool) -> Blueprint:
    bp = Blueprint("signin", __name__)
    # Failed sign-ins are counted per address and few are allowed; good ones cost nothing.
    failures = limiter.shared_limit(settings.ips_failed_signin_limit, scope="failed-sign-in",
                                    deduct_when=lambda response: response.status_code >= 400)

    @bp.get("/signin")
    def sign_in() -> Any:
        # Where to go after: carried by the form and the Slack link, not the session, so another
        # tab's (or the browser's own favicon) redirect cannot change it.
        next_path = _safe_next(request.args.get("next"))
        staff = []
        if demo:
            with database.reading() as db_session:
                staff = [(s.slack_user_id, s.display_name, s.role.value.replace("_", " "),
                          s.team.name if s.team else "no team") for s in list_staff(db_session) if s.active]
        return render_template("signin.html", slack=settings.slack_sign_in, demo=demo, staff=staff,
                               next_path=next_path)

    @bp.get("/signin/slack")
    def slack_start() -> Any:
        if not settings.slack_sign_in:
            abort(404)
        session["oidc_state"] = secrets.token_urlsafe(24)
        session["oidc_nonce"] = secrets.token_urlsafe(24)
        session["oidc_next"] = _safe_next(request.args.get("next"))
        generator = OpenIDConnectAuthorizeUrlGenerator(
            client_id=settings.slack_client_id or "", redirect_uri=_redirect_uri(settings),
            scopes=SIGN_IN_SCOPES, authorization_url=settings.slack_openid_authorize_url)
        return redirect(generator.generate(session["oidc_state"], nonce=session["oidc_nonce"]))

    @bp.get(SIGN_IN_REDIRECT_PATH)
    @failures
    def slack_callback() -> Any:
        if not settings.slack_sign_in:
            abort(404)
        next_path = session.pop("oidc_next", "/")
        try:
            user = _finish_slack_sign_in(settings, database)
        except SignInRefused as refused:
            return _refused(str(refused))
        return _sign_in_as(user, next_path)

    if demo:
        @bp.post("/signin/demo")
        @failures
        def demo_sign_in() -> Any:
            try:
                user, _ = _staff(database, request.form.get("slack_user_id", ""))
            except SignInRefused as refused:
                return _refused(str(refused))
            return _sign_in_as(user, request.form.get("next"))

    @bp.post("/signout")
    def sign_out() -> Any:
        session.clear()
        return redirect(url_for("signin.signed_out"))

    @bp.get("/signed-out")
    def signed_out() -> Any:
        return render_template("signed_out.html")

    return bp


def idle_timeout(settings: WebSettings) -> timedelta:
    return timedelta(minutes=settings.ips_session_idle_minutes)
