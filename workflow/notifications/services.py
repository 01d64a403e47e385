"""Marking the bell's notifications read (the API's; the page does the same in its view)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..core.errors import NotFound
from .models import Notification


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
