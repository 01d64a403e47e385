"""Activities of an Action, their expert slots, history and deliverables."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..actions.models import Action
from ..core.auditing import AuditedTransition, Tracked
from ..core.models import Provenance
from ..core.search import Searchable
from ..database import Base
from ..reference.models import Country, ThematicArea
from .lifecycle import ActivityKind, ActivityStatus

# The portfolio figures are made of these tables: a change to any row re-counts them (core/figures.py).
__portfolio__ = True


class Activity(Provenance, Searchable, Base):
    __tablename__ = "activities"
    __audit__ = Tracked("activity", "title", on_create={"slots": lambda slot: slot.audited()})
    __search_fields__ = ("title",)  # what its search box matches
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="end_after_start"),
        CheckConstraint("is_remote OR (city IS NOT NULL AND country_code IS NOT NULL)", name="place_or_remote"),
        CheckConstraint(
            "(participants_female IS NULL OR participants_female >= 0) "
            "AND (participants_male IS NULL OR participants_male >= 0) "
            "AND (participants_other IS NULL OR participants_other >= 0)",
            name="participants_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ActivityKind] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"), index=True)
    is_remote: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date]
    languages: Mapped[list[str]] = mapped_column(default=list)  # ISO 639-1 codes
    status: Mapped[ActivityStatus] = mapped_column(index=True, default=ActivityStatus.PLANNED)
    participants_female: Mapped[int | None]
    participants_male: Mapped[int | None]
    participants_other: Mapped[int | None]  # other or undisclosed gender
    participant_institutions: Mapped[str | None] = mapped_column(Text)  # institutions represented
    report: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    action: Mapped[Action] = relationship(back_populates="activities")
    country: Mapped[Country | None] = relationship()
    # The slots in use: a removed slot that keeps the history of its deployments stays out of the list.
    # No delete-orphan: slots are added, changed and removed one by one (services.add_slot …), never by
    # replacing the list, which would take the deployments on them along.
    slots: Mapped[list[ExpertSlot]] = relationship(
        back_populates="activity", order_by="ExpertSlot.id", cascade="save-update, merge, delete",
        primaryjoin="and_(Activity.id == ExpertSlot.activity_id, ExpertSlot.removed_at.is_(None))",
    )
    transitions: Mapped[list[ActivityTransition]] = relationship(
        back_populates="activity", order_by="ActivityTransition.id", cascade="all, delete-orphan"
    )

    @property
    def participants(self) -> int | None:
        counts = (self.participants_female, self.participants_male, self.participants_other)
        return None if all(c is None for c in counts) else sum(c or 0 for c in counts)


class ActivityTransition(Base):
    __tablename__ = "activity_transitions"
    __audit_transition__ = AuditedTransition("activity", "activity_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime]
    from_status: Mapped[ActivityStatus | None]
    to_status: Mapped[ActivityStatus]
    reason: Mapped[str | None] = mapped_column(Text)
    # The dates before a postponement, so the history keeps them.
    previous_start: Mapped[date | None]
    previous_end: Mapped[date | None]

    activity: Mapped[Activity] = relationship(back_populates="transitions")
    actor: Mapped[User] = relationship()


class SlotRole(StrEnum):
    LEAD_EXPERT = "lead_expert"
    EXPERT = "expert"
    TRAINER = "trainer"


class ExpertSlot(Base):
    """A place for experts on an activity: how many, in which role, with what theme and language."""

    __tablename__ = "expert_slots"
    # Each slot in its activity's history, added, changed or removed one by one (as it is edited).
    __audit__ = Tracked("activity", None, include=("role", "thematic_area_id", "language", "places", "removed_at"),
                        parent_fk="activity_id", part="expert_slot",
                        describe=("slot", lambda slot: slot.audited()), edited_with="activity")
    __table_args__ = (CheckConstraint("places BETWEEN 1 AND 50", name="places_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    role: Mapped[SlotRole]
    thematic_area_id: Mapped[int] = mapped_column(ForeignKey("thematic_areas.id"), index=True)
    language: Mapped[str] = mapped_column(String(8))  # ISO 639-1
    places: Mapped[int] = mapped_column(default=1)
    # Set when the slot is removed while deployments (cancelled, declined …) keep their history on it.
    removed_at: Mapped[datetime | None]

    activity: Mapped[Activity] = relationship(back_populates="slots")
    thematic_area: Mapped[ThematicArea] = relationship()

    def audited(self) -> dict[str, object]:
        """What the audit trail says of this slot, which has no name: what it is."""
        return {"role": self.role.value if self.role else None, "thematic_area_id": self.thematic_area_id,
                "language": self.language, "places": self.places}


class DeliverableKind(StrEnum):
    HANDBOOK = "handbook"
    MANUAL = "manual"
    TRAINING_CURRICULUM = "training_curriculum"
    NATIONAL_PLAN = "national_plan"
    PROTOCOL = "protocol"
    GUIDELINES = "guidelines"
    STUDY = "study"
    E_LEARNING_MODULE = "e_learning_module"
    STRATEGY = "strategy"
    LAW_DRAFT = "law_draft"  # a draft law or regulation


# The policy deliverables, followed after the Action closes until they are adopted and implemented.
POLICY_DELIVERABLE_KINDS = frozenset({
    DeliverableKind.NATIONAL_PLAN, DeliverableKind.PROTOCOL, DeliverableKind.STRATEGY,
    DeliverableKind.TRAINING_CURRICULUM, DeliverableKind.LAW_DRAFT, DeliverableKind.GUIDELINES,
})


class Deliverable(Provenance, Base):
    __tablename__ = "deliverables"
    __audit__ = Tracked("action", "title", parent_fk="action_id", part="deliverable")
    __table_args__ = (
        CheckConstraint("url IS NOT NULL OR stored_name IS NOT NULL OR is_demo", name="file_or_link"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"), index=True)
    kind: Mapped[DeliverableKind]
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(8))
    issued_on: Mapped[date | None]
    url: Mapped[str | None] = mapped_column(String(500))
    # The uploaded file: kept under UPLOAD_DIR as `stored_name`, served only through an access check.
    stored_name: Mapped[str | None] = mapped_column(String(80), unique=True)
    file_name: Mapped[str | None] = mapped_column(String(255))  # the name it was uploaded with
    content_type: Mapped[str | None] = mapped_column(String(120))
    size_bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    # Demo deliverables describe real documents the demo does not ship.
    is_demo: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]

    action: Mapped[Action] = relationship(back_populates="deliverables")
    activity: Mapped[Activity | None] = relationship()
    uploaded_by: Mapped[User] = relationship()
