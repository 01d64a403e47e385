"""Marking the bell's notifications read (the API's; the page does the same in its view); retrying a failed e-mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..core.errors import NotFound, StateConflict
from ..core.i18n import _
from ..core.labels import label
from ..core.signals import record_security_event
from .models import EmailState, Notification, NotificationEmail


def mark_read(session: Session, notification_id: int, *, actor: User, now: datetime) -> Notification:
    """Mark one of the actor's notifications read (once: the first reading's moment stays)."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != actor.id:
        raise NotFound("No such notification.")
    notification.read_at = notification.read_at or now
    session.flush()
    return notification


def mark_all_read(session: Session, *, actor: User, now: datetime) -> int:
    """Mark every unread notification of the actor read; return how many there were."""
    unread = (Notification.user_id == actor.id, Notification.read_at.is_(None))
    count = session.scalar(select(func.count()).select_from(Notification).where(*unread)) or 0
    session.execute(update(Notification).where(*unread).values(read_at=now))
    return count


def retry(session: Session, email_id: int, *, actor: User, now: datetime) -> NotificationEmail:
    """Send a failed e-mail again: back to pending, its attempts counted afresh, due at the next pass.

    Refused (StateConflict) unless it failed: an e-mail waiting, being sent or sent is not sent twice.
    The change is conditional in SQL, so two staff retrying at once, or a dispatcher, cannot both win.
    """
    email = session.get(NotificationEmail, email_id)
    if email is None:
        raise NotFound("No such e-mail.")
    changed = session.execute(
        update(NotificationEmail).where(NotificationEmail.id == email_id, NotificationEmail.state == EmailState.FAILED)
        .values(state=EmailState.PENDING, attempts=0, next_attempt_at=None, claim_token=None, claimed_at=None)
        .execution_options(synchronize_session=False)).rowcount
    if not changed:
        raise StateConflict(_("Only a failed e-mail can be retried; this one is %(state)s.",
                              state=label(email.state).lower()))
    session.refresh(email)
    record_security_event(session, "outbox_retried", now=now, user=email.user,
                          detail={"notification_email_id": email.id, "by": actor.id})
    return email
