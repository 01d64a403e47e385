"""What the knowledge work adds to other pages: the Action page lists the events that reviewed the Action and the
good practices drawn from it (a page_extras listener, so the Action's view stays as it is)."""

from __future__ import annotations

from typing import Any

from ..core import signals
from ..extensions import db
from .queries import events_of_action, practices_of_action


def action_section(_page: str, *, action: Any, user: Any, **_: Any) -> dict[str, Any]:
    """Staff see every practice, drafts included, and open the events; others see the published practices."""
    staff = bool(user.is_authenticated and user.is_staff)
    return {"knowledge_events": events_of_action(db.session, action.id),
            "knowledge_practices": practices_of_action(db.session, action.id, published_only=not staff),
            "knowledge_staff": staff}


def connect() -> None:
    """Connect the knowledge work's listeners (idempotent: blinker keeps one connection per function)."""
    signals.page_extras.connect(action_section, sender="actions.show")
