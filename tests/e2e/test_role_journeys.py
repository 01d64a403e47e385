"""The whole programme cycle in headless Chromium, each role signed in as themselves, every page checked.

    requester (Peru) drafts and submits a request
    -> officer reviews and accepts it: the Action opens; starts the assessment; plans the assessment
       mission with an expert slot and invites the suggested expert
    -> focal point of Spain approves the release of their official
    -> expert accepts the invitation
    -> officer confirms the deployment and the mission, marks it delivered
    -> expert writes the mission report; officer completes the deployment and records the activity report
    -> officer moves the Action through implementation to closing and writes the final report
    -> admin closes the Action; the requester sees it closed.

On every page visited, axe-core (tests/e2e/axe.py) must find no serious or critical accessibility
violation, and the browser must report no Content-Security-Policy violation.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from workflow.accounts.models import Role, User
from workflow.accounts.services import create_user
from workflow.actions.publishing import set_published
from workflow.actions.services import ActionDraft, open_action
from workflow.activities.lifecycle import ActivityKind
from workflow.activities.services import ActivityDraft, create_activity
from workflow.experts.models import Expert, ExpertLanguage, ExpertStatus, ExpertTheme, ExpertType, Gender
from workflow.extensions import db
from workflow.reference.models import Institution, InstitutionKind, ThematicArea

from .axe import PageAudit
from .support import LiveServer, Person, sign_out_from_menu

pytestmark = pytest.mark.e2e

FOCAL_POINT = Person("focal.es@interior.example.es", "focal-point-passphrase-1", "Elena Focal")
EXPERT = Person("ines.experta@policia.example.es", "expert-passphrase-for-ines", "Inés Experta")
ADMIN = Person("ana.admin@peerflow.example.org", "admin-passphrase-for-ana", "Ana Admin")

THEME = "Irregular migration and trafficking in human beings"
REQUEST_TITLE = "Identifying victims of trafficking at the northern border"
NEED = "Our border posts in Tumbes rarely identify victims of trafficking; we ask for peers to train them."
MISSION = "Assessment mission on victim identification"


@pytest.fixture(scope="module")
def people(live_server: LiveServer) -> dict[str, Person]:
    """The roles the journeys of test_journeys.py do not seed: Spain's focal point, a Spanish expert, an admin."""
    now = datetime.now(UTC)
    with live_server.app.app_context():
        session = db.session
        ministry = Institution(name="Ministerio del Interior (España)", acronym="MIR", country_code="ES",
                               kind=InstitutionKind.MS_ADMINISTRATION)
        session.add(ministry)
        session.flush()
        create_user(session, email=FOCAL_POINT.email, name=FOCAL_POINT.name, role=Role.MS_FOCAL_POINT,
                    password=FOCAL_POINT.password, now=now, country_code="ES")
        create_user(session, email=ADMIN.email, name=ADMIN.name, role=Role.ADMIN, password=ADMIN.password, now=now)
        user = create_user(session, email=EXPERT.email, name=EXPERT.name, role=Role.EXPERT,
                           password=EXPERT.password, now=now)
        area = session.scalar(select(ThematicArea).where(ThematicArea.code == "irregular_migration_thb"))
        expert = Expert(name=EXPERT.name, email=EXPERT.email, gender=Gender.FEMALE, nationality="ES",
                        country_code="ES", institution_id=ministry.id, type=ExpertType.MS_OFFICIAL,
                        years_experience=14, status=ExpertStatus.ACTIVE, created_at=now, updated_at=now,
                        user_id=user.id)
        expert.languages = [ExpertLanguage(language="es", level="C2"), ExpertLanguage(language="en", level="C1")]
        expert.themes = [ExpertTheme(thematic_area_id=area.id, level=3)]
        session.add(expert)
        session.commit()
        db.session.remove()
    return {"requester": live_server.requester_pe, "officer": live_server.officer, "focal": FOCAL_POINT,
            "expert": EXPERT, "admin": ADMIN}


# --- What a person does, in words ---------------------------------------------------------------


class Visitor:
    """One browser, used by each role in turn; every page reached is checked by `audit`."""

    def __init__(self, page: Page, audit: PageAudit) -> None:
        self.page, self.audit = page, audit

    def checked(self, what: str) -> None:
        self.audit.check(what)

    def sign_in(self, person: Person) -> None:
        self.page.goto("/login")
        self.checked("sign-in page")
        self.page.get_by_label("E-mail").fill(person.email)
        self.page.get_by_label("Password", exact=True).fill(person.password)
        self.click("Sign in")
        expect(self.page.get_by_role("heading", name=f"Welcome, {person.name}")).to_be_visible()
        self.checked(f"home page of {person.name}")

    def sign_out(self) -> None:
        sign_out_from_menu(self.page)
        expect(self.page.get_by_role("heading", name="Sign in")).to_be_visible()

    def menu(self, item: str) -> None:
        self.page.get_by_role("navigation", name="Main").get_by_role("link", name=item, exact=True).click()
        self.checked(f"menu: {item}")

    def link(self, name: str | re.Pattern[str], *, exact: bool = True) -> None:
        self.page.get_by_role("link", name=name, exact=exact).first.click()
        self.checked(f"link: {name}")

    def click(self, button: str) -> None:
        self.page.get_by_role("button", name=button, exact=True).click()

    def step(self, button: str, status: str) -> None:
        """Press a lifecycle button and see the status badge change."""
        self.click(button)
        expect(self.badge()).to_have_text(status)
        self.checked(f"after {button}")

    def badge(self):
        return self.page.locator("h1 .badge")

    def success(self, text: str) -> None:
        expect(self.page.locator(".alert-success")).to_contain_text(text)


# --- The journey ---------------------------------------------------------------------------------


def test_each_role_plays_its_part_from_request_to_closed_action(page: Page, live_server: LiveServer,
                                                               people: dict[str, Person], audit: PageAudit):
    you = Visitor(page, audit)
    today = date.today()

    # The requester drafts and submits the request.
    you.sign_in(people["requester"])
    you.menu("Requests")
    you.link("Draft a new request")
    page.get_by_label("Title").fill(REQUEST_TITLE)
    page.get_by_label("Thematic area").select_option(label=THEME)
    page.get_by_label("What does your administration need?").fill(NEED)
    page.get_by_label("Desired start").fill(today.isoformat())
    you.click("Save draft")
    you.success("Draft saved")
    you.checked("the draft request")
    you.step("Submit", "Submitted")
    you.sign_out()

    # The officer reviews and accepts it, starts the assessment and plans the mission with an expert slot.
    you.sign_in(people["officer"])
    you.menu("Requests")
    you.link(REQUEST_TITLE)
    you.step("Start review", "Under review")
    you.click("Accept and create the Action")
    expect(page).to_have_url(re.compile(r"/actions/\d+$"))
    expect(you.badge()).to_have_text("Accepted")
    you.checked("the new Action")
    action_url = page.url
    action_name = page.get_by_role("heading", level=1).inner_text().removesuffix("Accepted").strip()
    you.step("Start assessment", "Assessment")
    you.link("Plan an activity")
    page.get_by_label("Kind").select_option(label="Fact-finding mission")
    page.get_by_label("Title").fill(MISSION)
    page.get_by_label("City").fill("Tumbes")
    page.get_by_label("Country", exact=True).select_option(label="Peru")
    page.get_by_label("Start", exact=True).fill(today.isoformat())
    page.get_by_label("End", exact=True).fill((today + timedelta(days=2)).isoformat())
    page.get_by_role("group", name="Languages", exact=True).get_by_label("Spanish").check()
    page.locator("#slots-0-thematic_area_id").select_option(label=THEME)
    page.locator("#slots-0-language").select_option(label="Spanish")
    you.click("Save")
    you.success("Activity planned")
    expect(you.badge()).to_have_text("Planned")
    you.checked("the planned mission")
    activity_url = page.url
    you.link("Suggest experts")
    expect(page.get_by_role("heading", name="Suggested experts")).to_be_visible()
    you.click(f"Invite {EXPERT.name}")
    you.success(f"{EXPERT.name} is invited")
    you.checked("the mission with its invitation")
    you.sign_out()

    # Spain's focal point releases their official for the mission.
    you.sign_in(people["focal"])
    you.menu("Experts")
    you.link(EXPERT.name)
    you.link(MISSION)
    you.click("Approve the release")
    you.success("Release approved")
    you.checked("the released deployment")
    you.sign_out()

    # The expert accepts the invitation.
    you.sign_in(people["expert"])
    you.menu("My assignments")
    expect(page.get_by_text(MISSION)).to_be_visible()
    you.click("Accept")
    expect(page.get_by_text("No open invitations.")).to_be_visible()
    you.checked("the expert's assignments")
    you.sign_out()

    # The officer confirms the deployment and the mission, and marks it delivered.
    you.sign_in(people["officer"])
    page.goto(activity_url)
    you.checked("the mission")
    you.link(EXPERT.name)
    you.step("Confirm", "Confirmed")
    page.goto(activity_url)
    you.step("Confirm", "Confirmed")
    you.step("Mark delivered", "Delivered")
    you.sign_out()

    # The expert writes the mission report.
    you.sign_in(people["expert"])
    you.menu("My assignments")
    you.link(MISSION)
    page.get_by_role("textbox", name="Mission report").fill("Trained 25 border officers in Tumbes on the identification indicators.")
    you.click("Save the report")
    you.success("Mission report saved")
    you.checked("the expert's reported deployment")
    you.sign_out()

    # The officer completes the deployment, records the activity report and takes the Action to closing.
    you.sign_in(people["officer"])
    page.goto(activity_url)
    you.link(EXPERT.name)
    you.step("Complete", "Completed")
    page.goto(activity_url)
    you.link("Record the report")
    page.get_by_label("What happened (summary of the activity)").fill(
        "The border posts' identification procedure was reviewed and 25 officers trained.")
    page.get_by_label("Participants: women").fill("11")
    page.get_by_label("Participants: men").fill("14")
    you.click("Record the report")
    you.success("Activity report recorded")
    expect(you.badge()).to_have_text("Reported")
    you.checked("the reported mission")
    page.goto(action_url)
    you.checked("the Action")
    you.step("Start implementation", "Implementation")
    you.step("Start closing", "Closing")
    you.link("Write the final report")
    page.get_by_label("Results (deliverables produced, changes achieved)").fill(
        "An identification procedure for the northern border posts, and 25 officers trained.")
    page.get_by_label("Officials trained: women").fill("11")
    page.get_by_label("Officials trained: men").fill("14")
    page.get_by_label("Institutions reached").fill("2")
    page.get_by_label("Lessons learned and good practices").fill("Train the trainers of the border police first.")
    you.click("Save the final report")
    you.success("Final report saved")
    you.checked("the Action with its final report")
    you.menu("Dashboard")
    you.sign_out()

    # The admin closes the Action.
    you.sign_in(people["admin"])
    page.goto(action_url)
    you.checked("the Action, seen by the admin")
    you.step("Close the Action", "Closed")
    you.link("Factsheet", exact=False)
    # The audit trail holds every transition and edit the journey made on the Action, by whom, oldest last.
    page.goto(action_url.replace("/actions/", "/audit/action/"))
    you.checked("the Action's audit trail")
    entries = [" ".join(text.split()) for text in page.locator(".audit-entries > li").all_inner_texts()]
    steps = [re.search(r"— ([^:]+): (Created|Status changed|Final report added)", entry).groups()
             for entry in entries]
    assert steps == [("Ana Admin", "Status changed"), ("Olga Officer", "Final report added"),
                     ("Olga Officer", "Status changed"), ("Olga Officer", "Status changed"),
                     ("Olga Officer", "Status changed"), ("Olga Officer", "Created")], entries
    for entry, (old, new) in zip([e for e in entries if "Status changed" in e], [
            ("Closing", "Closed"), ("Implementation", "Closing"), ("Assessment", "Implementation"),
            ("Accepted", "Assessment")], strict=True):
        assert f"Status {old} → became {new}" in entry, entry
    assert "Train the trainers of the border police first." in entries[1]
    assert f"Name {action_name}" in entries[-1] and "Status Accepted" in entries[-1]
    you.sign_out()

    # The requester sees their request's Action closed.
    you.sign_in(people["requester"])
    you.menu("Actions")
    you.link(action_name)
    expect(you.badge()).to_have_text("Closed")
    you.sign_out()

    assert len(audit.pages_checked) >= 40, audit.pages_checked


# --- The public side, and the confirmation before a destructive step ------------------------------


@pytest.fixture(scope="module")
def planned_workshop(live_server: LiveServer) -> dict[str, str]:
    """A published Action in Peru with a planned workshop, opened through the services."""
    now = datetime.now(UTC)
    with live_server.app.app_context():
        session = db.session
        officer = session.scalar(select(User).where(User.email == live_server.officer.email))
        area = session.scalar(select(ThematicArea).where(ThematicArea.code == "irregular_migration_thb"))
        action = open_action(session, ActionDraft(
            title="Protection of unaccompanied children", thematic_area_id=area.id, planned_start=date(2026, 2, 1),
            country_code="PE", name="Peru (public journey)", objective="Referral of unaccompanied children.",
            officer_id=officer.id), actor=officer, now=now)
        set_published(action, True, version=action.version, actor=officer, now=now)
        activity = create_activity(session, action, ActivityDraft(
            kind=ActivityKind.WORKSHOP, title="Workshop on referral pathways", start_date=date(2027, 5, 10),
            end_date=date(2027, 5, 11), city="Lima", country_code="PE", languages=("es",)), actor=officer, now=now)
        session.commit()
        urls = {"public": f"/catalogue/actions/{action.id}", "activity": f"/activities/{activity.id}"}
        db.session.remove()
    return urls


def test_a_visitor_reads_the_catalogue_the_map_and_the_api_description(page: Page, live_server: LiveServer,
                                                                      planned_workshop: dict[str, str],
                                                                      audit: PageAudit):
    page.goto("/")
    audit.check("the public catalogue")
    page.get_by_role("link", name="Protection of unaccompanied children").first.click()
    expect(page).to_have_url(re.compile(re.escape(planned_workshop["public"]) + "$"))
    audit.check("a public Action")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Map", exact=True).click()
    expect(page.locator("#map")).to_have_attribute("data-state", "ready")
    audit.check("the map")
    page.goto("/api/v1/docs")  # Swagger UI's own styles are not ours to fix: only the policy is checked here
    expect(page.locator(".opblock").first).to_be_visible()


def test_a_destructive_step_asks_first_and_a_no_changes_nothing(page: Page, live_server: LiveServer,
                                                                planned_workshop: dict[str, str], audit: PageAudit):
    you = Visitor(page, audit)
    you.sign_in(live_server.officer)
    page.goto(planned_workshop["activity"])
    you.checked("a planned workshop")
    opener = page.get_by_role("button", name="Cancel the activity", exact=True)
    dialog = page.get_by_role("dialog", name="Cancel this activity?")

    opener.click()  # the page's own dialog, not the browser's confirm(): it asks why, and says what follows
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("cannot be undone")
    expect(dialog.get_by_label("Why is the activity cancelled?")).to_be_focused()
    audit.check("the confirmation dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    expect(you.badge()).to_have_text("Planned")

    opener.click()
    dialog.get_by_label("Why is the activity cancelled?").fill("The ministry asked to stop.")
    expect(dialog.get_by_role("button", name="Cancel the activity")).to_have_class(re.compile(r"\bbtn-danger\b"))
    dialog.get_by_role("button", name="Cancel the activity").click()
    expect(you.badge()).to_have_text("Cancelled")
