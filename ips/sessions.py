"""Server-side sessions for the web pages, through Flask-Session.

The cookie holds only a random session id (Secure off loopback, HttpOnly, SameSite=Lax); what
a session knows (who signed in, when, the CSRF token) stays on the server: in Redis when
REDIS_URL is set, otherwise in the database's `web_sessions` table, so every worker and
machine shares it without another service. A session ends after a short idle time (each
request renews it) and, whatever the activity, a few hours after sign-in.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from typing import Any

from flask import Flask
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from flask_session.redis import RedisSessionInterface
from sqlalchemy import delete, select

from caseload.db import Database
from caseload.models import WebSession, utcnow

RENEW_EVERY_SECONDS = 60
COOKIE = "ips-session"
# The __Host- prefix makes a browser keep the cookie to this host, path / and HTTPS only.
SECURE_COOKIE = "__Host-ips-session"


class DigestedIds:
    """Both stores key a session by the SHA-256 digest of its id, never the id itself: a copy
    of the table, or a look into Redis, holds nothing that would sign anyone in."""

    key_prefix: str

    def _get_store_id(self, sid: str) -> str:
        return self.key_prefix + hashlib.sha256(sid.encode()).hexdigest()


class RedisSessions(DigestedIds, RedisSessionInterface):  # type: ignore[misc]
    """Flask-Session's Redis store, keyed by digests."""


class DatabaseSessionInterface(DigestedIds, ServerSideSessionInterface):  # type: ignore[misc]
    """Flask-Session's server-side session, kept in the record's database."""

    ttl = False

    def __init__(self, app: Flask, database: Database) -> None:
        self.database = database
        # Expired rows are cleared now and then as requests come in (one in a hundred).
        super().__init__(app, key_prefix="", use_signer=False, permanent=True, sid_length=32,
                         serialization_format="msgpack", cleanup_n_requests=100)

    def should_set_storage(self, app: Flask, session: ServerSideSession) -> bool:
        """Renew an unchanged session at most once a minute, not on every request: a write per
        page is a cost the idle timeout does not need to the second."""
        now = time.time()
        if session.modified or now - session.get("_renewed", 0) >= RENEW_EVERY_SECONDS:
            session["_renewed"] = now
            return True
        return False

    def _retrieve_session_data(self, store_id: str) -> dict[str, Any] | None:
        with self.database.reading() as session:
            row = session.scalar(select(WebSession).where(WebSession.id == store_id,
                                                          WebSession.expires_at > utcnow()))
            data = row.data if row is not None else None
        if data is None:
            return None
        assert self.serializer is not None
        decoded: dict[str, Any] = self.serializer.decode(data)
        return decoded

    def _delete_session(self, store_id: str) -> None:
        with self.database.transaction() as session:
            session.execute(delete(WebSession).where(WebSession.id == store_id))

    def _upsert_session(self, session_lifetime: timedelta, session: ServerSideSession,
                        store_id: str) -> None:
        assert self.serializer is not None
        data = self.serializer.encode(session)
        expires = utcnow() + session_lifetime
        with self.database.transaction() as db_session:
            row = db_session.get(WebSession, store_id)
            if row is None:
                db_session.add(WebSession(id=store_id, data=data, expires_at=expires))
            else:
                row.data, row.expires_at = data, expires

    def _delete_expired_sessions(self) -> None:
        with self.database.transaction() as session:
            session.execute(delete(WebSession).where(WebSession.expires_at <= utcnow()))


def install_sessions(app: Flask, database: Database, *, redis_url: str | None, idle: timedelta,
                     https: bool) -> ServerSideSessionInterface:
    app.config.update(
        SESSION_COOKIE_NAME=SECURE_COOKIE if https else COOKIE,
        SESSION_COOKIE_PATH="/",
        SESSION_COOKIE_SECURE=https,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=idle,
        # Each request pushes the idle deadline back.
        SESSION_REFRESH_EACH_REQUEST=True,
    )
    interface: ServerSideSessionInterface
    if redis_url:
        from redis import Redis

        interface = RedisSessions(app, client=Redis.from_url(redis_url), key_prefix="ips-session:",
                                          use_signer=False, permanent=True, sid_length=32,
                                          serialization_format="msgpack")
    else:
        interface = DatabaseSessionInterface(app, database)
    app.session_interface = interface
    return interface


def share_sessions(parent: Flask, child: Flask) -> None:
    """The calculator, mounted at /calculator, reads and writes the same sessions."""
    child.secret_key = parent.secret_key
    child.session_interface = parent.session_interface
    for key in ("SESSION_COOKIE_NAME", "SESSION_COOKIE_PATH", "SESSION_COOKIE_SECURE",
                "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "PERMANENT_SESSION_LIFETIME",
                "SESSION_REFRESH_EACH_REQUEST"):
        child.config[key] = parent.config[key]
