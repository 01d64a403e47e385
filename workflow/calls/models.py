"""A call for experts, the people it reached (one outgoing e-mail each), their answers and the focal points' proposals."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..activities.models import Activity, ExpertSlot
from ..core.auditing import Tracked
from ..database import Base
from ..experts.models import Expert
from ..reference.models import ThematicArea
from .lifecycle import CallStatus

# Not portfolio figures, but what is remembered from these tables (the menu's to-do count) is kept with their
# data version: a change to any row replaces it (core/figures.py).
__versioned__ = True


class RecipientKind(StrEnum):
    EXPERT = "expert"
    FOCAL_POINT = "focal_point"


class DeliveryState(StrEnum):
    PENDING = "pending"  # waiting to be sent (or for its next attempt)
    SENDING = "sending"  # claimed by a delivery pass
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt
    CANCELLED = "cancelled"  # the call ended before the message went out


class AnswerKind(StrEnum):
    INTERESTED = "interested"
    NOT_AVAILABLE = "not_available"


class Call(Base):
    """A call sent once, from an activity (optionally one of its slots), to the people its filters chose."""

    __tablename__ = "calls"
    # In its activity's history: sent (with its filters), stood down or closed. Who it reached and what they
    # answered stay on the call's page.
    __audit__ = Tracked("activity", None, include=("status", "member_states", "answer_deadline", "end_reason"),
                        parent_fk="activity_id", part="call_for_experts")

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("expert_slots.id", ondelete="SET NULL"), index=True)
    # The filters the officer chose, kept to say later who was asked and why.
    thematic_area_id: Mapped[int | None] = mapped_column(ForeignKey("thematic_areas.id"), index=True)
    language: Mapped[str | None] = mapped_column(String(8))  # at working level (B2+)
    member_states: Mapped[list[str]] = mapped_column(default=list)  # ISO codes; empty: every member state
    available_only: Mapped[bool] = mapped_column(default=True)  # free on the activity's dates
    include_focal_points: Mapped[bool] = mapped_column(default=True)
    # The experts the filters chose whom the call left out, as they asked to receive no calls by e-mail.
    unsubscribed_expert_ids: Mapped[list[int]] = mapped_column(default=list)
    message: Mapped[str] = mapped_column(Text)
    answer_deadline: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[CallStatus] = mapped_column(index=True, default=CallStatus.OPEN)
    end_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    sent_at: Mapped[datetime]  # when its messages were queued, in the transaction that created it
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    activity: Mapped[Activity] = relationship()
    slot: Mapped[ExpertSlot | None] = relationship()
    thematic_area: Mapped[ThematicArea | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    recipients: Mapped[list[CallRecipient]] = relationship(
        back_populates="call", order_by="CallRecipient.id", cascade="all, delete-orphan")
    proposals: Mapped[list[FocalProposal]] = relationship(
        back_populates="call", order_by="FocalProposal.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Call {self.id} activity={self.activity_id} {self.status}>"


class CallRecipient(Base):
    """One person a call reached, and the one e-mail sent to them (delivered after the commit, at most once)."""

    __tablename__ = "call_recipients"
    __table_args__ = (
        CheckConstraint("(expert_id IS NULL) <> (user_id IS NULL)", name="one_person"),
        UniqueConstraint("call_id", "expert_id", name="uq_call_recipients_call_expert"),
        UniqueConstraint("call_id", "user_id", name="uq_call_recipients_call_user"),
        # While a call is open nobody is reached twice for the same activity, even by two calls sent at once.
        UniqueConstraint("open_activity_id", "expert_id", name="uq_call_recipients_open_expert"),
        UniqueConstraint("open_activity_id", "user_id", name="uq_call_recipients_open_user"),
        Index("ix_call_recipients_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RecipientKind]
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)  # a focal point
    # The call's activity while the call is open, NULL once it ended: the unique keys above read it.
    open_activity_id: Mapped[int | None]
    # The answer link of an expert without an account: only its SHA-256 is kept; the link itself is derived
    # from the app's secret and `token_salt` when the e-mail is written.
    token_salt: Mapped[str | None] = mapped_column(String(32))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    state: Mapped[DeliveryState] = mapped_column(default=DeliveryState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(40), index=True)
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(200))
    transport: Mapped[str | None] = mapped_column(String(10))  # smtp | outbox
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    call: Mapped[Call] = relationship(back_populates="recipients")
    expert: Mapped[Expert | None] = relationship()
    user: Mapped[User | None] = relationship()
    answer: Mapped[CallAnswer | None] = relationship(back_populates="recipient", cascade="all, delete-orphan",
                                                     uselist=False)

    def __repr__(self) -> str:
        who = f"expert={self.expert_id}" if self.expert_id else f"user={self.user_id}"
        return f"<CallRecipient {self.id} call={self.call_id} {who} {self.state}>"


class CallAnswer(Base):
    """An expert's answer to a call: changeable until the deadline, or until the call ends."""

    __tablename__ = "call_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("call_recipients.id", ondelete="CASCADE"), unique=True)
    answer: Mapped[AnswerKind] = mapped_column(index=True)
    note: Mapped[str | None] = mapped_column(Text)
    # An updated CV sent with the answer, kept under UPLOAD_DIR (the profile's CV is left as it is).
    cv_stored_name: Mapped[str | None] = mapped_column(String(80), unique=True)
    cv_file_name: Mapped[str | None] = mapped_column(String(255))
    cv_content_type: Mapped[str | None] = mapped_column(String(120))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # None: by the e-mailed link
    answered_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    recipient: Mapped[CallRecipient] = relationship(back_populates="answer")

    def __repr__(self) -> str:
        return f"<CallAnswer {self.id} recipient={self.recipient_id} {self.answer}>"


class FocalProposal(Base):
    """An expert of their own member state that a focal point put forward for the call."""

    __tablename__ = "focal_proposals"
    __table_args__ = (UniqueConstraint("call_id", "expert_id", name="uq_focal_proposals_call_expert"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    focal_point_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]

    call: Mapped[Call] = relationship(back_populates="proposals")
    focal_point: Mapped[User] = relationship()
    expert: Mapped[Expert] = relationship()

    def __repr__(self) -> str:
        return f"<FocalProposal {self.id} call={self.call_id} expert={self.expert_id}>"
