"""What the pages and matching read about evaluations and ratings: sums per activity, never single answers."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from ..activities.models import Activity
from ..deployments.lifecycle import DeploymentStatus
from ..deployments.models import Deployment
from .models import DeploymentRating, Evaluation, EvaluationResponse
from .results import MIN_ANSWERS, NO_RESULTS, QUESTIONS, Rating, Results, Sums, combine, expert_rating

# An expert's participants' results count the activities they were confirmed on or completed.
EVALUATED_STATES = (DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED)


def _columns() -> list[Any]:
    return [func.count(EvaluationResponse.id), *(func.sum(getattr(EvaluationResponse, q)) for q in QUESTIONS)]


def sums_by_activity(session: Session, activity_ids: Select | list[int]) -> dict[int, Sums]:
    """Per activity among `activity_ids` (a statement selecting ids, or a list), its answers summed up."""
    rows = session.execute(
        select(Evaluation.activity_id, *_columns())
        .join(Evaluation, Evaluation.id == EvaluationResponse.evaluation_id)
        .where(Evaluation.activity_id.in_(activity_ids))
        .group_by(Evaluation.activity_id)
    ).all()
    return {activity_id: Sums(int(count), tuple(int(total or 0) for total in totals))
            for activity_id, count, *totals in rows}


def activity_results(session: Session, activity_id: int) -> Results:
    found = sums_by_activity(session, [activity_id])
    return combine(found.values()) if found else NO_RESULTS


def action_results(session: Session, action_id: int) -> Results:
    """Over the Action's activities (each with enough answers of its own)."""
    return combine(sums_by_activity(session, select(Activity.id).where(Activity.action_id == action_id)).values())


def expert_activity_ids(expert_id: int) -> Select:
    return select(Deployment.activity_id).where(Deployment.expert_id == expert_id,
                                                Deployment.status.in_(EVALUATED_STATES))


def expert_results(session: Session, expert_id: int) -> Results:
    """Over the activities the expert was confirmed on or completed."""
    return combine(sums_by_activity(session, expert_activity_ids(expert_id)).values())


def portfolio_results(session: Session, activity_ids: Select) -> Results:
    return combine(sums_by_activity(session, activity_ids).values())


def activity_comments(session: Session, activity_id: int) -> list[str]:
    """The participants' comments on an activity, only once it has enough answers; in alphabetical order,
    so that their order says nothing about who answered when."""
    results = activity_results(session, activity_id)
    if not results.shown:
        return []
    comments = session.scalars(
        select(EvaluationResponse.comment)
        .join(Evaluation, Evaluation.id == EvaluationResponse.evaluation_id)
        .where(Evaluation.activity_id == activity_id, EvaluationResponse.comment.is_not(None))
    ).all()
    return sorted((c for c in comments if c.strip()), key=str.casefold)


def evaluations_of(session: Session, activity_id: int) -> list[tuple[Evaluation, int]]:
    """The activity's questionnaires, newest first, with how many answered each."""
    answers = (select(func.count(EvaluationResponse.id)).where(EvaluationResponse.evaluation_id == Evaluation.id)
               .scalar_subquery())
    return list(session.execute(select(Evaluation, answers).where(Evaluation.activity_id == activity_id)
                                .order_by(Evaluation.created_at.desc(), Evaluation.id.desc())).tuples())


def work_history(session: Session, expert_id: int) -> list[Deployment]:
    """The expert's completed deployments, latest first, with their activity and Action."""
    return list(session.scalars(
        select(Deployment).join(Activity, Activity.id == Deployment.activity_id)
        .where(Deployment.expert_id == expert_id, Deployment.status == DeploymentStatus.COMPLETED)
        .options(joinedload(Deployment.activity).joinedload(Activity.action))
        .order_by(Activity.start_date.desc(), Deployment.id.desc())
    ).unique())


def ratings_of(session: Session, deployment_ids: list[int]) -> dict[int, DeploymentRating]:
    if not deployment_ids:
        return {}
    found = session.scalars(select(DeploymentRating).where(DeploymentRating.deployment_id.in_(deployment_ids))
                            .options(joinedload(DeploymentRating.rated_by)))
    return {rating.deployment_id: rating for rating in found}


def expert_ratings(session: Session, expert_ids: Select) -> dict[int, Rating]:
    """Each expert's rating for matching: participants' "experts' input" average on every activity with enough
    answers where the expert was confirmed or completed, and the officers' ratings of their deployments."""
    per_activity = (
        select(Evaluation.activity_id.label("activity_id"), func.avg(EvaluationResponse.experts_input).label("average"))
        .join(Evaluation, Evaluation.id == EvaluationResponse.evaluation_id)
        .group_by(Evaluation.activity_id)
        .having(func.count(EvaluationResponse.id) >= MIN_ANSWERS)
        .subquery("evaluated_activities")
    )
    averages: dict[int, list[float]] = defaultdict(list)
    for expert_id, _activity_id, average in session.execute(
        select(Deployment.expert_id, per_activity.c.activity_id, per_activity.c.average)
        .join(per_activity, per_activity.c.activity_id == Deployment.activity_id)
        .where(Deployment.expert_id.in_(expert_ids), Deployment.status.in_(EVALUATED_STATES)).distinct()
    ):
        averages[expert_id].append(float(average))
    scores: dict[int, list[int]] = defaultdict(list)
    for expert_id, score in session.execute(
        select(Deployment.expert_id, DeploymentRating.score)
        .join(Deployment, Deployment.id == DeploymentRating.deployment_id)
        .where(Deployment.expert_id.in_(expert_ids))
    ):
        scores[expert_id].append(score)
    found = {}
    for expert_id in averages.keys() | scores.keys():
        rating = expert_rating(averages.get(expert_id, ()), scores.get(expert_id, ()))
        if rating is not None:
            found[expert_id] = rating
    return found
