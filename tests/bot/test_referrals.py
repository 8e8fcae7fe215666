"""A referral made in Slack, accepted by the team leader, the referrer told: as Slack drives it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from caseload.db import Database
from caseload.models import Client, ClientStatus, Role
from tests.bot.driver import eventually, interaction, opened_view, press, slash, submit
from tests.factories import make_staff, make_team


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Worthing")
        return {"team": team, "leader": make_staff(s, Role.TEAM_LEADER, team, name="Priya"),
                "cc": make_staff(s, Role.CARE_COORDINATOR, team, name="Dan"),
                "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Tom"),
                "other_cc": make_staff(s, Role.CARE_COORDINATOR, team, name="Ravi")}


def _values(reference: str, w: dict, consent: bool = True) -> dict:
    return {
        "reference": {"value": {"type": "plain_text_input", "value": reference}},
        "team": {"value": {"type": "static_select",
                           "selected_option": {"value": str(w["team"].id)}}},
        "care_coordinator": {"value": {"type": "users_select",
                                       "selected_user": w["cc"].slack_user_id}},
        "specialist": {"value": {"type": "users_select", "selected_user": None}},
        "work_preferences": {"value": {"type": "plain_text_input", "value": "Gardening"}},
        "consent": {"value": {"type": "checkboxes", "selected_options":
                              [{"value": "yes"}] if consent else []}},
    }


def _clients(db: Database) -> list[Client]:
    with db.reading() as s:
        return list(s.scalars(select(Client)))


def test_refer_accept_and_the_referrer_is_told(db, w, slack) -> None:
    url, fake = slack
    cc, leader = w["cc"].slack_user_id, w["leader"].slack_user_id
    assert slash(url, cc, "refer").status_code == 200
    view = opened_view(fake)
    assert view["callback_id"] == "refer_modal"
    coordinator_block = next(b for b in view["blocks"] if b.get("block_id") == "care_coordinator")
    assert coordinator_block["element"]["initial_user"] == cc  # defaults to me
    for _ in range(3):  # double clicks and retries: one referral
        assert submit(url, cc, view, _values("wt-0042", w)).text == ""
    [client] = _clients(db)
    assert (client.reference, client.status, client.work_preferences) == (
        "WT-0042", ClientStatus.REFERRED, "Gardening")
    eventually(fake, "chat.postMessage", 2)
    [to_leader] = fake.messages_to(leader)
    assert "WT-0042" in to_leader.args["text"] and "Dan" in to_leader.args["text"]
    actions = to_leader.args["blocks"][1]["elements"]
    assert [a["action_id"] for a in actions] == ["accept_referral", "assign_referral"]

    press(url, leader, "accept_referral", client.id)
    eventually(fake, "chat.postMessage", 4)
    assert [c.args["text"] for c in fake.messages_to(cc)][-1] == (
        "Your referral WT-0042 has been accepted.")
    assert _clients(db)[0].status == ClientStatus.ACCEPTED


@pytest.mark.parametrize(
    ("reference", "consent", "block", "message"),
    [("943 476 5919", True, "reference", "NHS number"),
     ("WT-1", False, "consent", "consent"),
     ("x", True, "reference", "3 to 20")],
)
def test_bad_referrals_are_shown_beside_the_field(db, w, slack, reference, consent, block,
                                                  message) -> None:
    url, fake = slack
    slash(url, w["cc"].slack_user_id, "refer")
    answer = submit(url, w["cc"].slack_user_id, opened_view(fake), _values(reference, w, consent))
    body = answer.json()
    assert body["response_action"] == "errors" and message in body["errors"][block]
    assert _clients(db) == []


def test_a_duplicate_open_referral_is_refused(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["cc"].slack_user_id, "refer")
    view = opened_view(fake)
    submit(url, w["cc"].slack_user_id, view, _values("WT-7", w), view_id="V1")
    answer = submit(url, w["cc"].slack_user_id, view, _values("WT-7", w), view_id="V2")
    assert "already has an open referral" in answer.json()["errors"]["reference"]
    assert len(_clients(db)) == 1


def test_only_the_team_leader_can_accept(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["cc"].slack_user_id, "refer")
    submit(url, w["cc"].slack_user_id, opened_view(fake), _values("WT-9", w))
    [client] = _clients(db)
    press(url, w["cc"].slack_user_id, "accept_referral", client.id)
    [refusal] = eventually(fake, "chat.postEphemeral")
    assert "team leader" in refusal.args["text"]
    assert _clients(db)[0].status == ClientStatus.REFERRED


def test_assign_from_the_referral_message(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["cc"].slack_user_id, "refer")
    submit(url, w["cc"].slack_user_id, opened_view(fake), _values("WT-11", w))
    [client] = _clients(db)
    interaction(url, {
        "type": "block_actions", "user": {"id": w["leader"].slack_user_id},
        "team": {"id": "T0001"}, "api_app_id": "A0001", "token": "legacy",
        "trigger_id": "1.2.x", "channel": {"id": "D0001"}, "container": {"type": "message"},
        "message": {"ts": "1.2", "text": "referral"},
        "actions": [{"action_id": "assign_referral", "block_id": f"referral_{client.id}",
                     "type": "users_select", "selected_user": w["es"].slack_user_id,
                     "action_ts": "1.3"}]})
    eventually(fake, "chat.postMessage", 3)
    assert _clients(db)[0].specialist_id == w["es"].id
    assert json.dumps([c.args["text"] for c in fake.messages_to(w["leader"].slack_user_id)]) \
        .count("assigned to Tom") == 1


def test_the_global_shortcut_opens_the_same_modal(db, w, slack) -> None:
    url, fake = slack
    interaction(url, {"type": "shortcut", "callback_id": "refer_to_ips",
                      "user": {"id": w["cc"].slack_user_id}, "team": {"id": "T0001"},
                      "api_app_id": "A0001", "token": "legacy", "trigger_id": "1.2.s",
                      "action_ts": "1.3"})
    assert opened_view(fake)["callback_id"] == "refer_modal"


def test_unknown_user_gets_the_set_up_message(db, w, slack) -> None:
    url, _fake = slack
    body = slash(url, "U0STRANGER", "refer").json()
    assert "ask your team leader to add you" in body["text"]
    assert _clients(db) == []


def test_a_trainer_is_offered_only_their_own_workspaces_teams(db, w, slack) -> None:
    url, fake = slack
    with db.transaction() as s:
        make_team(s, "Kent East", slack_team_id="T0KENT01")
        make_team(s, "Sussex West", slack_team_id="T0SUSSEX")
        trainer = make_staff(s, Role.REGIONAL_TRAINER, None, workspace="T0SUSSEX")
    slash(url, trainer.slack_user_id, "refer")
    [team_block] = [b for b in opened_view(fake)["blocks"] if b.get("block_id") == "team"]
    offered = [o["text"]["text"] for o in team_block["element"]["options"]]
    assert offered == ["Sussex West", "Worthing"]  # Worthing has no workspace: shared


def _assign(url: str, w: dict, client_id: int, picked: str) -> None:
    interaction(url, {
        "type": "block_actions", "user": {"id": w["leader"].slack_user_id},
        "team": {"id": "T0001"}, "api_app_id": "A0001", "token": "legacy",
        "trigger_id": "1.2.x", "channel": {"id": "D0001"}, "container": {"type": "message"},
        "message": {"ts": "1.2", "text": "referral"},
        "actions": [{"action_id": "assign_referral", "block_id": f"referral_{client_id}",
                     "type": "users_select", "selected_user": picked, "action_ts": "1.3"}]})


def test_assigning_someone_who_cannot_be_assigned_is_refused_in_peoples_words(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["cc"].slack_user_id, "refer")
    submit(url, w["cc"].slack_user_id, opened_view(fake), _values("WT-12", w))
    [client] = _clients(db)
    for count, picked in enumerate((w["other_cc"].slack_user_id, "U0NOBODY"), start=1):
        _assign(url, w, client.id, picked)
        refusals = eventually(fake, "chat.postEphemeral", count)
        assert len(refusals) == count
    texts = [c.args["text"] for c in fake.successful("chat.postEphemeral")]
    assert texts == ["Ravi is not an employment specialist.",
                     "That person is not set up in IPS Assist yet."]
    assert not any("_id" in text for text in texts)
    assert _clients(db)[0].specialist_id is None


def test_referring_a_discharged_client_again_links_the_new_episode(db, w, slack) -> None:
    from caseload import clients
    from caseload.validation import parse

    url, fake = slack
    slash(url, w["cc"].slack_user_id, "refer")
    submit(url, w["cc"].slack_user_id, opened_view(fake), _values("WT-1200", w), view_id="V1")
    [first] = _clients(db)
    with db.transaction() as s:
        clients.discharge(s, s.merge(w["leader"]), s.get(Client, first.id),
                          parse(clients.Discharge, {"reason": "moved away"}))
    slash(url, w["cc"].slack_user_id, "refer")
    submit(url, w["cc"].slack_user_id, opened_view(fake), _values("WT-1200", w), view_id="V2")
    episodes = sorted(_clients(db), key=lambda c: c.id)
    assert [(c.status, c.previous_episode_id) for c in episodes] == [
        (ClientStatus.DISCHARGED, None), (ClientStatus.REFERRED, first.id)]
