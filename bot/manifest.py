"""The Slack app manifest, for Socket Mode as kept and for HTTP mode on a public host.

slack/manifest.yml is the one source of truth: what the app registers (command, shortcuts,
scopes, events). It is written for Socket Mode, which needs no public address. HTTP mode
(several web workers, and multi-workspace install, which Slack only offers to apps that
take requests over HTTP) needs the same app with request URLs instead; rather than keep a
second file that could drift, `ips slack-manifest --public-url` derives it from the first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from messaging.oauth import MANIFEST, REDIRECT_PATH, SIGN_IN_REDIRECT_PATH

# Where Bolt's Flask handler answers events, commands and interactions (bot/http.py uses
# this same constant; it lives here so the manifest needs no Flask to be imported).
EVENTS_PATH = "/slack/events"


def manifest_text(path: Path = MANIFEST) -> str:
    if not path.exists():
        raise FileNotFoundError(f"Slack manifest not found at {path}; run from a checkout")
    return path.read_text()


def public_base(public_url: str) -> str:
    """`https://host[/prefix]` without a trailing slash; anything else is a ValueError.

    Slack only sends requests to HTTPS URLs, and a query or fragment would end up between
    the host and /slack/events, so both are refused rather than turned into a broken URL.
    """
    parts = urlsplit(public_url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(f"{public_url!r} is not an https:// address (Slack only calls HTTPS)")
    if parts.query or parts.fragment:
        raise ValueError(f"{public_url!r} has a query or fragment; give the address only")
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


def http_mode_manifest(public_url: str, path: Path = MANIFEST) -> dict[str, Any]:
    """The manifest with Socket Mode off and every request URL pointing at `public_url`."""
    base = public_base(public_url)
    manifest: dict[str, Any] = yaml.safe_load(manifest_text(path))
    events_url = base + EVENTS_PATH
    for command in manifest.get("features", {}).get("slash_commands", []):
        command["url"] = events_url
    settings = manifest.setdefault("settings", {})
    settings["socket_mode_enabled"] = False
    settings.setdefault("interactivity", {})["request_url"] = events_url
    settings["interactivity"]["is_enabled"] = True
    if settings.get("event_subscriptions", {}).get("bot_events"):
        settings["event_subscriptions"]["request_url"] = events_url
    manifest.setdefault("oauth_config", {})["redirect_urls"] = [base + REDIRECT_PATH,
                                                            base + SIGN_IN_REDIRECT_PATH]
    return manifest


def render_http_mode_manifest(public_url: str, path: Path = MANIFEST) -> str:
    manifest = http_mode_manifest(public_url, path)
    header = (f"# HTTP mode for {public_base(public_url)}, made by `ips slack-manifest` from "
              f"slack/manifest.yml:\n# change that file, not this output.\n")
    return header + yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)
