"""Use cases of calls for experts: who a call reaches, sending it once, ending it, answers, proposals, invitations.

A call is written with one `CallRecipient` row per person in one transaction: those rows are the outgoing
e-mails, delivered after the commit (`delivery.py`), so a crash loses none and none goes twice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..accounts.models import Role, User
from ..actions.lifecycle import ensure_open
from ..activities.lifecycle import EDITABLE_STATES
from ..activities.models import Activity, ExpertSlot
from ..core.dates import day
from ..core.errors import DomainError, NotFound, StaleEdit
from ..core.i18n import _, ngettext
from ..core.labels import label
from ..core.uploads import StoredFile
from ..deployments.candidates import WORKING_LEVELS, deployable_experts, load_candidates, slot_of
from ..deployments.lifecycle import BOOKED, DeploymentEvent
from ..deployments.models import Deployment
from ..deployments.services import apply_deployment_event, propose
from ..experts.models import DEPLOYABLE, Expert, ExpertLanguage, ExpertTheme, Unavailability
from ..experts.queries import consent_withdrawn
from ..matching.engine import violations
from .lifecycle import CALL_LIFECYCLE, CallEvent, CallStatus
from .models import AnswerKind, Call, CallAnswer, CallRecipient, DeliveryState, FocalProposal, RecipientKind

# Who may do what now lives with the permissions; the names stay importable from here.
from .permissions import allowed_call_events as allowed_call_events
from .permissions import answers_open as answers_open

MAX_MESSAGE = 5_000
MAX_NOTE = 2_000
# Names listed in a refusal before "and N more".
NAMED = 10


# --- Who a call reaches ------------------------------------------------------------------------


@dataclass(frozen=True)
class CallDraft:
    message: str
    answer_deadline: datetime
    slot_id: int | None = None
    thematic_area_id: int | None = None
    language: str | None = None
    member_states: tuple[str, ...] = ()  # empty: every member state
    available_only: bool = True
    include_focal_points: bool = True


@dataclass
class Audience:
    """Who a call with these filters would reach now, and who it leaves out: those an open call already reached,
    and the experts who asked to receive no calls by e-mail."""

    experts: list[Expert] = field(default_factory=list)
    focal_points: list[User] = field(default_factory=list)
    already_called: list[str] = field(default_factory=list)  # names
    unsubscribed: list[Expert] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.experts) + len(self.focal_points)


def _slot(activity: Activity, slot_id: int | None) -> ExpertSlot | None:
    if slot_id is None:
        return None
    slot = next((s for s in activity.slots if s.id == slot_id), None)
    if slot is None:
        raise DomainError(_("That slot is not one of this activity's."), field="slot_id")
    return slot


def matching_experts(session: Session, activity: Activity, draft: CallDraft, *, today) -> list[Expert]:
    """The deployable experts (consent not withdrawn) the filters choose; free on the activity's dates if asked.

    With a slot, "free" is the hard rules of the matching engine for that slot (calendar with travel days,
    unavailability, day cap, working language, conflict of interest); without one, no unavailable period
    and no booked deployment over the activity's dates."""
    stmt = deployable_experts()
    if draft.thematic_area_id:
        stmt = stmt.where(exists().where(ExpertTheme.expert_id == Expert.id,
                                         ExpertTheme.thematic_area_id == draft.thematic_area_id))
    if draft.language:
        stmt = stmt.where(exists().where(ExpertLanguage.expert_id == Expert.id, ExpertLanguage.language == draft.language,
                                         ExpertLanguage.level.in_(WORKING_LEVELS)))
    if draft.member_states:
        stmt = stmt.where(Expert.country_code.in_(draft.member_states))
    slot = _slot(activity, draft.slot_id)
    if draft.available_only and slot is not None:
        wanted = slot_of(session, slot)
        free = [c.expert_id for c in load_candidates(session, stmt, today=today) if not violations(c, wanted)]
        stmt = select(Expert).where(Expert.id.in_(free))
    elif draft.available_only:
        start, end = activity.start_date, activity.end_date
        stmt = stmt.where(
            ~exists().where(Unavailability.expert_id == Expert.id, Unavailability.start_date <= end,
                            Unavailability.end_date >= start),
            ~exists().where(Deployment.expert_id == Expert.id, Deployment.status.in_(BOOKED),
                            Deployment.activity_id == Activity.id, Activity.start_date <= end,
                            Activity.end_date >= start))
    return list(session.scalars(stmt.order_by(Expert.name, Expert.id).options(selectinload(Expert.user))))


def matching_focal_points(session: Session, draft: CallDraft) -> list[User]:
    """The active member-state focal points: of the chosen member states, or all of them when none is chosen."""
    if not draft.include_focal_points:
        return []
    stmt = select(User).where(User.role == Role.MS_FOCAL_POINT, User.active, User.country_code.is_not(None))
    if draft.member_states:
        stmt = stmt.where(User.country_code.in_(draft.member_states))
    return list(session.scalars(stmt.order_by(User.country_code, User.name, User.id)))


def audience(session: Session, activity: Activity, draft: CallDraft, *, today) -> Audience:
    """Who the call would reach, without those an open call for the same activity already reached."""
    experts = matching_experts(session, activity, draft, today=today)
    focal_points = matching_focal_points(session, draft)
    reached = select(CallRecipient.expert_id, CallRecipient.user_id).where(
        CallRecipient.open_activity_id == activity.id)
    taken_experts, taken_users = set(), set()
    for expert_id, user_id in session.execute(reached):
        taken_experts.add(expert_id)
        taken_users.add(user_id)
    found = Audience()
    for expert in experts:
        if expert.id in taken_experts:
            found.already_called.append(expert.name)
        else:
            (found.experts if expert.call_emails_stopped_at is None else found.unsubscribed).append(expert)
    for user in focal_points:
        (found.already_called.append(user.name) if user.id in taken_users else found.focal_points.append(user))
    return found


def filters_signature(draft: CallDraft) -> str:
    """A short digest of the filters: the page sends only a call whose preview the officer saw."""
    filters = (draft.slot_id, draft.thematic_area_id, draft.language, tuple(sorted(draft.member_states)),
               draft.available_only, draft.include_focal_points)
    return hashlib.sha256(repr(filters).encode()).hexdigest()[:32]


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMED])
    more = len(names) - NAMED
    return shown if more <= 0 else ngettext("%(names)s and %(num)s more", "%(names)s and %(num)s more", more,
                                            names=shown)


# --- Sending a call ----------------------------------------------------------------------------


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise DomainError(_("Only programme staff send calls for experts."))


def _check_draft(activity: Activity, draft: CallDraft, now: datetime) -> None:
    ensure_open(activity.action)
    if activity.status not in EDITABLE_STATES:
        raise DomainError(_("The activity is %(status)s; it takes no new experts.",
                            status=label(activity.status).lower()))
    if not draft.message.strip():
        raise DomainError(_("Write the message of the call."), field="message")
    if len(draft.message) > MAX_MESSAGE:
        raise DomainError(_("The message is longer than %(num)s characters.", num=MAX_MESSAGE), field="message")
    if draft.answer_deadline <= now:
        raise DomainError(_("The answer deadline has to be in the future."), field="answer_deadline")
    if draft.answer_deadline.date() >= activity.start_date:
        raise DomainError(_("The answer deadline has to be before the activity starts (%(date)s).",
                            date=day(activity.start_date)), field="answer_deadline")


def answer_token(secret: str, salt: str) -> str:
    """The secret of an answer link: derived from the app's secret, so the database alone cannot rebuild it."""
    digest = hmac.new(secret.encode(), f"call-answer:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def answers_in_portal(expert: Expert) -> bool:
    """An expert with an active account answers in their portal; the others by a link in the e-mail."""
    return expert.user is not None and expert.user.active


def send_call(session: Session, activity: Activity, draft: CallDraft, *, actor: User, now: datetime,
              secret: str) -> Call:
    """Create the call and queue one e-mail per person it reaches, all in this transaction.

    Refused when it would reach nobody (naming those an open call for the activity already reached)."""
    _require_staff(actor)
    _check_draft(activity, draft, now)
    found = audience(session, activity, draft, today=now.date())
    if not found.count:
        if found.already_called:
            raise DomainError(ngettext(
                "The call is not sent: %(names)s was already reached by an open call for this activity.",
                "The call is not sent: %(names)s were already reached by an open call for this activity.",
                len(found.already_called), names=_names(found.already_called)))
        if found.unsubscribed:
            raise DomainError(_("The call is not sent: %(names)s asked to receive no calls for experts by e-mail.",
                                names=_names([e.name for e in found.unsubscribed])))
        raise DomainError(_("The call is not sent: no expert or focal point matches these filters."))
    call = Call(activity_id=activity.id, slot_id=draft.slot_id, thematic_area_id=draft.thematic_area_id,
                language=draft.language, member_states=sorted(draft.member_states),
                available_only=draft.available_only, include_focal_points=draft.include_focal_points,
                unsubscribed_expert_ids=[e.id for e in found.unsubscribed], message=draft.message.strip(), answer_deadline=draft.answer_deadline, status=CallStatus.OPEN,
                created_by_id=actor.id, created_at=now, sent_at=now)
    for expert in found.experts:
        salt = None if answers_in_portal(expert) else secrets.token_hex(16)
        call.recipients.append(CallRecipient(
            kind=RecipientKind.EXPERT, expert_id=expert.id, open_activity_id=activity.id, token_salt=salt,
            token_hash=token_hash(answer_token(secret, salt)) if salt else None, created_at=now))
    for user in found.focal_points:
        call.recipients.append(CallRecipient(kind=RecipientKind.FOCAL_POINT, user_id=user.id,
                                             open_activity_id=activity.id, created_at=now))
    session.add(call)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # Another call for this activity reached some of them at the same moment: its rows stand.
        raise DomainError(_("Another call for this activity was sent to some of these people at the same "
                            "moment; look at the preview again.")) from None
    return call


# --- Ending a call -----------------------------------------------------------------------------


def apply_call_event(session: Session, call: Call, event: CallEvent, *, actor: User, now: datetime, version: int,
                     reason: str | None = None) -> Call:
    """Stand the call down or close it: answers stop, unsent e-mails are dropped, the people may be called again."""
    _require_staff(actor)
    if version != call.version:
        raise StaleEdit(_("This call changed since you opened the page; check it and try again."))
    call.status = CALL_LIFECYCLE.check(call.status, event, None)
    call.end_reason = reason.strip() if reason and reason.strip() else None
    call.ended_at, call.ended_by_id = now, actor.id
    session.flush()
    session.execute(update(CallRecipient).where(CallRecipient.call_id == call.id).values(open_activity_id=None)
                    .execution_options(synchronize_session="fetch"))
    # Conditional: a message a delivery pass has already claimed is left to it (it sees the call ended).
    session.execute(update(CallRecipient).where(CallRecipient.call_id == call.id,
                                                CallRecipient.state == DeliveryState.PENDING)
                    .values(state=DeliveryState.CANCELLED).execution_options(synchronize_session="fetch"))
    session.flush()
    return call


# --- Answers -------------------------------------------------------------------------------------


def _check_answers_open(call: Call, now: datetime) -> None:
    if call.status is not CallStatus.OPEN:
        raise DomainError(_("This call is %(status)s; it takes no more answers.", status=label(call.status).lower()))
    if now > call.answer_deadline:
        raise DomainError(_("The deadline for answers has passed."))


def recipient_by_token(session: Session, token: str) -> CallRecipient | None:
    """The expert's place on a call that an e-mailed answer link opens, or None."""
    if not token or len(token) > 100:
        return None
    return session.scalar(select(CallRecipient).where(CallRecipient.token_hash == token_hash(token),
                                                      CallRecipient.kind == RecipientKind.EXPERT))


def recipient_for(session: Session, call: Call, user: User) -> CallRecipient | None:
    """The place `user` holds on the call: as the expert of their account, or as a focal point."""
    if user.role is Role.EXPERT:
        return session.scalar(select(CallRecipient).join(Expert, CallRecipient.expert_id == Expert.id)
                              .where(CallRecipient.call_id == call.id, Expert.user_id == user.id))
    if user.role is Role.MS_FOCAL_POINT:
        return session.scalar(select(CallRecipient).where(CallRecipient.call_id == call.id,
                                                          CallRecipient.user_id == user.id))
    return None


def answer_call(session: Session, recipient: CallRecipient, answer: AnswerKind, note: str | None, *,
                actor: User | None, now: datetime, cv: StoredFile | None = None,
                cv_file_name: str | None = None) -> tuple[CallAnswer, str | None]:
    """Record (or change) the expert's answer; return it and the stored CV it replaces (deleted after commit).

    `actor` is the expert's account, or None when they answer by the e-mailed link."""
    if recipient.kind is not RecipientKind.EXPERT:
        raise DomainError(_("Only the experts a call reached answer it."))
    if actor is not None and (recipient.expert is None or recipient.expert.user_id != actor.id):
        raise NotFound(_("No such call."))
    _check_answers_open(recipient.call, now)
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise DomainError(_("The note is longer than %(num)s characters.", num=MAX_NOTE), field="note")
    row, replaced = recipient.answer, None
    if row is None:
        row = CallAnswer(recipient=recipient, answered_at=now, answer=answer)
        session.add(row)
    if cv is not None:
        replaced = row.cv_stored_name
        row.cv_stored_name, row.cv_file_name, row.cv_content_type = cv.stored_name, cv_file_name, cv.content_type
    row.answer, row.note, row.updated_at = answer, note, now
    row.answered_by_id = actor.id if actor is not None else None
    session.flush()
    return row, replaced


# --- Focal points' proposals -------------------------------------------------------------------


def proposable_experts(session: Session, call: Call, focal_point: User) -> list[Expert]:
    """The focal point's state's deployable experts the call has not reached nor had proposed."""
    taken = select(CallRecipient.expert_id).where(CallRecipient.call_id == call.id, CallRecipient.expert_id.is_not(None))
    proposed = select(FocalProposal.expert_id).where(FocalProposal.call_id == call.id)
    return list(session.scalars(deployable_experts().where(
        Expert.country_code == focal_point.country_code, Expert.id.not_in(taken), Expert.id.not_in(proposed))
        .order_by(Expert.name, Expert.id)))


def propose_expert(session: Session, call: Call, expert: Expert, note: str | None, *, actor: User,
                   now: datetime) -> FocalProposal:
    """A focal point the call reached puts forward an expert of their own member state."""
    if actor.role is not Role.MS_FOCAL_POINT or recipient_for(session, call, actor) is None:
        raise NotFound(_("No such call."))
    _check_answers_open(call, now)
    if expert.country_code != actor.country_code:
        raise DomainError(_("A focal point proposes experts of their own member state only."), field="expert_id")
    if expert.status not in DEPLOYABLE or session.scalar(select(consent_withdrawn()).where(Expert.id == expert.id)):
        raise DomainError(_("%(name)s cannot be proposed: only approved or active experts who consent to being on "
                            "the roster are.", name=expert.name), field="expert_id")
    if session.scalar(select(CallRecipient.id).where(CallRecipient.call_id == call.id,
                                                     CallRecipient.expert_id == expert.id)):
        raise DomainError(_("%(name)s already received this call.", name=expert.name), field="expert_id")
    if session.scalar(select(FocalProposal.id).where(FocalProposal.call_id == call.id,
                                                     FocalProposal.expert_id == expert.id)):
        raise DomainError(_("%(name)s is already proposed for this call.", name=expert.name), field="expert_id")
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise DomainError(_("The note is longer than %(num)s characters.", num=MAX_NOTE), field="note")
    proposal = FocalProposal(call=call, focal_point_id=actor.id, expert_id=expert.id, note=note, created_at=now)
    session.add(proposal)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise DomainError(_("%(name)s is already proposed for this call.", name=expert.name),
                          field="expert_id") from None
    return proposal


# --- Inviting from the call --------------------------------------------------------------------


def is_among(session: Session, call: Call, expert_id: int) -> bool:
    """Whether the call reached the expert or a focal point proposed them."""
    return bool(session.scalar(select(CallRecipient.id).where(CallRecipient.call_id == call.id,
                                                              CallRecipient.expert_id == expert_id))
                or session.scalar(select(FocalProposal.id).where(FocalProposal.call_id == call.id,
                                                                 FocalProposal.expert_id == expert_id)))


def invite_from_call(session: Session, call: Call, slot_id: int, expert: Expert, *, actor: User,
                     now: datetime) -> Deployment:
    """Propose and invite an expert who answered (or was proposed) for a slot of the call's activity.

    The deployment services apply every hard rule; a refusal names the rule."""
    _require_staff(actor)
    if not is_among(session, call, expert.id):
        raise NotFound(_("No such expert on this call."))
    slot = _slot(call.activity, slot_id)
    deployment = propose(session, slot, expert, actor=actor, now=now)
    apply_deployment_event(session, deployment, DeploymentEvent.INVITE, actor=actor, now=now)
    return deployment


def get_call(session: Session, call_id: int) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(_("No such call."))
    return call

