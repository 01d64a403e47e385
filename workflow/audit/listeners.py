"""What the audit trail hears from the other packages: security events, saves made on old versions, erasures."""

from __future__ import annotations

from typing import Any

from ..core import signals
from .privacy import scrub_erased
from .services import explain_stale_edit, security_event


def _record_security_event(kind: str, *, session: Any, **event: Any) -> None:
    security_event(session, kind, **event)


def connect() -> None:
    """Connect the audit trail's listeners (idempotent: blinker keeps one connection per function)."""
    signals.security_event.connect(_record_security_event)
    signals.stale_edit_seen.connect(explain_stale_edit)
    signals.erasure_written.connect(scrub_erased)
