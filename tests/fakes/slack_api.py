"""A local stand-in for Slack's Web API: a real HTTP server that answers like Slack.

It records every call, and rejects what Slack rejects: unknown methods, a missing or wrong
token, missing required arguments, and Block Kit beyond Slack's limits (shared/slack-facts.md:
50 blocks a message, 100 a modal or Home tab, 3,000-character sections, 150-character
headers, 75-character button text, 24-character modal titles, 3,000 characters of
private_metadata, known block types only). It can be told to answer 429 with Retry-After,
or 500, for the next few calls, as Slack does under load.

Several workspaces: `tokens` is every bot token it accepts (any other is `invalid_auth`),
`token_workspaces` says which workspace each is for and `member_workspaces` where users and
channels are; a token used for someone in another workspace gets `user_not_found` (or
`channel_not_found`), as Slack answers. Each call records the token it came with.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BOT_TOKEN = "xoxb-test-token"
# The app's OAuth credentials as the fake knows them (Basic Apps → App Credentials).
CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "test-client-secret"
BLOCK_TYPES = {"section", "actions", "context", "divider", "header", "image", "input",
               "rich_text", "file", "video", "markdown"}
# Each method's required arguments; a tuple inside means "one of these".
METHODS: dict[str, list[str | tuple[str, ...]]] = {
    "auth.test": [],
    "chat.postMessage": ["channel", ("text", "blocks", "attachments")],
    "chat.postEphemeral": ["channel", "user", ("text", "blocks", "attachments")],
    "chat.update": ["channel", "ts"],
    "conversations.open": [("users", "channel")],
    "views.open": ["trigger_id", "view"],
    "views.push": ["trigger_id", "view"],
    "views.update": ["view", ("view_id", "external_id")],
    "views.publish": ["user_id", "view"],
    "users.info": ["user"],
    "files.getUploadURLExternal": ["filename", "length"],
    "files.completeUploadExternal": ["files"],
    # Authenticated by the app's client id and secret (HTTP Basic, as slack_sdk sends them).
    "oauth.v2.access": ["client_id", "client_secret", "code"],
}


class RateLimited(Exception):
    """Raised inside the fake to answer 429 with Retry-After: 1."""


class SlackError(Exception):
    def __init__(self, error: str, detail: str = "") -> None:
        super().__init__(error)
        self.error = error
        self.detail = detail


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    ok: bool
    error: str | None
    at: float
    token: str | None = None


@dataclass
class Upload:
    file_id: str
    filename: str
    content: bytes = b""


class _Server(ThreadingHTTPServer):
    # The standard library listens with a backlog of 5: under a benchmark's bursts of DMs the
    # kernel dropped connections past it, and each such call waited a second to retry, which
    # Slack's servers never make anyone do.
    request_queue_size = 128


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    uploads: dict[str, Upload] = field(default_factory=dict)
    # How many views.open calls a test has already read (tests/bot/driver.py opened_view).
    views_looked_at: int = 0
    _failures: list[tuple[int, int | None]] = field(default_factory=list)
    # Slack's own refusals (HTTP 200, ok false) for the next calls of a method: method → errors.
    _refusals: dict[str, list[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    # When set, a second message to one channel within this many seconds gets a 429, as
    # Slack's "about one message a second per channel" limit would.
    per_channel_interval: float | None = None
    # Seconds each Web API call takes to answer, as Slack's servers take some (the benchmark's
    # --slack-latency); 0 answers at once.
    latency: float = 0.0
    _last_post: dict[str, float] = field(default_factory=dict)
    # Bot tokens the fake accepts: the test token, and any oauth.v2.access has issued.
    tokens: set[str] = field(default_factory=lambda: {BOT_TOKEN})
    # Who oauth.v2.access says installed the app, and where.
    install_team: dict[str, str] = field(default_factory=lambda: {"id": "T0001", "name": "NHS IPS"})
    installer: str = "U0INSTALLER"
    _used_codes: set[str] = field(default_factory=set)
    # Workspace (team id) of each bot token, and of users and channels; unknown: not checked.
    token_workspaces: dict[str, str] = field(default_factory=dict)
    member_workspaces: dict[str, str] = field(default_factory=dict)
    _dm_owners: dict[str, str] = field(default_factory=dict)

    # -- control -------------------------------------------------------------------
    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                fake._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        """For `WebClient(base_url=...)`: note the trailing slash the SDK needs."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    def fail_next(self, count: int, status: int = 500, retry_after: int | None = None) -> None:
        with self._lock:
            self._failures.extend([(status, retry_after)] * count)

    def refuse_next(self, method: str, error: str, count: int = 1) -> None:
        """The next `count` calls of `method` answer `{"ok": false, "error": error}`, as Slack
        does for an expired trigger_id or a channel it cannot post to."""
        with self._lock:
            self._refusals.setdefault(method, []).extend([error] * count)

    def successful(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.ok]

    def messages_to(self, channel: str) -> list[Call]:
        return [c for c in self.successful("chat.postMessage") if c.args.get("channel") == channel]

    # -- serving -------------------------------------------------------------------
    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        path = urlparse(request.path).path
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length)
        if path.startswith("/upload/"):
            upload = self.uploads.get(path.removeprefix("/upload/"))
            if upload is None:
                return self._reply(request, 404, {"ok": False, "error": "not_found"}, raw=True)
            upload.content = body
            return self._reply(request, 200, b"OK - " + str(len(body)).encode(), raw=True)
        method = path.removeprefix("/api/")
        if self.latency:
            time.sleep(self.latency)
        try:
            args = self._arguments(request, body)
        except SlackError as exc:
            return self._reply(request, 200, {"ok": False, "error": exc.error})
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            status, retry_after = failure
            self.calls.append(Call(method, args, False, f"http_{status}", time.time()))
            headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
            error = "ratelimited" if status == 429 else "internal_error"
            return self._reply(request, status, {"ok": False, "error": error}, headers=headers)
        with self._lock:
            refusals = self._refusals.get(method)
            refusal = refusals.pop(0) if refusals else None
        if refusal is not None:
            self.calls.append(Call(method, args, False, refusal, time.time()))
            return self._reply(request, 200, {"ok": False, "error": refusal})
        token: str | None = None
        try:
            if method == "oauth.v2.access":
                args = {**self._client_credentials(request), **args}
            else:
                token = self._check_token(request, args)
                self._check_workspace(token, method, args)
            result = self._answer(method, args)
        except RateLimited:
            self.calls.append(Call(method, args, False, "ratelimited", time.time(), token))
            return self._reply(request, 429, {"ok": False, "error": "ratelimited"},
                               headers={"Retry-After": "1"})
        except SlackError as exc:
            self.calls.append(Call(method, args, False, exc.error, time.time(), token))
            payload: dict[str, Any] = {"ok": False, "error": exc.error}
            if exc.detail:
                payload["response_metadata"] = {"messages": [exc.detail]}
            return self._reply(request, 200, payload)
        self.calls.append(Call(method, args, True, None, time.time(), token))
        return self._reply(request, 200, {"ok": True, **result})

    @staticmethod
    def _arguments(request: BaseHTTPRequestHandler, body: bytes) -> dict[str, Any]:
        kind = request.headers.get("Content-Type", "")
        if kind.startswith("application/json"):
            return json.loads(body or b"{}")
        query = parse_qs(urlparse(request.path).query)
        form = parse_qs(body.decode()) if body else {}
        args: dict[str, Any] = {k: v[0] for k, v in {**query, **form}.items()}
        for key in ("blocks", "view", "files", "attachments"):
            if isinstance(args.get(key), str):
                try:
                    args[key] = json.loads(args[key])
                except json.JSONDecodeError as exc:
                    raise SlackError("invalid_json", str(exc)) from None
        return args

    def _check_token(self, request: BaseHTTPRequestHandler, args: dict[str, Any]) -> str:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ") if header else args.get("token")
        if not token:
            raise SlackError("not_authed")
        if token not in self.tokens:
            raise SlackError("invalid_auth")
        return str(token)

    def _check_workspace(self, token: str, method: str, args: dict[str, Any]) -> None:
        """A bot token reaches only its own workspace's people and channels."""
        workspace = self.token_workspaces.get(token)
        if workspace is None:
            return
        users = [str(u) for u in str(args.get("users") or "").split(",") if u]
        users += [str(args[k]) for k in ("user", "user_id") if args.get(k)]
        channels = [str(args[k]) for k in ("channel", "channel_id") if args.get(k)]
        for channel in channels:
            if channel in self._dm_owners:
                users.append(self._dm_owners[channel])
            elif channel[:1] in "UW":  # chat.postMessage to a user id: their DM
                users.append(channel)
            elif self.member_workspaces.get(channel, workspace) != workspace:
                raise SlackError("channel_not_found")
        for user in users:
            if self.member_workspaces.get(user, workspace) != workspace:
                raise SlackError("user_not_found", f"{method}: {user} is not in {workspace}")

    @staticmethod
    def _client_credentials(request: BaseHTTPRequestHandler) -> dict[str, str]:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return {}
        client_id, _, secret = base64.b64decode(header.removeprefix("Basic ")).decode().partition(":")
        return {"client_id": client_id, "client_secret": secret}

    def _oauth_access(self, args: dict[str, Any]) -> dict[str, Any]:
        """oauth.v2.access as Slack answers a bot-only install into one workspace."""
        if args["client_id"] != CLIENT_ID:
            raise SlackError("invalid_client_id")
        if args["client_secret"] != CLIENT_SECRET:
            raise SlackError("bad_client_secret")
        with self._lock:
            if args["code"] in self._used_codes:
                raise SlackError("invalid_code")
            self._used_codes.add(args["code"])
            token = f"xoxb-{self.install_team['id']}-{next(self._ids):06d}-fakeissuedtoken"
            self.tokens.add(token)
            self.token_workspaces[token] = self.install_team["id"]
        return {
            "access_token": token, "token_type": "bot",
            "scope": "commands,chat:write,im:write,files:write",
            "bot_user_id": "UBOT", "app_id": "A0001",
            "team": dict(self.install_team), "enterprise": None,
            "authed_user": {"id": self.installer},
            "is_enterprise_install": False,
        }

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method not in METHODS:
            raise SlackError("unknown_method")
        for required in METHODS[method]:
            names = required if isinstance(required, tuple) else (required,)
            if not any(args.get(name) not in (None, "", []) for name in names):
                raise SlackError("missing_argument" if len(names) == 1 else "no_text",
                                 f"missing {' or '.join(names)}")
        if method == "chat.postMessage" and self.per_channel_interval is not None:
            channel, now = str(args["channel"]), time.monotonic()
            with self._lock:
                last = self._last_post.get(channel)
                if last is not None and now - last < self.per_channel_interval:
                    raise RateLimited()
                self._last_post[channel] = now
        if "blocks" in args:
            check_blocks(args["blocks"], limit=50)
        if "view" in args:
            check_view(args["view"])
        serial = next(self._ids)
        if method == "oauth.v2.access":
            return self._oauth_access(args)
        if method == "auth.test":
            return {"user_id": "UBOT", "team_id": "T0001", "bot_id": "B0001"}
        if method == "conversations.open":
            user = str(args.get("users") or args.get("channel"))
            dm = "D" + user.lstrip("UW")
            self._dm_owners[dm] = user
            return {"channel": {"id": dm}}
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            return {"channel": args["channel"], "ts": f"{time.time():.6f}"}
        if method in ("views.open", "views.push", "views.update", "views.publish"):
            return {"view": {"id": f"V{serial:08d}", **args["view"]}}
        if method == "users.info":
            return {"user": {"id": args["user"], "tz": "Europe/London"}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{serial:08d}"
            self.uploads[file_id] = Upload(file_id, args["filename"])
            port = self._server.server_address[1]
            return {"upload_url": f"http://127.0.0.1:{port}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = args["files"]
            for item in files:
                upload = self.uploads.get(item.get("id"))
                if upload is None or not upload.content:
                    raise SlackError("file_not_found")
            return {"files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        raise AssertionError(method)

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, payload: Any,
               headers: dict[str, str] | None = None, raw: bool = False) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        request.send_response(status)
        request.send_header("Content-Type", "text/plain" if raw and isinstance(payload, bytes)
                            else "application/json")
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)


def _text_length(obj: Any) -> int:
    return len(obj.get("text", "")) if isinstance(obj, dict) else 0


def check_blocks(blocks: Any, limit: int) -> None:
    if not isinstance(blocks, list):
        raise SlackError("invalid_blocks", "blocks must be a list")
    if len(blocks) > limit:
        raise SlackError("invalid_blocks", f"no more than {limit} items allowed [json-pointer:/blocks]")
    for index, block in enumerate(blocks):
        kind = block.get("type")
        where = f"[json-pointer:/blocks/{index}]"
        if kind not in BLOCK_TYPES:
            raise SlackError("invalid_blocks", f"unknown block type {kind!r} {where}")
        if kind == "section":
            if _text_length(block.get("text")) > 3000:
                raise SlackError("invalid_blocks", f"section text over 3000 {where}")
            if len(block.get("fields", [])) > 10:
                raise SlackError("invalid_blocks", f"more than 10 fields {where}")
        if kind == "header" and _text_length(block.get("text")) > 150:
            raise SlackError("invalid_blocks", f"header text over 150 {where}")
        if kind == "actions" and len(block.get("elements", [])) > 25:
            raise SlackError("invalid_blocks", f"more than 25 elements {where}")
        if kind == "context" and len(block.get("elements", [])) > 10:
            raise SlackError("invalid_blocks", f"more than 10 elements {where}")
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("type") == "button":
                if _text_length(element.get("text")) > 75:
                    raise SlackError("invalid_blocks", f"button text over 75 {where}")
                if len(element.get("value", "")) > 2000:
                    raise SlackError("invalid_blocks", f"button value over 2000 {where}")
        for key in ("block_id",):
            if len(block.get(key, "")) > 255:
                raise SlackError("invalid_blocks", f"{key} over 255 {where}")


def check_view(view: Any) -> None:
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        raise SlackError("invalid_arguments", "view type must be modal or home")
    check_blocks(view.get("blocks", []), limit=100)
    if view["type"] == "modal":
        for key in ("title", "submit", "close"):
            if key in view and _text_length(view[key]) > 24:
                raise SlackError("invalid_arguments", f"{key} must be 24 characters or fewer")
        if "title" not in view:
            raise SlackError("invalid_arguments", "a modal needs a title")
    if len(view.get("private_metadata", "")) > 3000:
        raise SlackError("invalid_arguments", "private_metadata over 3000 characters")
