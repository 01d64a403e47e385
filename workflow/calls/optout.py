"""An expert without an account stops calls for experts by e-mail, from the link each call's e-mail carries.

The link never expires. It is signed with the app's secret (itsdangerous, with a salt of its own) and names
the expert and the address it was sent to, so a change of the expert's address (an erasure included), or of
the app's secret, revokes it; a forged or altered link opens nothing. Stopping is recorded on the expert:
later calls leave them out and say so, and the messages of open calls not sent yet are dropped.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session

from ..experts.models import Expert
from .models import CallRecipient, DeliveryState

SALT = "peerflow.calls.unsubscribe"
LONGEST_TOKEN = 200


def _address_mark(email: str) -> str:
    """A short digest of the address the link was sent to (the address itself stays out of the link)."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def unsubscribe_token(expert: Expert, secret: str) -> str:
    """The secret part of the expert's unsubscribe link."""
    return URLSafeSerializer(secret, salt=SALT).dumps([expert.id, _address_mark(expert.email)])


def expert_by_unsubscribe_token(session: Session, token: str, secret: str) -> Expert | None:
    """The expert an unsubscribe link names, or None for a forged, altered or revoked one."""
    if not token or len(token) > LONGEST_TOKEN:
        return None
    try:
        payload = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        return None
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)
            and isinstance(payload[1], str)):
        return None
    expert = session.get(Expert, payload[0])
    if expert is None or not hmac.compare_digest(payload[1], _address_mark(expert.email)):
        return None
    return expert


def stop_call_emails(session: Session, expert: Expert, *, now: datetime) -> bool:
    """Record that the expert wants no more calls for experts by e-mail; False when it was already so.

    No `actor`: the expert acts through the link, without an account."""
    if expert.call_emails_stopped_at is not None:
        return False
    expert.call_emails_stopped_at = expert.updated_at = now
    # The messages of open calls still waiting to go out are dropped: the wish holds from now on.
    session.execute(update(CallRecipient).where(CallRecipient.expert_id == expert.id,
                                                CallRecipient.state == DeliveryState.PENDING)
                    .values(state=DeliveryState.CANCELLED).execution_options(synchronize_session="fetch"))
    session.flush()
    return True


def resume_call_emails(session: Session, expert: Expert, *, now: datetime) -> bool:
    """The expert changed their mind: calls reach them by e-mail again; False when they already did."""
    if expert.call_emails_stopped_at is None:
        return False
    expert.call_emails_stopped_at = None
    expert.updated_at = now
    session.flush()
    return True
