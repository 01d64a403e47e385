"""The time: the app's clock (which tests set), and a local hour on a day in someone's time zone (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def clock_now(session: Session) -> datetime:
    """The time a session's derived data is computed at: the session's override, the app's clock, or now."""
    from flask import current_app, has_app_context  # here, so that the pure rules can import this module

    if "now" in session.info:
        return session.info["now"]
    if has_app_context() and "peerflow.clock" in current_app.extensions:
        return current_app.extensions["peerflow.clock"]()
    return datetime.now(UTC)


def zone(timezone: str) -> ZoneInfo:
    """The time zone named `timezone`; an unknown one counts as UTC."""
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_moment(day: date, hour: int, timezone: str) -> datetime:
    """`day` at `hour`:00 in `timezone`, as an aware UTC datetime (an unknown zone counts as UTC)."""
    return datetime.combine(day, time(hour), tzinfo=zone(timezone)).astimezone(UTC)
