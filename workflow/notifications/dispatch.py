"""Sending the notifications' e-mails through the shared outbox (mail/outbox.py): each one at once, or a
reader's day of news in one digest at 08:00 in their time zone. Every e-mail carries a List-Unsubscribe
line and a link to the reader's preferences.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import urljoin

from flask import current_app
from flask_babel import force_locale, ngettext
from sqlalchemy.orm import Session

from ..mail.mailer import Mailer, Outgoing, make_message_id
from ..mail.outbox import BATCH, Outbox, OutboxReport, run_pass
from .kinds import KINDS, Attachment
from .models import EmailState, Notification, NotificationEmail
from .notify import language_of

PREFERENCES_PATH = "/notifications/preferences"


def message_id(email: NotificationEmail, base_url: str) -> str:
    digest = hashlib.sha256(email.key.encode()).hexdigest()[:16]
    return make_message_id(f"notification-{email.id}.{digest}", base_url)


def _attachments(session: Session, notification: Notification, base_url: str) -> tuple[Attachment, ...]:
    """The files the notification's kind attaches (an invitation's calendar file), from the data as it is now."""
    kind = KINDS.get(notification.kind or "")
    if kind is None or kind.attachments is None or kind.model is None or notification.subject_id is None:
        return ()
    subject = session.get(kind.model, notification.subject_id)
    return tuple(kind.attachments(session, subject, notification.email.user, base_url)) if subject is not None else ()


class NotificationOutbox(Outbox[NotificationEmail]):
    """The notifications' e-mails due now: those sent at once, and the digests whose hour has come."""

    model = NotificationEmail
    states = EmailState

    def __init__(self, *, base_url: str) -> None:
        self.base_url = base_url

    def due(self, now: datetime) -> tuple:
        return (NotificationEmail.due_at <= now,)

    def order(self) -> tuple:
        return (NotificationEmail.due_at, NotificationEmail.id)

    def absolute(self, path: str | None) -> str:
        return urljoin(self.base_url.rstrip("/") + "/", (path or "/").lstrip("/"))

    def compose(self, session: Session, row: NotificationEmail, now: datetime) -> Outgoing | None:
        user, notifications = row.user, list(row.notifications)
        if not user.active or not notifications:  # a closed account, or news erased with its reader's data
            return None
        kinds = {n.kind for n in notifications}
        preferences = self.absolute(PREFERENCES_PATH + (f"?kind={next(iter(kinds))}" if len(kinds) == 1 else ""))
        with force_locale(language_of(user)):
            if row.digest:
                subject = ngettext("Peerflow: %(num)s update for you", "Peerflow: %(num)s updates for you",
                                   len(notifications))
            else:
                subject = notifications[0].title
            env = current_app.jinja_env
            context = {"recipient": user, "notifications": notifications, "digest": row.digest,
                       "absolute": self.absolute, "preferences": preferences}
            text = env.get_template("emails/notification.txt").render(**context)
            html = env.get_template("emails/notification.html").render(**context)
            attachments = () if row.digest else _attachments(session, notifications[0], self.base_url)
        headers = (("List-Unsubscribe", f"<{preferences}>"),)
        return Outgoing(message_id(row, self.base_url), user.email, subject, text, html, attachments, headers)

    def record(self, session: Session, row: NotificationEmail, outgoing: Outgoing, *, transport: str,
               now: datetime) -> None:
        row.to_address, row.subject, row.transport = outgoing.to, outgoing.subject[:300], transport


def dispatch_notifications(session: Session, *, now: datetime, mailer: Mailer, base_url: str, batch: int = BATCH,
                           max_batches: int | None = None) -> OutboxReport:
    """One pass: claim and send every notification e-mail due now (safe to run in several processes)."""
    return run_pass(session, NotificationOutbox(base_url=base_url), now=now, mailer=mailer, batch=batch,
                    max_batches=max_batches)
