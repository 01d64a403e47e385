"""News addressed to one person: the bell's notifications, the e-mails that carry them, and each person's
choice, per kind of news, of how it reaches them (see kinds/ for the kinds)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.figures import only_delivered
from ..database import Base

# Not portfolio figures, but what is remembered from these tables (the menu's to-do count) is kept with their
# data version: a change to any row replaces it (core/figures.py).
__versioned__ = True


class Delivery(StrEnum):
    """How a kind of news reaches a person, besides the bell (which always shows it)."""

    EMAIL = "email"    # an e-mail at once
    DIGEST = "digest"  # in one e-mail a day, at 08:00 in their time zone
    APP = "app"        # in the app only (not allowed for the news the work depends on)


class EmailState(StrEnum):
    PENDING = "pending"      # waiting for its due time (or for its next attempt)
    SENDING = "sending"      # claimed by a dispatcher
    SENT = "sent"
    FAILED = "failed"        # gave up after the last attempt; shown to staff, who may retry it
    CANCELLED = "cancelled"  # its reader can no longer receive it (account closed)


class NotificationEmail(Base):
    """One e-mail to one person: a notification sent at once, or a day's digest of several."""

    __tablename__ = "notification_emails"
    __table_args__ = (Index("ix_notification_emails_state_due_at", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "now:<uuid>" for one notification; "digest:<user id>:<local day>" for a day's digest (one per day).
    key: Mapped[str] = mapped_column(String(80), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    digest: Mapped[bool] = mapped_column(default=False)
    due_at: Mapped[datetime]
    state: Mapped[EmailState] = mapped_column(default=EmailState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)  # the mail server's answer to the last attempt
    next_attempt_at: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(40), index=True)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    # What was sent, once it is (the outbox page shows it).
    to_address: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(300))
    transport: Mapped[str | None] = mapped_column(String(10))  # smtp | outbox
    created_at: Mapped[datetime]

    user: Mapped[User] = relationship()
    notifications: Mapped[list[Notification]] = relationship(back_populates="email", order_by="Notification.id")

    # A version of its own (workflow.core.figures): the to-do counts read the failed e-mails, and a notification
    # written (a reminder sent tells its reader in the app too) is no reason to count them again.
    __data_version__ = "notifications.emails"

    def keeps_data_version(self) -> bool:
        """A delivery recorded (claimed, sent, retried) replaces no data version: see `core.figures.only_delivered`."""
        return only_delivered(self)


class Notification(Base):
    """One piece of news for one person, in their language, with the page where they act."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),
                      Index("ix_notifications_subject", "subject_type", "subject_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminders.id", ondelete="SET NULL"), unique=True)
    kind: Mapped[str | None] = mapped_column(String(40), index=True)  # a code of kinds/ (None: a reminder's, a call's)
    subject_type: Mapped[str | None] = mapped_column(String(20))  # request, consultation, action, activity, deployment
    subject_id: Mapped[int | None]
    email_id: Mapped[int | None] = mapped_column(ForeignKey("notification_emails.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(index=True)
    read_at: Mapped[datetime | None]

    email: Mapped[NotificationEmail | None] = relationship(back_populates="notifications")


class NotificationPreference(Base):
    """A person's choice for one kind of news; without a row, the kind's default (an e-mail at once)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    delivery: Mapped[Delivery]
