"""The Steering Committee's members, the eligibility criteria, consultations, answers and decisions."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.auditing import Tracked
from ..database import Base

# Not portfolio figures, but what is remembered from these tables (the menu's to-do count) is kept with their
# data version: a change to any row replaces it (core/figures.py).
__versioned__ = True

if TYPE_CHECKING:
    from ..requests.models import Request


class MemberKind(StrEnum):
    COMMITTEE_MEMBER = "committee_member"
    EU_DELEGATION = "eu_delegation"
    DESK = "desk"


class ConsultationStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Answer(StrEnum):
    SUPPORT = "support"
    OBJECT = "object"


class Outcome(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    ASK_CHANGES = "ask_changes"


class SteeringMember(Base):
    """A person consulted on requests: a committee member, the EU delegation or the desk."""

    __tablename__ = "steering_members"
    __audit__ = Tracked("steering_member", None, include=("user_id", "kind", "has_veto", "active"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    kind: Mapped[MemberKind] = mapped_column(default=MemberKind.COMMITTEE_MEMBER)
    has_veto: Mapped[bool] = mapped_column(default=False)  # an objection of theirs blocks approval
    active: Mapped[bool] = mapped_column(default=True, index=True)  # consulted on new requests
    created_at: Mapped[datetime]

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<SteeringMember {self.id} user={self.user_id} {self.kind}{' veto' if self.has_veto else ''}>"


class EligibilityCriterion(Base):
    """One criterion every decision on a request is recorded against."""

    __tablename__ = "eligibility_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # the defaults' labels are translated by code
    label: Mapped[str] = mapped_column(String(200))  # English as the admin wrote it
    position: Mapped[int] = mapped_column(default=0, index=True)
    active: Mapped[bool] = mapped_column(default=True, index=True)

    def __repr__(self) -> str:
        return f"<EligibilityCriterion {self.id} {self.code}>"


class Consultation(Base):
    """The committee consulted on one request until a deadline; closed by the decision."""

    __tablename__ = "consultations"
    __audit__ = Tracked("request", None, include=("deadline", "status", "closed_at"), parent_fk="request_id",
                        part="consultation")
    __table_args__ = (
        CheckConstraint("status != 'closed' OR closed_at IS NOT NULL", name="closed_has_time"),
        CheckConstraint("deadline > opened_at", name="deadline_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    opened_at: Mapped[datetime]
    deadline: Mapped[datetime] = mapped_column(index=True)  # silence until then counts as support
    closed_at: Mapped[datetime | None]
    status: Mapped[ConsultationStatus] = mapped_column(default=ConsultationStatus.OPEN, index=True)

    request: Mapped[Request] = relationship()
    opened_by: Mapped[User] = relationship()
    answers: Mapped[list[ConsultationAnswer]] = relationship(
        back_populates="consultation", order_by="ConsultationAnswer.id", cascade="all, delete-orphan")
    decision: Mapped[Decision | None] = relationship(back_populates="consultation")
    deadline_changes: Mapped[list[DeadlineChange]] = relationship(
        back_populates="consultation", order_by="DeadlineChange.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Consultation {self.id} request={self.request_id} {self.status}>"

    @property
    def answers_until(self) -> datetime:
        """The deadline as people read it: 23:59 of the last day rather than 00:00 of the next."""
        return self.deadline - timedelta(minutes=1)


class DeadlineChange(Base):
    """Staff moved an open consultation's deadline: from when to when, who did, and why if they said."""

    __tablename__ = "consultation_deadline_changes"
    __table_args__ = (CheckConstraint("to_deadline != from_deadline", name="deadline_moved"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    changed_at: Mapped[datetime]
    from_deadline: Mapped[datetime]
    to_deadline: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)

    consultation: Mapped[Consultation] = relationship(back_populates="deadline_changes")
    changed_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<DeadlineChange {self.id} consultation={self.consultation_id} to={self.to_deadline:%Y-%m-%d}>"

    @property
    def answers_until(self) -> datetime:
        """The new deadline as people read it (the last minute of the last day)."""
        return self.to_deadline - timedelta(minutes=1)

    @property
    def answers_until_before(self) -> datetime:
        """The deadline it replaced, as people read it."""
        return self.from_deadline - timedelta(minutes=1)


class ConsultationAnswer(Base):
    """One member consulted (the panel is fixed when the consultation opens) and their answer, if any."""

    __tablename__ = "consultation_answers"
    __table_args__ = (
        UniqueConstraint("consultation_id", "member_id", name="uq_consultation_answers_consultation_member"),
        CheckConstraint("answer != 'object' OR reason IS NOT NULL", name="objection_has_reason"),
        CheckConstraint("(answer IS NULL) = (answered_at IS NULL)", name="answered_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("steering_members.id"), index=True)
    has_veto: Mapped[bool] = mapped_column(default=False)  # the member's veto when consulted
    answer: Mapped[Answer | None]  # None: not answered (yet); silence by the deadline counts as support
    reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship(back_populates="answers")
    member: Mapped[SteeringMember] = relationship()

    def __repr__(self) -> str:
        return (f"<ConsultationAnswer {self.id} consultation={self.consultation_id} member={self.member_id} "
                f"{self.answer}>")


class Decision(Base):
    """What was decided on a request after its consultation, and why."""

    __tablename__ = "decisions"
    __audit__ = Tracked("request", None, include=("outcome", "summary", "decided_by_id"), parent_fk="request_id",
                        part="decision")

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), unique=True)
    outcome: Mapped[Outcome] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(Text)  # the reasons, shown to the requester
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(index=True)

    consultation: Mapped[Consultation] = relationship(back_populates="decision")
    decided_by: Mapped[User] = relationship()
    criteria: Mapped[list[DecisionCriterion]] = relationship(
        back_populates="decision", order_by="DecisionCriterion.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Decision {self.id} request={self.request_id} {self.outcome}>"


class DecisionCriterion(Base):
    """One eligibility criterion as the decision judged it: met or not, and the comment."""

    __tablename__ = "decision_criteria"
    __table_args__ = (UniqueConstraint("decision_id", "criterion_id", name="uq_decision_criteria_decision_criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("eligibility_criteria.id"), index=True)
    met: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text)

    decision: Mapped[Decision] = relationship(back_populates="criteria")
    criterion: Mapped[EligibilityCriterion] = relationship()

    def __repr__(self) -> str:
        return f"<DecisionCriterion {self.id} decision={self.decision_id} criterion={self.criterion_id} met={self.met}>"
