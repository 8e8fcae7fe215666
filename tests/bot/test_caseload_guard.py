"""The caseload guard in Slack: Accept or Assign onto a caseload of 20 or more asks to confirm
with the number; a team leader reassigns from the client card and both specialists are told."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from caseload import clients, clock
from caseload.db import Database
from caseload.models import Client, ClientStatus, OutboxMessage, Role
from tests.bot.driver import eventually, interaction, opened_view, press, slash, submit
from tests.factories import make_staff, make_team, refer

TODAY = clock.today()


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Bexhill")
        w = {"team": team, "leader": make_staff(s, Role.TEAM_LEADER, team, name="Priya"),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team, name="Dan"),
             "full": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Tom"),
             "room": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Ann")}
        for n in range(21):
            s.add(Client(team_id=team.id, reference=f"TOM-{n}", status=ClientStatus.JOB_SEEKING,
                         referral_received_on=date(2026, 1, 5), consent_recorded=True,
                         specialist_id=w["full"].id))
        w["new"] = refer(s, w["cc"], team, "BX-1", received_on=TODAY - timedelta(days=2),
                         specialist_id=w["full"].id)
        held = refer(s, w["cc"], team, "BX-2", received_on=TODAY - timedelta(days=9))
        clients.accept(s, w["leader"], held, on=TODAY - timedelta(days=8),
                       specialist_id=w["room"].id)
        w["held"] = held
    return w


def _client(db, client_id):
    with db.reading() as s:
        return s.get(Client, client_id)


def _pick(url, user, client_id, specialist_slack_id, ts="1.3"):
    return interaction(url, {
        "type": "block_actions", "user": {"id": user}, "team": {"id": "T0001"},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": "1.2.x",
        "channel": {"id": "D0001"}, "container": {"type": "message"},
        "message": {"ts": "1.2", "text": "referral"},
        "actions": [{"action_id": "assign_referral", "block_id": f"referral_{client_id}",
                     "type": "users_select", "selected_user": specialist_slack_id,
                     "action_ts": ts}]})


def test_accept_onto_a_full_caseload_shows_the_number_and_asks_first(db, w, slack) -> None:
    url, fake = slack
    leader = w["leader"].slack_user_id
    press(url, leader, "accept_referral", w["new"].id)
    view = opened_view(fake)
    assert view["callback_id"] == "confirm_over_caseload_modal"
    assert "Tom already has 21 active clients, 0 of them in work when referred (0%)" in json.dumps(view)
    assert _client(db, w["new"].id).status == ClientStatus.REFERRED  # nothing yet
    for _ in range(2):
        assert submit(url, leader, view, {}).text == ""
    assert _client(db, w["new"].id).status == ClientStatus.ACCEPTED
    eventually(fake, "chat.postMessage", 2)
    assert fake.messages_to(w["cc"].slack_user_id)[-1].args["text"] == \
        "Your referral BX-1 has been accepted."


def test_assign_onto_a_full_caseload_asks_and_cancelling_changes_nothing(db, w, slack) -> None:
    url, fake = slack
    leader = w["leader"].slack_user_id
    with db.transaction() as s:
        clients.assign(s, s.merge(w["leader"]), s.get(Client, w["new"].id), w["room"].id)
    _pick(url, leader, w["new"].id, w["full"].slack_user_id)
    view = opened_view(fake)
    assert "Tom already has 21 active clients" in json.dumps(view)
    assert _client(db, w["new"].id).specialist_id == w["room"].id  # cancelled: as it was
    submit(url, leader, view, {})
    assert _client(db, w["new"].id).specialist_id == w["full"].id
    eventually(fake, "chat.postMessage", 3)
    assert "BX-1 has been assigned to you by Priya." in [
        m.args["text"] for m in fake.messages_to(w["full"].slack_user_id)]
    assert "BX-1 has been reassigned to Tom by Priya." in [
        m.args["text"] for m in fake.messages_to(w["room"].slack_user_id)]


def test_a_team_leader_reassigns_from_the_card_and_both_specialists_are_told(db, w, slack) -> None:
    url, fake = slack
    leader = w["leader"].slack_user_id
    card = slash(url, leader, "client BX-2").json()
    [button] = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == "client_reassign"]
    press(url, leader, "client_reassign", int(button["value"]))
    view = opened_view(fake)
    assert view["callback_id"] == "reassign_modal"
    picker = next(b for b in view["blocks"] if b.get("block_id") == "specialist")
    assert [o["text"]["text"] for o in picker["element"]["options"]] == [
        "Tom: 21 active, 0 retention (over)"]
    chosen = {"specialist": {"value": {"type": "static_select", "selected_option": {
        "value": str(w["full"].id)}}}}
    answer = submit(url, leader, view, chosen)
    assert answer.json() == {"response_action": "errors", "errors": {"specialist": (
        "Tom already has 21 active clients, 0 of them in work when referred (0%); IPS asks for "
        "20 or fewer, with no more than 15% in-work (job retention) clients. Tick 'Go ahead' to "
        "confirm.")[:150]}}
    assert _client(db, w["held"].id).specialist_id == w["room"].id
    chosen["go_ahead"] = {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}}
    for _ in range(2):
        assert submit(url, leader, view, chosen, view_id="V0002").text == ""
    assert _client(db, w["held"].id).specialist_id == w["full"].id
    eventually(fake, "chat.postMessage", 3)
    assert [m.args["text"] for m in fake.messages_to(w["full"].slack_user_id)] == [
        "BX-2 has been assigned to you by Priya."]
    assert [m.args["text"] for m in fake.messages_to(w["room"].slack_user_id)] == [
        "BX-2 has been reassigned to Tom by Priya."]
    with db.reading() as s:  # each note went through the outbox, once
        keys = [m.key for m in s.scalars(select(OutboxMessage)) if m.key.startswith("reassigned:")]
    assert len(keys) == 3


@pytest.mark.parametrize("who", ["cc", "room"])
def test_only_a_team_leader_sees_reassign_and_a_press_by_anyone_else_is_refused(
        db, w, slack, who) -> None:
    url, fake = slack
    user = w[who].slack_user_id
    card = slash(url, user, "client BX-2").json()
    assert "client_reassign" not in json.dumps(card.get("blocks", []))
    press(url, user, "client_reassign", w["held"].id)
    [refusal] = eventually(fake, "chat.postEphemeral")
    assert "Only the team leader" in refusal.args["text"]
    assert fake.successful("views.open") == []
