"""The public map draws offline: Leaflet and the country shapes come from the app itself, nothing else.

Every request to another origin is aborted and recorded; the test fails if one was even attempted.
Two published Actions are seeded: a national one in Peru and a regional one whose members are Costa
Rica and Panama (the data endpoint lists a regional Action under each member country).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Route, expect
from sqlalchemy import select

from workflow.accounts.models import User
from workflow.actions.publishing import set_published
from workflow.actions.services import ActionDraft, open_action
from workflow.extensions import db
from workflow.reference.models import Country, Region, ThematicArea

from .support import LiveServer

pytestmark = pytest.mark.e2e

PERU_ACTION = "Peru (map)"
REGIONAL_ACTION = "SICA (map)"


@pytest.fixture(scope="module")
def published_actions(live_server: LiveServer) -> dict[str, str]:
    """A published national Action in Peru and a published regional one over Costa Rica and Panama."""
    now = datetime.now(UTC)
    with live_server.app.app_context():
        session = db.session
        officer = session.scalar(select(User).where(User.email == live_server.officer.email))
        area = session.scalar(select(ThematicArea).order_by(ThematicArea.position))
        lac = session.scalar(select(Region).where(Region.code == "latin_america_caribbean"))
        peru = open_action(session, ActionDraft(
            title="Document fraud detection at Lima airport", thematic_area_id=area.id,
            planned_start=date(2025, 3, 1), country_code="PE", name=PERU_ACTION,
            objective="Better second-line checks of travel documents.", officer_id=officer.id,
        ), actor=officer, now=now)
        regional = open_action(session, ActionDraft(
            title="Regional guidelines on labour mobility", thematic_area_id=area.id,
            planned_start=date(2025, 5, 1), region_id=lac.id, regional_name="SICA", name=REGIONAL_ACTION,
            objective="Common guidelines for the SICA member states.", officer_id=officer.id,
        ), actor=officer, now=now)
        regional.member_countries = list(session.scalars(select(Country).where(Country.code.in_(["CR", "PA"]))))
        session.flush()
        for action in (peru, regional):
            set_published(action, True, version=action.version, actor=officer, now=now)
        session.commit()
        ids = {"peru": peru.id, "regional": regional.id}
        db.session.remove()
    return {key: f"/catalogue/actions/{value}" for key, value in ids.items()}


def fill_of(page: Page, code: str) -> str:
    return page.locator(f'#map path[data-iso2="{code}"]').first.get_attribute("fill") or ""


def test_the_map_draws_offline_and_lists_a_countrys_actions(
    page: Page, live_server: LiveServer, published_actions: dict[str, str], tmp_path: Path
) -> None:
    here = urlsplit(live_server.url).netloc  # 127.0.0.1:<port>
    elsewhere: list[str] = []

    def only_this_app(route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc == here or request.url.startswith("data:"):
            route.continue_()
        else:
            elsewhere.append(request.url)
            route.abort("internetdisconnected")

    page.context.route("**/*", only_this_app)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))

    page.goto("/catalogue/map")
    expect(page.get_by_role("heading", level=1)).to_have_text("Map of the Actions")
    the_map = page.get_by_role("region", name="Map of the countries with Actions")
    expect(the_map).to_have_attribute("data-state", "ready")

    # Every country of the shapes file is drawn as an interactive SVG path, with its code on it.
    paths = page.locator("#map path.leaflet-interactive")
    assert paths.count() > 100
    for code in ("PE", "CR", "SV", "DO", "BZ", "PA", "CA"):
        expect(page.locator(f'#map path[data-iso2="{code}"]')).to_have_count(1)
    # Shaded by the number of Actions: Peru and the regional Action's members are, Canada is not.
    no_action = fill_of(page, "CA")
    assert no_action
    assert fill_of(page, "PE") not in ("", no_action)
    assert fill_of(page, "CR") not in ("", no_action)
    assert fill_of(page, "SV") == no_action
    # The zoom buttons are named in the page's language (Leaflet's own titles are English).
    expect(page.get_by_role("button", name="Zoom in")).to_have_count(1)
    expect(page.get_by_role("button", name="Zoom out")).to_have_count(1)
    # The legend names the numbers, not only the colours.
    legend = page.locator("#map-legend")
    expect(legend).to_contain_text("Number of Actions")
    expect(legend).to_contain_text("No Action")
    expect(legend).to_contain_text("1")

    # Clicking Peru lists its Action, with a link to its public page.
    page.locator('#map path[data-iso2="PE"]').click()
    panel = page.locator("#map-panel")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Peru")
    expect(panel).to_contain_text("1 Action")
    expect(panel.get_by_role("link", name=PERU_ACTION)).to_have_attribute("href", published_actions["peru"])
    expect(panel).to_contain_text("Document fraud detection at Lima airport")
    # A member country of the regional Action lists it, marked as regional.
    page.locator('#map path[data-iso2="CR"]').click()
    expect(panel.get_by_role("heading", level=2)).to_have_text("Costa Rica")
    expect(panel.get_by_role("link", name=REGIONAL_ACTION)).to_have_attribute("href", published_actions["regional"])
    expect(panel).to_contain_text("Regional")
    expect(panel).not_to_contain_text(PERU_ACTION)

    # The list under the map gives the same figures without the map (no script, screen readers).
    peru_row = page.locator('#map-list tr[data-iso2="PE"]')
    expect(peru_row.locator("[data-count]")).to_have_text("1")
    expect(peru_row.get_by_role("link", name="See its 1 Action")).to_have_attribute("href", "/catalogue/?country=PE")
    expect(page.locator('#map-list tr[data-iso2="PA"]').get_by_role("link", name="See its 1 Action")).to_be_visible()
    # ... and a keyboard user can select a country from it.
    page.locator('#map-list tr[data-iso2="PA"]').get_by_role("button", name="Show on the map").press("Enter")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Panama")

    # Ready for a strict script-src 'self': no inline script, no inline event handler.
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("[onclick], [onload], [onerror], [onchange], [onsubmit], [onmouseover]").count() == 0

    screenshot = tmp_path / "map.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000

    assert elsewhere == [], f"the map page tried to reach another origin: {elsewhere}"
    assert script_errors == []


def test_the_maps_zoom_buttons_speak_french(browser, live_server: LiveServer, published_actions: dict[str, str]) -> None:
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris")
    try:
        page = context.new_page()
        page.goto("/catalogue/map")
        expect(page.locator("#map")).to_have_attribute("data-state", "ready")
        expect(page.get_by_role("button", name="Zoom avant")).to_have_count(1)
        expect(page.get_by_role("button", name="Zoom arrière")).to_have_count(1)
    finally:
        context.close()
