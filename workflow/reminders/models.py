"""Reminders as rows: derived from the data by rules, dispatched by one scheduler process."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.figures import only_delivered
from ..database import Base

# Not portfolio figures, but what is remembered from these tables (the menu's to-do count) is kept with their
# data version: a change to any row replaces it (core/figures.py).
__versioned__ = True


class ReminderState(StrEnum):
    PENDING = "pending"      # waiting for its due time (or for its next attempt)
    SENDING = "sending"      # claimed by a dispatcher
    SENT = "sent"
    FAILED = "failed"        # gave up after the last attempt; shown to staff
    CANCELLED = "cancelled"  # the data changed and the reminder no longer applies


class Reminder(Base):
    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_state_due_at", "state", "due_at"),
                      Index("ix_reminders_subject", "subject_type", "subject_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # e.g. "invite-nudge:deployment:42:user:7": one reminder per rule, subject, occurrence and recipient.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    rule: Mapped[str] = mapped_column(String(40), index=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_at: Mapped[datetime]
    state: Mapped[ReminderState] = mapped_column(default=ReminderState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(40), index=True)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    recipient: Mapped[User] = relationship()

    def keeps_data_version(self) -> bool:
        """A delivery recorded (claimed, sent, retried) replaces no data version: see `core.figures.only_delivered`."""
        return only_delivered(self)


class ReminderRule(Base):
    """The offsets of a rule, in days, as the admin set them."""

    __tablename__ = "reminder_rules"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    offsets: Mapped[list[int]] = mapped_column(default=list)
    enabled: Mapped[bool] = mapped_column(default=True)
    # The recipient roles the admin chose (see rules.RECIPIENTS); None: the rule's default recipients.
    recipients: Mapped[list[str] | None]
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    @property
    def retry_at(self) -> datetime | None:
        """When a reminder whose sending failed is tried again (None unless it waits for a retry)."""
        return self.next_attempt_at if self.state is ReminderState.PENDING else None

    def __repr__(self) -> str:
        return f"<ReminderRule {self.code} {self.offsets} {'on' if self.enabled else 'off'}>"


class ReminderWording(Base):
    """The admin's own subject and text of a rule in one language, replacing the built-in (translated) ones.

    Both are templates with named placeholders (see wording.py); an empty part keeps the built-in text.
    """

    __tablename__ = "reminder_wordings"
    __table_args__ = (UniqueConstraint("rule", "locale", name="uq_reminder_wordings_rule_locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(40), index=True)
    locale: Mapped[str] = mapped_column(String(8))  # en, es, fr
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    def __repr__(self) -> str:
        return f"<ReminderWording {self.rule} {self.locale}>"


class EmailMessage(Base):
    """What was sent (or put in the development outbox) for a reminder."""

    __tablename__ = "email_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminders.id", ondelete="CASCADE"), unique=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)  # derived from the reminder: a resend is recognisable
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    transport: Mapped[str] = mapped_column(String(10))  # smtp | outbox
    sent_at: Mapped[datetime]

    reminder: Mapped[Reminder] = relationship()

    def keeps_data_version(self) -> bool:
        """What was sent is read by the outbox page and the privacy export, each time: nothing remembered."""
        return True
