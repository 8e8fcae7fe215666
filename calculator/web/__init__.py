"""The calculator service: a JSON API for the bot and clock, and pages for benefits advisors.

`create_app()` is a Flask application factory. `ips serve` mounts it at /calculator with
sign-in and saving against a client; on its own it runs under gunicorn (`gunicorn
'calculator.web:create_app()'`) with the API and the pages, open to anyone, but no saving.
"""

from __future__ import annotations

import secrets

from flask import Flask, url_for
from flask_limiter import Limiter

from calculator.settings import CalculatorSettings, get_calculator_settings
from calculator.web import frontend, guards
from calculator.web.api import api
from calculator.web.pages import pages
from calculator.web.saving import People, SaveCalculation

API_PREFIXES = ("/v1/",)


def create_app(settings: CalculatorSettings | None = None, save: SaveCalculation | None = None,
               people: People | None = None, *, https: bool = False) -> Flask:
    """`people` (who is signed in) makes every page need sign-in and turns on CSRF tokens;
    `https` is false only on a loopback address, where HSTS would do harm."""
    settings = settings or get_calculator_settings()
    # Static files and templates live with the pages blueprint.
    app = Flask(__name__, static_folder=None)
    app.config["CALCULATOR_SETTINGS"] = settings
    app.config["SAVE_CALCULATION"] = save
    app.config["PEOPLE"] = people
    # Mounted, the web process gives its own key and session store; on its own the pages keep
    # nothing worth signing, so a key of the process's own will do.
    app.secret_key = secrets.token_hex(32)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the engine's order: headline first
    frontend.install(
        app,
        static_url=lambda name: url_for("pages.static", filename=name),
        home_url=lambda: url_for("pages.form"),
    )
    limiter: Limiter = guards.install(app, settings, api, API_PREFIXES, https=https, csrf=people is not None)
    app.extensions["calculator_limiter"] = limiter
    app.register_blueprint(api)
    app.register_blueprint(pages)
    return app
