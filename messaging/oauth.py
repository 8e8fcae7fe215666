"""Multi-workspace install through Slack's OAuth flow, with what it keeps in our own database.

slack_sdk asks for two stores. `DatabaseInstallationStore` keeps each workspace's install
(the bot token Bolt authorises every request with) and `DatabaseOAuthStateStore` keeps the
state an install started with, so the callback can prove it came from an install we began.
Both use the tables in messaging.models (migration 0005), on SQLite or PostgreSQL alike; the
SDK's own SQLAlchemy stores are not used because they create tables outside our migrations.

Tokens are stored as Slack gives them, not encrypted: anyone who can read the
`slack_installations` and `slack_bots` tables can act as the bot in every installed
workspace. Keep the database (the SQLite file, or the PostgreSQL role and its backups) as
private as the client secret.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import yaml
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from caseload.db import Database
from caseload.models import utcnow
from caseload.settings import PROJECT_ROOT
from messaging.models import SlackBot, SlackInstallation, SlackOAuthState

log = logging.getLogger("messaging.oauth")

MANIFEST = PROJECT_ROOT / "slack" / "manifest.yml"
# How long an install may take between /slack/install and Slack's redirect back.
STATE_LIFETIME = timedelta(minutes=10)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# Where Slack returns a person signing in to the web pages (Sign in with Slack, ips/signin.py),
# and the user scopes that asks for; the manifest registers both.
SIGN_IN_REDIRECT_PATH = "/signin/slack/callback"
SIGN_IN_SCOPES = ["openid", "profile"]


class AppCredentials(Protocol):
    """The Slack app's OAuth credentials, as the bot's settings (bot/settings.py) carry them."""

    @property
    def slack_client_id(self) -> str | None: ...
    @property
    def slack_client_secret(self) -> str | None: ...
    @property
    def slack_signing_secret(self) -> str | None: ...
    @property
    def slack_redirect_uri(self) -> str | None: ...


def oauth_configured(settings: AppCredentials) -> bool:
    """Multi-workspace mode: the app's client id and secret, and the secret to check requests."""
    return bool(settings.slack_client_id and settings.slack_client_secret
                and settings.slack_signing_secret)


@lru_cache(maxsize=4)
def manifest_bot_scopes(path: Path = MANIFEST) -> tuple[str, ...]:
    """The bot scopes the manifest asks for: an install asks Slack for exactly these."""
    if not path.exists():
        raise FileNotFoundError(f"Slack manifest not found at {path}; run from a checkout")
    manifest = yaml.safe_load(path.read_text())
    return tuple(manifest["oauth_config"]["scopes"]["bot"])


def oauth_settings(database: Database, settings: AppCredentials) -> OAuthSettings:
    """Bolt's OAuth settings with our stores; nothing is read from files or os.environ."""
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(manifest_bot_scopes()),
        user_scopes=[],
        # None lets Slack use the app's one redirect URL (the manifest's).
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        # Straight to Slack's consent page rather than a page with an "Add to Slack" button.
        install_page_rendering_enabled=False,
        installation_store=DatabaseInstallationStore(database),
        state_store=DatabaseOAuthStateStore(database),
        state_expiration_seconds=int(STATE_LIFETIME.total_seconds()),
    )


def _at(timestamp: float | int | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC)


def _scopes(scopes: Any) -> str | None:
    return ",".join(scopes) if scopes else None


# What a row keeps of slack_sdk's Bot and Installation, as they are (scopes and times are
# converted by `_copy`).
BOT_FIELDS = ("app_id", "enterprise_id", "enterprise_name", "team_id", "team_name", "bot_token",
              "bot_id", "bot_user_id", "bot_refresh_token")
INSTALLATION_FIELDS = (*BOT_FIELDS, "enterprise_url", "user_id", "user_token", "user_refresh_token",
                       "incoming_webhook_url", "incoming_webhook_channel",
                       "incoming_webhook_channel_id", "incoming_webhook_configuration_url",
                       "token_type")


def _copy(row: SlackInstallation | SlackBot, source: Installation | Bot, fields: tuple[str, ...]) -> None:
    for name in fields:
        setattr(row, name, getattr(source, name))
    for name in ("bot_scopes", "user_scopes"):
        if hasattr(row, name):
            setattr(row, name, _scopes(getattr(source, name)))
    for name in ("bot_token_expires_at", "user_token_expires_at"):
        if hasattr(row, name):
            setattr(row, name, _at(getattr(source, name)))
    row.is_enterprise_install = bool(source.is_enterprise_install)
    row.installed_at = _at(source.installed_at) or utcnow()


class DatabaseInstallationStore(InstallationStore):
    """Installs in `slack_installations` (one row per installer) and `slack_bots` (per workspace).

    A reinstall replaces the earlier row, so only the tokens in use are kept; where several
    rows could answer (two installers, or two processes saving at once) the latest wins.
    For an org-wide (Enterprise Grid) install the team id is None.
    """

    def __init__(self, database: Database, logger: logging.Logger = log) -> None:
        self._db = database
        self._logger = logger

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    # -- saving --------------------------------------------------------------------
    def save(self, installation: Installation) -> None:
        with self._db.transaction() as session:
            row = session.scalars(
                select(SlackInstallation).where(
                    SlackInstallation.enterprise_id == installation.enterprise_id,
                    SlackInstallation.team_id == installation.team_id,
                    SlackInstallation.user_id == installation.user_id,
                ).order_by(SlackInstallation.installed_at.desc(), SlackInstallation.id.desc()).limit(1)
            ).first()
            if row is None:
                row = SlackInstallation()
                session.add(row)
            _copy(row, installation, INSTALLATION_FIELDS)
            if installation.bot_token:
                self._save_bot(session, installation.to_bot())

    def save_bot(self, bot: Bot) -> None:
        with self._db.transaction() as session:
            self._save_bot(session, bot)

    @staticmethod
    def _save_bot(session: Session, bot: Bot) -> None:
        row = session.scalars(
            select(SlackBot).where(SlackBot.enterprise_id == bot.enterprise_id,
                                   SlackBot.team_id == bot.team_id)
            .order_by(SlackBot.installed_at.desc(), SlackBot.id.desc()).limit(1)
        ).first()
        if row is None:
            row = SlackBot()
            session.add(row)
        _copy(row, bot, BOT_FIELDS)

    # -- finding -------------------------------------------------------------------
    def find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                 is_enterprise_install: bool | None = False) -> Bot | None:
        if is_enterprise_install:
            team_id = None
        with self._db.reading() as session:
            row = session.scalars(
                select(SlackBot).where(SlackBot.enterprise_id == enterprise_id,
                                       SlackBot.team_id == team_id)
                .order_by(SlackBot.installed_at.desc(), SlackBot.id.desc()).limit(1)
            ).first()
        return None if row is None else _bot(row)

    def find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                          user_id: str | None = None,
                          is_enterprise_install: bool | None = False) -> Installation | None:
        if is_enterprise_install:
            team_id = None
        query = select(SlackInstallation).where(SlackInstallation.enterprise_id == enterprise_id,
                                                SlackInstallation.team_id == team_id)
        if user_id is not None:
            query = query.where(SlackInstallation.user_id == user_id)
        with self._db.reading() as session:
            row = session.scalars(
                query.order_by(SlackInstallation.installed_at.desc(), SlackInstallation.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        installation = _installation(row)
        if user_id is not None or installation.bot_token is None:
            # One person's install may predate the workspace's latest bot token: use that.
            bot = self.find_bot(enterprise_id=enterprise_id, team_id=team_id,
                                is_enterprise_install=is_enterprise_install)
            if bot is not None and bot.bot_token != installation.bot_token:
                installation.bot_id = bot.bot_id
                installation.bot_user_id = bot.bot_user_id
                installation.bot_token = bot.bot_token
                installation.bot_scopes = bot.bot_scopes
                installation.bot_refresh_token = bot.bot_refresh_token
                installation.bot_token_expires_at = bot.bot_token_expires_at
        return installation

    def bot_tokens_by_workspace(self) -> dict[str, str]:
        """Each workspace's latest bot token, by team id, for the reminders clock.

        One query for a whole run rather than find_bot per message. Org-wide installs (team
        id None) are left out: the clock only knows people by their workspace.
        """
        with self._db.reading() as session:
            rows = session.execute(
                select(SlackBot.team_id, SlackBot.bot_token).where(SlackBot.team_id.is_not(None))
                .order_by(SlackBot.installed_at, SlackBot.id)).all()
        # Ascending, so a later install of the same workspace overwrites an earlier one.
        return {team_id: token for team_id, token in rows if team_id is not None}

    # -- deleting (uninstalls and revoked tokens) -----------------------------------
    # Bolt calls these from its app_uninstalled and tokens_revoked listeners (bot/listeners/
    # events.py turns them on), so a workspace that leaves takes its tokens with it.
    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """The workspace's bot token was revoked: forget it everywhere it is kept.

        Each install row carries a copy of the bot token as well as `slack_bots`; left there,
        Bolt's find_installation would keep answering with the dead token. An install with no
        user token has nothing left once the bot token goes, so it is deleted; one with a user
        token keeps that and loses only the bot's fields.
        """
        workspace = (SlackInstallation.enterprise_id == enterprise_id,
                     SlackInstallation.team_id == team_id)
        with self._db.transaction() as session:
            session.execute(delete(SlackBot).where(SlackBot.enterprise_id == enterprise_id,
                                                   SlackBot.team_id == team_id))
            session.execute(delete(SlackInstallation).where(
                *workspace, SlackInstallation.user_token.is_(None)))
            session.execute(update(SlackInstallation).where(*workspace).values(
                bot_token=None, bot_id=None, bot_user_id=None, bot_scopes=None,
                bot_refresh_token=None, bot_token_expires_at=None))

    def delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                            user_id: str | None = None) -> None:
        statement = delete(SlackInstallation).where(SlackInstallation.enterprise_id == enterprise_id,
                                                    SlackInstallation.team_id == team_id)
        if user_id is not None:
            statement = statement.where(SlackInstallation.user_id == user_id)
        with self._db.transaction() as session:
            session.execute(statement)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        with self._db.transaction() as session:
            session.execute(delete(SlackBot).where(SlackBot.enterprise_id == enterprise_id,
                                                   SlackBot.team_id == team_id))
            session.execute(delete(SlackInstallation).where(
                SlackInstallation.enterprise_id == enterprise_id, SlackInstallation.team_id == team_id))


def _bot(row: SlackBot) -> Bot:
    return Bot(
        app_id=row.app_id, enterprise_id=row.enterprise_id, enterprise_name=row.enterprise_name,
        team_id=row.team_id, team_name=row.team_name, bot_token=row.bot_token, bot_id=row.bot_id,
        bot_user_id=row.bot_user_id, bot_scopes=row.bot_scopes or "",
        bot_refresh_token=row.bot_refresh_token, bot_token_expires_at=row.bot_token_expires_at,
        is_enterprise_install=row.is_enterprise_install, installed_at=row.installed_at,
    )


def _installation(row: SlackInstallation) -> Installation:
    return Installation(
        app_id=row.app_id, enterprise_id=row.enterprise_id, enterprise_name=row.enterprise_name,
        enterprise_url=row.enterprise_url, team_id=row.team_id, team_name=row.team_name,
        bot_token=row.bot_token, bot_id=row.bot_id, bot_user_id=row.bot_user_id,
        bot_scopes=row.bot_scopes or "", bot_refresh_token=row.bot_refresh_token,
        bot_token_expires_at=row.bot_token_expires_at, user_id=row.user_id,
        user_token=row.user_token, user_scopes=row.user_scopes or "",
        user_refresh_token=row.user_refresh_token, user_token_expires_at=row.user_token_expires_at,
        incoming_webhook_url=row.incoming_webhook_url,
        incoming_webhook_channel=row.incoming_webhook_channel,
        incoming_webhook_channel_id=row.incoming_webhook_channel_id,
        incoming_webhook_configuration_url=row.incoming_webhook_configuration_url,
        is_enterprise_install=row.is_enterprise_install, token_type=row.token_type,
        installed_at=row.installed_at,
    )


class DatabaseOAuthStateStore(OAuthStateStore):
    """States in `slack_oauth_states`: each is good for one callback within STATE_LIFETIME.

    Consuming deletes the row, in one statement, so two callbacks racing with one state (two
    workers, or a replayed URL) cannot both succeed. Expired rows are swept as states come
    and go.
    """

    def __init__(self, database: Database, lifetime: timedelta = STATE_LIFETIME,
                 now: Callable[[], datetime] = utcnow, logger: logging.Logger = log) -> None:
        self._db = database
        self._lifetime = lifetime
        self._now = now
        self._logger = logger

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(32)
        now = self._now()
        with self._db.transaction() as session:
            session.execute(delete(SlackOAuthState).where(SlackOAuthState.expires_at <= now))
            session.add(SlackOAuthState(state=state, created_at=now, expires_at=now + self._lifetime))
        return state

    def consume(self, state: str) -> bool:
        if not state or len(state) > 64:
            return False
        now = self._now()
        with self._db.transaction() as session:
            taken = session.execute(delete(SlackOAuthState).where(
                SlackOAuthState.state == state, SlackOAuthState.expires_at > now))
            session.execute(delete(SlackOAuthState).where(SlackOAuthState.expires_at <= now))
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            self._logger.info("OAuth state refused: unknown, used already or expired")
            return False
        return True
