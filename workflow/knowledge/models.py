"""Knowledge-sharing events across Actions, who took part in them, and the good practices drawn from the work."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..actions.models import Action
from ..activities.models import Activity, Deliverable
from ..core.auditing import Tracked, key_of
from ..core.models import Provenance
from ..core.search import Searchable
from ..database import Base
from ..reference.models import Country, Region, ThematicArea
from ..results.models import Evidence, Indicator
from .lifecycle import EventDocumentKind, PracticeStatus

# The portfolio figures (dashboard, public catalogue) count these tables: a change re-counts them.
__portfolio__ = True

# The Actions an event reviews, and the Actions and deliverables a practice comes from (plain link tables).
event_actions = Table(
    "knowledge_event_actions", Base.metadata,
    Column("event_id", ForeignKey("knowledge_events.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True, index=True),
)
practice_actions = Table(
    "practice_actions", Base.metadata,
    Column("practice_id", ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True, index=True),
)
# Evidence: the deliverables that show the practice worked, and the indicators of the source Actions' results
# frameworks that measure it. An indicator a practice cites cannot be removed (workflow/results/services.py).
practice_deliverables = Table(
    "practice_deliverables", Base.metadata,
    Column("practice_id", ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
    Column("deliverable_id", ForeignKey("deliverables.id", ondelete="CASCADE"), primary_key=True, index=True),
)
practice_indicators = Table(
    "practice_indicators", Base.metadata,
    Column("practice_id", ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class KnowledgeEvent(Provenance, Searchable, Base):
    """A programme-level event (a regional round-table …) that brings together several Actions' beneficiaries,
    experts and partners. Counted apart from the Actions' own activities."""

    __tablename__ = "knowledge_events"
    __audit__ = Tracked("knowledge_event", "title", collections={"actions": key_of})
    __search_fields__ = ("title", "host_institution", "city")
    __table_args__ = (CheckConstraint("end_date >= start_date", name="end_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    thematic_area_id: Mapped[int | None] = mapped_column(ForeignKey("thematic_areas.id"), index=True)
    theme: Mapped[str | None] = mapped_column(String(300))  # the event's own words for its theme
    host_institution: Mapped[str] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"), index=True)
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date]
    summary: Mapped[str | None] = mapped_column(Text)
    # Staffing: experts are invited and confirmed on this activity (a round-table on a running Action the event
    # reviews), through the same slots, invitations and hard rules as any activity. Not counted as the Action's.
    staffing_activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"),
                                                             unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    region: Mapped[Region | None] = relationship()
    staffing_activity: Mapped[Activity | None] = relationship()
    thematic_area: Mapped[ThematicArea | None] = relationship()
    country: Mapped[Country | None] = relationship()
    created_by: Mapped[User] = relationship()
    actions: Mapped[list[Action]] = relationship(secondary=event_actions, order_by="Action.id")
    participants: Mapped[list[EventParticipants]] = relationship(
        back_populates="event", order_by="EventParticipants.id", cascade="all, delete-orphan")
    documents: Mapped[list[EventDocument]] = relationship(
        back_populates="event", order_by="(EventDocument.uploaded_at, EventDocument.id)",
        cascade="all, delete-orphan", passive_deletes=True)

    @property
    def participant_total(self) -> int:
        return sum(group.total for group in self.participants)

    @property
    def current_documents(self) -> list[EventDocument]:
        """Its documents but the removed ones, oldest first."""
        return [d for d in self.documents if d.removed_at is None]

    def __repr__(self) -> str:
        return f"<KnowledgeEvent id={self.id!r} title={self.title!r}>"


class EventDocument(Evidence, Provenance, Base):
    """A document of an event (its agenda, report, a presentation): a file typed from its content, or a link.

    Removing one takes a reason: the row stays as the history of what was there and why it went; the file itself
    is deleted (it may be what was wrong with it)."""

    __tablename__ = "knowledge_event_documents"
    __audit__ = Tracked("knowledge_event", "title", parent_fk="event_id", part="document",
                        include=("kind", "title", "url", "file_name", "content_type", "size_bytes", "removed_at",
                                 "removal_reason"))
    # A file or a link while it is there; once removed, the file is deleted and the row keeps its name.
    __table_args__ = (CheckConstraint("url IS NOT NULL OR stored_name IS NOT NULL OR removed_at IS NOT NULL "
                                      "OR invented", name="file_or_link"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("knowledge_events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EventDocumentKind]
    title: Mapped[str] = mapped_column(String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    uploaded_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]
    removal_reason: Mapped[str | None] = mapped_column(Text)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    event: Mapped[KnowledgeEvent] = relationship(back_populates="documents")
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])

    def __repr__(self) -> str:
        return f"<EventDocument id={self.id!r} event_id={self.event_id!r} kind={self.kind!r}>"


class EventParticipants(Provenance, Base):
    """Who came to an event from one country and institution, counted by gender (no names are kept)."""

    __tablename__ = "knowledge_event_participants"
    __audit__ = Tracked("knowledge_event", "institution", parent_fk="event_id", part="participants")
    __table_args__ = (
        CheckConstraint("female >= 0 AND male >= 0 AND other >= 0", name="counts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("knowledge_events.id", ondelete="CASCADE"), index=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    institution: Mapped[str | None] = mapped_column(String(300))
    female: Mapped[int] = mapped_column(default=0)
    male: Mapped[int] = mapped_column(default=0)
    other: Mapped[int] = mapped_column(default=0)  # other or undisclosed gender

    event: Mapped[KnowledgeEvent] = relationship(back_populates="participants")
    country: Mapped[Country] = relationship()

    @property
    def total(self) -> int:
        return (self.female or 0) + (self.male or 0) + (self.other or 0)


class Practice(Provenance, Searchable, Base):
    """A good practice: what worked, where it came from, the evidence, and the conditions that made it work."""

    __tablename__ = "practices"
    __audit__ = Tracked("practice", "title", collections={"actions": key_of, "deliverables": key_of,
                                                          "indicators": key_of})
    __search_fields__ = ("title", "description", "conditions")
    __table_args__ = (
        CheckConstraint("status != 'published' OR published_at IS NOT NULL", name="published_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    conditions: Mapped[str | None] = mapped_column(Text)  # the conditions that made it work
    thematic_area_id: Mapped[int | None] = mapped_column(ForeignKey("thematic_areas.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("knowledge_events.id", ondelete="SET NULL"), index=True)
    impact_areas: Mapped[list[str]] = mapped_column(default=list)  # ImpactArea values, one or more
    status: Mapped[PracticeStatus] = mapped_column(index=True, default=PracticeStatus.DRAFT)
    published_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    thematic_area: Mapped[ThematicArea | None] = relationship()
    region: Mapped[Region | None] = relationship()
    event: Mapped[KnowledgeEvent | None] = relationship()
    created_by: Mapped[User] = relationship()
    actions: Mapped[list[Action]] = relationship(secondary=practice_actions, order_by="Action.id")
    deliverables: Mapped[list[Deliverable]] = relationship(secondary=practice_deliverables,
                                                           order_by="Deliverable.id")
    indicators: Mapped[list[Indicator]] = relationship(secondary=practice_indicators, order_by="Indicator.id")

    def __repr__(self) -> str:
        return f"<Practice id={self.id!r} title={self.title!r} status={self.status!r}>"
