"""Plan templates: the activities of an Action kept as kinds, relative timing, places, languages and slots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..actions.models import Action
from ..activities.lifecycle import ActivityKind
from ..activities.models import SlotRole
from ..core.auditing import Tracked
from ..database import Base
from ..reference.models import Country, ThematicArea
from .schedule import Timing


class PlanTemplate(Base):
    """An Action's activity plan saved under a name, to start another Action (or activity) from it."""

    __tablename__ = "plan_templates"
    __audit__ = Tracked("plan_template", "name", include=("name", "description", "source_action_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    # The source's results framework without its values: the objective, the expected results and their
    # indicators (title, unit, impact area, means of verification). None: saved without one.
    results_structure: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    # The Action the plan was saved from; the template outlives it.
    source_action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(index=True)

    source_action: Mapped[Action | None] = relationship()
    created_by: Mapped[User] = relationship()
    items: Mapped[list[PlanTemplateItem]] = relationship(
        back_populates="template", order_by="PlanTemplateItem.position", cascade="all, delete-orphan"
    )

    @property
    def span_days(self) -> int:
        """How many days the plan covers, from its anchor to the end of its last activity."""
        return max((i.offset_days + i.duration_days for i in self.items), default=0)


class PlanTemplateItem(Base):
    """One activity of a plan: what it is and when it falls, counted in days from the plan's anchor."""

    __tablename__ = "plan_template_items"
    __table_args__ = (
        CheckConstraint("offset_days >= 0", name="offset_not_negative"),
        CheckConstraint("duration_days >= 1", name="lasts_a_day_or_more"),
        CheckConstraint("is_remote OR (city IS NOT NULL AND country_code IS NOT NULL)", name="place_or_remote"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("plan_templates.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]  # order in the plan (by start, then as the source listed them)
    kind: Mapped[ActivityKind]
    title: Mapped[str] = mapped_column(String(200))
    # Days from the plan's anchor (the earliest start of the source's activities) to this activity's start.
    offset_days: Mapped[int]
    duration_days: Mapped[int]  # from start to end, both counted: 1 for a one-day activity
    is_remote: Mapped[bool] = mapped_column(default=False)
    city: Mapped[str | None] = mapped_column(String(120))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"), index=True)
    languages: Mapped[list[str]] = mapped_column(default=list)  # ISO 639-1 codes

    template: Mapped[PlanTemplate] = relationship(back_populates="items")
    country: Mapped[Country | None] = relationship()
    slots: Mapped[list[PlanTemplateSlot]] = relationship(
        back_populates="item", order_by="PlanTemplateSlot.id", cascade="all, delete-orphan"
    )

    @property
    def timing(self) -> Timing:
        return Timing(self.offset_days, self.duration_days)


class PlanTemplateSlot(Base):
    """An expert slot of a plan's activity: as many places, in that role, theme and language."""

    __tablename__ = "plan_template_slots"
    __table_args__ = (CheckConstraint("places BETWEEN 1 AND 50", name="places_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_template_items.id", ondelete="CASCADE"), index=True)
    role: Mapped[SlotRole]
    thematic_area_id: Mapped[int] = mapped_column(ForeignKey("thematic_areas.id"), index=True)
    language: Mapped[str] = mapped_column(String(8))  # ISO 639-1
    places: Mapped[int] = mapped_column(default=1)

    item: Mapped[PlanTemplateItem] = relationship(back_populates="slots")
    thematic_area: Mapped[ThematicArea] = relationship()
