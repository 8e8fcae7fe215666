"""Two trusts, each with its own Slack workspace, sharing one install: a regional trainer and
an admin of one, driving the bot as Slack would, neither see nor change the other's teams.

Seaford is in workspace T0SEAFORD and Brighton in T0BRIGHTON; the trainer and the admin are
Seaford's. Everything they are shown is searched for Brighton's name and client references.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseload import clients, clock
from caseload.db import Database
from caseload.models import AuditLog, BetterOffCalculation, Role
from tests.bot.driver import event, eventually, opened_view, press, slash, submit
from tests.bot.test_role_matrix import ANSWERS, SELECTS
from tests.factories import make_staff, make_team, refer

TODAY = clock.today()
OTHER = ("Brighton", "BR-1", "BR-3")


@pytest.fixture
def w(db: Database) -> dict:
    with db.transaction() as s:
        seaford = make_team(s, "Seaford", slack_team_id="T0SEAFORD")
        brighton = make_team(s, "Brighton", slack_team_id="T0BRIGHTON")
        w: dict = {"teams": {"Seaford": seaford.id, "Brighton": brighton.id}}
        for team, prefix in ((seaford, "SF"), (brighton, "BR")):
            cc = make_staff(s, Role.CARE_COORDINATOR, team, workspace=team.slack_team_id)
            leader = make_staff(s, Role.TEAM_LEADER, team, workspace=team.slack_team_id)
            es = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, workspace=team.slack_team_id)
            seeking = refer(s, cc, team, f"{prefix}-1", received_on=TODAY - timedelta(days=20),
                            specialist_id=es.id)
            clients.accept(s, leader, seeking, on=TODAY - timedelta(days=19))
            waiting = refer(s, cc, team, f"{prefix}-3", received_on=TODAY - timedelta(days=2))
            w[f"{prefix}-1"], w[f"{prefix}-3"] = seeking.id, waiting.id
        w["rt"] = make_staff(s, Role.REGIONAL_TRAINER, None, workspace="T0SEAFORD").slack_user_id
        w["admin"] = make_staff(s, Role.ADMIN, None, workspace="T0SEAFORD").slack_user_id
    return w


def _nothing_of_brighton(shown: object) -> None:
    text = shown if isinstance(shown, str) else json.dumps(shown)
    assert not [word for word in OTHER if word in text], text


def _audit_rows(db: Database) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(AuditLog.id))) or 0


@pytest.mark.parametrize("who", ["rt", "admin"])
def test_lists_home_and_pickers_hold_only_their_own_workspace(db, w, slack, who) -> None:
    url, fake = slack
    user = w[who]
    caseload = slash(url, user, "caseload").json()
    assert "SF-1" in json.dumps(caseload) and "SF-3" in json.dumps(caseload)
    _nothing_of_brighton(caseload)
    event(url, {"type": "app_home_opened", "user": user, "channel": "D0001", "tab": "home",
                "event_ts": "1.2"})
    [home] = eventually(fake, "views.publish")
    assert "*Seaford*" in json.dumps(home.args["view"])
    _nothing_of_brighton(home.args["view"])
    for command in ("refer", "contact", "review schedule"):
        fake.calls.clear()
        slash(url, user, command)
        view = opened_view(fake)
        assert "Seaford" in json.dumps(view) or command == "contact", command
        _nothing_of_brighton(view)


@pytest.mark.parametrize("who", ["rt", "admin"])
def test_the_other_workspaces_clients_are_refused_and_nothing_changes(db, w, slack, who) -> None:
    url, fake = slack
    user = w[who]
    before = _audit_rows(db)
    for command in ("client BR-1", "hold BR-1", "discharge BR-1", "job BR-1"):
        answer = slash(url, user, command).json()
        assert answer["response_type"] == "ephemeral"
        assert answer["text"] == "No client BR-1 in your Slack workspace's teams.", command
    assert fake.successful("views.open") == []
    # Buttons carry client ids, which could be replayed: the id is checked, not trusted.
    press(url, user, "accept_referral", w["BR-3"])
    press(url, user, "client_hold", w["BR-1"])
    refusals = eventually(fake, "chat.postEphemeral", 2)
    # Bolt works after acknowledging, so the two presses' answers can arrive in either order.
    assert sorted(r.args["text"] for r in refusals) == [
        "You can only see clients within your own Slack workspace; BR-1 is not.",
        "You can only see clients within your own Slack workspace; BR-3 is not."]
    assert fake.successful("views.open") == []
    # A better-off calculation is worked out, but not saved against another trust's client.
    slash(url, user, "betteroff")
    state: dict = {"client_reference": {"value": {"type": "plain_text_input", "value": "BR-1"}}}
    for block, answer in ANSWERS.items():
        state[block] = ({"value": {"type": "static_select", "selected_option": {"value": answer}}}
                        if block in SELECTS else
                        {"value": {"type": "number_input", "value": answer}})
    assert submit(url, user, opened_view(fake), state).text == ""
    dm = "D" + user.lstrip("UW")
    eventually(fake, "files.completeUploadExternal")  # the chart comes last
    said = [c.args.get("text", "") for c in fake.successful("chat.postMessage")
            if c.args["channel"] == dm]
    assert said[0].startswith("About £")
    assert "Not saved: There is no client BR-1 in your Slack workspace's teams." in said
    assert _audit_rows(db) == before
    with db.reading() as s:
        assert s.scalar(select(func.count(BetterOffCalculation.id))) == 0
        assert s.get(clients.Client, w["BR-3"]).status == clients.ClientStatus.REFERRED
