"""`ips bot` runs the Slack bot alone (the Procfile's bot process), or says in one line why not."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from caseload.db import Database
from ips import cli


@pytest.fixture
def no_dotenv(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # BotSettings reads .env from the working directory; a developer's real tokens must not
    # leak into these tests.
    monkeypatch.chdir(tmp_path)


def test_without_tokens_the_bot_names_both_in_one_line(
        sqlite_url: str, no_dotenv: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    result = CliRunner().invoke(cli.main, ["--database-url", sqlite_url, "bot"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: The bot needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN for Socket Mode; "
        "set them in .env.\n")


def test_with_only_the_bot_token_it_names_the_app_token(
        sqlite_url: str, no_dotenv: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    result = CliRunner().invoke(cli.main, ["--database-url", sqlite_url, "bot"])
    assert result.exit_code == 1
    assert "SLACK_APP_TOKEN" in result.output and "SLACK_BOT_TOKEN" not in result.output


def test_the_bot_starts_waits_and_stops_on_the_migrated_database(
        sqlite_url: str, no_dotenv: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import app as bot_app

    events: list[str] = []

    class Handle:
        def stop(self) -> None:
            events.append("stopped")

    def fake_start(database: Database, settings: Any) -> Handle:
        assert settings.slack_app_token == "xapp-test"
        events.append(f"started on {database.dialect}")
        return Handle()

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-test")
    monkeypatch.setattr(bot_app, "start", fake_start)
    # Stand in for Ctrl+C/SIGTERM arriving: the handle must still be stopped.
    monkeypatch.setattr(cli, "_wait_until_stopped", lambda: events.append("waited"))
    result = CliRunner().invoke(cli.main, ["--database-url", sqlite_url, "bot"])
    assert result.exit_code == 0, result.output
    assert events == ["started on sqlite", "waited", "stopped"]


def test_the_bot_refuses_an_unmigrated_database_before_connecting(
        tmp_path, no_dotenv: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import app as bot_app

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-test")
    monkeypatch.setattr(bot_app, "start", lambda *a: pytest.fail("connected to Slack"))
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    result = CliRunner().invoke(cli.main, ["--database-url", url, "bot"])
    assert result.exit_code == 1
    assert "ips db upgrade" in result.output and result.output.count("\n") == 1


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    from caseload.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'ips.sqlite3'}"
    upgrade(url)
    return url
