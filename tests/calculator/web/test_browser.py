"""The advisor pages in a real browser: Debian's Chromium, headless, driven by Playwright.

The app runs on a real HTTP server in a thread; the browser fills the form with the mouse, then
with the keyboard alone, and follows the error summary's links. Figures on the page are checked
against the engine run on exactly what the browser posted. No browser is downloaded: the module
skips when /usr/bin/chromium is missing (`make browser`, or `.ci/run`, installs it).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, Request, expect
from pydantic import ValidationError

from calculator.engine import BetterOffRequest, BetterOffResult, calculate
from calculator.household_form import parse_form
from calculator.web import create_app
from calculator.web.plain import answers_in_words, cautions_in_words, changes_in_words, what_to_do_next
from tests.browser import fits_and_passes_axe, needs_chromium, serving

from .conftest import settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serving(create_app(settings())) as base:
        yield base


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="en-GB", viewport={"width": 1024, "height": 800})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def money(amount: float) -> str:
    """The pages' `money` macro."""
    return f"−£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"


def is_result_post(request: Request) -> bool:
    return request.method == "POST" and request.url.endswith("/result")


def engine_result(request: Request) -> BetterOffResult:
    """The engine on exactly the fields the browser posted."""
    form = dict(parse_qsl(request.post_data or "", keep_blank_values=True))
    return calculate(parse_form(form, date.today()))


def headline(result: BetterOffResult) -> str:
    b = result.better_off
    if b.better_off:
        return f"About {money(b.monthly)} a month better off"
    return f"About {money(-b.monthly)} a month worse off"


def summary_heading(result: BetterOffResult) -> str:
    b = result.better_off
    if b.better_off:
        return f"You would be about {money(b.monthly)} a month better off"
    return f"You would be about {money(-b.monthly)} a month worse off"


def check_result_page(page: Page, result: BetterOffResult) -> None:
    expect(page.locator("#headline p").first).to_have_text(
        f"Working {result.hours_per_week:g} hours a week at £{result.hourly_wage:.2f} an hour"
    )
    expect(page.locator("#headline .big")).to_have_text(headline(result))
    lines = {line.key: line for line in result.lines}
    for key in ("universal_credit", "earnings"):
        line = lines[key]
        row = page.locator(f"#line-{key}")
        expect(row.locator("th").first).to_contain_text(line.label)
        # The value under each column's heading (the heading shows beside it on a phone).
        expect(row.locator("td.nhsuk-table__cell--numeric > span:last-child")).to_have_text(
            [money(line.now_monthly), money(line.in_work_monthly), money(line.change_monthly)]
        )


def tab_to(page: Page, target: Locator, limit: int = 60) -> None:
    """Press Tab until the target has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} never took focus in {limit} presses of Tab")


def type_date(page: Page, field: Locator, day: date) -> None:
    """Type a date into a focused <input type=date>.

    Its segments follow the browser's own language (en-US without Debian's chromium-l10n), which
    page locale emulation does not change; so try day first, then month first.
    """
    for digits in (f"{day:%d%m%Y}", f"{day:%m%d%Y}"):
        page.keyboard.type(digits)
        if field.input_value() == day.isoformat():
            return
        page.keyboard.press("Shift+Tab")  # from the third segment back to the first
        page.keyboard.press("Shift+Tab")
    raise AssertionError(f"typing {day} into {field} gave {field.input_value()}")


def test_advisor_fills_the_form_gets_a_result_and_prints_the_summary(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Would they be better off in work?")
    page.get_by_label("Age", exact=True).fill("34")
    page.get_by_label("LCWRA, assessed before April 2026 (protected rate)").check()
    page.get_by_label("Housing", exact=True).select_option(label="Council or housing association tenant")
    page.get_by_label("Rent, £ a month").fill("450")
    page.get_by_label("Hours a week", exact=True).fill("16")
    page.get_by_label("Pay, £ an hour", exact=True).fill("12.71")
    page.get_by_label("Paid", exact=True).select_option(label="Weekly")
    page.get_by_label("Start date").fill("2026-12-07")
    with page.expect_request(is_result_post) as posted:
        page.get_by_role("button", name="Work it out").click()
    result = engine_result(posted.value)

    check_result_page(page, result)
    chart = page.locator("#hours-chart")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("role", "img")
    expect(page.locator("#hours-chart-desc")).to_have_text(
        re.compile(r"^Chart of money left each month at 0 to \d+ hours")
    )
    assert chart.evaluate("svg => svg.getBoundingClientRect().width") > 300

    page.get_by_role("button", name="Client summary to print").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(summary_heading(result))
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "client-summary.png", full_page=True)
    assert (ARTIFACTS / "client-summary.png").stat().st_size > 0


def test_the_same_path_by_keyboard_alone(page: Page) -> None:
    keyboard = page.keyboard
    page.goto("/")

    tab_to(page, page.locator("#age"))
    keyboard.type("34")
    # A radio group is one Tab stop; the arrow keys choose within it.
    tab_to(page, page.locator("#capability"))
    keyboard.press("ArrowDown")
    keyboard.press("ArrowDown")
    expect(page.locator("#capability-lcwra_protected")).to_be_checked()
    tab_to(page, page.locator("#tenure"))
    keyboard.type("c")  # a closed <select> jumps to the option starting with what is typed
    expect(page.locator("#tenure")).to_have_value("social_rent")
    tab_to(page, page.locator("#rent_monthly"))
    keyboard.type("450")
    tab_to(page, page.locator("#hours_per_week"))
    keyboard.type("16")
    tab_to(page, page.locator("#hourly_wage"))
    keyboard.type("12.71")
    tab_to(page, page.locator("#pay_frequency"))
    keyboard.type("w")
    expect(page.locator("#pay_frequency")).to_have_value("weekly")
    tab_to(page, page.locator("#start_date"))
    type_date(page, page.locator("#start_date"), date(2026, 12, 7))
    expect(page.locator("#start_date")).to_have_value("2026-12-07")
    # Closed "More details", "Budget" and "Compare with other offers" are one stop each, then
    # the button.
    tab_to(page, page.get_by_role("button", name="Work it out"), limit=5)
    with page.expect_request(is_result_post) as posted:
        keyboard.press("Enter")
    result = engine_result(posted.value)
    check_result_page(page, result)

    tab_to(page, page.get_by_role("button", name="Client summary to print"))
    keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text(summary_heading(result))


def test_bad_answers_show_an_error_summary_whose_links_reach_the_fields(page: Page) -> None:
    page.goto("/")
    page.get_by_label("Hours a week", exact=True).fill("abc")
    page.get_by_label("Pay, £ an hour", exact=True).fill("12.71")
    page.get_by_role("button", name="Work it out").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title("Error: Better-off calculator – IPS Assist")
    links = summary.get_by_role("link")
    expect(links).to_have_text(["Enter the person's age", "Hours a week must be a number, like 16"])
    assert [link.get_attribute("href") for link in links.all()] == ["#age", "#hours_per_week"]
    expect(page.locator("#hours_per_week")).to_have_value("abc")  # what was typed is kept
    expect(page.locator("#age")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#age")).to_have_attribute("aria-describedby", "age-error")

    for name in ("age", "hours_per_week"):
        link = summary.locator(f'a[href="#{name}"]')
        link.focus()
        expect(link).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator(f"#{name}")).to_be_focused()


def test_the_error_summary_takes_focus_and_reaches_a_radio_group(page: Page) -> None:
    page.goto("/")
    page.get_by_label("Age", exact=True).fill("40")
    page.get_by_label("Hours a week", exact=True).fill("16")
    page.get_by_label("Pay, £ an hour", exact=True).fill("12.71")
    # A value the form never offers, as a tampered or stale form would send.
    page.locator("#nation").evaluate("radio => { radio.value = 'atlantis'; }")
    page.get_by_role("button", name="Work it out").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()  # keyboard and screen-reader users start at the problem
    link = summary.get_by_role("link", name="Choose one of the options")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#nation")).to_be_focused()  # the first radio, not the fieldset
    expect(page.get_by_role("link", name="Skip to main content")).to_have_attribute("href", "#maincontent")


# A household that fills every table on the result page: a couple with children renting
# privately, a budget, and two more offers to compare.
EVERYTHING = {
    "age": "34", "capability": "lcwra_protected", "couple": "yes", "partner_age": "36",
    "children_ages": "3, 7", "tenure": "private_rent", "rent_monthly": "900", "lha_monthly": "850",
    "hours_per_week": "16", "hourly_wage": "12.71", "pay_frequency": "weekly",
    "start_date": "2026-12-07", "council_tax_monthly": "140", "budget_energy": "120",
    "budget_food": "400", "offer2_hours": "25", "offer2_wage": "13.50", "offer3_hours": "37.5",
    "offer3_wage": "15",
}


def post_form(page: Page, path: str, fields: dict[str, str]) -> None:
    """Submit a form as the browser would, for pages reached only by POST."""
    with page.expect_navigation():
        page.evaluate(
            """([path, fields]) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = path;
                for (const [name, value] of Object.entries(fields)) {
                    const input = document.createElement("input");
                    input.type = "hidden"; input.name = name; input.value = value;
                    form.append(input);
                }
                document.body.append(form);
                form.submit();
            }""",
            [path, fields],
        )


def phone_pages(page: Page) -> Iterator[str]:
    """Open each page a person can reach, yielding its name once it is showing."""
    for name, path in [("form", "/"), ("sources", "/sources/2026-27"), ("docs", "/docs"),
                       ("not found", "/no-such-page"), ("wrong method", "/summary")]:
        page.goto(path)
        yield name
    post_form(page, "/result", {"hours_per_week": "lots"})
    yield "form with errors"
    post_form(page, "/result", EVERYTHING)
    expect(page.locator("#offers")).to_be_visible()
    yield "result"
    with page.expect_navigation():
        page.get_by_role("button", name="Client summary to print").click()
    expect(page.locator("#summary")).to_be_visible()
    yield "summary"


@pytest.mark.parametrize("width", [320, 1024])
def test_every_page_reflows_on_a_phone_and_axe_finds_nothing(
    browser: Browser, base_url: str, width: int
) -> None:
    """WCAG 1.4.10: at 320 px nothing scrolls sideways; axe-core finds no violation anywhere."""
    # axe-core is injected into each page: let it past the content security policy.
    context = browser.new_context(base_url=base_url, locale="en-GB", viewport={"width": width, "height": 640},
                                  bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    axe = Axe()
    seen = []
    try:
        for name in phone_pages(page):
            seen.append(name)
            fits_and_passes_axe(page, name, width, axe)
    finally:
        context.close()
    assert len(seen) == 8


# The most a summary has to say: a couple with four children in Scotland, both on benefits
# with notes to give, a transitional element, weekly pay and a one-off payment that stops
# Universal Credit for a month, travel and childcare, savings and council tax.
LONGEST = {
    "age": "44", "capability": "lcwra_protected", "pip_daily_living": "standard", "esa": "support_group",
    "carers_allowance": "yes", "cares_35_hours": "yes", "nation": "scotland", "couple": "yes",
    "married": "yes", "partner_age": "46", "partner_hours": "10", "partner_wage": "12.71",
    "children_ages": "1, 4, 8, 12", "tenure": "private_rent", "rent_monthly": "1100",
    "lha_monthly": "950", "capital": "4000", "transitional_element_monthly": "120",
    "hours_per_week": "30", "hourly_wage": "14.50", "pay_frequency": "weekly",
    "start_date": "2026-12-07", "travel_weekly": "25", "childcare_in_work": "300",
    "council_tax_monthly": "160", "one_off_payment": "3000", "one_off_payment_date": "2027-01-15",
}


def summary_households() -> list[tuple[str, dict[str, str] | BetterOffRequest]]:
    """The households of these tests, and the five of the oracle's 300 (each offered the same
    weekly-paid job) whose summaries have the most to say: a page's length grows with its text,
    so if these fit on one page the others do too."""
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "policyengine_2026_27.json"
    cases = json.loads(fixture.read_text())
    job = {"hours_per_week": 16, "hourly_wage": 12.71, "pay_frequency": "weekly", "start_date": "2026-12-07"}
    offered = []
    for case in cases:
        with contextlib.suppress(ValidationError):  # a few are 66, which needs a date of birth
            offered.append(BetterOffRequest.model_validate(
                {"household": case["household"], "job": job, "calculation_date": "2026-11-29"}))
    assert len(offered) > 250
    longest = sorted(offered, key=summary_length, reverse=True)[:5]
    named: list[tuple[str, dict[str, str] | BetterOffRequest]] = [
        ("longest", LONGEST), ("everything", EVERYTHING), ("one adult", {**EVERYTHING, "couple": "no"})
    ]
    return named + [(f"oracle {n}", request) for n, request in enumerate(longest, start=1)]


def summary_length(request: BetterOffRequest) -> int:
    result = calculate(request)
    parts = [*changes_in_words(result), *cautions_in_words(result), *what_to_do_next(request, result),
             *(f"{k} {v}" for k, v in answers_in_words(request))]
    return sum(len(part) for part in parts)


# What a client should never read: abbreviations, the assessment periods' numbers, "passported",
# and a change of nothing.
JARGON = (r"\bUC\b", r"\bperiod \d", r"[Pp]assported", r"\bLCWRA\b", r"\bESA\b(?!\))",
          r"£-?0\.00 (a month|lower)")


def test_the_client_summary_prints_on_one_a4_page_in_plain_words(page: Page) -> None:
    page.goto("/")
    for name, household in summary_households():
        if isinstance(household, dict):
            post_form(page, "/result", household)
            expect(page.locator("#headline")).to_be_visible()
            with page.expect_navigation():
                page.get_by_role("button", name="Client summary to print").click()
        else:
            post_form(page, "/summary", {"request": household.model_dump_json()})
        expect(page.locator("#answers")).to_be_visible()
        text = page.locator("#summary").inner_text()
        for jargon in JARGON:
            assert not re.search(jargon, text), f"{name}: {jargon} in {text}"
        pdf = page.pdf(format="A4", print_background=False)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        if pages != 1:
            (ARTIFACTS / "summary-too-long.pdf").write_bytes(pdf)
        assert pages == 1, f"the summary for {name} prints on {pages} pages"
