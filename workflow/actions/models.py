"""Actions, their beneficiaries, their transition history and their final report."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..activities.lifecycle import ActivityStatus
from ..core.auditing import AuditedTransition, Tracked, key_of
from ..core.models import Provenance
from ..core.search import Searchable
from ..database import Base
from ..reference.models import Country, Institution, Region, SubTopic, ThematicArea
from .lifecycle import ActionStatus

if TYPE_CHECKING:
    from ..activities.models import Activity, Deliverable
    from ..requests.models import Request

# The portfolio figures are made of these tables: a change to any row re-counts them (core/figures.py).
__portfolio__ = True


action_beneficiaries = Table(
    "action_beneficiaries",
    Base.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("institution_id", ForeignKey("institutions.id"), primary_key=True, index=True),
)

# The administrations the Action's experts came from ("experts from the Spanish and Portuguese
# national administrations"), kept apart from individual deployments.
action_expert_institutions = Table(
    "action_expert_institutions",
    Base.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("institution_id", ForeignKey("institutions.id"), primary_key=True, index=True),
)

action_subtopics = Table(
    "action_subtopics",
    Base.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("subtopic_id", ForeignKey("subtopics.id"), primary_key=True, index=True),
)


# The member countries of a regional Action ("SICA": Belize, Costa Rica, …): the public map lists a
# regional Action under each of them.
action_countries = Table(
    "action_countries",
    Base.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("country_code", ForeignKey("countries.code"), primary_key=True, index=True),
)


class Action(Provenance, Searchable, Base):
    __tablename__ = "actions"
    __audit__ = Tracked("action", "name", collections={
        "beneficiaries": key_of, "expert_institutions": key_of, "subtopics": key_of, "member_countries": key_of})
    __search_fields__ = ("name", "title")  # what its search box matches
    __table_args__ = (
        CheckConstraint(
            "(status = 'suspended') = (status_before_suspension IS NOT NULL)", name="suspended_remembers_state"
        ),
        CheckConstraint("planned_end IS NULL OR planned_end >= planned_start", name="end_after_start"),
        CheckConstraint("is_regional OR country_code IS NOT NULL", name="national_has_country"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)  # "Costa Rica V", "SICA"
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), unique=True)
    # The beneficiary country; None for a regional Action.
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    is_regional: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(200))
    thematic_area_id: Mapped[int] = mapped_column(ForeignKey("thematic_areas.id"), index=True)
    objective: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    planned_start: Mapped[date] = mapped_column(index=True)
    planned_end: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[ActionStatus] = mapped_column(index=True, default=ActionStatus.ACCEPTED)
    status_before_suspension: Mapped[ActionStatus | None]
    # Why implementation may start without an assessment mission, when it does.
    assessment_waiver: Mapped[str | None] = mapped_column(Text)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The secret part of the Action's calendar feed URL; replacing it revokes the old URL.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Shown in the public catalogue and on the map once staff publish it.
    published: Mapped[bool] = mapped_column(default=False, index=True)
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    request: Mapped[Request | None] = relationship(back_populates="action")
    country: Mapped[Country | None] = relationship()
    region: Mapped[Region] = relationship()
    thematic_area: Mapped[ThematicArea] = relationship()
    officer: Mapped[User | None] = relationship()
    beneficiaries: Mapped[list[Institution]] = relationship(secondary=action_beneficiaries, order_by=Institution.name)
    expert_institutions: Mapped[list[Institution]] = relationship(
        secondary=action_expert_institutions, order_by=Institution.name
    )
    subtopics: Mapped[list[SubTopic]] = relationship(secondary=action_subtopics, order_by=SubTopic.position)
    member_countries: Mapped[list[Country]] = relationship(secondary=action_countries, order_by=Country.code)
    translations: Mapped[list[ActionTranslation]] = relationship(
        back_populates="action", order_by="ActionTranslation.locale", cascade="all, delete-orphan"
    )
    activities: Mapped[list[Activity]] = relationship(
        back_populates="action", order_by="(Activity.start_date, Activity.id)", cascade="all, delete-orphan"
    )
    deliverables: Mapped[list[Deliverable]] = relationship(
        back_populates="action", order_by="Deliverable.id", cascade="all, delete-orphan"
    )
    transitions: Mapped[list[ActionTransition]] = relationship(
        back_populates="action", order_by="ActionTransition.id", cascade="all, delete-orphan"
    )
    final_report: Mapped[FinalReport | None] = relationship(back_populates="action", cascade="all, delete-orphan")

    @property
    def countries_covered(self) -> list[str]:
        """The countries the Action works in: its country, or a regional Action's members."""
        if not self.is_regional:
            return [self.country_code] if self.country_code else []
        if self.member_countries:
            return [country.code for country in self.member_countries]
        return sorted({institution.country_code for institution in self.beneficiaries})

    @property
    def held_activities(self) -> list[Activity]:
        """Its activities but the cancelled ones: those held, or still to be held."""
        return [a for a in self.activities if a.status is not ActivityStatus.CANCELLED]

    @property
    def held(self) -> tuple[date, date] | None:
        """When its activities actually took place: the first start and the last end of those not
        cancelled (None without any)."""
        done = self.held_activities
        if not done:
            return None
        return min(a.start_date for a in done), max(a.end_date for a in done)

    @property
    def span(self) -> tuple[date, date | None]:
        """The Action's real period: from the earlier of its planned start and its first activity to the
        later of its planned end and its last activity (None: still running). The figures count by it."""
        held = self.held
        if held is None:
            return self.planned_start, self.planned_end
        end = max(self.planned_end, held[1]) if self.planned_end else None
        return min(self.planned_start, held[0]), end

    def text(self, field: str, locale: str) -> str:
        """The title, objective or summary in `locale` where staff translated it, else as written."""
        for translation in self.translations:
            if translation.locale == locale and getattr(translation, field):
                return getattr(translation, field)
        return getattr(self, field)


class ActionTranslation(Base):
    """An Action's public texts in another language; an empty field falls back to the original."""

    __tablename__ = "action_translations"
    __audit__ = Tracked("action", None, parent_fk="action_id", part="translation")
    __table_args__ = (UniqueConstraint("action_id", "locale", name="uq_action_translations_action_locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200), default="")
    objective: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")

    action: Mapped[Action] = relationship(back_populates="translations")


class ActionTransition(Base):
    """One row of an Action's history: who moved it, when, from where to where, and why."""

    __tablename__ = "action_transitions"
    __audit_transition__ = AuditedTransition("action", "action_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime]
    from_status: Mapped[ActionStatus | None]  # None for the creation
    to_status: Mapped[ActionStatus]
    reason: Mapped[str | None] = mapped_column(Text)

    action: Mapped[Action] = relationship(back_populates="transitions")
    actor: Mapped[User] = relationship()


class FinalReport(Provenance, Base):
    __tablename__ = "final_reports"
    __audit__ = Tracked("action", None, parent_fk="action_id", part="final_report")
    __table_args__ = (
        CheckConstraint(
            "officials_trained_female >= 0 AND officials_trained_male >= 0 AND officials_trained_other >= 0 "
            "AND institutions_reached >= 0",
            name="counts_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), unique=True)
    results: Mapped[str] = mapped_column(Text)
    officials_trained_female: Mapped[int] = mapped_column(default=0)
    officials_trained_male: Mapped[int] = mapped_column(default=0)
    officials_trained_other: Mapped[int] = mapped_column(default=0)  # other or undisclosed gender
    institutions_reached: Mapped[int] = mapped_column(default=0)
    lessons_learned: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    submitted_at: Mapped[datetime]

    action: Mapped[Action] = relationship(back_populates="final_report")
    author: Mapped[User] = relationship()

    @property
    def officials_trained(self) -> int:
        return self.officials_trained_female + self.officials_trained_male + self.officials_trained_other
