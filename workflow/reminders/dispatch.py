"""Dispatching due reminders: claim, re-check, send, record. At most once per reminder, never lost.

- A batch is *claimed* before anything is sent (`FOR UPDATE SKIP LOCKED` on PostgreSQL, an atomic
  conditional UPDATE on SQLite), so two dispatchers never take the same reminder.
- Each reminder is re-checked and written in one transaction, sent with none open, and recorded in
  another that first checks the claim is still this dispatcher's. Its Message-ID is derived from
  the reminder, so if a dispatcher dies after the SMTP server accepted a message but before the row
  was marked sent, the one resend is recognisable as the same message.
- A claim left by a dispatcher that died is released after STALE_CLAIM and picked up again.
- A failure is retried with exponential back-off, then marked failed for staff to see.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..core.errors import DomainError
from ..deployments.lifecycle import DeploymentEvent, DeploymentStatus
from ..deployments.models import Deployment
from ..deployments.services import apply_deployment_event
from ..mail.mailer import Mailer, Outgoing
from ..notifications.models import Notification
from .messages import Content, content_for
from .models import EmailMessage, Reminder, ReminderState
from .sync import derive, offsets, recipient_roles, refresh_recurring
from .wording import Wordings, apply_saved, language_of, saved_wordings

BATCH = 100
MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, … minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def message_id(reminder: Reminder, base_url: str) -> str:
    digest = hashlib.sha256(reminder.key.encode()).hexdigest()[:16]
    return f"<reminder-{reminder.id}.{digest}@{urlsplit(base_url).hostname or 'peerflow'}>"


@dataclass
class DispatchReport:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)


def release_stale_claims(session: Session, now: datetime) -> None:
    session.execute(update(Reminder).where(Reminder.state == ReminderState.SENDING,
                                           Reminder.claimed_at < now - STALE_CLAIM)
                    .values(state=ReminderState.PENDING, claim_token=None).execution_options(synchronize_session=False))


def claim(session: Session, *, now: datetime, token: str, limit: int = BATCH) -> list[int]:
    """Take up to `limit` due reminders for this dispatcher; commit so others see the claim."""
    due = (select(Reminder.id)
           .where(Reminder.state == ReminderState.PENDING, Reminder.due_at <= now,
                  or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now))
           .order_by(Reminder.due_at, Reminder.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(due.with_for_update(skip_locked=True)))
        if ids:
            session.execute(update(Reminder).where(Reminder.id.in_(ids)).values(
                state=ReminderState.SENDING, claim_token=token, claimed_at=now).execution_options(
                synchronize_session=False))
    else:
        session.execute(update(Reminder).where(Reminder.id.in_(due.scalar_subquery()),
                                               Reminder.state == ReminderState.PENDING)
                        .values(state=ReminderState.SENDING, claim_token=token, claimed_at=now)
                        .execution_options(synchronize_session=False))
        ids = list(session.scalars(select(Reminder.id).where(Reminder.claim_token == token,
                                                             Reminder.state == ReminderState.SENDING)))
    session.commit()
    return ids


def _expire_invitation(session: Session, reminder: Reminder, now: datetime) -> None:
    """An invitation left unanswered past its expiry is expired as the officer is told."""
    deployment = session.get(Deployment, reminder.subject_id)
    if deployment is not None and deployment.status is DeploymentStatus.INVITED:
        officer = session.get(User, reminder.recipient_id)
        try:
            apply_deployment_event(session, deployment, DeploymentEvent.EXPIRE, actor=officer, now=now)
        except DomainError:  # the officer may no longer expire it (left the staff): the notice still counts
            pass


def _render(template: str, **context: object) -> str:
    """An e-mail body: rendered with no request and no signed-in user, so without the pages' context processors."""
    return current_app.jinja_env.get_template(template).render(**context)


@dataclass(frozen=True)
class _Composed:
    outgoing: Outgoing
    content: Content
    recipient_id: int


def _compose(session: Session, reminder: Reminder, *, now: datetime, base_url: str,
             config: dict[str, list[int]], recipients: dict[str, list[str]] | None = None,
             wordings: Wordings | None = None) -> _Composed | None:
    """The message for `reminder`, or None when the data no longer asks for it."""
    still_wanted = {d.key for d in derive(session, reminder.subject_type, reminder.subject_id, now, config,
                                          recipients)}
    if reminder.key not in still_wanted:
        return None
    recipient = reminder.recipient
    with force_locale(recipient.locale or "en"):
        content = content_for(session, reminder, base_url=base_url, now=now)
        # The admin's wording in the language the message is written in (none: the built-in text, translated).
        content = apply_saved(session, reminder, recipient, content,
                              saved_wordings(session) if wordings is None else wordings,
                              locale=language_of(recipient, current_app.config["LANGUAGES"]), now=now)
        context = {"content": content, "recipient": recipient}
        outgoing = Outgoing(message_id(reminder, base_url), recipient.email, content.subject,
                            _render("emails/reminder.txt", **context), _render("emails/reminder.html", **context),
                            tuple(content.attachments))
    return _Composed(outgoing, content, recipient.id)


def _hold(session: Session, reminder_id: int, token: str, now: datetime) -> Reminder | None:
    """Open a write transaction on the reminder if this dispatcher still holds its claim, else None.

    The conditional UPDATE comes first: it checks the claim and the row in one statement, and on SQLite
    it takes the write lock before anything is read (a read-then-write transaction fails there when
    another dispatcher committed in between).
    """
    session.rollback()
    held = session.execute(update(Reminder).where(
        Reminder.id == reminder_id, Reminder.claim_token == token, Reminder.state == ReminderState.SENDING)
        .values(updated_at=now).execution_options(synchronize_session=False)).rowcount
    if held != 1:
        session.rollback()
        return None
    return session.get(Reminder, reminder_id, populate_existing=True)


def _record_failure(session: Session, reminder_id: int, *, token: str, now: datetime, error: Exception,
                    report: DispatchReport) -> None:
    reminder = _hold(session, reminder_id, token, now)
    if reminder is None:
        return
    reminder.attempts += 1
    reminder.last_error = f"{type(error).__name__}: {error}"[:2000]
    reminder.claim_token = None
    if reminder.attempts >= MAX_ATTEMPTS:
        reminder.state = ReminderState.FAILED
        report.failed += 1
    else:
        reminder.state, reminder.next_attempt_at = ReminderState.PENDING, now + backoff(reminder.attempts)
        report.retrying += 1
    report.errors.append(reminder.last_error)
    session.commit()


def deliver(session: Session, reminder_id: int, *, token: str, now: datetime, mailer: Mailer, base_url: str,
            report: DispatchReport, config: dict[str, list[int]] | None = None,
            recipients: dict[str, list[str]] | None = None, wordings: Wordings | None = None) -> None:
    """Re-check one claimed reminder, send it, record it; a failure is recorded for a later attempt.

    Nothing is held in the database while the mail server answers: the reading transaction ends before
    sending, and the outcome is recorded in a new one that first checks the claim is still ours.
    """
    # The row was claimed by an UPDATE this session did not see: read it afresh, not from the identity map.
    reminder = session.get(Reminder, reminder_id, populate_existing=True)
    if reminder is None or reminder.state is not ReminderState.SENDING or reminder.claim_token != token:
        session.rollback()
        return
    try:
        composed = _compose(session, reminder, now=now, base_url=base_url, config=config or offsets(session),
                            recipients=recipients, wordings=wordings)
    except Exception as error:  # noqa: BLE001 - a reminder that cannot be written is retried, then failed
        _record_failure(session, reminder_id, token=token, now=now, error=error, report=report)
        return
    session.rollback()
    if composed is None:
        reminder = _hold(session, reminder_id, token, now)
        if reminder is not None:
            reminder.state, reminder.claim_token = ReminderState.CANCELLED, None
            session.commit()
            report.cancelled += 1
        return
    try:
        mailer.send(composed.outgoing)
    except Exception as error:  # noqa: BLE001 - whatever went wrong is recorded, and retried with back-off
        _record_failure(session, reminder_id, token=token, now=now, error=error, report=report)
        return
    reminder = _hold(session, reminder_id, token, now)
    if reminder is None:  # the claim was released as stale and taken over: that dispatcher records it
        return
    if reminder.rule == "invite_expiry":
        _expire_invitation(session, reminder, now)
    outgoing, content = composed.outgoing, composed.content
    reminder.state, reminder.sent_at, reminder.claim_token = ReminderState.SENT, now, None
    reminder.attempts += 1
    session.add(EmailMessage(reminder_id=reminder.id, message_id=outgoing.message_id, to_address=outgoing.to,
                             subject=outgoing.subject, body_text=outgoing.text, body_html=outgoing.html,
                             transport=mailer.transport, sent_at=now))
    session.add(Notification(user_id=composed.recipient_id, reminder_id=reminder.id, title=content.subject,
                             body="\n".join(content.lines), link=content.link, created_at=now))
    session.commit()
    report.sent += 1


def dispatch_due_reminders(session: Session, *, now: datetime, mailer: Mailer, base_url: str,
                           batch: int = BATCH, max_batches: int | None = None) -> DispatchReport:
    """One pass: roll recurring reminders forward, then claim and deliver everything due."""
    report = DispatchReport()
    session.info["now"] = now
    try:
        try:
            refresh_recurring(session, now)
            session.commit()
        except (IntegrityError, OperationalError):
            # A second dispatcher rolled the same reminders forward at the same moment: its rows stand.
            session.rollback()
        release_stale_claims(session, now)
        session.commit()
        config, recipients, wordings = offsets(session), recipient_roles(session), saved_wordings(session)
        session.commit()  # every claim starts a fresh transaction with its UPDATE (see `_hold`)
        token, batches = uuid.uuid4().hex, 0
        while max_batches is None or batches < max_batches:
            ids = claim(session, now=now, token=token, limit=batch)
            if not ids:
                break
            batches += 1
            for reminder_id in ids:
                deliver(session, reminder_id, token=token, now=now, mailer=mailer, base_url=base_url, report=report,
                        config=config, recipients=recipients, wordings=wordings)
    finally:
        session.info.pop("now", None)
        mailer.close()
    return report
