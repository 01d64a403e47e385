"""Dates, periods and moments as the reader reads them: CLDR's medium format in the reader's language
("1 Jun 2026", "1 jun 2026", "1 juin 2026"), periods with Babel's interval formatting ("1–5 Jun 2026"),
and times in the reader's time zone, which is named ("1 Jun 2026, 10:30 (Europe/Madrid)").

No page, e-mail or message shows a numeric short date ("12/6/26") or an ISO one; machine-readable values
(form inputs, `<time datetime>`, CSV, JSON, calendar files) keep ISO and do not come through here.
Outside an app context (pure code, tests without Flask) English and UTC are used.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date as _format_date
from babel.dates import format_interval as _format_interval
from babel.dates import format_time
from flask import has_app_context

__all__ = ["day", "moment", "period", "zone_of"]

DAY = "yMMMd"  # the interval skeleton that matches CLDR's medium date
# The programme's English is the EU's: the day before the month ("1 Jun 2026", "1–5 Jun 2026") and a 24-hour
# clock, as in its documents; CLDR's "en" alone is American ("Jun 1, 2026", "6:25 PM").
ENGLISH = "en_GB"


# Babel formats a date or an interval in about a millisecond: a list of 200 deployments spent a third of its time
# there. The same day, pattern and language always give the same text: formatted once per process.
@lru_cache(maxsize=8192)
def format_date(value: date, pattern: str, *, locale: str) -> str:
    return _format_date(value, pattern, locale=locale)


@lru_cache(maxsize=8192)
def format_interval(start: date, end: date, skeleton: str, *, locale: str) -> str:
    return _format_interval(start, end, skeleton, locale=locale)


def _locale() -> str:
    if not has_app_context():
        return ENGLISH
    from flask_babel import get_locale

    code = str(get_locale() or "en")
    return ENGLISH if code == "en" else code


def _reader_zone() -> tzinfo:
    if not has_app_context():
        return UTC
    from flask_babel import get_timezone

    return get_timezone() or UTC


def zone_of(name: str | None) -> tzinfo:
    """A time zone by its IANA name; UTC when it is missing or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _zone_name(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or getattr(zone, "zone", None) or "UTC"


def _local(value: datetime, zone: tzinfo) -> datetime:
    if value.tzinfo is None:  # stored naive means UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone)


def day(value: date | datetime | None, pattern: str = "medium", *, zone: tzinfo | None = None) -> str:
    """A date ("1 Jun 2026"), or the day of a moment in the reader's time zone; `pattern` may be a CLDR
    pattern such as "MMMM y". A numeric style ("short") is read as "medium"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value, zone or _reader_zone()).date()
    return format_date(value, "medium" if pattern in ("short", "medium") else pattern, locale=_locale())


def moment(value: datetime | date | None, *, zone: tzinfo | None = None) -> str:
    """A moment in the reader's time zone, named: "6 Dec 2026, 18:25 (Europe/Madrid)". A date alone is
    shown as a day."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return day(value)
    zone = zone or _reader_zone()
    local = _local(value, zone)
    locale = _locale()
    return (f"{format_date(local.date(), 'medium', locale=locale)}, "
            f"{format_time(local.time(), 'short', locale=locale)} ({_zone_name(zone)})")


def period(start: date | datetime | None, end: date | datetime | None, skeleton: str = DAY,
           *, open_end: str = "") -> str:
    """From `start` to `end` as one interval: "1–5 Jun 2026", "1 Jun – 5 Jul 2026", "Jun 2026 – Jul 2027"
    with skeleton "yMMM". A period of one day reads as that day; without an end, `open_end` (such as
    "ongoing") follows the start."""
    if start is None and end is None:
        return ""
    zone = _reader_zone()
    start, end = (_local(v, zone).date() if isinstance(v, datetime) else v for v in (start, end))
    locale = _locale()
    if start is None or end is None:
        known = format_interval(start or end, start or end, skeleton, locale=locale)
        if start is None:
            return known
        return f"{known} – {open_end}" if open_end else known
    if end < start:
        start, end = end, start
    return format_interval(start, end, skeleton, locale=locale)
