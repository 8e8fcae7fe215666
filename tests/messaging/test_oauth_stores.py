"""The installation and OAuth state stores on both databases: what a workspace's install
keeps, which token wins, and that a state is good for one callback within its lifetime."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import func, select

from caseload.db import Database
from messaging.models import SlackBot, SlackInstallation, SlackOAuthState
from messaging.oauth import DatabaseInstallationStore, DatabaseOAuthStateStore, manifest_bot_scopes

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _install(team_id: str | None = "T0001", *, token: str = "xoxb-1", user_id: str = "U0INSTALLER",
             enterprise_id: str | None = None, at: datetime = T0, org_wide: bool = False,
             bot_id: str = "B0001") -> Installation:
    return Installation(
        app_id="A0001", enterprise_id=enterprise_id,
        enterprise_name="NHS England" if enterprise_id else None,
        team_id=team_id, team_name=f"Workspace {team_id}" if team_id else None,
        bot_token=token, bot_id=bot_id, bot_user_id="UBOT",
        bot_scopes=["commands", "chat:write", "im:write", "files:write"],
        user_id=user_id, is_enterprise_install=org_wide, token_type="bot",
        installed_at=at.timestamp(),
    )


def _count(db: Database, model: type) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


# -- the installation store --------------------------------------------------------------

def test_an_install_is_saved_and_found_by_its_workspace(db: Database) -> None:
    store = DatabaseInstallationStore(db)
    store.save(_install("T0001", token="xoxb-brighton"))
    found = store.find_installation(enterprise_id=None, team_id="T0001")
    assert found is not None
    assert (found.team_id, found.team_name, found.bot_token, found.bot_id, found.user_id) == (
        "T0001", "Workspace T0001", "xoxb-brighton", "B0001", "U0INSTALLER")
    assert found.bot_scopes == ["commands", "chat:write", "im:write", "files:write"]
    assert found.installed_at == T0.timestamp()
    assert found.is_enterprise_install is False
    assert store.find_installation(enterprise_id=None, team_id="T0002") is None
    assert store.find_installation(enterprise_id="E0001", team_id="T0001") is None


def test_the_bot_is_found_by_its_workspace(db: Database) -> None:
    store = DatabaseInstallationStore(db)
    store.save(_install("T0001", token="xoxb-brighton"))
    bot = store.find_bot(enterprise_id=None, team_id="T0001")
    assert bot is not None
    assert (bot.bot_token, bot.bot_id, bot.bot_user_id, bot.team_id) == (
        "xoxb-brighton", "B0001", "UBOT", "T0001")
    assert store.find_bot(enterprise_id=None, team_id="T0002") is None


def test_installs_are_found_by_enterprise(db: Database) -> None:
    store = DatabaseInstallationStore(db)
    # An org-wide install on Enterprise Grid has no team: every workspace in the org uses it.
    store.save(_install(None, enterprise_id="E0001", token="xoxb-org", org_wide=True))
    # One workspace of another org installed on its own.
    store.save(_install("T0002", enterprise_id="E0002", token="xoxb-sussex"))
    org = store.find_installation(enterprise_id="E0001", team_id="T0099", is_enterprise_install=True)
    assert org is not None and (org.bot_token, org.team_id) == ("xoxb-org", None)
    assert org.is_enterprise_install is True
    bot = store.find_bot(enterprise_id="E0001", team_id="T0099", is_enterprise_install=True)
    assert bot is not None and bot.bot_token == "xoxb-org"
    # Not org-wide: only that workspace of that org.
    assert store.find_installation(enterprise_id="E0001", team_id="T0099") is None
    sussex = store.find_installation(enterprise_id="E0002", team_id="T0002")
    assert sussex is not None and sussex.bot_token == "xoxb-sussex"
    assert sussex.enterprise_name == "NHS England"
    assert store.find_installation(enterprise_id=None, team_id="T0002") is None


def test_deleting_removes_one_workspace_only(db: Database) -> None:
    store = DatabaseInstallationStore(db)
    store.save(_install("T0001", token="xoxb-a", user_id="U1"))
    store.save(_install("T0001", token="xoxb-a", user_id="U2", at=T0 + timedelta(minutes=1)))
    store.save(_install("T0002", token="xoxb-b"))

    store.delete_installation(enterprise_id=None, team_id="T0001", user_id="U1")
    assert store.find_installation(enterprise_id=None, team_id="T0001", user_id="U1") is None
    assert store.find_installation(enterprise_id=None, team_id="T0001", user_id="U2") is not None

    store.delete_bot(enterprise_id=None, team_id="T0001")
    assert store.find_bot(enterprise_id=None, team_id="T0001") is None

    store.delete_all(enterprise_id=None, team_id="T0001")
    assert store.find_installation(enterprise_id=None, team_id="T0001") is None
    other = store.find_installation(enterprise_id=None, team_id="T0002")
    assert other is not None and other.bot_token == "xoxb-b"
    assert store.find_bot(enterprise_id=None, team_id="T0002") is not None


def test_deleting_the_bot_clears_its_token_from_the_install_rows(db: Database) -> None:
    store = DatabaseInstallationStore(db)
    bot_only = _install("T0001", token="xoxb-a", user_id="U1")
    with_user = _install("T0001", token="xoxb-a", user_id="U2", at=T0 + timedelta(minutes=1))
    with_user.user_token = "xoxp-u2"
    for installation in (bot_only, with_user, _install("T0002", token="xoxb-b")):
        store.save(installation)

    store.delete_bot(enterprise_id=None, team_id="T0001")
    # The bot-only install had nothing but the dead token: gone. The other keeps its user token.
    assert store.find_installation(enterprise_id=None, team_id="T0001", user_id="U1") is None
    kept = store.find_installation(enterprise_id=None, team_id="T0001", user_id="U2")
    assert kept is not None and (kept.user_token, kept.bot_token, kept.bot_id) == ("xoxp-u2", None, None)
    latest = store.find_installation(enterprise_id=None, team_id="T0001")
    assert latest is not None and latest.bot_token is None
    other = store.find_installation(enterprise_id=None, team_id="T0002")
    assert other is not None and other.bot_token == "xoxb-b"


def test_the_clock_gets_each_workspaces_latest_bot_token(db: Database) -> None:
    store = DatabaseInstallationStore(db)
    store.save(_install("T0001", token="xoxb-old", user_id="U1"))
    store.save(_install("T0002", token="xoxb-b"))
    store.save(_install("T0001", token="xoxb-new", user_id="U2", at=T0 + timedelta(hours=1)))
    # An org-wide install has no workspace of its own to match people by.
    store.save(_install(None, enterprise_id="E0001", token="xoxb-org", org_wide=True))
    assert store.bot_tokens_by_workspace() == {"T0001": "xoxb-new", "T0002": "xoxb-b"}
    store.delete_all(enterprise_id=None, team_id="T0002")
    assert store.bot_tokens_by_workspace() == {"T0001": "xoxb-new"}


def test_the_latest_install_wins(db: Database) -> None:
    store = DatabaseInstallationStore(db)
    store.save(_install("T0001", token="xoxb-first", user_id="U1"))
    # The same person reinstalls (new scopes, say): the row is replaced, the old token gone.
    store.save(_install("T0001", token="xoxb-second", user_id="U1", at=T0 + timedelta(hours=1)))
    assert _count(db, SlackInstallation) == 1 and _count(db, SlackBot) == 1
    found = store.find_installation(enterprise_id=None, team_id="T0001")
    assert found is not None and found.bot_token == "xoxb-second"

    # Someone else installs later: theirs is the workspace's install and bot token now...
    store.save(_install("T0001", token="xoxb-third", user_id="U2", at=T0 + timedelta(hours=2)))
    latest = store.find_installation(enterprise_id=None, team_id="T0001")
    assert latest is not None and (latest.user_id, latest.bot_token) == ("U2", "xoxb-third")
    bot = store.find_bot(enterprise_id=None, team_id="T0001")
    assert bot is not None and bot.bot_token == "xoxb-third"
    # ...and the first installer's own install carries the latest bot token too.
    first = store.find_installation(enterprise_id=None, team_id="T0001", user_id="U1")
    assert first is not None and (first.user_id, first.bot_token) == ("U1", "xoxb-third")


# -- the state store -------------------------------------------------------------------------

@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


def test_a_state_is_issued_then_consumed_once(db: Database) -> None:
    store = DatabaseOAuthStateStore(db)
    state, other = store.issue(), store.issue()
    assert state != other and len(state) >= 40
    assert store.consume(state) is True
    assert store.consume(state) is False  # a replayed callback
    assert store.consume("made-up-state") is False
    assert store.consume("") is False
    assert store.consume("x" * 500) is False
    assert store.consume(other) is True  # the other install is unaffected
    assert _count(db, SlackOAuthState) == 0


def test_an_expired_state_is_refused(db: Database) -> None:
    clock = Clock()
    store = DatabaseOAuthStateStore(db, now=clock)
    late, in_time = store.issue(), store.issue()
    clock.now = T0 + timedelta(minutes=9, seconds=59)
    assert store.consume(in_time) is True
    clock.now = T0 + timedelta(minutes=10)
    assert store.consume(late) is False
    assert _count(db, SlackOAuthState) == 0  # expired states are swept, not kept


def test_issuing_sweeps_expired_states(db: Database) -> None:
    clock = Clock()
    store = DatabaseOAuthStateStore(db, now=clock)
    store.issue()
    clock.now = T0 + timedelta(minutes=11)
    fresh = store.issue()
    assert _count(db, SlackOAuthState) == 1
    assert store.consume(fresh) is True



def test_the_install_asks_for_the_manifests_bot_scopes() -> None:
    assert manifest_bot_scopes() == ("commands", "chat:write", "im:write", "files:write")
