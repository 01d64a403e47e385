"""Staff many open slots at once as one mixed-integer programme, solved by HiGHS through SciPy.

Variables: x[slot, expert] = 1 when the expert takes a place on the slot, for the pairs the hard
rules allow (engine.py), pruned to each slot's `per_slot` best candidates. Constraints (model.py):

- a slot takes at most `places` experts; an expert takes at most one slot of an activity;
- an expert's slots must not overlap once padded by their travel days: one "at most one" row per
  maximal clique of the expert's padded intervals (interval graphs: the cliques are the sets of
  intervals containing some start point, so these rows are exact, not an approximation);
- an expert's working days in a year stay within what the yearly day cap leaves, a slot spanning two
  years counting its days in each (engine.slot_days).

Objective, maximised: the sum of (PLACE_VALUE + score) over the assignments, minus
- DIVERSITY_PENALTY for every expert beyond the first from one member state (country) on an activity;
- GENDER_BALANCE_PENALTY for every member beyond the first of an activity team that is all one gender
  (a team of two costs it once, a team of three twice);
- SPREAD_PENALTY for each of an expert's assignments beyond the first in the plan.
Each term is linear with one continuous surplus variable, so only x is integer. PLACE_VALUE (200) is
more than one assignment can ever cost (a score down to -13, and at most 10 + 10 + 5 of new penalties),
so the plan never leaves open a place that one more allowed expert could take without moving anyone;
among plans that fill as many places, the fit decides. The reported `objective` is the fit alone (scores minus penalties), and
`bound` an upper bound on the fit of every possible plan, pruned or not (see `upper_bound`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from time import perf_counter

import numpy as np

from .facts import Candidate, Slot
from .model import (
    DIVERSITY_PENALTY,
    GENDER_BALANCE_PENALTY,
    PLACE_VALUE,
    SPREAD_PENALTY,
    Pair,
    build,
)
from .pool import CandidatePool

__all__ = [
    "DIVERSITY_PENALTY", "GENDER_BALANCE_PENALTY", "PLACE_VALUE", "SPREAD_PENALTY",
    "Assignment", "StaffingPlan", "objective", "penalties", "staff",
]
SOLVER = "HiGHS MILP via scipy.optimize.milp"
_MIX_EXPERT, _MIX_SLOT, _MIX_MOD = np.uint64(2654435761), np.uint64(40503), np.uint64(2**32)


@dataclass(frozen=True)
class Assignment:
    slot_id: int
    expert_id: int
    score: float


@dataclass(frozen=True)
class StaffingPlan:
    assignments: tuple[Assignment, ...]
    unfilled: Mapping[int, int]  # slot_id -> places left open (no allowed expert left)
    objective: float  # scores minus penalties
    bound: float  # an upper bound on the objective of every plan, pruned or not
    optimality: float  # objective / bound (1.0 when the bound is 0)
    seconds: float
    solver: str
    status: str = field(default="", compare=False)  # the solver's own words


def penalties(assignments: Iterable[Assignment], slots: Sequence[Slot], candidates: Mapping[int, Candidate]) -> float:
    """Return the soft-term penalties of a set of assignments (candidates keyed by expert_id)."""
    activity_of = {slot.slot_id: slot.activity_id for slot in slots}
    teams: dict[int, list[Candidate]] = defaultdict(list)
    load: dict[int, int] = defaultdict(int)
    for assignment in assignments:
        teams[activity_of[assignment.slot_id]].append(candidates[assignment.expert_id])
        load[assignment.expert_id] += 1
    total = SPREAD_PENALTY * sum(count - 1 for count in load.values())
    for team in teams.values():
        countries = [member.country for member in team]
        total += DIVERSITY_PENALTY * (len(countries) - len(set(countries)))
        if len(team) >= 2 and len({member.gender for member in team}) == 1:
            total += GENDER_BALANCE_PENALTY * (len(team) - 1)
    return total


def objective(assignments: Sequence[Assignment], slots: Sequence[Slot], candidates: Mapping[int, Candidate]) -> float:
    """Return the fit of a plan: the sum of its scores minus its penalties."""
    return sum(a.score for a in assignments) - penalties(assignments, slots, candidates)


def _shortlists(slots: Sequence[Slot], pool: CandidatePool) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return, per slot, the allowed rows and their scores, best first; ties in a fixed slot-dependent order.

    Scores tie often; keeping the lowest expert_ids of a tie would hand every slot the same few experts,
    who then clash. The shuffle within ties keeps the slots' shortlists apart.
    """
    lists = []
    for slot in slots:
        rows, totals = pool.scored(slot)
        shuffle = (pool.ids[rows].astype(np.uint64) * _MIX_EXPERT + np.uint64(slot.slot_id) * _MIX_SLOT) % _MIX_MOD
        order = np.lexsort((shuffle, -totals))
        lists.append((rows[order], totals[order]))
    return lists


def _pairs(shortlists, keep: Sequence[int]) -> tuple[list[Pair], dict[int, float]]:
    """Return the first keep[slot] pairs of each shortlist, and the best score each slot leaves out."""
    pairs, left_out = [], {}
    for position, ((rows, totals), size) in enumerate(zip(shortlists, keep, strict=True)):
        pairs.extend(Pair(position, int(row), float(total)) for row, total in zip(rows[:size], totals[:size], strict=True))
        if len(rows) > size:
            left_out[position] = float(totals[size])
    return pairs, left_out


def upper_bound(slots: Sequence[Slot], pool: CandidatePool, pairs: Sequence[Pair], left_out: Mapping[int, float]) -> float:
    """Bound the fit of every plan, including plans that use the candidates pruning left out.

    Solve the linear relaxation of the pruned programme (fit objective, gender term dropped: it only
    subtracts) and take its dual y >= 0. Every row has non-negative coefficients on x, so y stays
    feasible for the dual of the unpruned relaxation once each slot's dual u_s is raised to at least
    the best score pruning left out of that slot (a left-out column then gets at least u_s >= its
    score). The dual objective grows by places_s·(raise), and weak duality makes the result a bound.
    """
    model = build(slots, pool, pairs, relaxed=True)
    result = model.relax()
    if result.status != 0:
        return np.inf
    duals = -result.ineqlin.marginals  # SciPy reports d(min cost)/d(upper) <= 0
    value = -result.fun
    for position, best_left_out in left_out.items():
        value += slots[position].places * max(0.0, best_left_out - duals[model.slot_rows[position]])
    return value + 1e-6 * abs(value)  # room for the solver's tolerances


def _solve(slots: Sequence[Slot], pool: CandidatePool, pairs: list[Pair], time_limit: float):
    result = build(slots, pool, pairs).solve(time_limit)
    if result.x is None:
        raise RuntimeError(f"HiGHS returned no plan: {result.message}")
    return [pair for pair, value in zip(pairs, result.x[: len(pairs)], strict=True) if value > 0.5], result.message


def staff(slots: Sequence[Slot], candidates: Sequence[Candidate] | CandidatePool, *, per_slot: int = 40,
          time_limit: float = 10.0) -> StaffingPlan:
    """Staff the open slots in one optimisation; report the plan, its fit and how far it can be from the best."""
    started = perf_counter()
    pool = candidates if isinstance(candidates, CandidatePool) else CandidatePool(candidates)
    slots = [slot for slot in slots if slot.places > 0]
    if len({slot.slot_id for slot in slots}) < len(slots):
        raise ValueError("each slot must appear once (slot_id repeated)")
    shortlists = _shortlists(slots, pool)
    # Valid for the unpruned problem: a plan puts at most `places` allowed experts on a slot, none scoring
    # more than the slot's best, and penalties only subtract. upper_bound() usually does much better.
    bound = sum(float(np.clip(totals[: slot.places], 0.0, None).sum())
                for slot, (_rows, totals) in zip(slots, shortlists, strict=True))
    keep = [max(per_slot, slot.places) for slot in slots]
    chosen: list[Pair] = []
    status = "no allowed pair"
    for _round in range(4):
        pairs, left_out = _pairs(shortlists, keep)
        if not pairs:
            break
        chosen, status = _solve(slots, pool, pairs, time_limit - (perf_counter() - started))
        # A place left open while pruning left candidates out: widen that slot's shortlist and solve again,
        # so that an open place means that no allowed expert is left for it.
        filled = defaultdict(int)
        for pair in chosen:
            filled[pair.slot] += 1
        short = [position for position in left_out if filled[position] < slots[position].places]
        if not short or perf_counter() - started > time_limit / 2:
            break
        for position in short:
            keep[position] *= 4
    if chosen:
        bound = min(bound, upper_bound(slots, pool, pairs, left_out))
    return _plan(slots, pool, chosen, bound, started, status)


def _plan(slots, pool: CandidatePool, chosen: list[Pair], bound: float, started: float, status: str) -> StaffingPlan:
    assignments = tuple(sorted(
        (Assignment(slots[p.slot].slot_id, int(pool.ids[p.row]), p.score) for p in chosen),
        key=lambda a: (a.slot_id, -a.score, a.expert_id)))
    filled = defaultdict(int)
    for assignment in assignments:
        filled[assignment.slot_id] += 1
    unfilled = {s.slot_id: s.places - filled[s.slot_id] for s in slots if filled[s.slot_id] < s.places}
    value = objective(assignments, slots, {int(pool.ids[p.row]): pool.candidates[p.row] for p in chosen})
    return StaffingPlan(assignments, unfilled, value, bound, value / bound if bound else 1.0,
                        perf_counter() - started, SOLVER, status)
