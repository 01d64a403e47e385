"""What participants' answers add up to, without ever showing a group small enough to single someone out.

Pure Python: the database hands over, per activity, the number of answers and the sum of each question's
scores; these functions decide what may be shown. The rule: an average rests on at least MIN_ANSWERS
answers of one activity. An Action's, an expert's or the portfolio's averages add up only activities that
reached it, so that no difference between two figures on the pages reveals a small group's answers; the
number of answers may always show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..core.i18n import N_

# The questions, in the order the questionnaire asks them (each answered 1 to 5).
QUESTIONS = ("relevance", "experts_input", "usefulness", "organisation")
QUESTION_LABELS = {
    "relevance": N_("Relevance to your work"),
    "experts_input": N_("Quality of the experts' input"),
    "usefulness": N_("Usefulness of what you learnt"),
    "organisation": N_("Organisation"),
}
MIN_ANSWERS = 3  # fewer answers than this are "too few to show"
LOWEST, HIGHEST = 1, 5


@dataclass(frozen=True)
class Sums:
    """One activity's answers: how many, and the sum of the scores given to each question (QUESTIONS order)."""

    answers: int
    totals: tuple[int, ...]


@dataclass(frozen=True)
class Results:
    answers: int  # every answer given
    counted: int  # the answers behind the averages
    activities: int  # the activities whose answers are in the averages
    averages: tuple[tuple[str, float], ...] = ()  # (question, average), QUESTIONS order; empty when too few

    @property
    def shown(self) -> bool:
        return bool(self.averages)

    @property
    def overall(self) -> float | None:
        """The average over every question, for a one-figure summary."""
        return round(sum(value for _q, value in self.averages) / len(self.averages), 1) if self.averages else None

    def average(self, question: str) -> float | None:
        return dict(self.averages).get(question)


NO_RESULTS = Results(0, 0, 0)


def combine(groups: Iterable[Sums], *, minimum: int = MIN_ANSWERS) -> Results:
    """Add up the activities' answers; only activities with at least `minimum` answers enter the averages."""
    groups = list(groups)
    answers = sum(group.answers for group in groups)
    kept = [group for group in groups if group.answers >= minimum]
    counted = sum(group.answers for group in kept)
    if not kept or counted < minimum:
        return Results(answers, 0, 0)
    averages = tuple((question, round(sum(group.totals[i] for group in kept) / counted, 1))
                     for i, question in enumerate(QUESTIONS))
    return Results(answers, counted, len(kept), averages)


@dataclass(frozen=True)
class Rating:
    """An expert's rating as matching reads it: the mean of what it rests on, and how many items that is."""

    average: float
    items: int


def expert_rating(activity_averages: Iterable[float], officer_scores: Iterable[int]) -> Rating | None:
    """Combine participants' "experts' input" averages (one per activity with enough answers) with the
    officers' ratings of the expert's deployments, each item weighing the same; None when there is none."""
    items = [float(value) for value in activity_averages] + [float(score) for score in officer_scores]
    if not items:
        return None
    return Rating(round(sum(items) / len(items), 1), len(items))
