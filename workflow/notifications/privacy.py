"""The bell's part of an expert's export and erasure: the notifications addressed to them, their e-mails and
the expert's choices of how news reaches them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..core.privacy import row
from .models import Notification, NotificationEmail, NotificationPreference


def export(expert: Any, *, session: Session) -> dict[str, Any]:
    if expert.user_id is None:
        return {"notifications": []}
    return {"notifications": [row(n, "title", "body", "link", "created_at", "read_at") for n in session.scalars(
        select(Notification).where(Notification.user_id == expert.user_id).order_by(Notification.created_at))]}


def erase(_expert: Any, *, session: Session, user: Any, **_: Any) -> list[str]:
    if user is not None:  # the news, the e-mails that carried it (with the address they went to), the choices
        session.execute(delete(Notification).where(Notification.user_id == user.id))
        session.execute(delete(NotificationEmail).where(NotificationEmail.user_id == user.id))
        session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == user.id))
    return []
