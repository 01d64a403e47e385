"""Forms in headless Chromium (#19): an activity planned from its Action's defaults with slot rows added and
removed in the page, and a long list of checkboxes narrowed by its filter box, by keyboard."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from workflow.accounts.models import User
from workflow.actions.services import ActionDraft, open_action
from workflow.activities.models import Activity
from workflow.extensions import db
from workflow.reference.models import ThematicArea

from .support import LiveServer, Person

pytestmark = pytest.mark.e2e


def sign_in(page: Page, person: Person) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(person.email)
    page.get_by_label("Password", exact=True).fill(person.password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {person.name}")).to_be_visible()


@pytest.fixture(scope="module")
def guatemala_action(live_server: LiveServer) -> str:
    with live_server.app.app_context():
        session = db.session
        officer = session.scalar(select(User).where(User.email == live_server.officer.email))
        area = session.scalar(select(ThematicArea).where(ThematicArea.code == "migration_development"))
        action = open_action(session, ActionDraft(title="Diaspora engagement", thematic_area_id=area.id,
                                                  planned_start=date(2027, 1, 4), country_code="GT",
                                                  name="Guatemala (forms journey)"),
                             actor=officer, now=datetime.now(UTC))
        session.commit()
        url = f"/actions/{action.id}/activities/new"
        db.session.remove()
    return url


def rows(page: Page):
    return page.locator("[data-slot-rows] [data-slot-row]")


def test_slot_rows_are_added_and_removed_in_the_page_from_the_actions_defaults(
        page: Page, live_server: LiveServer, guatemala_action: str) -> None:
    sign_in(page, live_server.officer)
    page.goto(guatemala_action)
    expect(page.get_by_label("Country", exact=True)).to_have_value("GT")
    languages = page.get_by_role("group", name="Languages", exact=True)
    expect(languages.get_by_label("Spanish")).to_be_checked()
    expect(rows(page)).to_have_count(1)
    first = page.get_by_role("group", name="New slot 1")
    expect(first.get_by_label("Thematic area")).to_have_value(re.compile(r"\d+"))
    expect(first.get_by_label("Thematic area").locator("option:checked")).to_have_text("Migration and development")
    expect(first.get_by_label("Language")).to_have_value("es")

    page.get_by_label("Kind").select_option(label="Workshop")
    page.get_by_label("Title").fill("Workshop on diaspora mapping")
    page.get_by_label("City").fill("Guatemala City")
    page.get_by_label("Start", exact=True).fill("2027-03-08")
    page.get_by_label("End", exact=True).fill("2027-03-10")
    languages.get_by_label("English").check()

    add = page.get_by_role("button", name="Add another slot")
    add.click()
    add.click()
    expect(rows(page)).to_have_count(3)
    expect(page.get_by_role("group", name="New slot 3").get_by_label("Role")).to_be_focused()
    page.get_by_role("button", name="Remove New slot 2").click()
    expect(rows(page)).to_have_count(2)
    expect(add).to_be_focused()
    second = page.get_by_role("group", name="New slot 2")  # renumbered: the third row is now the second
    expect(second.get_by_label("Role")).to_have_attribute("name", "slots-2-role")
    second.get_by_label("Role").select_option(label="Trainer")
    second.get_by_label("Language").select_option(label="English")
    second.get_by_label("Places").fill("2")
    page.get_by_label("Title").press("Enter")  # Enter saves: it does not add a row

    expect(page.locator(".alert-success")).to_contain_text("Activity planned. Next: find experts for its slots")
    with live_server.app.app_context():
        activity = db.session.scalar(select(Activity).where(Activity.title == "Workshop on diaspora mapping"))
        assert activity.country_code == "GT" and activity.languages == ["es", "en"]
        assert [(s.role.value, s.language, s.places, s.thematic_area.code) for s in activity.slots] == [
            ("expert", "es", 1, "migration_development"), ("trainer", "en", 2, "migration_development")]
        db.session.remove()


def test_a_long_checkbox_list_is_narrowed_by_its_filter_and_ticked_by_keyboard(
        page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server.officer)
    page.goto("/experts/new")
    countries = page.get_by_role("group", name="Countries worked in")
    filter_box = countries.get_by_role("searchbox")
    expect(filter_box).to_be_visible()
    expect(countries.get_by_text("None chosen.")).to_be_visible()
    filter_box.fill("peru")
    expect(countries.get_by_role("checkbox", name="Peru")).to_be_visible()
    expect(countries.get_by_role("checkbox", name="Bolivia")).to_be_hidden()
    filter_box.press("Tab")
    expect(countries.get_by_role("checkbox", name="Peru")).to_be_focused()
    page.keyboard.press("Space")
    expect(countries.get_by_role("checkbox", name="Peru")).to_be_checked()
    filter_box.fill("BOLÍ")  # case and accents aside
    countries.get_by_role("checkbox", name="Bolivia").check()
    filter_box.fill("zzz")
    expect(countries.get_by_text("Nothing matches the filter.")).to_be_visible()
    filter_box.fill("")
    expect(countries.get_by_text("Chosen: Bolivia, Peru.")).to_be_visible()
