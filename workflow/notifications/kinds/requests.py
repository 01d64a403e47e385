"""The news of a request and of its Steering Committee: the officer hears what the requester did, the
requester's institution hears what the programme did, the committee hears that it is consulted, and the
members who have not answered hear that its deadline moved.

Who reviews a request: its officer (the staff member who started the review), or, while it has none,
every active officer, as the design gives officers the review of requests; admins only when there is
no active officer at all, so that a submitted request always reaches someone.
"""

from __future__ import annotations

from sqlalchemy import select

from ...accounts.models import Role, User
from ...actions.models import Action
from ...actions.signals import action_changed
from ...core.clock import zone
from ...core.i18n import _, _l
from ...governance.models import Consultation, SteeringMember
from ...governance.signals import consultation_changed
from ...requests.models import Request
from ...requests.signals import request_changed
from . import Kind, Message, register
from .words import day

STAFF = frozenset({Role.OFFICER, Role.ADMIN})


# --- Who ------------------------------------------------------------------------------------------


def _reviewers(session, request: Request, _context):
    """Its officer, or every active officer while it has none (the admins if there is no officer)."""
    officer = session.get(User, request.officer_id) if request.officer_id is not None else None
    if officer is not None and officer.active:
        return [officer]
    for role in (Role.OFFICER, Role.ADMIN):
        found = list(session.scalars(select(User).where(User.role == role, User.active).order_by(User.id)))
        if found:
            return found
    return []


def institution_requesters(session, institution_id: int) -> list[User]:
    """The active requesters of the institution: every one of them follows its requests."""
    return list(session.scalars(select(User).where(User.role == Role.REQUESTER, User.active,
                                                   User.institution_id == institution_id).order_by(User.id)))


def _requesters(session, request: Request, _context):
    return institution_requesters(session, request.institution_id)


def _requesters_of_action(session, action: Action, _context):
    """An Action opened on accepting a request: the requesting institution hears of both at once."""
    return institution_requesters(session, action.request.institution_id) if action.request is not None else []


def _members(session, member_ids: list[int]) -> list[User]:
    return list(session.scalars(
        select(User).join(SteeringMember, SteeringMember.user_id == User.id)
        .where(SteeringMember.active, SteeringMember.id.in_(member_ids)).order_by(User.id)))


def _committee(session, consultation: Consultation, _context):
    """The members consulted (the panel fixed when it opened), while they are active."""
    return _members(session, [seat.member_id for seat in consultation.answers])


def _not_answered(session, consultation: Consultation, _context):
    """The members consulted who have not answered yet: a new deadline changes what is asked of them only.

    Those who answered are not told: their answer stands and counts whichever way the deadline moves, and the
    request's page shows the new one should they wish to change it; news that asks nothing of its reader
    teaches them to ignore the rest."""
    return _members(session, [seat.member_id for seat in consultation.answers if seat.answer is None])


# --- What -----------------------------------------------------------------------------------------


def _link(request: Request) -> str:
    return f"/requests/{request.id}"


def _by(request: Request) -> str:
    return request.institution.label


def _submitted(_session, request: Request, _user, _context) -> Message:
    return Message(
        _("New request to review: “%(title)s”", title=request.title),
        (_("%(institution)s submitted the request “%(title)s”.", institution=_by(request), title=request.title),
         _("Please review it in Peerflow: start the review, ask for clarification or send it to the Steering "
           "Committee.")),
        _link(request))


def _clarified(_session, request: Request, _user, _context) -> Message:
    return Message(
        _("Clarification received: “%(title)s”", title=request.title),
        (_("%(institution)s answered your question on “%(title)s”:", institution=_by(request), title=request.title),
         request.clarification_answer or "",
         _("The request is back under review.")),
        _link(request))


def _withdrawn(_session, request: Request, _user, _context) -> Message:
    return Message(
        _("Request withdrawn: “%(title)s”", title=request.title),
        (_("%(institution)s withdrew the request “%(title)s”.", institution=_by(request), title=request.title),
         _("Their reason: %(reason)s", reason=request.withdraw_reason or ""),
         _("Nothing more is needed from you on it.")),
        _link(request))


def _clarification_asked(_session, request: Request, _user, _context) -> Message:
    return Message(
        _("Your request needs clarification: “%(title)s”", title=request.title),
        (_("The programme asks about your request “%(title)s”:", title=request.title),
         request.clarification_question or "",
         _("Please edit the request if needed and answer in Peerflow; it stays on hold until you do.")),
        _link(request))


def _accepted(_session, action: Action, _user, _context) -> Message:
    request = action.request
    return Message(
        _("Your request is accepted: the Action “%(name)s” is open", name=action.name),
        (_("Your request “%(title)s” was accepted.", title=request.title),
         _("The Action “%(name)s” is open to carry it out; its page shows its progress, dates and deliverables.",
           name=action.name)),
        f"/actions/{action.id}")


def _declined(_session, request: Request, _user, _context) -> Message:
    return Message(
        _("Your request was declined: “%(title)s”", title=request.title),
        (_("Your request “%(title)s” was declined.", title=request.title),
         _("The reason: %(reason)s", reason=request.decline_reason or "")),
        _link(request))


def _consulted(_session, consultation: Consultation, user: User, _context) -> Message:
    request = consultation.request
    until = consultation.answers_until.astimezone(zone(user.timezone))
    return Message(
        _("The Steering Committee is consulted on “%(title)s”", title=request.title),
        (_("Your opinion is asked on the request “%(title)s” of %(institution)s.", title=request.title,
           institution=_by(request)),
         _("Please support it or object (with a reason) by %(day)s at %(time)s (your time); silence by then counts "
           "as support.", day=day(until.date()), time=until.strftime("%H:%M"))),
        f"/requests/{request.id}#committee")


def _deadline_moved(_session, consultation: Consultation, user: User, context) -> Message:
    request = consultation.request
    until = consultation.answers_until.astimezone(zone(user.timezone))
    change = context.extra.get("change")
    before = change.answers_until_before.astimezone(zone(user.timezone)) if change is not None else None
    lines = [_("The deadline for the Steering Committee's answers on the request “%(title)s” of %(institution)s has "
               "changed: it is now %(day)s at %(time)s (your time).", title=request.title, institution=_by(request),
               day=day(until.date()), time=until.strftime("%H:%M"))]
    if before is not None:
        lines.append(_("It was %(day)s.", day=day(before.date())))
    if change is not None and change.reason:
        lines.append(_("The reason: %(reason)s", reason=change.reason))
    lines.append(_("You have not answered yet: please support the request or object (with a reason) by then; "
                   "silence by then counts as support."))
    return Message(
        _("New deadline for the consultation on “%(title)s”: %(day)s", title=request.title, day=day(until.date())),
        lines, f"/requests/{request.id}#committee")


# --- The kinds, in the workflow's order ----------------------------------------------------------------


def _request_kind(code: str, label, events: set[str], roles, recipients, message) -> Kind:
    return register(Kind(code=code, label=label, signal=request_changed, events=frozenset(events),
                         subject_type="request", roles=frozenset(roles), recipients=recipients, message=message,
                         model=Request))


_request_kind("request_submitted", _l("A request was submitted"), {"submit"}, STAFF, _reviewers, _submitted)
_request_kind("clarification_asked", _l("Your request needs clarification"), {"ask_clarification"},
              {Role.REQUESTER}, _requesters, _clarification_asked)
_request_kind("request_clarified", _l("A requester answered a clarification"), {"answer_clarification"}, STAFF,
              _reviewers, _clarified)
_request_kind("request_withdrawn", _l("A request was withdrawn"), {"withdraw"}, STAFF, _reviewers, _withdrawn)
register(Kind(
    code="consultation_opened", label=_l("The Steering Committee is consulted on a request"),
    signal=consultation_changed, events=frozenset({"open"}), subject_type="consultation",
    roles=frozenset({Role.STEERING}), recipients=_committee, message=_consulted, model=Consultation))
register(Kind(
    code="consultation_changed", label=_l("The deadline of a consultation you have not answered changed"),
    signal=consultation_changed, events=frozenset({"deadline"}), subject_type="consultation",
    roles=frozenset({Role.STEERING}), recipients=_not_answered, message=_deadline_moved, model=Consultation))
register(Kind(
    code="request_accepted", label=_l("Your request is accepted and its Action opened"), signal=action_changed,
    events=frozenset({"open"}), subject_type="action", roles=frozenset({Role.REQUESTER}),
    recipients=_requesters_of_action, message=_accepted, model=Action))
_request_kind("request_declined", _l("Your request was declined"), {"decline"}, {Role.REQUESTER}, _requesters,
              _declined)
