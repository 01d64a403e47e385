"""The results' part of an expert's export and erasure: measurements and news of deliverables their account
recorded (an expert with an account may have been a requester's colleague, or staff before)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..core.privacy import row
from ..experts.models import Expert
from .models import DeliverableStage, Measurement


def export(expert: Expert, *, session: Session) -> dict[str, Any]:
    """What their account recorded: each measurement and each piece of news, with the Action it belongs to."""
    if expert.user_id is None:
        return {"measurements_recorded": [], "deliverable_news_recorded": []}
    measurements = session.scalars(select(Measurement).where(Measurement.recorded_by_id == expert.user_id)
                                   .order_by(Measurement.recorded_at, Measurement.id))
    stages = session.scalars(select(DeliverableStage).where(DeliverableStage.recorded_by_id == expert.user_id)
                             .order_by(DeliverableStage.recorded_at, DeliverableStage.id))
    return {
        "measurements_recorded": [row(m, "action_id", "indicator_id", "value", "measured_on", "source", "recorded_at")
                                  for m in measurements],
        "deliverable_news_recorded": [row(s, "action_id", "deliverable_id", "stage", "reached_on", "outcome",
                                          "recorded_at") for s in stages],
    }


def erase(_expert: Expert, *, session: Session, user: Any = None, **_: Any) -> list[str]:
    """The values and news stay (they are the Actions' results, not the person's); who recorded them goes."""
    if user is not None:
        for model in (Measurement, DeliverableStage):
            session.execute(update(model).where(model.recorded_by_id == user.id).values(recorded_by_id=None)
                            .execution_options(synchronize_session="fetch"))
    return []
