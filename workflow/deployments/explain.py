"""The matching engine's refusals and score reasons in the reader's language.

The engine is pure and explains itself in English (for logs, the API and the CLI), and also in
facts: a sentence key and the codes, numbers and dates it names. Here those facts become
sentences through the translation catalogue, with names and dates from CLDR in the reader's locale.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from babel.numbers import format_decimal

from ..core.dates import period
from ..core.i18n import _, ngettext
from ..core.labels import label
from ..experts.models import ExpertStatus
from ..matching.facts import ScorePart, Violation
from ..matching.names import format_points
from ..reference.choices import locale_code
from ..reference.data import REGIONS, THEMES
from ..reference.services import country_name

_REGIONS = {code: name for code, name, _members in REGIONS}
_THEMES = {code: name for code, name, _topics in THEMES}


def _language(code: str) -> str:
    from babel import Locale

    return Locale.parse(locale_code()).languages.get(code, code)


def _country(code: str | None) -> str:
    return country_name(code, locale_code()) if code else ""


def _region(code: str | None) -> str:
    return _(_REGIONS[code]) if code in _REGIONS else (code or "")


def _theme(code: str) -> str:
    return _(_THEMES[code]) if code in _THEMES else code


def _booking(data: dict[str, Any]) -> str:
    dates = period(data["start"], data["end"])  # works outside a request too (the CLI, the scheduler)
    return f"{data['label']}, {dates}" if data.get("label") else dates


def _travel(key: str) -> str:
    return {
        "both": _("counting a travel day each side"),
        "slot": _("counting this slot's travel days"),
        "other": _("counting that activity's travel days"),
    }.get(key, "")


def violation_text(violation: Violation) -> str:
    data = dict(violation.data)
    rule = violation.rule
    if rule == "status":
        status = data["status"]
        shown = label(ExpertStatus(status)) if status in ExpertStatus._value2member_map_ else status
        return _("Status is %(status)s: only approved or active experts can be matched.", status=shown)
    if rule == "conflict_of_interest":
        return _("Conflict of interest: employed by a beneficiary institution of this Action.")
    if rule == "language":
        names = ", ".join(_language(code) for code in data["languages"])
        return _("Speaks none of %(languages)s at working level (B2 or above).", languages=names)
    if rule == "day_cap":
        if data.get("slot_days"):  # the slot spans two calendar years: this is its part in one of them
            return _("Above the yearly day cap: cap of %(cap)s days in %(year)s: %(booked)s booked + %(days)s of "
                     "this slot's %(slot_days)s days that fall in %(year)s = %(total)s.", **data)
        return _("Above the yearly day cap: cap of %(cap)s days in %(year)s: %(booked)s booked + %(days)s for this "
                 "slot = %(total)s.", **data)
    if rule in ("overlap", "unavailable"):
        travel = _travel(data["travel"])
        what = _booking(data)
        if rule == "overlap":
            if travel:
                return _("Overlaps with %(what)s, %(travel)s.", what=what, travel=travel)
            return _("Overlaps with %(what)s.", what=what)
        if travel:
            return _("Inside a declared unavailable period (%(what)s), %(travel)s.", what=what, travel=travel)
        return _("Inside a declared unavailable period (%(what)s).", what=what)
    return violation.message


def violations_text(violations: Iterable[Violation]) -> str:
    return " ".join(violation_text(v) for v in violations)


def reason_text(part: ScorePart) -> str:
    """The reason for one part of the score, with its points."""
    data = dict(part.data)
    key = part.key
    if key == "thematic.none":
        text = _("No expertise in %(area)s", area=_theme(data["theme"]))
    elif key == "thematic.level":
        text = _("Expertise in %(area)s at level %(level)s", area=_theme(data["theme"]), level=data["level"])
    elif key == "language.slot":
        text = _("%(language)s at %(level)s, the slot's language", language=_language(data["language"]),
                 level=data["level"])
    elif key == "language.other":
        text = _("Works in %(other)s, another language of the activity, but not in %(language)s",
                 other=_language(data["other"]), language=_language(data["language"]))
    elif key == "language.none":
        text = _("Speaks none of the activity's languages at working level")
    elif key == "regional.country":
        text = _("Has worked in %(place)s", place=_country(data["country"]))
    elif key == "regional.region":
        if data.get("country"):
            text = _("Has worked in %(region)s, though not in %(country)s", region=_region(data["region"]),
                     country=_country(data["country"]))
        else:
            text = _("Has worked in %(place)s", place=_region(data["region"]))
    elif key == "regional.unknown":
        text = _("The slot names no country or region")
    elif key == "regional.none":
        country, region = _country(data.get("country")), _region(data.get("region"))
        if country and region:
            text = _("No work experience in %(country)s or %(region)s", country=country, region=region)
        else:
            text = _("No work experience in %(place)s", place=country or region)
    elif key == "continuity.yes":
        text = _("Deployed on this Action before")
    elif key == "continuity.no":
        text = _("Not deployed on this Action before")
    elif key == "seniority":
        text = ngettext("%(num)s year of experience", "%(num)s years of experience", data["years"])
        if data.get("cap"):
            text = _("%(text)s, counted up to %(cap)s", text=text, cap=data["cap"])
    elif key == "load.none":
        text = _("No deployments in the last 12 months")
    elif key == "load.some":
        text = ngettext("%(num)s deployment in the last 12 months", "%(num)s deployments in the last 12 months",
                        data["count"])
        if data.get("cap"):
            text = _("%(text)s, counted up to %(cap)s", text=text, cap=data["cap"])
    elif key == "rating":
        text = ngettext("Rated %(rating)s of 5 (%(num)s rating)", "Rated %(rating)s of 5 (%(num)s ratings)",
                        data["count"], rating=format_decimal(data["rating"], "0.0", locale=locale_code()))
    else:
        return part.reason
    return f"{text} ({format_points(part.points)})"
