"""Every main page of every demo role, on a laptop (1366×900) and on a phone (390×844).

At each size, on each page: nothing is wider than the window (`document.documentElement.scrollWidth`),
axe-core finds no serious or critical violation (tests/e2e/axe.py checks every page loaded), and the
Content-Security-Policy blocks nothing (`securitypolicyviolation` events and the console). On the phone
the menu starts collapsed and opens with its toggler.

The pages are those the role's own menu leads to (the bar, the staff's Tools, the user's menu) and, from
each list, the first record it links to: an Action, a request, an expert… — found by following the menu,
so a link added to the menu is visited without this file changing (RECORD_LISTS names the lists). The data is the demo portfolio
(`flask seed demo`), in a database of its own: one browser, one context per role and size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from seed.demo import DEMO_PASSWORD
from workflow.activities.models import Activity
from workflow.deployments.models import Deployment
from workflow.extensions import db
from workflow.finance.models import CostLine
from workflow.knowledge.models import KnowledgeEvent, Practice
from workflow.missions.models import ExpenseClaim
from workflow.results.models import DeliverableStage, ExpectedResult, Indicator, Measurement, ResultsFramework

from .axe import PageAudit
from .conftest import TIMEOUT_MS
from .support import LiveServer

pytestmark = pytest.mark.e2e

ROLES = {
    "admin": "admin@demo.peerflow.org",
    "officer": "officer@demo.peerflow.org",
    "requester": "requester.pe@demo.peerflow.org",
    "focal point": "focal.es@demo.peerflow.org",
    "expert": "expert@demo.peerflow.org",
    "steering member": "steering@demo.peerflow.org",
}
SIZES = {"laptop": (1366, 900), "phone": (390, 844)}
PHONE_WIDTH = SIZES["phone"][0]

# Noted in every document, before its own scripts: what the policy blocked.
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " + location.pathname);
});
"""
# The menu's own links, the staff's tools and the user's menu (account, notification preferences).
MENU_LINKS = """() => Array.from(document.querySelectorAll(
  '#main-menu a.nav-link[href], #main-menu a.dropdown-item[href]:not([hreflang])'), a => a.getAttribute("href"))"""
# Lists whose records have a main page of their own: the first record listed is visited too.
RECORD_LISTS = ("/actions/", "/requests/", "/activities/", "/experts/")
# The first record a list page links to (in its table or list of cards).
FIRST_RECORD = """() => {
  const here = location.pathname.replace(/\\/$/, "");
  const link = Array.from(document.querySelectorAll("main table tbody a[href], main .list-group a[href], main .card a[href]"))
    .find(a => { const p = new URL(a.href).pathname; return p.startsWith(here + "/") && /\\d/.test(p); });
  return link ? link.getAttribute("href") : null;
}"""
WIDTHS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@dataclass
class Visit:
    page: Page
    audit: PageAudit
    faults: list[str]
    blocked: list[str]

    def open(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.ok, f"{path}: {response.status if response else 'no answer'}"
        self.page.wait_for_load_state("load")
        scroll_width, window_width = self.page.evaluate(WIDTHS)
        if scroll_width > window_width:
            self.faults.append(f"{path}: {scroll_width} px wide in a {window_width} px window")
        self.blocked.extend(self.page.evaluate("() => window.__cspViolations || []"))
        headings = self.page.locator("h1").count()
        if headings != 1:
            self.faults.append(f"{path}: {headings} <h1> (one per page)")


def sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def main_pages(page: Page) -> list[str]:
    """The role's main pages, from its menu (in the order of the menu, each once, without fragments)."""
    seen: list[str] = []
    for href in page.evaluate(MENU_LINKS):
        path = urlsplit(href).path
        if path not in seen:
            seen.append(path)
    return seen


def check_menu_collapses(page: Page) -> None:
    """On a phone the menu is folded behind its toggler, which opens it (and says so to screen readers)."""
    toggler = page.get_by_role("navigation", name="Main").get_by_test_id("menu-toggler")
    menu = page.locator("#main-menu")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    # A click that comes before the page's scripts are ready opens nothing (a busy machine): wait for them, and
    # click again until the menu opens.
    page.wait_for_load_state("load")
    for _attempt in range(5):
        toggler.click()
        try:
            expect(menu).to_have_class(re.compile(r"\bshow\b"), timeout=3_000)  # opened, its animation over
            break
        except AssertionError:
            if toggler.get_attribute("aria-expanded") == "true":
                break  # opening, slowly: the check below waits for it
    expect(menu).to_have_class(re.compile(r"\bshow\b"))
    expect(menu).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_test_id("todo-menu")).to_be_visible()
    # The user's menu, inside it: account, preferences, the language choice and signing out.
    menu.get_by_test_id("user-menu").click()
    for item in ("Your account", "Notification preferences", "français"):
        expect(menu.get_by_role("link", name=item, exact=True)).to_be_visible()
    expect(menu.get_by_role("button", name="Sign out")).to_be_visible()
    page.keyboard.press("Escape")
    toggler.click()
    expect(menu).to_be_hidden()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("role", list(ROLES))
def test_every_main_page_fits_the_window_and_is_accessible(browser: Browser, demo_server: LiveServer,
                                                           role: str, size: str):
    width, height = SIZES[size]
    context = browser.new_context(base_url=demo_server.url, locale="en-GB", timezone_id="UTC",
                                  viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.add_init_script(CSP_WATCH)
        audit = PageAudit(page)
        sign_in(page, ROLES[role])
        visit = Visit(page, audit, faults=[], blocked=[])
        if width == PHONE_WIDTH:
            check_menu_collapses(page)
        else:
            expect(page.get_by_test_id("menu-toggler")).to_be_hidden()
            top = page.evaluate("() => [...document.querySelectorAll('#main-menu > ul > li')]"
                                ".map(li => li.getBoundingClientRect().top)")
            assert max(top) - min(top) < 8, f"the bar wraps onto a second row at {width} px"
        pages = main_pages(page)
        assert pages, "the menu leads nowhere"
        for path in pages:
            visit.open(path)
            record = page.evaluate(FIRST_RECORD) if path in RECORD_LISTS else None
            if record:
                visit.open(record)
        audit.finish()
        assert not visit.faults, f"At {width} px:\n" + "\n".join(visit.faults)
        assert not visit.blocked, "The Content-Security-Policy blocked:\n" + "\n".join(visit.blocked)
        audit.assert_clean()
    finally:
        context.close()


# --- The pages of issues 20 and 21 (results, knowledge, money, missions), which no menu leads to directly: each
# role's pages on the demo portfolio, found in its database (the requester's by following its own Actions' links).

NEWS_LINK = r"^/deliverables/\d+/news$"


def issue_pages(app) -> dict[str, list[str]]:
    """The results, deliverable, knowledge, money and mission pages of each role, on the demo data."""
    with app.app_context():
        first = lambda query: db.session.scalar(query.limit(1))  # noqa: E731
        framework = first(select(ResultsFramework.action_id).order_by(ResultsFramework.action_id))
        bare = first(select(Activity.action_id).where(Activity.action_id.not_in(select(ResultsFramework.action_id))))
        claim = db.session.scalars(select(ExpenseClaim).order_by(ExpenseClaim.id)).first()
        deployment = claim.deployment_id
        line = first(select(CostLine).order_by(CostLine.id))
        upcoming = first(select(Deployment.id).where(Deployment.expert_id == claim.deployment.expert_id)
                         .order_by(Deployment.id.desc()))  # the expert's latest mission: one to come
        officer = [
            f"/actions/{framework}/results", f"/actions/{framework}/results/edit", f"/actions/{bare}/results",
            f"/expected-results/{first(select(ExpectedResult.id))}/edit",
            f"/indicators/{first(select(Indicator.id))}/edit", f"/indicators/{first(select(Indicator.id))}/measurements/new",
            f"/measurements/{first(select(Measurement.id))}/withdraw",
            f"/deliverables/{first(select(DeliverableStage.deliverable_id))}/news",
            "/knowledge/events", f"/knowledge/events/{first(select(KnowledgeEvent.id))}", "/knowledge/events/new",
            "/knowledge/practices", f"/knowledge/practices/{first(select(Practice.id))}", "/knowledge/practices/new",
            f"/actions/{framework}", f"/actions/{framework}/budget", f"/activities/{line.activity_id}",
            f"/activities/{line.activity_id}/costs/new", f"/costs/{line.id}/edit", f"/activities/{line.activity_id}/papers",
            "/finance", "/finance?by=region", "/finance?by=year", "/rates",
            f"/deployments/{deployment}/mission", f"/claims/{claim.id}",
        ]
        return {
            "officer": officer,
            "admin": ["/rates", "/rates/allowances/new", "/rates/fees/new"],
            "expert": [f"/deployments/{deployment}/mission", f"/claims/{claim.id}", f"/deployments/{upcoming}/mission"],
            "visitor": ["/catalogue/practices", f"/catalogue/practices/{first(select(Practice.id))}"],
        }


def requester_pages(page: Page) -> list[str]:
    """The requester's first Action with a deliverable to give news of: its page, its results and that news form."""
    page.goto("/actions/")
    actions = page.evaluate("() => [...new Set([...document.querySelectorAll('main a[href]')].map(a => a.getAttribute('href'))"
                            ".filter(h => /^\\/actions\\/\\d+$/.test(h)))]")
    for action in actions:
        page.goto(action)
        news = page.evaluate(f"() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
                             f".filter(h => /{NEWS_LINK.replace('/', chr(92) + '/')}/.test(h))")
        if news:
            return [action, f"{action}/results", news[0]]
    raise AssertionError("no Action of the requester has a deliverable to give news of")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("role", ["officer", "admin", "requester", "expert", "visitor"])
def test_the_results_knowledge_money_and_mission_pages_fit_and_are_accessible(
        browser: Browser, demo_server: LiveServer, role: str, size: str, language: str):
    width, height = SIZES[size]
    context = browser.new_context(base_url=demo_server.url, locale="en-GB", timezone_id="UTC",
                                  viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.add_init_script(CSP_WATCH)
        audit = PageAudit(page)
        if role != "visitor":
            sign_in(page, ROLES[role])
        page.goto(f"/catalogue/?lang={language}")  # the switcher's own link: kept in the session
        paths = requester_pages(page) if role == "requester" else issue_pages(demo_server.app)[role]
        visit = Visit(page, audit, faults=[], blocked=[])
        for path in paths:
            visit.open(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        audit.finish()
        assert not visit.faults, f"At {width} px:\n" + "\n".join(visit.faults)
        assert not visit.blocked, "The Content-Security-Policy blocked:\n" + "\n".join(visit.blocked)
        audit.assert_clean()
    finally:
        context.close()
