"""Use cases of a request for assistance: draft, submit, review, clarify, accept, decline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..actions.models import Action
from ..actions.queries import regional_series
from ..actions.services import ActionDraft, open_action
from ..core.errors import NotFound, PermissionDenied, StateConflict, TransitionRefused
from ..core.i18n import _
from ..core.search import matches, search_key
from ..core.signals import stale_edit
from ..governance.models import Consultation, Decision, SteeringMember
from ..reference.models import Institution, InstitutionKind
from .lifecycle import (
    COMMITTEE_EVENTS,
    COMMITTEE_STATES,
    EDITABLE_STATES,
    REQUEST_LIFECYCLE,
    RequestEvent,
    RequestFacts,
    RequestStatus,
)
from .models import Request, RequestTransition
from .permissions import allowed_events
from .signals import request_changed


@dataclass(frozen=True)
class RequestDraft:
    """What a requester writes."""

    title: str
    description: str
    thematic_area_id: int
    desired_start: date | None = None


def visible_requests(user: User) -> Select[tuple[Request]]:
    """Staff see every request; a requester only those of their own institution; the Steering Committee
    those it was consulted on; others none."""
    stmt = select(Request)
    if user.is_staff:
        return stmt
    if user.role is Role.REQUESTER and user.institution_id is not None:
        return stmt.where(Request.institution_id == user.institution_id)
    if user.role is Role.STEERING:
        return stmt.where(Request.id.in_(select(Consultation.request_id)))
    return stmt.where(False)


def requests_matching(stmt: Select[tuple[Request]], q: str | None) -> Select[tuple[Request]]:
    """Narrow a list of requests to those whose title, or institution's name or acronym, holds what was typed."""
    if not search_key(q or ""):
        return stmt
    return stmt.join(Institution, Institution.id == Request.institution_id).where(
        matches(q, Request.search_key, Institution.search_key))


def get_request(session: Session, user: User, request_id: int) -> Request:
    """The request if `user` may see it; NotFound otherwise (no hint that it exists)."""
    found = session.scalar(visible_requests(user).where(Request.id == request_id))
    if found is None:
        raise NotFound(_("No such request."))
    return found


def create_request(session: Session, draft: RequestDraft, *, actor: User, now: datetime) -> Request:
    if actor.role is not Role.REQUESTER or actor.institution_id is None:
        raise PermissionDenied(_("Only a requester acting for an institution can draft a request."))
    request = Request(
        institution_id=actor.institution_id,
        author_id=actor.id,
        title=draft.title,
        description=draft.description,
        thematic_area_id=draft.thematic_area_id,
        desired_start=draft.desired_start,
        status=RequestStatus.DRAFT,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()
    session.add(RequestTransition(request=request, actor_id=actor.id, at=now, to_status=RequestStatus.DRAFT))
    session.flush()
    request_changed.send(request, session=session, actor=actor, now=now, event="create")
    return request


def update_request(
    session: Session, request: Request, draft: RequestDraft, *, version: int, actor: User, now: datetime
) -> Request:
    """Edit a draft (or a request sent back for clarification), refusing a stale form."""
    if request.status not in EDITABLE_STATES:
        raise StateConflict(_("Only a draft, or a request sent back for clarification, can be edited."))
    if version != request.version:
        raise stale_edit(session, request, version, _("Someone changed this request after you opened it."))
    request.title = draft.title
    request.description = draft.description
    request.thematic_area_id = draft.thematic_area_id
    request.desired_start = draft.desired_start
    request.updated_at = now
    session.flush()
    request_changed.send(request, session=session, actor=actor, now=now, event="edit")
    return request


def committee_size(session: Session) -> int:
    """How many active members the Steering Committee has (none: the officer decides alone)."""
    return session.scalar(select(func.count()).select_from(SteeringMember).where(SteeringMember.active)) or 0


# The step out of a consultation each recorded decision takes.
DECISION_EVENTS = {"approve": RequestEvent.ACCEPT, "reject": RequestEvent.DECLINE,
                   "ask_changes": RequestEvent.ASK_CLARIFICATION}


# The steps that make the staff member taking them the request's officer, if it has none yet.
OFFICER_EVENTS = frozenset({RequestEvent.START_REVIEW, RequestEvent.ASK_CLARIFICATION, RequestEvent.SEND_TO_COMMITTEE})


def decided_event(session: Session, request: Request) -> RequestEvent | None:
    """The step the decision recorded on the request's latest consultation calls for, if any."""
    if request.status not in COMMITTEE_STATES:
        return None
    latest = select(func.max(Consultation.id)).where(Consultation.request_id == request.id).scalar_subquery()
    outcome = session.scalar(select(Decision.outcome).where(Decision.consultation_id == latest))
    return DECISION_EVENTS.get(outcome.value) if outcome is not None else None


def apply_request_event(
    session: Session,
    request: Request,
    event: RequestEvent,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
    committee: bool = False,
) -> RequestTransition:
    """Move the request on by `event`, write the history row; refuse with the rule's reason.

    `committee` is set by the Steering Committee's use cases only: they send the request with a
    deadline, and record the decision (with its checks) before moving it on.
    """
    committee = committee or (request.status in COMMITTEE_STATES and event is decided_event(session, request))
    if event not in allowed_events(request, actor, committee=committee):
        # Either not allowed from this state (say so), the committee's to take, or not this user's to fire.
        REQUEST_LIFECYCLE.target(request.status, event)
        if actor.is_staff and (event in COMMITTEE_EVENTS or request.status in COMMITTEE_STATES):
            raise TransitionRefused(_("This step is taken on the Steering Committee's consultation, on the "
                                      "request's page."))
        raise PermissionDenied(_("You cannot do that on this request."))
    facts = RequestFacts(reason=reason, committee_decision=committee,
                         committee_members=committee_size(session) if event in (
                             RequestEvent.ACCEPT, RequestEvent.SEND_TO_COMMITTEE) else 0)
    target = REQUEST_LIFECYCLE.check(request.status, event, facts)
    reason = reason.strip() if reason else None
    if event is RequestEvent.SUBMIT:
        request.submitted_at = now
    elif event is RequestEvent.ASK_CLARIFICATION:
        request.clarification_question = reason
        request.clarification_answer = None
    elif event is RequestEvent.ANSWER_CLARIFICATION:
        request.clarification_answer = reason
    elif event is RequestEvent.DECLINE:
        request.decline_reason = reason
    elif event is RequestEvent.WITHDRAW:
        request.withdraw_reason = reason
    if actor.is_staff and request.officer_id is None and event in OFFICER_EVENTS:
        request.officer = actor
    transition = RequestTransition(
        request=request, actor_id=actor.id, at=now, from_status=request.status, to_status=target, reason=reason
    )
    request.status = target
    request.updated_at = now
    session.add(transition)
    session.flush()
    request_changed.send(request, session=session, actor=actor, now=now, event=event.value)
    return transition


def accept_request(
    session: Session, request: Request, *, actor: User, now: datetime, name: str | None = None
) -> Action:
    """Accept the request and open its Action, named after the beneficiary country or organisation."""
    apply_request_event(session, request, RequestEvent.ACCEPT, actor=actor, now=now)
    institution = request.institution
    regional = institution.kind is InstitutionKind.REGIONAL_ORGANISATION
    return open_action(
        session,
        ActionDraft(
            title=request.title,
            thematic_area_id=request.thematic_area_id,
            planned_start=request.desired_start or now.date(),
            summary=request.description,
            country_code=institution.country_code,
            regional_name=regional_series(session, institution) if regional else None,
            beneficiary_ids=(institution.id,),
            name=name,
            officer_id=actor.id,
        ),
        actor=actor,
        now=now,
        request=request,
    )
