"""The lifecycle of a call for experts: open until the officer stands it down or closes it; answers close at the
end of the deadline day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.i18n import N_, _l
from ..core.statemachine import StateMachine


class CallStatus(StrEnum):
    OPEN = "open"
    STOOD_DOWN = "stood_down"  # no longer needed (the activity moved, the places were filled otherwise)
    CLOSED = "closed"  # the officer has what they need


class CallEvent(StrEnum):
    STAND_DOWN = "stand_down"
    CLOSE = "close"


S, E = CallStatus, CallEvent

CALL_LIFECYCLE: StateMachine[CallStatus, CallEvent, None] = StateMachine(
    name=N_("Call for experts"),
    table={(S.OPEN, E.STAND_DOWN): S.STOOD_DOWN, (S.OPEN, E.CLOSE): S.CLOSED},
    labels={E.STAND_DOWN: _l("Stand down"), E.CLOSE: _l("Close")},
)


def end_of_day(day: date, timezone: str | None) -> datetime:
    """The last second of `day` in `timezone` (UTC when unknown), in UTC: when a call's answers close."""
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone).astimezone(UTC)
