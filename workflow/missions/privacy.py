"""The missions' part of an expert's export and erasure: their travel, checklist, accepted letters and claims
are theirs to see; on erasure what they wrote and the receipts they uploaded go, the amounts stay (the
Action's figures and actual costs must not change)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..core.privacy import ERASED_TEXT, row
from ..deployments.models import Deployment
from ..experts.models import Expert
from .models import ChecklistItem, ExpenseClaim, LetterAcceptance, MissionLogistics

LOGISTICS_TEXT = ("outbound_route", "outbound_booking", "return_route", "return_booking", "accommodation",
                  "insurance")


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {key: str(value) if isinstance(value, Decimal) else value for key, value in item.items()}


def _of(session: Session, model: Any, ids: list[int]) -> list[Any]:
    if not ids:
        return []
    stmt = select(model).where(model.deployment_id.in_(ids)).order_by(model.deployment_id, model.id)
    if model is ExpenseClaim:
        stmt = stmt.options(selectinload(ExpenseClaim.items), selectinload(ExpenseClaim.transitions))
    return list(session.scalars(stmt))


def export(expert: Expert, *, session: Session) -> dict[str, Any]:
    ids = list(session.scalars(select(Deployment.id).where(Deployment.expert_id == expert.id)))
    claims = []
    for claim in _of(session, ExpenseClaim, ids):
        item = _plain(row(claim, "id", "deployment_id", "status", "submitted_at", "decided_at", "return_reason",
                          "approved_eur", "created_at"))
        item["items"] = [_plain(row(i, "id", "description", "category", "spent_on", "amount", "currency", "rate",
                                    "amount_eur", "receipt_file_name")) for i in claim.items]
        item["history"] = [row(t, "at", "from_status", "to_status", "reason") for t in claim.transitions]
        claims.append(item)
    files = [{"kind": "receipt", "claim_id": claim["id"], "file_name": i["receipt_file_name"]}
             for claim in claims for i in claim["items"] if i["receipt_file_name"]]
    return {
        "mission_logistics": [_plain(row(x, "deployment_id", "outbound_date", *LOGISTICS_TEXT[:2], "outbound_cost_eur",
                                         "return_date", *LOGISTICS_TEXT[2:4], "return_cost_eur", "accommodation",
                                         "visa_status", "visa_date", "insurance"))
                              for x in _of(session, MissionLogistics, ids)],
        "mission_checklists": [row(x, "deployment_id", "text", "done_at", "created_at")
                               for x in _of(session, ChecklistItem, ids)],
        "letters_accepted": [row(x, "deployment_id", "version", "language", "accepted_at")
                             for x in _of(session, LetterAcceptance, ids)],
        "expense_claims": claims,
        "files": files,
    }


def erase(expert: Expert, *, session: Session, deployment_ids: list[int], **_: Any) -> list[str]:
    """Keep dates, states and amounts; drop the expert's words and their receipts (returned for deletion)."""
    files: list[str] = []
    for logistics in _of(session, MissionLogistics, deployment_ids):
        for name in LOGISTICS_TEXT:
            if getattr(logistics, name) is not None:
                setattr(logistics, name, ERASED_TEXT[:60])
    for item in _of(session, ChecklistItem, deployment_ids):
        item.text = ERASED_TEXT
    for claim in _of(session, ExpenseClaim, deployment_ids):
        if claim.return_reason is not None:
            claim.return_reason = ERASED_TEXT
        for transition in claim.transitions:
            transition.reason = None
        for item in claim.items:
            item.description = ERASED_TEXT
            if item.receipt_stored_name:
                files.append(item.receipt_stored_name)
            item.receipt_stored_name = item.receipt_file_name = item.receipt_content_type = None
    return files
