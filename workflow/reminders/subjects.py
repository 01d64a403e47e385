"""The subjects of reminders as the rules read them: each kind's facts, loaded from the database.

One table, `SUBJECTS`, says for each kind of subject (request, deployment, activity, Action, a
person's digest, consultation) how to read the facts its rules need and which subjects may gain a
reminder when a rule about them changes. Sync derives every subject through it; a rule about a new
kind of subject adds its entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..actions.lifecycle import ActionStatus
from ..actions.models import Action, ActionTransition
from ..activities.lifecycle import EDITABLE_STATES, ActivityStatus
from ..activities.models import POLICY_DELIVERABLE_KINDS, Activity, Deliverable
from ..deployments.lifecycle import LIVE, DeploymentStatus
from ..deployments.models import Deployment
from ..governance.models import Consultation, ConsultationStatus
from ..missions.models import ChecklistItem, MissionLogistics
from ..requests.lifecycle import RequestStatus
from ..requests.models import Request
from ..results.stages import answered, check_in_moments, closed_at, policy_deliverables
from . import facts, registry
from .models import Reminder, ReminderRule, ReminderState

OPEN_ACTION = (ActionStatus.ACCEPTED, ActionStatus.ASSESSMENT, ActionStatus.IMPLEMENTATION, ActionStatus.CLOSING)
WAITING = (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW)  # a request waiting for review

FactsLoader = Callable[[Session, int, registry.Chosen, datetime], list[object]]


@dataclass(frozen=True)
class Subject:
    """How one kind of subject is read: the facts its rules need, and those that may gain a reminder."""

    facts: FactsLoader  # (session, id, recipients chosen, now) -> facts for the rules (none: nothing to remind)
    live: Callable[[Session], Iterable[int]]  # re-derived when a rule about this kind of subject changes


SUBJECTS: dict[str, Subject] = {}  # subject type -> how to read it


def _subject(kind: str, *, live: Callable[[Session], Iterable[int]]) -> Callable[[FactsLoader], FactsLoader]:
    def registered(loader: FactsLoader) -> FactsLoader:
        SUBJECTS[kind] = Subject(loader, live)
        return loader
    return registered


# --- Who reminders go to ---------------------------------------------------------------------


def recipient_roles(session: Session) -> dict[str, list[str]]:
    """The recipients the admin chose, per rule; a rule without a choice keeps its default recipients."""
    # Filtered here, not in SQL: a JSON column holds None as JSON null, which IS NOT NULL matches.
    return {code: list(roles) for code, roles in session.execute(select(ReminderRule.code, ReminderRule.recipients))
            if roles is not None}


def _wanted_roles(chosen: registry.Chosen) -> set[str]:
    return set().union(*(registry.chosen_roles(code, chosen) for code in registry.RECIPIENTS))


def _people(session: Session, role: Role, countries: set[str] | None = None) -> dict[str | None, list[registry.Person]]:
    """Active users of `role` by country (None when not asked by country), in id order."""
    stmt = select(User.id, User.timezone, User.country_code).where(User.role == role, User.active).order_by(User.id)
    if countries is not None:
        if not countries:
            return {}
        stmt = stmt.where(User.country_code.in_(countries))
    found: dict[str | None, list[registry.Person]] = {}
    for user_id, timezone, country in session.execute(stmt):
        found.setdefault(country if countries is not None else None, []).append(registry.Person(user_id, timezone or "UTC"))
    return found


def _admins(session: Session, chosen: registry.Chosen) -> list[registry.Person]:
    """Every active admin, when some rule goes to the admins (no query otherwise)."""
    return _people(session, Role.ADMIN).get(None, []) if "admin" in _wanted_roles(chosen) else []


def _focal_points(session: Session, chosen: registry.Chosen, countries: set[str]) -> dict[str | None, list[registry.Person]]:
    """The member-state focal points of `countries`, when some rule goes to them (no query otherwise)."""
    return _people(session, Role.MS_FOCAL_POINT, countries) if "focal_point" in _wanted_roles(chosen) else {}


def _person(user: User | None) -> registry.Person | None:
    return registry.Person(user.id, user.timezone or "UTC") if user is not None and user.active else None


def _officers(session: Session, action: Action | None) -> list[registry.Person]:
    """The Action's manager, or every active officer when it has none."""
    if action is not None and action.officer is not None and action.officer.active:
        return [_person(action.officer)]  # type: ignore[list-item]
    # Columns, not entities: this runs for every request at every dispatch pass.
    rows = session.execute(select(User.id, User.timezone).where(User.role == Role.OFFICER, User.active)
                           .order_by(User.id))
    return [registry.Person(user_id, timezone or "UTC") for user_id, timezone in rows]


# --- The kinds of subject ------------------------------------------------------------------


def _open_actions() -> Select[tuple[int]]:
    return select(Action.id).where(Action.status.in_(OPEN_ACTION))


def _waiting_requests(session: Session) -> Iterable[int]:
    return session.scalars(select(Request.id).where(Request.status.in_(WAITING)))


@_subject("request", live=_waiting_requests)
def _request_facts(session: Session, request_id: int, chosen: registry.Chosen, now: datetime) -> list[object]:
    request = session.get(Request, request_id)
    if request is None:
        return []
    return [facts.RequestFacts(request.id, request.status in WAITING, request.submitted_at, _officers(session, None),
                               _admins(session, chosen))]


def _invitations_open(session: Session) -> Iterable[int]:
    return session.scalars(select(Deployment.id).join(Activity, Deployment.activity_id == Activity.id).where(
        Deployment.status == DeploymentStatus.INVITED, Activity.action_id.in_(_open_actions())))


def _expired_by_reminder(session: Session, deployment: Deployment) -> bool:
    """Expired because an expiry reminder went out: the other expiry notices of it still go."""
    return deployment.status is DeploymentStatus.EXPIRED and session.scalar(select(Reminder.id).where(
        Reminder.subject_type == "deployment", Reminder.subject_id == deployment.id, Reminder.rule == "invite_expiry",
        Reminder.state == ReminderState.SENT).limit(1)) is not None


@_subject("deployment", live=_invitations_open)
def _deployment_facts(session: Session, deployment_id: int, chosen: registry.Chosen, now: datetime) -> list[object]:
    deployment = session.get(Deployment, deployment_id)
    if deployment is None:
        return []
    action = deployment.activity.action
    country = deployment.expert.country_code
    return [facts.InvitationFacts(
        deployment.id, deployment.status is DeploymentStatus.INVITED and action.status in OPEN_ACTION,
        deployment.invited_at, _person(deployment.expert.user), _officers(session, action),
        action.status in OPEN_ACTION and _expired_by_reminder(session, deployment),
        _focal_points(session, chosen, {country} if country else set()).get(country, []), _admins(session, chosen))]


def _activities_open(session: Session) -> Iterable[int]:
    return session.scalars(select(Activity.id).where(Activity.action_id.in_(_open_actions())))


@_subject("activity", live=_activities_open)
def _activity_facts(session: Session, activity_id: int, chosen: registry.Chosen, now: datetime) -> list[object]:
    activity = session.get(Activity, activity_id)
    if activity is None:
        return []
    action = activity.action
    deployments = session.scalars(select(Deployment).where(Deployment.activity_id == activity.id)).all()
    live = sum(1 for d in deployments if d.status in LIVE)
    places = sum(s.places for s in activity.slots)
    confirmed = [d for d in deployments if d.status is DeploymentStatus.CONFIRMED]
    running = activity.status in EDITABLE_STATES and action.status in OPEN_ACTION
    focal = _focal_points(session, chosen, {d.expert.country_code for d in confirmed if d.expert.country_code})
    return [facts.ActivityFacts(
        activity.id, running, activity.start_date, activity.end_date, max(0, places - live),
        _officers(session, action), [p for p in (_person(d.expert.user) for d in confirmed) if p],
        [facts.DeploymentReportFacts(d.id, _person(d.expert.user), bool(d.mission_report),
                                     focal.get(d.expert.country_code, [])) for d in confirmed],
        activity.status in (ActivityStatus.DELIVERED, ActivityStatus.REPORTED) and action.status in OPEN_ACTION,
        [p for country in sorted(focal) for p in focal[country]], _admins(session, chosen))]



# --- A mission's checklist before departure ------------------------------------------------------

MISSION_READY = (DeploymentStatus.ACCEPTED, DeploymentStatus.CONFIRMED)


def missions_of(activity_ids: Iterable[int] = (), action_ids: Iterable[int] = ()) -> Select[tuple[int]]:
    """The accepted or confirmed deployments of these activities and Actions (their missions' checklists)."""
    return (select(Deployment.id).join(Activity, Deployment.activity_id == Activity.id)
            .where(Deployment.status.in_(MISSION_READY),
                   Activity.id.in_(list(activity_ids)) | Activity.action_id.in_(list(action_ids))))


def _missions_with_open_items(session: Session) -> Iterable[int]:
    return session.scalars(select(Deployment.id).join(Activity, Deployment.activity_id == Activity.id).where(
        Deployment.status.in_(MISSION_READY), Activity.status.in_(EDITABLE_STATES),
        Activity.action_id.in_(_open_actions()),
        Deployment.id.in_(select(ChecklistItem.deployment_id).where(ChecklistItem.done_at.is_(None)))))


@_subject("mission", live=_missions_with_open_items)
def _mission_facts(session: Session, deployment_id: int, chosen: registry.Chosen, now: datetime) -> list[object]:
    deployment = session.get(Deployment, deployment_id)
    if deployment is None:
        return []
    activity, action = deployment.activity, deployment.activity.action
    open_items = session.scalar(select(func.count()).select_from(ChecklistItem).where(
        ChecklistItem.deployment_id == deployment.id, ChecklistItem.done_at.is_(None))) or 0
    outbound = session.scalar(select(MissionLogistics.outbound_date).where(
        MissionLogistics.deployment_id == deployment.id))
    ready = (deployment.status in MISSION_READY and activity.status in EDITABLE_STATES
             and action.status in OPEN_ACTION)
    return [facts.MissionFacts(deployment.id, ready, outbound or activity.start_date, open_items,
                               _person(deployment.expert.user), _officers(session, action))]


@_subject("action", live=lambda session: session.scalars(_open_actions()))
def _action_facts(session: Session, action_id: int, chosen: registry.Chosen, now: datetime) -> list[object]:
    action = session.get(Action, action_id)
    if action is None:
        return []
    open_activities = session.scalar(select(func.count()).select_from(Activity).where(
        Activity.action_id == action.id, Activity.status.in_(EDITABLE_STATES))) or 0
    closing_since = None
    if action.status is ActionStatus.CLOSING:
        closing_since = session.scalar(select(func.max(ActionTransition.at)).where(
            ActionTransition.action_id == action.id, ActionTransition.to_status == ActionStatus.CLOSING))
    return [facts.ActionFacts(action.id, action.status in (ActionStatus.ASSESSMENT, ActionStatus.IMPLEMENTATION),
                              action.planned_end, open_activities, closing_since, _officers(session, action),
                              _admins(session, chosen), action.final_report is not None)]


def _digest_readers(session: Session) -> list[int]:
    """The active users whose account role the weekly digest goes to (officers unless the admin chose)."""
    roles = [Role(r) for r in registry.chosen_roles("weekly_digest", recipient_roles(session))
             if r in {role.value for role in Role}]
    return list(session.scalars(select(User.id).where(User.role.in_(roles), User.active))) if roles else []


@_subject("digest", live=_digest_readers)
def _digest_facts(session: Session, user_id: int, chosen: registry.Chosen, now: datetime) -> list[object]:
    user = session.get(User, user_id)
    person = _person(user)
    return [facts.DigestFacts(person, user.role.value)] if person is not None else []


def _consultations_open(session: Session) -> Iterable[int]:
    return session.scalars(select(Consultation.id).where(Consultation.status == ConsultationStatus.OPEN))


@_subject("consultation", live=_consultations_open)
def _consultation_facts(session: Session, consultation_id: int, chosen: registry.Chosen,
                        now: datetime) -> list[object]:
    consultation = session.get(Consultation, consultation_id)
    if consultation is None:
        return []
    unanswered = [_person(a.member.user) for a in consultation.answers if a.answer is None and a.member.active]
    return [facts.ConsultationFacts(consultation.id, consultation.status is ConsultationStatus.OPEN,
                                    consultation.deadline, [p for p in unanswered if p],
                                    _person(consultation.opened_by), _admins(session, chosen),
                                    max((c.changed_at for c in consultation.deadline_changes), default=None))]


# --- Policy deliverables followed after closure ---------------------------------------------


CHECK_IN_STALE = timedelta(days=30)


def _closed_with_policy_deliverables(session: Session) -> Iterable[int]:
    return session.scalars(select(Action.id).where(Action.status == ActionStatus.CLOSED,
                                                   Action.deliverables.any(Deliverable.kind.in_(POLICY_DELIVERABLE_KINDS))))


@_subject("checkin", live=_closed_with_policy_deliverables)
def _check_in_facts(session: Session, action_id: int, chosen: registry.Chosen, now: datetime) -> list[object]:
    """The check-ins still unanswered for some policy deliverable of a closed Action, and who is asked."""
    action = session.get(Action, action_id)
    closed = closed_at(action) if action is not None else None
    deliverables = policy_deliverables(action) if closed else []
    if not deliverables:
        return []
    # A check-in long past when the data changes (an Action closed years ago, loaded now) is not mailed any more:
    # its to-do stays on the requesters' home page.
    due = {months: moment for months, moment in check_in_moments(closed).items()
           if moment > now - CHECK_IN_STALE and not all(answered(d, months) for d in deliverables)}
    institutions = [i.id for i in action.beneficiaries]
    requesters = session.scalars(select(User).where(User.role == Role.REQUESTER, User.active,
                                                    User.institution_id.in_(institutions)).order_by(User.id))
    return [facts.CheckInFacts(action.id, due, [p for u in requesters if (p := _person(u))])]
