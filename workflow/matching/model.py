"""The staffing programme's variables and rows, built for HiGHS (see optimiser.py for what they mean)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_array

from .engine import slot_days, travel_days
from .facts import Slot
from .pool import CandidatePool

PLACE_VALUE = 200.0
DIVERSITY_PENALTY = 10.0
GENDER_BALANCE_PENALTY = 10.0
SPREAD_PENALTY = 5.0


@dataclass(frozen=True)
class Pair:
    slot: int  # position in the slot list
    row: int  # row in the candidate pool
    score: float


def padded_cliques(intervals: Sequence[tuple[int, int, int]]) -> list[list[int]]:
    """Return the maximal sets (of two or more) of mutually overlapping (first, last, key) intervals, as keys."""
    ordered = sorted(intervals)
    cliques = []
    for i, (start, _last, _key) in enumerate(ordered):
        members = [(last, key) for _first, last, key in ordered[: i + 1] if last >= start]
        following = ordered[i + 1][0] if i + 1 < len(ordered) else None
        # the set at this start point is maximal unless it survives unchanged to the next start point
        if len(members) >= 2 and (following is None or min(last for last, _ in members) < following):
            cliques.append([key for _, key in members])
    return cliques


class Model:
    """Variables and sparse rows; `lower <= A x <= upper`, costs minimised (SciPy's convention)."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.integer: list[int] = []
        self.upper: list[float] = []
        self.entries: tuple[list[int], list[int], list[float]] = ([], [], [])
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.slot_rows: dict[int, int] = {}  # slot position -> row of its "at most places" constraint

    def variable(self, cost: float, integer: bool, upper: float = 1.0) -> int:
        self.cost.append(cost)
        self.integer.append(int(integer))
        self.upper.append(upper)
        return len(self.cost) - 1

    def row(self, terms: Iterable[tuple[int, float]], lower: float, upper: float) -> int:
        index = len(self.row_lower)
        for column, value in terms:
            self.entries[0].append(index)
            self.entries[1].append(column)
            self.entries[2].append(value)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        return index

    def matrix(self) -> csr_array:
        rows, columns, values = self.entries
        return csr_array((values, (rows, columns)), shape=(len(self.row_lower), len(self.cost)))

    def solve(self, time_limit: float):
        """Solve as a mixed-integer programme."""
        size = len(self.cost)
        constraints = (LinearConstraint(self.matrix(), self.row_lower, self.row_upper),) if self.row_lower else ()
        return milp(np.array(self.cost), integrality=np.array(self.integer), bounds=Bounds(np.zeros(size), self.upper),
                    constraints=constraints, options={"time_limit": max(time_limit, 0.1), "mip_rel_gap": 1e-4})

    def relax(self):
        """Solve the linear relaxation; every row must be of the form `A x <= upper`."""
        bounds = np.column_stack([np.zeros(len(self.cost)), self.upper])
        return linprog(np.array(self.cost), A_ub=self.matrix(), b_ub=self.row_upper, bounds=bounds, method="highs")


def build(slots: Sequence[Slot], pool: CandidatePool, pairs: Sequence[Pair], *, relaxed: bool = False) -> Model:
    """Build the programme over the pairs: columns 0..len(pairs)-1 are x, in the order of `pairs`.

    `relaxed` builds what the bound needs: the fit alone as objective, a row for every slot, and no
    gender rows (their negative coefficients would break the argument in optimiser.upper_bound).
    """
    model = Model()
    place = 0.0 if relaxed else PLACE_VALUE
    columns = [model.variable(-(place + pair.score), True) for pair in pairs]
    by_slot, by_expert, by_activity = defaultdict(list), defaultdict(list), defaultdict(list)
    for column, pair in zip(columns, pairs, strict=True):
        by_slot[pair.slot].append(column)
        by_expert[pair.row].append((pair.slot, column))
        by_activity[slots[pair.slot].activity_id].append((pair.row, column))
    for position, group in by_slot.items():
        if relaxed or len(group) > slots[position].places:
            model.slot_rows[position] = model.row(((column, 1.0) for column in group), -np.inf, slots[position].places)
    for row, held in by_expert.items():
        _expert_rows(model, slots, pool, row, held)
    places = defaultdict(int)
    for slot in slots:
        places[slot.activity_id] += slot.places
    for activity_id, members in by_activity.items():
        _activity_rows(model, pool, members, places[activity_id], gender=not relaxed)
    return model


def _expert_rows(model: Model, slots: Sequence[Slot], pool: CandidatePool, row: int, held: list) -> None:
    """Add one expert's once-per-activity, calendar, day-cap and spreading rows."""
    if len(held) < 2:
        return
    once = defaultdict(list)
    for position, column in held:
        once[slots[position].activity_id].append(column)
    for group in once.values():
        if len(group) > 1:
            model.row(((column, 1.0) for column in group), -np.inf, 1)
    intervals = []
    for position, column in held:
        slot, pad = slots[position], travel_days(slots[position].remote)
        intervals.append((slot.period.start.toordinal() - pad, slot.period.end.toordinal() + pad, column))
    cliques = padded_cliques(intervals)
    for clique in cliques:
        model.row(((column, 1.0) for column in clique), -np.inf, 1)
    by_year = defaultdict(list)  # each slot's working days in each calendar year it touches
    for position, column in held:
        for year, days in slot_days(slots[position]).items():
            by_year[year].append((column, days))
    for year, group in by_year.items():
        left = float(pool.remaining_days(year)[row])
        if sum(days for _, days in group) > left:
            model.row(((column, float(days)) for column, days in group), -np.inf, left)
    if len(cliques) == 1 and len(cliques[0]) == len(held):
        return  # all the expert's slots overlap: a second assignment is impossible anyway
    extra = model.variable(SPREAD_PENALTY, False, np.inf)  # >= assignments - 1
    model.row([*((column, 1.0) for _, column in held), (extra, -1.0)], -np.inf, 1)


def _activity_rows(model: Model, pool: CandidatePool, members: list, places: int, *, gender: bool) -> None:
    """Add one activity's member-state diversity and gender-balance terms."""
    if places < 2:
        return
    for attribute in ("country", "gender") if gender else ("country",):
        groups = defaultdict(list)
        for row, column in members:
            groups[getattr(pool.candidates[row], attribute)].append((row, column))
        for group in groups.values():
            if len({row for row, _ in group}) < 2:
                continue
            inside = {column for _, column in group}
            if attribute == "country":
                surplus = model.variable(DIVERSITY_PENALTY, False, np.inf)  # >= experts from the country - 1
                model.row([*((column, 1.0) for column in inside), (surplus, -1.0)], -np.inf, 1)
            else:
                _gender_row(model, inside, members, places)


def _gender_row(model: Model, inside: set[int], members: list, places: int) -> None:
    # surplus >= same - 1 - K·others with K = places - 2: equals same - 1 for a one-gender team, and
    # one member of another gender frees it (then same <= places - 1, so same - 1 - K <= 0). K is the
    # smallest such factor, which keeps the relaxation tight (K = 0 for a team of two).
    k = float(max(places - 2, 0))
    surplus = model.variable(GENDER_BALANCE_PENALTY, False, np.inf)
    terms = [(column, 1.0 if column in inside else -k) for _, column in members if column in inside or k]
    model.row([*terms, (surplus, -1.0)], -np.inf, 1)
