"""The matching engine without an app or a database: hard rules, travel days, scores and their reasons."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from workflow.matching import (
    Booking,
    Candidate,
    CandidatePool,
    Period,
    Slot,
    clashes,
    format_period,
    rank,
    score,
    violations,
)
from workflow.matching.engine import feasible_scores

PERU_MINISTRY = 501  # a beneficiary institution of the Action
THB = "irregular_migration_thb"


def make_slot(**changes) -> Slot:
    """A Spanish-language workshop on trafficking in Peru, 10–12 Mar 2027, unless told otherwise."""
    slot = Slot(
        slot_id=1, activity_id=10, action_id=7, role="lead_expert", theme=THB, language="es",
        activity_languages=("es",), period=Period(date(2027, 3, 10), date(2027, 3, 12)), remote=False,
        working_days=4, country="PE", region="latin_america_caribbean", beneficiary_ids=frozenset({PERU_MINISTRY}),
        label="Workshop on victim assistance (Peru III)",
        theme_name="Irregular migration and trafficking in human beings", region_name="Latin America and the Caribbean",
    )
    return replace(slot, **changes)


def make_candidate(expert_id: int = 1, **changes) -> Candidate:
    """An active Spanish expert in trafficking at level 3 with nothing in the calendar, unless told otherwise."""
    candidate = Candidate(
        expert_id=expert_id, name=f"Expert {expert_id}", status="active", gender="female", country="ES",
        employer_id=900 + expert_id, themes={THB: 3}, languages={"es": "C2", "en": "B2"},
        countries_worked=frozenset(), regions_worked=frozenset(), years_experience=12, day_cap=60,
        days_booked={2027: 10}, bookings=(), unavailable=(), actions_served=frozenset(), recent_deployments=0,
    )
    return replace(candidate, **changes)


def booking(first: date, last: date, *, remote: bool = False, label: str | None = None) -> Booking:
    return Booking(Period(first, last), remote, label if label is not None else f"Training, {format_period(first, last)}")


MARCH = lambda day: date(2027, 3, day)  # noqa: E731


# --- hard rules --------------------------------------------------------------------------------------


REFUSALS = [
    ("status", {"status": "nominated"}, "Status is nominated"),
    ("status", {"status": "inactive"}, "only approved or active"),
    ("overlap",
     {"bookings": (booking(MARCH(3), MARCH(11), label="Workshop on victim assistance (Peru II), 3–11 Mar 2027"),)},
     "Overlaps with Workshop on victim assistance (Peru II), 3–11 Mar 2027, counting a travel day each side."),
    ("unavailable",
     {"unavailable": (booking(MARCH(1), MARCH(30), remote=True, label="unavailable: parental leave, 1–30 Mar 2027"),)},
     "unavailable: parental leave, 1–30 Mar 2027"),
    ("day_cap", {"day_cap": 60, "days_booked": {2027: 57}}, "cap of 60 days in 2027: 57 booked + 4"),
    ("language", {"languages": {"en": "C2", "es": "B1"}}, "Speaks none of Spanish at working level (B2 or above)."),
    ("conflict_of_interest", {"employer_id": PERU_MINISTRY}, "employed by a beneficiary institution of this Action"),
]


@pytest.mark.parametrize("rule, changes, words", REFUSALS, ids=[f"{r[0]}-{i}" for i, r in enumerate(REFUSALS)])
def test_each_hard_rule_refuses_with_a_message_naming_the_rule_and_the_conflicting_item(rule, changes, words):
    candidate = make_candidate(**changes)
    found = violations(candidate, make_slot())
    assert [v.rule for v in found] == [rule]
    assert words in found[0].message
    assert rank(make_slot(), [candidate]) == []


def test_the_day_cap_message_matches_the_design_example():
    candidate = make_candidate(day_cap=60, days_booked={2027: 55})
    [refusal] = violations(candidate, make_slot(working_days=8))
    assert "cap of 60 days in 2027: 55 booked + 8" in refusal.message


def test_the_language_message_names_every_language_of_the_activity():
    candidate = make_candidate(languages={"en": "C2", "fr": "C1"})
    [refusal] = violations(candidate, make_slot(activity_languages=("es", "pt")))
    assert refusal.message == "Speaks none of Spanish, Portuguese at working level (B2 or above)."


def test_a_day_cap_reached_exactly_is_allowed():
    assert violations(make_candidate(day_cap=60, days_booked={2027: 56}), make_slot()) == []


def test_the_day_cap_counts_the_year_the_slot_starts_in():
    candidate = make_candidate(day_cap=60, days_booked={2026: 60, 2027: 0})
    assert violations(candidate, make_slot()) == []


def test_every_broken_rule_is_reported_and_each_clashing_booking_is_named():
    candidate = make_candidate(
        status="nominated", employer_id=PERU_MINISTRY, languages={"fr": "C2"}, day_cap=40, days_booked={2027: 40},
        bookings=(booking(MARCH(9), MARCH(9), label="Seminar A"), booking(MARCH(13), MARCH(14), label="Seminar B")),
    )
    found = violations(candidate, make_slot())
    assert [v.rule for v in found] == ["status", "conflict_of_interest", "language", "day_cap", "overlap", "overlap"]
    assert "Seminar A" in found[4].message and "Seminar B" in found[5].message


def test_another_activity_language_at_working_level_is_enough():
    candidate = make_candidate(languages={"en": "B2", "es": "A2"})
    assert violations(candidate, make_slot(activity_languages=("es", "en"))) == []


def test_the_slot_language_counts_even_when_missing_from_the_activity_languages():
    assert violations(make_candidate(), make_slot(activity_languages=("pt",))) == []


# --- travel days ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, last, booking_remote, slot_remote, clash",
    [
        (7, 9, False, False, True),  # adjacent activities in person: the travel days collide
        (7, 8, False, False, True),  # one free day: both would travel on it
        (6, 7, False, False, False),  # two free days: one travel day each
        (13, 14, False, False, True),  # adjacent after the slot
        (7, 9, True, True, False),  # adjacent remote activities need no travel
        (7, 9, True, False, True),  # travelling to the slot on the last day of a remote activity
        (7, 8, True, False, False),
        (7, 9, False, True, True),  # travelling home from the booking on the first day of a remote slot
        (7, 8, False, True, False),
        (10, 10, True, True, True),  # the same day, even remote
    ],
)
def test_travel_days_pad_each_activity_that_is_not_remote(first, last, booking_remote, slot_remote, clash):
    item = booking(MARCH(first), MARCH(last), remote=booking_remote)
    slot = make_slot(remote=slot_remote)  # 10–12 March
    assert clashes(item, slot) is clash
    found = violations(make_candidate(bookings=(item,)), slot)
    assert [v.rule for v in found] == (["overlap"] if clash else [])
    assert bool(rank(slot, [make_candidate(bookings=(item,))])) is not clash


def test_adjacent_bookings_in_person_conflict_and_remote_ones_do_not():
    in_person = booking(MARCH(7), MARCH(9), label="Study visit to Madrid, 7–9 Mar 2027")
    [refusal] = violations(make_candidate(bookings=(in_person,)), make_slot())
    assert refusal.message == "Overlaps with Study visit to Madrid, 7–9 Mar 2027, counting a travel day each side."
    remote = replace(in_person, remote=True)
    assert violations(make_candidate(bookings=(remote,)), make_slot(remote=True)) == []


def test_an_unavailable_period_is_met_by_the_slots_travel_day_but_not_by_a_remote_slot():
    leave = booking(MARCH(1), MARCH(9), remote=True, label="unavailable: annual leave, 1–9 Mar 2027")
    [refusal] = violations(make_candidate(unavailable=(leave,)), make_slot())
    assert refusal.rule == "unavailable"
    assert refusal.message == ("Inside a declared unavailable period (unavailable: annual leave, 1–9 Mar 2027), "
                               "counting this slot's travel days.")
    assert violations(make_candidate(unavailable=(leave,)), make_slot(remote=True)) == []


# --- scores and reasons -----------------------------------------------------------------------------------


def test_the_peru_trafficking_workshop_ranks_the_trafficking_expert_with_working_spanish_first():
    slot = make_slot()
    tempting = dict(themes={THB: 3}, languages={"es": "C2"}, countries_worked=frozenset({"PE"}),
                    regions_worked=frozenset({"latin_america_caribbean"}), actions_served=frozenset({7}))
    barred = [
        make_candidate(1, unavailable=(booking(MARCH(1), MARCH(31), remote=True, label="unavailable: leave"),),
                       **tempting),
        make_candidate(2, day_cap=50, days_booked={2027: 48}, **tempting),
        make_candidate(3, **{**tempting, "languages": {"en": "C2", "pt": "C1"}}),
        make_candidate(4, bookings=(booking(MARCH(11), MARCH(13), label="Training in Lima"),), **tempting),
        make_candidate(5, employer_id=PERU_MINISTRY, **tempting),
        make_candidate(6, status="nominated", **tempting),
    ]
    expert = make_candidate(20, status="active", themes={THB: 3}, languages={"es": "C1", "en": "C1"},
                            regions_worked=frozenset({"latin_america_caribbean"}))
    others = [
        make_candidate(21, themes={THB: 2}, languages={"es": "C2"}),
        make_candidate(22, themes={"legal_migration_mobility": 3}, languages={"es": "C2"}),
        make_candidate(23, themes={THB: 3}, languages={"es": "B2"}, status="approved"),
    ]
    ranked = rank(slot, [*barred, *others, expert])
    assert ranked[0].candidate.expert_id == 20
    assert [r.candidate.expert_id for r in ranked] == [20, 23, 21, 22]
    assert not {r.candidate.expert_id for r in ranked} & {b.expert_id for b in barred}
    thematic = ranked[0].parts[0]
    assert thematic.reason == "Irregular migration and trafficking in human beings expertise at level 3 (+40)"


def test_every_part_has_a_reason_with_its_points_and_the_parts_add_up():
    candidate = make_candidate(countries_worked=frozenset({"PE"}), actions_served=frozenset({7}),
                               recent_deployments=2, years_experience=14)
    ranked = score(candidate, make_slot())
    assert [p.factor for p in ranked.parts] == ["thematic", "language", "regional", "continuity", "seniority", "load"]
    assert ranked.score == sum(p.points for p in ranked.parts) == 40 + 20 + 15 + 10 + 10 - 6
    reasons = [p.reason for p in ranked.parts]
    assert reasons == [
        "Irregular migration and trafficking in human beings expertise at level 3 (+40)",
        "Spanish at C2, the slot's language (+20)",
        "Has worked in Peru (+15)",
        "Deployed on this Action before (+10)",
        "14 years of experience, counted up to 10 (+10)",
        "2 deployments in the last 12 months (-6)",
    ]


def test_parts_worth_nothing_still_say_why():
    candidate = make_candidate(themes={}, years_experience=0, languages={"en": "C1", "es": "B1"})
    parts = score(candidate, make_slot(activity_languages=("es", "en"))).parts
    assert [p.points for p in parts] == [0, 6, 0, 0, 0, 0]
    assert parts[0].reason == "No expertise in irregular migration and trafficking in human beings (+0)"
    assert parts[1].reason == "Works in English, another language of the activity, but not in Spanish (+6)"
    assert parts[2].reason == "No work experience in Peru or Latin America and the Caribbean (+0)"
    assert all(p.reason for p in parts)


@pytest.mark.parametrize("level, points", [(3, 40), (2, 27), (1, 13), (0, 0)])
def test_thematic_fit_is_weighted_by_level(level, points):
    themes = {THB: level} if level else {}
    assert score(make_candidate(themes=themes), make_slot()).parts[0].points == points


@pytest.mark.parametrize("languages, points", [
    ({"es": "C2"}, 20), ({"es": "C1"}, 20), ({"es": "B2"}, 12), ({"es": "B1", "en": "C2"}, 6),
])
def test_the_required_language_at_c1_counts_more_than_at_b2_and_more_than_another_activity_language(languages, points):
    slot = make_slot(activity_languages=("es", "en"))
    assert score(make_candidate(languages=languages), slot).parts[1].points == points


def test_experience_in_the_country_counts_more_than_in_the_region():
    slot = make_slot()
    country = score(make_candidate(countries_worked=frozenset({"PE"})), slot).parts[2]
    region = score(make_candidate(regions_worked=frozenset({"latin_america_caribbean"})), slot).parts[2]
    assert (country.points, region.points) == (15, 8)
    assert region.reason == "Has worked in Latin America and the Caribbean, though not in Peru (+8)"


def test_recent_deployments_lower_the_score_up_to_a_cap():
    slot = make_slot()
    loads = [score(make_candidate(recent_deployments=n), slot).parts[5].points for n in (0, 1, 5, 9)]
    assert loads == [0, -3, -15, -15]


def test_ties_are_broken_by_expert_id_whatever_the_input_order():
    twins = [make_candidate(expert_id) for expert_id in (31, 4, 17, 8, 25)]
    expected = [4, 8, 17, 25, 31]
    for seed in range(5):
        random.Random(seed).shuffle(twins)
        assert [r.candidate.expert_id for r in rank(make_slot(), twins)] == expected
        assert [r.candidate.expert_id for r in rank(make_slot(), twins, limit=None)] == expected
        assert [r.candidate.expert_id for r in rank(make_slot(), CandidatePool(twins))] == expected
    assert [r.candidate.expert_id for r in rank(make_slot(), twins, limit=2)] == [4, 8]


# --- a random roster: the fast paths agree with the rules and the scores -------------------------------------


def random_roster(seed: int, size: int = 400) -> list[Candidate]:
    rng = random.Random(seed)
    themes = (THB, "legal_migration_mobility", "horizontal")
    roster = []
    for expert_id in rng.sample(range(1, 10 * size), size):
        first = MARCH(1) + timedelta(days=rng.randrange(0, 25))
        item = booking(first, first + timedelta(days=rng.randrange(0, 4)), remote=rng.random() < 0.3)
        roster.append(make_candidate(
            expert_id,
            status=rng.choice(("nominated", "approved", "active", "active", "inactive")),
            employer_id=rng.choice((None, PERU_MINISTRY, 900, 901)),
            themes={code: rng.randint(1, 3) for code in rng.sample(themes, rng.randint(0, 2))},
            languages={code: rng.choice(("A2", "B1", "B2", "C1", "C2")) for code in rng.sample(("es", "en", "pt"), 2)},
            countries_worked=frozenset(rng.sample(("PE", "BO", "MX"), rng.randint(0, 2))),
            regions_worked=frozenset({"latin_america_caribbean"}) if rng.random() < 0.5 else frozenset(),
            years_experience=rng.randint(0, 25), day_cap=rng.choice((30, 60)), days_booked={2027: rng.randint(0, 40)},
            bookings=(item,) if rng.random() < 0.5 else (),
            actions_served=frozenset({7}) if rng.random() < 0.2 else frozenset(),
            recent_deployments=rng.randint(0, 7),
        ))
    return roster


@pytest.mark.parametrize("seed", range(4))
def test_rank_lists_exactly_the_allowed_candidates_with_their_scores(seed):
    roster = random_roster(seed)
    slot = make_slot(activity_languages=("es", "en"), remote=seed % 2 == 0)
    allowed = {c.expert_id for c in roster if not violations(c, slot)}
    ranked = rank(slot, roster, limit=None)
    assert {r.candidate.expert_id for r in ranked} == allowed
    assert all(r.score == score(r.candidate, slot).score for r in ranked)
    keys = [(-r.score, r.candidate.expert_id) for r in ranked]
    assert keys == sorted(keys)
    assert {c.expert_id: points for points, c in feasible_scores(slot, roster)} == {
        r.candidate.expert_id: r.score for r in ranked}


@pytest.mark.parametrize("seed", range(4))
def test_a_candidate_pool_ranks_exactly_like_the_plain_list(seed):
    roster = random_roster(seed)
    pool = CandidatePool(roster)
    for slot in (make_slot(), make_slot(activity_languages=("es", "en"), language="en", remote=True),
                 make_slot(country=None, period=Period(MARCH(20), MARCH(24)))):
        for limit in (None, 20, 1):
            assert rank(slot, pool, limit=limit) == rank(slot, roster, limit=limit)


@pytest.mark.parametrize("seed", range(4))
def test_a_pool_lists_the_refused_by_the_score_they_would_have_had(seed):
    roster = random_roster(seed)
    pool = CandidatePool(roster)
    matchable = [c for c in roster if c.status in ("approved", "active")]
    for slot in (make_slot(), make_slot(activity_languages=("es", "en"), language="en", remote=True)):
        expected = sorted((c for c in matchable if violations(c, slot)),
                          key=lambda c: (-score(c, slot).score, c.expert_id))
        assert pool.refused(slot, limit=len(roster)) == expected
        assert pool.refused(slot, limit=5) == expected[:5]
        some = pool.among(c.expert_id for c in roster[::3])
        assert pool.refused(slot, limit=len(roster), within=some) == [
            c for c in expected if c.expert_id in {x.expert_id for x in roster[::3]}]


@pytest.mark.parametrize("seed", range(4))
def test_a_pool_updated_row_by_row_ranks_like_one_built_afresh(seed):
    rng = random.Random(seed)
    roster = random_roster(seed)
    others = random_roster(seed + 100)
    pool = CandidatePool(roster)
    slots = (make_slot(), make_slot(activity_languages=("es", "en"), language="en", remote=True),
             make_slot(country=None, period=Period(MARCH(20), MARCH(24))))
    for slot in slots:  # the day-cap figures of the slot's year are cached before the update
        pool.rank(slot, limit=None)
    changed = [replace(other, expert_id=c.expert_id) for c, other in zip(rng.sample(roster, 40), others, strict=False)]
    removed = [c.expert_id for c in rng.sample(roster, 15)]
    added = [replace(other, expert_id=10_000 + n) for n, other in enumerate(others[50:70])]
    updated = pool.updated(changed + added, removed=removed)
    now = {c.expert_id: c for c in roster}
    now.update((c.expert_id, c) for c in changed)
    for expert_id in set(removed) - {c.expert_id for c in changed}:
        del now[expert_id]
    now.update((c.expert_id, c) for c in added)
    afresh = CandidatePool(now.values())
    for slot in slots:
        for limit in (None, 20):
            assert rank(slot, updated, limit=limit) == rank(slot, afresh, limit=limit) == rank(
                slot, list(now.values()), limit=limit)
        assert updated.refused(slot, limit=len(now)) == afresh.refused(slot, limit=len(now))
        some = [c.expert_id for c in list(now.values())[::3]]
        assert updated.rank(slot, within=updated.among(some)) == afresh.rank(slot, within=afresh.among(some))
    assert rank(slots[0], pool, limit=None) == rank(slots[0], roster, limit=None)  # the first pool is left alone
