"""Time the matching engine on a synthetic roster: rank one slot, then staff every open slot at once.

Run from the repository root: `.venv/bin/python bench/matching.py [--experts N] [--slots M] [--seed S]`.
The roster and the slots are random but seeded, so two runs measure the same problem. The last line
printed is one JSON object with the measured figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from time import perf_counter  # noqa: E402

from workflow.matching import (  # noqa: E402
    Booking,
    Candidate,
    CandidatePool,
    Period,
    Slot,
    format_period,
    rank,
    staff,
)

START = date(2027, 1, 11)  # a fixed "today", so the problem does not change with the calendar
WINDOW_DAYS = 90
THEMES = ("irregular_migration_thb", "legal_migration_mobility", "migration_development",
          "international_protection_asylum", "horizontal")
# administration country -> (mother tongue, weight in the roster)
ADMINISTRATIONS = {
    "ES": ("es", 14), "PT": ("pt", 7), "NL": ("nl", 6), "BE": ("fr", 5), "AT": ("de", 4), "SE": ("sv", 4),
    "FR": ("fr", 9), "DE": ("de", 9), "IT": ("it", 8), "PL": ("pl", 4), "RO": ("ro", 3), "GR": ("el", 3),
    "CZ": ("cs", 2), "FI": ("fi", 2), "IE": ("en", 2), "HU": ("hu", 2), "MX": ("es", 4), "AR": ("es", 3),
    "BR": ("pt", 3),
}
# partner country -> (region, language of its activities)
PARTNERS = {
    **{c: ("latin_america_caribbean", "es") for c in "PE BO CO EC CR GT HN SV PY DO MX AR CL UY PA".split()},
    "BR": ("latin_america_caribbean", "pt"),
    **{c: ("africa", "fr") for c in "SN CI CM ML NE".split()},
    **{c: ("africa", "pt") for c in "CV MZ AO".split()},
    **{c: ("africa", "en") for c in "NG GH KE ET".split()},
    **{c: ("asia_pacific", "en") for c in "PH ID TH VN BD PK LK KH NP".split()},
}
# language -> (share of experts without it as mother tongue who speak it, CEFR levels to draw from)
SECOND_LANGUAGES = {
    "en": (0.8, "B1 B2 B2 C1 C1 C2"), "es": (0.3, "A2 B1 B2 B2 C1 C2"), "fr": (0.25, "A2 B1 B2 C1 C2"),
    "pt": (0.1, "B1 B2 C1 C2"), "ar": (0.04, "B1 B2 C1 C2"), "ru": (0.04, "B1 B2 C1 C2"),
}
KINDS = ("Workshop", "Training", "Seminar", "Study visit", "Round-table", "Working-group session")


def institution_of(rng: random.Random, country: str) -> int:
    """Return one of the twenty administrations of a country (ids are stable per country)."""
    return 1000 + 20 * sorted({*ADMINISTRATIONS, *PARTNERS}).index(country) + rng.randrange(20)


def make_booking(rng: random.Random, what: str) -> tuple[Booking, int]:
    first = START + timedelta(days=rng.randrange(-10, WINDOW_DAYS + 10))
    days = rng.randint(1, 5)
    period = Period(first, first + timedelta(days=days - 1))
    return Booking(period, rng.random() < 0.2, f"{what}, {format_period(period.start, period.end)}"), days


def make_expert(rng: random.Random, expert_id: int) -> Candidate:
    country = rng.choices(list(ADMINISTRATIONS), [w for _, w in ADMINISTRATIONS.values()])[0]
    tongue = ADMINISTRATIONS[country][0]
    languages = {tongue: "C2"}
    for code, (share, levels) in SECOND_LANGUAGES.items():
        if code != tongue and rng.random() < share:
            languages[code] = rng.choice(levels.split())
    themes = {code: rng.choices((1, 2, 3), (35, 40, 25))[0] for code in rng.sample(THEMES, rng.randint(1, 3))}
    worked = frozenset(rng.sample(sorted(PARTNERS), rng.choice((0, 0, 1, 2, 3, 4, 6))))
    bookings, booked = [], rng.randrange(0, 25)
    for n in range(rng.choices((0, 1, 2, 3), (50, 30, 15, 5))[0]):
        booking, days = make_booking(rng, f"{rng.choice(KINDS)} (Action {rng.randint(1, 150)}, booking {n})")
        bookings.append(booking)
        booked += days
    unavailable = ()
    if rng.random() < 0.08:
        first = START + timedelta(days=rng.randrange(-5, WINDOW_DAYS))
        period = Period(first, first + timedelta(days=rng.randint(5, 30)))
        unavailable = (Booking(period, True, f"unavailable: leave, {format_period(period.start, period.end)}"),)
    return Candidate(
        expert_id=expert_id,
        name=f"Expert {expert_id}",
        status=rng.choices(("nominated", "approved", "active", "inactive"), (4, 30, 60, 6))[0],
        gender=rng.choices(("female", "male", "other"), (49, 49, 2))[0],
        country=country,
        employer_id=institution_of(rng, country) if rng.random() < 0.95 else None,
        themes=themes,
        languages=languages,
        countries_worked=worked,
        regions_worked=frozenset(PARTNERS[c][0] for c in worked),
        years_experience=rng.randint(2, 35),
        day_cap=rng.randrange(40, 81, 5),
        days_booked={START.year: booked},
        bookings=tuple(bookings),
        unavailable=unavailable,
        actions_served=frozenset(rng.sample(range(1, 151), rng.randint(1, 2))) if rng.random() < 0.1 else frozenset(),
        recent_deployments=rng.choices((0, 1, 2, 3, 4), (50, 25, 13, 8, 4))[0],
    )


def make_slots(rng: random.Random, count: int) -> list[Slot]:
    actions = {}
    for action_id in range(1, 151):
        country = rng.choice(sorted(PARTNERS))
        beneficiaries = frozenset(institution_of(rng, country) for _ in range(rng.randint(1, 3)))
        actions[action_id] = (country, beneficiaries, rng.choice(THEMES))
    slots: list[Slot] = []
    activity_id = 0
    while len(slots) < count:
        activity_id += 1
        action_id = rng.randint(1, 150)
        country, beneficiaries, theme = actions[action_id]
        region, language = PARTNERS[country]
        regional = rng.random() < 0.1
        languages = (language, "en") if language != "en" and rng.random() < 0.3 else (language,)
        first = START + timedelta(days=rng.randrange(0, WINDOW_DAYS - 5))
        days = rng.randint(1, 5)
        remote = rng.random() < 0.15
        kind = rng.choice(KINDS)
        for n in range(min(rng.choices((1, 2, 3), (50, 35, 15))[0], count - len(slots))):
            slots.append(Slot(
                slot_id=len(slots) + 1, activity_id=activity_id, action_id=action_id,
                role="lead_expert" if n == 0 else rng.choice(("expert", "trainer")),
                theme=theme if rng.random() < 0.7 else rng.choice(THEMES),
                language=rng.choice(languages), activity_languages=languages,
                period=Period(first, first + timedelta(days=days - 1)), remote=remote,
                working_days=days + (1 if n == 0 else 0),
                country=None if regional else country, region=region, beneficiary_ids=beneficiaries,
                places=rng.choices((1, 2), (85, 15))[0],
                label=f"{kind} {activity_id} (Action {action_id})",
            ))
    return slots


def time_rank(slots: list[Slot], candidates) -> list[float]:
    rank(slots[0], candidates)  # warm up caches (language names) before measuring
    timings = []
    for slot in slots:
        started = perf_counter()
        rank(slot, candidates)
        timings.append((perf_counter() - started) * 1000)
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=11_000)
    parser.add_argument("--slots", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    experts = [make_expert(rng, expert_id) for expert_id in range(1, args.experts + 1)]
    slots = make_slots(rng, args.slots)
    print(f"Roster: {len(experts)} experts; {len(slots)} open slots ({sum(s.places for s in slots)} places) "
          f"in {len({s.activity_id for s in slots})} activities over {WINDOW_DAYS} days from {START}.")

    sample = rng.sample(slots, min(50, len(slots)))
    plain = time_rank(sample, experts)
    print(f"rank(slot, list of {len(experts)} candidates) over {len(sample)} slots: "
          f"median {statistics.median(plain):.1f} ms, p95 {p95(plain):.1f} ms.")
    started = perf_counter()
    pool = CandidatePool(experts)
    built = (perf_counter() - started) * 1000
    pooled = time_rank(sample, pool)
    print(f"rank(slot, CandidatePool) over the same slots: median {statistics.median(pooled):.1f} ms, "
          f"p95 {p95(pooled):.1f} ms (building the pool once: {built:.0f} ms).")

    plan = staff(slots, experts)
    places = sum(s.places for s in slots)
    open_places = sum(plan.unfilled.values())
    print(f"staff: {len(slots) - len(plan.unfilled)} of {len(slots)} slots fully staffed, "
          f"{places - open_places} of {places} places filled, in {plan.seconds:.2f} s ({plan.solver}: {plan.status}).")
    print(f"Objective (scores minus penalties) {plan.objective:.1f}; upper bound {plan.bound:.1f}; "
          f"optimality {plan.optimality:.4f}.")
    print(json.dumps({
        "rank_ms_median": round(statistics.median(plain), 3),
        "staff_slots": len(slots),
        "staff_seconds": round(plan.seconds, 3),
        "staff_objective": round(plan.objective, 3),
        "staff_bound": round(plan.bound, 3),
        "optimality": round(plan.optimality, 5),
    }))


if __name__ == "__main__":
    main()
