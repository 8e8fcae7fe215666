"""The calculator service: a JSON API for the bot and clock, and pages for benefits advisors.

`create_app()` is a Flask application factory. `ips serve` mounts it at /calculator with
saving against a client; on its own it runs under gunicorn (`gunicorn
'calculator.web:create_app()'`) with the API and the pages but no saving.
"""

from __future__ import annotations

from flask import Flask, url_for

from calculator.settings import CalculatorSettings, get_calculator_settings
from calculator.web import frontend, guards
from calculator.web.api import api
from calculator.web.pages import pages
from calculator.web.saving import SaveCalculation

API_PREFIXES = ("/v1/",)


def create_app(settings: CalculatorSettings | None = None, save: SaveCalculation | None = None) -> Flask:
    settings = settings or get_calculator_settings()
    # Static files and templates live with the pages blueprint.
    app = Flask(__name__, static_folder=None)
    app.config["CALCULATOR_SETTINGS"] = settings
    app.config["SAVE_CALCULATION"] = save
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the engine's order: headline first
    frontend.install(
        app,
        static_url=lambda name: url_for("pages.static", filename=name),
        home_url=lambda: url_for("pages.form"),
    )
    guards.install(app, settings, API_PREFIXES)
    app.register_blueprint(api)
    app.register_blueprint(pages)
    return app
