"""`/ips betteroff`: the modal, errors in place, the answer in a DM with the chart, saved once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bot.views.betteroff import MODAL_FIELDS
from calculator.engine import calculate
from calculator.household_form import parse_form
from calculator.settings import get_calculator_settings
from caseload import clients, clock
from caseload.calculations import inputs_digest, record_for_reference
from caseload.calculator_links import peek_link, use_link
from caseload.db import Database
from caseload.models import AuditLog, BetterOffCalculation, Role
from caseload.staff import staff_by_slack_id
from tests.bot.driver import eventually, opened_view, slash, submit
from tests.factories import make_staff, make_team, refer

ANSWERS = {"age": "34", "nation": "england", "capability": "lcwra_protected", "pip_daily_living": "none",
           "esa": "none", "couple": "no", "tenure": "social_rent", "rent_monthly": "450",
           "hours_per_week": "16", "hourly_wage": "12.71", "pay_frequency": "weekly"}
SELECTS = {"nation", "capability", "pip_daily_living", "esa", "couple", "married", "tenure", "pay_frequency"}
DATES = {"date_of_birth", "partner_date_of_birth"}


def values(answers: dict[str, str], reference: str = "") -> dict:
    """The modal's state as Slack sends it: number inputs, selects and a text box."""
    state: dict = {"client_reference": {"value": {"type": "plain_text_input", "value": reference or None}}}
    for block, answer in answers.items():
        if block in SELECTS:
            state[block] = {"value": {"type": "static_select", "selected_option": {"value": answer}}}
        elif block in DATES:
            state[block] = {"value": {"type": "datepicker", "selected_date": answer or None}}
        else:
            kind = "plain_text_input" if block == "children_ages" else "number_input"
            state[block] = {"value": {"type": kind, "value": answer or None}}
    return state


@pytest.fixture
def w(db: Database) -> dict:
    with db.transaction() as s:
        team = make_team(s, "Seaford")
        people = {"cc": make_staff(s, Role.CARE_COORDINATOR, team),
                  "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
                  "advisor": make_staff(s, Role.BENEFITS_ADVISOR, team),
                  "leader": make_staff(s, Role.TEAM_LEADER, team)}
        client = refer(s, people["cc"], team, "SF-7", received_on=clock.today() - timedelta(days=3))
        clients.accept(s, people["leader"], client, on=clock.today() - timedelta(days=2),
                       specialist_id=people["es"].id)
        return {k: v.slack_user_id for k, v in people.items()}


@pytest.fixture
def linked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CALCULATOR_PUBLIC_URL", "https://ips.example.nhs.uk/calculator")
    get_calculator_settings.cache_clear()
    yield
    get_calculator_settings.cache_clear()


def _link_id(url: str) -> str:
    prefix = "https://ips.example.nhs.uk/calculator/link/"
    assert url.startswith(prefix)
    return url[len(prefix):]


def _saved(db: Database) -> list[BetterOffCalculation]:
    with db.reading() as s:
        return list(s.scalars(select(BetterOffCalculation)))


def test_answer_in_a_dm_with_the_chart_saved_against_the_client(db, w, slack, linked) -> None:
    url, fake = slack
    slash(url, w["es"], "betteroff sf-7")
    view = opened_view(fake)
    assert view["callback_id"] == "better_off_modal"
    reference_block = next(b for b in view["blocks"] if b.get("block_id") == "client_reference")
    assert reference_block["element"]["initial_value"] == "sf-7"

    answer = submit(url, w["es"], view, values(ANSWERS, "sf-7"), view_id="VBO1")
    assert answer.status_code == 200 and answer.text == ""
    posted = eventually(fake, "chat.postMessage")
    assert len(posted) == 1, [m.args.get("text") for m in posted]
    message = posted[0]
    expected = calculate(parse_form(ANSWERS, clock.today()))
    headline = f"About £{expected.better_off.monthly:,.2f} a month better off for SF-7"
    assert message.args["text"].startswith(headline)
    assert message.args["channel"].startswith("D")  # a DM, opened with conversations.open
    [upload] = eventually(fake, "files.completeUploadExternal")
    assert fake.uploads[upload.args["files"][0]["id"]].content.startswith(b"\x89PNG")
    [row] = _saved(db)
    assert row.client_id is not None and float(row.better_off_per_month) == expected.better_off.monthly
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(AuditLog)
                        .where(AuditLog.action == "better_off_calculation")) == 1

    # The button opens the advisor page on the same answers, for the same person, once: the URL
    # carries only an opaque id, the answers stay in the record.
    button = next(b for b in message.args["blocks"] if b["type"] == "actions")["elements"][0]
    link_id = _link_id(button["url"])
    assert "age" not in button["url"] and w["es"] not in button["url"]
    with db.transaction() as s:
        assert use_link(s, link_id, w["es"]) == ANSWERS


def _initial(view: dict) -> dict[str, str]:
    """What each input of a modal starts with."""
    out = {}
    for block in view["blocks"]:
        element = block.get("element", {})
        if element.get("initial_option"):
            out[block["block_id"]] = element["initial_option"]["value"]
        elif element.get("initial_value"):
            out[block["block_id"]] = element["initial_value"]
    return out


def test_the_next_calculation_for_a_client_starts_from_their_saved_household(db, w, slack) -> None:
    url, fake = slack
    household = {**ANSWERS, "couple": "yes", "married": "yes", "partner_age": "36", "children_ages": "4, 9",
                 "tenure": "private_rent", "rent_monthly": "780", "lha_monthly": "750"}
    slash(url, w["es"], "betteroff")
    submit(url, w["es"], opened_view(fake), values(household, "SF-7"), view_id="VFIRST")
    eventually(fake, "files.completeUploadExternal")
    [row] = _saved(db)
    assert row.household == household  # the answers, not the reference

    # The advisor, a week later, starts from them; someone in another team does not.
    slash(url, w["advisor"], "betteroff SF-7")
    again = eventually(fake, "views.open", 2)[-1].args["view"]
    assert _initial(again) == {**household, "client_reference": "SF-7"}
    intro = again["blocks"][0]["text"]["text"]
    assert intro.startswith(f"Filled in from SF-7's calculation of {clock.today():%-d %B %Y}")
    with db.transaction() as s:
        elsewhere = make_staff(s, Role.BENEFITS_ADVISOR, make_team(s, "Lewes"))
    slash(url, elsewhere.slack_user_id, "betteroff SF-7")
    fresh = eventually(fake, "views.open", 3)[-1].args["view"]
    assert "partner_age" not in _initial(fresh) and "Filled in" not in json.dumps(fresh)


def test_answers_from_the_advisor_page_ride_along_and_count(db, w, slack) -> None:
    url, fake = slack
    from_page = {**ANSWERS, "capital": "12000", "travel_weekly": "25"}
    with db.transaction() as s:
        advisor = staff_by_slack_id(s, w["advisor"])
        record_for_reference(s, advisor, "SF-7", "2026-27", {}, Decimal("1"), from_page)
    slash(url, w["es"], "betteroff SF-7")
    view = opened_view(fake)
    assert {b["block_id"] for b in view["blocks"] if "block_id" in b} == MODAL_FIELDS
    assert "capital" not in _initial(view)  # not a field here, so not shown...
    assert "Answers given on the advisor page are kept" in view["blocks"][0]["text"]["text"]
    submit(url, w["es"], view, values(ANSWERS, "SF-7"), view_id="VPAGE")
    [message] = eventually(fake, "chat.postMessage")
    # ...but counted: £25 a week of fares to work, as on the advisor page.
    expected = calculate(parse_form(from_page, clock.today()))
    assert expected.better_off.monthly != calculate(parse_form(ANSWERS, clock.today())) \
        .better_off.monthly
    assert message.args["text"].startswith(
        f"About £{expected.better_off.monthly:,.2f} a month better off for SF-7")
    with db.reading() as s:
        latest = s.scalars(select(BetterOffCalculation).order_by(BetterOffCalculation.id.desc()))
        assert latest.first().household == from_page


def test_a_retried_submission_answers_and_saves_once(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["advisor"], "betteroff")
    view = opened_view(fake)
    for _ in range(3):
        submit(url, w["advisor"], view, values(ANSWERS, "SF-7"), view_id="VSAME")
    eventually(fake, "files.completeUploadExternal")
    assert len(fake.successful("chat.postMessage")) == 1
    assert len(_saved(db)) == 1


def test_bad_answers_are_shown_beside_their_fields_and_nothing_is_sent(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"], "betteroff")
    view = opened_view(fake)
    bad = {**ANSWERS, "age": "", "hours_per_week": "120", "tenure": "private_rent", "couple": "yes"}
    answer = submit(url, w["es"], view, values(bad))
    # Every problem at once, on the first submit: what could not be read and what the rules refuse.
    assert answer.json() == {"response_action": "errors", "errors": {
        "age": "Enter the person's age",
        "partner_age": "Enter the partner's age, or choose No for a partner",
        "lha_monthly": "Private renters need the Local Housing Allowance rate",
        "hours_per_week": "Hours a week must be 100 or less",
    }}
    fixed = {**bad, "age": "40", "partner_age": "41"}
    again = submit(url, w["es"], view, values(fixed)).json()
    assert again["errors"] == {"hours_per_week": "Hours a week must be 100 or less",
                               "lha_monthly": "Private renters need the Local Housing Allowance rate"}
    assert fake.successful("chat.postMessage") == [] and _saved(db) == []


def test_northern_ireland_is_refused_beside_where_they_live(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"], "betteroff")
    view = opened_view(fake)
    nation = next(b for b in view["blocks"] if b.get("block_id") == "nation")
    assert "northern_ireland" in [o["value"] for o in nation["element"]["options"]]
    answer = submit(url, w["es"], view, values({**ANSWERS, "nation": "northern_ireland"})).json()
    assert list(answer["errors"]) == ["nation"]
    assert answer["errors"]["nation"].startswith("Northern Ireland is not covered: its own Universal Credit")
    assert answer["errors"]["nation"].endswith("Use an NI benefits check.")  # whole, not cut at 150
    assert fake.successful("chat.postMessage") == [] and _saved(db) == []


def test_a_date_of_birth_decides_state_pension_age_and_is_never_kept(db, w, slack, linked) -> None:
    url, fake = slack
    slash(url, w["es"], "betteroff")
    view = opened_view(fake)
    dob = next(b for b in view["blocks"] if b.get("block_id") == "date_of_birth")
    assert dob["optional"] and "initial_date" not in dob["element"] and "never saved" in dob["hint"]["text"]
    at_66 = {**ANSWERS, "age": "66"}
    refused = submit(url, w["es"], view, values(at_66)).json()
    assert refused["errors"]["date_of_birth"].startswith("Give the date of birth: at 66")
    # Born October 1960: State Pension age in May 2027, so still of working age and paid UC.
    born = {**at_66, "date_of_birth": "1960-10-10"}
    today = clock.today()
    expected_age = today.year - 1960 - ((today.month, today.day) < (10, 10))
    born["age"] = str(expected_age)
    submit(url, w["es"], view, values(born, "SF-7"), view_id="VDOB")
    [message] = eventually(fake, "chat.postMessage")
    eventually(fake, "files.completeUploadExternal")
    [row] = _saved(db)
    assert "date_of_birth" not in row.household and "1960-10-10" not in json.dumps(row.household)
    request = parse_form(born, clock.today())
    assert row.inputs_digest != inputs_digest(request.model_dump(mode="json"))
    assert row.inputs_digest == inputs_digest(request.inputs_to_record())
    button = next(b for b in message.args["blocks"] if b["type"] == "actions")["elements"][0]
    with db.reading() as s:
        answers = peek_link(s, _link_id(button["url"]), w["es"])
    assert "date_of_birth" not in answers
    assert "1960-10-10" not in json.dumps(message.args)


def test_a_married_couple_hears_about_marriage_allowance(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"], "betteroff")
    view = opened_view(fake)
    married = next(b for b in view["blocks"] if b.get("block_id") == "married")
    assert "income tax does not" in married["hint"]["text"]
    # The partner works full time on a basic-rate wage, kept from the advisor page; the
    # person's 30 hours take them over their tax-free allowance, so the transfer stops helping.
    answers = {**ANSWERS, "couple": "yes", "married": "yes", "partner_age": "40", "hours_per_week": "30"}
    view["private_metadata"] = json.dumps({"partner_hours": "37.5", "partner_wage": "15"})
    submit(url, w["es"], view, values(answers), view_id="VMARRIED")
    [message] = eventually(fake, "chat.postMessage")
    text = json.dumps(message.args)
    assert "Marriage Allowance saves about" in text and "nothing with the job" in text


def test_the_modal_asks_for_a_transitional_element_with_help(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"], "betteroff")
    view = opened_view(fake)
    one_off = next(b for b in view["blocks"] if b.get("block_id") == "one_off_payment")
    assert one_off["optional"] and "surplus earnings" in one_off["hint"]["text"]
    assert any(b.get("block_id") == "one_off_payment_date" for b in view["blocks"])
    block = next(b for b in view["blocks"] if b.get("block_id") == "transitional_element_monthly")
    assert block["optional"] and "ends for good if UC stops" in block["hint"]["text"]
    answers = {**ANSWERS, "capability": "none", "transitional_element_monthly": "75",
               "hours_per_week": "37.5", "hourly_wage": "16"}
    submit(url, w["es"], view, values(answers), view_id="VTP")
    [message] = eventually(fake, "chat.postMessage")
    assert "the £75.00 a month transitional element with it" in json.dumps(message.args, ensure_ascii=False)


def test_offers_compared_side_by_side_in_the_answer(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"], "betteroff")
    view = opened_view(fake)
    offer2 = next(b for b in view["blocks"] if b.get("block_id") == "offer2_hours")
    assert offer2["optional"] and "beside this one" in offer2["hint"]["text"]
    skipped = submit(url, w["es"], view, values({**ANSWERS, "offer3_hours": "20", "offer3_wage": "13"}))
    assert skipped.json()["errors"] == {"offer3_hours": "Fill in offer 2 first, then offer 3"}
    answers = {**ANSWERS, "esa": "support_group", "offer2_hours": "25", "offer2_wage": "13.5",
               "offer3_hours": "37.5", "offer3_wage": "15"}
    submit(url, w["es"], view, values(answers), view_id="VCOMPARE")
    [message] = eventually(fake, "chat.postMessage")
    text = json.dumps(message.args, ensure_ascii=False)
    assert "The offers side by side" in text
    assert "Offer 1" in text and "Offer 2" in text and "Offer 3" in text
    assert "New Style ESA stops at" in text and "an extra hour" in text


def test_a_budget_from_the_advisor_page_shows_what_is_left(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"], "betteroff")
    view = opened_view(fake)
    view["private_metadata"] = json.dumps({"budget_energy": "110", "budget_food": "300"})
    submit(url, w["es"], view, values(ANSWERS), view_id="VBUDGET")
    [message] = eventually(fake, "chat.postMessage")
    expected = calculate(parse_form({**ANSWERS, "budget_energy": "110", "budget_food": "300"}, clock.today()))
    text = json.dumps(message.args, ensure_ascii=False)
    assert f"£{expected.budget.left_now:,.2f} left a month now" in text


def test_care_coordinators_are_pointed_elsewhere(db, w, slack) -> None:
    url, fake = slack
    reply = slash(url, w["cc"], "betteroff")
    assert "for employment specialists, benefits advisors and team leaders" in reply.json()["text"]
    assert fake.successful("views.open") == []


def test_what_looks_like_an_nhs_number_is_neither_saved_nor_echoed(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"], "betteroff 9434765919")
    view = opened_view(fake)
    reference_block = next(b for b in view["blocks"] if b.get("block_id") == "client_reference")
    assert "initial_value" not in reference_block["element"]
    submit(url, w["es"], view, values(ANSWERS, "9434765919"), view_id="VNHS")
    messages = eventually(fake, "chat.postMessage", count=2)
    assert all("9434765919" not in str(m.args) for m in messages)
    assert any("Not saved" in m.args["text"] for m in messages)
    assert _saved(db) == []


def test_an_unknown_reference_still_gets_the_answer(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"], "betteroff")
    submit(url, w["es"], opened_view(fake), values(ANSWERS, "SF-404"), view_id="V404")
    messages = eventually(fake, "chat.postMessage", count=2)
    assert messages[0].args["text"].startswith("About £")
    assert messages[1].args["text"] == "Not saved: There is no client SF-404 in your team."
    assert _saved(db) == []


def test_help_lists_betteroff_for_advisors(db, w, slack) -> None:
    url, _ = slack
    assert "/ips betteroff" in slash(url, w["advisor"], "help").text
    assert "/ips betteroff" not in slash(url, w["cc"], "help").text


def test_today_is_used_for_the_tax_year() -> None:
    assert calculate(parse_form(ANSWERS, date(2026, 11, 22))).tax_year == "2026-27"


def test_answers_corrected_after_errors_get_their_answer(db, w, slack) -> None:
    # Slack keeps the modal open, under the same view id, until the answers pass.
    url, fake = slack
    slash(url, w["es"], "betteroff")
    view = opened_view(fake)
    refused = submit(url, w["es"], view, values({**ANSWERS, "age": ""}), view_id="VFIX").json()
    assert refused["errors"] == {"age": "Enter the person's age"}
    assert submit(url, w["es"], view, values(ANSWERS), view_id="VFIX").text == ""
    [message] = eventually(fake, "chat.postMessage")
    assert message.args["text"].startswith("About £")
