"""`/ips contact`: log an employer contact for a client by reference, or general job development."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload import clients, clock
from caseload.db import Database
from caseload.models import EmployerContact, Role
from tests.bot.driver import eventually, opened_view, slash, submit
from tests.factories import make_staff, make_team, refer


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Seaford")
        w = {"leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)}
        c = refer(s, w["cc"], team, "SF-1", received_on=clock.today() - timedelta(days=10))
        clients.accept(s, w["leader"], c, on=clock.today() - timedelta(days=9),
                       specialist_id=w["es"].id)
    return w


def _values(reference: str, employer: str = "Waitrose") -> dict:
    return {"reference": {"value": {"type": "plain_text_input", "value": reference}},
            "employer": {"value": {"type": "plain_text_input", "value": employer}},
            "contacted_on": {"value": {"type": "datepicker",
                                       "selected_date": clock.today().isoformat()}},
            "face_to_face": {"value": {"type": "radio_buttons",
                                       "selected_option": {"value": "yes"}}}}


def _contacts(db: Database) -> list[tuple[int | None, str]]:
    with db.reading() as s:
        return [(c.client_id, c.employer) for c in s.scalars(select(EmployerContact))]


def test_contact_for_a_client_by_reference(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"].slack_user_id, "contact")
    view = opened_view(fake)
    assert view["callback_id"] == "log_any_contact_modal"
    assert submit(url, w["es"].slack_user_id, view, _values("sf-1")).text == ""
    [(client_id, employer)] = _contacts(db)
    assert client_id is not None and employer == "Waitrose"
    [done] = eventually(fake, "chat.postMessage")
    assert "SF-1" in done.args["text"]


def test_general_job_development_without_a_reference(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"].slack_user_id, "contact")
    submit(url, w["es"].slack_user_id, opened_view(fake), _values("", "Amex"))
    assert _contacts(db) == [(None, "Amex")]


def test_an_unknown_reference_is_shown_beside_it(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"].slack_user_id, "contact")
    answer = submit(url, w["es"].slack_user_id, opened_view(fake), _values("SF-404"))
    assert answer.json() == {"response_action": "errors",
                             "errors": {"reference": "No client SF-404 in your team."}}
    assert _contacts(db) == []


def test_slack_saying_slow_down_is_waited_out_and_the_modal_still_opens(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"].slack_user_id, "help")  # Bolt's first request checks the token once
    fake.fail_next(1, status=429, retry_after=1)
    assert slash(url, w["es"].slack_user_id, "contact").status_code == 200
    view = opened_view(fake)
    assert view["callback_id"] == "log_any_contact_modal"
    refused, opened = [c for c in fake.calls if c.method == "views.open"]
    assert refused.error == "http_429" and opened.ok
    assert opened.at - refused.at >= 0.9  # Retry-After: 1 was honoured


def test_a_care_coordinator_is_told_up_front_and_no_form_opens(db, w, slack) -> None:
    url, fake = slack
    answer = slash(url, w["cc"].slack_user_id, "contact")
    assert answer.json()["response_type"] == "ephemeral"
    assert "log employer contacts" in answer.json()["text"]
    assert fake.successful("views.open") == []
