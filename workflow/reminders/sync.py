"""Keep the reminder rows in step with the data: derive per subject, then insert, move or cancel.

A session hook collects every request, deployment, activity, slot and Action a transaction
changed, and re-derives their reminders just before it commits: postponing an activity moves its
reminders, cancelling it cancels them, a declined invitation stops its nudges, a closed Action drops
its own, whichever page, command or job made the change. A person who changes their time zone,
language, role or whether they are active has their own waiting reminders re-derived too: each is due
at 09:00 in their new zone (and written, when it goes, in their new language).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from flask import current_app, has_app_context
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..actions.lifecycle import ActionStatus
from ..actions.models import Action, ActionTransition
from ..activities.lifecycle import EDITABLE_STATES, ActivityStatus
from ..activities.models import Activity, ActivityTransition, ExpertSlot
from ..database import AppSession
from ..deployments.lifecycle import LIVE, NOTIFIED_ON_MOVE, DeploymentStatus
from ..deployments.models import Deployment, DeploymentTransition
from ..governance.models import Consultation, ConsultationAnswer, ConsultationStatus
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


def recipient_roles(session: Session) -> dict[str, list[str]]:
    """The recipients the admin chose, per rule; a rule without a choice keeps its default recipients."""
    # Filtered here, not in SQL: a JSON column holds None as JSON null, which IS NOT NULL matches.
    return {code: list(roles) for code, roles in session.execute(select(ReminderRule.code, ReminderRule.recipients))
            if roles is not None}


def _wanted_roles(chosen: rules.Chosen) -> set[str]:
    return set().union(*(rules.chosen_roles(code, chosen) for code in rules.RECIPIENTS))


def _people(session: Session, role: Role, countries: set[str] | None = None) -> dict[str | None, list[rules.Person]]:
    """Active users of `role` by country (None when not asked by country), in id order."""
    stmt = select(User.id, User.timezone, User.country_code).where(User.role == role, User.active).order_by(User.id)
    if countries is not None:
        if not countries:
            return {}
        stmt = stmt.where(User.country_code.in_(countries))
    found: dict[str | None, list[rules.Person]] = {}
    for user_id, timezone, country in session.execute(stmt):
        found.setdefault(country if countries is not None else None, []).append(rules.Person(user_id, timezone or "UTC"))
    return found


def _admins(session: Session, chosen: rules.Chosen) -> list[rules.Person]:
    """Every active admin, when some rule goes to the admins (no query otherwise)."""
    return _people(session, Role.ADMIN).get(None, []) if "admin" in _wanted_roles(chosen) else []


def _focal_points(session: Session, chosen: rules.Chosen, countries: set[str]) -> dict[str | None, list[rules.Person]]:
    """The member-state focal points of `countries`, when some rule goes to them (no query otherwise)."""
    return _people(session, Role.MS_FOCAL_POINT, countries) if "focal_point" in _wanted_roles(chosen) else {}


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


def _expired_by_reminder(session: Session, deployment: Deployment) -> bool:
    """Expired because an expiry reminder went out: the other expiry notices of it still go."""
    return deployment.status is DeploymentStatus.EXPIRED and session.scalar(select(Reminder.id).where(
        Reminder.subject_type == "deployment", Reminder.subject_id == deployment.id, Reminder.rule == "invite_expiry",
        Reminder.state == ReminderState.SENT).limit(1)) is not None


def derive(session: Session, subject_type: str, subject_id: int, now: datetime,
           config: dict[str, list[int]], recipients: rules.Chosen | None = None) -> list[rules.Desired]:
    """The reminders one subject should have; `recipients` as `recipient_roles` answers (read when None)."""
    chosen = recipient_roles(session) if recipients is None else recipients
    if subject_type == "request":
        request = session.get(Request, subject_id)
        if request is None:
            return []
        return rules.for_request(rules.RequestFacts(
            request.id, request.status in (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW),
            request.submitted_at, _officers(session, None), _admins(session, chosen)), config, now, recipients=chosen)
    if subject_type == "deployment":
        deployment = session.get(Deployment, subject_id)
        if deployment is None:
            return []
        action = deployment.activity.action
        country = deployment.expert.country_code
        return _cancellation_notice(session, deployment, now) + rules.for_invitation(rules.InvitationFacts(
            deployment.id, deployment.status is DeploymentStatus.INVITED and action.status in OPEN_ACTION,
            deployment.invited_at, _person(deployment.expert.user), _officers(session, action),
            action.status in OPEN_ACTION and _expired_by_reminder(session, deployment),
            _focal_points(session, chosen, {country} if country else set()).get(country, []),
            _admins(session, chosen)), config, now, recipients=chosen)
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
        focal = _focal_points(session, chosen, {d.expert.country_code for d in confirmed if d.expert.country_code})
        return _postponement_notices(session, activity, deployments, now) + rules.for_activity(rules.ActivityFacts(
            activity.id, running, activity.start_date, activity.end_date, max(0, places - live),
            _officers(session, action), [p for p in (_person(d.expert.user) for d in confirmed) if p],
            [rules.DeploymentReportFacts(d.id, _person(d.expert.user), bool(d.mission_report),
                                         focal.get(d.expert.country_code, [])) for d in confirmed],
            activity.status in (ActivityStatus.DELIVERED, ActivityStatus.REPORTED) and action.status in OPEN_ACTION,
            [p for country in sorted(focal) for p in focal[country]], _admins(session, chosen),
        ), config, now, recipients=chosen)
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
            open_activities, closing_since, _officers(session, action), _admins(session, chosen)), config, now,
            recipients=chosen)
    if subject_type == "digest":
        user = session.get(User, subject_id)
        person = _person(user)
        if person is None:
            return []
        return rules.weekly_digest(person, now, role=user.role.value, recipients=chosen)
    if subject_type == "consultation":
        ended = session.get(ReminderRule, "consultation_ended")  # no offsets: only its switch says whether it is on
        return rules.for_consultation(_consultation_facts(session, subject_id, chosen), config, now, recipients=chosen,
                                      ended=ended is None or ended.enabled)
    raise ValueError(f"unknown reminder subject {subject_type!r}")


def _enabled(session: Session, code: str) -> bool:
    """Whether a rule without offsets is on (only its switch says so)."""
    row = session.get(ReminderRule, code)
    return row is None or row.enabled


def _cancellation_notice(session: Session, deployment: Deployment, now: datetime) -> list[rules.Desired]:
    """The expert's notice of a cancelled deployment they had been invited to (a mere proposal was never theirs)."""
    if deployment.status is not DeploymentStatus.CANCELLED or deployment.invited_at is None:
        return []
    at = session.scalar(select(func.max(DeploymentTransition.at)).where(
        DeploymentTransition.deployment_id == deployment.id, DeploymentTransition.to_status == DeploymentStatus.CANCELLED))
    return rules.deployment_cancelled(rules.Cancellation(deployment.id, at, _person(deployment.expert.user)), now,
                                      enabled=_enabled(session, "deployment_cancelled"))


def _postponement_notices(session: Session, activity: Activity, deployments: Sequence[Deployment],
                          now: datetime) -> list[rules.Desired]:
    """The notices of the activity's recent postponements, to the experts invited or booked on it."""
    if activity.status not in EDITABLE_STATES:
        return []
    recent = [rules.Postponement(i, at) for i, at in session.execute(
        select(ActivityTransition.id, ActivityTransition.at).where(
            ActivityTransition.activity_id == activity.id, ActivityTransition.to_status == ActivityStatus.POSTPONED,
            ActivityTransition.at >= now - rules.NOTICE_WINDOW).order_by(ActivityTransition.id))]
    if not recent:
        return []
    experts = {p.user_id: p for p in (_person(d.expert.user) for d in deployments if d.status in NOTIFIED_ON_MOVE)
               if p is not None}
    return rules.activity_postponed(activity.id, recent, [experts[i] for i in sorted(experts)], now,
                                    enabled=_enabled(session, "activity_postponed"))


def _consultation_facts(session: Session, consultation_id: int, chosen: rules.Chosen) -> rules.ConsultationFacts:
    consultation = session.get(Consultation, consultation_id)
    if consultation is None:
        return rules.ConsultationFacts(consultation_id, False, datetime.now(UTC), (), None)
    unanswered = [_person(a.member.user) for a in consultation.answers if a.answer is None and a.member.active]
    return rules.ConsultationFacts(consultation.id, consultation.status is ConsultationStatus.OPEN,
                                   consultation.deadline, [p for p in unanswered if p],
                                   _person(consultation.opened_by), _admins(session, chosen))


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
    """Replace each ("action-children", id) by the Action's activities and open invitations, and each
    ("recipient", id) by the subjects of that person's waiting (or cancelled) reminders and their digest."""
    actions = {i for kind, i in subjects if kind == "action-children"}
    people = {i for kind, i in subjects if kind == "recipient"}
    result = {s for s in subjects if s[0] not in ("action-children", "recipient")}
    if people:
        result |= {(kind, int(i)) for kind, i in session.execute(
            select(Reminder.subject_type, Reminder.subject_id).where(
                Reminder.recipient_id.in_(people),
                Reminder.state.in_((ReminderState.PENDING, ReminderState.CANCELLED))).distinct())}
        result |= {("digest", i) for i in people}
    if actions:
        result |= {("activity", i) for i in session.scalars(select(Activity.id).where(Activity.action_id.in_(actions)))}
        result |= {("deployment", i) for i in session.scalars(
            select(Deployment.id).join(Activity, Deployment.activity_id == Activity.id).where(
                Activity.action_id.in_(actions), Deployment.status == DeploymentStatus.INVITED))}
    return result


def sync_subjects(session: Session, subjects: set[tuple[str, int]], now: datetime | None = None) -> None:
    now = now or clock_now(session)
    config, chosen = offsets(session), recipient_roles(session)
    for subject_type, subject_id in sorted(_expand(session, subjects)):
        reconcile(session, subject_type, subject_id, derive(session, subject_type, subject_id, now, config, chosen),
                  now)
    session.flush()


def refresh_recurring(session: Session, now: datetime) -> None:
    """Roll the recurring reminders forward: weekly request chasers and officers' digests."""
    waiting = session.scalars(select(Request.id).where(
        Request.status.in_((RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW))))
    sync_subjects(session, {("request", i) for i in waiting} | {("digest", i) for i in _digest_readers(session)}, now)


def _digest_readers(session: Session) -> list[int]:
    """The active users whose account role the weekly digest goes to (officers unless the admin chose)."""
    roles = [Role(r) for r in rules.chosen_roles("weekly_digest", recipient_roles(session)) if r in {role.value for role in Role}]
    return list(session.scalars(select(User.id).where(User.role.in_(roles), User.active))) if roles else []


# Which kind of subject each rule's reminders are about: what to re-derive when its settings change.
RULE_SUBJECTS = {
    "request_review": "request", "invite_nudge": "deployment", "invite_expiry": "deployment",
    "activity_coming": "activity", "slots_open": "activity", "report_due": "activity", "report_overdue": "activity",
    "action_ending": "action", "closing_stalled": "action", "weekly_digest": "digest",
    "consultation_due": "consultation", "consultation_ended": "consultation",
    "deployment_cancelled": "deployment", "activity_postponed": "activity",
}


def resync_rules(session: Session, codes: set[str], now: datetime) -> int:
    """Re-derive the reminders of the rules `codes` after the admin changed them; answers the subjects seen.

    The subjects are those with a reminder of these rules still waiting (or cancelled: it may apply
    again) and the live ones that may gain one. Sent reminders are history: never touched, never re-sent.
    """
    if not codes:
        return 0
    subjects = set(session.execute(select(Reminder.subject_type, Reminder.subject_id).where(
        Reminder.rule.in_(codes), Reminder.state.in_((ReminderState.PENDING, ReminderState.CANCELLED))).distinct()))
    kinds = {RULE_SUBJECTS[code] for code in codes if code in RULE_SUBJECTS}
    if "request" in kinds:
        subjects |= {("request", i) for i in session.scalars(select(Request.id).where(
            Request.status.in_((RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW))))}
    open_actions = select(Action.id).where(Action.status.in_(OPEN_ACTION))
    if "deployment" in kinds:
        subjects |= {("deployment", i) for i in session.scalars(
            select(Deployment.id).join(Activity, Deployment.activity_id == Activity.id).where(
                Deployment.status == DeploymentStatus.INVITED, Activity.action_id.in_(open_actions)))}
    if "activity" in kinds:
        subjects |= {("activity", i) for i in session.scalars(select(Activity.id).where(
            Activity.action_id.in_(open_actions)))}
    if "action" in kinds:
        subjects |= {("action", i) for i in session.scalars(open_actions)}
    if "digest" in kinds:
        subjects |= {("digest", i) for i in _digest_readers(session)}
    if "consultation" in kinds:
        subjects |= {("consultation", i) for i in session.scalars(select(Consultation.id).where(
            Consultation.status == ConsultationStatus.OPEN))}
    sync_subjects(session, {(kind, int(i)) for kind, i in subjects}, now)
    return len(subjects)


# --- The session hook ----------------------------------------------------------------------


# What of a person their reminders depend on: when (their zone), whether (active, role), and the
# language they are written in (read when a reminder goes; re-deriving keeps the rows in step).
RECIPIENT_FIELDS = ("timezone", "locale", "active", "role", "country_code")


def _really_changed(history) -> bool:
    """A value set again to what it was is no change (an unknown old value counts as one)."""
    return history.has_changes() and (not history.deleted or list(history.added) != list(history.deleted))


def _subjects_of(obj: object) -> set[tuple[str, int]]:
    if isinstance(obj, User):
        state = inspect(obj)
        changed = any(_really_changed(state.attrs[name].history) for name in RECIPIENT_FIELDS)
        return {("recipient", obj.id)} if changed else set()
    if isinstance(obj, Consultation):
        return {("consultation", obj.id)}
    if isinstance(obj, ConsultationAnswer):
        return {("consultation", obj.consultation_id)}
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
        if isinstance(obj, User) and obj not in session.dirty:
            continue  # a new account has no reminders yet; the weekly refresh picks it up
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
