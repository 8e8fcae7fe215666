"""The advisor pages through the test client: form errors, escaping, summary, sources, saving."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient

from calculator.checks import covered
from calculator.engine import calculate, compare
from calculator.household_form import parse_comparison, parse_form

from .conftest import error_links, label_of, row, tag

FORM = {
    "age": "34",
    "nation": "england",
    "capability": "lcwra_protected",
    "tenure": "social_rent",
    "rent_monthly": "450",
    "hours_per_week": "16",
    "hourly_wage": "12.71",
    "pay_frequency": "monthly",
    "start_date": "2026-12-07",
    "couple": "no",
}


def test_the_form_asks_the_common_case_and_hides_the_rest(client: FlaskClient) -> None:
    page = client.get("/").data.decode()
    for field in ("age", "hours_per_week", "hourly_wage", "children_ages", "rent_monthly", "capability"):
        assert f'id="{field}"' in page
    assert "<details" in page and 'id="capital"' in page
    assert label_of(page, "age") == "Age"


def test_result_shows_headline_lines_chart_and_periods(client: FlaskClient) -> None:
    response = client.post("/result", data=FORM)
    assert response.status_code == 200
    page = response.data.decode()
    expected = calculate(parse_form(FORM, date.today()))
    assert f"About £{expected.better_off.monthly:,.2f} a month better off" in page
    assert 'id="line-universal_credit"' in page and 'id="line-earnings"' in page
    assert '<svg class="ips-chart" id="hours-chart"' in page and "<polyline" in page
    assert page.count("<tr") >= 12 + len(expected.lines)


def test_form_errors_come_with_a_summary_linking_to_each_field(client: FlaskClient) -> None:
    response = client.post(
        "/result", data={**FORM, "age": "", "hours_per_week": "lots", "children_ages": "2, x"}
    )
    assert response.status_code == 422
    page = response.data.decode()
    assert list(error_links(page)) == ["age", "children_ages", "hours_per_week"]
    assert 'aria-invalid="true"' in page and 'aria-describedby="age-error"' in page
    assert 'value="lots"' in page  # what was typed is kept


def test_engine_rule_errors_land_on_the_right_field(client: FlaskClient) -> None:
    response = client.post("/result", data={**FORM, "tenure": "private_rent", "hours_per_week": "120"})
    links = error_links(response.data.decode())
    assert links["hours_per_week"] == "Hours a week must be 100 or less"
    assert "Local Housing Allowance" in html.unescape(links["lha_monthly"])


def test_everything_echoed_back_is_escaped(client: FlaskClient) -> None:
    evil = '"><script>alert(1)</script>'
    page = client.post("/result", data={**FORM, "age": evil, "children_ages": evil}).data.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page or "&#34;&gt;&lt;script" in page


def test_change_the_answers_keeps_them(client: FlaskClient) -> None:
    page = client.post("/", data={**FORM, "capital": "7000"}).data.decode()
    assert tag(page, "capital")["value"] == "7000"
    assert "open" in tag(page, "more-details")  # something under "More details" was given


def test_printable_summary_in_plain_english(client: FlaskClient) -> None:
    result_page = client.post("/result", data=FORM).data.decode()
    hidden = html.unescape(re.search(r'name="request" value="([^"]*)"', result_page).group(1))
    summary = client.post("/summary", data={"request": hidden})
    assert summary.status_code == 200
    text = summary.data.decode()
    expected = calculate(parse_form(FORM, date.today()))
    assert f"You would be about £{expected.better_off.monthly:,.2f} a month better off" in text
    assert "Report the job in your Universal Credit journal" in text
    assert "Universal Credit goes down by" in text
    assert "2026-27" in text
    tampered = client.post("/summary", data={"request": "{not json"})
    assert tampered.status_code == 422


def test_sources_list_every_figure_with_its_link(client: FlaskClient) -> None:
    page = client.get("/sources/2026-27").data.decode()
    assert "universal_credit.standard_allowance.single_25_or_over" in page
    assert 'href="https://www.legislation.gov.uk/uksi/2013/376/regulation/36"' in page
    assert client.get("/sources/1900-01").status_code == 404


def test_on_its_own_the_service_offers_no_saving(client: FlaskClient) -> None:
    # Saving, sign-in and links from Slack are the web process's (tests/ips/test_web_saving.py).
    result_page = client.post("/result", data=FORM).data.decode()
    assert "Save against a client" not in result_page
    hidden = html.unescape(re.search(r'name="request" value="([^"]*)"', result_page).group(1))
    refused = client.post("/save", data={"request": hidden, "client_reference": "R1"})
    assert refused.status_code == 403


def test_northern_ireland_is_refused_on_the_nation_field(client: FlaskClient) -> None:
    page = client.get("/").data.decode()
    assert 'value="northern_ireland"' in page and "Northern Ireland is not covered yet" in page
    response = client.post("/result", data={**FORM, "nation": "northern_ireland"})
    assert response.status_code == 422
    links = error_links(response.data.decode())
    assert list(links) == ["nation"]
    assert "Northern Ireland is not covered" in links["nation"]
    assert "better off" not in response.data.decode().lower().split("error-summary")[0]


def test_state_pension_age_asks_for_the_date_of_birth_at_66(client: FlaskClient) -> None:
    page = client.get("/").data.decode()
    assert 'id="date_of_birth"' in page and "it is never saved" in page
    refused = client.post("/result", data={**FORM, "age": "66"})
    assert refused.status_code == 422
    links = error_links(refused.data.decode())
    assert list(links) == ["date_of_birth"] and links["date_of_birth"].startswith("Give the date of birth")
    answered = client.post("/result", data={**FORM, "age": "", "date_of_birth": "1960-10-10"})
    assert answered.status_code == 200


def test_married_couples_are_asked_and_a_single_person_cannot_be_married(client: FlaskClient) -> None:
    page = client.get("/").data.decode()
    assert 'id="married"' in page and "income tax does not" in page
    refused = client.post("/result", data={**FORM, "couple": "no", "married": "yes"})
    links = error_links(refused.data.decode())
    assert list(links) == ["married"]
    couple = {**FORM, "couple": "yes", "married": "yes", "partner_age": "40", "partner_hours": "37.5",
              "partner_wage": "15"}
    answered = client.post("/result", data=couple).data.decode()
    assert "Marriage Allowance (tax saved)" in answered


def test_transitional_element_is_asked_with_help_and_warned_about(client: FlaskClient) -> None:
    page = client.get("/").data.decode()
    assert 'id="transitional_element_monthly"' in page and "ends for good if Universal Credit stops" in page
    bad = client.post("/result", data={**FORM, "transitional_element_monthly": "-3"})
    assert list(error_links(bad.data.decode())) == [
        "transitional_element_monthly"
    ]
    answered = client.post("/result", data={**FORM, "transitional_element_monthly": "60"}).data.decode()
    assert "Transitional element (protection)" in answered and "transitional element" in answered


def test_a_one_off_payment_shows_its_surplus_earnings_in_the_periods(client: FlaskClient) -> None:
    page = client.get("/").data.decode()
    assert 'id="one_off_payment"' in page and "surplus earnings" in page
    undated = client.post("/result", data={**FORM, "one_off_payment": "3000"})
    assert list(error_links(undated.data.decode())) == [
        "one_off_payment_date"
    ]
    form = {**FORM, "capability": "none", "pay_frequency": "monthly", "one_off_payment": "3000",
            "one_off_payment_date": (date.today() + timedelta(days=40)).isoformat()}
    answered = client.post("/result", data=form).data.decode()
    assert "One-off payment of £3,000.00" in answered and "Surplus earnings of" in answered


def test_offers_compared_side_by_side(client: FlaskClient) -> None:
    page = client.get("/").data.decode()
    assert "Compare with other offers" in page and 'id="offer2_hours"' in page and 'id="offer3_wage"' in page
    form = {**FORM, "esa": "support_group", "offer2_hours": "25", "offer2_wage": "13.50",
            "offer3_hours": "37.5", "offer3_wage": "15", "offer3_pay_frequency": "monthly",
            "offer3_travel_weekly": "20"}
    response = client.post("/result", data=form)
    assert response.status_code == 200
    text = response.data.decode()
    compared = compare(parse_comparison(form, date.today()))
    for o in compared.offers:
        offer = row(text, f"offer-{o.offer}")
        assert f"£{o.result.better_off.monthly:,.2f}" in offer
        assert f"£{o.result.better_off.per_extra_hour:,.2f}" in offer
    assert "New Style ESA stops at" in text
    missing = client.post("/result", data={**FORM, "offer2_hours": "20"})
    assert missing.status_code == 422 and 'href="#offer2_wage"' in missing.data.decode()
    skipped = client.post("/result", data={**FORM, "offer3_hours": "20", "offer3_wage": "13"})
    assert error_links(skipped.data.decode()) == {
        "offer3_hours": "Fill in offer 2 first, then offer 3"
    }
    too_long = client.post("/result", data={**FORM, "offer2_hours": "16", "offer2_wage": "13",
                                            "offer3_hours": "120", "offer3_wage": "13"})
    links = error_links(too_long.data.decode())
    assert links == {"offer3_hours": "Offer 3: hours a week must be 100 or less"}
    assert "open" in tag(too_long.data.decode(), "compare-details")


def test_a_budget_says_what_is_left_and_changes_no_benefit(client: FlaskClient) -> None:
    page = client.get("/").data.decode()
    assert 'id="budget_energy"' in page and "None of this changes a benefit figure" in page
    form = {**FORM, "council_tax_monthly": "120", "budget_energy": "110", "budget_food": "300",
            "budget_uc_deductions": "60"}
    text = client.post("/result", data=form).data.decode()
    expected = calculate(parse_form(form, date.today()))
    assert expected.budget is not None
    left = row(text, "budget-left")
    assert f"£{expected.budget.left_now:,.2f}" in left and f"£{expected.budget.left_in_work:,.2f}" in left
    plain = calculate(parse_form({**FORM, "council_tax_monthly": "120"}, date.today()))
    assert expected.lines == plain.lines and expected.better_off == plain.better_off
    bad = client.post("/result", data={**FORM, "budget_water": "-5"})
    assert list(error_links(bad.data.decode())) == ["budget_water"]


def test_refusals_are_pages_in_words_with_a_way_back(client: FlaskClient) -> None:
    not_found = client.get("/no-such-page", headers={"Referer": "http://localhost/sources/2026-27"})
    assert not_found.status_code == 404 and not_found.mimetype == "text/html"
    page = not_found.data.decode()
    assert "<h1" in page and "Page not found" in page
    assert 'href="/">Go to the start of IPS Assist' in page
    assert 'href="http://localhost/sources/2026-27">Go back to the page you were on' in page
    elsewhere = client.get("/no-such-page", headers={"Referer": "https://evil.example/"}).data.decode()
    assert "evil.example" not in elsewhere  # a way back only to this site
    wrong_method = client.get("/summary")
    assert wrong_method.status_code == 405 and "cannot be used this way" in wrong_method.data.decode()
    # A form of 70 KB (more than the body limit) gets the page, in words, not the API's JSON.
    too_big = client.post("/result", data={**FORM, "children_ages": "1, " * 23_000})
    assert too_big.status_code == 413 and too_big.mimetype == "text/html"
    assert "Too much was sent" in too_big.data.decode()
    # The API keeps its one error shape.
    api = client.post("/v1/better-off", data="x" * 70_000, content_type="application/json")
    assert api.status_code == 413 and api.json == {
        "errors": [{"field": "body", "message": api.json["errors"][0]["message"]}]
    }


def test_every_problem_shows_on_the_first_submit_naming_its_field(client: FlaskClient) -> None:
    answers = {**FORM, "age": "", "hours_per_week": "-5", "rent_monthly": "abc", "capital": "-1",
               "start_date": "2024-01-01", "offer2_hours": "lots", "offer2_wage": "13", "budget_water": "x"}
    response = client.post("/result", data=answers)
    assert response.status_code == 422
    starts, ends, span = covered()
    assert error_links(response.data.decode()) == {  # in the order the form asks them
        "age": "Enter the person's age",
        "rent_monthly": "Rent must be a number, like 450",
        "hours_per_week": "Hours a week must be 0 or more",
        "start_date": f"Start date must be from {starts:%-d %B %Y} to {ends:%-d %B %Y}, the tax years the "
                      f"calculator has rules for ({span}), not 1 January 2024",
        "capital": "Savings must be 0 or more",
        "budget_water": "Water must be a number, like 450",
        "offer2_hours": "Offer 2: hours a week must be a number, like 16",
    }


@pytest.mark.parametrize("day", ["2025-04-05", "2024-01-01", "2027-04-06"])
def test_a_start_date_without_rules_is_a_form_error_not_a_500(client: FlaskClient, day: str) -> None:
    for answers in ({**FORM, "start_date": day}, {**FORM, "start_date": day, "offer2_hours": "20",
                                                    "offer2_wage": "13"}):
        response = client.post("/result", data=answers)
        assert response.status_code == 422
        assert list(error_links(response.data.decode())) == ["start_date"]


def test_no_hours_is_no_job_offer_and_no_amount_reads_minus_nothing(app: Flask, client: FlaskClient) -> None:
    for hours in ("0", "0.0", "0,0"):
        refused = client.post("/result", data={**FORM, "hours_per_week": hours})
        assert refused.status_code == 422
        assert error_links(refused.data.decode()) == {
            "hours_per_week": "Hours a week must be more than 0 for a job offer"
        }
    offer = client.post("/result", data={**FORM, "offer2_hours": "0", "offer2_wage": "13"})
    assert error_links(offer.data.decode()) == {
        "offer2_hours": "Offer 2: hours a week must be more than 0 for a job offer"
    }
    with app.test_request_context():
        shown = render_template_string(
            "{{ money(-0.0) }}|{{ money(-0.004) }}|{{ money(0.004) }}|{{ money(-0.006) }}|"
            "{{ money(-1234.5) }}"
        )
    assert shown == "£0.00|£0.00|£0.00|−£0.01|−£1,234.50"


def test_a_failure_is_a_page_in_words_not_a_stack_trace(app: Flask) -> None:
    def broken() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/broken", "broken", broken)
    response = app.test_client().get("/broken")
    assert response.status_code == 500 and response.mimetype == "text/html"
    page = response.data.decode()
    assert "Sorry, there is a problem with the service" in page and "a bug" not in page
    assert 'href="/">Go to the start of IPS Assist' in page


def test_the_budget_says_what_the_help_that_stops_is_worth(client: FlaskClient) -> None:
    form = {**FORM, "children_ages": "7", "hours_per_week": "37.5", "hourly_wage": "30",
            "budget_food": "300"}
    expected = calculate(parse_form(form, date.today()))
    assert expected.budget is not None and expected.budget.help_lost_monthly > 0
    page = client.post("/result", data=form).data.decode()
    assert f"is worth about £{expected.budget.help_lost_monthly:,.2f} a month" in page
