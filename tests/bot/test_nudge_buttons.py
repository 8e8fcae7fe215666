"""The four-week nudge's buttons, driven as Slack would: a button press, then the modal."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseload import clients, clock
from caseload.db import Database
from caseload.models import Client, ClientSnooze, ClientStatus, EmployerContact, Role
from tests.bot.driver import eventually, opened_view, press, submit
from tests.factories import make_staff, make_team, refer


@pytest.fixture
def world(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Hove")
        w = {"leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
             "other_es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)}
        c = refer(s, w["cc"], team, "HV-7", received_on=clock.today() - timedelta(days=40))
        clients.accept(s, w["leader"], c, on=clock.today() - timedelta(days=39),
                       specialist_id=w["es"].id)
        w["client"] = c
    return w


def test_snooze_button_opens_a_modal_and_the_submission_snoozes_once(db, world, slack) -> None:
    url, fake = slack
    es = world["es"].slack_user_id
    assert press(url, es, "nudge_snooze", world["client"].id).status_code == 200
    view = opened_view(fake)
    assert view["callback_id"] == "nudge_snooze_modal" and "HV-7" in json.dumps(view)
    values = {"reason": {"value": {"type": "plain_text_input", "value": "Interview on Friday"}}}
    for _ in range(4):  # a retry storm of the same submission
        assert submit(url, es, view, values).status_code == 200
    with db.reading() as s:
        assert s.scalar(select(func.count(ClientSnooze.id))) == 1
    eventually(fake, "chat.postMessage")
    time.sleep(0.2)  # any duplicate confirmation would have arrived by now
    [confirmation] = fake.messages_to(es)
    assert confirmation.args["text"] == "Nudges about HV-7 are snoozed for 7 days."


def test_an_empty_reason_is_shown_beside_the_field(db, world, slack) -> None:
    url, fake = slack
    es = world["es"].slack_user_id
    press(url, es, "nudge_hold", world["client"].id)
    view = opened_view(fake)
    answer = submit(url, es, view, {"reason": {"value": {"type": "plain_text_input", "value": ""}},
                                     "until": {"value": {"type": "datepicker",
                                                         "selected_date": None}}})
    assert answer.json()["response_action"] == "errors"
    assert "reason" in answer.json()["errors"]
    with db.reading() as s:
        assert s.get(Client, world["client"].id).status == ClientStatus.ACCEPTED


def test_hold_with_an_end_date(db, world, slack) -> None:
    url, fake = slack
    es = world["es"].slack_user_id
    press(url, es, "nudge_hold", world["client"].id)
    until = (clock.today() + timedelta(days=14)).isoformat()
    answer = submit(url, es, opened_view(fake), {
        "reason": {"value": {"type": "plain_text_input", "value": "In hospital"}},
        "until": {"value": {"type": "datepicker", "selected_date": until}}})
    assert answer.status_code == 200 and answer.text == ""
    with db.reading() as s:
        held = s.get(Client, world["client"].id)
        assert held.status == ClientStatus.ON_HOLD and held.hold_until.isoformat() == until


def test_log_contact_from_the_nudge(db, world, slack) -> None:
    url, fake = slack
    es = world["es"].slack_user_id
    press(url, es, "nudge_log_contact", world["client"].id)
    view = opened_view(fake)
    values = {"employer": {"value": {"type": "plain_text_input", "value": "Boots Hove"}},
              "contacted_on": {"value": {"type": "datepicker",
                                         "selected_date": clock.today().isoformat()}},
              "face_to_face": {"value": {"type": "radio_buttons",
                                         "selected_option": {"value": "yes"}}}}
    submit(url, es, view, values)
    with db.reading() as s:
        assert s.scalar(select(func.count(EmployerContact.id))) == 1
        assert s.get(Client, world["client"].id).last_face_to_face_contact_on == clock.today()


def test_a_future_contact_date_is_refused_beside_the_date(db, world, slack) -> None:
    url, fake = slack
    es = world["es"].slack_user_id
    press(url, es, "nudge_log_contact", world["client"].id)
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    answer = submit(url, es, opened_view(fake), {
        "employer": {"value": {"type": "plain_text_input", "value": "Boots"}},
        "contacted_on": {"value": {"type": "datepicker", "selected_date": tomorrow}},
        "face_to_face": {"value": {"type": "radio_buttons", "selected_option": {"value": "no"}}}})
    assert answer.json() == {"response_action": "errors",
                             "errors": {"contacted_on": f"{tomorrow} is in the future; "
                                                        "record things once they happen"}}


def test_someone_elses_client_gets_a_private_refusal_and_no_modal(db, world, slack) -> None:
    url, fake = slack
    other = world["other_es"].slack_user_id
    press(url, other, "nudge_snooze", world["client"].id)
    [refusal] = eventually(fake, "chat.postEphemeral")
    assert fake.successful("views.open") == []
    assert refusal.args["user"] == other
    assert "not on it" in refusal.args["text"]
