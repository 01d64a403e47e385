"""Staffing many slots at once: small problems whose optimum brute force knows, and the rules the plan keeps."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import replace

import pytest

from workflow.matching import Booking, CandidatePool, Period, clashes, score, staff, violations
from workflow.matching.model import padded_cliques
from workflow.matching.optimiser import (
    DIVERSITY_PENALTY,
    GENDER_BALANCE_PENALTY,
    PLACE_VALUE,
    SPREAD_PENALTY,
    Assignment,
    objective,
    penalties,
)

from .test_matching import MARCH, THB, make_candidate, make_slot


def slot_on(slot_id: int, first: int, last: int, *, activity_id: int | None = None, **changes):
    return make_slot(slot_id=slot_id, activity_id=activity_id or 100 + slot_id,
                     period=Period(MARCH(first), MARCH(last)), **changes)


def plans(slots, candidates):
    """Yield every plan the hard rules allow, as tuples of Assignments."""
    options = []
    for slot in slots:
        allowed = [c for c in candidates if not violations(c, slot)]
        options.append([
            [Assignment(slot.slot_id, c.expert_id, score(c, slot).score) for c in team]
            for size in range(slot.places + 1) for team in itertools.combinations(allowed, size)
        ])
    by_id = {c.expert_id: c for c in candidates}
    slot_of = {s.slot_id: s for s in slots}
    for choice in itertools.product(*options):
        plan = [a for team in choice for a in team]
        if keeps_the_rules(plan, slot_of, by_id):
            yield tuple(plan)


def keeps_the_rules(plan, slot_of, by_id) -> bool:
    """Check a plan against the rules that span slots, pair by pair (independently of the solver's rows)."""
    for a, b in itertools.combinations(plan, 2):
        if a.expert_id != b.expert_id:
            continue
        first, second = slot_of[a.slot_id], slot_of[b.slot_id]
        if first.activity_id == second.activity_id or clashes(Booking(first.period, first.remote, ""), second):
            return False
    for expert_id, expert in by_id.items():
        days = sum(slot_of[a.slot_id].working_days for a in plan if a.expert_id == expert_id)
        if days and expert.days_booked.get(2027, 0) + days > expert.day_cap:
            return False
    return True


def brute_force(slots, candidates):
    """Return the best value the solver can reach, the plans reaching it, and the best fit of any plan."""
    by_id = {c.expert_id: c for c in candidates}
    best, best_plans, best_fit = -math.inf, [], -math.inf
    for plan in plans(slots, candidates):
        fit = objective(plan, slots, by_id)
        value = PLACE_VALUE * len(plan) + fit
        best_fit = max(best_fit, fit)
        if value > best + 1e-9:
            best, best_plans = value, [plan]
        elif abs(value - best) <= 1e-9:
            best_plans.append(plan)
    return best, {frozenset((a.slot_id, a.expert_id) for a in plan) for plan in best_plans}, best_fit


def chosen(plan) -> frozenset:
    return frozenset((a.slot_id, a.expert_id) for a in plan.assignments)


def value(plan) -> float:
    return PLACE_VALUE * len(plan.assignments) + plan.objective


# --- against brute force -----------------------------------------------------------------------------------


def test_a_small_problem_gets_the_plan_brute_force_finds():
    slots = [slot_on(1, 10, 12), slot_on(2, 11, 13, theme="horizontal"), slot_on(3, 20, 21, places=2)]
    candidates = [
        make_candidate(1, years_experience=10, country="ES"),
        make_candidate(2, years_experience=8, country="PT", gender="male"),
        make_candidate(3, years_experience=5, country="FR", themes={THB: 2, "horizontal": 3}),
        make_candidate(4, years_experience=9, country="NL", gender="male", themes={"horizontal": 2},
                       recent_deployments=1),
    ]
    best, best_plans, _ = brute_force(slots, candidates)
    assert best_plans == {frozenset({(1, 1), (2, 3), (3, 1), (3, 2)})}  # 70 + 65 + 70 + 68 - 5 (expert 1 twice)
    plan = staff(slots, candidates)
    assert chosen(plan) in best_plans
    assert plan.objective == 268
    assert value(plan) == pytest.approx(best)
    assert plan.unfilled == {}
    assert plan.bound >= plan.objective
    assert plan.optimality == pytest.approx(plan.objective / plan.bound)
    assert plan.solver == "HiGHS MILP via scipy.optimize.milp"


def random_problem(seed: int):
    rng = random.Random(seed)
    slots = []
    for slot_id in range(1, rng.randint(3, 4) + 1):
        first = rng.randint(5, 14)
        slots.append(slot_on(
            slot_id, first, first + rng.randint(0, 2), activity_id=rng.choice((1, 1, 2, 3, 4)),
            remote=rng.random() < 0.3, places=rng.choice((1, 1, 2)), working_days=rng.randint(2, 5),
            theme=rng.choice((THB, "horizontal")), country=rng.choice(("PE", "BO")),
        ))
    candidates = []
    for expert_id in range(1, rng.randint(4, 5) + 1):
        themes = {code: rng.randint(1, 3) for code in rng.sample((THB, "horizontal"), rng.randint(1, 2))}
        first = rng.randint(1, 20)
        candidates.append(make_candidate(
            expert_id, country=rng.choice(("ES", "PT", "FR")), gender=rng.choice(("female", "male")), themes=themes,
            years_experience=rng.randint(0, 12), recent_deployments=rng.randint(0, 2),
            countries_worked=frozenset(rng.sample(("PE", "BO"), rng.randint(0, 1))),
            day_cap=rng.choice((15, 20, 60)), days_booked={2027: 10},
            bookings=(Booking(Period(MARCH(first), MARCH(first + 1)), False, "Seminar"),) if rng.random() < 0.3 else (),
        ))
    return slots, candidates


@pytest.mark.parametrize("seed", range(16))
def test_random_small_problems_reach_the_brute_force_optimum(seed):
    slots, candidates = random_problem(seed)
    best, best_plans, best_fit = brute_force(slots, candidates)
    plan = staff(slots, candidates)
    assert value(plan) == pytest.approx(best)
    assert chosen(plan) in best_plans
    assert plan.bound >= best_fit - 1e-6 >= plan.objective - 1e-6


@pytest.mark.parametrize("seed", range(16))
def test_the_bound_stays_valid_when_pruning_leaves_candidates_out(seed):
    slots, candidates = random_problem(seed)
    _best, _plans, best_fit = brute_force(slots, candidates)
    plan = staff(slots, candidates, per_slot=1)
    assert plan.bound >= best_fit - 1e-6
    assert plan.bound >= plan.objective


# --- the rules the plan keeps ---------------------------------------------------------------------------------


def test_no_expert_is_put_on_two_slots_whose_travel_padded_periods_overlap():
    slots = [slot_on(1, 10, 12), slot_on(2, 13, 14), slot_on(3, 15, 15)]  # back to back, in person
    star = make_candidate(1, countries_worked=frozenset({"PE"}))
    weak = [make_candidate(i, themes={THB: 1}, country=c) for i, c in ((2, "PT"), (3, "FR"), (4, "NL"))]
    plan = staff(slots, [star, *weak])
    starred = sorted(a.slot_id for a in plan.assignments if a.expert_id == 1)
    assert starred == [1, 3]  # 1 and 2 share a travel day, so do 2 and 3; 1 and 3 do not
    assert len(plan.assignments) == 3


def test_remote_slots_back_to_back_can_go_to_the_same_expert():
    slots = [slot_on(1, 10, 12, remote=True), slot_on(2, 13, 14, remote=True)]
    star = make_candidate(1, countries_worked=frozenset({"PE"}))
    weak = make_candidate(2, themes={THB: 1}, country="PT")
    plan = staff(slots, [star, weak])
    assert sorted(a.slot_id for a in plan.assignments if a.expert_id == 1) == [1, 2]


def test_the_yearly_day_cap_holds_across_the_plan():
    slots = [slot_on(1, 10, 12, working_days=4), slot_on(2, 20, 22, working_days=4)]
    star = make_candidate(1, day_cap=60, days_booked={2027: 54}, countries_worked=frozenset({"PE"}))  # room for one
    weak = make_candidate(2, themes={THB: 1}, country="PT")
    plan = staff(slots, [star, weak])
    assert sum(1 for a in plan.assignments if a.expert_id == 1) == 1
    assert len(plan.assignments) == 2


def test_an_expert_takes_one_slot_of_an_activity():
    slots = [slot_on(1, 10, 12, activity_id=5, remote=True), slot_on(2, 10, 12, activity_id=5, remote=True)]
    plan = staff(slots, [make_candidate(1)])
    assert len(plan.assignments) == 1
    assert plan.unfilled == {2: 1}


def test_member_state_diversity_decides_between_equal_scores():
    slots = [slot_on(1, 10, 12, activity_id=5), slot_on(2, 10, 12, activity_id=5)]
    candidates = [make_candidate(1, country="ES", gender="female"), make_candidate(2, country="ES", gender="male"),
                  make_candidate(3, country="PT", gender="male")]
    plan = staff(slots, candidates)
    countries = {next(c.country for c in candidates if c.expert_id == a.expert_id) for a in plan.assignments}
    assert countries == {"ES", "PT"}
    assert plan.objective == sum(a.score for a in plan.assignments)


def test_gender_balance_decides_between_equal_scores():
    slots = [slot_on(1, 10, 12, activity_id=5, places=2)]
    candidates = [make_candidate(1, country="ES", gender="female"), make_candidate(2, country="PT", gender="female"),
                  make_candidate(3, country="FR", gender="male")]
    plan = staff(slots, candidates)
    assert 3 in {a.expert_id for a in plan.assignments}
    assert plan.objective == sum(a.score for a in plan.assignments)


def test_work_is_spread_over_the_pool_when_the_loss_in_fit_is_small():
    slots = [slot_on(1, 10, 12), slot_on(2, 20, 22)]
    star = make_candidate(1, years_experience=10)
    near = make_candidate(2, years_experience=8, country="PT")  # 2 points below the star, less than SPREAD_PENALTY
    plan = staff(slots, [star, near])
    assert sorted(a.expert_id for a in plan.assignments) == [1, 2]
    far = make_candidate(2, years_experience=0, country="PT", recent_deployments=5)  # far below
    plan = staff(slots, [star, far])
    assert sorted(a.expert_id for a in plan.assignments) == [1, 1]
    assert plan.objective == pytest.approx(2 * score(star, slots[0]).score - SPREAD_PENALTY)


def test_places_no_one_can_take_are_reported_unfilled():
    arabic = slot_on(1, 10, 12, language="ar", activity_languages=("ar",))
    pair = slot_on(2, 20, 22, places=2)
    plan = staff([arabic, pair], [make_candidate(1)])
    assert plan.unfilled == {1: 1, 2: 1}
    assert [(a.slot_id, a.expert_id) for a in plan.assignments] == [(2, 1)]


def test_nothing_to_staff_gives_an_empty_plan():
    plan = staff([], [make_candidate(1)])
    assert (plan.assignments, dict(plan.unfilled), plan.objective, plan.bound, plan.optimality) == ((), {}, 0, 0, 1.0)


def test_a_candidate_pool_can_be_reused_for_staffing():
    slots, candidates = random_problem(3)
    assert chosen(staff(slots, CandidatePool(candidates))) == chosen(staff(slots, candidates))


# --- the soft terms and the calendar rows themselves -----------------------------------------------------------


def test_penalties_count_each_soft_term():
    slots = [slot_on(1, 10, 12, activity_id=5, places=3), slot_on(2, 20, 22, activity_id=6)]
    by_id = {1: make_candidate(1, country="ES", gender="male"), 2: make_candidate(2, country="ES", gender="male"),
             3: make_candidate(3, country="ES", gender="male")}
    team = [Assignment(1, 1, 80), Assignment(1, 2, 80), Assignment(1, 3, 80), Assignment(2, 1, 80)]
    expected = 2 * DIVERSITY_PENALTY + 2 * GENDER_BALANCE_PENALTY + SPREAD_PENALTY
    assert penalties(team, slots, by_id) == expected
    by_id[3] = replace(by_id[3], gender="female", country="PT")
    assert penalties(team, slots, by_id) == DIVERSITY_PENALTY + SPREAD_PENALTY


def test_calendar_rows_are_the_maximal_cliques_of_the_padded_intervals():
    intervals = [(1, 3, "a"), (2, 5, "b"), (4, 6, "c"), (7, 8, "d"), (4, 4, "e")]
    assert sorted(sorted(c) for c in padded_cliques(intervals)) == [["a", "b"], ["b", "c", "e"]]
    assert padded_cliques([(1, 2, "a"), (3, 4, "b")]) == []


def test_a_larger_random_problem_keeps_every_hard_rule():
    rng = random.Random(7)
    slots = [slot_on(i, d, d + rng.randint(0, 3), activity_id=i // 2, remote=rng.random() < 0.3,
                     places=rng.choice((1, 2))) for i, d in enumerate(rng.choices(range(1, 25), k=30), start=1)]
    candidates = [make_candidate(i, country=rng.choice(("ES", "PT", "FR", "DE")), years_experience=rng.randint(0, 15),
                                 gender=rng.choice(("female", "male")), day_cap=rng.choice((15, 20, 25)),
                                 days_booked={2027: 5}) for i in range(1, 16)]
    plan = staff(slots, candidates)
    by_id = {c.expert_id: c for c in candidates}
    slot_of = {s.slot_id: s for s in slots}
    assert keeps_the_rules(plan.assignments, slot_of, by_id)
    assert all(not violations(by_id[a.expert_id], slot_of[a.slot_id]) for a in plan.assignments)
    for slot in slots:
        taken = sum(1 for a in plan.assignments if a.slot_id == slot.slot_id)
        assert taken + plan.unfilled.get(slot.slot_id, 0) == slot.places
    assert plan.objective == pytest.approx(objective(plan.assignments, slots, by_id))
    assert plan.bound >= plan.objective
