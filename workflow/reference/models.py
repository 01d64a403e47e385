"""Reference data: regions, countries, thematic areas with sub-topics, institutions."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.search import Searchable
from ..database import Base

# The portfolio figures are made of these tables: a change to any row re-counts them (core/figures.py).
__portfolio__ = True


class Region(Base):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))  # English; templates translate it
    position: Mapped[int] = mapped_column(default=0)

    countries: Mapped[list[Country]] = relationship(back_populates="region")


class Country(Base):
    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)  # ISO 3166-1 alpha-2
    # Member states of the EU belong to no partner region.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    is_eu_member: Mapped[bool] = mapped_column(default=False)

    region: Mapped[Region | None] = relationship(back_populates="countries")


class ThematicArea(Base):
    __tablename__ = "thematic_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(default=0)

    subtopics: Mapped[list[SubTopic]] = relationship(
        back_populates="area", order_by="SubTopic.position", cascade="all, delete-orphan"
    )


class SubTopic(Base):
    __tablename__ = "subtopics"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("thematic_areas.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(default=0)

    area: Mapped[ThematicArea] = relationship(back_populates="subtopics")


class InstitutionKind(StrEnum):
    PARTNER_ADMINISTRATION = "partner_administration"
    MS_ADMINISTRATION = "ms_administration"
    REGIONAL_ORGANISATION = "regional_organisation"
    ACADEMIA = "academia"
    NGO = "ngo"
    INTERNATIONAL_ORGANISATION = "international_organisation"


class Institution(Searchable, Base):
    __tablename__ = "institutions"
    __search_fields__ = ("name", "acronym")  # what its search box matches
    __table_args__ = (UniqueConstraint("name", "country_code", name="uq_institutions_name_country"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    acronym: Mapped[str | None] = mapped_column(String(40))
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    kind: Mapped[InstitutionKind] = mapped_column(index=True)
    # The regional organisation whose series of Actions this institution's requests continue ("SICA" for its
    # secretariat SG-SICA or its parliament PARLACEN); empty for everyone else. See workflow/actions/naming.py.
    organisation: Mapped[str | None] = mapped_column(String(60))

    country: Mapped[Country] = relationship()

    @property
    def label(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name
