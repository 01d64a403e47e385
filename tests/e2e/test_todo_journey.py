"""Each role's home page says what needs them now, and drops it once they have done it (issue 18, point 5).

In headless Chromium, on the live server: a request of the Peruvian ministry waits for the Steering
Committee, and an assessment mission of its Action has invited a French member-state official.

    committee member: the consultation is on their home page -> they answer it -> it is gone
    expert:           the invitation is on their home page -> they accept it -> it is gone
    focal point:      the release is on their home page -> they approve it from their list -> it is gone

The to-do section is the home page's "What needs you now"; a to-do disappears without a second click.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from workflow.accounts.models import Role, User
from workflow.accounts.services import create_user
from workflow.actions.services import ActionDraft, open_action
from workflow.activities.lifecycle import ActivityKind
from workflow.activities.models import SlotRole
from workflow.activities.services import ActivityDraft, create_activity
from workflow.activities.slots import SlotDraft
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.experts.models import Expert, ExpertLanguage, ExpertStatus, ExpertTheme, ExpertType, Gender
from workflow.extensions import db
from workflow.governance.models import MemberKind, SteeringMember
from workflow.governance.services import send_to_committee
from workflow.reference.models import Institution, InstitutionKind, ThematicArea
from workflow.requests.lifecycle import RequestEvent
from workflow.requests.services import RequestDraft, apply_request_event, create_request

from .axe import PageAudit
from .support import LiveServer, Person

pytestmark = pytest.mark.e2e

MEMBER = Person("delegation.todo@eeas.example.eu", "member-passphrase-for-todos", "Marta Delegation")
EXPERT = Person("claire.martin.todo@interieur.example.fr", "expert-passphrase-for-todos", "Claire Martin")
FOCAL_POINT = Person("focal.fr.todo@interieur.example.fr", "focal-passphrase-for-todos", "Louis Focal")
REQUEST_TITLE = "Support to the Permanent Multisectoral Working Group against Trafficking in Human Beings"
MISSION = "Assessment mission on smuggling of migrants in the southern provinces"
TODO = "What needs you now"


def _people(session, now: datetime) -> tuple[User, User, User]:
    create_user(session, email=FOCAL_POINT.email, name=FOCAL_POINT.name, role=Role.MS_FOCAL_POINT,
                password=FOCAL_POINT.password, now=now, country_code="FR")
    member = create_user(session, email=MEMBER.email, name=MEMBER.name, role=Role.STEERING,
                         password=MEMBER.password, now=now)
    session.add(SteeringMember(user_id=member.id, kind=MemberKind.EU_DELEGATION, has_veto=True, active=True,
                               created_at=now))
    expert_user = create_user(session, email=EXPERT.email, name=EXPERT.name, role=Role.EXPERT,
                              password=EXPERT.password, now=now)
    officer = session.scalar(select(User).where(User.role == Role.OFFICER).order_by(User.id))
    requester = session.scalar(select(User).where(User.role == Role.REQUESTER).order_by(User.id))
    return officer, requester, expert_user


@pytest.fixture(scope="module")
def waiting(live_server: LiveServer):
    """The request sent to the committee, and the French official invited to the mission (through the services)."""
    now = datetime.now(UTC)
    with live_server.app.app_context():
        session = db.session
        officer, requester, expert_user = _people(session, now)
        area = session.scalar(select(ThematicArea).where(ThematicArea.code == "irregular_migration_thb"))
        ministry = Institution(name="Ministère de l’Intérieur", country_code="FR", kind=InstitutionKind.MS_ADMINISTRATION)
        session.add(ministry)
        session.flush()
        expert = Expert(name=EXPERT.name, email=EXPERT.email, gender=Gender.FEMALE, nationality="FR", country_code="FR",
                        institution_id=ministry.id, type=ExpertType.MS_OFFICIAL, years_experience=12,
                        status=ExpertStatus.ACTIVE, created_at=now, updated_at=now, user_id=expert_user.id)
        expert.languages = [ExpertLanguage(language="es", level="C1"), ExpertLanguage(language="fr", level="C2")]
        expert.themes = [ExpertTheme(thematic_area_id=area.id, level=3)]
        session.add(expert)

        request = create_request(session, RequestDraft(title=REQUEST_TITLE, description="Monitoring of the plan.",
                                                       thematic_area_id=area.id), actor=requester, now=now)
        for event in (RequestEvent.SUBMIT, RequestEvent.START_REVIEW):
            apply_request_event(session, request, event, actor=requester if event is RequestEvent.SUBMIT else officer,
                                now=now)
        send_to_committee(session, request, (now + timedelta(days=14)).date(), actor=officer, now=now)

        action = open_action(session, ActionDraft(title="Smuggling of migrants", thematic_area_id=area.id,
                                                  planned_start=date.today(), summary="Peru III.", country_code="PE",
                                                  beneficiary_ids=(requester.institution_id,), officer_id=officer.id),
                             actor=officer, now=now)
        start = date.today() + timedelta(days=30)
        activity = create_activity(session, action, ActivityDraft(
            kind=ActivityKind.ASSESSMENT_MISSION, title=MISSION, start_date=start, end_date=start + timedelta(days=2),
            is_remote=False, city="Tumbes", country_code="PE", languages=("es",),
            slots=(SlotDraft(role=SlotRole.EXPERT, thematic_area_id=area.id, language="es", places=1),)),
            actor=officer, now=now)
        deployment = propose(session, activity.slots[0], expert, actor=officer, now=now)
        apply_deployment_event(session, deployment, DeploymentEvent.INVITE, actor=officer, now=now)
        session.commit()
        db.session.remove()
    yield
    with live_server.app.app_context():  # the other journeys accept requests without a committee
        member = db.session.scalar(select(SteeringMember).join(User).where(User.email == MEMBER.email))
        member.active = False
        db.session.commit()
        db.session.remove()


class Home:
    """One browser, each person in turn on their home page; every page reached is checked by `audit`."""

    def __init__(self, page: Page, audit: PageAudit) -> None:
        self.page, self.audit = page, audit

    def sign_in(self, person: Person) -> None:
        self.page.goto("/login")
        self.page.get_by_label("E-mail").fill(person.email)
        self.page.get_by_label("Password", exact=True).fill(person.password)
        self.page.get_by_role("button", name="Sign in", exact=True).click()
        expect(self.page.get_by_role("heading", name=f"Welcome, {person.name}")).to_be_visible()
        self.audit.check(f"home page of {person.name}")

    def todos(self):
        """The home page's "What needs you now" section."""
        return self.page.locator("section").filter(has=self.page.get_by_role("heading", name=TODO))

    def menu_count(self) -> int:
        """The number the menu's "To do" shows (none: 0)."""
        badge = self.page.get_by_test_id("todo-menu").locator(".badge [aria-hidden=true]")
        return int(badge.inner_text()) if badge.count() else 0

    def back_home(self) -> None:
        self.page.goto("/home")
        self.audit.check("home page after the action")

    def open_todo(self, text: str) -> None:
        """Follow the to-do's own link to the page where one acts."""
        expect(self.todos()).to_contain_text(text)
        self.todos().locator("li, tr").filter(has_text=text).get_by_role("link").first.click()
        self.audit.check(f"the to-do about {text}")


def test_the_committee_member_answers_the_consultation_from_their_home_page(page: Page, live_server: LiveServer,
                                                                          waiting, audit: PageAudit):
    home = Home(page, audit)
    home.sign_in(MEMBER)
    waiting_before = home.menu_count()
    assert waiting_before >= 1
    home.open_todo(REQUEST_TITLE)
    page.get_by_label("Support").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Your answer is recorded.")).to_be_visible()
    home.back_home()
    expect(home.todos()).not_to_contain_text(REQUEST_TITLE)
    assert home.menu_count() == waiting_before - 1  # the menu's count drops with it
    assert not live_server.errors, live_server.errors


def test_the_expert_accepts_the_invitation_from_their_home_page(page: Page, live_server: LiveServer, waiting,
                                                                audit: PageAudit):
    home = Home(page, audit)
    home.sign_in(EXPERT)
    waiting_before = home.menu_count()
    assert waiting_before >= 1
    home.open_todo(MISSION)
    page.get_by_role("button", name="Accept", exact=True).first.click()
    home.back_home()
    expect(page.get_by_role("heading", name=TODO)).to_be_visible()
    expect(home.todos()).not_to_contain_text(MISSION)  # answered; accepted is not yet a confirmed mission
    assert home.menu_count() == waiting_before - 1  # the menu's count drops with it
    assert not live_server.errors, live_server.errors


def test_the_focal_point_approves_the_release_from_their_list(page: Page, live_server: LiveServer, waiting,
                                                              audit: PageAudit):
    home = Home(page, audit)
    home.sign_in(FOCAL_POINT)
    waiting_before = home.menu_count()
    assert waiting_before >= 1
    home.open_todo(EXPERT.name)  # to their state's deployments awaiting release
    page.get_by_role("button", name=re.compile("^Approve", re.I)).first.click()
    expect(page.get_by_text(re.compile("^Release approved"))).to_be_visible()
    home.back_home()
    expect(home.todos()).not_to_contain_text(EXPERT.name)
    assert home.menu_count() == waiting_before - 1  # the menu's count drops with it
    assert not live_server.errors, live_server.errors
