"""Participant evaluations of delivered activities, and the officers' ratings of completed deployments."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..activities.models import Activity
from ..core.auditing import Tracked
from ..database import Base
from ..deployments.models import Deployment

# The portfolio figures are made of these tables: a change to any row re-counts them (core/figures.py).
__portfolio__ = True


class Evaluation(Base):
    """A questionnaire about one delivered activity, in one language, answered at an anonymous link.

    The token is kept as it is (not hashed), like a calendar feed's secret: the officer copies the link
    from the activity page whenever they share it, and what it guards is only the right to answer.
    """

    __tablename__ = "evaluations"
    # Participants' answers are never tracked: they are anonymous. The questionnaire's link is a secret.
    __audit__ = Tracked("activity", None, include=("language", "opens_at", "closes_at"), parent_fk="activity_id",
                        part="evaluation")
    __table_args__ = (CheckConstraint("closes_at >= opens_at", name="closes_after_opening"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))  # ISO 639-1: the page is shown in it, whatever the browser
    token: Mapped[str] = mapped_column(String(64), unique=True)  # the secret part of the anonymous link
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime] = mapped_column(index=True)  # from then on the link answers 410 Gone
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]

    activity: Mapped[Activity] = relationship()
    created_by: Mapped[User] = relationship()

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at

    @property
    def last_day(self) -> date:
        """The last day answers are taken (UTC)."""
        return (self.closes_at - timedelta(microseconds=1)).date()

    def __repr__(self) -> str:
        return f"<Evaluation id={self.id!r} activity_id={self.activity_id!r} language={self.language!r}>"


class EvaluationResponse(Base):
    """One participant's answers. Nothing here identifies them: no user, no address, no time finer than the day."""

    __tablename__ = "evaluation_responses"
    __table_args__ = (
        CheckConstraint("relevance BETWEEN 1 AND 5", name="relevance_1_to_5"),
        CheckConstraint("experts_input BETWEEN 1 AND 5", name="experts_input_1_to_5"),
        CheckConstraint("usefulness BETWEEN 1 AND 5", name="usefulness_1_to_5"),
        CheckConstraint("organisation BETWEEN 1 AND 5", name="organisation_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    submitted_on: Mapped[date]
    relevance: Mapped[int]
    experts_input: Mapped[int]  # the quality of the experts' input
    usefulness: Mapped[int]
    organisation: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)

    evaluation: Mapped[Evaluation] = relationship()

    def __repr__(self) -> str:
        return f"<EvaluationResponse id={self.id!r} evaluation_id={self.evaluation_id!r}>"


class EvaluationNonce(Base):
    """A questionnaire form already sent: the same form is never counted twice (double click, resend).

    Keyed by the nonce's digest, with no row number and no link to the answers it came with."""

    __tablename__ = "evaluation_nonces"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the form's nonce
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    used_on: Mapped[date]

    def __repr__(self) -> str:
        return f"<EvaluationNonce evaluation_id={self.evaluation_id!r}>"


class DeploymentRating(Base):
    """The officer's rating of a completed deployment (1–5, with a note): seen by programme staff only."""

    __tablename__ = "deployment_ratings"
    __audit__ = Tracked("deployment", None, include=("score", "note", "rated_by_id"),
                        parent_fk="deployment_id", part="rating")
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_1_to_5"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), unique=True)
    score: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)
    rated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    rated_at: Mapped[datetime]

    deployment: Mapped[Deployment] = relationship()
    rated_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<DeploymentRating id={self.id!r} deployment_id={self.deployment_id!r} score={self.score!r}>"
