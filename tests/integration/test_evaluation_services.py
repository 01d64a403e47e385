"""Evaluations and ratings on a real database: opening rules, anonymous answers, results, work history, matching."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, inspect, select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.core.errors import DomainError
from workflow.deployments.candidates import candidate_of, slot_of
from workflow.deployments.models import RosterChange
from workflow.deployments.roster_pool import PoolCache
from workflow.evaluations.models import DeploymentRating, EvaluationNonce, EvaluationResponse
from workflow.evaluations.queries import action_results, activity_comments, activity_results, expert_results
from workflow.evaluations.services import (
    AlreadyAnswered,
    Answers,
    EvaluationDraft,
    close_evaluation,
    open_evaluation,
    rate_deployment,
    submit_answers,
)

from ..factories import (
    make_action,
    make_completed_deployment,
    make_expert,
    make_institution,
    make_staffed_activity,
    make_user,
)

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
TODAY = NOW.date()
SUPPORTED = ("en", "es", "fr")


@pytest.fixture()
def admin(db):
    return make_user(db, Role.ADMIN)


@pytest.fixture()
def action(db, officer):
    ministry = make_institution(db, "PE", name="Ministry of the Interior of Peru")
    return make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=ministry)


@pytest.fixture()
def lucia(db):
    return make_expert(db, name="Lucía Herrera", country="ES", user=make_user(db, Role.EXPERT))


@pytest.fixture()
def delivered(db, action, officer, admin, lucia):
    """A workshop in Lima (Spanish and English) delivered in March 2026, with Lucía's deployment completed."""
    activity = make_staffed_activity(db, action, officer, start=date(2026, 3, 2), languages=("es", "en"))
    deployment = make_completed_deployment(db, activity, lucia, officer, expert_user=lucia.user, releaser=admin)
    return activity, deployment


def opened(db, activity, officer, language="es", opens_on=TODAY, days=14):
    evaluation = open_evaluation(db, activity, EvaluationDraft(language, opens_on, opens_on + timedelta(days=days)),
                                 supported=SUPPORTED, actor=officer, now=NOW)
    db.commit()
    return evaluation


def answer(db, evaluation, scores=(4, 5, 4, 3), comment=None, nonce=None, now=NOW):
    relevance, experts_input, usefulness, organisation = scores
    response = submit_answers(db, evaluation, Answers(relevance, experts_input, usefulness, organisation, comment),
                              nonce=nonce or f"nonce-{db.scalar(select(func.count(EvaluationResponse.id)))}-{scores}",
                              now=now)
    db.commit()
    return response


# --- Opening and closing ------------------------------------------------------------------------------


def test_a_questionnaire_opens_only_once_the_activity_is_delivered(db, action, officer):
    planned = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    with pytest.raises(DomainError, match="once it is delivered"):
        opened(db, planned, officer)


def test_opening_checks_the_language_the_window_and_a_second_link_in_the_same_language(db, delivered, officer):
    activity, _deployment = delivered
    with pytest.raises(DomainError, match="activity's languages") as refused:
        opened(db, activity, officer, language="fr")
    assert refused.value.field == "language"
    with pytest.raises(DomainError, match="in the past"):
        opened(db, activity, officer, opens_on=TODAY - timedelta(days=1))
    with pytest.raises(DomainError, match="at most"):
        opened(db, activity, officer, days=120)
    evaluation = opened(db, activity, officer)
    assert len(evaluation.token) >= 40 and evaluation.opens_at == NOW
    assert evaluation.closes_at == datetime.combine(TODAY + timedelta(days=15), datetime.min.time(), tzinfo=UTC)
    with pytest.raises(DomainError, match="already open"):
        opened(db, activity, officer)
    assert opened(db, activity, officer, language="en").language == "en"


def test_only_staff_open_and_close(db, delivered, lucia, officer):
    activity, _deployment = delivered
    with pytest.raises(DomainError, match="Only programme staff"):
        open_evaluation(db, activity, EvaluationDraft("es", TODAY, TODAY), supported=SUPPORTED, actor=lucia.user,
                        now=NOW)
    evaluation = opened(db, activity, officer)
    close_evaluation(db, evaluation, actor=officer, now=NOW + timedelta(hours=1))
    assert not evaluation.is_open(NOW + timedelta(hours=1))
    with pytest.raises(DomainError, match="already closed"):
        close_evaluation(db, evaluation, actor=officer, now=NOW + timedelta(hours=2))


# --- Answers ------------------------------------------------------------------------------------------


def test_an_answer_carries_nothing_that_identifies_the_participant(db, delivered, officer):
    evaluation = opened(db, delivered[0], officer)
    response = answer(db, evaluation, comment="  Very practical.  ", now=NOW + timedelta(hours=5, minutes=17))
    columns = {c.key for c in inspect(EvaluationResponse).columns}
    assert columns == {"id", "evaluation_id", "submitted_on", "relevance", "experts_input", "usefulness",
                       "organisation", "comment"}
    assert response.submitted_on == TODAY and response.comment == "Very practical."
    nonce_columns = {c.key for c in inspect(EvaluationNonce).columns}
    assert nonce_columns == {"digest", "evaluation_id", "used_on"}  # no link to the answers


def test_the_same_form_counts_once(db, delivered, officer):
    evaluation = opened(db, delivered[0], officer)
    answer(db, evaluation, nonce="the-same-form")
    with pytest.raises(AlreadyAnswered):
        answer(db, evaluation, nonce="the-same-form")
    db.rollback()
    assert activity_results(db, delivered[0].id).answers == 1


@pytest.mark.parametrize("when", [NOW - timedelta(minutes=1), NOW + timedelta(days=15)])
def test_answers_are_refused_outside_the_window(db, delivered, officer, when):
    evaluation = opened(db, delivered[0], officer)
    with pytest.raises(DomainError, match="not taking answers"):
        answer(db, evaluation, now=when)


def test_scores_outside_one_to_five_and_huge_comments_are_refused(db, delivered, officer):
    evaluation = opened(db, delivered[0], officer)
    with pytest.raises(DomainError) as refused:
        answer(db, evaluation, scores=(6, 5, 4, 3))
    assert refused.value.field == "relevance"
    with pytest.raises(DomainError) as refused:
        answer(db, evaluation, comment="x" * 2001)
    assert refused.value.field == "comment"
    db.rollback()
    assert db.scalar(select(func.count(EvaluationResponse.id))) == 0


# --- Results ------------------------------------------------------------------------------------------


def test_results_show_from_three_answers_and_comments_only_then(db, delivered, officer):
    activity = delivered[0]
    evaluation = opened(db, activity, officer)
    answer(db, evaluation, (4, 5, 4, 3), comment="Zeal of the trainers")
    answer(db, evaluation, (2, 3, 4, 5), comment="a bit long")
    two = activity_results(db, activity.id)
    assert (two.answers, two.shown) == (2, False)
    assert activity_comments(db, activity.id) == []
    answer(db, evaluation, (3, 4, 4, 4))
    three = activity_results(db, activity.id)
    assert three.shown and three.counted == 3
    assert dict(three.averages) == {"relevance": 3.0, "experts_input": 4.0, "usefulness": 4.0, "organisation": 4.0}
    assert activity_comments(db, activity.id) == ["a bit long", "Zeal of the trainers"]  # alphabetical


def test_an_action_and_an_expert_count_only_activities_with_enough_answers(db, action, officer, admin, lucia,
                                                                           delivered):
    first = delivered[0]
    second = make_staffed_activity(db, action, officer, start=date(2026, 5, 4))
    make_completed_deployment(db, second, lucia, officer, expert_user=lucia.user, releaser=admin)
    big, small = opened(db, first, officer), opened(db, second, officer)
    for scores in ((5, 5, 5, 5), (4, 4, 4, 4), (3, 3, 3, 3)):
        answer(db, big, scores)
    for scores in ((1, 1, 1, 1), (1, 1, 1, 1)):
        answer(db, small, scores)
    for results in (action_results(db, action.id), expert_results(db, lucia.id)):
        assert (results.answers, results.counted, results.activities) == (5, 3, 1)
        assert results.average("experts_input") == 4.0  # the two answers on the small activity stay out


# --- Work history and ratings ----------------------------------------------------------------------------


def test_completing_a_deployment_adds_the_country_worked_in(db, delivered, lucia):
    assert "PE" in {c.code for c in lucia.countries_worked}


def test_only_staff_rate_only_completed_deployments_and_rating_again_replaces(db, action, officer, lucia,
                                                                               delivered):
    _activity, deployment = delivered
    with pytest.raises(DomainError, match="Only programme staff"):
        rate_deployment(db, deployment, 4, None, actor=lucia.user, now=NOW)
    planned = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    from workflow.deployments.services import propose

    proposed = propose(db, planned.slots[0], lucia, actor=officer, now=NOW)
    with pytest.raises(DomainError, match="Only a completed deployment"):
        rate_deployment(db, proposed, 4, None, actor=officer, now=NOW)
    db.rollback()
    with pytest.raises(DomainError) as refused:
        rate_deployment(db, deployment, 0, None, actor=officer, now=NOW)
    assert refused.value.field == "score"
    rate_deployment(db, deployment, 2, "Late with the report.", actor=officer, now=NOW)
    rate_deployment(db, deployment, 5, "Report received after all.", actor=officer, now=NOW + timedelta(days=1))
    db.commit()
    [rating] = db.scalars(select(DeploymentRating)).all()
    assert (rating.score, rating.note, rating.rated_at) == (5, "Report received after all.", NOW + timedelta(days=1))


def test_the_rating_reaches_matching_with_a_reason_and_the_warm_pool_reloads_the_expert(db, action, officer, lucia,
                                                                                        delivered):
    activity, deployment = delivered
    slot = slot_of(db, make_staffed_activity(db, action, officer, start=date(2027, 6, 7)).slots[0])
    cache = PoolCache()
    before = cache.pool(db, today=TODAY, now=NOW).rank(slot)
    assert [r.candidate.rating for r in before] == [None]
    assert "rating" not in {p.factor for p in before[0].parts}
    seen = db.scalar(select(func.max(RosterChange.id)))

    evaluation = opened(db, activity, officer)
    for scores in ((4, 5, 4, 4), (4, 5, 4, 4), (4, 4, 4, 4)):
        answer(db, evaluation, scores)
    rate_deployment(db, deployment, 3, None, actor=officer, now=NOW)
    db.commit()

    assert lucia.id in set(db.scalars(select(RosterChange.expert_id).where(RosterChange.id > seen)))
    after = cache.pool(db, today=TODAY, now=NOW).rank(slot)
    fresh = candidate_of(db, lucia.id, today=TODAY)
    assert (fresh.rating, fresh.rated) == (3.8, 2)  # participants' 4.67 on one activity, the officer's 3
    assert after[0].candidate.rating == 3.8 and cache.partial_loads >= 1
    [part] = [p for p in after[0].parts if p.factor == "rating"]
    assert (part.points, part.reason) == (2, "Rated 3.8 of 5 (2 ratings) (+2)")
    assert after[0].score == before[0].score + 2
