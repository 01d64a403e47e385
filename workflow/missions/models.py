"""A deployment's mission: travel, stay, visa, insurance and checklist; letters accepted; expense claims."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.auditing import AuditedTransition, Tracked
from ..core.models import Provenance
from ..core.money import Money, Rate
from ..database import Base
from ..deployments.models import Deployment
from ..finance.models import CostCategory
from .lifecycle import ClaimStatus

# Not portfolio figures, but what is remembered from these tables (the menu's to-do count) is kept with their
# data version: a change to any row replaces it (core/figures.py).
__versioned__ = True


class VisaStatus(StrEnum):
    NOT_NEEDED = "not_needed"
    NEEDED = "needed"
    REQUESTED = "requested"
    GRANTED = "granted"


class LetterKind(StrEnum):
    ASSIGNMENT = "assignment"  # the letter of assignment, accepted online by the expert
    INVITATION = "invitation"  # the visa invitation letter
    CERTIFICATE = "certificate"  # a certificate of attendance


class MissionLogistics(Provenance, Base):
    """How the expert travels to and from the mission, where they stay, their visa and insurance."""

    __tablename__ = "mission_logistics"
    __audit__ = Tracked("deployment", None, parent_fk="deployment_id", part="logistics",
                        include=("outbound_date", "outbound_route", "outbound_booking", "outbound_cost_eur",
                                 "return_date", "return_route", "return_booking", "return_cost_eur",
                                 "accommodation", "visa_status", "visa_date", "insurance"))
    __table_args__ = (
        CheckConstraint("outbound_cost_eur IS NULL OR outbound_cost_eur >= 0", name="outbound_cost_not_negative"),
        CheckConstraint("return_cost_eur IS NULL OR return_cost_eur >= 0", name="return_cost_not_negative"),
        CheckConstraint("visa_status NOT IN ('requested', 'granted') OR visa_date IS NOT NULL",
                        name="visa_step_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), unique=True)
    outbound_date: Mapped[date | None]
    outbound_route: Mapped[str | None] = mapped_column(String(200))  # "MAD → LIM via BOG"
    outbound_booking: Mapped[str | None] = mapped_column(String(60))  # the booking reference
    outbound_cost_eur: Mapped[Decimal | None] = mapped_column(Money())
    return_date: Mapped[date | None]
    return_route: Mapped[str | None] = mapped_column(String(200))
    return_booking: Mapped[str | None] = mapped_column(String(60))
    return_cost_eur: Mapped[Decimal | None] = mapped_column(Money())
    accommodation: Mapped[str | None] = mapped_column(Text)
    visa_status: Mapped[VisaStatus] = mapped_column(default=VisaStatus.NOT_NEEDED)
    visa_date: Mapped[date | None]  # when the visa was requested, or granted
    insurance: Mapped[str | None] = mapped_column(Text)  # insurer and policy
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime]

    deployment: Mapped[Deployment] = relationship()

    def __repr__(self) -> str:
        return f"<MissionLogistics deployment={self.deployment_id}>"


class ChecklistItem(Provenance, Base):
    """One thing to settle before departure; an open one shows as a to-do and is reminded of."""

    __tablename__ = "mission_checklist_items"
    __audit__ = Tracked("deployment", "text", parent_fk="deployment_id", part="checklist_item",
                        include=("text", "done_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    done_at: Mapped[datetime | None] = mapped_column(index=True)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<ChecklistItem {self.id} deployment={self.deployment_id}>"


class LetterAcceptance(Base):
    """The expert accepted one version of their letter of assignment (the hash of its content)."""

    __tablename__ = "letter_acceptances"
    __audit__ = Tracked("deployment", None, parent_fk="deployment_id", part="letter_acceptance",
                        include=("version", "language", "accepted_at"))
    __table_args__ = (UniqueConstraint("deployment_id", "version", name="uq_letter_acceptances_deployment_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(64))  # sha256 of the letter's content
    language: Mapped[str] = mapped_column(String(8))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    accepted_at: Mapped[datetime]

    accepted_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<LetterAcceptance deployment={self.deployment_id} {self.version[:8]}>"


class AssignmentLetter(Base):
    """The current version of a deployment's letter of assignment, kept from its first acceptance on.

    Written when the expert first accepts, and again whenever data the letter shows change (letters.py keeps
    it in step as a transaction commits): while it is not among the versions accepted, the expert is asked
    to accept the updated letter (a to-do, and a notice when it changes)."""

    __tablename__ = "assignment_letters"
    __audit__ = Tracked("deployment", None, parent_fk="deployment_id", part="assignment_letter",
                        include=("version", "language"))

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), unique=True)
    version: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the letter's content now
    language: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<AssignmentLetter deployment={self.deployment_id} {self.version[:8]}>"


class ExpenseClaim(Provenance, Base):
    """What the expert spent on a mission and asks back; the officer approves or returns it."""

    __tablename__ = "expense_claims"
    __audit__ = Tracked("expense_claim", None, include=("deployment_id", "status", "approved_eur", "return_reason"))
    __table_args__ = (
        CheckConstraint("status != 'returned' OR return_reason IS NOT NULL", name="returned_has_reason"),
        CheckConstraint("status != 'approved' OR approved_eur IS NOT NULL", name="approved_has_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    status: Mapped[ClaimStatus] = mapped_column(index=True, default=ClaimStatus.DRAFT)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    return_reason: Mapped[str | None] = mapped_column(Text)
    approved_eur: Mapped[Decimal | None] = mapped_column(Money())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    deployment: Mapped[Deployment] = relationship()
    items: Mapped[list[ClaimItem]] = relationship(back_populates="claim", order_by="ClaimItem.id",
                                                  cascade="all, delete-orphan")
    transitions: Mapped[list[ClaimTransition]] = relationship(back_populates="claim", order_by="ClaimTransition.id",
                                                              cascade="all, delete-orphan")

    @property
    def total_eur(self) -> Decimal:
        return sum((item.amount_eur for item in self.items), Decimal("0.00"))

    def __repr__(self) -> str:
        return f"<ExpenseClaim {self.id} {self.status}>"


class ClaimItem(Provenance, Base):
    """One expense: what, how much in its currency and in EUR (with the rate), and its receipt."""

    __tablename__ = "claim_items"
    __audit__ = Tracked("expense_claim", "description", parent_fk="claim_id", part="claim_item",
                        include=("description", "category", "amount", "currency", "rate", "amount_eur", "receipt_file_name"))
    __table_args__ = (
        CheckConstraint("amount > 0 AND amount_eur > 0", name="amounts_positive"),
        CheckConstraint("rate > 0", name="rate_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("expense_claims.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    category: Mapped[CostCategory] = mapped_column(default=CostCategory.TRAVEL)  # where the actual goes
    spent_on: Mapped[date | None]
    amount: Mapped[Decimal] = mapped_column(Money())  # in `currency`
    currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Rate())  # units of `currency` for one euro (1 for EUR)
    amount_eur: Mapped[Decimal] = mapped_column(Money())
    receipt_stored_name: Mapped[str | None] = mapped_column(String(80), unique=True)
    receipt_file_name: Mapped[str | None] = mapped_column(String(255))
    receipt_content_type: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime]

    claim: Mapped[ExpenseClaim] = relationship(back_populates="items")

    def __repr__(self) -> str:
        return f"<ClaimItem {self.id} {self.amount} {self.currency}>"


class ClaimTransition(Base):
    __tablename__ = "claim_transitions"
    __audit_transition__ = AuditedTransition("expense_claim", "claim_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("expense_claims.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime]
    from_status: Mapped[ClaimStatus | None]
    to_status: Mapped[ClaimStatus]
    reason: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[ExpenseClaim] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()
