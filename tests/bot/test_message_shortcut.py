"""The "Log employer contact" message shortcut: from a message's menu to the contact modal."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload import clients, clock
from caseload.db import Database
from caseload.models import AuditLog, EmployerContact, Role
from tests.bot.driver import eventually, message_shortcut, opened_view, slash, submit
from tests.factories import make_staff, make_team, refer


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Seaford")
        w = {"leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Tom"),
             "advisor": make_staff(s, Role.BENEFITS_ADVISOR, team)}
        c = refer(s, w["cc"], team, "SF-1", received_on=clock.today() - timedelta(days=10))
        clients.accept(s, w["leader"], c, on=clock.today() - timedelta(days=9),
                       specialist_id=w["es"].id)
    return w


def _values(reference: str, employer: str = "Tesco") -> dict:
    return {"reference": {"value": {"type": "plain_text_input", "value": reference}},
            "employer": {"value": {"type": "plain_text_input", "value": employer}},
            "contacted_on": {"value": {"type": "datepicker",
                                       "selected_date": clock.today().isoformat()}},
            "face_to_face": {"value": {"type": "radio_buttons",
                                       "selected_option": {"value": "yes"}}}}


def _contacts(db: Database) -> list[tuple[int | None, str, int]]:
    with db.reading() as s:
        return [(c.client_id, c.employer, c.staff_id) for c in s.scalars(select(EmployerContact))]


def test_the_shortcut_opens_the_contact_modal_with_nothing_from_the_message(db, w, slack) -> None:
    url, fake = slack
    answer = message_shortcut(url, w["es"].slack_user_id)
    assert answer.status_code == 200 and answer.text == ""
    view = opened_view(fake)
    assert view["callback_id"] == "log_any_contact_modal"
    assert fake.successful("views.open")[0].args["trigger_id"] == \
        "13345224609.738474920.8088930838d88f008e0"
    shown = json.dumps(view)
    for fragment in ("Jane", "Smith", "943", "5919", "Tesco", "went well"):
        assert fragment not in shown
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert "initial_value" not in inputs["reference"] and "initial_value" not in inputs["employer"]


def test_a_contact_logged_from_the_shortcut_is_saved_audited_and_confirmed(db, w, slack) -> None:
    url, fake = slack
    message_shortcut(url, w["es"].slack_user_id)
    assert submit(url, w["es"].slack_user_id, opened_view(fake), _values("sf-1")).text == ""
    [(client_id, employer, staff_id)] = _contacts(db)
    assert client_id is not None and employer == "Tesco" and staff_id == w["es"].id
    with db.reading() as s:
        [row] = s.scalars(select(AuditLog).where(AuditLog.action == "record_contact")).all()
        assert row.actor_id == w["es"].id
    [done] = eventually(fake, "chat.postMessage")
    assert done.args["channel"] == w["es"].slack_user_id
    assert done.args["text"] == "Logged a face-to-face employer contact for SF-1 with Tesco."


def test_general_job_development_from_the_shortcut(db, w, slack) -> None:
    url, fake = slack
    message_shortcut(url, w["leader"].slack_user_id)
    submit(url, w["leader"].slack_user_id, opened_view(fake), _values("", "Waitrose"))
    assert _contacts(db) == [(None, "Waitrose", w["leader"].id)]


def test_the_same_submission_twice_writes_once(db, w, slack) -> None:
    url, fake = slack
    message_shortcut(url, w["es"].slack_user_id)
    view = opened_view(fake)
    for _ in range(2):
        assert submit(url, w["es"].slack_user_id, view, _values("SF-1"), view_id="V0SHORT1").text == ""
    assert len(_contacts(db)) == 1
    assert len(eventually(fake, "chat.postMessage")) == 1


def test_bad_input_is_answered_beside_the_field(db, w, slack) -> None:
    url, fake = slack
    message_shortcut(url, w["es"].slack_user_id)
    view = opened_view(fake)
    unknown = submit(url, w["es"].slack_user_id, view, _values("SF-404"), view_id="V0BAD1")
    assert unknown.json() == {"response_action": "errors",
                              "errors": {"reference": "No client SF-404 in your team."}}
    short = submit(url, w["es"].slack_user_id, view, _values("SF-1", "X"), view_id="V0BAD2")
    assert short.json() == {"response_action": "errors",
                            "errors": {"employer": "String should have at least 2 characters"}}
    assert _contacts(db) == []


@pytest.mark.parametrize("role", ["cc", "advisor"])
def test_roles_that_do_not_log_contacts_are_told_and_nothing_opens(db, w, slack, role) -> None:
    url, fake = slack
    assert message_shortcut(url, w[role].slack_user_id).status_code == 200
    [told] = eventually(fake, "chat.postMessage")
    assert told.args["channel"] == w[role].slack_user_id
    assert told.args["text"].startswith("Only these roles can log employer contacts:")
    assert fake.successful("views.open") == []


def test_someone_not_set_up_is_told_to_ask_their_team_leader(db, w, slack) -> None:
    url, fake = slack
    message_shortcut(url, "U0STRANGER")
    [told] = eventually(fake, "chat.postMessage")
    assert told.args["text"] == "You are not set up in IPS Assist yet: ask your team leader to add you."
    assert fake.successful("views.open") == []


def test_the_message_text_is_never_logged(db, w, slack, caplog) -> None:
    url, fake = slack
    with caplog.at_level(logging.DEBUG):
        message_shortcut(url, w["es"].slack_user_id)
        opened_view(fake)
        message_shortcut(url, w["cc"].slack_user_id)
        eventually(fake, "chat.postMessage")
    assert "943 476 5919" not in caplog.text and "Jane Smith" not in caplog.text


def test_help_mentions_the_shortcut_to_those_who_log_contacts(db, w, slack) -> None:
    url, _fake = slack
    assert "Log employer contact" in json.dumps(slash(url, w["es"].slack_user_id, "help").json())
    assert "Log employer contact" not in json.dumps(slash(url, w["cc"].slack_user_id, "help").json())
