"""Candidates indexed once as arrays, so that many slots are filtered and scored in a few vector steps.

The rules and points are those of `engine.py`; every total a pool computes equals `engine.score`'s
(all points are whole numbers, so the order of the additions cannot change a total).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from .engine import (
    CONTINUITY_POINTS,
    COUNTRY_POINTS,
    LANGUAGE_FLUENT_POINTS,
    LANGUAGE_OTHER_POINTS,
    LANGUAGE_WORKING_POINTS,
    MATCHABLE_STATUSES,
    REGION_POINTS,
    activity_languages,
    load_points,
    rating_points,
    score,
    seniority_points,
    slot_days,
    theme_points,
    travel_days,
)
from .facts import Candidate, Ranked, Slot

CEFR_RANK = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}
_WORKING, _FLUENT = CEFR_RANK["B2"], CEFR_RANK["C1"]
_NO_EMPLOYER = np.iinfo(np.int64).min


def _index(groups: dict[object, list[int]]) -> dict[object, np.ndarray]:
    return {key: np.array(rows, dtype=np.intp) for key, rows in groups.items()}


class CandidatePool:
    """Candidates indexed by language, theme, places worked and calendar; reuse it across slots."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates: tuple[Candidate, ...] = tuple(sorted(candidates, key=lambda c: c.expert_id))
        size = len(self.candidates)
        self.ids = np.fromiter((c.expert_id for c in self.candidates), np.int64, size)
        self.matchable = np.fromiter((c.status in MATCHABLE_STATUSES for c in self.candidates), bool, size)
        self.employer = np.fromiter(
            (_NO_EMPLOYER if c.employer_id is None else c.employer_id for c in self.candidates), np.int64, size)
        self.day_cap = np.fromiter((c.day_cap for c in self.candidates), np.int64, size)
        self.base = np.fromiter(  # the parts that do not depend on the slot
            (seniority_points(c.years_experience) + load_points(c.recent_deployments) + rating_points(c.rating)
             for c in self.candidates),
            np.float64, size)
        self._language: dict[str, np.ndarray] = {}
        self._theme: dict[str, np.ndarray] = {}
        self._remaining: dict[int, np.ndarray] = {}
        countries, regions, actions = defaultdict(list), defaultdict(list), defaultdict(list)
        calendar: list[tuple[int, int, int, int]] = []
        for row, c in enumerate(self.candidates):
            for code, level in c.languages.items():
                self._array(self._language, code, np.int8)[row] = CEFR_RANK.get(level, 0)
            for code, level in c.themes.items():
                self._array(self._theme, code, np.float64)[row] = theme_points(level)
            for code in c.countries_worked:
                countries[code].append(row)
            for code in c.regions_worked:
                regions[code].append(row)
            for action_id in c.actions_served:
                actions[action_id].append(row)
            for booking in (*c.bookings, *c.unavailable):
                period = booking.period
                calendar.append(
                    (row, period.start.toordinal(), period.end.toordinal(), travel_days(booking.remote)))
        self._countries, self._regions, self._actions = _index(countries), _index(regions), _index(actions)
        table = np.array(calendar, dtype=np.int64).reshape(-1, 4)
        self._owner, self._first, self._last, self._pad = table.T.copy()

    def __len__(self) -> int:
        return len(self.candidates)

    def updated(self, changed: Iterable[Candidate], removed: Iterable[int] = ()) -> CandidatePool:
        """A new pool with these candidates replaced (or added) and these experts taken out, row by row: the
        other rows are copied as arrays, never read again one by one (a few changed experts cost well under a
        millisecond, a whole pool of 10,000 about a second). This pool is left as it was (another thread may
        be ranking with it). A removed expert's row stays, unmatchable and empty; an added one is appended."""
        fresh = {c.expert_id: c for c in changed}
        where = {int(expert_id): row for row, expert_id in enumerate(self.ids)}
        added = [expert_id for expert_id in fresh if expert_id not in where]
        touched = sorted({where[e] for e in (*fresh, *removed) if e in where})
        new = object.__new__(CandidatePool)
        size, grow = len(self), len(added)

        def grown(array: np.ndarray, fill: object = 0) -> np.ndarray:
            return np.concatenate((array, np.full(grow, fill, dtype=array.dtype))) if grow else array.copy()

        new.candidates = (*self.candidates, *(fresh[e] for e in added))
        new.ids = np.concatenate((self.ids, np.array(added, dtype=np.int64))) if grow else self.ids
        new.matchable, new.employer = grown(self.matchable, False), grown(self.employer, _NO_EMPLOYER)
        new.day_cap, new.base = grown(self.day_cap), grown(self.base)
        new._language = {code: grown(array) for code, array in self._language.items()}
        new._theme = {code: grown(array) for code, array in self._theme.items()}
        new._countries, new._regions, new._actions = dict(self._countries), dict(self._regions), dict(self._actions)
        keep = ~np.isin(self._owner, touched)
        new._owner, new._first, new._last, new._pad = (a[keep] for a in (self._owner, self._first, self._last, self._pad))
        old_rows = [(row, self.candidates[row]) for row in touched]
        for row, old in old_rows:
            new._clear(row, old)
        rows = [(where[e], c) for e, c in fresh.items() if e in where]
        rows += [(size + n, fresh[e]) for n, e in enumerate(added)]
        candidates = list(new.candidates)
        calendar: list[tuple[int, int, int, int]] = []
        for row, c in rows:
            candidates[row] = c
            new._fill(row, c, calendar)
        new.candidates = tuple(candidates)
        if calendar:
            table = np.array(calendar, dtype=np.int64).T
            new._owner, new._first, new._last, new._pad = (
                np.concatenate((a, t)) for a, t in zip((new._owner, new._first, new._last, new._pad), table,
                                                       strict=True))
        new._remaining = {}
        for year, left in self._remaining.items():
            left = grown(left)
            for row, c in rows:
                left[row] = c.day_cap - c.days_booked.get(year, 0)
            new._remaining[year] = left
        return new

    def _clear(self, row: int, old: Candidate) -> None:
        """Empty a row of `updated`'s new pool (its arrays are already this pool's own copies)."""
        self.matchable[row] = False
        for table, codes in ((self._language, old.languages), (self._theme, old.themes)):
            for code in codes:
                if code in table:
                    table[code][row] = 0
        for index, codes in ((self._countries, old.countries_worked), (self._regions, old.regions_worked),
                             (self._actions, old.actions_served)):
            for code in codes:
                if code in index:
                    index[code] = index[code][index[code] != row]

    def _fill(self, row: int, c: Candidate, calendar: list[tuple[int, int, int, int]]) -> None:
        """Write a candidate into a row of `updated`'s new pool, as `__init__` would have."""
        self.matchable[row] = c.status in MATCHABLE_STATUSES
        self.employer[row] = _NO_EMPLOYER if c.employer_id is None else c.employer_id
        self.day_cap[row] = c.day_cap
        self.base[row] = seniority_points(c.years_experience) + load_points(c.recent_deployments) + rating_points(
            c.rating)
        for code, level in c.languages.items():
            self._array(self._language, code, np.int8)[row] = CEFR_RANK.get(level, 0)
        for code, level in c.themes.items():
            self._array(self._theme, code, np.float64)[row] = theme_points(level)
        for index, codes in ((self._countries, c.countries_worked), (self._regions, c.regions_worked),
                             (self._actions, c.actions_served)):
            for code in codes:
                index[code] = np.append(index.get(code, np.zeros(0, dtype=np.intp)), row)
        for booking in (*c.bookings, *c.unavailable):
            period = booking.period
            calendar.append((row, period.start.toordinal(), period.end.toordinal(), travel_days(booking.remote)))

    def _array(self, table: dict[str, np.ndarray], code: str, dtype: type) -> np.ndarray:
        if code not in table:
            table[code] = np.zeros(len(self.candidates), dtype=dtype)
        return table[code]

    def remaining_days(self, year: int) -> np.ndarray:
        """Return, per row, the working days the yearly day cap still leaves in that year."""
        if year not in self._remaining:
            booked = np.fromiter((c.days_booked.get(year, 0) for c in self.candidates), np.int64, len(self))
            self._remaining[year] = self.day_cap - booked
        return self._remaining[year]

    def among(self, expert_ids: Iterable[int]) -> np.ndarray:
        """Return a mask of the rows of these experts (those not in the pool are ignored)."""
        return np.isin(self.ids, np.fromiter(expert_ids, np.int64))

    def speakers(self, slot: Slot) -> np.ndarray:
        """Return a mask of the matchable candidates with a working language (B2+) of the activity."""
        speaks = np.zeros(len(self), dtype=bool)
        for code in activity_languages(slot):
            if code in self._language:
                speaks |= self._language[code] >= _WORKING
        return speaks & self.matchable

    def allowed(self, slot: Slot, within: np.ndarray | None = None) -> np.ndarray:
        """Return a mask of the candidates the hard rules allow for the slot (among `within`, a mask)."""
        mask = self.speakers(slot)
        if within is not None:
            mask &= within
        for institution in slot.beneficiary_ids:
            mask &= self.employer != institution
        for year, days in slot_days(slot).items():  # each day counts in its own calendar year
            mask &= self.remaining_days(year) >= days
        reach = self._pad + travel_days(slot.remote)
        first, last = slot.period.start.toordinal(), slot.period.end.toordinal()
        clash = (self._first - last <= reach) & (first - self._last <= reach)
        mask[self._owner[clash]] = False
        return mask

    def scores(self, slot: Slot, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return the rows the hard rules allow and their scores, best first, ties by expert_id."""
        rows, totals = self.scored(slot, within)
        order = np.lexsort((self.ids[rows], -totals))
        return rows[order], totals[order]

    def scored(self, slot: Slot, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return the rows the hard rules allow and their scores, in row order."""
        rows = np.flatnonzero(self.allowed(slot, within))
        return rows, self._totals(slot, rows)

    def refused(self, slot: Slot, *, limit: int = 10, within: np.ndarray | None = None) -> list[Candidate]:
        """Return the matchable candidates the hard rules refuse for the slot (among `within`), best score they
        would have had first, ties by expert_id: whom staff would miss, for `engine.violations` to explain."""
        mask = self.matchable & ~self.allowed(slot, within)
        if within is not None:
            mask &= within
        rows = np.flatnonzero(mask)
        order = np.lexsort((self.ids[rows], -self._totals(slot, rows)))[:limit]
        return [self.candidates[row] for row in rows[order]]

    def _totals(self, slot: Slot, rows: np.ndarray) -> np.ndarray:
        """Return the scores of these rows for the slot, as `engine.score` totals them (hard rules not checked)."""
        zeros = np.zeros(len(self), dtype=np.int8)
        required = self._language.get(slot.language, zeros)[rows]
        other = np.zeros(len(rows), dtype=bool)
        for code in activity_languages(slot):
            if code != slot.language and code in self._language:
                other |= self._language[code][rows] >= _WORKING
        language = np.where(required >= _FLUENT, LANGUAGE_FLUENT_POINTS,
                            np.where(required >= _WORKING, LANGUAGE_WORKING_POINTS,
                                     np.where(other, LANGUAGE_OTHER_POINTS, 0)))
        places = np.zeros(len(self), dtype=np.float64)
        if slot.region in self._regions:
            places[self._regions[slot.region]] = REGION_POINTS
        if slot.country in self._countries:
            places[self._countries[slot.country]] = COUNTRY_POINTS
        if slot.action_id in self._actions:
            places[self._actions[slot.action_id]] += CONTINUITY_POINTS
        theme = self._theme[slot.theme][rows] if slot.theme in self._theme else 0.0
        return theme + language + places[rows] + self.base[rows]

    def rank(self, slot: Slot, *, limit: int | None = 20, within: np.ndarray | None = None) -> list[Ranked]:
        """Rank like `engine.rank`, from the index (only the rows `within` allows, when given)."""
        rows, _totals = self.scores(slot, within)
        if limit is not None:
            rows = rows[:limit]
        return [score(self.candidates[row], slot) for row in rows]
