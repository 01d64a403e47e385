"""The expert roster: experts, their languages, themes and countries, and their consent to be on it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.auditing import Tracked, key_of
from ..core.models import Provenance
from ..core.search import Searchable
from ..database import Base
from ..reference.models import Country, Institution, ThematicArea

# The portfolio figures are made of these tables: a change to any row re-counts them (core/figures.py).
__portfolio__ = True


class ExpertType(StrEnum):
    MS_OFFICIAL = "ms_official"
    PARTNER_PEER = "partner_peer"
    ACADEMIC = "academic"
    NGO = "ngo"
    INTERNATIONAL_ORGANISATION = "international_organisation"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class ExpertStatus(StrEnum):
    NOMINATED = "nominated"
    APPROVED = "approved"
    ACTIVE = "active"
    INACTIVE = "inactive"


# Who may be matched and deployed.
DEPLOYABLE = frozenset({ExpertStatus.APPROVED, ExpertStatus.ACTIVE})

expert_countries = Table(
    "expert_countries",
    Base.metadata,
    Column("expert_id", ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True),
    Column("country_code", ForeignKey("countries.code"), primary_key=True, index=True),
)


class Expert(Provenance, Searchable, Base):
    __tablename__ = "experts"
    __audit__ = Tracked("expert", "name", collections={
        "countries_worked": key_of, "languages": lambda row: f"{row.language}:{row.level}",
        "themes": lambda row: {"thematic_area_id": row.thematic_area_id, "level": row.level}})
    __search_fields__ = ("name",)  # what its search box matches
    __table_args__ = (
        CheckConstraint("max_days_per_year BETWEEN 0 AND 366", name="day_cap_in_range"),
        CheckConstraint("years_experience BETWEEN 0 AND 80", name="years_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    gender: Mapped[Gender]
    nationality: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    # The country whose administration the expert comes from.
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    type: Mapped[ExpertType] = mapped_column(index=True)
    years_experience: Mapped[int] = mapped_column(default=0)
    status: Mapped[ExpertStatus] = mapped_column(index=True, default=ExpertStatus.NOMINATED)
    max_days_per_year: Mapped[int] = mapped_column(default=60)  # the yearly deployment day cap
    # Data-processing consent: when given, and which version of the notice.
    consent_at: Mapped[datetime | None]
    consent_version: Mapped[str | None] = mapped_column(String(20))
    # The CV, kept under UPLOAD_DIR like deliverables.
    cv_stored_name: Mapped[str | None] = mapped_column(String(80), unique=True)
    cv_file_name: Mapped[str | None] = mapped_column(String(255))
    cv_content_type: Mapped[str | None] = mapped_column(String(120))
    # The secret part of the expert's calendar feed URL; replacing it revokes the old URL.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # When the expert asked, by the link in a call's e-mail, to receive no more calls for experts by e-mail
    # (None: calls reach them); later calls leave them out and say so.
    call_emails_stopped_at: Mapped[datetime | None]
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    institution: Mapped[Institution | None] = relationship()
    country: Mapped[Country] = relationship(foreign_keys=[country_code])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    countries_worked: Mapped[list[Country]] = relationship(secondary=expert_countries, order_by=Country.code)
    unavailable: Mapped[list[Unavailability]] = relationship(
        back_populates="expert", order_by="Unavailability.start_date", cascade="all, delete-orphan"
    )
    languages: Mapped[list[ExpertLanguage]] = relationship(
        back_populates="expert", order_by="ExpertLanguage.language", cascade="all, delete-orphan"
    )
    themes: Mapped[list[ExpertTheme]] = relationship(back_populates="expert", cascade="all, delete-orphan")


CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


class ExpertLanguage(Base):
    __tablename__ = "expert_languages"
    __audit_collection_item__ = True  # recorded in its expert's "languages"

    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)  # ISO 639-1
    level: Mapped[str] = mapped_column(String(2))  # CEFR; B2 and above is a working language

    expert: Mapped[Expert] = relationship(back_populates="languages")


class ExpertTheme(Base):
    __tablename__ = "expert_themes"
    __audit_collection_item__ = True  # recorded in its expert's "themes"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 3", name="level_1_to_3"),)

    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)
    thematic_area_id: Mapped[int] = mapped_column(ForeignKey("thematic_areas.id"), primary_key=True, index=True)
    level: Mapped[int]

    expert: Mapped[Expert] = relationship(back_populates="themes")
    thematic_area: Mapped[ThematicArea] = relationship()


class Unavailability(Base):
    """A period the expert declared they cannot be deployed."""

    __tablename__ = "expert_unavailability"
    __audit__ = Tracked("expert", None, parent_fk="expert_id", part="unavailability")
    __table_args__ = (CheckConstraint("end_date >= start_date", name="end_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date]
    reason: Mapped[str | None] = mapped_column(String(200))

    expert: Mapped[Expert] = relationship(back_populates="unavailable")


class ConsentPurpose(StrEnum):
    # Being kept on the roster and put forward for deployments.
    ROSTER = "roster"


class Consent(Base):
    """One consent, from when it was given (against a version of the notice) until it is withdrawn.

    Giving it again after a withdrawal adds a new row: the history stays readable.
    """

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint("user_id IS NOT NULL OR expert_id IS NOT NULL", name="has_subject"),
        CheckConstraint("withdrawn_at IS NULL OR withdrawn_at >= given_at", name="withdrawn_after_given"),
        # At most one open consent per expert and purpose, even when two clicks race.
        Index("uq_consents_open_expert_purpose", "expert_id", "purpose", unique=True,
              sqlite_where=text("withdrawn_at IS NULL"), postgresql_where=text("withdrawn_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The account that gave it (the expert's own), and the roster record it covers.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(index=True)
    notice_version: Mapped[str] = mapped_column(String(20))  # the privacy notice the person read
    given_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()
    expert: Mapped[Expert | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.withdrawn_at is None
