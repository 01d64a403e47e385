"""Use cases of the Steering Committee: its members and criteria, consulting it, answering, deciding."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..accounts.models import Role, User
from ..core.clock import local_moment
from ..core.errors import DomainError, NotFound, StateConflict, TransitionRefused
from ..core.i18n import N_, _
from ..requests.lifecycle import RequestEvent, RequestStatus
from ..requests.models import Request
from ..requests.services import accept_request, apply_request_event
from .models import (
    Answer,
    Consultation,
    ConsultationAnswer,
    ConsultationStatus,
    DeadlineChange,
    Decision,
    DecisionCriterion,
    EligibilityCriterion,
    MemberKind,
    Outcome,
    SteeringMember,
)
from .position import Position, Vote, position
from .signals import consultation_changed

# The criteria the migration inserts, by code: their labels are translated where shown (while unchanged).
DEFAULT_CRITERIA = {
    "migration_governance": N_("Relevance to migration governance"),
    "public_administration": N_("The beneficiary is a public administration"),
    "ownership": N_("Ownership by the beneficiary"),
    "no_overlap": N_("No overlap with other donors' work"),
    "feasibility": N_("Feasibility"),
}
LONGEST_CONSULTATION = timedelta(days=366)
LONGEST_REASON = 2_000


def criterion_label(criterion: EligibilityCriterion) -> str:
    """The label in the reader's language: a default one translated, one an admin wrote as written."""
    if DEFAULT_CRITERIA.get(criterion.code) == criterion.label:
        return _(criterion.label)
    return criterion.label


def _require_admin(actor: User) -> None:
    if actor.role is not Role.ADMIN:
        raise DomainError(_("Only an admin manages the Steering Committee and the eligibility criteria."))


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise DomainError(_("Only programme staff consult the Steering Committee and record its decisions."))


# --- Members and criteria ------------------------------------------------------------------------


def members(session: Session) -> list[SteeringMember]:
    return list(session.scalars(select(SteeringMember).options(selectinload(SteeringMember.user))
                                .join(User, SteeringMember.user_id == User.id)
                                .order_by(SteeringMember.active.desc(), User.name, SteeringMember.id)))


def candidates(session: Session) -> list[User]:
    """Active people with the Steering Committee role who are not members yet."""
    taken = select(SteeringMember.user_id)
    return list(session.scalars(select(User).where(User.role == Role.STEERING, User.active,
                                                   User.id.not_in(taken)).order_by(User.name, User.id)))


def add_member(session: Session, user_id: int, kind: MemberKind, has_veto: bool, *, actor: User,
               now: datetime) -> SteeringMember:
    _require_admin(actor)
    user = session.get(User, user_id)
    if user is None or user.role is not Role.STEERING or not user.active:
        raise DomainError(_("Choose an active person with the Steering Committee role."), field="user_id")
    if session.scalar(select(SteeringMember.id).where(SteeringMember.user_id == user.id)):
        raise DomainError(_("%(name)s is already a member.", name=user.name), field="user_id")
    member = SteeringMember(user_id=user.id, kind=kind, has_veto=has_veto, active=True, created_at=now)
    session.add(member)
    session.flush()
    return member


def update_member(session: Session, member: SteeringMember, *, kind: MemberKind, has_veto: bool, active: bool,
                  actor: User) -> SteeringMember:
    """Change a member; consultations already open keep the panel (and vetoes) they opened with."""
    _require_admin(actor)
    member.kind, member.has_veto, member.active = kind, has_veto, active
    session.flush()
    return member


def criteria(session: Session, *, active_only: bool = False) -> list[EligibilityCriterion]:
    stmt = select(EligibilityCriterion).order_by(EligibilityCriterion.position, EligibilityCriterion.id)
    if active_only:
        stmt = stmt.where(EligibilityCriterion.active)
    return list(session.scalars(stmt))


def _code_for(session: Session, label: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:30] or "criterion"
    taken = set(session.scalars(select(EligibilityCriterion.code).where(EligibilityCriterion.code.like(f"{base}%"))))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def add_criterion(session: Session, label: str, position_: int | None, *, actor: User) -> EligibilityCriterion:
    _require_admin(actor)
    label = label.strip()
    if not label:
        raise DomainError(_("A criterion needs a label."), field="label")
    if position_ is None:
        position_ = (session.scalar(select(func.max(EligibilityCriterion.position))) or 0) + 1
    criterion = EligibilityCriterion(code=_code_for(session, label), label=label, position=position_, active=True)
    session.add(criterion)
    session.flush()
    return criterion


def update_criterion(session: Session, criterion: EligibilityCriterion, *, label: str, position_: int,
                     active: bool, actor: User) -> EligibilityCriterion:
    """Rename, move or (de)activate; decisions already recorded keep their ticks."""
    _require_admin(actor)
    label = label.strip()
    if not label:
        raise DomainError(_("A criterion needs a label."), field="label")
    criterion.label, criterion.position, criterion.active = label, position_, active
    session.flush()
    return criterion


# --- Consulting ------------------------------------------------------------------------------------


def consultations_of(session: Session, request: Request) -> list[Consultation]:
    """The request's consultations, the latest first, with their answers and decisions."""
    return list(session.scalars(
        select(Consultation).where(Consultation.request_id == request.id)
        .options(selectinload(Consultation.answers).selectinload(ConsultationAnswer.member)
                 .selectinload(SteeringMember.user),
                 selectinload(Consultation.decision).selectinload(Decision.criteria)
                 .selectinload(DecisionCriterion.criterion),
                 selectinload(Consultation.deadline_changes).selectinload(DeadlineChange.changed_by))
        .order_by(Consultation.id.desc())))


def open_consultation(session: Session, request: Request) -> Consultation | None:
    return session.scalar(select(Consultation).where(Consultation.request_id == request.id,
                                                     Consultation.status == ConsultationStatus.OPEN))


def deadline_from(day: date, timezone: str) -> datetime:
    """The end of `day` in `timezone` (the next midnight there), in UTC."""
    return local_moment(day + timedelta(days=1), 0, timezone)


def _checked_deadline(day: date, actor: User, now: datetime) -> datetime:
    """The end of `day` in the actor's time zone, refused when it is past or more than a year ahead."""
    deadline = deadline_from(day, actor.timezone or "UTC")
    if deadline <= now:
        raise DomainError(_("The deadline must be in the future."), field="deadline")
    if deadline > now + LONGEST_CONSULTATION:
        raise DomainError(_("The deadline must be within a year."), field="deadline")
    return deadline


def send_to_committee(session: Session, request: Request, deadline_day: date, *, actor: User,
                      now: datetime) -> Consultation:
    """Consult every active member until the end of `deadline_day` (in the officer's time zone)."""
    _require_staff(actor)
    if request.status is not RequestStatus.UNDER_REVIEW:
        raise TransitionRefused(_("Only a request under review can be sent to the Steering Committee."))
    deadline = _checked_deadline(deadline_day, actor, now)
    panel = session.scalars(select(SteeringMember).where(SteeringMember.active).order_by(SteeringMember.id)).all()
    apply_request_event(session, request, RequestEvent.SEND_TO_COMMITTEE, actor=actor, now=now, committee=True)
    consultation = Consultation(request_id=request.id, opened_by_id=actor.id, opened_at=now, deadline=deadline,
                                status=ConsultationStatus.OPEN)
    consultation.answers = [ConsultationAnswer(member_id=m.id, has_veto=m.has_veto) for m in panel]
    session.add(consultation)
    session.flush()
    consultation_changed.send(consultation, session=session, actor=actor, now=now, event="open")
    return consultation


def change_deadline(session: Session, request: Request, deadline_day: date, reason: str | None, *, actor: User,
                    now: datetime) -> DeadlineChange:
    """Move the open consultation's deadline to the end of `deadline_day` (in the officer's time zone).

    Earlier or later, never into the past, and only while answers are still taken: once the deadline has
    passed silence has counted as support, and the request waits for its decision.
    """
    _require_staff(actor)
    consultation = open_consultation(session, request)
    if consultation is None:
        raise TransitionRefused(_("This request has no open consultation."))
    if now >= consultation.deadline:
        raise StateConflict(_("The deadline has passed: the committee's answers are complete, and the request "
                              "waits for its decision."))
    deadline = _checked_deadline(deadline_day, actor, now)
    if deadline == consultation.deadline:
        raise DomainError(_("That is already the deadline."), field="deadline")
    reason = (reason or "").strip() or None
    if reason and len(reason) > LONGEST_REASON:
        raise DomainError(_("The reason is longer than %(num)s characters.", num=LONGEST_REASON), field="reason")
    change = DeadlineChange(changed_by_id=actor.id, changed_at=now, from_deadline=consultation.deadline,
                            to_deadline=deadline, reason=reason)
    consultation.deadline_changes.append(change)
    consultation.deadline = deadline
    session.flush()
    consultation_changed.send(consultation, session=session, actor=actor, now=now, event="deadline", change=change)
    return change


def seat_of(consultation: Consultation, user: User) -> ConsultationAnswer | None:
    """The row of `user` on the consultation's panel, if they were consulted."""
    return next((a for a in consultation.answers if a.member.user_id == user.id), None)


def answer_consultation(session: Session, request: Request, answer: Answer, reason: str | None, *, actor: User,
                        now: datetime) -> ConsultationAnswer:
    """Support or object (with a reason); the answer may change until the deadline, never after."""
    consultation = open_consultation(session, request)
    seat = seat_of(consultation, actor) if consultation else None
    if seat is None:
        raise NotFound(_("You are not consulted on this request."))
    if now >= consultation.deadline:
        raise DomainError(_("The deadline has passed: answers can no longer be given or changed."))
    reason = (reason or "").strip() or None
    if answer is Answer.OBJECT and reason is None:
        raise DomainError(_("An objection needs a reason."), field="reason")
    seat.answer, seat.reason, seat.answered_at = answer, reason, now
    session.flush()
    consultation_changed.send(consultation, session=session, actor=actor, now=now, event="answer")
    return seat


def consultation_position(consultation: Consultation, now: datetime) -> Position:
    return position((Vote(a.has_veto, a.answer.value if a.answer else None) for a in consultation.answers),
                    consultation.deadline, now)


def awaiting_answer(session: Session, user: User) -> list[Consultation]:
    """The open consultations on which `user` is consulted, the nearest deadline first."""
    return list(session.scalars(
        select(Consultation).join(ConsultationAnswer, ConsultationAnswer.consultation_id == Consultation.id)
        .join(SteeringMember, ConsultationAnswer.member_id == SteeringMember.id)
        .where(Consultation.status == ConsultationStatus.OPEN, SteeringMember.user_id == user.id)
        .options(selectinload(Consultation.request), selectinload(Consultation.answers)
                 .selectinload(ConsultationAnswer.member))
        .order_by(Consultation.deadline, Consultation.id)))


def open_consultations(session: Session) -> list[Consultation]:
    """Every open consultation, the nearest deadline first (for staff)."""
    return list(session.scalars(
        select(Consultation).where(Consultation.status == ConsultationStatus.OPEN)
        .options(selectinload(Consultation.request), selectinload(Consultation.answers)
                 .selectinload(ConsultationAnswer.member))
        .order_by(Consultation.deadline, Consultation.id)))


# --- Deciding --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionDraft:
    """What the officer records: the outcome, its reasons, and each criterion met or not with a comment."""

    outcome: Outcome
    summary: str
    criteria: Mapping[int, tuple[bool, str]]  # criterion id -> (met, comment)


def _checked_criteria(session: Session, draft: DecisionDraft) -> list[tuple[EligibilityCriterion, bool, str]]:
    active = criteria(session, active_only=True)
    if set(draft.criteria) - {c.id for c in active}:
        raise DomainError(_("The list of eligibility criteria changed: reload the page."))
    checked = []
    for criterion in active:
        met, comment = draft.criteria.get(criterion.id, (None, ""))
        comment = (comment or "").strip()
        if met is None or not comment:
            raise DomainError(_("Every eligibility criterion needs a tick and a comment: “%(label)s” has not.",
                                label=criterion_label(criterion)), field=f"comment_{criterion.id}")
        checked.append((criterion, bool(met), comment))
    return checked


def record_decision(session: Session, request: Request, draft: DecisionDraft, *, actor: User,
                    now: datetime) -> Decision:
    """Record the decision against every active criterion, close the consultation, move the request on.

    Approving is refused while the position does not allow it (a veto, or answers still awaited
    before the deadline) and when a criterion is not met; approving opens the Action.
    """
    _require_staff(actor)
    consultation = open_consultation(session, request)
    if consultation is None or request.status is not RequestStatus.CONSULTATION:
        raise TransitionRefused(_("This request has no open consultation to decide on."))
    summary = draft.summary.strip()
    if not summary:
        raise DomainError(_("A decision needs its reasons."), field="summary")
    checked = _checked_criteria(session, draft)
    if draft.outcome is Outcome.APPROVE:
        refusal = consultation_position(consultation, now).approval_refusal()
        if refusal:
            raise TransitionRefused(refusal)
        if not all(met for _c, met, _comment in checked):
            raise DomainError(_("A request is approved only when it meets every eligibility criterion."),
                              field="outcome")
    decision = Decision(request_id=request.id, consultation_id=consultation.id, outcome=draft.outcome,
                        summary=summary, decided_by_id=actor.id, decided_at=now)
    decision.criteria = [DecisionCriterion(criterion_id=c.id, met=met, comment=comment) for c, met, comment in checked]
    session.add(decision)
    consultation.status, consultation.closed_at = ConsultationStatus.CLOSED, now
    session.flush()
    if draft.outcome is Outcome.APPROVE:
        accept_request(session, request, actor=actor, now=now)
    elif draft.outcome is Outcome.REJECT:
        apply_request_event(session, request, RequestEvent.DECLINE, actor=actor, now=now, reason=summary)
    else:
        apply_request_event(session, request, RequestEvent.ASK_CLARIFICATION, actor=actor, now=now, reason=summary)
    consultation_changed.send(consultation, session=session, actor=actor, now=now, event="decide")
    return decision
