"""The evaluations' part of an expert's export and erasure: officers' ratings of their deployments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..core.privacy import ERASED_TEXT, row
from ..deployments.models import Deployment
from ..experts.models import Expert
from .models import DeploymentRating


def export(expert: Expert, *, session: Session) -> dict[str, Any]:
    """Shown to staff only in Peerflow, but theirs to see."""
    return {"ratings": [{"deployment_id": r.deployment_id, **row(r, "score", "note", "rated_at")} for r in session.scalars(
        select(DeploymentRating).join(Deployment).where(Deployment.expert_id == expert.id)
        .order_by(DeploymentRating.rated_at, DeploymentRating.id))]}


def erase(_expert: Expert, *, session: Session, deployment_ids: list[int], **_: Any) -> list[str]:
    """The notes go; the scores stay, so the averages stay true."""
    if deployment_ids:
        session.execute(update(DeploymentRating).where(DeploymentRating.deployment_id.in_(deployment_ids),
                                                       DeploymentRating.note.is_not(None))
                        .values(note=ERASED_TEXT).execution_options(synchronize_session="fetch"))
    return []
