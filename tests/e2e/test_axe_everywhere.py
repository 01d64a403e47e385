"""The `page` fixture checks every page a journey visits with axe-core, without the journey asking."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .axe import PageAudit
from .support import LiveServer

BROKEN = ('<!doctype html><html lang="en"><head><title>Probe</title></head><body><main><h1>Probe</h1>'
          '<img src="/static/favicon.svg"><a href="/login">Sign in</a></main></body></html>')


def test_every_page_visited_is_checked_and_a_violation_is_reported(page: Page, live_server: LiveServer,
                                                                   audit: PageAudit):
    # A page of the site's origin with an image without a text alternative (axe: image-alt, critical).
    page.route("**/axe-probe", lambda route: route.fulfill(status=200, content_type="text/html", body=BROKEN))
    page.goto("/axe-probe")
    page.get_by_role("link", name="Sign in").click()  # leaves the page at once: its check is awaited first
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/password/forgot")  # reached by goto, never checked by hand
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.finish()

    paths = [url.removeprefix(live_server.url) for url in audit.pages_checked]
    assert paths == ["/axe-probe", "/login", "/password/forgot"]
    assert len(audit.problems) == 1 and "image-alt" in audit.problems[0] and "/axe-probe" in audit.problems[0]
    audit.problems.clear()  # the probe's violation was the point; the fixture checks the rest as usual


# The pages of issues 20 and 21 that stand without a record, in the live server's nearly empty portfolio: lists and
# figures with nothing yet to show, and the forms that start a record.
EMPTY_STATE_PAGES = ("/finance", "/finance?by=region", "/finance?by=year", "/rates", "/knowledge/events",
                     "/knowledge/events/new", "/knowledge/practices", "/knowledge/practices/new")


def test_the_results_knowledge_and_money_pages_are_checked_before_there_is_anything_to_show(
        page: Page, live_server: LiveServer, audit: PageAudit):
    page.goto("/login")
    page.get_by_label("E-mail").fill(live_server.officer.email)
    page.get_by_label("Password", exact=True).fill(live_server.officer.password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    for path in EMPTY_STATE_PAGES:
        answer = page.goto(path)
        assert answer is not None and answer.ok, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.context.clear_cookies()
    page.goto("/catalogue/practices")  # the public library, to a visitor
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.finish()
    checked = [url.removeprefix(live_server.url) for url in audit.pages_checked]
    assert set(EMPTY_STATE_PAGES) | {"/catalogue/practices"} <= set(checked)
