"""Programme governance (issue #7) in headless Chromium, each role signed in as themselves, every page checked.

1. Consultation: a Guatemalan requester's submitted request is put under review and sent to the
   Steering Committee by the officer, who then moves its deadline a week later; the member with a veto supports it, the member without one objects
   (shown, not blocking); the officer approves it against every eligibility criterion, which opens the
   Action; the requester sees the decision and the criteria comments, never the members' answers.
2. Evaluation: on a delivered workshop the officer opens a questionnaire in Spanish and reads its
   anonymous link; two participants, in fresh browsers that never signed in, answer it in Spanish; the
   activity page counts two answers, "too few to show".

The live server's database is shared by every e2e test of the session, and other journeys accept
requests directly, which the app refuses while the committee has an active member: the committee this
journey seats is stood down at its teardown, whatever happened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from workflow.accounts.models import Role, User
from workflow.accounts.services import create_user
from workflow.actions.services import ActionDraft, open_action
from workflow.activities.lifecycle import ActivityEvent, ActivityKind
from workflow.activities.services import ActivityDraft, apply_activity_event, create_activity
from workflow.evaluations.forms import AnswerForm
from workflow.evaluations.models import Evaluation, EvaluationResponse
from workflow.extensions import db
from workflow.governance.models import MemberKind, SteeringMember
from workflow.reference.models import Institution, InstitutionKind, ThematicArea
from workflow.requests.lifecycle import RequestEvent, RequestStatus
from workflow.requests.models import Request
from workflow.requests.services import RequestDraft, apply_request_event, create_request

from .axe import PageAudit
from .support import LiveServer, Person
from .test_role_journeys import Visitor

pytestmark = pytest.mark.e2e

# Names no other e2e test uses: a requester from Guatemala, two committee members, an Action in Honduras.
REQUESTER_GT = Person("gabriela.ixchel@mingob.example.gt", "requester-gt-passphrase", "Gabriela Ixchel")
VETO_MEMBER = Person("sigrid.delegation@eeas.example.eu", "steering-veto-passphrase", "Sigrid Delegation")
PLAIN_MEMBER = Person("conrad.committee@sc.example.eu", "steering-plain-passphrase", "Conrad Committee")

REQUEST_TITLE = "Community policing against the recruitment of migrants by smugglers"
NEED = "Our police in Petén meet migrants recruited by smugglers; we ask for peers on community policing."
OBJECTION = "The same training is already funded by another donor in Petén."
SUMMARY = "Eligible on every criterion; the overlap raised by a member is with a different region."
CRITERION_COMMENT = "Checked against the request ({n}): met."

WORKSHOP = "Workshop on the reintegration of returnees (evaluation journey)"
HONDURAS_ACTION = "Honduras (evaluation journey)"


# --- Fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def submitted_request(live_server: LiveServer) -> dict[str, str]:
    """A Guatemalan requester of their own institution, and their request, drafted and submitted."""
    now = datetime.now(UTC)
    with live_server.app.app_context():
        session = db.session
        ministry = Institution(name="Ministerio de Gobernación", acronym="MINGOB", country_code="GT",
                               kind=InstitutionKind.PARTNER_ADMINISTRATION)
        session.add(ministry)
        session.flush()
        requester = create_user(session, email=REQUESTER_GT.email, name=REQUESTER_GT.name, role=Role.REQUESTER,
                                password=REQUESTER_GT.password, now=now, institution_id=ministry.id)
        area = session.scalar(select(ThematicArea).where(ThematicArea.code == "irregular_migration_thb"))
        request = create_request(session, RequestDraft(title=REQUEST_TITLE, description=NEED,
                                                       thematic_area_id=area.id), actor=requester, now=now)
        apply_request_event(session, request, RequestEvent.SUBMIT, actor=requester, now=now)
        session.commit()
        url = f"/requests/{request.id}"
        db.session.remove()
    return {"url": url}


@pytest.fixture()
def committee(live_server: LiveServer) -> Iterator[dict[str, Person]]:
    """Two active committee members, one with a veto; stood down (inactive) at teardown, pass or fail, so
    that the other journeys can accept requests directly again."""
    now = datetime.now(UTC)
    member_ids: list[int] = []
    try:
        with live_server.app.app_context():
            session = db.session
            for person, kind, veto in ((VETO_MEMBER, MemberKind.EU_DELEGATION, True),
                                       (PLAIN_MEMBER, MemberKind.COMMITTEE_MEMBER, False)):
                user = create_user(session, email=person.email, name=person.name, role=Role.STEERING,
                                   password=person.password, now=now)
                member = SteeringMember(user_id=user.id, kind=kind, has_veto=veto, active=True, created_at=now)
                session.add(member)
                session.flush()
                member_ids.append(member.id)
            session.commit()
            db.session.remove()
        yield {"veto": VETO_MEMBER, "plain": PLAIN_MEMBER}
    finally:
        with live_server.app.app_context():
            for member in db.session.scalars(select(SteeringMember).where(SteeringMember.id.in_(member_ids))):
                member.active = False
            db.session.commit()
            still_active = db.session.scalar(select(SteeringMember.id).where(SteeringMember.active))
            db.session.remove()
        assert still_active is None, "an active Steering Committee member is left: other journeys accept directly"


@pytest.fixture(scope="module")
def delivered_workshop(live_server: LiveServer) -> dict[str, str | int]:
    """An Action in Honduras with a Spanish-language workshop held last week and marked delivered."""
    now = datetime.now(UTC)
    today = now.date()
    with live_server.app.app_context():
        session = db.session
        officer = session.scalar(select(User).where(User.email == live_server.officer.email))
        area = session.scalar(select(ThematicArea).where(ThematicArea.code == "irregular_migration_thb"))
        action = open_action(session, ActionDraft(
            title="Reintegration of returnees", thematic_area_id=area.id, planned_start=today - timedelta(days=60),
            country_code="HN", name=HONDURAS_ACTION, officer_id=officer.id), actor=officer, now=now)
        activity = create_activity(session, action, ActivityDraft(
            kind=ActivityKind.WORKSHOP, title=WORKSHOP, start_date=today - timedelta(days=7),
            end_date=today - timedelta(days=6), city="San Pedro Sula", country_code="HN", languages=("es",)),
            actor=officer, now=now)
        apply_activity_event(session, activity, ActivityEvent.DELIVER, actor=officer, now=now)
        session.commit()
        found = {"url": f"/activities/{activity.id}", "id": activity.id}
        db.session.remove()
    return found


# --- What a person does, in words (beyond test_role_journeys.Visitor) ----------------------------------


class Member(Visitor):
    def success(self, text: str) -> None:
        """The flashed message (the committee's own green notes are .alert-success too)."""
        expect(self.page.locator(".alert-success", has_text=text)).to_be_visible()

    def answer(self, answer: str, reason: str | None = None) -> None:
        """From the menu, open the request under consultation and give an answer."""
        self.menu("Consultations")
        row = self.page.get_by_role("row").filter(has=self.page.get_by_role("link", name=REQUEST_TITLE))
        expect(row).to_contain_text("Not answered yet")
        self.link(REQUEST_TITLE)
        expect(self.page).to_have_url(re.compile(r"/requests/\d+#committee$"))
        yours = self.page.locator("form", has=self.page.get_by_role("button", name="Send my answer"))
        yours.get_by_role("group", name="Your answer").get_by_label(answer, exact=True).check()
        if reason:
            yours.get_by_label("Reason (needed for an objection)").fill(reason)
        self.click("Send my answer")
        self.success("Your answer is recorded.")
        self.checked(f"the request after answering {answer}")
        expect(self.page.get_by_role("button", name="Change my answer")).to_be_visible()
        self.menu("Consultations")
        expect(row.get_by_role("cell").last).to_have_text(answer)


def spanish(text: str, live_server: LiveServer, **values: str) -> str:
    """`text` as the app itself says it in Spanish (whatever the translators have got to so far)."""
    with live_server.app.test_request_context(), force_locale("es"):
        return gettext(text, **values)


def spanish_questions(live_server: LiveServer) -> list[str]:
    with live_server.app.test_request_context(), force_locale("es"):
        form = AnswerForm(meta={"csrf": False})
        return [str(form[name].label.text) for name in ("relevance", "experts_input", "usefulness", "organisation")]


# --- 1. Consultation ----------------------------------------------------------------------------------------


def test_the_committee_is_consulted_and_the_officer_approves_against_every_criterion(
        page: Page, live_server: LiveServer, submitted_request: dict[str, str], committee: dict[str, Person],
        audit: PageAudit):
    you = Member(page, audit)
    deadline = date.today() + timedelta(days=7)

    # The officer reviews the request; with a committee seated, it is sent there instead of accepted.
    you.sign_in(live_server.officer)
    you.menu("Requests")
    you.link(REQUEST_TITLE)
    you.step("Start review", "Under review")
    expect(page.get_by_role("button", name="Accept and create the Action")).to_have_count(0)
    page.get_by_label("Deadline for the committee's answers (included)").fill(deadline.isoformat())
    you.click("Send to the Steering Committee")
    you.success("Request sent to the Steering Committee. Its members are notified")
    expect(you.badge()).to_have_text("Steering Committee consultation")
    committee_section = page.get_by_role("region", name="Steering Committee")
    expect(committee_section).to_contain_text("Not answered yet: 2")
    you.checked("the request under consultation")
    # The EU delegation asks for more time: the officer moves the deadline a week later, with the reason.
    moving = page.locator("#deadline-change")
    moving.locator("summary").click()
    moving.get_by_label("New deadline for the committee's answers (included)").fill(
        (deadline + timedelta(days=7)).isoformat())
    moving.get_by_label("Reason (optional; the members who have not answered read it)").fill("More time, please.")
    moving.get_by_role("button", name="Change the deadline").click()
    you.success("The members who have not answered yet are told.")
    expect(committee_section).to_contain_text("Reason: More time, please.")
    you.checked("the consultation with its new deadline")
    you.sign_out()

    # The member with a veto supports it.
    you.sign_in(committee["veto"])
    you.answer("Support")
    you.sign_out()

    # The member without a veto objects, with a reason: shown, not blocking.
    you.sign_in(committee["plain"])
    you.answer("Object", OBJECTION)
    you.link(REQUEST_TITLE)
    expect(committee_section).to_contain_text("Objections: 1")
    expect(committee_section).to_contain_text("Every member has had their say")
    you.sign_out()

    # The officer reads the answers and approves, ticking every eligibility criterion with a comment.
    you.sign_in(live_server.officer)
    you.menu("Consultations")
    you.link(REQUEST_TITLE)
    expect(committee_section.get_by_role("row").filter(has_text=PLAIN_MEMBER.name)).to_contain_text(OBJECTION)
    expect(committee_section).not_to_contain_text("Blocked")
    you.link("Record the decision")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decision on “{REQUEST_TITLE}”")
    expect(page.get_by_text("Objections without a veto do not block approval")).to_be_visible()
    criteria = page.locator("form .border.rounded")
    expect(criteria).to_have_count(5)  # the five default criteria of the migration
    labels = []
    for n in range(criteria.count()):
        block = criteria.nth(n)
        labels.append(block.locator("legend").inner_text().removesuffix("*").strip())
        block.get_by_label("Met", exact=True).check()
        block.get_by_label("Comment").fill(CRITERION_COMMENT.format(n=n + 1))
    page.get_by_role("group", name="Decision").get_by_label("Approve", exact=True).check()
    page.get_by_label("Reasons for the decision (shown to the requester)").fill(SUMMARY)
    you.click("Record the decision")
    dialog = page.get_by_role("dialog", name="Record this decision?")  # the page's own dialog, not confirm()
    expect(dialog).to_contain_text("It cannot be changed afterwards.")
    dialog.get_by_role("button", name="Record the decision").click()
    you.success("Decision recorded: the request is approved.")
    expect(page).to_have_url(re.compile(r"/actions/\d+$"))
    expect(you.badge()).to_have_text("Accepted")
    you.checked("the Action the approval opened")
    action_name = page.get_by_role("heading", level=1).inner_text().removesuffix("Accepted").strip()
    you.sign_out()

    with live_server.app.app_context():
        request = db.session.get(Request, int(submitted_request["url"].rsplit("/", 1)[1]))
        assert request.status is RequestStatus.ACCEPTED
        assert request.action is not None and request.action.name == action_name
        db.session.remove()

    # The requester sees the decision, its reasons and every criterion's tick and comment ...
    you.sign_in(REQUESTER_GT)
    you.menu("Requests")
    you.link(REQUEST_TITLE)
    expect(you.badge()).to_have_text("Accepted")
    expect(page.get_by_role("link", name=action_name, exact=True)).to_be_visible()
    expect(committee_section.get_by_role("heading", name=re.compile(r"^Decision of .+: Approve$"))).to_be_visible()
    expect(committee_section).to_contain_text(SUMMARY)
    table = committee_section.get_by_role("table", name="Eligibility criteria")
    for n, criterion in enumerate(labels):
        expect(table.get_by_role("row").nth(n + 1)).to_have_text(
            re.compile(rf"^\s*{re.escape(criterion)}\s*Yes\s*{re.escape(CRITERION_COMMENT.format(n=n + 1))}\s*$"))
    # ... and never the members' answers: not who was consulted, how they answered, nor the objection.
    for hidden in (VETO_MEMBER.name, PLAIN_MEMBER.name, OBJECTION, "Earlier consultations", "Objections:"):
        expect(page.get_by_text(hidden)).to_have_count(0)
    expect(committee_section.get_by_role("columnheader", name="Member")).to_have_count(0)
    you.sign_out()

    assert len(audit.pages_checked) >= 25, audit.pages_checked


# --- 2. Evaluation ------------------------------------------------------------------------------------------


def participant_answers(browser: Browser, live_server: LiveServer, path: str, scores: list[int],
                        comment: str) -> None:
    """A participant who never signed in opens the link in a browser of their own and answers in Spanish."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC")
    try:
        assert context.cookies() == []
        page = context.new_page()
        checker = PageAudit(page)
        response = page.goto(path)
        assert response is not None and response.status == 200
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            spanish("Your opinion on “%(title)s”", live_server, title=WORKSHOP))
        expect(page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out")).to_have_count(0)
        checker.check("the questionnaire")
        for question, score in zip(spanish_questions(live_server), scores, strict=True):
            page.get_by_role("group", name=question).get_by_label(str(score), exact=True).check()
        page.locator("textarea[name=comment]").fill(comment)
        page.get_by_role("button", name=spanish("Send my answers", live_server)).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(spanish("Thank you", live_server))
        checker.check("the thank-you page")
        # Reloading shows the thanks again: the same browser is not asked twice.
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text(spanish("Thank you", live_server))
        checker.assert_clean()
    finally:
        context.close()


def test_participants_evaluate_a_delivered_workshop_anonymously(
        page: Page, browser: Browser, live_server: LiveServer, delivered_workshop: dict[str, str | int],
        audit: PageAudit):
    you = Member(page, audit)

    # The officer opens a questionnaire in the workshop's language and reads the link to share.
    you.sign_in(live_server.officer)
    page.goto(str(delivered_workshop["url"]))
    expect(you.badge()).to_have_text("Delivered")
    evaluation = page.get_by_role("region", name="Participants’ evaluation")
    expect(evaluation).to_contain_text("No participant has answered yet.")
    you.checked("the delivered workshop")
    you.link("Open a questionnaire")
    language = page.get_by_label("Language of the questionnaire")
    expect(language.locator("option")).to_have_count(1)  # the activity's only language: Spanish
    expect(language).to_have_value("es")
    expect(page.get_by_label("Opens on")).to_have_value(date.today().isoformat())
    you.click("Open the questionnaire")
    you.success("The questionnaire is ready: share its link with the participants.")
    expect(page).to_have_url(re.compile(re.escape(str(delivered_workshop["url"])) + "#evaluation$"))
    you.checked("the workshop with its questionnaire")
    shown = evaluation.locator("code").inner_text()
    base = live_server.app.config["PEERFLOW_BASE_URL"]
    match = re.fullmatch(re.escape(base) + r"(/evaluate/[A-Za-z0-9_-]{20,64})", shown)
    assert match, f"the link shown is {shown!r}"
    path = match.group(1)
    with live_server.app.app_context():
        token = db.session.scalar(select(Evaluation.token).where(
            Evaluation.activity_id == delivered_workshop["id"], Evaluation.language == "es"))
        db.session.remove()
    assert path == f"/evaluate/{token}"
    you.sign_out()

    # Two participants answer, each in a browser of their own that never signed in.
    participant_answers(browser, live_server, path, [5, 4, 4, 3], "Muy útil para nuestro trabajo diario.")
    participant_answers(browser, live_server, path, [4, 5, 3, 4], "Faltó tiempo para los casos prácticos.")

    with live_server.app.app_context():
        answers = db.session.scalars(select(EvaluationResponse).join(Evaluation).where(
            Evaluation.activity_id == delivered_workshop["id"])).all()
        assert sorted(a.relevance for a in answers) == [4, 5]
        db.session.remove()

    # The officer sees two answers: counted, too few to show.
    you.sign_in(live_server.officer)
    page.goto(str(delivered_workshop["url"]))
    expect(evaluation.locator("[data-evaluation]")).to_have_attribute("data-evaluation", "too-few")
    expect(evaluation).to_contain_text("2 answers: too few to show.")
    expect(evaluation.locator("#evaluation-results")).to_have_count(0)
    questionnaires = evaluation.get_by_role("table")
    expect(questionnaires.get_by_role("row").nth(1).get_by_role("cell").nth(2)).to_have_text("2")
    # Under three answers even the comments stay hidden from staff: they could single a participant out.
    expect(evaluation.locator("#evaluation-comments")).to_have_count(0)
    expect(page.get_by_text("Muy útil para nuestro trabajo diario.")).to_have_count(0)
    you.checked("the workshop with two answers")
    you.sign_out()
