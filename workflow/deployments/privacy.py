"""The deployments' part of an expert's export and erasure: kept, anonymised, so the figures stay true."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from ..activities.models import Activity
from ..core.privacy import ERASED_TEXT, row
from ..experts.models import Expert
from .models import Deployment, DeploymentTransition


def export(expert: Expert, *, session: Session) -> dict[str, Any]:
    rows = session.scalars(
        select(Deployment).where(Deployment.expert_id == expert.id).order_by(Deployment.created_at, Deployment.id)
        .options(selectinload(Deployment.activity).selectinload(Activity.action), selectinload(Deployment.transitions))
    ).all()
    deployments = []
    for d in rows:
        item = row(d, "id", "role", "working_days", "status", "attempt", "invited_at", "responded_at",
                   "decline_reason", "release_approved_at", "mission_report", "mission_report_file_name",
                   "mission_report_at", "created_at", "updated_at")
        item["activity"] = row(d.activity, "id", "title", "kind", "status", "start_date", "end_date", "city",
                               "country_code", "is_remote")
        item["action"] = row(d.activity.action, "id", "name", "title", "status")
        item["history"] = [row(t, "at", "from_status", "to_status", "reason") for t in d.transitions]
        deployments.append(item)
    files = [{"kind": "mission_report", "deployment_id": d["id"], "file_name": d["mission_report_file_name"]}
             for d in deployments if d["mission_report_file_name"]]
    return {"deployments": deployments, "files": files}


def erase(expert: Expert, *, session: Session, deployment_ids: list[int], **_: Any) -> list[str]:
    """Keep the deployments (dates, role, days, status) without what the expert or staff wrote about them."""
    deployments = session.scalars(select(Deployment).where(Deployment.id.in_(deployment_ids))).all()
    files = [d.mission_report_file for d in deployments if d.mission_report_file]
    for deployment in deployments:
        if deployment.decline_reason is not None:
            deployment.decline_reason = ERASED_TEXT
        if deployment.mission_report is not None:
            deployment.mission_report = ERASED_TEXT
        deployment.mission_report_file = deployment.mission_report_file_name = None
    if deployment_ids:
        session.execute(update(DeploymentTransition).where(DeploymentTransition.deployment_id.in_(deployment_ids),
                                                           DeploymentTransition.reason.is_not(None))
                        .values(reason=None).execution_options(synchronize_session="fetch"))
    return files
