"""Deployments: an expert on an activity slot, with their history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..activities.models import Activity, ExpertSlot, SlotRole
from ..core.auditing import AuditedTransition, Tracked
from ..database import Base
from ..experts.models import Expert
from .lifecycle import DeploymentStatus

# The portfolio figures are made of these tables: a change to any row re-counts them (core/figures.py).
__portfolio__ = True


class Deployment(Base):
    __tablename__ = "deployments"
    __audit__ = Tracked("deployment", None)
    __table_args__ = (
        CheckConstraint("working_days BETWEEN 1 AND 366", name="working_days_in_range"),
        CheckConstraint("status != 'declined' OR decline_reason IS NOT NULL", name="declined_has_reason"),
        CheckConstraint("status != 'completed' OR mission_report IS NOT NULL", name="completed_has_report"),
        # One live deployment of an expert per slot; a declined or cancelled one may be followed by a new one.
        UniqueConstraint("slot_id", "expert_id", "attempt", name="uq_deployments_slot_expert_attempt"),
        # The staff's to-dos: invitations unanswered and reports overdue, the longest waiting first.
        Index("ix_deployments_status_invited_at", "status", "invited_at"),
        Index("ix_deployments_status_updated_at", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("expert_slots.id", ondelete="CASCADE"), index=True)
    # Denormalised from the slot: the lists and the overlap checks query by activity.
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id"), index=True)
    attempt: Mapped[int] = mapped_column(default=1)  # 2, 3… after a decline, expiry or cancellation
    role: Mapped[SlotRole]
    working_days: Mapped[int]
    status: Mapped[DeploymentStatus] = mapped_column(index=True, default=DeploymentStatus.PROPOSED)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    invited_at: Mapped[datetime | None] = mapped_column(index=True)
    responded_at: Mapped[datetime | None]
    release_approved_at: Mapped[datetime | None]
    release_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The focal point refused to release their official: the deployment was cancelled with this reason.
    release_refused_at: Mapped[datetime | None]
    release_refused_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    release_refusal_reason: Mapped[str | None] = mapped_column(Text)
    mission_report: Mapped[str | None] = mapped_column(Text)
    mission_report_file: Mapped[str | None] = mapped_column(String(80), unique=True)  # stored name
    mission_report_file_name: Mapped[str | None] = mapped_column(String(255))
    mission_report_at: Mapped[datetime | None]
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    slot: Mapped[ExpertSlot] = relationship()
    activity: Mapped[Activity] = relationship()
    expert: Mapped[Expert] = relationship()
    release_approved_by: Mapped[User | None] = relationship(foreign_keys=[release_approved_by_id])
    release_refused_by: Mapped[User | None] = relationship(foreign_keys=[release_refused_by_id])
    transitions: Mapped[list[DeploymentTransition]] = relationship(
        back_populates="deployment", order_by="DeploymentTransition.id", cascade="all, delete-orphan"
    )


class DeploymentTransition(Base):
    __tablename__ = "deployment_transitions"
    __audit_transition__ = AuditedTransition("deployment", "deployment_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime]
    from_status: Mapped[DeploymentStatus | None]
    to_status: Mapped[DeploymentStatus]
    reason: Mapped[str | None] = mapped_column(Text)

    deployment: Mapped[Deployment] = relationship(back_populates="transitions")
    actor: Mapped[User] = relationship()


class RosterChange(Base):
    """An expert whose matching facts changed (profile, languages, bookings …), written by a session hook in
    the same transaction as the change: each web process's cached candidate pool reloads just those experts.

    No foreign key: the row must outlive an erased expert, whom the pool then drops."""

    __tablename__ = "roster_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(index=True)
    # Random: a rolled-back change whose id is reused (SQLite) is told apart from the one cached.
    nonce: Mapped[int]
    changed_at: Mapped[datetime] = mapped_column(index=True)
