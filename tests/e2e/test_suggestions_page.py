"""The suggestions page in headless Chromium: twenty candidates on a laptop's screen, stacked rows on a phone,
the refused listed apart, and Invite in place (by fetch, without leaving the page) or, without JavaScript,
by the usual post and redirect."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from workflow.accounts.models import User
from workflow.actions.services import ActionDraft, open_action
from workflow.activities.lifecycle import ActivityKind
from workflow.activities.models import SlotRole
from workflow.activities.services import ActivityDraft, create_activity
from workflow.activities.slots import SlotDraft
from workflow.deployments.lifecycle import DeploymentStatus
from workflow.deployments.models import Deployment
from workflow.experts.models import (
    Expert,
    ExpertLanguage,
    ExpertStatus,
    ExpertTheme,
    ExpertType,
    Gender,
    Unavailability,
)
from workflow.extensions import db
from workflow.reference.models import ThematicArea

from .axe import PageAudit
from .conftest import TIMEOUT_MS
from .support import LiveServer

pytestmark = pytest.mark.e2e

THEME = "migration_development"
CANDIDATES = 22  # more than a page: twenty rows, whatever the invitations made by the tests
START, END = date(2027, 9, 13), date(2027, 9, 15)
AWAY = "Paula Ausente"  # would rank first, but is unavailable on the dates


def _expert(session, name: str, theme: ThematicArea, *, level: int, years: int, country: str, now: datetime):
    expert = Expert(name=name, email=f"{name.lower().replace(' ', '.')}@suggest.example.org",
                    gender=Gender.FEMALE if len(name) % 2 else Gender.MALE, nationality=country,
                    country_code=country, type=ExpertType.MS_OFFICIAL, years_experience=years,
                    status=ExpertStatus.ACTIVE, created_at=now, updated_at=now)
    expert.languages = [ExpertLanguage(language="pt", level="C2"), ExpertLanguage(language="en", level="C1")]
    expert.themes = [ExpertTheme(thematic_area_id=theme.id, level=level)]
    session.add(expert)
    return expert


@pytest.fixture(scope="module")
def slots(live_server: LiveServer) -> dict[str, str]:
    """A Portuguese-language workshop with two places and a seminar with one, on the same dates; 22 experts who
    fit them, and one who would fit best but is away then."""
    now = datetime.now(UTC)
    with live_server.app.app_context():
        session = db.session
        officer = session.scalar(select(User).where(User.email == live_server.officer.email))
        theme = session.scalar(select(ThematicArea).where(ThematicArea.code == THEME))
        action = open_action(session, ActionDraft(title="Diaspora and development", thematic_area_id=theme.id,
                                                  planned_start=date(2027, 1, 1), country_code="BR",
                                                  name="Brazil (suggestions page)"), actor=officer, now=now)
        urls = {}
        for kind, title, places in ((ActivityKind.WORKSHOP, "Workshop on diaspora bonds", 2),
                                    (ActivityKind.SEMINAR, "Seminar on remittance costs", 1)):
            activity = create_activity(session, action, ActivityDraft(
                kind=kind, title=title, start_date=START, end_date=END, city="Recife", country_code="BR",
                languages=("pt",), slots=(SlotDraft(role=SlotRole.EXPERT, thematic_area_id=theme.id, language="pt",
                                                    places=places),)), actor=officer, now=now)
            urls[kind.value] = f"/slots/{activity.slots[0].id}/suggestions"
        for n in range(CANDIDATES):
            _expert(session, f"Perita Sugerida {n + 1:02d}", theme, level=3 - n % 3, years=n % 11,
                    country=("PT", "ES", "IT")[n % 3], now=now)
        away = _expert(session, AWAY, theme, level=3, years=15, country="PT", now=now)
        away.unavailable = [Unavailability(start_date=START, end_date=END, reason="parental leave")]
        session.commit()
        db.session.remove()
    return urls


def sign_in(page: Page, live_server: LiveServer) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(live_server.officer.email)
    page.get_by_label("Password", exact=True).fill(live_server.officer.password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome", exact=False)).to_be_visible()


def deployment_status(live_server: LiveServer, url: str, name: str) -> DeploymentStatus | None:
    """The status of the expert's deployment on the slot whose suggestions are at `url`."""
    slot_id = int(url.split("/")[2])
    with live_server.app.app_context():
        found = db.session.scalar(select(Deployment.status).join(Expert).where(Expert.name == name,
                                                                               Deployment.slot_id == slot_id))
        db.session.remove()
    return found


def test_twenty_candidates_fit_a_laptop_screen_and_stack_on_a_phone(page: Page, live_server: LiveServer,
                                                                    slots: dict[str, str], audit: PageAudit):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server)
    page.goto(slots["workshop"])
    rows = page.get_by_test_id("suggestion")
    expect(rows).to_have_count(20)
    heights = rows.evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    assert max(heights) <= 44, heights  # one line each
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 1400, f"the page is {height} px tall for twenty candidates"
    away = page.get_by_test_id("not-eligible").get_by_test_id("refused")
    expect(away).to_have_count(1)
    expect(away).to_contain_text(AWAY)
    expect(away).to_contain_text("Unavailable")
    expect(away).to_contain_text("parental leave")
    expect(page.get_by_test_id("suggestions").get_by_text(AWAY)).to_have_count(0)

    first = rows.first
    value = first.locator("meter").get_attribute("value").split(".")[0]
    expect(first.locator("meter")).to_have_attribute("aria-valuetext", f"{value} of 99")
    expect(first.locator(".pf-score")).to_contain_text(value)  # the number beside the bar
    breakdown = first.locator("details ul")
    expect(breakdown).to_be_hidden()
    first.locator("summary").click()
    expect(breakdown).to_be_visible()
    expect(breakdown).to_contain_text("Total:")
    audit.check("a breakdown open")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{widths[0]} px wide in a {widths[1]} px window"
    name, invite = rows.first.locator("th a"), rows.first.get_by_test_id("invite")
    expect(invite).to_be_visible()
    assert abs(name.bounding_box()["y"] - invite.bounding_box()["y"]) < 20  # name and Invite on one line
    audit.check("the phone's stacked rows")


def test_invite_in_place_marks_the_row_invited_without_leaving_the_page(page: Page, live_server: LiveServer,
                                                                        slots: dict[str, str]):
    sign_in(page, live_server)
    page.goto(slots["workshop"])
    url = page.url
    page.evaluate("() => { window.__samePage = true; }")
    rows = page.get_by_test_id("suggestion")
    first_name, second_name = rows.nth(0).locator("th a").inner_text(), rows.nth(1).locator("th a").inner_text()

    page.get_by_role("button", name=f"Invite {first_name}").click()
    expect(rows.nth(0).get_by_test_id("invited")).to_have_text("Invited")
    expect(page.get_by_test_id("invite-status")).to_contain_text(f"{first_name} is invited")
    assert page.evaluate("() => window.__samePage") is True and page.url == url  # no reload, no redirect
    assert deployment_status(live_server, slots["workshop"], first_name) is DeploymentStatus.INVITED

    page.get_by_role("button", name=f"Invite {second_name}").click()  # the last place
    expect(rows.nth(1).get_by_test_id("invited")).to_be_visible()
    expect(page.get_by_role("button", name=rows.nth(2).locator("th a").inner_text(), exact=False)).to_be_disabled()

    page.reload()
    expect(page.get_by_text("On this slot:")).to_be_visible()
    expect(page.get_by_test_id("suggestions").get_by_text(first_name)).to_have_count(0)
    expect(page.get_by_test_id("invite")).to_have_count(0)


def test_without_javascript_invite_posts_and_redirects_to_the_activity(browser: Browser, live_server: LiveServer,
                                                                       slots: dict[str, str]):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-GB",
                                  viewport={"width": 1366, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, live_server)
        page.goto(slots["seminar"])
        name = page.get_by_test_id("suggestion").first.locator("th a").inner_text()
        page.get_by_role("button", name=f"Invite {name}").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Seminar on remittance costs")
        expect(page.locator(".alert-success")).to_contain_text(f"{name} is invited")
        assert deployment_status(live_server, slots["seminar"], name) is DeploymentStatus.INVITED
    finally:
        context.close()
