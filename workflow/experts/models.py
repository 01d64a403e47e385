"""The expert roster (the full roster, matching and deployments come later)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import Base
from ..reference.models import Country, Institution, ThematicArea


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


class Expert(Base):
    __tablename__ = "experts"

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
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]

    institution: Mapped[Institution | None] = relationship()
    country: Mapped[Country] = relationship(foreign_keys=[country_code])
    user: Mapped[User | None] = relationship()
    languages: Mapped[list[ExpertLanguage]] = relationship(
        back_populates="expert", order_by="ExpertLanguage.language", cascade="all, delete-orphan"
    )
    themes: Mapped[list[ExpertTheme]] = relationship(back_populates="expert", cascade="all, delete-orphan")


CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


class ExpertLanguage(Base):
    __tablename__ = "expert_languages"

    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)  # ISO 639-1
    level: Mapped[str] = mapped_column(String(2))  # CEFR; B2 and above is a working language

    expert: Mapped[Expert] = relationship(back_populates="languages")


class ExpertTheme(Base):
    __tablename__ = "expert_themes"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 3", name="level_1_to_3"),)

    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)
    thematic_area_id: Mapped[int] = mapped_column(ForeignKey("thematic_areas.id"), primary_key=True, index=True)
    level: Mapped[int]

    expert: Mapped[Expert] = relationship(back_populates="themes")
    thematic_area: Mapped[ThematicArea] = relationship()
