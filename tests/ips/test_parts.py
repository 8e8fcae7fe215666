"""`ips serve` starts the bot and the clock only when they are configured."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from caseload.db import Database
from ips.serve import start_parts, stop_parts


class Handle:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def built_clock(monkeypatch: pytest.MonkeyPatch) -> list[Handle]:
    """A `reminders.clock` module following the start(database) convention."""
    started: list[Handle] = []
    module: Any = types.ModuleType("reminders.clock")
    module.__spec__ = types.SimpleNamespace(name="reminders.clock")

    def start(database: Database) -> Handle:
        started.append(Handle(database))
        return started[-1]

    module.start = start
    monkeypatch.setitem(sys.modules, "reminders.clock", module)
    return started


def test_nothing_starts_without_tokens(built_clock: list[Handle], tmp_path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    running, notes = start_parts(database, environ={})
    assert running == [] and built_clock == []
    assert ("reminders clock: not started (set SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET) in .env)") in notes


def test_the_clock_starts_with_several_workspaces_credentials_instead_of_a_token(
        built_clock: list[Handle], tmp_path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    _, notes = start_parts(database, environ={"SLACK_CLIENT_ID": "1.2"})
    assert built_clock == [] and any(n.startswith("reminders clock: not started") for n in notes)
    _, notes = start_parts(database, environ={"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s"})
    assert "reminders clock: running" in notes and len(built_clock) == 1


def test_a_built_and_configured_part_starts_and_stops(built_clock: list[Handle], tmp_path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    running, notes = start_parts(database, environ={"SLACK_BOT_TOKEN": "xoxb-test"})
    assert "reminders clock: running" in notes
    assert len(built_clock) == 1 and built_clock[0].database is database
    stop_parts(running)
    assert built_clock[0].stopped


def test_the_real_reminders_clock_starts_in_the_background_and_stops(
        monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-not-real")
    monkeypatch.setenv("SLACK_APP_TOKEN", "")  # keep the bot out of it, whatever .env says
    # Nowhere to send: nothing is due in the few milliseconds this runs.
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    database = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    running, notes = start_parts(database)
    assert "reminders clock: running" in notes
    (scheduler,) = running
    assert scheduler.running and scheduler.get_jobs()
    stop_parts(running)
    assert not scheduler.running


def test_a_part_that_fails_to_start_leaves_the_rest_up(
        built_clock: list[Handle], monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    def broken(database: Database) -> Handle:
        raise RuntimeError("invalid_auth")

    monkeypatch.setattr(sys.modules["reminders.clock"], "start", broken)
    _, notes = start_parts(Database(f"sqlite:///{tmp_path / 'x.sqlite3'}"),
                           environ={"SLACK_BOT_TOKEN": "xoxb-bad"})
    assert "reminders clock: failed to start (invalid_auth)" in notes
