"""The dashboard's small map draws offline from the figures of its table, fits a phone, and a keyboard can skip it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from workflow.accounts.models import User
from workflow.actions.services import ActionDraft, open_action
from workflow.extensions import db
from workflow.reference.models import ThematicArea

from .conftest import TIMEOUT_MS
from .support import LiveServer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def ecuador(live_server: LiveServer) -> None:
    """An Action in Ecuador (unpublished: the public map and the journeys do not see it)."""
    with live_server.app.app_context():
        officer = db.session.scalar(select(User).where(User.email == live_server.officer.email))
        area = db.session.scalar(select(ThematicArea).order_by(ThematicArea.position))
        open_action(db.session, ActionDraft(
            title="Border data exchange", thematic_area_id=area.id, planned_start=date(2025, 3, 1),
            country_code="EC", name="Ecuador (dashboard map)", objective="Shared border data.",
            officer_id=officer.id), actor=officer, now=datetime.now(UTC))
        db.session.commit()
        db.session.remove()


def sign_in(page: Page, live_server: LiveServer) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(live_server.officer.email)
    page.get_by_label("Password", exact=True).fill(live_server.officer.password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_the_dashboard_map_shades_the_countries_of_its_table(page: Page, live_server: LiveServer, ecuador) -> None:
    here = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []
    page.context.route("**/*", lambda route, request: route.continue_()
                       if urlsplit(request.url).netloc == here or request.url.startswith("data:")
                       else (elsewhere.append(request.url), route.abort("internetdisconnected")))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server)
    page.goto("/dashboard/")
    the_map = page.get_by_role("region", name="Map of the Actions by country")
    expect(the_map).to_have_attribute("data-state", "ready")
    rows = page.locator("#countries-table tr[data-iso2]")
    assert rows.count() >= 1
    for index in range(rows.count()):
        code, count = rows.nth(index).get_attribute("data-iso2"), rows.nth(index).get_attribute("data-count")
        expect(page.locator(f'#dashboard-map path[data-iso2="{code}"]').first).to_have_attribute("data-count", count)
    expect(page.locator('#dashboard-map path[data-iso2="EC"]')).to_have_attribute("data-count", "1")
    shaded, plain = (page.locator(f'#dashboard-map path[data-iso2="{c}"]').first.get_attribute("fill") for c in ("EC", "CA"))
    assert shaded and plain and shaded != plain
    expect(page.locator("#dashboard-map-legend")).to_contain_text("Number of Actions")
    assert elsewhere == [] and errors == []

    # The map takes the keyboard (its zoom buttons, its arrows): the link before it skips to its table.
    active = "() => document.activeElement.id || document.activeElement.closest('#dashboard-map')?.id || ''"
    skip = page.get_by_role("link", name="Skip the map: go to its table")
    skip.focus()
    expect(skip).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate(active) == "dashboard-map"
    skip.focus()
    page.keyboard.press("Enter")
    assert page.evaluate(active) == "countries-table-summary"
    summary = page.locator("#countries-table-summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#countries-table")).to_be_visible()


def test_the_dashboard_fits_a_phone_with_its_map(browser: Browser, live_server: LiveServer, ecuador) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, live_server)
        page.goto("/dashboard/")
        expect(page.locator("#dashboard-map")).to_have_attribute("data-state", "ready")
        width, window = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= window
        box = page.locator("#dashboard-map").bounding_box()
        assert box and 0 < box["width"] <= 390 and box["height"] > 200
    finally:
        context.close()
