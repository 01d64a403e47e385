"""How the kinds' messages name things: dates, places, people (in the current locale, the reader's)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ...calendar.feeds import deployments_feed
from ...core.dates import day as core_day
from ...core.dates import period
from ...core.i18n import _
from ...reference.choices import locale_code
from ...reference.services import country_name


def day(value: date) -> str:
    """A date as the reader reads it ("1 Mar 2027", "1 mars 2027"; in English when no app runs)."""
    return core_day(value)


def dates(activity) -> str:
    """An activity's dates as one period: "1–5 Mar 2027", "28 Feb – 3 Mar 2027"."""
    return period(activity.start_date, activity.end_date)


def place(activity) -> str:
    """Where an activity takes place: "Lima, Peru", or remote."""
    if activity.is_remote:
        return _("online")
    return f"{activity.city}, {country_name(activity.country_code, locale_code())}"


def deployment_ics(deployment, base_url: str) -> tuple[str, str, bytes]:
    """A deployment as a calendar file to attach (the reader's `.ics`), stamped now."""
    now = datetime.now(UTC)
    return ("peerflow-mission.ics", "text/calendar",
            deployments_feed(deployment.activity.title, [deployment], base_url=base_url, stamp=now))
