"""The bot running in HTTP mode on a real port, with Slack's Web API replaced by the fake."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from bot.http import create_flask_app
from bot.settings import BotSettings
from caseload.db import Database
from tests.bot.driver import SECRET
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack


@pytest.fixture
def slack(db: Database) -> Iterator[tuple[str, FakeSlack]]:
    fake = FakeSlack().start()
    settings = BotSettings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET,
                           slack_api_url=fake.url)
    server = make_server("127.0.0.1", 0, create_flask_app(db, settings), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/slack/events", fake
    server.shutdown()
    fake.stop()


