"""Dispatching due reminders through the outbox (mail/outbox.py): each is re-checked against the data
before it is sent, and kept as an `EmailMessage` and a bell notification once it is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..core.errors import DomainError
from ..deployments.lifecycle import DeploymentEvent, DeploymentStatus
from ..deployments.models import Deployment
from ..deployments.services import apply_deployment_event
from ..mail.mailer import Mailer, Outgoing, make_message_id
from ..mail.outbox import BATCH, Outbox, OutboxReport, run_pass
from ..notifications.dispatch import PREFERENCES_PATH
from ..notifications.models import Notification
from .messages import Content, content_for
from .models import EmailMessage, Reminder, ReminderState
from .sync import derive, offsets, recipient_roles, refresh_recurring
from .wording import Wordings, apply_saved, language_of, saved_wordings


def message_id(reminder: Reminder, base_url: str) -> str:
    digest = hashlib.sha256(reminder.key.encode()).hexdigest()[:16]
    return make_message_id(f"reminder-{reminder.id}.{digest}", base_url)


def _expire_invitation(session: Session, reminder: Reminder, now: datetime) -> None:
    """An invitation left unanswered past its expiry is expired as the officer is told."""
    deployment = session.get(Deployment, reminder.subject_id)
    if deployment is not None and deployment.status is DeploymentStatus.INVITED:
        officer = session.get(User, reminder.recipient_id)
        try:
            apply_deployment_event(session, deployment, DeploymentEvent.EXPIRE, actor=officer, now=now)
        except DomainError:  # the officer may no longer expire it (left the staff): the notice still counts
            pass


def _render(template: str, **context: object) -> str:
    """An e-mail body: rendered with no request and no signed-in user, so without the pages' context processors."""
    return current_app.jinja_env.get_template(template).render(**context)


@dataclass(frozen=True)
class ReminderMail(Outgoing):
    """A reminder's e-mail, with the words its bell notification repeats."""

    content: Content | None = None


class ReminderOutbox(Outbox[Reminder]):
    """Reminders due now, each re-derived from the data before it is written."""

    model = Reminder
    states = ReminderState
    touched = "updated_at"

    def __init__(self, *, base_url: str, config: dict[str, list[int]], recipients: dict[str, list[str]],
                 wordings: Wordings) -> None:
        self.base_url, self.config, self.recipients, self.wordings = base_url, config, recipients, wordings

    def due(self, now: datetime) -> tuple:
        return (Reminder.due_at <= now,)

    def order(self) -> tuple:
        return (Reminder.due_at, Reminder.id)

    def compose(self, session: Session, row: Reminder, now: datetime) -> ReminderMail | None:
        """The message for `row`, or None when the data no longer asks for it."""
        still_wanted = {d.key for d in derive(session, row.subject_type, row.subject_id, now, self.config,
                                              self.recipients)}
        if row.key not in still_wanted:
            return None
        recipient = row.recipient
        with force_locale(recipient.locale or "en"):
            content = content_for(session, row, base_url=self.base_url, now=now)
            # The admin's wording in the language the message is written in (none: the built-in text, translated).
            content = apply_saved(session, row, recipient, content, self.wordings,
                                  locale=language_of(recipient, current_app.config["LANGUAGES"]), now=now)
            preferences = self.base_url.rstrip("/") + PREFERENCES_PATH
            context = {"content": content, "recipient": recipient, "preferences": preferences}
            return ReminderMail(message_id(row, self.base_url), recipient.email, content.subject,
                                _render("emails/reminder.txt", **context), _render("emails/reminder.html", **context),
                                tuple(content.attachments), (("List-Unsubscribe", f"<{preferences}>"),),
                                content=content)

    def record(self, session: Session, row: Reminder, outgoing: ReminderMail, *, transport: str,
               now: datetime) -> None:
        if row.rule == "invite_expiry":
            _expire_invitation(session, row, now)
        session.add(EmailMessage(reminder_id=row.id, message_id=outgoing.message_id, to_address=outgoing.to,
                                 subject=outgoing.subject, body_text=outgoing.text, body_html=outgoing.html,
                                 transport=transport, sent_at=now))
        content = outgoing.content
        session.add(Notification(user_id=row.recipient_id, reminder_id=row.id, title=content.subject,
                                 body="\n".join(content.lines), link=content.link, created_at=now))


def dispatch_due_reminders(session: Session, *, now: datetime, mailer: Mailer, base_url: str,
                           batch: int = BATCH, max_batches: int | None = None) -> OutboxReport:
    """One pass: roll recurring reminders forward, then claim and deliver everything due."""
    session.info["now"] = now
    try:
        try:
            refresh_recurring(session, now)
            session.commit()
        except (IntegrityError, OperationalError):
            # A second dispatcher rolled the same reminders forward at the same moment: its rows stand.
            session.rollback()
        kind = ReminderOutbox(base_url=base_url, config=offsets(session), recipients=recipient_roles(session),
                              wordings=saved_wordings(session))
        session.commit()
        return run_pass(session, kind, now=now, mailer=mailer, batch=batch, max_batches=max_batches)
    finally:
        session.info.pop("now", None)
