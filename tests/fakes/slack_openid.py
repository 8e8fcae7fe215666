"""A local stand-in for Slack's OpenID Connect provider (Sign in with Slack): a real HTTP server.

- GET /openid/connect/authorize: checks the client id, redirect URL and scopes as Slack would,
  then sends the browser back to the redirect URL with a one-time code and the state, as the
  person `signs_in` (set by the test) choosing Allow would; `deny` answers error=access_denied.
- POST /api/openid.connect.token: HTTP Basic client credentials, the code (once only, within
  its minutes, for the same redirect URL); answers an access token and an ID token carrying
  iss, aud, exp, nonce and Slack's user and team claims, as Slack does.

Slack's documentation for these: docs.slack.dev/authentication/sign-in-with-slack.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

CLIENT_ID = "1111111111.3333333333"
CLIENT_SECRET = "test-openid-secret"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@dataclass
class FakeSlackOpenID:
    redirect_uris: set[str] = field(default_factory=set)
    signs_in: tuple[str, str] = ("U0000000", "T0000000")  # (user id, team id)
    deny: bool = False
    # What the ID token says, for tests of a provider answer that must be refused.
    token_overrides: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], str]:
        self.calls.append("authorize")
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, {}, "invalid_client_id"
        if query.get("redirect_uri") not in self.redirect_uris:
            return 400, {}, "bad_redirect_uri"
        if "openid" not in query.get("scope", "").replace(",", " ").split():  # Slack takes either
            return 400, {}, "invalid_scope"
        if self.deny:
            params = {"error": "access_denied", "state": query.get("state", "")}
        else:
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "user": self.signs_in,
                "nonce": query.get("nonce"),
                "redirect_uri": query["redirect_uri"],
                "at": time.time(),
            }
            params = {"code": code, "state": query.get("state", "")}
        return 302, {"Location": f"{query['redirect_uri']}?{urlencode(params)}"}, ""

    def token(self, auth: str | None, form: dict[str, str]) -> dict[str, Any]:
        self.calls.append("openid.connect.token")
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if auth != expected:
            return {"ok": False, "error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or time.time() - grant["at"] > 600:
            return {"ok": False, "error": "invalid_code"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return {"ok": False, "error": "bad_redirect_uri"}
        user, team = grant["user"]
        now = int(time.time())
        claims = {
            "iss": "https://slack.com",
            "sub": user,
            "aud": CLIENT_ID,
            "exp": now + 3600,
            "iat": now,
            "auth_time": now,
            "nonce": grant["nonce"],
            "https://slack.com/user_id": user,
            "https://slack.com/team_id": team,
            "name": "Signed In Person",
            **self.token_overrides,
        }
        id_token = f"{_b64({'alg': 'RS256', 'typ': 'JWT'})}.{_b64(claims)}.c2lnbmF0dXJl"
        return {
            "ok": True,
            "access_token": "xoxp-" + secrets.token_hex(8),
            "token_type": "Bearer",
            "id_token": id_token,
        }

    def start(self) -> FakeSlackOpenID:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parsed = urlparse(self.path)
                if parsed.path != "/openid/connect/authorize":
                    self.send_error(404)
                    return
                query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
                status, headers, body = fake.authorize(query)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body.encode())

            def do_POST(self) -> None:
                if urlparse(self.path).path != "/api/openid.connect.token":
                    self.send_error(404)
                    return
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                body = json.dumps(fake.token(self.headers.get("Authorization"), form)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
