"""Saving from the result page by reference, the one-time links from Slack, and the overview by
role, through the whole web process with its sign-in."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from caseload.calculations import list_calculations
from caseload.calculator_links import issue_link
from caseload.db import Database
from caseload.models import AuditLog, BetterOffOutcome, CalculatorLink, Role, utcnow
from caseload.staff import set_active, staff_by_slack_id
from tests.calculator.web.test_pages import FORM
from tests.factories import make_staff, make_team, refer
from tests.ips.web_helpers import csrf_token, signed_in


@pytest.fixture
def w(db: Database) -> dict[str, str]:
    """Two teams, each with a client; an advisor, a specialist, a team leader and a
    coordinator in the first, a trainer and an admin over both."""
    with db.transaction() as s:
        north, south = make_team(s, "North"), make_team(s, "South")
        cc = make_staff(s, Role.CARE_COORDINATOR, north)
        cc_south = make_staff(s, Role.CARE_COORDINATOR, south)
        refer(s, cc, north, "R-2001")
        refer(s, cc_south, south, "S-3001")
        people = {
            "advisor": make_staff(s, Role.BENEFITS_ADVISOR, north),
            "specialist": make_staff(s, Role.EMPLOYMENT_SPECIALIST, north),
            "leader": make_staff(s, Role.TEAM_LEADER, north),
            "coordinator": cc,
            "trainer": make_staff(s, Role.REGIONAL_TRAINER, None),
            "admin": make_staff(s, Role.ADMIN, None),
        }
        return {name: person.slack_user_id for name, person in people.items()}


def _result(client: FlaskClient) -> str:
    form_page = client.get("/calculator/").get_data(as_text=True)
    response = client.post("/calculator/result", data={**FORM, "csrf_token": csrf_token(form_page)})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _save_form(page: str) -> dict[str, str]:
    form = page[page.index('action="/calculator/save"') :]
    form = form[: form.index("</form>")]
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    }


def test_an_advisor_saves_against_a_client_of_their_team_by_reference(db: Database, w) -> None:
    client = signed_in(db, w["advisor"])
    answers = _save_form(_result(client))
    assert "csrf_token" in answers and "as" not in answers
    saved = client.post("/calculator/save", data={**answers, "client_reference": "r-2001"})
    assert 'id="saved"' in saved.get_data(as_text=True) and "R-2001" in saved.get_data(as_text=True)
    with db.reading() as s:
        rows = list_calculations(s, staff_by_slack_id(s, w["advisor"]))
        assert len(rows) == 1 and rows[0].outcome is BetterOffOutcome.BETTER_OFF
        assert rows[0].household == FORM
        audited = (
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "better_off_calculation")
        )
        assert s.scalar(audited) == 1


def test_a_reference_in_another_team_gets_the_same_answer_as_one_that_does_not_exist(db: Database, w) -> None:
    client = signed_in(db, w["advisor"])
    answers = _save_form(_result(client))
    elsewhere = client.post("/calculator/save", data={**answers, "client_reference": "S-3001"})
    nowhere = client.post("/calculator/save", data={**answers, "client_reference": "Z-9999"})
    assert elsewhere.status_code == nowhere.status_code == 200

    def refusal(response) -> str:
        found = re.search(r'id="client_reference-error">(.*?)</p>', response.get_data(as_text=True))
        return re.sub(r"<[^>]+>", "", found.group(1)).removeprefix("Error:").strip()

    assert refusal(elsewhere) == "There is no client S-3001 in your team"
    assert refusal(nowhere) == "There is no client Z-9999 in your team"
    with db.reading() as s:
        assert (
            s.scalar(
                select(func.count()).select_from(AuditLog).where(AuditLog.action == "better_off_calculation")
            )
            == 0
        )


def test_roles_that_do_not_save_get_no_save_form_and_are_refused(db: Database, w) -> None:
    client = signed_in(db, w["coordinator"])
    page = _result(client)
    assert "Save against a client" not in page
    hidden = html.unescape(re.search(r'name="request" value="([^"]*)"', page).group(1))
    token = csrf_token(page)
    refused = client.post(
        "/calculator/save", data={"request": hidden, "client_reference": "R-2001", "csrf_token": token}
    )
    assert refused.status_code == 403


def test_a_specialist_saves_too(db: Database, w) -> None:
    client = signed_in(db, w["specialist"])
    answers = _save_form(_result(client))
    # R-2001 is the team's but not on this specialist's caseload: the record's rule says so.
    refused = client.post("/calculator/save", data={**answers, "client_reference": "R-2001"})
    assert "not on it" in html.unescape(refused.get_data(as_text=True))


def _link(db: Database, slack_user_id: str) -> str:
    with db.transaction() as s:
        return issue_link(s, slack_user_id, dict(FORM))


def test_a_link_from_slack_asks_to_confirm_then_opens_once(db: Database, w) -> None:
    link_id = _link(db, w["advisor"])
    client = signed_in(db, w["advisor"])
    confirm = client.get(f"/calculator/link/{link_id}")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Open your calculation from Slack?" in page
    assert "Better off" not in page  # nothing is used or shown until they confirm
    opened = client.post(f"/calculator/link/{link_id}", data={"csrf_token": csrf_token(page)})
    assert opened.status_code == 200 and "Save against a client" in opened.get_data(as_text=True)
    again = client.post(f"/calculator/link/{link_id}", data={"csrf_token": csrf_token(page)})
    assert again.status_code == 410
    assert "already used" in again.get_data(as_text=True) and "changes nothing" in again.get_data(
        as_text=True
    )
    assert client.get(f"/calculator/link/{link_id}").status_code == 410


def test_a_link_is_only_for_the_person_it_was_made_for(db: Database, w) -> None:
    link_id = _link(db, w["advisor"])
    other = signed_in(db, w["specialist"])
    page = other.get(f"/calculator/link/{link_id}")
    made_up = other.get("/calculator/link/not-a-real-link")
    # The same answer whether the link exists or not: a stranger learns nothing from it.
    assert page.status_code == made_up.status_code == 404
    def without_token(response) -> str:
        return re.sub(r'name="csrf_token" value="[^"]+"', "", response.get_data(as_text=True))

    assert without_token(page) == without_token(made_up)
    used = other.post(
        f"/calculator/link/{link_id}",
        data={"csrf_token": csrf_token(other.get("/calculator/").get_data(as_text=True))},
    )
    assert used.status_code == 404
    with db.reading() as s:
        assert s.scalar(select(CalculatorLink.used_at)) is None  # still the owner's to use


def test_a_link_expires_in_minutes(db: Database, w) -> None:
    link_id = _link(db, w["advisor"])
    with db.transaction() as s:
        s.execute(update(CalculatorLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    client = signed_in(db, w["advisor"])
    expired = client.get(f"/calculator/link/{link_id}")
    assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)


def test_a_link_needs_sign_in_first_and_comes_back_to_it(db: Database, w) -> None:
    from tests.ips.web_helpers import demo_sign_in, web_app

    link_id = _link(db, w["advisor"])
    client = web_app(db).test_client()
    to_sign_in = client.get(f"/calculator/link/{link_id}")
    assert to_sign_in.status_code == 302 and to_sign_in.headers["Location"].startswith("/signin?next=")
    signed = demo_sign_in(client, w["advisor"], to_sign_in.headers["Location"])
    assert signed.headers["Location"] == f"/calculator/link/{link_id}"


def test_the_link_holds_no_answers_and_no_user(db: Database, w) -> None:
    link_id = _link(db, w["advisor"])
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", link_id)
    with db.reading() as s:
        row = s.scalars(select(CalculatorLink)).one()
        assert row.digest != link_id and link_id not in row.digest


@pytest.mark.parametrize(
    "role, sees",
    [
        ("leader", {"North"}),
        ("trainer", {"North", "South"}),
        ("admin", {"North", "South"}),
        ("advisor", set()),
        ("specialist", set()),
        ("coordinator", set()),
    ],
)
def test_the_overview_shows_each_role_what_it_may_see(db: Database, w, role: str, sees: set[str]) -> None:
    page = signed_in(db, w[role]).get("/").get_data(as_text=True)
    shown = set(re.findall(r'role="rowheader">(?:<span[^>]*>[^<]*</span>)?<span>([^<]+)</span></th>', page))
    assert shown == sees
    if not sees:
        assert 'id="no-figures"' in page


def test_someone_switched_off_is_signed_out_at_their_next_request(db: Database, w) -> None:
    client = signed_in(db, w["leader"])
    assert client.get("/").status_code == 200
    with db.transaction() as s:
        set_active(s, staff_by_slack_id(s, w["leader"]), False, actor=None)
    assert client.get("/").status_code == 302
    assert client.get("/calculator/").status_code == 302
