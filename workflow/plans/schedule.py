"""The timing of a plan, as pure date arithmetic: offsets from the plan's anchor, and back to dates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Timing:
    """When an activity falls in a plan: days after the plan's anchor, and how many days it lasts."""

    offset_days: int
    duration_days: int  # 1 for a one-day activity


def anchor_of(periods: Iterable[tuple[date, date]]) -> date | None:
    """The plan's anchor: the earliest start among `periods` (start, end); None when there are none."""
    return min((start for start, _end in periods), default=None)


def timings(periods: Sequence[tuple[date, date]]) -> list[Timing]:
    """Each period (start, end) as days after the earliest start and its length in days."""
    anchor = anchor_of(periods)
    if anchor is None:
        return []
    return [Timing((start - anchor).days, (end - start).days + 1) for start, end in periods]


def dates_at(anchor: date, timing: Timing) -> tuple[date, date]:
    """The start and end of an activity of the plan when the plan starts on `anchor`.

    Raises OverflowError when they would fall outside the calendar (after the year 9999)."""
    start = anchor + timedelta(days=timing.offset_days)
    return start, start + timedelta(days=timing.duration_days - 1)
