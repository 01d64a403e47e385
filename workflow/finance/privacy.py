"""Money's part of an expert's export and erasure: their fee and allowance lines are theirs to see; on
erasure the amounts stay (the Action's figures must not change) and only the name in the wording goes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.i18n import _
from ..core.privacy import row
from ..deployments.models import Deployment
from ..experts.models import Expert
from .models import CostCategory, CostLine


def _lines(session: Session, deployment_ids: list[int]) -> list[CostLine]:
    if not deployment_ids:
        return []
    return list(session.scalars(select(CostLine).where(CostLine.deployment_id.in_(deployment_ids))
                                .order_by(CostLine.deployment_id, CostLine.category, CostLine.id)))


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    """Amounts as exact decimal text (JSON has no decimal type, and a float would round them)."""
    return {key: str(value) if isinstance(value, Decimal) else value for key, value in item.items()}


def export(expert: Expert, *, session: Session) -> dict[str, Any]:
    ids = list(session.scalars(select(Deployment.id).where(Deployment.expert_id == expert.id)))
    return {"costs": [_plain(row(line, "deployment_id", "category", "description", "quantity", "unit_eur", "planned_eur",
                          "committed_eur", "actual_eur", "currency", "local_amount", "rate", "rate_date"))
                      for line in _lines(session, ids)]}


def erase(expert: Expert, *, session: Session, deployment_ids: list[int], **_kwargs: Any) -> list[str]:
    """Keep every amount; the wording that named the expert no longer does."""
    for line in _lines(session, deployment_ids):
        if not line.computed:
            line.description = _("Cost of an erased expert")
        elif line.category is CostCategory.EXPERT_FEES:
            line.description = _("Fee of an erased expert")
        else:
            line.description = _("Daily allowance of an erased expert")
    return []
