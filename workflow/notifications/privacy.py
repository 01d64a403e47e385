"""The bell's part of an expert's export and erasure: the in-app notifications addressed to them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..core.privacy import row
from .models import Notification


def export(expert: Any, *, session: Session) -> dict[str, Any]:
    if expert.user_id is None:
        return {"notifications": []}
    return {"notifications": [row(n, "title", "body", "link", "created_at", "read_at") for n in session.scalars(
        select(Notification).where(Notification.user_id == expert.user_id).order_by(Notification.created_at))]}


def erase(_expert: Any, *, session: Session, user: Any, **_: Any) -> list[str]:
    if user is not None:
        session.execute(delete(Notification).where(Notification.user_id == user.id))
    return []
