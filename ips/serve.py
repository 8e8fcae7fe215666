"""Everything in one process for a single machine: the web pages on waitress, and the
calculator, Slack bot and reminders clock as each part is configured and built."""

from __future__ import annotations

import importlib.util
import logging

from flask import Flask
from waitress import serve
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from caseload.db import Database
from ips.web import create_app

log = logging.getLogger("ips.serve")


def build_wsgi(database: Database) -> Flask:
    """The overview at /, with the calculator mounted at /calculator once its web layer exists."""
    app = create_app(database)
    if importlib.util.find_spec("calculator.web") is not None:
        from calculator.web import create_app as create_calculator  # type: ignore[import-not-found]

        app.config["CALCULATOR_MOUNTED"] = True
        app.wsgi_app = DispatcherMiddleware(  # type: ignore[method-assign]
            app.wsgi_app, {"/calculator": create_calculator()})
    return app


def run(database: Database, host: str, port: int) -> None:
    app = build_wsgi(database)
    log.info("IPS Assist on http://%s:%d (database: %s)", host, port, database.dialect)
    print(f"IPS Assist is running on http://{host}:{port}  (Ctrl+C to stop)", flush=True)
    serve(app, host=host, port=port, threads=8, ident="ips-assist")
