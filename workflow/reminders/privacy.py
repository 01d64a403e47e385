"""The reminders' part of an expert's export and erasure: the e-mails sent to them, their pending reminders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from ..core.privacy import row
from .models import EmailMessage, Reminder, ReminderState


def export(expert: Any, *, session: Session) -> dict[str, Any]:
    addressed = EmailMessage.to_address == expert.email
    if expert.user_id is not None:
        addressed = or_(addressed, EmailMessage.reminder_id.in_(
            select(Reminder.id).where(Reminder.recipient_id == expert.user_id)))
    return {"emails": [row(m, "to_address", "subject", "body_text", "sent_at") for m in session.scalars(
        select(EmailMessage).where(addressed).order_by(EmailMessage.sent_at, EmailMessage.id))]}


def erase(_expert: Any, *, session: Session, user: Any, now: datetime, **_: Any) -> list[str]:
    """What was addressed to their account goes: the e-mails' texts, and the reminders still to send."""
    if user is not None:
        reminders = select(Reminder.id).where(Reminder.recipient_id == user.id)
        session.execute(delete(EmailMessage).where(EmailMessage.reminder_id.in_(reminders)))
        session.execute(update(Reminder).where(Reminder.recipient_id == user.id, Reminder.state == ReminderState.PENDING)
                        .values(state=ReminderState.CANCELLED, updated_at=now))
    return []
