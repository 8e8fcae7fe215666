"""Several workspaces: the clock sends each person's messages with their own workspace's bot
token from the installation store (a team channel with its team's workspace's, when it has
one), and skips (logging counts and ids only) people whose workspace has not installed the
app. Each regional trainer's monthly workbook holds only their own workspace's teams. The fake
Slack accepts only the installed tokens and refuses a token used for someone in another
workspace, as Slack does."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import select

from caseload import clients
from caseload.db import Database
from caseload.models import NudgeLog, Role, Staff, Team
from caseload.staff import set_workspace
from caseload.teams import set_workspace as set_team_workspace
from messaging.oauth import DatabaseInstallationStore
from reminders.clock import _outbox, run_due
from reminders.sender import Outbox
from reminders.settings import ClockSettings
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, FakeSlack

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 16)
TOKENS = {"T0BRIGHTON": "xoxb-brighton", "T0KENT": "xoxb-kent", "T0HASTINGS": "xoxb-hastings"}
CHANNELS = {"Brighton": "C0BRIGHTN", "Kent": "C0KENT001", "Hastings": "C0HASTING"}


def _at(day: date, hour: int = 9, minute: int = 30):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime.combine(day, time(hour, minute), LONDON), tick=False)


def _settings(fake: FakeSlack, **extra: object) -> ClockSettings:
    values: dict[str, object] = {
        "slack_bot_token": None, "slack_client_id": CLIENT_ID, "slack_client_secret": CLIENT_SECRET,
        "slack_api_url": fake.url, "seconds_between_messages_per_channel": 0, **extra}
    return ClockSettings(**values)  # type: ignore[arg-type]


def _install(db: Database, team_id: str) -> None:
    DatabaseInstallationStore(db).save(Installation(
        app_id="A0001", team_id=team_id, team_name=f"Workspace {team_id}",
        bot_token=TOKENS[team_id], bot_id="B0001", bot_user_id="UBOT",
        bot_scopes=["commands", "chat:write", "im:write", "files:write"], user_id="U0INSTALLER",
        installed_at=datetime(2026, 11, 1, tzinfo=UTC).timestamp()))


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    server = FakeSlack().start()
    # No single token: only each workspace's own is accepted, and only for its own people.
    server.tokens = set(TOKENS.values())
    server.token_workspaces = {token: team for team, token in TOKENS.items()}
    yield server
    server.stop()


@pytest.fixture
def world(db: Database, fake: FakeSlack) -> dict:
    """Brighton and Kent have installed the app, Hastings has not; each team has a specialist
    with an overdue client. Brighton also has a specialist added before workspaces were known."""
    w: dict = {}
    with _at(MONDAY - timedelta(days=60)), db.transaction() as s:
        for name, workspace in (("Brighton", "T0BRIGHTON"), ("Kent", "T0KENT"),
                                ("Hastings", "T0HASTINGS")):
            team = make_team(s, name, slack_channel_id=CHANNELS[name])
            people = {"team": team, "leader": make_staff(s, Role.TEAM_LEADER, team),
                      "cc": make_staff(s, Role.CARE_COORDINATOR, team),
                      "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name=f"{name} ES")}
            for key in ("leader", "cc", "es"):
                set_workspace(s, people[key], workspace, actor=None)
                fake.member_workspaces[people[key].slack_user_id] = workspace
            fake.member_workspaces[team.slack_channel_id] = workspace
            w[name] = people
        w["unplaced"] = make_staff(s, Role.EMPLOYMENT_SPECIALIST, w["Brighton"]["team"],
                                   name="Una Placed")
        fake.member_workspaces[w["unplaced"].slack_user_id] = "T0BRIGHTON"
    with _at(MONDAY), db.transaction() as s:
        for name in ("Brighton", "Kent", "Hastings"):
            people = w[name]
            c = refer(s, people["cc"], people["team"], f"{name[:3].upper()}-35",
                      received_on=MONDAY - timedelta(days=36))
            clients.accept(s, people["leader"], c, on=MONDAY - timedelta(days=35),
                           specialist_id=people["es"].id)
        c = refer(s, w["Brighton"]["cc"], w["Brighton"]["team"], "UNP-35",
                  received_on=MONDAY - timedelta(days=36))
        clients.accept(s, w["Brighton"]["leader"], c, on=MONDAY - timedelta(days=35),
                       specialist_id=w["unplaced"].id)
    _install(db, "T0BRIGHTON")
    _install(db, "T0KENT")
    return w


def _dm(user_id: str) -> str:
    # The outbox posts a person's messages to their user id: Slack puts them in the DM.
    return user_id


def _dm_channel(user_id: str) -> str:
    """The DM conversations.open gives the fake: where files to a person are uploaded."""
    return "D" + user_id.lstrip("UW")


def _nudges_at(box: Outbox, settings: ClockSettings, day: date, hour: int, minute: int) -> None:
    with _at(day, hour, minute):
        run_due(box, settings, datetime.combine(day, time(hour, minute), LONDON))


def test_each_person_is_nudged_with_their_own_workspaces_token(
        db: Database, world: dict, fake: FakeSlack, caplog: pytest.LogCaptureFixture) -> None:
    settings = _settings(fake, fidelity_at=time(23, 0), just_ask_at=time(23, 0))
    box = _outbox(db, settings)
    with caplog.at_level(logging.INFO):
        _nudges_at(box, settings, MONDAY, 9, 30)
    for name, token in (("Brighton", "xoxb-brighton"), ("Kent", "xoxb-kent")):
        [nudge] = fake.messages_to(_dm(world[name]["es"].slack_user_id))
        assert nudge.token == token
        assert f"*{name[:3].upper()}-35*" in str(nudge.args["blocks"])
    # Nothing went with the wrong token (the fake would have said user_not_found) or none.
    assert [c for c in fake.calls if not c.ok] == []
    # Hastings has not installed the app, and Una's workspace is not known: nothing is sent
    # to them and nothing queued, so they are not marked as nudged.
    for person in (world["Hastings"]["es"], world["unplaced"]):
        assert fake.messages_to(_dm(person.slack_user_id)) == []
    with db.reading() as s:
        queued = set(s.scalars(select(NudgeLog.recipient).where(NudgeLog.kind == "four_week")))
    assert queued == {world["Brighton"]["es"].slack_user_id, world["Kent"]["es"].slack_user_id}
    # One line per workspace with how many were skipped: ids only, never a name.
    skipped = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert skipped == [
        "four_week_nudges: skipped 1 recipients with no Slack workspace known (set it with "
        "ips staff set-workspace)",
        "four_week_nudges: skipped 1 recipients in workspace T0HASTINGS: the app is not "
        "installed there"]
    names = [p.display_name for p in (world["Hastings"]["es"], world["unplaced"])]
    assert not [r for r in caplog.records for n in names if n in r.getMessage()]


def test_a_workspace_that_installs_later_is_sent_its_nudges_on_the_next_run(
        db: Database, world: dict, fake: FakeSlack) -> None:
    settings = _settings(fake, fidelity_at=time(23, 0), just_ask_at=time(23, 0))
    box = _outbox(db, settings)
    _nudges_at(box, settings, MONDAY, 9, 30)
    hastings = world["Hastings"]["es"].slack_user_id
    assert fake.messages_to(_dm(hastings)) == []
    _install(db, "T0HASTINGS")
    # The catch-up sweep half an hour later reads the installs afresh.
    _nudges_at(box, settings, MONDAY, 10, 0)
    [nudge] = fake.messages_to(_dm(hastings))
    assert nudge.token == "xoxb-hastings"
    # Brighton and Kent were not nudged twice.
    for name in ("Brighton", "Kent"):
        assert len(fake.messages_to(_dm(world[name]["es"].slack_user_id))) == 1


def test_an_uninstalled_workspace_is_skipped_from_the_next_run(
        db: Database, world: dict, fake: FakeSlack) -> None:
    settings = _settings(fake, fidelity_at=time(23, 0), just_ask_at=time(23, 0))
    box = _outbox(db, settings)
    DatabaseInstallationStore(db).delete_all(enterprise_id=None, team_id="T0KENT")
    _nudges_at(box, settings, MONDAY, 9, 30)
    assert fake.messages_to(_dm(world["Kent"]["es"].slack_user_id)) == []
    assert len(fake.messages_to(_dm(world["Brighton"]["es"].slack_user_id))) == 1
    assert [c for c in fake.calls if not c.ok] == []


def test_team_channels_get_the_monthly_report_with_their_staffs_workspace_token(
        db: Database, world: dict, fake: FakeSlack) -> None:
    first = date(2026, 12, 1)
    settings = _settings(fake, holds_at=time(23, 0), fidelity_at=time(23, 0),
                         four_week_at=time(23, 0), just_ask_at=time(23, 0))
    with db.transaction() as s:
        # A team whose staff are in two workspaces: its channel cannot be placed.
        mixed = make_team(s, "Mixed", slack_channel_id="C0MIXED01")
        for workspace in ("T0BRIGHTON", "T0KENT"):
            set_workspace(s, make_staff(s, Role.TEAM_LEADER, mixed), workspace, actor=None)
    box = _outbox(db, settings)
    _nudges_at(box, settings, first, 7, 45)
    for name, token in (("Brighton", "xoxb-brighton"), ("Kent", "xoxb-kent")):
        [report] = fake.messages_to(CHANNELS[name])
        assert report.token == token and report.args["text"].startswith(f"{name}, November 2026")
        [chart] = [c for c in fake.successful("files.completeUploadExternal")
                   if c.args.get("channel_id") == CHANNELS[name]]
        assert chart.token == token
    assert fake.messages_to(CHANNELS["Hastings"]) == [] and fake.messages_to("C0MIXED01") == []
    assert [c for c in fake.calls if not c.ok] == []


def test_one_workspace_mode_sends_everything_with_the_one_token(
        db: Database, world: dict, fake: FakeSlack) -> None:
    """SLACK_BOT_TOKEN set: staff workspaces and installs are not consulted at all."""
    fake.tokens = {BOT_TOKEN}
    fake.token_workspaces = {}
    settings = _settings(fake, slack_bot_token=BOT_TOKEN, fidelity_at=time(23, 0),
                         just_ask_at=time(23, 0))
    box = _outbox(db, settings)
    assert box.workspaces is None
    _nudges_at(box, settings, MONDAY, 9, 30)
    with db.reading() as s:
        specialists = s.scalars(select(Staff.slack_user_id).join(Team, Staff.team_id == Team.id)
                                .where(Staff.role == Role.EMPLOYMENT_SPECIALIST)).all()
    assert len(specialists) == 4
    for user_id in specialists:
        [nudge] = fake.messages_to(_dm(user_id))
        assert nudge.token == BOT_TOKEN


# -- teams with a workspace of their own ---------------------------------------------------

FIRST = date(2026, 12, 1)  # the monthly report's day


def _monthly_only(fake: FakeSlack):  # type: ignore[no-untyped-def]
    return _settings(fake, holds_at=time(23, 0), fidelity_at=time(23, 0),
                     four_week_at=time(23, 0), just_ask_at=time(23, 0))


def test_a_teams_own_workspace_places_its_channel(db: Database, world: dict,
                                                  fake: FakeSlack) -> None:
    with db.transaction() as s:
        # Staff in two workspaces, which alone could not place the channel...
        mixed = make_team(s, "Mixed", slack_channel_id="C0MIXED01", slack_team_id="T0KENT")
        for workspace in ("T0BRIGHTON", "T0KENT"):
            set_workspace(s, make_staff(s, Role.TEAM_LEADER, mixed), workspace, actor=None)
        # ...no staff at all; and the team's own workspace outranks its staff's.
        make_team(s, "Empty", slack_channel_id="C0EMPTY01", slack_team_id="T0BRIGHTON")
        set_team_workspace(s, s.get(Team, world["Hastings"]["team"].id), "T0KENT", actor=None)
    fake.member_workspaces |= {"C0MIXED01": "T0KENT", "C0EMPTY01": "T0BRIGHTON",
                               CHANNELS["Hastings"]: "T0KENT"}
    settings = _monthly_only(fake)
    _nudges_at(_outbox(db, settings), settings, FIRST, 7, 45)
    for channel, token in (("C0MIXED01", "xoxb-kent"), ("C0EMPTY01", "xoxb-brighton"),
                           (CHANNELS["Hastings"], "xoxb-kent")):
        [report] = fake.messages_to(channel)
        assert report.token == token
    assert [c for c in fake.calls if not c.ok] == []


def _workbook_teams(fake: FakeSlack, user_id: str) -> list[str]:
    """The teams a trainer's workbook reports on (its summary rows, less the total)."""
    [done] = [c for c in fake.successful("files.completeUploadExternal")
              if c.args.get("channel_id") == _dm_channel(user_id)]
    files = done.args["files"]
    files = json.loads(files) if isinstance(files, str) else files
    [upload] = [fake.uploads[f["id"]] for f in files]
    assert upload.filename == "ips-outcomes-2026-11.xlsx"
    summary = load_workbook(io.BytesIO(upload.content))["Summary"]
    return [row[0] for row in summary.iter_rows(min_row=3, values_only=True)
            if row[0] and row[0] != "All teams"]


def test_each_trainers_workbook_holds_only_their_workspaces_teams(
        db: Database, world: dict, fake: FakeSlack) -> None:
    with db.transaction() as s:
        for name, workspace in (("Brighton", "T0BRIGHTON"), ("Kent", "T0KENT")):
            set_team_workspace(s, s.get(Team, world[name]["team"].id), workspace, actor=None)
        trainers = {}
        for workspace in ("T0BRIGHTON", "T0KENT"):
            trainer = make_staff(s, Role.REGIONAL_TRAINER, None, workspace=workspace)
            fake.member_workspaces[trainer.slack_user_id] = workspace
            trainers[workspace] = trainer.slack_user_id
    settings = _monthly_only(fake)
    _nudges_at(_outbox(db, settings), settings, FIRST, 7, 45)
    # Hastings has no workspace of its own (its staff's does not make it one): shared.
    assert _workbook_teams(fake, trainers["T0BRIGHTON"]) == ["Brighton", "Hastings"]
    assert _workbook_teams(fake, trainers["T0KENT"]) == ["Hastings", "Kent"]
    assert [c for c in fake.calls if not c.ok] == []
