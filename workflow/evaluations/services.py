"""Use cases: open a questionnaire on a delivered activity, close it, answer it anonymously, rate a deployment."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..activities.lifecycle import ActivityStatus
from ..activities.models import Activity
from ..core.errors import DomainError
from ..core.i18n import _
from ..core.labels import label
from ..deployments.lifecycle import DeploymentStatus
from ..deployments.models import Deployment
from ..deployments.roster_pool import roster_changed
from .models import DeploymentRating, Evaluation, EvaluationNonce, EvaluationResponse
from .queries import EVALUATED_STATES
from .results import HIGHEST, LOWEST, QUESTIONS
from .signals import evaluation_changed

# An activity is evaluated once it has taken place.
EVALUABLE = frozenset({ActivityStatus.DELIVERED, ActivityStatus.REPORTED})
MAX_WINDOW_DAYS = 92  # a questionnaire stays open at most about three months
MAX_COMMENT = 2_000  # characters; longer comments are refused, never cut
MAX_NOTE = 2_000


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise DomainError(_("Only programme staff open questionnaires and rate deployments."))


def evaluation_languages(activity: Activity, supported: Collection[str]) -> list[str]:
    """The languages a questionnaire on `activity` can be in: the activity's own that Peerflow speaks, else all
    Peerflow speaks (an activity in Portuguese is asked about in a language the questionnaire exists in)."""
    own = [code for code in activity.languages or () if code in supported]
    return own or list(supported)


@dataclass(frozen=True)
class EvaluationDraft:
    language: str
    opens_on: date
    closes_on: date  # the last day answers are taken (to midnight UTC)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def open_evaluation(session: Session, activity: Activity, draft: EvaluationDraft, *, supported: Collection[str],
                    actor: User, now: datetime) -> Evaluation:
    """Open a questionnaire on a delivered (or reported) activity, answered at a new anonymous link."""
    _require_staff(actor)
    if activity.status not in EVALUABLE:
        raise DomainError(_("This activity is %(status)s: participants evaluate an activity once it is delivered.",
                            status=label(activity.status).lower()))
    if draft.language not in evaluation_languages(activity, supported):
        raise DomainError(_("Choose one of the activity's languages."), field="language")
    if draft.opens_on < now.date():
        raise DomainError(_("The questionnaire cannot open in the past."), field="opens_on")
    if draft.closes_on < draft.opens_on:
        raise DomainError(_("The closing day is before the opening day."), field="closes_on")
    if (draft.closes_on - draft.opens_on).days >= MAX_WINDOW_DAYS:
        raise DomainError(_("A questionnaire stays open at most %(days)s days.", days=MAX_WINDOW_DAYS),
                          field="closes_on")
    clash = session.scalar(select(Evaluation.id).where(
        Evaluation.activity_id == activity.id, Evaluation.language == draft.language, Evaluation.closes_at > now))
    if clash is not None:
        raise DomainError(_("A questionnaire in this language is already open or about to open for this activity."),
                          field="language")
    evaluation = Evaluation(
        activity=activity, language=draft.language, token=secrets.token_urlsafe(32),
        opens_at=max(now, _midnight(draft.opens_on)), closes_at=_midnight(draft.closes_on + timedelta(days=1)),
        created_by_id=actor.id, created_at=now,
    )
    session.add(evaluation)
    session.flush()
    evaluation_changed.send(evaluation, session=session, actor=actor, now=now)
    return evaluation


def close_evaluation(session: Session, evaluation: Evaluation, *, actor: User, now: datetime) -> Evaluation:
    """Stop taking answers now (the link answers 410 Gone from then on)."""
    _require_staff(actor)
    if evaluation.closes_at <= now:
        raise DomainError(_("This questionnaire is already closed."))
    evaluation.closes_at = now
    evaluation.opens_at = min(evaluation.opens_at, now)
    session.flush()
    evaluation_changed.send(evaluation, session=session, actor=actor, now=now)
    return evaluation


@dataclass(frozen=True)
class Answers:
    relevance: int
    experts_input: int
    usefulness: int
    organisation: int
    comment: str | None = None


def _check_answers(answers: Answers) -> None:
    for question in QUESTIONS:
        value = getattr(answers, question)
        if not isinstance(value, int) or not LOWEST <= value <= HIGHEST:
            raise DomainError(_("Choose a score from %(low)s to %(high)s.", low=LOWEST, high=HIGHEST), field=question)
    if answers.comment is not None and len(answers.comment) > MAX_COMMENT:
        raise DomainError(_("Comments are at most %(max)s characters.", max=MAX_COMMENT), field="comment")


def nonce_digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


NONCE_SALT = "evaluation-form"


def new_nonce(evaluation_id: int, secret: str) -> str:
    """A single-use value for one questionnaire form, signed so that only this site's forms carry one."""
    return URLSafeSerializer(secret, salt=NONCE_SALT).dumps([evaluation_id, secrets.token_urlsafe(16)])


def signed_nonce(value: str | None, evaluation_id: int, secret: str) -> str | None:
    """`value` if this site issued it for this questionnaire, else None."""
    try:
        found, _random = URLSafeSerializer(secret, salt=NONCE_SALT).loads(value or "")
    except (BadSignature, TypeError, ValueError):
        return None
    return value if found == evaluation_id else None


class AlreadyAnswered(DomainError):
    code = "already_answered"
    status = 409


def submit_answers(session: Session, evaluation: Evaluation, answers: Answers, *, nonce: str,
                   now: datetime) -> EvaluationResponse:
    """Record one participant's answers, with nothing that identifies them; the same form counts once."""
    if not evaluation.is_open(now):
        raise DomainError(_("This questionnaire is not taking answers."))
    _check_answers(answers)
    digest = nonce_digest(nonce)
    if session.get(EvaluationNonce, digest) is not None:
        raise AlreadyAnswered(_("These answers were already received. Thank you."))
    session.add(EvaluationNonce(digest=digest, evaluation_id=evaluation.id, used_on=now.date()))
    comment = (answers.comment or "").strip() or None
    response = EvaluationResponse(evaluation_id=evaluation.id, submitted_on=now.date(), comment=comment,
                                  **{question: getattr(answers, question) for question in QUESTIONS})
    session.add(response)
    session.flush()
    # The experts of the activity may have a new rating: the matching pools reload them.
    roster_changed(session, session.scalars(select(Deployment.expert_id).where(
        Deployment.activity_id == evaluation.activity_id, Deployment.status.in_(EVALUATED_STATES))), now=now)
    evaluation_changed.send(evaluation, session=session, actor=None, now=now)
    return response


def rate_deployment(session: Session, deployment: Deployment, score: int, note: str | None, *, actor: User,
                    now: datetime) -> DeploymentRating:
    """Rate a completed deployment 1–5 with a note; rating it again replaces the earlier rating."""
    _require_staff(actor)
    if deployment.status is not DeploymentStatus.COMPLETED:
        raise DomainError(_("Only a completed deployment is rated (this one is %(status)s).",
                            status=label(deployment.status).lower()))
    if not isinstance(score, int) or not LOWEST <= score <= HIGHEST:
        raise DomainError(_("Choose a score from %(low)s to %(high)s.", low=LOWEST, high=HIGHEST), field="score")
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise DomainError(_("The note is at most %(max)s characters.", max=MAX_NOTE), field="note")
    rating = session.scalar(select(DeploymentRating).where(DeploymentRating.deployment_id == deployment.id))
    if rating is None:
        rating = DeploymentRating(deployment_id=deployment.id)
        session.add(rating)
    rating.score, rating.note, rating.rated_by_id, rating.rated_at = score, note, actor.id, now
    session.flush()
    roster_changed(session, [deployment.expert_id], now=now)  # matching reads the new rating
    evaluation_changed.send(deployment, session=session, actor=actor, now=now)
    return rating
