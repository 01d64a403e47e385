"""/api/v1 missions: a deployment's logistics and checklist, its letter of assignment (version and acceptance),
and the expert's expense claims with their items and receipts.

The same checks and services as the pages (`workflow.missions.views`): staff see and book everything; the expert
their own mission, letter and claims; their member state's focal point the logistics without amounts."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import RAISE
from sqlalchemy import select

from ..core.errors import NotFound, PermissionDenied
from ..core.uploads import RECEIPTS
from ..core.web import now
from ..deployments.models import Deployment
from ..deployments.queries import get_deployment
from ..extensions import db
from ..missions import letters
from ..missions.lifecycle import ClaimEvent
from ..missions.models import ChecklistItem, ClaimItem, ExpenseClaim
from ..missions.permissions import MissionPermissions, mission_permissions
from ..missions.services import (
    ItemDraft,
    LogisticsDraft,
    add_checklist_item,
    add_claim_item,
    apply_claim_event,
    claims_of,
    logistics_of,
    remove_claim_item,
    save_logistics,
    set_item_done,
    start_claim,
)
from .common import commit, kept_upload, me
from .parsing import Blueprint, MultipartParser
from .schemas_missions import (
    AcceptanceIn,
    ChecklistDoneIn,
    ChecklistItemIn,
    ChecklistItemOut,
    ClaimEventIn,
    ClaimItemUpload,
    ClaimOut,
    LetterOut,
    LogisticsIn,
    LogisticsOut,
)

blp = Blueprint("api_missions", __name__, url_prefix="/api/v1",
                description="Missions: logistics, checklist, letters of assignment and expense claims")
blp.ARGUMENTS_PARSER = MultipartParser()  # an expense's receipt comes as multipart/form-data


def _mission(deployment_id: int, need: str = "see") -> tuple[Deployment, MissionPermissions]:
    deployment = get_deployment(db.session, me(), deployment_id)
    can = mission_permissions(deployment, me())
    if not can.see:
        raise NotFound("No such deployment.")
    if not getattr(can, need):
        raise PermissionDenied("Your role does not allow this on this mission.")
    return deployment, can


def _logistics_out(deployment: Deployment, can: MissionPermissions) -> dict[str, Any]:
    found = logistics_of(db.session, deployment)
    out: dict[str, Any] = {name: getattr(found, name, None) for name in LogisticsDraft.__dataclass_fields__}
    out["visa_status"] = found.visa_status.value if found else "not_needed"
    out["deployment_id"] = deployment.id
    if not can.amounts:
        out["outbound_cost_eur"] = out["return_cost_eur"] = None
    return out


@blp.route("/deployments/<id:deployment_id>/logistics")
class Logistics(MethodView):
    @blp.response(200, LogisticsOut)
    def get(self, deployment_id):
        """Travel both ways, accommodation, visa and insurance (a focal point sees no amount)."""
        deployment, can = _mission(deployment_id)
        return _logistics_out(deployment, can)

    @blp.arguments(LogisticsIn)
    @blp.response(200, LogisticsOut)
    def put(self, data, deployment_id):
        """Book the mission's travel, stay, visa and insurance (staff, once the expert accepted)."""
        deployment, can = _mission(deployment_id)
        save_logistics(db.session, deployment, LogisticsDraft(**data), actor=me(), now=now())
        commit()
        return _logistics_out(deployment, can)


@blp.route("/deployments/<id:deployment_id>/checklist")
class Checklist(MethodView):
    @blp.response(200, ChecklistItemOut(many=True))
    def get(self, deployment_id):
        """What is to be settled before departure; an open item is the expert's to-do."""
        deployment, _can = _mission(deployment_id)
        return db.session.scalars(select(ChecklistItem).where(ChecklistItem.deployment_id == deployment.id)
                                  .order_by(ChecklistItem.id)).all()

    @blp.arguments(ChecklistItemIn)
    @blp.response(201, ChecklistItemOut)
    def post(self, data, deployment_id):
        """Add an item (staff or the expert)."""
        deployment, _can = _mission(deployment_id)
        item = add_checklist_item(db.session, deployment, data["text"], actor=me(), now=now())
        commit()
        return item


@blp.route("/deployments/<id:deployment_id>/checklist/<id:item_id>")
class ChecklistEntry(MethodView):
    @blp.arguments(ChecklistDoneIn)
    @blp.response(200, ChecklistItemOut)
    def patch(self, data, deployment_id, item_id):
        """Tick an item off, or reopen it (staff or the expert)."""
        deployment, _can = _mission(deployment_id)
        item = db.session.get(ChecklistItem, item_id)
        if item is None or item.deployment_id != deployment.id:
            raise NotFound("No such checklist item.")
        set_item_done(db.session, item, deployment, data["done"], actor=me(), now=now())
        commit()
        return item


def _letter_out(deployment: Deployment) -> dict[str, Any]:
    letter = letters.assignment_letter(db.session, deployment)
    accepted = letters.accepted_versions(db.session, deployment)
    return {"deployment_id": deployment.id, "version": letter.version, "language": letter.language,
            "accepted": any(a.version == letter.version for a in accepted), "acceptances": accepted,
            "pdf": f"/deployments/{deployment.id}/letters/assignment.pdf"}


@blp.route("/deployments/<id:deployment_id>/letter")
class Letter(MethodView):
    @blp.response(200, LetterOut)
    def get(self, deployment_id):
        """The letter of assignment's present version, its language and who accepted which version when."""
        deployment, _can = _mission(deployment_id, "letters")
        return _letter_out(deployment)


@blp.route("/deployments/<id:deployment_id>/letter/acceptance")
class LetterAcceptance(MethodView):
    @blp.arguments(AcceptanceIn)
    @blp.response(200, LetterOut)
    def post(self, data, deployment_id):
        """The expert accepts the version they read (a stale version is refused: the letter changed)."""
        deployment, _can = _mission(deployment_id, "letters")
        letters.accept_letter(db.session, deployment, data["version"], actor=me(), now=now())
        commit()
        return _letter_out(deployment)


@blp.route("/deployments/<id:deployment_id>/claims")
class Claims(MethodView):
    @blp.response(200, ClaimOut(many=True))
    def get(self, deployment_id):
        """The mission's expense claims and their state (staff and the expert)."""
        deployment, _can = _mission(deployment_id, "claims")
        return claims_of(db.session, deployment)

    @blp.response(201, ClaimOut)
    def post(self, deployment_id):
        """Start a draft claim (the expert, once the mission is confirmed)."""
        deployment, _can = _mission(deployment_id, "claims")
        claim = start_claim(db.session, deployment, actor=me(), now=now())
        commit()
        return claim


def _claim(claim_id: int) -> ExpenseClaim:
    claim = db.session.get(ExpenseClaim, claim_id)
    if claim is None:
        raise NotFound("No such claim.")
    _mission(claim.deployment_id, "claims")
    return claim


@blp.route("/claims/<id:claim_id>")
class OneClaim(MethodView):
    @blp.response(200, ClaimOut)
    def get(self, claim_id):
        return _claim(claim_id)


@blp.route("/claims/<id:claim_id>/items")
class ClaimItems(MethodView):
    @blp.arguments(ClaimItemUpload, location="files", content_type="multipart/form-data", unknown=RAISE)
    @blp.response(201, ClaimOut)
    def post(self, data, claim_id):
        """Add an expense with its receipt (a PDF, JPEG or PNG, typed from its content) to a draft or returned claim."""
        claim = _claim(claim_id)
        upload = data.get("file")
        with kept_upload(upload, RECEIPTS) as stored:
            add_claim_item(db.session, claim, ItemDraft(
                description=data["description"], amount=data["amount"], currency=data["currency"],
                rate=data.get("rate"), spent_on=data.get("spent_on"), category=data["category"]),
                actor=me(), now=now(), receipt=stored, receipt_name=upload.filename if stored else None)
            commit()
        return claim


@blp.route("/claims/<id:claim_id>/items/<id:item_id>")
class OneClaimItem(MethodView):
    @blp.response(204)
    def delete(self, claim_id, item_id):
        """Take an expense off a draft or returned claim (the expert); its receipt goes with it."""
        from flask import current_app  # noqa: PLC0415

        from ..core.uploads import remove_stored  # noqa: PLC0415

        claim = _claim(claim_id)
        item = db.session.get(ClaimItem, item_id)
        if item is None or item.claim_id != claim.id:
            raise NotFound("No such expense on this claim.")
        stored = remove_claim_item(db.session, claim, item, actor=me(), now=now())
        commit()
        if stored:
            remove_stored(current_app.config["UPLOAD_DIR"], stored)


@blp.route("/claims/<id:claim_id>/events")
class ClaimEvents(MethodView):
    @blp.arguments(ClaimEventIn)
    @blp.response(200, ClaimOut)
    def post(self, data, claim_id):
        """Submit (the expert), return with a reason or approve (staff: approved amounts become actual costs)."""
        claim = _claim(claim_id)
        apply_claim_event(db.session, claim, ClaimEvent(data["event"]), actor=me(), now=now(),
                          reason=data.get("reason"))
        commit()
        return claim
