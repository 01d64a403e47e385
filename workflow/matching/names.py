"""Readable names for the codes the matching engine's messages mention."""

from __future__ import annotations

from datetime import date
from functools import lru_cache


@lru_cache(maxsize=1)
def _english():
    """Return Babel's English locale, or None where Babel is not installed."""
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover - Babel is a dependency of the app
        return None
    return Locale("en")


def readable(name: str, code: str, *, lower: bool = False) -> str:
    """The name the caller gave for `code`, or the code itself made readable; `lower` for inside a sentence."""
    text = name or code.replace("_", " ")
    return text[0].lower() + text[1:] if lower and text else text


@lru_cache(maxsize=512)
def language_name(code: str) -> str:
    """Name an ISO 639-1 language in English."""
    locale = _english()
    return (locale.languages.get(code) if locale else None) or code


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """Name an ISO 3166 country in English."""
    locale = _english()
    return (locale.territories.get(code) if locale else None) or code


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_period(start: date, end: date) -> str:
    """Write an inclusive period the way the programme does: "3–5 Mar 2027", "28 Feb – 2 Mar 2027"."""
    # Month names come from a fixed table, not strftime, so the process locale cannot change them.
    end_text = f"{end.day} {_MONTHS[end.month - 1]} {end.year}"
    if start == end:
        return end_text
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end_text}"
    if start.year == end.year:
        return f"{start.day} {_MONTHS[start.month - 1]} – {end_text}"
    return f"{start.day} {_MONTHS[start.month - 1]} {start.year} – {end_text}"


def format_points(points: float) -> str:
    """Write points with their sign: "+40", "-9", "+13.5"."""
    text = f"{points:+.1f}".rstrip("0").rstrip(".")
    return "+0" if text in ("+0", "-0") else text
