"""Keep the reminder rows in step with the data: derive per subject, then insert, move or cancel.

A session hook collects every request, deployment, activity, slot and Action a transaction
changed, and re-derives their reminders just before it commits: postponing an activity moves its
reminders, cancelling it cancels them, a declined invitation stops its nudges, a closed Action drops
its own, whichever page, command or job made the change.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, has_app_context
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..actions.lifecycle import ActionStatus
from ..actions.models import Action, ActionTransition
from ..activities.lifecycle import EDITABLE_STATES, ActivityStatus
from ..activities.models import Activity, ExpertSlot
from ..database import AppSession
from ..deployments.lifecycle import LIVE, DeploymentStatus
from ..deployments.models import Deployment
from ..requests.lifecycle import RequestStatus
from ..requests.models import Request
from . import rules
from .models import Reminder, ReminderRule, ReminderState

OPEN_ACTION = (ActionStatus.ACCEPTED, ActionStatus.ASSESSMENT, ActionStatus.IMPLEMENTATION, ActionStatus.CLOSING)


def clock_now(session: Session) -> datetime:
    """The time reminders are derived at: the session's override, the app's clock, or now."""
    if "now" in session.info:
        return session.info["now"]
    if has_app_context() and "peerflow.clock" in current_app.extensions:
        return current_app.extensions["peerflow.clock"]()
    return datetime.now(UTC)


def offsets(session: Session) -> dict[str, list[int]]:
    """The rules' offsets: the defaults, overridden by what the admin saved; disabled rules have none."""
    result = rules.default_offsets()
    for row in session.scalars(select(ReminderRule)):
        result[row.code] = list(row.offsets) if row.enabled else []
    return result


def _person(user: User | None) -> rules.Person | None:
    return rules.Person(user.id, user.timezone or "UTC") if user is not None and user.active else None


def _officers(session: Session, action: Action | None) -> list[rules.Person]:
    """The Action's manager, or every active officer when it has none."""
    if action is not None and action.officer is not None and action.officer.active:
        return [_person(action.officer)]  # type: ignore[list-item]
    # Columns, not entities: this runs for every request at every dispatch pass.
    rows = session.execute(select(User.id, User.timezone).where(User.role == Role.OFFICER, User.active)
                           .order_by(User.id))
    return [rules.Person(user_id, timezone or "UTC") for user_id, timezone in rows]


# --- Facts from the database ---------------------------------------------------------------


def derive(session: Session, subject_type: str, subject_id: int, now: datetime,
           config: dict[str, list[int]]) -> list[rules.Desired]:
    if subject_type == "request":
        request = session.get(Request, subject_id)
        if request is None:
            return []
        return rules.for_request(rules.RequestFacts(
            request.id, request.status in (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW),
            request.submitted_at, _officers(session, None)), config, now)
    if subject_type == "deployment":
        deployment = session.get(Deployment, subject_id)
        if deployment is None:
            return []
        action = deployment.activity.action
        return rules.for_invitation(rules.InvitationFacts(
            deployment.id, deployment.status is DeploymentStatus.INVITED and action.status in OPEN_ACTION,
            deployment.invited_at, _person(deployment.expert.user), _officers(session, action)), config, now)
    if subject_type == "activity":
        activity = session.get(Activity, subject_id)
        if activity is None:
            return []
        action = activity.action
        deployments = session.scalars(select(Deployment).where(Deployment.activity_id == activity.id)).all()
        live = sum(1 for d in deployments if d.status in LIVE)
        places = sum(s.places for s in activity.slots)
        confirmed = [d for d in deployments if d.status is DeploymentStatus.CONFIRMED]
        running = activity.status in EDITABLE_STATES and action.status in OPEN_ACTION
        return rules.for_activity(rules.ActivityFacts(
            activity.id, running, activity.start_date, activity.end_date, max(0, places - live),
            _officers(session, action), [p for p in (_person(d.expert.user) for d in confirmed) if p],
            [rules.DeploymentReportFacts(d.id, _person(d.expert.user), bool(d.mission_report)) for d in confirmed],
            activity.status in (ActivityStatus.DELIVERED, ActivityStatus.REPORTED) and action.status in OPEN_ACTION,
        ), config, now)
    if subject_type == "action":
        action = session.get(Action, subject_id)
        if action is None:
            return []
        open_activities = session.scalar(select(func.count()).select_from(Activity).where(
            Activity.action_id == action.id, Activity.status.in_(EDITABLE_STATES))) or 0
        closing_since = None
        if action.status is ActionStatus.CLOSING:
            closing_since = session.scalar(select(func.max(ActionTransition.at)).where(
                ActionTransition.action_id == action.id, ActionTransition.to_status == ActionStatus.CLOSING))
        return rules.for_action(rules.ActionFacts(
            action.id, action.status in (ActionStatus.ASSESSMENT, ActionStatus.IMPLEMENTATION), action.planned_end,
            open_activities, closing_since, _officers(session, action)), config, now)
    if subject_type == "digest":
        user = session.get(User, subject_id)
        person = _person(user)
        if person is None or user.role is not Role.OFFICER:
            return []
        return rules.weekly_digest(person, now)
    raise ValueError(f"unknown reminder subject {subject_type!r}")


def reconcile(session: Session, subject_type: str, subject_id: int, desired: list[rules.Desired],
              now: datetime) -> None:
    """Make the pending rows of one subject match `desired`; sent and failed rows are history."""
    wanted = {d.key: d for d in desired}
    rows = {r.key: r for r in session.scalars(select(Reminder).where(
        Reminder.subject_type == subject_type, Reminder.subject_id == subject_id))}
    for key, row in rows.items():
        if row.state is ReminderState.PENDING and key not in wanted:
            row.state, row.updated_at = ReminderState.CANCELLED, now
        elif row.state is ReminderState.PENDING and row.due_at != wanted[key].due_at:
            row.due_at, row.updated_at = wanted[key].due_at, now
        elif row.state is ReminderState.CANCELLED and key in wanted:
            row.state, row.due_at, row.updated_at = ReminderState.PENDING, wanted[key].due_at, now
    for key, d in wanted.items():
        if key not in rows:
            session.add(Reminder(key=key, rule=d.rule, subject_type=d.subject_type, subject_id=d.subject_id,
                                 recipient_id=d.recipient_id, due_at=d.due_at, state=ReminderState.PENDING,
                                 created_at=now, updated_at=now))


def _expand(session: Session, subjects: set[tuple[str, int]]) -> set[tuple[str, int]]:
    """Replace each ("action-children", id) by the Action's activities and open invitations."""
    actions = {i for kind, i in subjects if kind == "action-children"}
    result = {s for s in subjects if s[0] != "action-children"}
    if actions:
        result |= {("activity", i) for i in session.scalars(select(Activity.id).where(Activity.action_id.in_(actions)))}
        result |= {("deployment", i) for i in session.scalars(
            select(Deployment.id).join(Activity, Deployment.activity_id == Activity.id).where(
                Activity.action_id.in_(actions), Deployment.status == DeploymentStatus.INVITED))}
    return result


def sync_subjects(session: Session, subjects: set[tuple[str, int]], now: datetime | None = None) -> None:
    now = now or clock_now(session)
    config = offsets(session)
    for subject_type, subject_id in sorted(_expand(session, subjects)):
        reconcile(session, subject_type, subject_id, derive(session, subject_type, subject_id, now, config), now)
    session.flush()


def refresh_recurring(session: Session, now: datetime) -> None:
    """Roll the recurring reminders forward: weekly request chasers and officers' digests."""
    waiting = session.scalars(select(Request.id).where(
        Request.status.in_((RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW))))
    officers = session.scalars(select(User.id).where(User.role == Role.OFFICER, User.active))
    sync_subjects(session, {("request", i) for i in waiting} | {("digest", i) for i in officers}, now)


# --- The session hook ----------------------------------------------------------------------


def _subjects_of(obj: object) -> set[tuple[str, int]]:
    if isinstance(obj, Request):
        return {("request", obj.id)}
    if isinstance(obj, Deployment):
        return {("deployment", obj.id), ("activity", obj.activity_id)}
    if isinstance(obj, Activity):
        return {("activity", obj.id), ("action", obj.action_id)}
    if isinstance(obj, ExpertSlot):
        return {("activity", obj.activity_id)}
    if isinstance(obj, Action):
        # The Action's state also decides whether its activities' and invitations' reminders apply;
        # they are looked up at sync time (no loading inside a flush).
        return {("action", obj.id), ("action-children", obj.id)}
    return set()


def _collect(session: Session, _context: object) -> None:
    if session.info.get("reminders.syncing"):
        return
    changed = session.info.setdefault("reminders.changed", set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(obj, "id", None) is not None:
            changed |= _subjects_of(obj)


def _sync_before_commit(session: Session) -> None:
    changed = session.info.pop("reminders.changed", None)
    if not changed or session.info.get("reminders.syncing"):
        return
    session.info["reminders.syncing"] = True
    try:
        sync_subjects(session, changed)
    finally:
        session.info.pop("reminders.syncing", None)


def _forget(session: Session) -> None:
    session.info.pop("reminders.changed", None)


def install() -> None:
    """Re-derive reminders in every app session that commits changed data (idempotent)."""
    for name, hook in (("after_flush", _collect), ("before_commit", _sync_before_commit), ("after_rollback", _forget)):
        if not event.contains(AppSession, name, hook):
            event.listen(AppSession, name, hook)
