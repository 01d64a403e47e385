"""An expert without an account opens the link a call's e-mail gives them, stops calls by e-mail, then changes
their mind, in a browser that never signed in (every page checked by axe)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from workflow.calls.optout import unsubscribe_token
from workflow.extensions import db

from ..factories import make_expert
from .axe import PageAudit
from .support import LiveServer

pytestmark = pytest.mark.e2e


def test_an_expert_without_an_account_stops_calls_by_email_at_their_link(page: Page, live_server: LiveServer,
                                                                         audit: PageAudit):
    with live_server.app.app_context():
        # Inactive: no call of another journey reaches (or leaves out) this expert of the shared database.
        expert = make_expert(db.session, name="Ingrid Unsubscribe", country="SE", status="inactive")
        db.session.commit()
        token = unsubscribe_token(expert, live_server.app.config["SECRET_KEY"])
        db.session.remove()

    page.goto(f"/calls/unsubscribe/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calls for experts by e-mail")
    expect(page.get_by_text("For Ingrid Unsubscribe")).to_be_visible()
    page.get_by_role("button", name="Receive no more calls for experts by e-mail").click()
    expect(page.locator(".alert-success")).to_contain_text("You will receive no more calls for experts by e-mail.")
    page.get_by_role("button", name="Receive calls for experts by e-mail again").click()
    expect(page.locator(".alert-success")).to_contain_text("Calls for experts will reach you by e-mail again.")
    expect(page.get_by_role("button", name="Receive no more calls for experts by e-mail")).to_be_visible()
    assert page.goto(f"/calls/unsubscribe/{token[:-2]}").status == 404
