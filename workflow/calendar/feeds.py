"""iCalendar (RFC 5545) feeds: an expert's confirmed deployments, an Action's activities.

The text of the events is written in the current locale (the caller sets it: the expert's language for
their feed, the recipient's for a reminder's attachment)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vText

from ..activities.models import Activity
from ..core.i18n import _, ngettext
from ..core.labels import label
from ..deployments.models import Deployment
from ..knowledge.models import KnowledgeEvent
from ..reference.choices import locale_code
from ..reference.services import country_name

PRODID = "-//Peerflow//Peer-to-peer migration expertise//EN"

# Control characters (RFC 5545 allows none in TEXT) and the Unicode line and paragraph separators.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_NOT_IN_TEXT = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(value: object) -> vText:
    """A one-line TEXT value: any line break or control character (a row saved before forms refused
    them) becomes a space, and vText escapes the rest (commas, semicolons, backslashes). Nothing written
    by hand reaches the feed unescaped: a name can never start a property of its own."""
    return vText(_BREAKS.sub(" ", str(value)).strip())


def multi_line(value: object) -> vText:
    """A TEXT value that may span lines: line breaks kept (vText writes them as \\n), control characters
    dropped."""
    return vText(_NOT_IN_TEXT.sub(" ", str(value).replace("\r\n", "\n").replace("\r", "\n")))


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    return calendar


def _event(uid: str, activity: Activity, url: str, stamp: datetime, modified: datetime, description: str) -> Event:
    event = Event()
    event.add("uid", uid)  # stable across regenerations: a client updates the event rather than adding another
    event.add("dtstamp", stamp)
    event.add("last-modified", modified)
    event.add("summary", one_line(f"{activity.action.name}: {activity.title}"))
    event.add("dtstart", activity.start_date)
    event.add("dtend", activity.end_date + timedelta(days=1))  # an all-day event ends the day after (exclusive)
    where = _("Remote") if activity.is_remote else f"{activity.city}, {country_name(activity.country_code, locale_code())}"
    event.add("location", one_line(where))
    event.add("description", multi_line(description))
    event.add("url", url)
    event.add("status", "CANCELLED" if activity.status.value == "cancelled" else "CONFIRMED")
    return event


def _host(base_url: str) -> str:
    return urlsplit(base_url).hostname or "peerflow"


def _knowledge_event(event: KnowledgeEvent, base_url: str, stamp: datetime) -> Event:
    """A programme-level knowledge-sharing event the Action's work is reviewed at (not one of its activities)."""
    item = Event()
    item.add("uid", f"knowledge-event-{event.id}@{_host(base_url)}")
    item.add("dtstamp", stamp)
    item.add("last-modified", event.updated_at)
    item.add("summary", one_line(event.title))
    item.add("dtstart", event.start_date)
    item.add("dtend", event.end_date + timedelta(days=1))
    place = ", ".join(p for p in (event.city, country_name(event.country_code, locale_code())
                                  if event.country_code else None) if p)
    if place:
        item.add("location", one_line(place))
    item.add("description", multi_line(_("Knowledge-sharing event hosted by %(host)s", host=event.host_institution)))
    item.add("categories", "KNOWLEDGE-EVENT")
    item.add("status", "CONFIRMED")
    return item


def activities_feed(name: str, activities: Iterable[Activity], *, base_url: str, stamp: datetime,
                    events: Iterable[KnowledgeEvent] = ()) -> bytes:
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_knowledge_event(event, base_url, stamp))
    for activity in activities:
        calendar.add_component(_event(
            f"activity-{activity.id}@{_host(base_url)}", activity, f"{base_url}/activities/{activity.id}", stamp,
            activity.updated_at, f"{label(activity.kind)} — {activity.action.title}",
        ))
    return calendar.to_ical()


def deployments_feed(name: str, deployments: Iterable[Deployment], *, base_url: str, stamp: datetime) -> bytes:
    calendar = _calendar(name)
    for deployment in deployments:
        calendar.add_component(_event(
            f"deployment-{deployment.id}@{_host(base_url)}", deployment.activity,
            f"{base_url}/deployments/{deployment.id}", stamp, deployment.updated_at,
            ngettext("%(role)s, %(num)s working day — %(action)s", "%(role)s, %(num)s working days — %(action)s",
                     deployment.working_days, role=label(deployment.role), action=deployment.activity.action.title),
        ))
    return calendar.to_ical()
