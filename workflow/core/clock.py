"""The time: the app's clock (which tests set), and a local hour on a day in someone's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context
from sqlalchemy.orm import Session


def clock_now(session: Session) -> datetime:
    """The time a session's derived data is computed at: the session's override, the app's clock, or now."""
    if "now" in session.info:
        return session.info["now"]
    if has_app_context() and "peerflow.clock" in current_app.extensions:
        return current_app.extensions["peerflow.clock"]()
    return datetime.now(UTC)


def local_moment(day: date, hour: int, timezone: str) -> datetime:
    """`day` at `hour`:00 in `timezone`, as an aware UTC datetime (an unknown zone counts as UTC)."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)
