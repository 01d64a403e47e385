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
from ..matching.names import format_period, format_points
from ..reference.choices import locale_code
from ..reference.data import REGIONS, THEMES
from ..reference.services import country_name

_REGIONS = {code: name for code, name, _members in REGIONS}
_THEMES = {code: name for code, name, _topics in THEMES}


def language_name(code: str) -> str:
    """A language named in the reader's language (CLDR)."""
    from babel import Locale

    return Locale.parse(locale_code()).languages.get(code, code)


def _country(code: str | None) -> str:
    return country_name(code, locale_code()) if code else ""


def _region(code: str | None) -> str:
    return _(_REGIONS[code]) if code in _REGIONS else (code or "")


def _theme(code: str) -> str:
    return _(_THEMES[code]) if code in _THEMES else code


def _booking(data: dict[str, Any], *, rule: str) -> str:
    """The clashing item named, with its dates in the reader's style (works outside a request too: the CLI)."""
    dates = period(data["start"], data["end"])
    # The engine's label ends with the same dates in its English style, and an unavailable period's starts
    # with the English word: the sentence around it says both already.
    what = str(data.get("label") or "").removesuffix(f", {format_period(data['start'], data['end'])}")
    if rule == "unavailable":
        what = what.removeprefix("unavailable").removeprefix(": ")
    return f"{what}, {dates}" if what else dates


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
        names = ", ".join(language_name(code) for code in data["languages"])
        return _("Speaks none of %(languages)s at working level (B2 or above).", languages=names)
    if rule == "day_cap":
        if data.get("slot_days"):  # the slot spans two calendar years: this is its part in one of them
            return _("Above the yearly day cap: cap of %(cap)s days in %(year)s: %(booked)s booked + %(days)s of "
                     "this slot's %(slot_days)s days that fall in %(year)s = %(total)s.", **data)
        return _("Above the yearly day cap: cap of %(cap)s days in %(year)s: %(booked)s booked + %(days)s for this "
                 "slot = %(total)s.", **data)
    if rule in ("overlap", "unavailable"):
        travel = _travel(data["travel"])
        what = _booking(data, rule=rule)
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
        text = _("%(language)s at %(level)s, the slot's language", language=language_name(data["language"]),
                 level=data["level"])
    elif key == "language.other":
        text = _("Works in %(other)s, another language of the activity, but not in %(language)s",
                 other=language_name(data["other"]), language=language_name(data["language"]))
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


# --- Short forms, for the suggestions page's compact rows ------------------------------------------------------


def rule_name(rule: str) -> str:
    """A broken hard rule in two or three words (its full sentence is `violation_text`)."""
    return {
        "status": _("Status"),
        "conflict_of_interest": _("Conflict of interest"),
        "language": _("No working language"),
        "day_cap": _("Yearly day cap"),
        "overlap": _("Booked on the dates"),
        "unavailable": _("Unavailable"),
    }.get(rule, rule)


def reason_tag(part: ScorePart) -> str | None:
    """One part of the score as a short tag, or None when it says nothing for the candidate (no points)."""
    data = dict(part.data)
    key = part.key
    if key == "thematic.level":
        return _("Expertise at level %(level)s", level=data["level"])
    if key == "language.slot":
        return f"{language_name(data['language'])} {data['level']}"
    if key == "language.other":
        return _("Works in %(language)s", language=language_name(data["other"]))
    if key == "regional.country":
        return _("Worked in %(place)s", place=_country(data["country"]))
    if key == "regional.region":
        return _("Worked in the region")
    if key == "continuity.yes":
        return _("On this Action before")
    if key == "seniority" and part.points:
        return ngettext("%(num)s year's experience", "%(num)s years' experience", data["years"])
    if key == "load.some":
        return ngettext("%(num)s recent deployment", "%(num)s recent deployments", data["count"])
    if key == "rating" and part.points:
        return _("Rated %(rating)s of 5", rating=format_decimal(data["rating"], "0.0", locale=locale_code()))
    return None


def main_tags(parts: Iterable[ScorePart], *, best: int = 3) -> list[tuple[str, bool]]:
    """The main reasons as (tag, counts against), `best` of them at most: every part that costs, after the
    parts that earn most (at least one). The languages are left to the row's own column."""
    told = [(part, tag) for part in parts if part.factor != "language" and (tag := reason_tag(part))]
    costs = [(tag, True) for part, tag in told if part.points < 0]
    gains = sorted((pair for pair in told if pair[0].points > 0), key=lambda pair: -pair[0].points)
    return [(tag, False) for _part, tag in gains[:max(1, best - len(costs))]] + costs
