"""The staffing journey in headless Chromium: suggest, invite, the expert accepts, the officer confirms."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Page, expect

from workflow.accounts.models import Role
from workflow.accounts.services import create_user
from workflow.actions.services import ActionDraft, open_action
from workflow.activities.lifecycle import ActivityKind
from workflow.activities.models import SlotRole
from workflow.activities.services import ActivityDraft, create_activity
from workflow.activities.slots import SlotDraft
from workflow.experts.models import Expert, ExpertLanguage, ExpertStatus, ExpertTheme, ExpertType, Gender
from workflow.extensions import db
from workflow.reference.models import ThematicArea

from .support import LiveServer, Person, sign_out_from_menu

pytestmark = pytest.mark.e2e

EXPERT = Person("marta.peer@dnm.example.org", "expert-password-1", "Marta Peer")


@pytest.fixture(scope="module")
def activity_url(live_server: LiveServer) -> str:
    """A planned workshop with an open trafficking slot, and an Argentinean peer who fits it."""
    now = datetime.now(UTC)
    with live_server.app.app_context():
        session = db.session
        from sqlalchemy import select

        from workflow.accounts.models import User

        officer = session.scalar(select(User).where(User.email == live_server.officer.email))
        thb = session.scalar(select(ThematicArea).where(ThematicArea.code == "irregular_migration_thb"))
        action = open_action(session, ActionDraft(title="Staffing journey", thematic_area_id=thb.id,
                                                  planned_start=date(2027, 1, 1), country_code="PY",
                                                  name="Paraguay (staffing journey)"), actor=officer, now=now)
        activity = create_activity(session, action, ActivityDraft(
            kind=ActivityKind.WORKSHOP, title="Workshop on victim identification", start_date=date(2027, 6, 14),
            end_date=date(2027, 6, 16), city="Asunción", country_code="PY", languages=("es",),
            slots=(SlotDraft(role=SlotRole.EXPERT, thematic_area_id=thb.id, language="es"),)), actor=officer, now=now)
        user = create_user(session, email=EXPERT.email, name=EXPERT.name, role=Role.EXPERT,
                           password=EXPERT.password, now=now)
        expert = Expert(name=EXPERT.name, email=EXPERT.email, gender=Gender.FEMALE, nationality="AR",
                        country_code="AR", type=ExpertType.PARTNER_PEER, years_experience=15,
                        status=ExpertStatus.ACTIVE, created_at=now, updated_at=now, user_id=user.id)
        expert.languages = [ExpertLanguage(language="es", level="C2")]
        expert.themes = [ExpertTheme(thematic_area_id=thb.id, level=3)]
        session.add(expert)
        session.commit()
        url = f"/activities/{activity.id}"
        db.session.remove()
    return url


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome", exact=False)).to_be_visible()


def sign_out(page: Page) -> None:
    sign_out_from_menu(page)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_officer_invites_from_suggestions_expert_accepts_officer_confirms(page: Page, live_server: LiveServer,
                                                                          activity_url: str):
    officer = live_server.officer
    sign_in(page, officer.email, officer.password)
    page.goto(activity_url)
    page.get_by_role("link", name="Suggest experts").click()
    expect(page.get_by_role("heading", name="Suggested experts")).to_be_visible()
    expect(page.get_by_text("at level 3", exact=False).first).to_be_visible()
    page.get_by_role("button", name=f"Invite {EXPERT.name}").click()
    expect(page.get_by_text(f"{EXPERT.name} is invited")).to_be_visible()
    sign_out(page)

    sign_in(page, EXPERT.email, EXPERT.password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My assignments").click()
    expect(page.get_by_text("Workshop on victim identification")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("accepted", exact=False).first).to_be_visible()
    expect(page.get_by_text("No open invitations.")).to_be_visible()
    sign_out(page)

    sign_in(page, officer.email, officer.password)
    page.goto(activity_url)
    page.get_by_role("link", name=EXPERT.name).click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("h1 .badge")).to_have_text("Confirmed")
