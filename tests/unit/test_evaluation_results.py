"""What participants' answers add up to: averages from three answers of one activity, counts always."""

from __future__ import annotations

import pytest

from workflow.evaluations.results import (
    MIN_ANSWERS,
    NO_RESULTS,
    QUESTIONS,
    Rating,
    Sums,
    combine,
    expert_rating,
)


def sums(*answers: tuple[int, int, int, int]) -> Sums:
    return Sums(len(answers), tuple(sum(a[i] for a in answers) for i in range(len(QUESTIONS))))


@pytest.mark.parametrize("count", [0, 1, 2])
def test_fewer_than_three_answers_are_too_few_to_show_but_are_counted(count):
    results = combine([sums(*[(5, 5, 5, 5)] * count)]) if count else combine([])
    assert (results.answers, results.shown, results.averages, results.overall) == (count, False, (), None)


def test_three_answers_show_the_average_of_each_question_to_one_decimal():
    results = combine([sums((4, 5, 3, 2), (5, 5, 4, 2), (4, 4, 4, 3))])
    assert results.shown and (results.answers, results.counted, results.activities) == (3, 3, 1)
    assert results.averages == (("relevance", 4.3), ("experts_input", 4.7), ("usefulness", 3.7),
                                ("organisation", 2.3))
    assert results.average("usefulness") == 3.7 and results.overall == 3.8


def test_small_groups_stay_out_of_wider_averages_so_no_difference_reveals_them():
    big = sums((5, 5, 5, 5), (4, 4, 4, 4), (3, 3, 3, 3))
    small = sums((1, 1, 1, 1), (1, 1, 1, 1))
    results = combine([big, small])
    assert (results.answers, results.counted, results.activities) == (5, 3, 1)
    assert results.average("relevance") == 4.0
    # two small activities together reach three answers, yet neither is shown
    assert not combine([small, sums((2, 2, 2, 2))]).shown


def test_no_results_is_empty():
    assert NO_RESULTS.answers == 0 and not NO_RESULTS.shown and MIN_ANSWERS == 3


def test_an_expert_rating_weighs_each_activity_and_each_officer_rating_the_same():
    assert expert_rating([4.666], [3]) == Rating(3.8, 2)
    assert expert_rating([], [5, 4]) == Rating(4.5, 2)
    assert expert_rating([], []) is None
