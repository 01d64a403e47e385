"""The news of a request's steps and of its Steering Committee: after each step exactly the right people get
exactly one notification (its kind and the link to the page where they act), nobody else, and a step that
is rolled back leaves none; the requester's withdrawal and its rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from workflow.accounts.models import Role, User
from workflow.actions.models import Action
from workflow.core.errors import PermissionDenied, TransitionRefused
from workflow.core.i18n import _
from workflow.governance.models import Answer, MemberKind, Outcome, SteeringMember
from workflow.governance.services import (
    DecisionDraft,
    add_member,
    answer_consultation,
    criteria,
    record_decision,
    send_to_committee,
)
from workflow.notifications.kinds import KINDS
from workflow.notifications.models import Notification
from workflow.requests.lifecycle import REQUEST_LIFECYCLE, RequestEvent, RequestStatus
from workflow.requests.models import Request
from workflow.requests.services import accept_request, apply_request_event

from ..factories import make_action, make_request, make_user

DEADLINE_DAY = date(2026, 12, 3)  # the clock starts on 23 November 2026, 09:00 UTC
AFTER_DEADLINE = datetime(2026, 12, 4, 0, 1, tzinfo=UTC)


@pytest.fixture()
def app_ctx(app, db, clock):
    with app.app_context():
        yield


@pytest.fixture()
def people(db, app_ctx, clock, peru, bolivia, officer, requester_pe, requester_bo):
    """Two active officers and a former one, an admin, two requesters of Peru (one reads French), one of
    Bolivia, two committee members (one inactive) and an expert: each one who must not hear is here."""
    admin = make_user(db, Role.ADMIN)
    second = make_user(db, Role.OFFICER)
    former = make_user(db, Role.OFFICER)
    former.active = False
    colleague = make_user(db, Role.REQUESTER, peru)
    colleague.locale = "fr"
    member, retired = make_user(db, Role.STEERING), make_user(db, Role.STEERING)
    member.locale = "fr"
    for user in (member, retired):
        add_member(db, user.id, MemberKind.COMMITTEE_MEMBER, False, actor=admin, now=clock.now)
    db.scalars(select(SteeringMember).where(SteeringMember.user_id == retired.id)).one().active = False
    make_user(db, Role.EXPERT)
    db.commit()
    return dict(officer=officer, second=second, former=former, admin=admin, requester=requester_pe,
                colleague=colleague, other=requester_bo, member=member, retired=retired)


class Inbox:
    """The notifications written since the last look, by reader."""

    def __init__(self, db):
        self.db, self.seen = db, 0

    def news(self) -> dict[int, list[Notification]]:
        rows = self.db.scalars(select(Notification).where(Notification.id > self.seen)
                               .order_by(Notification.id)).all()
        self.seen = max([self.seen, *(row.id for row in rows)])
        found: dict[int, list[Notification]] = {}
        for row in rows:
            found.setdefault(row.user_id, []).append(row)
        return found

    def expect(self, readers: list[User], kind: str, link: str) -> dict[int, Notification]:
        """Exactly one notification of `kind` linking to `link` for each reader, and nothing for anyone else."""
        news = self.news()
        assert sorted(news) == sorted(user.id for user in readers), {uid: [n.kind for n in rows]
                                                                     for uid, rows in news.items()}
        for user in readers:
            [row] = news[user.id]
            assert (row.kind, row.link) == (kind, link)
        return {uid: rows[0] for uid, rows in news.items()}


@pytest.fixture()
def inbox(db, people):
    box = Inbox(db)
    box.news()  # what the set-up wrote
    return box


def step(db, request: Request, event: RequestEvent, actor: User, now: datetime, reason: str | None = None):
    apply_request_event(db, request, event, actor=actor, now=now, reason=reason)
    db.commit()


def submitted(db, people, clock) -> Request:
    request = make_request(db, people["requester"])
    step(db, request, RequestEvent.SUBMIT, people["requester"], clock.now)
    return request


def test_the_kinds_are_defined_once_for_their_readers():
    for code in ("request_submitted", "request_clarified", "request_withdrawn", "clarification_asked",
                 "consultation_opened", "request_accepted", "request_declined"):
        assert code in KINDS
    assert Role.REQUESTER in KINDS["request_accepted"].roles and Role.STEERING in KINDS["consultation_opened"].roles


def test_a_request_without_an_officer_reaches_every_active_officer_then_its_own(db, clock, people, inbox):
    p = people
    request = submitted(db, p, clock)
    link = f"/requests/{request.id}"
    inbox.expect([p["officer"], p["second"]], "request_submitted", link)  # not the former one, not the admin

    step(db, request, RequestEvent.START_REVIEW, p["second"], clock.now)
    assert request.officer_id == p["second"].id
    inbox.expect([], "", "")  # starting the review hands nothing on

    step(db, request, RequestEvent.ASK_CLARIFICATION, p["officer"], clock.now, "Which provinces?")
    assert request.officer_id == p["second"].id  # the first reviewer stays its officer
    asked = inbox.expect([p["requester"], p["colleague"]], "clarification_asked", link)
    assert "Which provinces?" in asked[p["requester"].id].body
    with force_locale("fr"):  # once the catalogues hold the kinds' strings, the French reader reads French
        translated = "précisions" in _("Your request needs clarification: “%(title)s”", title="x")
    if translated:
        assert "précisions" in asked[p["colleague"].id].title and "précisions" not in asked[p["requester"].id].title

    step(db, request, RequestEvent.ANSWER_CLARIFICATION, p["colleague"], clock.now, "Lima and Tumbes.")
    answered = inbox.expect([p["second"]], "request_clarified", link)
    assert "Lima and Tumbes." in answered[p["second"].id].body

    step(db, request, RequestEvent.WITHDRAW, p["requester"], clock.now, "Another donor took it on.")
    withdrawn = inbox.expect([p["second"]], "request_withdrawn", link)
    assert "Another donor took it on." in withdrawn[p["second"].id].body


def test_admins_hear_of_a_request_only_when_there_is_no_active_officer(db, clock, people, inbox):
    p = people
    for key in ("officer", "second"):
        p[key].active = False
    db.commit()
    request = submitted(db, p, clock)
    inbox.expect([p["admin"]], "request_submitted", f"/requests/{request.id}")


def test_the_officer_asking_first_becomes_the_officer_and_an_inactive_officer_is_replaced_by_all(
        db, clock, people, inbox):
    p = people
    request = submitted(db, p, clock)
    step(db, request, RequestEvent.START_REVIEW, p["admin"], clock.now)
    assert request.officer_id == p["admin"].id
    inbox.news()
    p["admin"].active = False
    db.commit()
    step(db, request, RequestEvent.WITHDRAW, p["requester"], clock.now, "No longer needed.")
    inbox.expect([p["officer"], p["second"]], "request_withdrawn", f"/requests/{request.id}")


def test_accepting_without_a_committee_tells_the_institution_once_with_a_link_to_the_action(
        db, clock, people, inbox):
    p = people
    for member in db.scalars(select(SteeringMember)):
        member.active = False
    request = make_request(db, p["requester"], RequestStatus.UNDER_REVIEW, p["officer"])
    inbox.news()
    action = accept_request(db, request, actor=p["officer"], now=clock.now)
    db.commit()
    accepted = inbox.expect([p["requester"], p["colleague"]], "request_accepted", f"/actions/{action.id}")
    assert action.name in accepted[p["requester"].id].title
    assert accepted[p["requester"].id].subject_type == "action"


def test_an_action_opened_by_staff_without_a_request_tells_nobody(db, clock, people, inbox):
    make_action(db, people["officer"])
    inbox.expect([], "", "")


def test_declining_tells_the_institution_with_the_reason(db, clock, people, inbox):
    p = people
    request = make_request(db, p["requester"], RequestStatus.UNDER_REVIEW, p["officer"])
    inbox.news()
    step(db, request, RequestEvent.DECLINE, p["officer"], clock.now, "Outside the programme's themes.")
    declined = inbox.expect([p["requester"], p["colleague"]], "request_declined", f"/requests/{request.id}")
    assert "Outside the programme's themes." in declined[p["colleague"].id].body


def decide(db, request: Request, outcome: Outcome, officer: User, now: datetime) -> None:
    ticks = {c.id: (True, "Checked.") for c in criteria(db, active_only=True)}
    record_decision(db, request, DecisionDraft(outcome=outcome, summary="Relevant and feasible.", criteria=ticks),
                    actor=officer, now=now)
    db.commit()


def consulted(db, clock, p, inbox) -> Request:
    request = make_request(db, p["requester"], RequestStatus.UNDER_REVIEW, p["officer"])
    inbox.news()
    send_to_committee(db, request, DEADLINE_DAY, actor=p["officer"], now=clock.now)
    db.commit()
    return request


def test_the_committee_hears_it_is_consulted_in_its_language_with_the_deadline(db, clock, people, inbox):
    p = people
    request = consulted(db, clock, p, inbox)
    [row] = inbox.expect([p["member"]], "consultation_opened", f"/requests/{request.id}#committee").values()
    assert "3 déc. 2026" in row.body  # the member reads French: the deadline is written in French

    answer_consultation(db, request, Answer.SUPPORT, None, actor=p["member"], now=clock.now)
    db.commit()
    inbox.expect([], "", "")  # an answer is read on the decision page, not announced


@pytest.mark.parametrize(("outcome", "kind"), [(Outcome.APPROVE, "request_accepted"),
                                               (Outcome.REJECT, "request_declined"),
                                               (Outcome.ASK_CHANGES, "clarification_asked")])
def test_the_decision_reaches_the_institution_once(db, clock, people, inbox, outcome, kind):
    p = people
    request = consulted(db, clock, p, inbox)
    inbox.news()
    clock.set(AFTER_DEADLINE)
    decide(db, request, outcome, p["officer"], clock.now)
    action = db.scalar(select(Action).where(Action.request_id == request.id))
    link = f"/actions/{action.id}" if action else f"/requests/{request.id}"
    inbox.expect([p["requester"], p["colleague"]], kind, link)


def test_a_committee_member_who_became_staff_hears_each_step_once(db, clock, people, inbox):
    p = people
    p["member"].role = Role.OFFICER  # still seated on the committee
    db.commit()
    request = submitted(db, p, clock)
    inbox.expect([p["officer"], p["second"], p["member"]], "request_submitted", f"/requests/{request.id}")
    step(db, request, RequestEvent.START_REVIEW, p["officer"], clock.now)
    send_to_committee(db, request, DEADLINE_DAY, actor=p["officer"], now=clock.now)
    db.commit()
    inbox.expect([p["member"]], "consultation_opened", f"/requests/{request.id}#committee")


def test_a_rolled_back_step_leaves_no_notification(db, clock, people, inbox):
    p = people
    request = make_request(db, p["requester"])
    inbox.news()
    apply_request_event(db, request, RequestEvent.SUBMIT, actor=p["requester"], now=clock.now)
    db.rollback()
    assert inbox.news() == {}
    request = consulted(db, clock, p, inbox)
    inbox.news()
    clock.set(AFTER_DEADLINE)
    ticks = {c.id: (True, "Checked.") for c in criteria(db, active_only=True)}
    record_decision(db, request, DecisionDraft(outcome=Outcome.APPROVE, summary="Yes.", criteria=ticks),
                    actor=p["officer"], now=clock.now)
    db.rollback()
    assert inbox.news() == {}
    assert db.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == "request_accepted")) == 0


# --- Withdrawing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW,
                                    RequestStatus.CLARIFICATION_REQUESTED])
def test_the_requester_withdraws_a_waiting_request_with_a_reason(db, clock, people, status):
    p = people
    request = make_request(db, p["requester"], status, p["officer"])
    with pytest.raises(TransitionRefused, match="needs a reason"):
        apply_request_event(db, request, RequestEvent.WITHDRAW, actor=p["colleague"], now=clock.now, reason="  ")
    step(db, request, RequestEvent.WITHDRAW, p["colleague"], clock.now, " Another donor took it on. ")
    assert request.status is RequestStatus.WITHDRAWN and request.withdraw_reason == "Another donor took it on."
    assert request.transitions[-1].reason == "Another donor took it on."


@pytest.mark.parametrize("status", [RequestStatus.DRAFT, RequestStatus.DECLINED, RequestStatus.WITHDRAWN])
def test_a_draft_or_a_finished_request_cannot_be_withdrawn(db, clock, people, status):
    p = people
    request = make_request(db, p["requester"], RequestStatus.UNDER_REVIEW, p["officer"])
    if status is RequestStatus.DRAFT:
        request = make_request(db, p["requester"])
    elif status is RequestStatus.DECLINED:
        step(db, request, RequestEvent.DECLINE, p["officer"], clock.now, "No.")
    else:
        step(db, request, RequestEvent.WITHDRAW, p["requester"], clock.now, "No.")
    with pytest.raises(TransitionRefused):
        apply_request_event(db, request, RequestEvent.WITHDRAW, actor=p["requester"], now=clock.now, reason="Why")


def test_only_the_requesting_institution_withdraws(db, clock, people):
    p = people
    request = make_request(db, p["requester"], RequestStatus.UNDER_REVIEW, p["officer"])
    for someone in (p["officer"], p["admin"], p["other"], p["member"]):
        with pytest.raises(PermissionDenied):
            apply_request_event(db, request, RequestEvent.WITHDRAW, actor=someone, now=clock.now, reason="Mine")
    assert request.status is RequestStatus.UNDER_REVIEW


def test_a_request_in_consultation_is_withdrawn_only_after_the_decision():
    assert REQUEST_LIFECYCLE.events_from(RequestStatus.CONSULTATION).count(RequestEvent.WITHDRAW) == 0
    assert str(REQUEST_LIFECYCLE.labels[RequestEvent.WITHDRAW]) == "Withdraw the request"
