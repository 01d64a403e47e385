"""Reference data: loading it (idempotently) and naming countries in the reader's language."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from .data import EU_MEMBER_STATES, NOT_COUNTRIES, REGIONS, THEMES
from .models import Country, Region, SubTopic, ThematicArea


def iso_country_codes() -> list[str]:
    """Every ISO 3166 alpha-2 code CLDR names."""
    return sorted(
        code for code in Locale("en").territories if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    )


@lru_cache(maxsize=8)
def _territories(locale: str) -> dict[str, str]:
    return dict(Locale.parse(locale).territories)


def country_name(code: str | None, locale: str = "en") -> str:
    """The country's name in `locale` from CLDR (the code itself if CLDR has none)."""
    if not code:
        return ""
    return _territories(locale).get(code, code)


def ensure_reference_data(session: Session) -> None:
    """Insert the regions, countries and thematic areas that are missing; change nothing else."""
    regions = {r.code: r for r in session.scalars(select(Region))}
    for position, (code, name, _members) in enumerate(REGIONS):
        if code not in regions:
            regions[code] = Region(code=code, name=name, position=position)
            session.add(regions[code])
    session.flush()

    region_of = {iso: regions[code].id for code, _name, members in REGIONS for iso in members.split()}
    known = set(session.scalars(select(Country.code)))
    for iso in iso_country_codes():
        if iso not in known:
            session.add(Country(code=iso, region_id=region_of.get(iso), is_eu_member=iso in EU_MEMBER_STATES))

    areas = {a.code: a for a in session.scalars(select(ThematicArea))}
    topics = set(session.scalars(select(SubTopic.code)))
    for position, (code, name, subtopics) in enumerate(THEMES):
        area = areas.get(code)
        if area is None:
            area = areas[code] = ThematicArea(code=code, name=name, position=position)
            session.add(area)
        for sub_position, (sub_code, sub_name) in enumerate(subtopics):
            if sub_code not in topics:
                area.subtopics.append(SubTopic(code=sub_code, name=sub_name, position=sub_position))
    session.flush()
