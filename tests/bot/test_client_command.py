"""`/ips client REF`, `/ips hold REF` and `/ips discharge REF`, driven as Slack would."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseload import clients, clock
from caseload.contacts import NewEmployerContact, record_employer_contact
from caseload.db import Database
from caseload.jobs import NewJobStart, record_job_start
from caseload.models import AuditLog, Client, ClientStatus, Role
from caseload.validation import parse
from tests.bot.driver import eventually, opened_view, press, slash, submit
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import check_blocks

TODAY = clock.today()


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Peacehaven")
        w = {"leader": make_staff(s, Role.TEAM_LEADER, team, name="Priya"),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team, name="Dan"),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Tom"),
             "es2": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Ann"),
             "advisor": make_staff(s, Role.BENEFITS_ADVISOR, team)}
        c = refer(s, w["cc"], team, "PH-1", received_on=TODAY - timedelta(days=60))
        clients.accept(s, w["leader"], c, on=TODAY - timedelta(days=58), specialist_id=w["es"].id)
        record_employer_contact(s, w["es"], parse(NewEmployerContact, {
            "employer": "Boots Newhaven", "contacted_on": TODAY - timedelta(days=40),
            "face_to_face": True, "client_id": c.id}))
        record_job_start(s, w["es"], parse(NewJobStart, {
            "client_id": c.id, "employer": "Tesco", "job_title": "Cashier",
            "job_type": "sales_customer_service", "hours_per_week": "12.5",
            "hourly_wage": "12.71", "started_on": TODAY - timedelta(days=30)}))
        late = refer(s, w["cc"], team, "PH-2", received_on=TODAY - timedelta(days=50))
        clients.accept(s, w["leader"], late, on=TODAY - timedelta(days=45),
                       specialist_id=w["es"].id)
        w["client"], w["late"] = c, late
    return w


def _card(url: str, user_id: str, reference: str) -> dict:
    body = slash(url, user_id, f"client {reference}").json()
    assert body["response_type"] == "ephemeral"
    check_blocks(body["blocks"], limit=50)  # as Slack would check them
    return body


def _buttons(body: dict) -> list[str]:
    return [e["action_id"] for b in body["blocks"] if b["type"] == "actions"
            for e in b["elements"]]


def _audit(db: Database, action: str) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == action))


def _client(db: Database, client_id: int) -> Client:
    with db.reading() as s:
        return s.get(Client, client_id)


def test_the_card_shows_status_people_dates_jobs_and_a_timeline(db, w, slack) -> None:
    url, _fake = slack
    body = _card(url, w["es"].slack_user_id, "ph-1")
    assert body["text"] == "PH-1: in work."
    text = json.dumps(body["blocks"], ensure_ascii=False)
    for expected in ("Client PH-1", "*Status*\\nIn work", "*Specialist*\\nTom",
                     "*Care coordinator*\\nDan",
                     f"*Referred*\\n{TODAY - timedelta(days=60):%-d %b %Y}",
                     f"{TODAY - timedelta(days=40):%-d %b %Y} (40 days ago)",
                     "Cashier at Tesco", "12.5 h/week at £12.71/hour (competitive)",
                     "Employer contact with Boots Newhaven (face to face), by Tom",
                     "Accepted onto the caseload by Priya", "Referred by Dan",
                     "Started work: Cashier at Tesco"):
        assert expected in text, expected
    assert _buttons(body) == ["client_log_contact", "client_in_work_support",
                              "client_hold", "client_discharge"]
    assert "PH-2" not in text  # one client per card


def test_the_card_flags_a_client_overdue_for_employer_contact(db, w, slack) -> None:
    url, _fake = slack
    body = _card(url, w["leader"].slack_user_id, "PH-2")
    text = json.dumps(body["blocks"])
    assert "none yet" in text and ":warning: 45 days without one: overdue" in text
    assert "No job starts yet." in text


def test_a_care_coordinator_sees_their_referral_without_the_contact_button(db, w, slack) -> None:
    url, _fake = slack
    body = _card(url, w["cc"].slack_user_id, "PH-1")
    assert _buttons(body) == ["client_hold", "client_discharge"]


def test_who_may_not_see_the_client_is_refused_privately(db, w, slack) -> None:
    url, fake = slack
    assert slash(url, w["es2"].slack_user_id, "client PH-1").json() == {
        "response_type": "ephemeral",
        "text": "You can only see clients on your caseload; PH-1 is not on it."}
    assert slash(url, w["advisor"].slack_user_id, "client PH-1").json()["text"] == (
        "Benefits advisors cannot see client records (PH-1).")
    assert slash(url, w["es2"].slack_user_id, "hold PH-1").json()["text"].endswith("not on it.")
    assert slash(url, w["es2"].slack_user_id, "discharge PH-1").json()["text"].endswith(
        "not on it.")
    assert fake.successful("views.open") == []


def test_a_missing_or_unknown_reference_is_answered_privately(db, w, slack) -> None:
    url, _fake = slack
    es = w["es"].slack_user_id
    assert slash(url, es, "client").json()["text"] == (
        "Which client? Use `/ips client REF` with their local reference.")
    assert slash(url, es, "discharge").json()["text"].startswith("Which client?")
    assert slash(url, es, "hold PH-404").json()["text"] == "No client PH-404 in your team."


def test_an_nhs_number_is_refused_and_never_echoed(db, w, slack) -> None:
    url, _fake = slack
    body = slash(url, w["es"].slack_user_id, "client 943 476 5919").json()
    assert body["response_type"] == "ephemeral"
    assert "looks like an NHS number" in body["text"]
    assert "943" not in body["text"]


def test_hold_by_reference_opens_the_hold_modal_and_holds_once(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    assert slash(url, es, "hold ph-1").text == ""
    view = opened_view(fake)
    assert view["callback_id"] == "nudge_hold_modal" and "PH-1" in json.dumps(view)
    until = (TODAY + timedelta(days=14)).isoformat()
    values = {"reason": {"value": {"type": "plain_text_input", "value": "In hospital"}},
              "until": {"value": {"type": "datepicker", "selected_date": until}}}
    for _ in range(3):
        assert submit(url, es, view, values).text == ""
    held = _client(db, w["client"].id)
    assert (held.status, held.hold_reason) == (ClientStatus.ON_HOLD, "In hospital")
    assert _audit(db, "hold") == 1
    eventually(fake, "chat.postMessage")
    time.sleep(0.2)
    [done] = fake.messages_to(es)
    assert done.args["text"].startswith("PH-1 is on hold until ")
    # The card now says so, and offers taking them off hold instead of a second hold.
    body = _card(url, es, "PH-1")
    assert "On hold until" in json.dumps(body["blocks"])
    assert "Put on hold until" in json.dumps(body["blocks"])
    assert _buttons(body) == ["client_log_contact", "client_in_work_support",
                              "client_resume", "client_discharge"]


def test_take_off_hold_returns_the_client_to_where_they_were_once(db, w, slack) -> None:
    url, fake = slack
    with db.transaction() as s:
        held = clients.put_on_hold(s, s.merge(w["es"]), s.get(Client, w["client"].id),
                                   parse(clients.Hold, {"reason": "In hospital"}))
        before = held.status_before_hold
    assert before == ClientStatus.IN_WORK
    es = w["es"].slack_user_id
    # Someone whose client it is not is refused, and nothing changes.
    press(url, w["es2"].slack_user_id, "client_resume", w["client"].id)
    [refusal] = eventually(fake, "chat.postEphemeral")
    assert refusal.args["text"] == "You can only see clients on your caseload; PH-1 is not on it."
    assert _client(db, w["client"].id).status == ClientStatus.ON_HOLD
    press(url, es, "client_resume", w["client"].id)
    press(url, es, "client_resume", w["client"].id)  # a double click
    # Bolt works after acknowledging, so the two clicks' answers can arrive in either order;
    # what matters is that exactly one of them takes the client off hold.
    _, *answers = eventually(fake, "chat.postEphemeral", 3)
    assert sorted(a.args["text"] for a in answers) == [
        "PH-1 is not on hold.",
        "PH-1 is off hold: in work again, and four-week nudges start again."]
    back = _client(db, w["client"].id)
    assert (back.status, back.hold_reason, back.status_before_hold) == (
        ClientStatus.IN_WORK, None, None)
    assert _audit(db, "resume") == 1
    body = _card(url, es, "PH-1")
    assert _buttons(body) == ["client_log_contact", "client_in_work_support",
                              "client_hold", "client_discharge"]
    assert "Taken off hold by Tom" in json.dumps(body["blocks"])


def test_discharge_by_reference_refuses_a_future_date_then_discharges_once(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    slash(url, es, "discharge PH-2")
    view = opened_view(fake)
    assert view["callback_id"] == "discharge_modal"
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    values = {"reason": {"value": {"type": "plain_text_input", "value": "Moved out of area"}},
              "on": {"value": {"type": "datepicker", "selected_date": tomorrow}}}
    answer = submit(url, es, view, values)
    assert answer.json() == {"response_action": "errors", "errors": {
        "on": f"{tomorrow} is in the future; record things once they happen"}}
    assert _client(db, w["late"].id).status == ClientStatus.ACCEPTED
    values["on"]["value"]["selected_date"] = TODAY.isoformat()
    for _ in range(2):
        assert submit(url, es, view, values).text == ""
    gone = _client(db, w["late"].id)
    assert (gone.status, gone.discharged_on, gone.discharge_reason) == (
        ClientStatus.DISCHARGED, TODAY, "Moved out of area")
    assert _audit(db, "discharge") == 1
    [done] = eventually(fake, "chat.postMessage")
    assert done.args["text"] == (f"PH-2 is discharged from IPS as of {TODAY:%-d %B %Y}. "
                                 "To work with them again, refer them with /ips refer.")
    body = _card(url, es, "PH-2")
    assert _buttons(body) == []
    assert "Discharged by Tom: Moved out of area" in json.dumps(body["blocks"])


def test_a_short_discharge_reason_is_shown_beside_it(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    slash(url, es, "discharge PH-2")
    answer = submit(url, es, opened_view(fake), {
        "reason": {"value": {"type": "plain_text_input", "value": "no"}},
        "on": {"value": {"type": "datepicker", "selected_date": TODAY.isoformat()}}})
    assert list(answer.json()["errors"]) == ["reason"]
    assert _client(db, w["late"].id).status == ClientStatus.ACCEPTED


@pytest.mark.parametrize("action, callback", [("client_log_contact", "log_contact_modal"),
                                              ("client_hold", "nudge_hold_modal"),
                                              ("client_discharge", "discharge_modal")])
def test_the_card_buttons_open_the_same_modals(db, w, slack, action, callback) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    [button] = [e for b in _card(url, es, "PH-1")["blocks"] if b["type"] == "actions"
                for e in b["elements"] if e["action_id"] == action]
    press(url, es, action, int(button["value"]))
    view = opened_view(fake)
    assert view["callback_id"] == callback
    assert view["private_metadata"] == str(w["client"].id) and "PH-1" in json.dumps(view)


def test_a_card_button_for_someone_elses_client_is_refused_privately(db, w, slack) -> None:
    url, fake = slack
    press(url, w["es2"].slack_user_id, "client_discharge", w["client"].id)
    [refusal] = eventually(fake, "chat.postEphemeral")
    assert "not on it" in refusal.args["text"]
    assert fake.successful("views.open") == []


def test_help_lists_the_new_commands_for_the_roles_that_may_use_them(db, w, slack) -> None:
    url, _fake = slack
    coordinator = json.dumps(slash(url, w["cc"].slack_user_id, "help").json()["blocks"])
    for command in ("/ips client REF", "/ips hold REF", "/ips discharge REF"):
        assert command in coordinator
    assert "/ips job" not in coordinator
    specialist = json.dumps(slash(url, w["es"].slack_user_id, "help").json()["blocks"])
    for command in ("/ips job`", "/ips job end", "/ips client REF", "/ips hold REF",
                    "/ips discharge REF"):
        assert command in specialist
    advisor = json.dumps(slash(url, w["advisor"].slack_user_id, "help").json()["blocks"])
    assert "/ips client" not in advisor and "/ips job" not in advisor
