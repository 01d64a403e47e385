"""Choices for select fields, localised for the reader: country and language names from CLDR, the
reference names (stored in English, marked in data.py) through the catalogues."""

from __future__ import annotations

from flask_babel import get_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.figures import remember
from ..core.forms import options
from .models import Country, Region, ThematicArea
from .services import country_name

LANGUAGES = ["es", "en", "fr", "pt", "ar", "ru"]


def locale_code() -> str:
    locale = get_locale()
    return str(locale.language) if locale else "en"


# Each list is remembered per language until the reference data changes (workflow.core.figures): every list page's
# filters name them, and the countries' names and their order are worked out from CLDR for 250 countries.

def theme_choices(session: Session) -> list[tuple[int, str]]:
    return list(remember(session, ("choices.theme", locale_code()), lambda: tuple(
        (a.id, gettext(a.name)) for a in session.scalars(select(ThematicArea).order_by(ThematicArea.position))),
        told=False))


def theme_code_choices(session: Session) -> list[tuple[str, str]]:
    return list(remember(session, ("choices.theme_code", locale_code()), lambda: tuple(
        (a.code, gettext(a.name)) for a in session.scalars(select(ThematicArea).order_by(ThematicArea.position))),
        told=False))


def region_choices(session: Session) -> list[tuple[str, str]]:
    return list(remember(session, ("choices.region", locale_code()), lambda: tuple(
        (r.code, gettext(r.name)) for r in session.scalars(select(Region).order_by(Region.position))), told=False))


def country_choices(session: Session) -> list[tuple[str, str]]:
    loc = locale_code()

    def named() -> tuple[tuple[str, str], ...]:
        codes = session.scalars(select(Country.code))
        return tuple(sorted(((code, country_name(code, loc)) for code in codes), key=lambda pair: pair[1]))

    return list(remember(session, ("choices.country", loc), named, told=False))


def language_choices() -> list[tuple[str, str]]:
    from babel import Locale

    names = Locale.parse(locale_code()).languages
    return [(code, names.get(code, code)) for code in LANGUAGES]


def filter_choices(session: Session, *names: str) -> dict[str, list]:
    """The choices of the usual list filters named (region, country, theme), each led by its "any" option."""
    found = {
        "region": lambda: options(region_choices(session), empty=gettext("Any region")),
        "country": lambda: options(country_choices(session), empty=gettext("Any country")),
        "theme": lambda: options(theme_code_choices(session), empty=gettext("Any thematic area")),
    }
    return {name: found[name]() for name in names}
