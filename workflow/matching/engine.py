"""Match experts to an activity slot: hard rules refuse, a score ranks, every point has a reason.

Pure Python: no Flask, no database session. The caller builds `Candidate` and `Slot` values and
gets `Violation`s or `Ranked` values back; the same input always gives the same answer.

Hard rules (design.md, "Experts and deployments"); breaking any one refuses the candidate:

- status        only approved or active experts are matched;
- overlap       no accepted or confirmed deployment overlaps the slot, counting a travel day each
                side of every activity that is not remote (the slot and the booking are padded);
- unavailable   the slot, padded by its own travel days, does not touch a declared unavailable period;
- day_cap       in every calendar year the slot touches, the days already booked in that year plus
                the slot's working days that fall in it stay within the expert's yearly cap (each
                day counts in its own year: see years.py for how working days are split);
- language      the expert speaks one of the activity's languages at working level (B2 or above);
                the slot's required language always counts as one of the activity's languages;
- conflict_of_interest  the expert is not employed by a beneficiary institution of the Action.

Score (the constants below; the best possible score is 40 + 20 + 15 + 10 + 10 + 4 = 99):

- thematic      THEME_WEIGHT x level / 3, rounded: level 1 = 13, level 2 = 27, level 3 = 40;
                0 without expertise in the slot's thematic area (not a hard rule: such experts rank low);
- language      the slot's required language at C1/C2 = 20, at B2 = 12; only another of the
                activity's languages at working level = 6;
- regional      has worked in the beneficiary country = 15, else in the Action's region = 8;
- continuity    deployed on this Action before = 10;
- seniority     1 per year of experience, counted up to 10 years;
- load          -3 per deployment in the last 12 months, counted up to 5 deployments (-15);
- rating        only for a rated expert: 2 points per step of their average rating (1 to 5) above or
                below the middle of the scale, rounded to the nearest point (5 = +4, 3 = 0, 1 = -4). The
                rating rests on participants' evaluations and officers' ratings of their deployments
                (see workflow/evaluations/results.py); an expert not rated yet is neither helped nor harmed.

All points are whole numbers, so totals are exact and equal ties really are ties; ties are broken
by expert_id, lowest first. `rank` checks the cheap rules first (status, language, conflict of
interest, day cap) and does date arithmetic only for candidates that pass them; a `CandidatePool`
(see `pool.py`) indexes candidates once and ranks many slots faster still.
"""

from __future__ import annotations

import heapq
import math
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from .facts import Booking, Candidate, Ranked, ScorePart, Slot, Violation
from .names import country_name, format_points, language_name, readable
from .years import days_per_year

MATCHABLE_STATUSES = frozenset({"approved", "active"})
WORKING_LEVELS = frozenset({"B2", "C1", "C2"})
FLUENT_LEVELS = frozenset({"C1", "C2"})
TRAVEL_DAYS = 1  # added on each side of an activity that is not remote

THEME_WEIGHT = 40
LANGUAGE_FLUENT_POINTS = 20  # required language at C1 or C2
LANGUAGE_WORKING_POINTS = 12  # required language at B2
LANGUAGE_OTHER_POINTS = 6  # another of the activity's languages at working level
COUNTRY_POINTS = 15
REGION_POINTS = 8
CONTINUITY_POINTS = 10
SENIORITY_POINTS_PER_YEAR = 1
SENIORITY_CAP_YEARS = 10
LOAD_PENALTY_PER_DEPLOYMENT = 3
LOAD_CAP_DEPLOYMENTS = 5
RATING_POINTS_PER_STEP = 2
RATING_MIDDLE = 3
# The best possible score (99, as the docstring adds it up): the top of the suggestions page's score bars.
BEST_SCORE = (THEME_WEIGHT + LANGUAGE_FLUENT_POINTS + COUNTRY_POINTS + CONTINUITY_POINTS
              + SENIORITY_CAP_YEARS * SENIORITY_POINTS_PER_YEAR + RATING_POINTS_PER_STEP * (5 - RATING_MIDDLE))


def activity_languages(slot: Slot) -> tuple[str, ...]:
    """Return the languages a candidate may work in: the activity's, with the slot's own always included."""
    if slot.language in slot.activity_languages:
        return slot.activity_languages
    return (slot.language, *slot.activity_languages)


def travel_days(remote: bool) -> int:
    """Return the travel days added on each side of an activity."""
    return 0 if remote else TRAVEL_DAYS


def clashes(booking: Booking, slot: Slot) -> bool:
    """Tell whether a calendar item and the slot overlap once both are padded by their travel days."""
    reach = travel_days(booking.remote) + travel_days(slot.remote)
    return (
        booking.period.start.toordinal() - slot.period.end.toordinal() <= reach
        and slot.period.start.toordinal() - booking.period.end.toordinal() <= reach
    )


def _clash_any(bookings: tuple[Booking, ...], first: int, last: int, pad: int) -> bool:
    """`clashes` for many bookings against one slot's ordinals, padded by `pad` (the fast path of `rank`)."""
    for booking in bookings:
        reach = pad + travel_days(booking.remote)
        if booking.period.start.toordinal() - last <= reach and first - booking.period.end.toordinal() <= reach:
            return True
    return False


TRAVEL_NOTES = {
    "both": ", counting a travel day each side",
    "slot": ", counting this slot's travel days",
    "other": ", counting that activity's travel days",
    "": "",
}


def _travel(booking: Booking, slot: Slot) -> str:
    """Which travel days made the two meet: a key of TRAVEL_NOTES."""
    if not booking.remote and not slot.remote:
        return "both"
    if not slot.remote:
        return "slot"
    if not booking.remote:
        return "other"
    return ""


def _booking_facts(booking: Booking, slot: Slot) -> dict[str, Any]:
    return {"label": booking.label, "start": booking.period.start, "end": booking.period.end,
            "travel": _travel(booking, slot)}


def violations(candidate: Candidate, slot: Slot) -> list[Violation]:
    """List every hard rule the candidate breaks for the slot (empty: allowed)."""
    found = []
    if candidate.status not in MATCHABLE_STATUSES:
        found.append(Violation(
            "status", f"Status is {candidate.status}: only approved or active experts can be matched.",
            {"status": candidate.status}))
    if candidate.employer_id is not None and candidate.employer_id in slot.beneficiary_ids:
        found.append(Violation(
            "conflict_of_interest",
            f"Conflict of interest: employed by a beneficiary institution of this Action "
            f"(institution {candidate.employer_id}).",
            {"institution": candidate.employer_id},
        ))
    languages = activity_languages(slot)
    if not any(candidate.languages.get(code) in WORKING_LEVELS for code in languages):
        names = ", ".join(language_name(code) for code in languages)
        found.append(Violation("language", f"Speaks none of {names} at working level (B2 or above).",
                               {"languages": languages}))
    found.extend(_day_cap(candidate, slot))
    for booking in candidate.bookings:
        if clashes(booking, slot):
            what = booking.label or str(booking.period)
            found.append(Violation("overlap", f"Overlaps with {what}{TRAVEL_NOTES[_travel(booking, slot)]}.",
                                   _booking_facts(booking, slot)))
    for booking in candidate.unavailable:
        if clashes(booking, slot):
            what = booking.label or str(booking.period)
            found.append(Violation(
                "unavailable", f"Inside a declared unavailable period ({what}){TRAVEL_NOTES[_travel(booking, slot)]}.",
                _booking_facts(booking, slot)))
    return found


def slot_days(slot: Slot) -> dict[int, int]:
    """Return the slot's working days in each calendar year its activity touches."""
    return days_per_year(slot.period.start, slot.period.end, slot.working_days)


def _day_cap(candidate: Candidate, slot: Slot) -> list[Violation]:
    """One violation per calendar year in which the slot's days would take the expert above the cap."""
    found = []
    split = slot_days(slot)
    for year, days in split.items():
        booked = candidate.days_booked.get(year, 0)
        if booked + days <= candidate.day_cap:
            continue
        data = {"cap": candidate.day_cap, "year": year, "booked": booked, "days": days, "total": booked + days}
        if len(split) == 1:
            share = f"{days} for this slot"
        else:  # the slot spans years: say which part of it falls in this one
            share = f"{days} of this slot's {slot.working_days} days that fall in {year}"
            data["slot_days"] = slot.working_days
        found.append(Violation(
            "day_cap", f"Above the yearly day cap: cap of {candidate.day_cap} days in {year}: {booked} booked "
                       f"+ {share} = {booked + days}.", data))
    return found


def theme_points(level: int) -> int:
    """Return the thematic points for an expertise level (0 for none)."""
    level = min(max(level, 0), 3)
    return round(THEME_WEIGHT * level / 3)


def seniority_points(years: int) -> int:
    """Return the seniority points for years of experience."""
    return min(max(years, 0), SENIORITY_CAP_YEARS) * SENIORITY_POINTS_PER_YEAR


def load_points(recent_deployments: int) -> int:
    """Return the (negative) points for the deployments of the last 12 months."""
    return -min(max(recent_deployments, 0), LOAD_CAP_DEPLOYMENTS) * LOAD_PENALTY_PER_DEPLOYMENT


def rating_points(rating: float | None) -> int:
    """Return the points for an average rating (0 when not rated)."""
    if rating is None:
        return 0
    return math.floor(RATING_POINTS_PER_STEP * (min(max(rating, 1.0), 5.0) - RATING_MIDDLE) + 0.5)


def _part(factor: str, points: int, reason: str, key: str, **data: Any) -> ScorePart:
    return ScorePart(factor, float(points), f"{reason} ({format_points(points)})", key, data)


def _thematic(candidate: Candidate, slot: Slot) -> ScorePart:
    level = candidate.themes.get(slot.theme, 0)
    points = theme_points(level)
    area = readable(slot.theme_name, slot.theme, lower=True)
    if points == 0:
        return _part("thematic", 0, f"No expertise in {area}", "thematic.none", theme=slot.theme)
    return _part("thematic", points, f"{area[0].upper()}{area[1:]} expertise at level {level}", "thematic.level",
                 theme=slot.theme, level=level)


def _language(candidate: Candidate, slot: Slot) -> ScorePart:
    level = candidate.languages.get(slot.language)
    required = language_name(slot.language)
    if level in FLUENT_LEVELS:
        return _part("language", LANGUAGE_FLUENT_POINTS, f"{required} at {level}, the slot's language",
                     "language.slot", language=slot.language, level=level)
    if level in WORKING_LEVELS:
        return _part("language", LANGUAGE_WORKING_POINTS, f"{required} at {level}, the slot's language",
                     "language.slot", language=slot.language, level=level)
    for code in activity_languages(slot):
        if candidate.languages.get(code) in WORKING_LEVELS:
            return _part("language", LANGUAGE_OTHER_POINTS,
                         f"Works in {language_name(code)}, another language of the activity, "
                         f"but not in {required}", "language.other", language=slot.language, other=code)
    return _part("language", 0, "Speaks none of the activity's languages at working level", "language.none")


def _regional(candidate: Candidate, slot: Slot) -> ScorePart:
    if slot.country and slot.country in candidate.countries_worked:
        return _part("regional", COUNTRY_POINTS, f"Has worked in {country_name(slot.country)}", "regional.country",
                     country=slot.country)
    if slot.region and slot.region in candidate.regions_worked:
        elsewhere = f", though not in {country_name(slot.country)}" if slot.country else ""
        return _part("regional", REGION_POINTS, f"Has worked in {readable(slot.region_name, slot.region)}{elsewhere}",
                     "regional.region", region=slot.region, country=slot.country)
    places = [country_name(slot.country)] if slot.country else []
    places += [readable(slot.region_name, slot.region)] if slot.region else []
    if not places:
        return _part("regional", 0, "The slot names no country or region", "regional.unknown")
    return _part("regional", 0, f"No work experience in {' or '.join(places)}", "regional.none",
                 country=slot.country, region=slot.region)


def _continuity(candidate: Candidate, slot: Slot) -> ScorePart:
    if slot.action_id in candidate.actions_served:
        return _part("continuity", CONTINUITY_POINTS, "Deployed on this Action before", "continuity.yes")
    return _part("continuity", 0, "Not deployed on this Action before", "continuity.no")


def _seniority(candidate: Candidate) -> ScorePart:
    years = candidate.years_experience
    text = f"{years} year{'s' if years != 1 else ''} of experience"
    if years > SENIORITY_CAP_YEARS:
        text += f", counted up to {SENIORITY_CAP_YEARS}"
    return _part("seniority", seniority_points(years), text, "seniority", years=years,
                 cap=SENIORITY_CAP_YEARS if years > SENIORITY_CAP_YEARS else None)


def _load(candidate: Candidate) -> ScorePart:
    count = candidate.recent_deployments
    if count <= 0:
        return _part("load", 0, "No deployments in the last 12 months", "load.none")
    text = f"{count} deployment{'s' if count != 1 else ''} in the last 12 months"
    if count > LOAD_CAP_DEPLOYMENTS:
        text += f", counted up to {LOAD_CAP_DEPLOYMENTS}"
    return _part("load", load_points(count), text, "load.some", count=count,
                 cap=LOAD_CAP_DEPLOYMENTS if count > LOAD_CAP_DEPLOYMENTS else None)


def _rating(candidate: Candidate) -> ScorePart:
    count = candidate.rated
    text = f"Rated {candidate.rating:.1f} of 5 ({count} rating{'s' if count != 1 else ''})"
    return _part("rating", rating_points(candidate.rating), text, "rating", rating=candidate.rating, count=count)


def score(candidate: Candidate, slot: Slot) -> Ranked:
    """Score the candidate for the slot, with a reason for every part (hard rules are not checked)."""
    parts = (
        _thematic(candidate, slot),
        _language(candidate, slot),
        _regional(candidate, slot),
        _continuity(candidate, slot),
        _seniority(candidate),
        _load(candidate),
    )
    if candidate.rating is not None:  # not rated yet: neutral, and nothing to explain
        parts = (*parts, _rating(candidate))
    return Ranked(candidate, float(sum(int(part.points) for part in parts)), parts)


def feasible_scores(slot: Slot, candidates: Iterable[Candidate]) -> Iterator[tuple[float, Candidate]]:
    """Yield (score, candidate) for every candidate the hard rules allow, without building reasons."""
    languages = activity_languages(slot)
    required, beneficiaries, theme = slot.language, slot.beneficiary_ids, slot.theme
    split = tuple(slot_days(slot).items()) or ((slot.period.start.year, 0),)
    (year, days), later_years = split[0], split[1:]  # most slots lie within one year
    first, last = slot.period.start.toordinal(), slot.period.end.toordinal()
    pad = travel_days(slot.remote)
    country, region, action = slot.country, slot.region, slot.action_id
    themed, senior, loaded = _THEME_TABLE, _SENIORITY_TABLE, _LOAD_TABLE
    for candidate in candidates:
        if candidate.status not in MATCHABLE_STATUSES:
            continue
        spoken = candidate.languages
        level = spoken.get(required)
        if level in FLUENT_LEVELS:
            points = LANGUAGE_FLUENT_POINTS
        elif level in WORKING_LEVELS:
            points = LANGUAGE_WORKING_POINTS
        else:
            for code in languages:
                if spoken.get(code) in WORKING_LEVELS:
                    break
            else:
                continue
            points = LANGUAGE_OTHER_POINTS
        if candidate.employer_id in beneficiaries:
            continue
        booked, cap = candidate.days_booked, candidate.day_cap
        if booked.get(year, 0) + days > cap or (later_years and any(
                booked.get(other, 0) + share > cap for other, share in later_years)):
            continue
        if candidate.bookings and _clash_any(candidate.bookings, first, last, pad):
            continue
        if candidate.unavailable and _clash_any(candidate.unavailable, first, last, pad):
            continue
        if country and country in candidate.countries_worked:
            points += COUNTRY_POINTS
        elif region and region in candidate.regions_worked:
            points += REGION_POINTS
        if action in candidate.actions_served:
            points += CONTINUITY_POINTS
        # table lookups, falling back to the functions for values outside the usual range
        level, years, recent = candidate.themes.get(theme, 0), candidate.years_experience, candidate.recent_deployments
        points += themed[level] if level in themed else theme_points(level)
        points += senior[years] if years in senior else seniority_points(years)
        points += loaded[recent] if recent in loaded else load_points(recent)
        if candidate.rating is not None:
            points += rating_points(candidate.rating)
        yield float(points), candidate


_THEME_TABLE = {level: theme_points(level) for level in range(4)}
_SENIORITY_TABLE = {years: seniority_points(years) for years in range(61)}
_LOAD_TABLE = {count: load_points(count) for count in range(21)}


def rank(slot: Slot, candidates: Iterable[Candidate], *, limit: int | None = 20) -> list[Ranked]:
    """Rank the candidates the hard rules allow, best first, ties by expert_id; at most `limit` of them."""
    # A pool can only exist once its module is loaded; looking it up this way keeps NumPy out of plain ranking.
    pool = sys.modules.get(f"{__package__}.pool")
    if pool is not None and isinstance(candidates, pool.CandidatePool):
        return candidates.rank(slot, limit=limit)
    if limit is not None and limit <= 0:
        return []
    allowed = feasible_scores(slot, candidates)
    if limit is None:
        best = sorted(allowed, key=lambda item: (-item[0], item[1].expert_id))
        return [score(candidate, slot) for _points, candidate in best]
    # Keep only the best `limit` in a heap (worst at the root): holding every allowed candidate would make
    # thousands of objects per call for the garbage collector to walk.
    heap: list[tuple[float, int, int, Candidate]] = []
    for seq, (points, candidate) in enumerate(allowed):
        entry = (points, -candidate.expert_id, -seq, candidate)
        if len(heap) < limit:
            heapq.heappush(heap, entry)
        elif entry[:3] > heap[0][:3]:
            heapq.heapreplace(heap, entry)
    best = sorted(heap, key=lambda entry: entry[:3], reverse=True)
    return [score(candidate, slot) for *_key, candidate in best]
