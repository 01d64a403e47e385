"""The reader's side of notifications: marking them read, choosing how each kind reaches them; and staff
retrying a failed e-mail."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..core.errors import DomainError, NotFound, StateConflict
from ..core.i18n import _
from ..core.labels import label
from ..core.signals import record_security_event
from .kinds import KINDS, Kind, kinds_for
from .models import Delivery, EmailState, Notification, NotificationEmail, NotificationPreference


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


def choices_of(kind: Kind) -> tuple[Delivery, ...]:
    """What a reader may choose for `kind`: never the app only for news the work depends on."""
    return (Delivery.EMAIL, Delivery.DIGEST) if kind.mandatory else tuple(Delivery)


def preferences_of(session: Session, user: User) -> dict[str, Delivery]:
    """How each kind the user may receive reaches them (an e-mail at once unless they chose otherwise)."""
    chosen = dict(session.execute(select(NotificationPreference.kind, NotificationPreference.delivery)
                                  .where(NotificationPreference.user_id == user.id)).tuples().all())
    out = {}
    for kind in kinds_for(user.role):
        value = chosen.get(kind.code, Delivery.EMAIL)
        out[kind.code] = value if value in choices_of(kind) else Delivery.EMAIL
    return out


def save_preferences(session: Session, user: User, chosen: Mapping[str, Delivery | str], *, actor: User,
                     now: datetime) -> dict[str, Delivery]:
    """Record the user's choice for each kind named in `chosen` (the others keep theirs); refuse a kind they
    do not receive, an unknown delivery, or the app only for news the work depends on, naming the field."""
    if actor.id != user.id:
        raise DomainError(_("Only you choose how your news reaches you."))
    mine = {kind.code: kind for kind in kinds_for(user.role)}
    parsed: dict[str, Delivery] = {}
    for code, value in chosen.items():
        kind = mine.get(code)
        if kind is None:
            raise DomainError(_("You receive no news of this kind."), field=code)
        try:
            delivery = Delivery(value)
        except ValueError:
            raise DomainError(_("Choose an e-mail at once, a daily digest or Peerflow only."), field=code) from None
        if delivery not in choices_of(kind):
            raise DomainError(_("Your work depends on this news: it comes by e-mail, at once or in the daily "
                                "digest."), field=code)
        parsed[code] = delivery
    if parsed:
        session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == user.id,
                                                             NotificationPreference.kind.in_(parsed)))
        session.add_all(NotificationPreference(user_id=user.id, kind=code, delivery=delivery)
                        for code, delivery in parsed.items() if delivery is not Delivery.EMAIL)
    session.flush()
    return preferences_of(session, user)


def kind_label(code: str | None) -> str:
    """A kind's name for people (its code when the kind is unknown: a retired one)."""
    kind = KINDS.get(code or "")
    return str(kind.label) if kind is not None else (code or "")


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
