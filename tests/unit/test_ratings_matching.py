"""The expert's rating in the matching engine: a small scored part with its reason; no rating is neutral."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from workflow.matching import CandidatePool, rank, score, staff
from workflow.matching.engine import feasible_scores, rating_points

from .test_matching import make_candidate, make_slot, random_roster


@pytest.mark.parametrize("rating, points", [(5.0, 4), (4.5, 3), (4.2, 2), (3.0, 0), (2.6, -1), (1.0, -4),
                                            (None, 0)])
def test_two_points_per_step_away_from_the_middle_of_the_scale(rating, points):
    assert rating_points(rating) == points


def test_a_rated_expert_gets_a_rating_part_with_its_reason():
    ranked = score(make_candidate(rating=4.5, rated=3), make_slot())
    part = ranked.parts[-1]
    assert (part.factor, part.points, part.reason) == ("rating", 3.0, "Rated 4.5 of 5 (3 ratings) (+3)")
    assert part.key == "rating" and dict(part.data) == {"rating": 4.5, "count": 3}
    assert ranked.score == score(make_candidate(), make_slot()).score + 3


def test_an_expert_not_rated_yet_is_neither_helped_nor_harmed():
    plain = score(make_candidate(), make_slot())
    assert "rating" not in {p.factor for p in plain.parts}
    assert score(make_candidate(rating=3.0, rated=1), make_slot()).score == plain.score


def test_the_rating_breaks_what_would_otherwise_be_a_tie_but_weighs_less_than_thematic_fit():
    twins = [make_candidate(1), make_candidate(2, rating=5.0, rated=4)]
    assert [r.candidate.expert_id for r in rank(make_slot(), twins)] == [2, 1]
    weaker_theme = make_candidate(3, themes={"irregular_migration_thb": 2}, rating=5.0, rated=9)
    assert [r.candidate.expert_id for r in rank(make_slot(), [weaker_theme, make_candidate(4, rating=1.0)])] == [4, 3]


def rated_roster(seed: int):
    rng = random.Random(seed)
    return [replace(c, rating=rng.choice((None, 1.0, 2.4, 3.0, 3.8, 4.5, 5.0)), rated=rng.randint(1, 6))
            for c in random_roster(seed)]


@pytest.mark.parametrize("seed", range(3))
def test_every_fast_path_scores_the_rating_as_the_engine_does(seed):
    roster = rated_roster(seed)
    slot = make_slot(activity_languages=("es", "en"))
    ranked = rank(slot, roster, limit=None)
    assert all(r.score == sum(p.points for p in r.parts) for r in ranked)
    assert {c.expert_id: points for points, c in feasible_scores(slot, roster)} == {
        r.candidate.expert_id: r.score for r in ranked}
    assert rank(slot, CandidatePool(roster), limit=None) == ranked


def test_staffing_reads_the_rating_through_the_pool():
    best = make_candidate(2, rating=5.0, rated=2)
    plan = staff([make_slot()], [make_candidate(1), best])
    assert [a.expert_id for a in plan.assignments] == [2]
    assert plan.assignments[0].score == score(best, make_slot()).score
