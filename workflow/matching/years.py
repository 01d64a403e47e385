"""Split a deployment's working days over the calendar years its activity touches.

The yearly day cap counts each day in its own calendar year: an activity from 28 December to
3 January puts its December days in one year and its January days in the next. A deployment's
working days need not equal the activity's calendar length (long remote work counts ten days over
months; staff may set another number), so the working days are shared out in proportion to the
activity's calendar days in each year:

- an activity within one year puts all its working days in that year;
- otherwise each year first gets the whole part of working_days x (its calendar days / all calendar
  days), and the days still left go one each to the years with the largest remainders, the earlier
  year first on equal remainders (the largest remainder method). The total is always exactly
  working_days, and when working days equal the calendar days every year gets exactly its own days;
- years that end up with no working day are left out.

Pure Python: the engine, the pool, the optimiser, the candidate loader and the expert's page all
call `days_per_year`, so they cannot disagree.
"""

from __future__ import annotations

from datetime import date


def calendar_days_per_year(start: date, end: date) -> dict[int, int]:
    """Return the calendar days of the inclusive period in each year it touches."""
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    days = {}
    for year in range(start.year, end.year + 1):
        first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        days[year] = (last - first).days + 1
    return days


def days_per_year(start: date, end: date, working_days: int) -> dict[int, int]:
    """Return the working days of a deployment on the inclusive period that fall in each year."""
    if working_days < 0:
        raise ValueError(f"working days cannot be negative ({working_days})")
    if start.year == end.year:
        if end < start:
            raise ValueError(f"period ends ({end}) before it starts ({start})")
        return {start.year: working_days} if working_days else {}
    calendar = calendar_days_per_year(start, end)
    span = sum(calendar.values())
    shares = {year: divmod(working_days * days, span) for year, days in calendar.items()}
    split = {year: whole for year, (whole, _rest) in shares.items()}
    left = working_days - sum(split.values())
    for year in sorted(shares, key=lambda y: (-shares[y][1], y))[:left]:
        split[year] += 1
    return {year: days for year, days in split.items() if days}
