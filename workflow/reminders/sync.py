"""Keep the reminder rows in step with the data: derive per subject, then insert, move or cancel.

A session hook collects every request, deployment, activity, slot and Action a transaction
changed, and re-derives their reminders just before it commits: postponing an activity moves its
reminders, cancelling it cancels them, a declined invitation stops its nudges, a closed Action drops
its own, whichever page, command or job made the change. A person who changes their time zone,
language, role or whether they are active has their own waiting reminders re-derived too: each is due
at 09:00 in their new zone (and written, when it goes, in their new language).

Each subject is read through one table (subjects.SUBJECTS) and derived by every registered rule
(registry.RULES) that reads its facts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..activities.models import Activity
from ..core.clock import clock_now
from ..database import AppSession
from ..deployments.lifecycle import DeploymentStatus
from ..deployments.models import Deployment
from . import registry
from .models import Reminder, ReminderRule, ReminderState
from .subjects import SUBJECTS, missions_of, recipient_roles


def offsets(session: Session) -> dict[str, list[int]]:
    """The rules' offsets: the defaults, overridden by what the admin saved; disabled rules have none."""
    result = registry.default_offsets()
    for row in session.scalars(select(ReminderRule)):
        result[row.code] = list(row.offsets) if row.enabled else []
    return result


def _enabled(session: Session, code: str) -> bool:
    """Whether a rule without offsets is on (only its switch says so)."""
    row = session.get(ReminderRule, code)
    return row is None or row.enabled


def derive(session: Session, subject_type: str, subject_id: int, now: datetime,
           config: dict[str, list[int]], recipients: registry.Chosen | None = None) -> list[registry.Desired]:
    """The reminders one subject should have; `recipients` as `recipient_roles` answers (read when None)."""
    chosen = recipient_roles(session) if recipients is None else recipients
    subject = SUBJECTS.get(subject_type)
    if subject is None:
        raise ValueError(f"unknown reminder subject {subject_type!r}")
    return registry.derive(subject.facts(session, subject_id, chosen, now), config, now, recipients=chosen,
                           enabled=lambda code: _enabled(session, code))


def reconcile(session: Session, subject_type: str, subject_id: int, desired: list[registry.Desired],
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
    """Replace each ("action-children", id) by the Action's activities, open invitations and missions, each
    ("activity-missions", id) by the activity's missions, and each ("recipient", id) by the subjects of that
    person's waiting (or cancelled) reminders and their digest."""
    actions = {i for kind, i in subjects if kind == "action-children"}
    people = {i for kind, i in subjects if kind == "recipient"}
    activities = {i for kind, i in subjects if kind == "activity-missions"}
    result = {s for s in subjects if s[0] not in ("action-children", "recipient", "activity-missions")}
    if actions or activities:
        result |= {("mission", i) for i in session.scalars(missions_of(activities, actions))}
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
    """Roll the recurring reminders forward (weekly request chasers, digests): re-derive their live subjects."""
    kinds = sorted({r.subject_type for r in registry.RULES.values() if r.recurring})
    sync_subjects(session, {(kind, i) for kind in kinds for i in SUBJECTS[kind].live(session)}, now)


def resync_rules(session: Session, codes: set[str], now: datetime) -> int:
    """Re-derive the reminders of the rules `codes` after the admin changed them; answers the subjects seen.

    The subjects are those with a reminder of these rules still waiting (or cancelled: it may apply
    again) and the live ones that may gain one. Sent reminders are history: never touched, never re-sent.
    """
    if not codes:
        return 0
    subjects = set(session.execute(select(Reminder.subject_type, Reminder.subject_id).where(
        Reminder.rule.in_(codes), Reminder.state.in_((ReminderState.PENDING, ReminderState.CANCELLED))).distinct()))
    for kind in sorted({registry.RULES[code].subject_type for code in codes if code in registry.RULES}):
        subjects |= {(kind, i) for i in SUBJECTS[kind].live(session)}
    sync_subjects(session, {(kind, int(i)) for kind, i in subjects}, now)
    return len(subjects)


# --- Syncing at commit ------------------------------------------------------------------------
# The domain signals name the subjects a transaction changed (reminders/listeners.py); they are
# re-derived together, once, just before it commits.

PENDING = "reminders.changed"


def re_derive_before_commit(session: Session, subjects: set[tuple[str, int]]) -> None:
    """Have these subjects' reminders derived again when the session's transaction commits."""
    if not session.info.get("reminders.syncing"):
        session.info.setdefault(PENDING, set()).update(subjects)


def sync_pending(session: Session, now: datetime | None = None) -> None:
    """Re-derive now, as of `now` (else the session's clock), what the session's signals named so far; a loader
    that writes as of a day of its own (the demo) calls it, so that its reminders follow that day."""
    changed = session.info.pop(PENDING, None)
    if not changed or session.info.get("reminders.syncing"):
        return
    session.info["reminders.syncing"] = True
    try:
        sync_subjects(session, changed, now)
    finally:
        session.info.pop("reminders.syncing", None)


def _sync_before_commit(session: Session) -> None:
    sync_pending(session)


def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def install() -> None:
    """Re-derive, as an app session commits, the reminders of the subjects its signals named (idempotent)."""
    for name, hook in (("before_commit", _sync_before_commit), ("after_rollback", _forget)):
        if not event.contains(AppSession, name, hook):
            event.listen(AppSession, name, hook)
