"""The NHS.UK frontend for every page: its Jinja components, the one layout, the error pages.

The components come from `nhsuk-frontend-jinja`; the styles and scripts they expect are the
`nhsuk-frontend` build under static/nhsuk (pinned in frontend/package.json, `make frontend`).
Both the calculator and the overview's web process install it, so every page shares the layout
in templates/base.html and a person can always get back to where they started.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, render_template, request
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

TEMPLATES = Path(__file__).parent / "templates"

# What each refusal says to a person, in words, with the way back the page offers.
ERROR_PAGES: dict[int, tuple[str, str]] = {
    400: ("Something in the request was not right", "Go back and try again."),
    403: ("You cannot use this page", "It needs permission you do not have."),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("That page cannot be used this way", "Start from the page before it."),
    413: (
        "Too much was sent",
        "The answers were larger than this service accepts. Go back, remove anything pasted "
        "by mistake, and try again.",
    ),
    429: ("Too many requests", "Wait a minute, then try again."),
    500: ("Sorry, there is a problem with the service", "Try again later."),
}


def install(app: Flask, static_url: Callable[[str], str], home_url: Callable[[], str]) -> None:
    """Let `app`'s templates extend base.html and use the NHS.UK components.

    `static_url(name)` is where the calculator's static file `name` is served from the page
    being drawn; `home_url()` is where the header's service name leads.
    """
    # Before the first use of app.jinja_env, which reads these options once.
    app.jinja_options = {
        **app.jinja_options,
        # The components read optional parameters as chains (params.hint.text).
        "undefined": ChainableUndefined,
        "loader": ChoiceLoader(
            [
                app.create_global_jinja_loader(),
                FileSystemLoader(TEMPLATES),
                PackageLoader("nhsuk_frontend_jinja"),
            ]
        ),
    }
    app.add_template_global(static_url, "static_url")
    app.add_template_global(home_url, "home_url")
    app.add_template_global(layout_component, "layout_component")
    app.add_template_global(money, "money")


# The layout's components, drawn once for each set of parameters (the service's links and who
# is signed in) rather than on every page: they are a good part of a page's cost otherwise.
LAYOUT_MACROS = {"header": "header", "footer": "footer", "skip-link": "skipLink"}
LAYOUT_CACHE_SIZE = 256


def layout_component(name: str, params: dict[str, Any]) -> Markup:
    cache: dict[str, Markup] = current_app.extensions.setdefault("ips_layout_components", {})
    key = name + json.dumps(params, sort_keys=True, default=str)
    if key not in cache:
        if len(cache) >= LAYOUT_CACHE_SIZE:
            cache.clear()
        module = current_app.jinja_env.get_template(f"nhsuk/components/{name}/macro.jinja").module
        cache[key] = Markup(getattr(module, LAYOUT_MACROS[name])(params))
    return cache[key]


def money(amount: float) -> str:
    """Pounds and pence; a minus sign only for an amount at least a penny below zero (so -0.001
    and -0.0 read £0.00, never -£0.00)."""
    pence = round(amount * 100)
    return f"−£{-pence / 100:,.2f}" if pence < 0 else f"£{pence / 100:,.2f}"


def error_page(exc: HTTPException) -> tuple[str, int]:
    """The styled page for a refusal, with a way back."""
    code = exc.code or 500
    title, advice = ERROR_PAGES.get(code, (exc.name, "Go back and try again."))
    return render_template("error.html", code=code, title=title, advice=advice, back=_back()), code


def _back() -> str | None:
    """The page the person came from, when it is on this site (never somewhere else)."""
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else None
