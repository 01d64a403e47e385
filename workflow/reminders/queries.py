"""The outbox as staff read it: reminders and notification e-mails in one list, filtered and paginated, each row
naming its subject, recipient, kind and state; and the reminders still to come of an activity or an Action.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import get_locale
from sqlalchemy import ColumnElement, Select, and_, exists, false, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from ..accounts.models import User
from ..activities.models import Activity
from ..core.clock import clock_now
from ..core.figures import remember
from ..core.labels import label
from ..core.web import Page
from ..deployments.models import Deployment
from ..notifications.kinds import KINDS
from ..notifications.models import Notification, NotificationEmail
from .models import EmailMessage, Reminder, ReminderState
from .naming import NAME_SEARCH, SubjectName, name_subjects

REMINDER, EMAIL = "reminder", "email"

# The outbox's states, as its filter offers them: what each means of a row's state and attempts.
STATES = ("waiting", "retrying", "failed", "sent", "cancelled", "all")
WAITING = (ReminderState.PENDING.value, ReminderState.SENDING.value)


@dataclass(frozen=True)
class OutboxFilters:
    state: str = "waiting"
    kind: str | None = None  # "rule:<code>" (a reminder rule) or "kind:<code>" (a notification kind)
    subject_type: str | None = None
    subject: str | None = None  # an id, or words of the subject's name
    recipient: str | None = None  # words of the recipient's name or e-mail address


@dataclass
class OutboxRow:
    """One outgoing message as the outbox shows it."""

    source: str  # REMINDER or EMAIL
    row: Any  # the Reminder or the NotificationEmail
    recipient: User
    kind: str  # the rule's or the kinds' labels
    subjects: list[SubjectName] = field(default_factory=list)
    message: EmailMessage | None = None  # what a reminder sent
    titles: list[str] = field(default_factory=list)  # what an e-mail's notifications said

    @property
    def is_reminder(self) -> bool:
        return self.source == REMINDER

    @property
    def failed(self) -> bool:
        return self.row.state.value == "failed"

    @property
    def retry_at(self) -> datetime | None:
        """When a message whose sending failed is tried again (None unless it waits for another attempt)."""
        return self.row.next_attempt_at if self.row.state.value == "pending" else None


def _state_clause(model: Any, state: str) -> ColumnElement[bool] | None:
    if state == "waiting":
        return model.state.in_(WAITING)
    if state == "retrying":
        return and_(model.state == "pending", model.attempts > 0)
    if state in ("failed", "sent", "cancelled"):
        return model.state == state
    return None


def _subject_clause(subject_type: Any, subject_id: Any, filters: OutboxFilters) -> ColumnElement[bool] | None:
    """The subject filter on a pair of columns: a type, an id or name words, or both."""
    parts = []
    if filters.subject_type:
        parts.append(subject_type == filters.subject_type)
    words = (filters.subject or "").strip()
    if words.lstrip("#").isdigit():
        parts.append(subject_id == int(words.lstrip("#")))
    elif words:
        types = [filters.subject_type] if filters.subject_type in NAME_SEARCH else list(NAME_SEARCH)
        parts.append(or_(*(and_(subject_type == t, subject_id.in_(NAME_SEARCH[t](words))) for t in types)))
    return and_(*parts) if parts else None


def _recipient_ids(words: str) -> Select[tuple[int]]:
    pattern = words.lower()
    return select(User.id).where(or_(func.lower(User.name).contains(pattern, autoescape=True),
                                     func.lower(User.email).contains(pattern, autoescape=True)))


def _reminder_ids(filters: OutboxFilters) -> Select[Any] | None:
    if filters.kind and not filters.kind.startswith("rule:"):
        return None
    stmt = select(literal(REMINDER).label("source"), Reminder.id.label("id"), Reminder.due_at.label("due_at"))
    clauses = [_state_clause(Reminder, filters.state), _subject_clause(Reminder.subject_type, Reminder.subject_id, filters)]
    if filters.kind:
        clauses.append(Reminder.rule == filters.kind.removeprefix("rule:"))
    if filters.recipient:
        clauses.append(Reminder.recipient_id.in_(_recipient_ids(filters.recipient)))
    return stmt.where(*(c for c in clauses if c is not None))


def _email_ids(filters: OutboxFilters) -> Select[Any] | None:
    if filters.kind and not filters.kind.startswith("kind:"):
        return None
    stmt = select(literal(EMAIL).label("source"), NotificationEmail.id.label("id"),
                  NotificationEmail.due_at.label("due_at"))
    carried = [Notification.email_id == NotificationEmail.id]
    if filters.kind:
        carried.append(Notification.kind == filters.kind.removeprefix("kind:"))
    subject = _subject_clause(Notification.subject_type, Notification.subject_id, filters)
    if subject is not None:
        carried.append(subject)
    clauses = [_state_clause(NotificationEmail, filters.state)]
    if len(carried) > 1:
        clauses.append(exists().where(*carried))
    if filters.recipient:
        clauses.append(NotificationEmail.user_id.in_(_recipient_ids(filters.recipient)))
    return stmt.where(*(c for c in clauses if c is not None))


def outbox_page(session: Session, filters: OutboxFilters, page: int, per_page: int) -> Page[OutboxRow]:
    """One page of the outbox, by due time (soonest first while waiting, latest first otherwise)."""
    parts = [part for part in (_reminder_ids(filters), _email_ids(filters)) if part is not None]
    if not parts:
        parts = [select(literal(REMINDER).label("source"), Reminder.id.label("id"), Reminder.due_at.label("due_at"))
                 .where(false())]
    listed = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    total = session.scalar(select(func.count()).select_from(listed)) or 0
    page = max(1, min(page, max(1, math.ceil(total / per_page))))
    soonest = filters.state in ("waiting", "retrying")
    order = (listed.c.due_at, listed.c.source, listed.c.id) if soonest else \
        (listed.c.due_at.desc(), listed.c.source, listed.c.id.desc())
    keys = session.execute(select(listed.c.source, listed.c.id).order_by(*order)
                           .limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=outbox_rows(session, [(source, row_id) for source, row_id in keys]), total=total, page=page,
                per_page=per_page)


def _kind_label(code: str | None) -> str:
    kind = KINDS.get(code or "")
    return str(kind.label) if kind is not None else label(code or "")


def outbox_rows(session: Session, keys: list[tuple[str, int]]) -> list[OutboxRow]:
    """The rows of `keys`, in their order: a query per table, one for reminders' messages, one per subject type."""
    reminder_ids = [row_id for source, row_id in keys if source == REMINDER]
    email_ids = [row_id for source, row_id in keys if source == EMAIL]
    reminders = {r.id: r for r in session.scalars(select(Reminder).where(Reminder.id.in_(reminder_ids))
                                                  .options(selectinload(Reminder.recipient)))} if reminder_ids else {}
    emails = {e.id: e for e in session.scalars(
        select(NotificationEmail).where(NotificationEmail.id.in_(email_ids))
        .options(selectinload(NotificationEmail.user), selectinload(NotificationEmail.notifications)))} \
        if email_ids else {}
    messages = {m.reminder_id: m for m in session.scalars(
        select(EmailMessage).where(EmailMessage.reminder_id.in_(reminder_ids)))} if reminder_ids else {}
    wanted = {(r.subject_type, r.subject_id) for r in reminders.values()}
    wanted |= {(n.subject_type, n.subject_id) for e in emails.values() for n in e.notifications
               if n.subject_type and n.subject_id is not None}
    names = name_subjects(session, wanted)
    rows = []
    for source, row_id in keys:
        if source == REMINDER and row_id in reminders:
            r = reminders[row_id]
            rows.append(OutboxRow(REMINDER, r, r.recipient, label(r.rule), [names[(r.subject_type, r.subject_id)]],
                                  message=messages.get(r.id)))
        elif source == EMAIL and row_id in emails:
            e = emails[row_id]
            subjects = list({(n.subject_type, n.subject_id): names[(n.subject_type, n.subject_id)]
                             for n in e.notifications if (n.subject_type, n.subject_id) in names}.values())
            kinds = ", ".join(dict.fromkeys(_kind_label(n.kind) for n in e.notifications))
            rows.append(OutboxRow(EMAIL, e, e.user, kinds, subjects, titles=[n.title for n in e.notifications]))
    return rows


def state_counts(session: Session) -> dict[str, int]:
    """How many rows of both tables are in each state, and how many wait for another attempt."""
    counts: dict[str, int] = {}
    for model in (Reminder, NotificationEmail):
        for state, count in session.execute(select(model.state, func.count()).group_by(model.state)):
            counts[state.value] = counts.get(state.value, 0) + count
        counts["retrying"] = counts.get("retrying", 0) + (session.scalar(
            select(func.count()).select_from(model).where(model.state == "pending", model.attempts > 0)) or 0)
    counts["waiting"] = counts.get("pending", 0) + counts.get("sending", 0)
    counts["all"] = sum(counts.get(s, 0) for s in ("pending", "sending", "sent", "failed", "cancelled"))
    return counts


# --- The reminders still to come of an activity or an Action (their pages' panel) ----------------------------

UPCOMING_LIMIT = 20


@dataclass(frozen=True)
class Upcoming:
    """One reminder still to come as the activity's and Action's pages list it (plain values: remembered)."""

    due_at: datetime
    kind: str  # the rule's label, in the reader's language
    subjects: tuple[SubjectName, ...]
    recipient: str  # the recipient's name


def _upcoming(session: Session, key: Hashable, *subjects: ColumnElement[bool]) -> list[Upcoming]:
    """The first pending reminders about any of `subjects`: one index lookup per kind of subject (by subject),
    then sorted; not the pending reminders in date order, filtered (10,000 of them read at scale 100). Remembered
    (workflow.core.figures) per page and language until a reminder, or what names its subjects, changes."""

    def read() -> tuple[Upcoming, ...]:
        found = union_all(*(select(Reminder.id, Reminder.due_at).where(Reminder.state == ReminderState.PENDING,
                                                                       subject)
                            for subject in subjects)).subquery()
        reminders = session.scalars(
            select(Reminder).join(found, found.c.id == Reminder.id).options(joinedload(Reminder.recipient))
            .order_by(found.c.due_at, found.c.id).limit(UPCOMING_LIMIT)).all()
        names = name_subjects(session, {(r.subject_type, r.subject_id) for r in reminders})
        return tuple(Upcoming(r.due_at, label(r.rule), (names[(r.subject_type, r.subject_id)],), r.recipient.name)
                     for r in reminders)

    # Those still to come as of now, at each reading: a reminder sent at its due time leaves the list without its
    # delivery replacing the reminders' data version (workflow.core.figures.only_delivered).
    now = clock_now(session)
    return [reminder for reminder in remember(session, ("reminders.upcoming", key, str(get_locale())), read)
            if reminder.due_at > now]


def upcoming_for_activity(session: Session, activity_id: int) -> list[Upcoming]:
    deployments = select(Deployment.id).where(Deployment.activity_id == activity_id)
    return _upcoming(session, ("activity", activity_id),
                     and_(Reminder.subject_type == "activity", Reminder.subject_id == activity_id),
                     and_(Reminder.subject_type == "deployment", Reminder.subject_id.in_(deployments)),
                     and_(Reminder.subject_type == "mission", Reminder.subject_id.in_(deployments)))


def upcoming_for_action(session: Session, action_id: int) -> list[Upcoming]:
    activities = select(Activity.id).where(Activity.action_id == action_id)
    deployments = select(Deployment.id).where(Deployment.activity_id.in_(activities))
    return _upcoming(session, ("action", action_id),
                     and_(Reminder.subject_type == "action", Reminder.subject_id == action_id),
                     and_(Reminder.subject_type == "activity", Reminder.subject_id.in_(activities)),
                     and_(Reminder.subject_type == "deployment", Reminder.subject_id.in_(deployments)),
                     and_(Reminder.subject_type == "mission", Reminder.subject_id.in_(deployments)))

