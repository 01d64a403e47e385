"""What the bell hears: each kind of news (kinds/) is raised by a domain signal and an `event` value;
a call for experts delivered to someone who answers in Peerflow shows in their bell too."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from blinker import NamedSignal
from sqlalchemy.orm import Session

from ..calls.signals import call_delivered
from ..core.clock import clock_now
from .kinds import KINDS, Context, kinds_raised_by
from .models import Notification
from .notify import notify


def _call_delivered(_recipient: Any, *, session: Session, now: datetime, user_id: int | None, title: str, body: str,
                    link: str) -> None:
    if user_id is not None:  # an expert without an account reads it in their mailbox only
        session.add(Notification(user_id=user_id, title=title, body=body, link=link, created_at=now))


def _listener(signal: NamedSignal):
    def listen(subject: Any, *, session: Session, now: datetime | None = None, actor: Any = None, event: Any = None,
               **extra: Any) -> None:
        code = str(event) if event is not None else None
        for kind in kinds_raised_by(signal, code):
            notify(session, kind, subject, Context(actor=actor, now=now or clock_now(session), event=code, extra=extra))

    listen.__name__ = f"notify_on_{signal.name.replace('-', '_')}"
    return listen


_LISTENERS: dict[NamedSignal, Any] = {}


def connect() -> None:
    """Connect the bell's listeners: one per signal that raises a kind (idempotent)."""
    call_delivered.connect(_call_delivered)
    for signal in {kind.signal for kind in KINDS.values()}:
        listen = _LISTENERS.setdefault(signal, _listener(signal))
        signal.connect(listen)
