"""What the bell hears: news addressed to someone who reads it in Peerflow."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..calls.signals import call_delivered
from .models import Notification


def _call_delivered(_recipient: Any, *, session: Session, now: datetime, user_id: int | None, title: str, body: str,
                    link: str) -> None:
    if user_id is not None:  # an expert without an account reads it in their mailbox only
        session.add(Notification(user_id=user_id, title=title, body=body, link=link, created_at=now))


def connect() -> None:
    """Connect the bell's listeners."""
    call_delivered.connect(_call_delivered)
