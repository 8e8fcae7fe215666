"""A day in the life of one team, driven only through the bot's HTTP endpoint as Slack would.

Nothing is set up behind the bot's back beyond the team and its people: the care coordinator
refers, the team leader assigns and accepts, the specialist logs two employer contacts (the
command and the message shortcut) and a job start, and every person's App Home and the
client card then show what happened. The audit trail names who did each step.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from caseload import clock
from caseload.audit import history
from caseload.db import Database
from caseload.models import Client, ClientStatus, EmployerContact, Job, Role
from tests.bot.driver import (
    MESSAGE_TEXT,
    event,
    eventually,
    interaction,
    message_shortcut,
    opened_view,
    press,
    slash,
    submit,
)
from tests.factories import make_staff, make_team
from tests.fakes.slack_api import FakeSlack, check_blocks

TODAY = clock.today().isoformat()


@pytest.fixture
def team(db: Database) -> dict:
    with db.transaction() as s:
        team = make_team(s, "Hastings", job_start_target_per_month=2)
        return {"team": team,
                "leader": make_staff(s, Role.TEAM_LEADER, team, name="Priya"),
                "cc": make_staff(s, Role.CARE_COORDINATOR, team, name="Dan"),
                "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Tom"),
                "trainer": make_staff(s, Role.REGIONAL_TRAINER, None, name="Sam")}


def _home(url: str, fake: FakeSlack, user_id: str) -> str:
    """Open App Home as `user_id`; the text of the Home published for them."""
    before = len(fake.successful("views.publish"))
    assert event(url, {"type": "app_home_opened", "user": user_id, "channel": "D0001",
                       "tab": "home", "event_ts": "1.2"}).status_code == 200
    published = eventually(fake, "views.publish", before + 1)[-1]
    assert published.args["user_id"] == user_id
    check_blocks(published.args["view"]["blocks"], limit=100)
    return json.dumps(published.args["view"]["blocks"])


def _text(value: str) -> dict:
    return {"value": {"type": "plain_text_input", "value": value}}


def _option(kind: str, value: str) -> dict:
    return {"value": {"type": kind, "selected_option": {"value": value}}}


def _contact(reference: str, employer: str) -> dict:
    return {"reference": _text(reference), "employer": _text(employer),
            "contacted_on": {"value": {"type": "datepicker", "selected_date": TODAY}},
            "face_to_face": _option("radio_buttons", "yes")}


def _said_to(fake: FakeSlack, user_id: str) -> list[str]:
    return [call.args["text"] for call in fake.messages_to(user_id)]


def test_refer_accept_contacts_job_start_and_every_home_shows_it(db, team, slack) -> None:
    url, fake = slack
    leader, cc, es = (team[k].slack_user_id for k in ("leader", "cc", "es"))

    # Morning: nobody has anyone yet, and each Home says what to do about it.
    assert "nobody yet" in _home(url, fake, cc)
    assert "nobody yet" in _home(url, fake, es)

    # Dan, a care coordinator, refers someone who would like work.
    assert slash(url, cc, "refer").status_code == 200
    refer_modal = opened_view(fake)
    values = {"reference": _text("hs-0101"),
              "team": _option("static_select", str(team["team"].id)),
              "care_coordinator": {"value": {"type": "users_select", "selected_user": cc}},
              "specialist": {"value": {"type": "users_select", "selected_user": None}},
              "work_preferences": _text("Outdoor work, mornings"),
              "consent": {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}}}
    assert submit(url, cc, refer_modal, values, view_id="V_REFER").text == ""
    with db.reading() as s:
        client_id = s.scalars(select(Client.id).where(Client.reference == "HS-0101")).one()
    eventually(fake, "chat.postMessage", 2)
    assert any("HS-0101" in text and "Dan" in text for text in _said_to(fake, leader))
    assert "Waiting to be accepted" in _home(url, fake, cc)

    # Priya, the team leader, assigns Tom from the referral message, then accepts.
    interaction(url, {
        "type": "block_actions", "user": {"id": leader}, "team": {"id": "T0001"},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": "1.2.assign",
        "channel": {"id": "D0001"}, "container": {"type": "message"},
        "message": {"ts": "1.2", "text": "referral"},
        "actions": [{"action_id": "assign_referral", "block_id": f"referral_{client_id}",
                     "type": "users_select", "selected_user": es, "action_ts": "1.3"}]})
    # Priya is told, and so is Tom, who now has a new client.
    eventually(fake, "chat.postMessage", 4)
    assert "HS-0101 has been assigned to you by Priya." in _said_to(fake, es)
    press(url, leader, "accept_referral", client_id)
    eventually(fake, "chat.postMessage", 6)
    assert "Your referral HS-0101 has been accepted." in _said_to(fake, cc)

    # Tom now has HS-0101 on his caseload, with the buttons he works it with.
    tom_home = _home(url, fake, es)
    assert "*HS-0101*" in tom_home and "Log contact" in tom_home

    # Tom logs a face-to-face contact with /ips contact, and another from a message's menu.
    slash(url, es, "contact")
    assert submit(url, es, opened_view(fake), _contact("HS-0101", "Hastings Garden Centre"),
                  view_id="V_CONTACT1").text == ""
    message_shortcut(url, es)
    shortcut_modal = eventually(fake, "views.open", 3)[-1].args["view"]
    assert submit(url, es, shortcut_modal, _contact("HS-0101", "Sainsbury's Hastings"),
                  view_id="V_CONTACT2").text == ""

    # Contacting employers for HS-0101 means the job search is under way.
    assert "*Looking for work* (1)" in _home(url, fake, es)

    # After lunch the garden centre offers a job: Tom records the start.
    slash(url, es, "job")
    job_modal = eventually(fake, "views.open", 4)[-1].args["view"]
    assert job_modal["callback_id"] == "job_start_modal"
    job = {"client": _option("static_select", str(client_id)),
           "employer": _text("Hastings Garden Centre"), "job_title": _text("Garden assistant"),
           "job_type": _option("static_select", "elementary"),
           "started_on": {"value": {"type": "datepicker", "selected_date": TODAY}},
           "hours_per_week": {"value": {"type": "number_input", "value": "16"}},
           "hourly_wage": {"value": {"type": "number_input", "value": "12.80"}},
           "age_band": _option("radio_buttons", "21_and_over"),
           "open_to_anyone": _option("radio_buttons", "yes")}
    for _ in range(2):  # Tom double-clicks: one job start
        assert submit(url, es, job_modal, job, view_id="V_JOB").text == ""
    eventually(fake, "chat.postMessage", 8)
    assert ("Job start recorded for HS-0101. It counts as a competitive employment outcome."
            in _said_to(fake, es))

    # What is stored: one client in work, two contacts, one competitive job, all audited.
    with db.reading() as s:
        client = s.get(Client, client_id)
        assert client.status == ClientStatus.IN_WORK
        assert client.last_face_to_face_contact_on.isoformat() == TODAY
        employers = sorted(s.scalars(select(EmployerContact.employer)))
        assert employers == ["Hastings Garden Centre", "Sainsbury's Hastings"]
        [stored_job] = s.scalars(select(Job)).all()
        assert stored_job.is_competitive
        actions = [(row.action, row.actor_id) for row in history(s, "clients", client_id)]
    dan, priya, tom = (team[k].id for k in ("cc", "leader", "es"))
    assert actions == [("refer", dan), ("assign", priya), ("accept", priya),
                       ("employer_contact", tom), ("in_work", tom)]
    assert client.job_search_started_on.isoformat() == TODAY

    # Evening: every Home shows the day.
    assert "*In work*" in _home(url, fake, es)
    dan_home = _home(url, fake, cc)
    assert "*HS-0101*" in dan_home and "*In work*" in dan_home
    priya_home = _home(url, fake, leader)
    assert "1 of 2 (1 to go)" in priya_home and "Tom 1" in priya_home
    assert "*Hastings*: 1 job starts (target 2)" in _home(url, fake, team["trainer"].slack_user_id)

    # The client card tells the story in order, and says nothing but the reference.
    card = slash(url, cc, "client HS-0101").json()
    check_blocks(card["blocks"], limit=50)
    story = json.dumps(card["blocks"])
    for step in ("Referred", "Accepted", "Hastings Garden Centre", "Garden assistant"):
        assert step in story
    assert story.index("Referred") < story.index("Garden assistant")

    # Nothing the bot sent anywhere today carried what the shared message held.
    sent = json.dumps([call.args for call in fake.calls])
    for fragment in ("Jane", "943 476 5919", MESSAGE_TEXT):
        assert fragment not in sent
