"""The Steering Committee through the services: consulting it on a request, its members' answers, the
decision recorded against the eligibility criteria, and the reminders of the deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role, User
from workflow.actions.models import Action
from workflow.core.errors import DomainError, NotFound, TransitionRefused
from workflow.governance.models import (
    Answer,
    ConsultationStatus,
    Decision,
    EligibilityCriterion,
    MemberKind,
    Outcome,
    SteeringMember,
)
from workflow.governance.services import (
    DecisionDraft,
    add_criterion,
    add_member,
    answer_consultation,
    consultation_position,
    criteria,
    open_consultation,
    record_decision,
    send_to_committee,
    update_criterion,
    update_member,
)
from workflow.reminders.models import Reminder, ReminderState
from workflow.requests.lifecycle import RequestEvent, RequestStatus
from workflow.requests.models import Request
from workflow.requests.services import accept_request, apply_request_event, visible_requests

from ..factories import make_request, make_user

DEADLINE_DAY = date(2026, 12, 3)  # the clock starts on 23 November 2026, 09:00 UTC
AFTER_DEADLINE = datetime(2026, 12, 4, 0, 1, tzinfo=UTC)


@pytest.fixture()
def app_ctx(app, db, clock):
    """An app context for the whole test, so the reminder hook reads the test clock."""
    with app.app_context():
        yield


@pytest.fixture()
def admin(db, app_ctx) -> User:
    return make_user(db, Role.ADMIN)


@pytest.fixture()
def member(db, admin, clock) -> User:
    """A committee member without a veto."""
    user = make_user(db, Role.STEERING)
    add_member(db, user.id, MemberKind.COMMITTEE_MEMBER, False, actor=admin, now=clock.now)
    db.commit()
    return user


@pytest.fixture()
def veto(db, admin, clock) -> User:
    """The EU delegation, with a veto."""
    user = make_user(db, Role.STEERING)
    add_member(db, user.id, MemberKind.EU_DELEGATION, True, actor=admin, now=clock.now)
    db.commit()
    return user


@pytest.fixture()
def reviewed(db, app_ctx, requester_pe, officer):
    def make(title: str = "Support to the anti-trafficking working group") -> Request:
        return make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer, title=title)

    return make


def ticks(db) -> dict[int, tuple[bool, str]]:
    """Every active criterion ticked as met, with a comment."""
    return {c.id: (True, f"{c.label}: checked with the partner.") for c in criteria(db, active_only=True)}


def decide(db, request: Request, outcome: Outcome, officer: User, now: datetime, **kwargs) -> Decision:
    draft = DecisionDraft(outcome=outcome, summary=kwargs.pop("summary", "Relevant, owned and feasible."),
                          criteria=kwargs.pop("criteria", None) or ticks(db))
    decision = record_decision(db, request, draft, actor=officer, now=now)
    db.commit()
    return decision


def send(db, request: Request, officer: User, clock, day: date = DEADLINE_DAY):
    consultation = send_to_committee(db, request, day, actor=officer, now=clock.now)
    db.commit()
    return consultation


# --- The acceptance walk ---------------------------------------------------------------------------


def test_a_request_is_approved_with_one_support_and_one_silence_past_the_deadline_and_another_is_blocked_by_a_veto(
        db, clock, officer, member, veto, reviewed):
    approved, blocked = reviewed("Victim identification"), reviewed("Border referral procedures")
    send(db, approved, officer, clock)
    send(db, blocked, officer, clock)
    assert approved.status is blocked.status is RequestStatus.CONSULTATION

    answer_consultation(db, approved, Answer.SUPPORT, None, actor=member, now=clock.now)
    db.commit()  # the EU delegation stays silent
    with pytest.raises(TransitionRefused, match="approving must wait"):
        decide(db, approved, Outcome.APPROVE, officer, clock.now)
    db.rollback()

    clock.set(AFTER_DEADLINE)
    p = consultation_position(open_consultation(db, approved), clock.now)
    assert (p.supports, p.silent_as_support, p.objections, p.blocked) == (1, 1, 0, False)
    decision = decide(db, approved, Outcome.APPROVE, officer, clock.now)
    db.expire_all()
    assert approved.status is RequestStatus.ACCEPTED
    assert db.scalar(select(Action).where(Action.request_id == approved.id)) is not None
    assert decision.consultation.status is ConsultationStatus.CLOSED and decision.consultation.closed_at == clock.now
    assert {c.criterion.code for c in decision.criteria} >= {"migration_governance", "feasibility"}
    assert all(c.met and c.comment for c in decision.criteria)

    clock.set(datetime(2026, 11, 24, 9, tzinfo=UTC))
    answer_consultation(db, blocked, Answer.SUPPORT, None, actor=member, now=clock.now)
    answer_consultation(db, blocked, Answer.OBJECT, "Overlaps with another donor's project.", actor=veto,
                        now=clock.now)
    db.commit()
    clock.set(AFTER_DEADLINE)
    with pytest.raises(TransitionRefused, match="A member with a veto objected"):
        decide(db, blocked, Outcome.APPROVE, officer, clock.now)
    db.rollback()
    assert blocked.status is RequestStatus.CONSULTATION and db.scalar(select(Decision.id).where(
        Decision.request_id == blocked.id)) is None
    decide(db, blocked, Outcome.REJECT, officer, clock.now, summary="Another donor already covers this.")
    assert blocked.status is RequestStatus.DECLINED and blocked.decline_reason == "Another donor already covers this."
    assert blocked.action is None


# --- Consulting ------------------------------------------------------------------------------------


def test_the_panel_is_every_active_member_with_the_veto_they_hold_when_consulted(db, clock, officer, member, veto,
                                                                                    admin, reviewed):
    retired = make_user(db, Role.STEERING)
    row = add_member(db, retired.id, MemberKind.DESK, True, actor=admin, now=clock.now)
    update_member(db, row, kind=MemberKind.DESK, has_veto=True, active=False, actor=admin)
    consultation = send(db, reviewed(), officer, clock)
    assert [(a.member.user_id, a.has_veto, a.answer) for a in consultation.answers] == [
        (member.id, False, None), (veto.id, True, None)]
    update_member(db, db.scalar(select(SteeringMember).where(SteeringMember.user_id == veto.id)),
                  kind=MemberKind.EU_DELEGATION, has_veto=False, active=True, actor=admin)
    db.commit()
    assert consultation.answers[1].has_veto  # the veto stays that of the consultation


def test_the_deadline_is_the_end_of_the_day_in_the_officers_time_zone(db, clock, officer, member, reviewed):
    officer.timezone = "America/Lima"
    consultation = send(db, reviewed(), officer, clock)
    assert consultation.deadline == datetime(2026, 12, 4, 5, tzinfo=UTC)  # midnight in Lima


@pytest.mark.parametrize(("day", "message"), [(date(2026, 11, 22), "in the future"),
                                               (date(2027, 12, 31), "within a year")])
def test_a_deadline_in_the_past_or_too_far_ahead_is_refused(db, clock, officer, member, reviewed, day, message):
    request = reviewed()
    with pytest.raises(DomainError, match=message):
        send_to_committee(db, request, day, actor=officer, now=clock.now)


def test_sending_needs_a_member_a_request_under_review_and_staff(db, clock, officer, requester_pe, admin, reviewed):
    request = reviewed()
    with pytest.raises(TransitionRefused, match="at least one active member"):
        send_to_committee(db, request, DEADLINE_DAY, actor=officer, now=clock.now)
    db.rollback()
    user = make_user(db, Role.STEERING)
    add_member(db, user.id, MemberKind.COMMITTEE_MEMBER, False, actor=admin, now=clock.now)
    with pytest.raises(DomainError, match="Only programme staff"):
        send_to_committee(db, request, DEADLINE_DAY, actor=requester_pe, now=clock.now)
    send(db, request, officer, clock)
    with pytest.raises(TransitionRefused, match="under review"):
        send_to_committee(db, request, DEADLINE_DAY, actor=officer, now=clock.now)


def test_the_committees_steps_are_refused_through_the_plain_request_events(db, clock, officer, member, reviewed):
    request = reviewed()
    with pytest.raises(TransitionRefused, match="Steering Committee's consultation"):
        apply_request_event(db, request, RequestEvent.SEND_TO_COMMITTEE, actor=officer, now=clock.now)
    send(db, request, officer, clock)
    for event in (RequestEvent.ACCEPT, RequestEvent.DECLINE, RequestEvent.ASK_CLARIFICATION):
        with pytest.raises(TransitionRefused, match="Steering Committee's consultation"):
            apply_request_event(db, request, event, actor=officer, now=clock.now, reason="Because.")
    with pytest.raises(TransitionRefused):
        accept_request(db, request, actor=officer, now=clock.now)
    db.rollback()
    assert request.status is RequestStatus.CONSULTATION


def test_direct_acceptance_is_refused_once_there_is_a_committee(db, clock, officer, reviewed, admin):
    alone = reviewed("Decided by the officer alone")
    assert accept_request(db, alone, actor=officer, now=clock.now).request_id == alone.id  # no committee yet
    user = make_user(db, Role.STEERING)
    add_member(db, user.id, MemberKind.COMMITTEE_MEMBER, False, actor=admin, now=clock.now)
    db.commit()
    with pytest.raises(TransitionRefused, match="only on the Steering Committee's decision"):
        accept_request(db, reviewed("Needs the committee"), actor=officer, now=clock.now)


# --- Answering ---------------------------------------------------------------------------------------


def test_a_member_may_change_the_answer_before_the_deadline_never_after(db, clock, officer, member, reviewed):
    request = reviewed()
    send(db, request, officer, clock)
    seat = answer_consultation(db, request, Answer.OBJECT, "Too broad.", actor=member, now=clock.now)
    clock.set(clock.now + timedelta(days=2))
    seat = answer_consultation(db, request, Answer.SUPPORT, "  ", actor=member, now=clock.now)
    db.commit()
    assert (seat.answer, seat.reason, seat.answered_at) == (Answer.SUPPORT, None, clock.now)
    clock.set(AFTER_DEADLINE)
    with pytest.raises(DomainError, match="deadline has passed"):
        answer_consultation(db, request, Answer.OBJECT, "Changed my mind.", actor=member, now=clock.now)
    db.rollback()
    assert seat.answer is Answer.SUPPORT


def test_an_objection_needs_a_reason(db, clock, officer, member, reviewed):
    request = reviewed()
    send(db, request, officer, clock)
    with pytest.raises(DomainError, match="needs a reason") as refused:
        answer_consultation(db, request, Answer.OBJECT, "   ", actor=member, now=clock.now)
    assert refused.value.field == "reason"


def test_only_the_members_consulted_answer(db, clock, officer, member, admin, reviewed):
    request = reviewed()
    send(db, request, officer, clock)
    late = make_user(db, Role.STEERING)
    add_member(db, late.id, MemberKind.DESK, False, actor=admin, now=clock.now)  # joined after it opened
    for outsider in (late, officer, admin):
        with pytest.raises(NotFound):
            answer_consultation(db, request, Answer.SUPPORT, None, actor=outsider, now=clock.now)
    with pytest.raises(NotFound):
        answer_consultation(db, reviewed("Not sent"), Answer.SUPPORT, None, actor=member, now=clock.now)


def test_an_objection_without_a_veto_does_not_block_approval(db, clock, officer, member, veto, reviewed):
    request = reviewed()
    send(db, request, officer, clock)
    answer_consultation(db, request, Answer.OBJECT, "Not a priority for us.", actor=member, now=clock.now)
    answer_consultation(db, request, Answer.SUPPORT, None, actor=veto, now=clock.now)
    db.commit()
    decide(db, request, Outcome.APPROVE, officer, clock.now)  # everyone answered: no need to wait
    assert request.status is RequestStatus.ACCEPTED


def test_the_committee_sees_only_the_requests_it_was_consulted_on(db, clock, officer, member, reviewed):
    consulted, other = reviewed("Consulted"), reviewed("Not sent")
    send(db, consulted, officer, clock)
    assert [r.id for r in db.scalars(visible_requests(member))] == [consulted.id]
    assert other.id in {r.id for r in db.scalars(visible_requests(officer))}


# --- Deciding ----------------------------------------------------------------------------------------


def test_asking_for_changes_sends_it_back_and_a_new_consultation_follows(db, clock, officer, member, requester_pe,
                                                                           reviewed):
    request = reviewed()
    first = send(db, request, officer, clock)
    decide(db, request, Outcome.ASK_CHANGES, officer, clock.now, summary="Which provinces would take part?")
    assert request.status is RequestStatus.CLARIFICATION_REQUESTED
    assert request.clarification_question == "Which provinces would take part?"
    apply_request_event(db, request, RequestEvent.ANSWER_CLARIFICATION, actor=requester_pe, now=clock.now,
                        reason="Lima and Tumbes.")
    second = send(db, request, officer, clock)
    assert second.id != first.id and first.status is ConsultationStatus.CLOSED
    answer_consultation(db, request, Answer.SUPPORT, None, actor=member, now=clock.now)
    decide(db, request, Outcome.APPROVE, officer, clock.now)
    assert request.status is RequestStatus.ACCEPTED
    assert len(db.scalars(select(Decision).where(Decision.request_id == request.id)).all()) == 2


def test_every_active_criterion_needs_a_tick_and_a_comment(db, clock, officer, member, reviewed):
    request = reviewed()
    send(db, request, officer, clock)
    first = criteria(db, active_only=True)[0]
    for missing in ({**ticks(db), first.id: (True, "   ")}, {k: v for k, v in ticks(db).items() if k != first.id}):
        with pytest.raises(DomainError, match="needs a tick and a comment") as refused:
            decide(db, request, Outcome.REJECT, officer, clock.now, criteria=missing)
        assert refused.value.field == f"comment_{first.id}"
        db.rollback()
    with pytest.raises(DomainError, match="reload the page"):
        decide(db, request, Outcome.REJECT, officer, clock.now, criteria={**ticks(db), 999_999: (True, "Unknown.")})
    db.rollback()
    with pytest.raises(DomainError, match="needs its reasons"):
        decide(db, request, Outcome.REJECT, officer, clock.now, summary="  ")
    db.rollback()
    assert request.status is RequestStatus.CONSULTATION and open_consultation(db, request) is not None


def test_approving_needs_every_criterion_met_and_rejecting_does_not(db, clock, officer, member, reviewed):
    request = reviewed()
    send(db, request, officer, clock)
    answer_consultation(db, request, Answer.SUPPORT, None, actor=member, now=clock.now)
    one = criteria(db, active_only=True)[-1].id
    unmet = {**ticks(db), one: (False, "Not feasible before the elections.")}
    with pytest.raises(DomainError, match="meets every eligibility criterion"):
        decide(db, request, Outcome.APPROVE, officer, clock.now, criteria=unmet)
    db.rollback()
    decision = decide(db, request, Outcome.REJECT, officer, clock.now, criteria=unmet)
    assert [c.met for c in decision.criteria].count(False) == 1


def test_the_criteria_an_admin_adds_renames_or_deactivates_shape_the_next_decision(db, clock, officer, member, admin,
                                                                                   reviewed):
    added = add_criterion(db, "Gender mainstreaming", None, actor=admin)
    assert added.code == "gender_mainstreaming" and added.position == 6
    assert add_criterion(db, "Gender mainstreaming!", 7, actor=admin).code == "gender_mainstreaming_2"
    feasibility = db.scalar(select(EligibilityCriterion).where(EligibilityCriterion.code == "feasibility"))
    update_criterion(db, feasibility, label="Feasibility", position_=5, active=False, actor=admin)
    with pytest.raises(DomainError, match="Only an admin"):
        add_criterion(db, "Officer's own", None, actor=officer)
    request = reviewed()
    send(db, request, officer, clock)
    decision = decide(db, request, Outcome.REJECT, officer, clock.now)
    codes = {c.criterion.code for c in decision.criteria}
    assert "gender_mainstreaming" in codes and "feasibility" not in codes


def test_a_decision_is_recorded_once(db, clock, officer, member, reviewed):
    request = reviewed()
    send(db, request, officer, clock)
    decide(db, request, Outcome.REJECT, officer, clock.now)
    with pytest.raises(TransitionRefused, match="no open consultation"):
        decide(db, request, Outcome.APPROVE, officer, clock.now)


def test_only_an_admin_manages_members_and_each_person_sits_once(db, clock, admin, officer, member):
    with pytest.raises(DomainError, match="already a member"):
        add_member(db, member.id, MemberKind.DESK, False, actor=admin, now=clock.now)
    with pytest.raises(DomainError, match="Steering Committee role"):
        add_member(db, officer.id, MemberKind.DESK, False, actor=admin, now=clock.now)
    with pytest.raises(DomainError, match="Only an admin"):
        add_member(db, make_user(db, Role.STEERING).id, MemberKind.DESK, False, actor=officer, now=clock.now)


# --- Reminders ---------------------------------------------------------------------------------------


def reminders(db, consultation_id: int) -> dict[tuple[str, int], ReminderState]:
    db.expire_all()
    return {(r.key.split(":")[0], r.recipient_id): r.state for r in db.scalars(select(Reminder).where(
        Reminder.subject_type == "consultation", Reminder.subject_id == consultation_id))}


def test_the_deadline_reminders_follow_the_answers_and_the_decision(db, clock, officer, member, veto, reviewed):
    request = reviewed()
    consultation = send(db, request, officer, clock)
    found = reminders(db, consultation.id)
    assert found == {("consultation-due", member.id): ReminderState.PENDING,
                     ("consultation-due", veto.id): ReminderState.PENDING,
                     ("consultation-ended", officer.id): ReminderState.PENDING}
    answer_consultation(db, request, Answer.SUPPORT, None, actor=member, now=clock.now)
    db.commit()
    found = reminders(db, consultation.id)
    assert found[("consultation-due", member.id)] is ReminderState.CANCELLED
    assert found[("consultation-due", veto.id)] is ReminderState.PENDING
    decide(db, request, Outcome.REJECT, officer, clock.now)
    assert set(reminders(db, consultation.id).values()) == {ReminderState.CANCELLED}


def test_the_admin_chooses_who_is_reminded_and_who_is_told_the_consultation_ended(db, clock, admin, officer, member,
                                                                                   reviewed):
    from workflow.reminders.services import RuleSettings, save_rule_settings

    request = reviewed()
    consultation = send(db, request, officer, clock)
    changed = save_rule_settings(db, {
        "consultation_due": RuleSettings([3, 1], True, ["steering", "officer"]),
        "consultation_ended": RuleSettings([], True, ["admin"]),
    }, actor=admin, now=clock.now)
    db.commit()
    assert changed == {"consultation_due", "consultation_ended"}
    found = reminders(db, consultation.id)
    assert found == {("consultation-due", member.id): ReminderState.PENDING,
                     ("consultation-due", officer.id): ReminderState.PENDING,
                     ("consultation-ended", officer.id): ReminderState.CANCELLED,
                     ("consultation-ended", admin.id): ReminderState.PENDING}
    rules_of = {(r.key.split(":")[0], r.rule) for r in db.scalars(select(Reminder).where(
        Reminder.subject_type == "consultation"))}
    assert rules_of == {("consultation-due", "consultation_due"), ("consultation-ended", "consultation_ended")}
    # Switched off, the ended notice goes to nobody; the reminders before the deadline stay.
    save_rule_settings(db, {"consultation_ended": RuleSettings([], False, ["admin"])}, actor=admin, now=clock.now)
    db.commit()
    found = reminders(db, consultation.id)
    assert found[("consultation-ended", admin.id)] is ReminderState.CANCELLED
    assert found[("consultation-due", member.id)] is ReminderState.PENDING


def test_the_audit_trail_of_the_request_records_its_consultation_and_decision(db, clock, officer, member, admin,
                                                                              reviewed):
    from workflow.audit.models import AuditEntry

    request = reviewed()
    send(db, request, officer, clock)
    decide(db, request, Outcome.REJECT, officer, clock.now, summary="Out of scope.")
    entries = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "request",
                                                  AuditEntry.object_id == request.id)).all()
    parts = {(e.detail.get("part"), e.event) for e in entries}
    assert {("consultation", "created"), ("decision", "created")} <= parts
    decision = next(e for e in entries if e.detail.get("part") == "decision")
    assert decision.changes["outcome"] == [None, "reject"] and decision.actor_id == officer.id
    assert ("consultation", "updated") in parts  # closed by the decision
    seat = db.scalar(select(SteeringMember).where(SteeringMember.user_id == member.id))
    update_member(db, seat, kind=MemberKind.COMMITTEE_MEMBER, has_veto=True, active=True, actor=admin)
    db.commit()
    veto_change = db.scalar(select(AuditEntry).where(AuditEntry.object_type == "steering_member",
                                                     AuditEntry.object_id == seat.id, AuditEntry.event == "updated"))
    assert veto_change.changes["has_veto"] == [False, True]


def test_the_reminders_say_what_is_asked_by_when_in_the_recipients_time_zone(db, clock, officer, member, reviewed):
    from flask_babel import force_locale

    from workflow.reminders.messages import content_for

    member.timezone = "America/Lima"
    request = reviewed()
    consultation = send(db, request, officer, clock)
    rows = {r.recipient_id: r for r in db.scalars(select(Reminder).where(Reminder.subject_type == "consultation",
                                                                         Reminder.subject_id == consultation.id))}
    with force_locale("en"):
        to_member = content_for(db, rows[member.id], base_url="https://peerflow.example", now=clock.now)
        to_officer = content_for(db, rows[officer.id], base_url="https://peerflow.example", now=clock.now)
    assert "until 3 Dec 2026, 18:59 (America/Lima)" in to_member.subject  # 23:59 UTC on 3 December, in Lima, named
    assert "without an answer you count as supporting it" in to_member.lines[0]
    assert to_member.link == f"https://peerflow.example/requests/{request.id}#committee"
    assert to_officer.subject.startswith("Consultation ended") and "Please record the decision." in to_officer.lines
