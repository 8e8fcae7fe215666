"""Signing in and each role's pages in a real browser (Debian's Chromium through Playwright):
the demo sign-in, Sign in with Slack against the fake OpenID provider, the overview by role,
the one-time link from Slack and saving from the result page by reference."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from caseload.calculator_links import issue_link
from caseload.db import Database
from caseload.models import Role
from tests.browser import fits_and_passes_axe, needs_chromium, serving
from tests.calculator.web.test_pages import FORM
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_openid import CLIENT_ID, CLIENT_SECRET, FakeSlackOpenID
from tests.ips.web_helpers import web_app

pytestmark = needs_chromium


@pytest.fixture
def people(db: Database) -> dict[str, str]:
    with db.transaction() as s:
        north, south = make_team(s, "North"), make_team(s, "South")
        cc = make_staff(s, Role.CARE_COORDINATOR, north)
        refer(s, cc, north, "R-2001")
        made = {
            "leader": make_staff(s, Role.TEAM_LEADER, north, name="Lee Leader"),
            "trainer": make_staff(s, Role.REGIONAL_TRAINER, None, name="Tara Trainer"),
            "advisor": make_staff(s, Role.BENEFITS_ADVISOR, north, name="Ada Advisor"),
        }
        make_staff(s, Role.TEAM_LEADER, south, name="Sam South")
        return {k: v.slack_user_id for k, v in made.items()}


def _page(browser: Browser, base: str) -> Page:
    context = browser.new_context(base_url=base, locale="en-GB", viewport={"width": 1024, "height": 800})
    context.set_default_timeout(10_000)
    return context.new_page()


def _demo_sign_in(page: Page, name: str) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Demo sign-in (this computer only)")).to_be_visible()
    page.get_by_label("Sign in as").select_option(
        label=next(o for o in page.locator("#slack_user_id option").all_inner_texts() if o.startswith(name))
    )
    # Wait for the page the form leads to, so nothing reads the old one as it goes.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in as this person").click()


@pytest.mark.parametrize(
    "who, sees, not_seen",
    [
        ("Lee Leader", ["North"], ["South"]),
        ("Tara Trainer", ["North", "South"], []),
        ("Ada Advisor", [], ["North", "South"]),
    ],
)
def test_each_role_signs_in_on_the_demo_and_sees_its_overview(
    browser, db, people, who, sees, not_seen
) -> None:
    with serving(web_app(db, host="127.0.0.1")) as base:
        page = _page(browser, base)
        _demo_sign_in(page, who)
        expect(page.get_by_text(f"Signed in as {who}")).to_be_visible()
        for team in sees:
            expect(page.get_by_role("rowheader", name=team).first).to_be_visible()
        for team in not_seen:
            expect(page.get_by_role("rowheader", name=team)).to_have_count(0)
        if not sees:
            expect(page.locator("#no-figures")).to_contain_text("you have none to see here")
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
        page.goto("/")
        expect(page).to_have_url(f"{base}/signin?next=%2F")
        page.context.close()


def test_sign_in_with_slack_against_the_fake_provider(browser, db, people) -> None:
    provider = FakeSlackOpenID().start()
    try:
        # A Slack app is configured, so there is no demo sign-in even on loopback.
        app = web_app(
            db,
            host="127.0.0.1",
            slack_client_id=CLIENT_ID,
            slack_client_secret=CLIENT_SECRET,
            slack_openid_authorize_url=f"{provider.url}/openid/connect/authorize",
            slack_api_url=f"{provider.url}/api/",
        )
        with serving(app) as base:
            app.extensions["ips_web_settings"].ips_public_url = base
            provider.redirect_uris.add(f"{base}/signin/slack/callback")
            provider.signs_in = (people["leader"], "T0NORTH")
            page = _page(browser, base)
            page.goto("/calculator/sources/2026-27")
            expect(page.get_by_text("Demo sign-in")).to_have_count(0)
            page.get_by_role("link", name="Sign in with Slack").click()
            expect(page).to_have_url(f"{base}/calculator/sources/2026-27")
            page.goto("/")
            expect(page.get_by_text("Signed in as Lee Leader")).to_be_visible()
            # Someone Slack knows but the staff record does not: a plain refusal.
            provider.signs_in = ("U0STRANGER", "T0NORTH")
            stranger = _page(browser, base)
            stranger.goto("/")
            stranger.get_by_role("link", name="Sign in with Slack").click()
            expect(stranger.locator("#refused")).to_contain_text("not set up in IPS Assist")
            page.context.close()
            stranger.context.close()
    finally:
        provider.stop()


def test_the_one_time_link_then_saving_from_the_result_page(browser, db, people) -> None:
    with db.transaction() as s:
        link_id = issue_link(s, people["advisor"], dict(FORM))
    with serving(web_app(db, host="127.0.0.1")) as base:
        page = _page(browser, base)
        page.goto(f"/calculator/link/{link_id}")
        _sign_in_here = page.get_by_label("Sign in as")
        _sign_in_here.select_option(
            label=next(
                o
                for o in page.locator("#slack_user_id option").all_inner_texts()
                if o.startswith("Ada Advisor")
            )
        )
        page.get_by_role("button", name="Sign in as this person").click()
        expect(page.get_by_role("heading", name="Open your calculation from Slack?")).to_be_visible()
        page.get_by_role("button", name="Open the calculation").click()
        expect(page.get_by_text("a month better off").first).to_be_visible()
        page.get_by_label("Save against a client (optional)").fill("r-2001")
        page.get_by_role("button", name="Save calculation").click()
        expect(page.locator("#saved")).to_have_text("Saved against client R-2001.")
        # The link again: used, nothing changes, and the page says so.
        page.goto(f"/calculator/link/{link_id}")
        expect(page.locator("#link-refused")).to_contain_text("already used")
        page.context.close()


def _signed_in_pages(page: Page, db: Database, people: dict[str, str]) -> Iterator[str]:
    """Every page of sign-in and the one-time link, signed out and in, yielding each by name."""
    with db.transaction() as s:
        link_id = issue_link(s, people["advisor"], dict(FORM))
    page.goto("/")
    yield "sign-in (demo)"
    page.goto("/signin/slack/callback?state=forged&code=x")  # no Slack app here: not found
    yield "sign-in callback without an app"
    _demo_sign_in(page, "Lee Leader")
    yield "overview, team leader"
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    yield "signed out"
    _demo_sign_in(page, "Ada Advisor")
    yield "overview, advisor"
    page.goto(f"/calculator/link/{link_id}")
    yield "link to confirm"
    page.get_by_role("button", name="Open the calculation").click()
    expect(page.get_by_label("Save against a client (optional)")).to_be_visible()
    yield "result with saving"
    page.get_by_label("Save against a client (optional)").fill("Z-9999")
    page.get_by_role("button", name="Save calculation").click()
    expect(page.locator("#client_reference-error")).to_be_visible()
    yield "result with a refused reference"
    page.goto(f"/calculator/link/{link_id}")
    yield "link already used"
    page.goto("/calculator/link/made-up")
    yield "link not one of yours"
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    yield "signed out again"


@pytest.mark.parametrize("width", [320, 1024])
def test_sign_in_pages_reflow_on_a_phone_and_axe_finds_nothing(browser, db, people, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    with serving(web_app(db, host="127.0.0.1")) as base:
        context = browser.new_context(base_url=base, locale="en-GB", viewport={"width": width, "height": 640})
        context.set_default_timeout(10_000)
        page = context.new_page()
        axe, seen = Axe(), []
        try:
            for name in _signed_in_pages(page, db, people):
                seen.append(name)
                page.wait_for_load_state("load")
                fits_and_passes_axe(page, name, width, axe)
        finally:
            context.close()
        assert len(seen) == 11
