"""The money pages in a real browser: the demo's budget on an Action page, the money figures, the rates and the
dashboard, on a laptop and a phone: nothing wider than the window, no serious accessibility fault."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from workflow.actions.models import Action
from workflow.extensions import db

from .axe import PageAudit
from .test_responsive import SIZES, WIDTHS, sign_in

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/peerflow-money-shots")  # for a person to look at; the test checks widths and axe


@pytest.mark.parametrize("size", list(SIZES))
def test_the_money_pages_fit_the_window(browser: Browser, demo_server, size):
    with demo_server.app.app_context():
        action_id = db.session.scalar(select(Action.id).where(Action.name == "Colombia II"))
    width, height = SIZES[size]
    context = browser.new_context(base_url=demo_server.url, viewport={"width": width, "height": height},
                                  locale="en-GB", timezone_id="UTC")
    page = context.new_page()
    audit = PageAudit(page)
    try:
        sign_in(page, "officer@demo.peerflow.org")
        for path in (f"/actions/{action_id}", "/finance?by=region", "/finance?by=action", "/rates", "/dashboard/"):
            response = page.goto(path)
            assert response is not None and response.ok, path
            page.wait_for_load_state("load")
            scroll, window = page.evaluate(WIDTHS)
            assert scroll <= window, f"{path}: {scroll} px wide in a {window} px window"
        page.goto(f"/actions/{action_id}")
        expect(page.locator("#money")).to_contain_text("Venue and catering")
        SHOTS.mkdir(exist_ok=True)
        page.locator("#money").screenshot(path=str(SHOTS / f"action-money-{size}.png"))
        page.goto("/dashboard/")
        page.locator("#money-figures").screenshot(path=str(SHOTS / f"dashboard-money-{size}.png"))
        audit.assert_clean()
    finally:
        context.close()
