"""App Home a page at a time, with buttons on each client's row: as Slack drives it.

A specialist with 150 clients opens the Home, walks it with Next and Previous, and acts on
a row; every page is published through the fake Slack, which refuses a view over 100 blocks.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload import clients, clock
from caseload.db import Database
from caseload.models import EmployerContact, Role
from tests.bot.driver import event, eventually, interaction, opened_view, submit
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import FakeSlack

CLIENTS = 150
ACCEPTED = 100  # the rest stay referred; ten of the accepted are on hold
ON_HOLD = range(100, 110)


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Lewes")
        w = {"team": team, "leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
             "other_es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
             "trainer": make_staff(s, Role.REGIONAL_TRAINER, None),
             "ids": {}}
        for n in range(CLIENTS):
            c = refer(s, w["cc"], team, f"LW-{n:03d}", received_on=clock.today() - timedelta(days=60),
                      specialist_id=w["es"].id)
            if n < ACCEPTED + len(ON_HOLD):
                clients.accept(s, w["leader"], c, on=clock.today() - timedelta(days=45),
                               confirm_over=True)  # 150 on one caseload, on purpose
            if n in ON_HOLD:
                clients.put_on_hold(s, w["leader"], c, clients.Hold(reason="In hospital"))
            w["ids"][c.reference] = c.id
    return w


def open_home(url: str, fake: FakeSlack, user_id: str) -> dict:
    before = _publishes(fake)
    assert event(url, {"type": "app_home_opened", "user": user_id, "channel": "D0001",
                       "tab": "home", "event_ts": "1.2"}).status_code == 200
    return _published(fake, user_id, before + 1)


def _publishes(fake: FakeSlack) -> int:
    return len([c for c in fake.calls if c.method == "views.publish"])


def _published(fake: FakeSlack, user_id: str, count: int) -> dict:
    eventually(fake, "views.publish", count)
    calls = [c for c in fake.calls if c.method == "views.publish"]
    # The fake refuses a Home over 100 blocks (or any other limit): every page must pass.
    assert [c.error for c in calls if not c.ok] == []
    assert len(calls) == count
    assert calls[-1].args["user_id"] == user_id
    view = calls[-1].args["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    return view


def press_in_home(url: str, user_id: str, view: dict, block_id: str, action_id: str):  # type: ignore[no-untyped-def]
    """A button pressed in the Home tab: Slack's block_actions with a view container."""
    [action] = [e for b in view["blocks"] if b.get("block_id") == block_id
                for e in b["elements"] if e["action_id"] == action_id]
    return interaction(url, {
        "type": "block_actions", "user": {"id": user_id, "team_id": "T0001"},
        "team": {"id": "T0001", "domain": "nhs-ips"}, "api_app_id": "A0001",
        "token": "legacy", "trigger_id": "123.456.home",
        "container": {"type": "view", "view_id": "V0HOME"},
        "view": {**view, "id": "V0HOME", "hash": "1.home", "team_id": "T0001",
                 "app_id": "A0001", "bot_id": "B0001", "state": {"values": {}}},
        "actions": [{**action, "block_id": block_id, "action_ts": "1.3"}],
    })


def turn(url: str, fake: FakeSlack, user_id: str, view: dict, action_id: str) -> dict:
    count = _publishes(fake)
    assert press_in_home(url, user_id, view, "home_paging", action_id).status_code == 200
    return _published(fake, user_id, count + 1)


def text_of(view: dict) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def references(view: dict) -> list[str]:
    return re.findall(r"• \*(LW-\d{3})\*", text_of(view))


def paging(view: dict) -> list[str]:
    return [e["action_id"] for b in view["blocks"] if b.get("block_id") == "home_paging"
            for e in b["elements"]]


def row_buttons(view: dict) -> dict[str, list[str]]:
    """Each client row's buttons by the row's block id."""
    return {b["block_id"]: [e["action_id"] for e in b["elements"]] for b in view["blocks"]
            if b["type"] == "actions" and b["block_id"].startswith("home_client_")}


def test_150_clients_page_within_the_limit_and_the_buttons_walk_the_pages(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    pages = [open_home(url, fake, es)]
    assert paging(pages[0]) == ["home_page_next"]
    while "home_page_next" in paging(pages[-1]):
        pages.append(turn(url, fake, es, pages[-1], "home_page_next"))
        assert len(pages) < 10
    assert len(pages) == 4  # 40 clients a page
    assert paging(pages[-1]) == ["home_page_previous"]
    assert all(paging(p) == ["home_page_previous", "home_page_next"] for p in pages[1:-1])
    seen = [ref for page in pages for ref in references(page)]
    assert sorted(seen) == sorted(w["ids"]) and len(seen) == CLIENTS  # each once, none lost
    text = text_of(pages[1])
    assert "150 open, 100 overdue for an employer contact. Page 2 of 4: clients 41–80." in text
    # By status as /ips caseload lists them, referrals first; a status split over pages is
    # "continued" on the next.
    assert "*Waiting to be accepted* (40)" in text_of(pages[0])
    assert '"*Accepted* (100)"' in text  # starts on page 2, so not "continued" there
    assert ":warning: 45 days" in text
    assert "*Accepted* (100), continued" in text_of(pages[2])
    assert "*On hold* (10)" in text_of(pages[3])

    back = turn(url, fake, es, pages[-1], "home_page_previous")
    assert references(back) == references(pages[2])
    # The page is all the button carries: the first page is published again from the second.
    assert references(turn(url, fake, es, pages[1], "home_page_previous")) == references(pages[0])


def test_a_page_past_the_end_shows_the_last_page(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    first = open_home(url, fake, es)
    stale = json.loads(json.dumps(first).replace('"value": "2"', '"value": "9"'))
    last = turn(url, fake, es, stale, "home_page_next")
    assert "Page 4 of 4: clients 121–150" in text_of(last)


def test_row_buttons_open_the_right_modal_for_the_right_client(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    page = turn(url, fake, es, open_home(url, fake, es), "home_page_next")
    rows = row_buttons(page)
    assert len(rows) == 40
    reference = references(page)[7]
    client_id = w["ids"][reference]
    row = f"home_client_{client_id}"
    assert rows[row] == ["client_log_contact", "client_hold"]

    press_in_home(url, es, page, row, "client_log_contact")
    modal = opened_view(fake)
    assert modal["callback_id"] == "log_contact_modal"
    assert modal["private_metadata"] == str(client_id)
    assert f"*{reference}*" in text_of(modal)

    press_in_home(url, es, page, row, "client_hold")
    modal = eventually(fake, "views.open", 2)[-1].args["view"]
    assert (modal["callback_id"], modal["private_metadata"]) == ("nudge_hold_modal", str(client_id))
    assert f"*{reference}*" in text_of(modal)

    # The contact modal opened from the Home records the contact against that client.
    contact = eventually(fake, "views.open")[0].args["view"]
    assert submit(url, es, contact, {
        "employer": {"value": {"type": "plain_text_input", "value": "Harveys Brewery"}},
        "contacted_on": {"value": {"type": "datepicker", "selected_date": clock.today().isoformat()}},
        "face_to_face": {"value": {"type": "radio_buttons", "selected_option": {"value": "yes"}}},
    }).text == ""
    with db.reading() as s:
        assert [(c.client_id, c.employer) for c in s.scalars(select(EmployerContact))] == [
            (client_id, "Harveys Brewery")]


def test_clients_on_hold_have_no_hold_button(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    view = open_home(url, fake, es)
    rows = {}
    while True:
        rows |= row_buttons(view)
        if "home_page_next" not in paging(view):
            break
        view = turn(url, fake, es, view, "home_page_next")
    held = {f"home_client_{w['ids'][f'LW-{n:03d}']}" for n in ON_HOLD}
    assert all(rows[r] == ["client_log_contact"] for r in held)
    assert all(buttons == ["client_log_contact", "client_hold"]
               for r, buttons in rows.items() if r not in held)


def test_a_row_press_for_someone_elses_client_opens_nothing(db, w, slack) -> None:
    url, fake = slack
    view = open_home(url, fake, w["es"].slack_user_id)
    row = next(iter(row_buttons(view)))
    press_in_home(url, w["other_es"].slack_user_id, view, row, "client_hold")
    [refusal] = eventually(fake, "chat.postEphemeral")
    assert "not on it" in refusal.args["text"]
    assert fake.successful("views.open") == []


def test_a_care_coordinator_pages_their_referrals_without_row_buttons(db, w, slack) -> None:
    url, fake = slack
    cc = w["cc"].slack_user_id
    view = open_home(url, fake, cc)
    assert "Your referrals: 150 open" in text_of(view)
    seen = []
    while True:
        assert row_buttons(view) == {}
        assert "client_log_contact" not in text_of(view)
        seen += references(view)
        if "home_page_next" not in paging(view):
            break
        view = turn(url, fake, cc, view, "home_page_next")
    assert len(seen) == CLIENTS


def test_a_team_leader_keeps_the_month_on_every_page_with_row_buttons(db, w, slack) -> None:
    url, fake = slack
    leader = w["leader"].slack_user_id
    first = open_home(url, fake, leader)
    second = turn(url, fake, leader, first, "home_page_next")
    for view in (first, second):
        assert "*Next fidelity review:* not scheduled" in text_of(view)
        assert len(row_buttons(view)) == len(references(view)) > 0


def test_the_regional_view_has_no_caseload_buttons(db, w, slack) -> None:
    url, fake = slack
    view = open_home(url, fake, w["trainer"].slack_user_id)
    assert "*Lewes*" in text_of(view)
    assert not [b for b in view["blocks"] if b["type"] == "actions"]
