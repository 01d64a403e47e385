"""Proof at a real SMTP server (issue 18, point 5): every hand-off of a whole journey reaches the next person.

The journey is walked through the pages, each person signed in in turn: a Peruvian ministry's request,
its review and clarification, the Steering Committee, the decision that opens the Action, an assessment
mission with one slot, the invitation of a French member-state official, the answer, the focal point's
release, the confirmation, a postponement, the delivery (the mission report falls due, then overdue, and is
written) and the Action's closing (its final report falls due). After each step the dispatcher runs as the scheduler runs
it (`every_minute`, with the app's SMTP settings pointing at an aiosmtpd server on loopback) and
`expect_mail` checks that exactly the people the issue names received exactly one message each, in their
language, with a link that opens the page where they act once they are signed in, and that nobody else
received anything.

Mail discrepancies are gathered and reported together at the end (a step whose page refuses the action
stops the walk at once), so that one run lists every hand-off that is missing, doubled or misaddressed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from workflow import scheduler
from workflow.accounts.models import Role, User
from workflow.actions.models import Action
from workflow.activities.models import Activity
from workflow.deployments.models import Deployment
from workflow.governance.models import MemberKind, SteeringMember
from workflow.governance.services import criteria
from workflow.notifications.kinds.words import dates
from workflow.requests.models import Request

from ..factories import make_expert, make_institution, make_user, theme

pytest_plugins = ["tests.smtp"]

BASE_URL = "https://peerflow.example.org"
NOW = datetime(2027, 1, 12, 10, 0, tzinfo=UTC)  # a Tuesday (no weekly digest); the journey takes this minute
# From seed 002 ("Peru: Trafficking in Human Beings") and seed 001 (Peru III, smuggling of migrants).
REQUEST_TITLE = "Support to the Permanent Multisectoral Working Group against Trafficking in Human Beings"
REQUEST_TEXT = ("Strengthen the Working Group's response to human trafficking in line with the objectives of the "
                "Peruvian National Anti-Trafficking Action Plan, including its regional plans.")
MISSION_TITLE = "Assessment mission on the monitoring of the national anti-trafficking plan"


@dataclass(frozen=True)
class Person:
    """Who a user is, kept across the scheduler's passes (which close the session and detach its objects)."""

    id: int
    email: str
    name: str
    locale: str

    @classmethod
    def of(cls, user: User) -> Person:
        return cls(user.id, user.email, user.name, user.locale or "en")


@dataclass
class People:
    officer: Person  # reviews the request and runs the Action
    other_officer: Person  # hears of a submitted request while it has no officer, then of nothing
    requester: Person  # MININTER, Peru; reads Spanish
    bolivian: Person  # another institution: hears nothing
    member: Person  # the Steering Committee
    expert: Person  # a French member-state official; reads French
    other_expert: Person
    focal_fr: Person  # France's focal point: releases the expert
    focal_es: Person  # Spain's: hears nothing
    expert_id: int = 0

    def everyone(self) -> list[Person]:
        return [self.officer, self.other_officer, self.requester, self.bolivian, self.member, self.expert,
                self.other_expert, self.focal_fr, self.focal_es]


@pytest.fixture()
def people(db, clock) -> People:
    clock.set(NOW)
    peru = make_institution(db, "PE", name="Ministry of the Interior of Peru", acronym="MININTER")
    bolivia = make_institution(db, "BO", name="Ministry of Foreign Affairs of Bolivia")
    france = make_institution(db, "FR", name="Ministère de l’Intérieur")
    officer, other_officer = make_user(db, Role.OFFICER), make_user(db, Role.OFFICER)
    requester = make_user(db, Role.REQUESTER, peru)
    requester.locale, requester.timezone, requester.name = "es", "America/Lima", "Rosa Quispe (demo)"
    expert = make_user(db, Role.EXPERT)
    expert.locale, expert.timezone, expert.name = "fr", "Europe/Paris", "Claire Martin (demo)"
    member, other_expert = make_user(db, Role.STEERING), make_user(db, Role.EXPERT)
    users = (officer, other_officer, requester, make_user(db, Role.REQUESTER, bolivia), member, expert, other_expert,
             make_user(db, Role.MS_FOCAL_POINT, country="FR"), make_user(db, Role.MS_FOCAL_POINT, country="ES"))
    db.add(SteeringMember(user_id=member.id, kind=MemberKind.COMMITTEE_MEMBER, has_veto=False, active=True,
                          created_at=NOW))
    db.commit()
    expert_id = make_expert(db, name="Claire Martin (demo)", country="FR", employer=france,
                            languages={"es": "C1", "fr": "C2"}, user=expert).id
    make_expert(db, name="Javier Ortega (demo)", country="ES", user=other_expert)
    return People(*(Person.of(u) for u in users), expert_id=expert_id)


@dataclass
class Expected:
    """What one person should receive: a link to one of `paths`, whose page names `names` when they open it."""

    paths: tuple
    names: str
    contains: tuple[str, ...] = ()  # more text the e-mail must hold (the new dates, say)
    ics: bool = False  # with the calendar file
    optional: bool = False  # at most one: the issue neither asks for it nor rules it out


@dataclass
class Mailroom:
    """Runs the scheduler's minute against the SMTP server and compares what arrived with what should."""

    app: object
    db: object
    clock: object
    smtp: object
    client: object
    login_as: object
    people: People
    problems: list[str] = field(default_factory=list)

    def deliver(self) -> list:
        scheduler.every_minute(self.app)
        received = self.smtp.messages
        self.smtp.clear()
        return received

    def expect_mail(self, step: str, expected: dict[str, Expected], received: list | None = None) -> None:
        received = self.deliver() if received is None else received
        by_address: dict[str, list] = {}
        for message in received:
            by_address.setdefault(message.to, []).append(message)
        for address, messages in by_address.items():
            if address not in expected:
                self.problems.append(f"{step}: {self.who(address)} received {len(messages)} message(s), expected none: "
                                     f"{[m.subject for m in messages]}")
        for address, want in expected.items():
            messages = by_address.get(address, [])
            if want.optional and not messages:
                continue
            if len(messages) != 1:
                self.problems.append(f"{step}: {self.who(address)} received {len(messages)} messages, expected one: "
                                     f"{[m.subject for m in messages]}")
                continue
            self.check_message(step, self.user(address), messages[0], want)

    def pass_time(self, moment: datetime) -> list:
        """Move the clock on to `moment` and return what the scheduler's minute sends then. What came due on
        the way (reminders of activities coming, the officers' Monday digests) is sent first, at midnight UTC
        of that day, and not checked: it is no step's hand-off."""
        self.clock.set(moment.replace(hour=0, minute=0))
        self.deliver()
        self.clock.set(moment)
        return self.deliver()

    def sign_in(self, person: Person) -> None:
        self.login_as(self.db.get(User, person.id))

    def user(self, address: str) -> Person:
        return next(u for u in self.people.everyone() if u.email == address)

    def who(self, address: str) -> str:
        """"the officer (user1@…)": whom the report names, as the journey calls them."""
        names = {getattr(self.people, f).email: f for f in People.__dataclass_fields__ if f != "expert_id"}
        return f"{names.get(address, 'someone outside the journey').replace('_', ' ')} ({address})"

    def check_message(self, step: str, user: Person, message, want: Expected) -> None:
        with self.app.test_request_context(), force_locale(user.locale):
            greeting = gettext("Dear %(name)s,", name=user.name)
        if greeting not in message.text:
            self.problems.append(f"{step}: the message to {self.who(user.email)} is not in {user.locale} "
                                 f"(no {greeting!r}): {message.subject!r}")
        for text in want.contains:
            if text not in message.text:
                self.problems.append(f"{step}: the message to {self.who(user.email)} does not say {text!r}")
        if b"\nList-Unsubscribe:" not in message.raw.replace(b"\r\n", b"\n"):
            self.problems.append(f"{step}: the message to {self.who(user.email)} has no List-Unsubscribe header")
        if want.ics and not any(a.filename.endswith(".ics") for a in message.attachments):
            self.problems.append(f"{step}: the message to {self.who(user.email)} carries no .ics")
        links = [urlsplit(u) for u in re.findall(re.escape(BASE_URL) + r"[^\s<>\"']*", message.text)]
        paths = [u.path + (f"?{u.query}" if u.query else "") for u in links
                 if not u.path.startswith("/notifications/preferences")]
        chosen = [p for p in paths if p in want.paths]
        if not chosen:
            self.problems.append(f"{step}: the message to {self.who(user.email)} links to {paths}, expected one of {want.paths}")
            return
        self.sign_in(user)
        page = self.client.get(chosen[0])
        body = html.unescape(page.get_data(as_text=True))
        if page.status_code != 200 or want.names not in body:
            self.problems.append(f"{step}: {self.who(user.email)} signed in opens {chosen[0]} → {page.status_code}, "
                                 f"{'naming' if want.names in body else 'not naming'} {want.names!r}")


@pytest.fixture()
def mailroom(app, db, clock, client, login_as, people, smtp_server, monkeypatch) -> Mailroom:
    """The app sends through the loopback server; the scheduler's minute is the test clock's."""
    monkeypatch.setitem(app.config, "SMTP_HOST", smtp_server.host)
    monkeypatch.setitem(app.config, "SMTP_PORT", smtp_server.port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "peerflow@test.peerflow.org")
    monkeypatch.setitem(app.config, "PEERFLOW_BASE_URL", BASE_URL)

    class SchedulerClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return clock.now if tz is None else clock.now.astimezone(tz)

    monkeypatch.setattr(scheduler, "datetime", SchedulerClock)
    room = Mailroom(app, db, clock, smtp_server, client, login_as, people)
    waiting = room.deliver()  # before the journey: only this week's Monday digest of each officer
    assert {m.to for m in waiting} <= {people.officer.email, people.other_officer.email}, [m.subject for m in waiting]
    return room


# --- The journey, step by step --------------------------------------------------------------------------


def ok(response, step: str) -> None:
    """A page step must be taken: a redirect after a successful form (a 200 re-renders it with an error)."""
    assert response.status_code == 302, f"{step}: the page answered {response.status_code}"


def version_on(client, page: str) -> str:
    found = re.search(r'name="version"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="version"',
                      client.get(page).get_data(as_text=True))
    assert found, f"no version field on {page}"
    return found.group(1) or found.group(2)


def request_steps(db, room: Mailroom, post, p: People) -> int:
    """From the draft to the committee's consultation."""
    room.sign_in(p.requester)
    ok(post("/requests/new", {"title": REQUEST_TITLE, "description": REQUEST_TEXT, "thematic_area_id": theme(db).id,
                              "desired_start": "2027-04-01", "form_key": "journey-request"}), "draft")
    request_id = db.scalar(select(Request.id).where(Request.title == REQUEST_TITLE))
    page = f"/requests/{request_id}"
    ok(post(f"{page}/events/submit", {}), "submit")
    on_request = Expected((page,), REQUEST_TITLE)
    room.expect_mail("submitted (no officer yet)", {p.officer.email: on_request, p.other_officer.email: on_request})

    room.sign_in(p.officer)
    ok(post(f"{page}/events/start_review", {}), "start review")
    room.expect_mail("review started", {})
    ok(post(f"{page}/events/ask_clarification", {"reason": "Which regional plans should the monitoring cover?"}),
       "ask clarification")
    room.expect_mail("clarification asked", {p.requester.email: on_request})

    room.sign_in(p.requester)
    ok(post(f"{page}/events/answer_clarification", {"reason": "Cusco, Puno and Madre de Dios."}), "answer")
    room.expect_mail("clarification answered", {p.officer.email: on_request})

    room.sign_in(p.officer)
    ok(post(f"{page}/consultation", {"deadline": "2027-01-25"}), "send to the committee")
    room.expect_mail("consultation opened", {p.member.email: Expected((page, "/steering/consultations"),
                                                                        REQUEST_TITLE)})
    room.sign_in(p.member)
    ok(post(f"{page}/consultation/answer", {"answer": "support", "reason": ""}), "member answers")
    room.expect_mail("member answered", {})
    return request_id


def decision_step(db, room: Mailroom, post, p: People, request_id: int) -> int:
    """The officer records the committee's decision: accepted, the Action opens."""
    page = f"/requests/{request_id}"
    form = {"outcome": "approve", "summary": "Relevant to the national plan and owned by MININTER."}
    for c in criteria(db, active_only=True):
        form[f"met_{c.id}"], form[f"comment_{c.id}"] = "yes", f"{c.label}: confirmed in the review."
    room.sign_in(p.officer)
    ok(post(f"{page}/decision", form, token_page=f"{page}/decision"), "decision")
    action_id = db.scalar(select(Action.id).where(Action.request_id == request_id))
    room.expect_mail("decision recorded, Action opened",
                     {p.requester.email: Expected((page, f"/actions/{action_id}"), REQUEST_TITLE)})
    return action_id


def mission_steps(db, room: Mailroom, post, p: People, action_id: int) -> tuple[int, int]:
    """An assessment mission with one slot; the French official is invited and accepts."""
    room.sign_in(p.officer)
    ok(post(f"/actions/{action_id}/activities/new", {
        "kind": "assessment_mission", "title": MISSION_TITLE, "city": "Lima", "country_code": "PE",
        "start_date": "2027-04-12", "end_date": "2027-04-14", "languages": ["es"], "form_key": "journey-mission",
        "slots-0-role": "expert", "slots-0-thematic_area_id": str(theme(db).id), "slots-0-language": "es",
        "slots-0-places": "1"}, token_page=f"/actions/{action_id}/activities/new"), "plan the mission")
    activity = db.scalar(select(Activity).where(Activity.title == MISSION_TITLE))
    activity_id, slot_id = activity.id, activity.slots[0].id
    room.expect_mail("mission planned", {})
    room.sign_in(p.officer)
    ok(post(f"/slots/{slot_id}/deployments", {"expert_id": p.expert_id, "working_days": "3"}), "invite")
    deployment_id = db.scalar(select(Deployment.id).where(Deployment.activity_id == activity_id))
    at_deployment = f"/deployments/{deployment_id}"
    invited = room.deliver()
    room.sign_in(p.expert)
    ok(post(f"{at_deployment}/events/accept", {"version": version_on(room.client, at_deployment)}), "accept")
    accepted = room.deliver()
    # The focal point is asked for the release once: with the invitation, or when the expert has accepted.
    release = {p.focal_fr.email: Expected((at_deployment, "/deployments/"), MISSION_TITLE)}
    asked_first = any(m.to == p.focal_fr.email for m in invited)
    room.expect_mail("expert invited", {p.expert.email: Expected((at_deployment,), MISSION_TITLE, ics=True),
                                        **(release if asked_first else {})}, invited)
    room.expect_mail("invitation accepted", {p.officer.email: Expected((at_deployment,), MISSION_TITLE),
                                             **({} if asked_first else release)}, accepted)
    return activity_id, deployment_id


def booking_steps(db, room: Mailroom, post, p: People, activity_id: int, deployment_id: int) -> None:
    """The focal point releases, the officer confirms, then postpones the mission."""
    at_deployment = f"/deployments/{deployment_id}"
    room.sign_in(p.focal_fr)
    ok(post(f"{at_deployment}/release", {"version": version_on(room.client, at_deployment)},
            token_page=at_deployment), "release")
    room.expect_mail("release given", {p.officer.email: Expected((at_deployment,), MISSION_TITLE)})

    room.sign_in(p.officer)
    ok(post(f"{at_deployment}/events/confirm", {"version": version_on(room.client, at_deployment)}), "confirm")
    room.expect_mail("deployment confirmed", {p.expert.email: Expected((at_deployment,), MISSION_TITLE, ics=True),
                                              p.focal_fr.email: Expected((at_deployment,), MISSION_TITLE)})

    room.sign_in(p.officer)  # checking the links signed the others in
    postpone = f"/activities/{activity_id}/postpone"
    ok(post(postpone, {"start_date": "2027-05-17", "end_date": "2027-05-19", "version": version_on(room.client, postpone),
                       "reason": "The Working Group meets in April."}, token_page=postpone), "postpone")
    db.expire_all()
    moved = db.get(Activity, activity_id)
    at_activity, at_action, at_request = (f"/activities/{activity_id}", f"/actions/{moved.action_id}",
                                          f"/requests/{moved.action.request_id}")
    with room.app.test_request_context():  # the new dates as each reader's language writes them
        with force_locale("fr"):
            in_french = dates(moved)  # one period: "17–19 mai 2027"
        with force_locale("es"):
            in_spanish = dates(moved)
    room.expect_mail("activity postponed", {
        p.expert.email: Expected((at_deployment, at_activity, "/me"), MISSION_TITLE, (in_french,)),
        p.requester.email: Expected((at_activity, at_action, at_request), MISSION_TITLE, (in_spanish,))})


def delivery_steps(db, room: Mailroom, post, p: People, activity_id: int, deployment_id: int) -> None:
    """The mission takes place; its report is due, then overdue; the expert writes it; the officer completes."""
    at_activity, at_deployment = f"/activities/{activity_id}", f"/deployments/{deployment_id}"
    room.sign_in(p.officer)
    ok(post(f"{at_activity}/events/confirm", {"version": version_on(room.client, at_activity)}), "confirm mission")
    room.expect_mail("mission confirmed", {})

    room.pass_time(datetime(2027, 5, 20, 10, tzinfo=UTC))  # the day after the mission (17-19 May)
    room.sign_in(p.officer)
    ok(post(f"{at_activity}/events/deliver", {"version": version_on(room.client, at_activity)}), "deliver")
    delivered = room.deliver()
    due = room.pass_time(datetime(2027, 5, 29, 10, tzinfo=UTC))  # ten days after the end
    # "Mission report due" reaches the expert once: when the mission is marked delivered, or when it falls due.
    report = {p.expert.email: Expected((at_deployment, "/me"), MISSION_TITLE)}
    told_at_delivery = any(m.to == p.expert.email for m in delivered)
    room.expect_mail("mission delivered", report if told_at_delivery else {}, delivered)
    room.expect_mail("mission report due", {} if told_at_delivery else report, due)
    room.expect_mail("mission report overdue", {
        **report, p.officer.email: Expected((at_deployment, at_activity), MISSION_TITLE, optional=True)},
        room.pass_time(datetime(2027, 6, 3, 10, tzinfo=UTC)))

    room.sign_in(p.expert)
    ok(post(f"{at_deployment}/report", {"version": version_on(room.client, at_deployment),
                                        "report": "The Working Group's monitoring framework was reviewed."}),
       "mission report")
    room.expect_mail("mission report written", {})
    room.sign_in(p.officer)
    ok(post(f"{at_deployment}/events/complete", {"version": version_on(room.client, at_deployment)}), "complete")
    room.expect_mail("deployment completed", {})
    room.sign_in(p.officer)
    report_page = f"{at_activity}/report"
    ok(post(report_page, {"version": version_on(room.client, report_page), "summary": "Assessment delivered.",
                          "participants_female": "12", "participants_male": "9", "participants_other": "0",
                          "participant_institutions": "MININTER"}, token_page=report_page), "activity report")
    room.expect_mail("activity report recorded", {})


def closing_steps(db, room: Mailroom, post, p: People, action_id: int) -> None:
    """The Action goes through implementation to closing; its final report falls due for the officer two weeks
    into closing (the offset of the reminders' `final_report_due` rule)."""
    at_action = f"/actions/{action_id}"
    for event in ("start_assessment", "start_implementation", "start_closing"):
        room.sign_in(p.officer)
        ok(post(f"{at_action}/events/{event}", {"version": version_on(room.client, at_action)},
                token_page=at_action), event)
        room.expect_mail(event.replace("_", " "), {})
    name = db.scalar(select(Action.name).where(Action.id == action_id))
    room.expect_mail("final report due", {p.officer.email: Expected((at_action, f"{at_action}/final-report"), name)},
                     room.pass_time(datetime(2027, 6, 17, 12, tzinfo=UTC)))  # two weeks in closing


def test_every_hand_off_of_the_journey_reaches_exactly_the_next_person_once(db, mailroom, post, people):
    request_id = request_steps(db, mailroom, post, people)
    action_id = decision_step(db, mailroom, post, people, request_id)
    activity_id, deployment_id = mission_steps(db, mailroom, post, people, action_id)
    booking_steps(db, mailroom, post, people, activity_id, deployment_id)
    delivery_steps(db, mailroom, post, people, activity_id, deployment_id)
    closing_steps(db, mailroom, post, people, action_id)
    assert not mailroom.problems, "hand-offs that did not reach the right people:\n" + "\n".join(mailroom.problems)
