"""In-work support from Slack: the client card's button, `/ips contact in-work [REF]` and the
"Log in-work support" message shortcut, each saving once through the same rules."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload import clients, clock
from caseload.db import Database
from caseload.jobs import NewJobStart, record_job_start
from caseload.models import InWorkContact, Role
from caseload.validation import parse
from tests.bot.driver import eventually, message_shortcut, opened_view, press, slash, submit
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import check_blocks

TODAY = clock.today()


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Lewes")
        w = {"leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Tom"),
             "es2": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Ann"),
             "advisor": make_staff(s, Role.BENEFITS_ADVISOR, team)}
        working = refer(s, w["cc"], team, "LW-1", received_on=TODAY - timedelta(days=60))
        clients.accept(s, w["leader"], working, on=TODAY - timedelta(days=58),
                       specialist_id=w["es"].id)
        record_job_start(s, w["es"], parse(NewJobStart, {
            "client_id": working.id, "employer": "Harveys Brewery", "job_title": "Packer",
            "job_type": "process_plant_machine_operatives", "hours_per_week": "20",
            "hourly_wage": "12.71", "started_on": TODAY - timedelta(days=3)}))
        seeking = refer(s, w["cc"], team, "LW-2", received_on=TODAY - timedelta(days=20))
        clients.accept(s, w["leader"], seeking, on=TODAY - timedelta(days=19),
                       specialist_id=w["es"].id)
        w["working"], w["seeking"] = working, seeking
    return w


def _values(with_whom: str = "both", face_to_face: str = "no", reference: str | None = None,
            notes: str | None = None) -> dict:
    values = {"with_whom": {"value": {"type": "radio_buttons",
                                      "selected_option": {"value": with_whom}}},
              "contacted_on": {"value": {"type": "datepicker",
                                         "selected_date": TODAY.isoformat()}},
              "face_to_face": {"value": {"type": "radio_buttons",
                                         "selected_option": {"value": face_to_face}}},
              "notes": {"value": {"type": "plain_text_input", "value": notes}}}
    if reference is not None:
        values["reference"] = {"value": {"type": "plain_text_input", "value": reference}}
    return values


def _support(db: Database) -> list[tuple[int, str, bool, int]]:
    with db.reading() as s:
        return [(c.client_id, c.with_whom.value, c.face_to_face, c.staff_id)
                for c in s.scalars(select(InWorkContact))]


def test_the_card_offers_in_work_support_and_its_button_saves_once(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    card = slash(url, es, "client LW-1").json()
    check_blocks(card["blocks"], limit=50)
    assert "Next in-work support due" in json.dumps(card["blocks"])
    [button] = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == "client_in_work_support"]
    press(url, es, "client_in_work_support", int(button["value"]))
    view = opened_view(fake)
    assert view["callback_id"] == "log_in_work_contact_modal"
    assert view["private_metadata"] == str(w["working"].id)
    for _ in range(2):
        assert submit(url, es, view, _values(notes="Rota change agreed")).text == ""
    assert _support(db) == [(w["working"].id, "both", False, w["es"].id)]
    [done] = eventually(fake, "chat.postMessage")
    due = TODAY + timedelta(days=7)
    assert done.args["text"] == (
        f"Logged in-work support for LW-1 with the person and the employer (not face to face) "
        f"on {TODAY:%-d %B %Y}. Next contact due by {due:%A %-d %B}.")


def test_someone_never_in_work_has_no_button_and_is_refused_by_reference(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    card = slash(url, es, "client LW-2").json()
    actions = [e["action_id"] for b in card["blocks"] if b["type"] == "actions"
               for e in b["elements"]]
    assert "client_in_work_support" not in actions and "client_log_contact" in actions
    slash(url, es, "contact in-work")
    answer = submit(url, es, opened_view(fake), _values(reference="LW-2"))
    assert answer.json()["errors"] == {"reference": (
        "LW-2 has no job recorded; in-work support is for people in work or whose job has "
        "ended. Log an employer contact instead.")[:150]}
    assert _support(db) == []


def test_the_command_names_the_client_or_asks_for_the_reference(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    slash(url, es, "contact in-work lw-1")
    view = opened_view(fake)
    assert view["private_metadata"] == str(w["working"].id) and "LW-1" in json.dumps(view)
    submit(url, es, view, _values("person", "yes"))
    slash(url, es, "contact in-work")
    view = opened_view(fake)
    assert not view.get("private_metadata")
    answer = submit(url, es, view, _values("employer", reference="LW-404"), view_id="V0002")
    assert answer.json()["errors"] == {"reference": "No client LW-404 in your team."}
    submit(url, es, view, _values("employer", reference="LW-1"), view_id="V0003")
    assert [row[1] for row in _support(db)] == ["person", "employer"]


def test_bad_input_is_shown_beside_the_field_and_nothing_saved(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    slash(url, es, "contact in-work LW-1")
    view = opened_view(fake)
    late = _values()
    late["contacted_on"]["value"]["selected_date"] = (TODAY + timedelta(days=2)).isoformat()
    answer = submit(url, es, view, late)
    assert list(answer.json()["errors"]) == ["contacted_on"]
    assert "in the future" in answer.json()["errors"]["contacted_on"]
    answer = submit(url, es, view, _values(notes="NHS 943 476 5919"), view_id="V0009")
    assert list(answer.json()["errors"]) == ["notes"]
    assert _support(db) == []


@pytest.mark.parametrize("role", ["cc", "advisor"])
def test_roles_that_do_not_log_contacts_are_told_up_front(db, w, slack, role) -> None:
    url, fake = slack
    answer = slash(url, w[role].slack_user_id, "contact in-work LW-1")
    assert answer.json()["response_type"] == "ephemeral"
    assert "log in-work support contacts" in answer.json()["text"]
    assert message_shortcut(url, w[role].slack_user_id, "log_in_work_support").status_code == 200
    [told] = eventually(fake, "chat.postMessage")
    assert "log in-work support contacts" in told.args["text"]
    assert fake.successful("views.open") == []


def test_another_specialist_is_refused_on_submit(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es2"].slack_user_id, "contact in-work")
    answer = submit(url, w["es2"].slack_user_id, opened_view(fake), _values(reference="LW-1"))
    assert "caseload" in answer.json()["errors"]["reference"]
    assert _support(db) == []


def test_the_shortcut_opens_the_in_work_modal_with_nothing_from_the_message(db, w, slack) -> None:
    url, fake = slack
    assert message_shortcut(url, w["es"].slack_user_id, "log_in_work_support").text == ""
    view = opened_view(fake)
    assert view["callback_id"] == "log_in_work_contact_modal"
    shown = json.dumps(view)
    for fragment in ("Jane", "Smith", "943", "5919"):
        assert fragment not in shown
    submit(url, w["es"].slack_user_id, view, _values(reference="LW-1"))
    assert _support(db) == [(w["working"].id, "both", False, w["es"].id)]
