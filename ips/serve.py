"""Everything in one process for a single machine: the web pages on waitress, and the
calculator, Slack bot and reminders clock as each part is configured.

The bot and the clock are optional parts: each starts only when the Slack tokens it needs
are set, so `make run` works on a fresh machine with no Slack at all.
The convention they are started by is a module-level `start(database)` returning something
with `stop()` (or `shutdown()`): `bot.app` for the bot, `reminders.clock` for the clock.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import FrameType
from typing import Any

from dotenv import dotenv_values
from flask import Flask
from waitress import create_server

from caseload.db import Database
from ips.web import create_app

log = logging.getLogger("ips.serve")


@dataclass(frozen=True)
class Part:
    """An optional background part: where it lives and which settings it cannot run without."""

    label: str
    module: str
    needs: tuple[str, ...]
    # Settings that will do instead of `needs`, all together (another way to run the part).
    instead: tuple[str, ...] = ()


PARTS = (
    # Socket Mode needs the app-level token as well as the bot token.
    Part("Slack bot", "bot.app", ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")),
    # One workspace's token, or the OAuth credentials of several workspaces' installs.
    Part("reminders clock", "reminders.clock", ("SLACK_BOT_TOKEN",),
         instead=("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")),
)


def build_wsgi(database: Database, host: str | None = None) -> Flask:
    """The overview at /, with the calculator at /calculator (mounted by the app factory);
    `host` is where it listens (a loopback address with no Slack app offers the demo sign-in)."""
    return create_app(database, listen_host=host)


def start_parts(database: Database, environ: Mapping[str, str | None] | None = None
                ) -> tuple[list[Any], list[str]]:
    """Start each optional part that is configured; say why each other one is not."""
    # The parts read their tokens from the environment or .env (pydantic-settings), so the
    # check reads both; otherwise a token kept in .env would be reported as missing.
    env = {**dotenv_values(".env"), **os.environ} if environ is None else environ
    running: list[Any] = []
    notes: list[str] = []
    for part in PARTS:
        missing = [name for name in part.needs if not env.get(name)]
        if missing and part.instead and all(env.get(name) for name in part.instead):
            missing = []
        if missing:
            other = f" (or {' and '.join(part.instead)})" if part.instead else ""
            notes.append(f"{part.label}: not started (set {' and '.join(missing)}{other} in .env)")
            continue
        start: Callable[[Database], Any] | None = getattr(
            importlib.import_module(part.module), "start", None)
        if start is None:
            notes.append(f"{part.label}: not started ({part.module} has no start(database))")
            continue
        try:
            running.append(start(database))
        except Exception as exc:
            # The pages and the calculator are still worth serving when Slack is misconfigured;
            # the note says why this part is down, in full in the log.
            log.exception("%s failed to start", part.label)
            notes.append(f"{part.label}: failed to start ({exc})")
            continue
        notes.append(f"{part.label}: running")
    return running, notes


def stop_parts(running: list[Any]) -> None:
    for handle in reversed(running):
        stop = getattr(handle, "stop", None) or getattr(handle, "shutdown", None)
        if stop is None:
            continue
        try:
            stop()
        except Exception:  # stopping is best effort: one part failing must not keep others up
            log.exception("could not stop %r cleanly", handle)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Platforms and tests stop us with SIGTERM; turning it into SystemExit runs the `finally`
    # that stops the bot and the clock, instead of dying with their threads mid-send.
    raise SystemExit(0)


class CannotListen(Exception):
    """The address is taken or not ours to use; str() says so in one line."""


def run(database: Database, host: str, port: int) -> None:
    app = build_wsgi(database, host)
    # Bind before starting the clock or the bot, so a busy port fails fast with nothing to undo.
    try:
        server = create_server(app, host=host, port=port, threads=8, ident="ips-assist")
    except OSError as exc:
        raise CannotListen(f"Cannot listen on {host}:{port}: {exc.strerror or exc} "
                           "(is IPS Assist already running? try --port)") from None
    running, notes = start_parts(database)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    log.info("IPS Assist on http://%s:%d (database: %s)", host, port, database.dialect)
    print(f"IPS Assist is running on http://{host}:{port}  (Ctrl+C to stop)", flush=True)
    sign_in = ("sign in with Slack" if app.extensions["ips_web_settings"].slack_sign_in
               else "demo sign-in as any demo staff member (no Slack app set up; this computer only)"
               if "signin.demo_sign_in" in app.view_functions
               else "none set up (set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
    for note in ["calculator: at /calculator/", f"sign-in: {sign_in}", *notes]:
        print(f"  {note}", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass  # Ctrl+C is how a person stops it; not an error
    finally:
        server.close()
        stop_parts(running)
