"""What the browser tests share: Debian's Chromium, a page server, and the skip without it."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason=f"no {CHROMIUM}: install Debian's chromium (`make browser` as root) to run the browser tests",
)


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """A WSGI app on a real HTTP server on loopback, for the browser; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="test-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def fits_and_passes_axe(page: Page, name: str, width: int, axe: Axe) -> None:
    """The page needs no sideways scrolling at `width` and axe-core finds no violations."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the {name} page is {scroll_width} px wide at {width} px"
    results = axe.run(page)
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
