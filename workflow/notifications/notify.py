"""Writing the news of a step, in the step's own transaction: a bell notification per reader, and the
e-mail that carries it (at once, or in the reader's next daily digest), which the outbox sends after
the commit. A step that fails rolls them back with it: nobody hears of a step that did not happen.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..core.clock import local_moment, zone
from .kinds import Context, Kind
from .models import Delivery, EmailState, Notification, NotificationEmail, NotificationPreference

DIGEST_HOUR = 8  # the daily digest goes at 08:00 in its reader's time zone


def language_of(user: User) -> str:
    languages = current_app.config.get("LANGUAGES", ("en",)) if has_app_context() else ("en",)
    return user.locale if user.locale in languages else languages[0]


def in_language(user: User) -> AbstractContextManager[object]:
    """Write in the user's language (with no app, as a script or a test's fixture may run a step: English)."""
    return force_locale(language_of(user)) if has_app_context() else nullcontext()


def delivery_for(session: Session, user: User, kind: Kind) -> Delivery:
    """How `kind` reaches `user`: their choice, an e-mail at once without one; never the app only for a
    mandatory kind."""
    chosen = session.scalar(select(NotificationPreference.delivery).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == kind.code))
    if chosen is None or (kind.mandatory and chosen is Delivery.APP):
        return Delivery.EMAIL
    return chosen


def next_digest_at(user: User, now: datetime) -> datetime:
    """The next 08:00 in the user's time zone after `now`."""
    today = now.astimezone(zone(user.timezone)).date()
    moment = local_moment(today, DIGEST_HOUR, user.timezone)
    return moment if moment > now else local_moment(today + timedelta(days=1), DIGEST_HOUR, user.timezone)


def digest_email(session: Session, user: User, now: datetime) -> NotificationEmail:
    """The user's next digest, created by the first news that goes in it (one per person and day)."""
    due = next_digest_at(user, now)
    key = f"digest:{user.id}:{due.astimezone(zone(user.timezone)).date().isoformat()}"
    found = session.scalar(select(NotificationEmail).where(NotificationEmail.key == key))
    if found is not None:
        return found
    email = NotificationEmail(key=key, user_id=user.id, digest=True, due_at=due, state=EmailState.PENDING,
                              attempts=0, created_at=now)
    try:
        with session.begin_nested():  # another step may be creating the same digest right now
            session.add(email)
    except IntegrityError:
        return session.scalars(select(NotificationEmail).where(NotificationEmail.key == key)).one()
    return email


def readers(kind: Kind, recipients: Any, actor: User | None) -> list[User]:
    """Each active recipient once, in a stable order, without the person who took the step."""
    seen: dict[int, User] = {}
    for user in recipients:
        if user is not None and user.active and (actor is None or user.id != actor.id):
            seen.setdefault(user.id, user)
    return sorted(seen.values(), key=lambda user: user.id)


def notify(session: Session, kind: Kind, subject: Any, context: Context) -> list[Notification]:
    """Tell every reader of `kind` about `subject`; return the notifications written."""
    written = []
    for user in readers(kind, kind.recipients(session, subject, context), context.actor):
        with in_language(user):
            message = kind.message(session, subject, user, context)
        notification = Notification(user_id=user.id, kind=kind.code, subject_type=kind.subject_type,
                                    subject_id=subject.id, title=message.title[:300], body="\n".join(message.lines),
                                    link=message.link, created_at=context.now)
        delivery = delivery_for(session, user, kind)
        if delivery is Delivery.EMAIL:
            notification.email = NotificationEmail(
                key=f"now:{uuid.uuid4().hex}", user_id=user.id, digest=False, due_at=context.now,
                state=EmailState.PENDING, attempts=0, created_at=context.now)
        elif delivery is Delivery.DIGEST:
            notification.email = digest_email(session, user, context.now)
        session.add(notification)
        written.append(notification)
    session.flush()
    return written
