"""/api/v1 calls for experts: preview and send one, the officer's board, answers, proposals, invitations, ending.

The same checks as the pages (`workflow.calls.views`): staff preview, send, read the board, invite and end a
call; an expert the call reached answers it; a focal point it reached proposes experts of their member state.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask.views import MethodView
from marshmallow import RAISE
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..accounts.models import Role
from ..actions.queries import get_action
from ..activities.models import Activity
from ..calls.board import board, calls_of_activity
from ..calls.delivery import deliver_from_app
from ..calls.lifecycle import CallEvent, end_of_day
from ..calls.models import AnswerKind, Call, CallRecipient, FocalProposal, RecipientKind
from ..calls.services import (
    CallDraft,
    answer_call,
    apply_call_event,
    audience,
    filters_signature,
    invite_from_call,
    propose_expert,
    recipient_for,
    send_call,
)
from ..core.errors import DomainError, NotFound, StateConflict
from ..core.uploads import remove_stored
from ..core.web import now
from ..experts.models import Expert
from ..experts.services import own_expert
from ..extensions import db
from ..reference.models import ThematicArea
from .common import (
    commit,
    first_time,
    kept_upload,
    listed,
    me,
    page,
    remember,
    require_roles,
    require_staff,
    visible_activity,
)
from .parsing import Blueprint, MultipartParser
from .schemas import OnceHeader, PageArgs, page_of
from .schemas_calls import (
    AudienceOut,
    BoardOut,
    BoardQuery,
    CallAnswerOut,
    CallAnswerUpload,
    CallEventIn,
    CallIn,
    CallOut,
    CallPreviewIn,
    InviteIn,
    MyCallOut,
    ProposalIn,
    ProposalOut,
)
from .schemas_people import DeploymentOut

blp = Blueprint("api_calls", __name__, url_prefix="/api/v1", description="Calls for experts")
blp.ARGUMENTS_PARSER = MultipartParser()
log = logging.getLogger(__name__)


def _draft(data: dict, activity: Activity) -> CallDraft:
    """The call the body describes; unlike the page's lenient form, a filter that does not apply is refused."""
    area = None
    if data.get("thematic_area"):
        area = db.session.scalar(select(ThematicArea.id).where(ThematicArea.code == data["thematic_area"]))
    deadline = end_of_day(data["answer_deadline"], me().timezone) if data.get("answer_deadline") else now()
    return CallDraft(message=data.get("message") or "", answer_deadline=deadline, slot_id=data.get("slot_id"),
                     thematic_area_id=area, language=data.get("language"),
                     member_states=tuple(sorted(set(data["member_states"]))), available_only=data["available_only"],
                     include_focal_points=data["include_focal_points"])


def _call(call_id: int) -> Call:
    """The call, for staff who see its Action and for the people it reached (others: 404; requesters and
    committee members may never read calls: 403)."""
    require_roles(Role.ADMIN, Role.OFFICER, Role.MS_FOCAL_POINT, Role.EXPERT, doing="read calls for experts")
    call = db.session.get(Call, call_id)
    if call is None:
        raise NotFound("No such call.")
    if me().is_staff:
        get_action(db.session, me(), call.activity.action_id)
    elif recipient_for(db.session, call, me()) is None:
        raise NotFound("No such call.")
    return call


def _staff_call(call_id: int) -> Call:
    require_staff()
    return _call(call_id)


def _deliver_now(call_id: int) -> None:
    """Send the call's e-mails at once, as the page does; whatever fails is retried by the scheduler's pass."""
    try:
        deliver_from_app(db.session, now=now(), call_id=call_id, max_batches=2, stop_on_failure=True)
    except Exception:  # noqa: BLE001 - the call is saved; its e-mails wait for the scheduler
        db.session.rollback()
        log.exception("call %s: delivery after sending failed; the scheduler will retry", call_id)


@blp.route("/activities/<id:activity_id>/calls")
class ActivityCalls(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(CallOut, "CallPage"))
    def get(self, args, activity_id):
        """The activity's calls, the newest first (staff)."""
        require_staff()
        return listed(calls_of_activity(db.session, visible_activity(activity_id).id), args)

    @blp.arguments(CallIn)
    @blp.arguments(OnceHeader, location="headers")
    @blp.response(201, CallOut)
    def post(self, data, headers, activity_id):
        """Create and send a call (staff): one e-mail to each person it reaches, sent at once, never twice to
        the same person while a call for the activity is open (refused, naming them, if it would reach nobody)."""
        require_staff()
        activity = visible_activity(activity_id)
        key = first_time(headers)
        draft = _draft(data, activity)
        if data.get("previewed") and data["previewed"] != filters_signature(draft):
            raise StateConflict("The filters changed since the preview: look at who the call reaches again "
                                "(POST …/calls/preview), then send it.")
        call = send_call(db.session, activity, draft, actor=me(), now=now(), secret=current_app.config["SECRET_KEY"])
        remember(key, f"/api/v1/calls/{call.id}")
        commit()
        _deliver_now(call.id)
        return call


@blp.route("/activities/<id:activity_id>/calls/preview")
class CallPreview(MethodView):
    @blp.arguments(CallPreviewIn)
    @blp.response(200, AudienceOut)
    def post(self, data, activity_id):
        """Who a call with these filters would reach now, and who an open call already reached (staff);
        nothing is written."""
        require_staff()
        activity = visible_activity(activity_id)
        draft = _draft(data, activity)
        found = audience(db.session, activity, draft, today=now().date())
        return {"experts": found.experts, "focal_points": found.focal_points, "already_called": found.already_called,
                "unsubscribed": found.unsubscribed, "count": found.count, "signature": filters_signature(draft)}


@blp.route("/calls/<id:call_id>")
class OneCall(MethodView):
    @blp.response(200, CallOut)
    def get(self, call_id):
        """A call: for staff, and for the experts and focal points it reached."""
        return _call(call_id)


@blp.route("/calls/<id:call_id>/board")
class Board(MethodView):
    @blp.arguments(BoardQuery, location="query")
    @blp.response(200, BoardOut)
    def get(self, args, call_id):
        """Every expert the call reached or a focal point proposed, interested first: their answer, and their
        score and broken hard rules for a slot of the activity (staff)."""
        call = _staff_call(call_id)
        slots = call.activity.slots
        if args.get("slot_id") is not None:
            slot = next((s for s in slots if s.id == args["slot_id"]), None)
            if slot is None:
                raise DomainError("That slot is not one of this call's activity.", field="slot_id")
        else:
            slot = next((s for s in slots if s.id == call.slot_id), slots[0] if slots else None)
        return {"slot_id": slot.id if slot else None, "items": board(db.session, call, slot, today=now().date())}


@blp.route("/calls/<id:call_id>/events")
class CallEvents(MethodView):
    @blp.arguments(CallEventIn)
    @blp.response(200, CallOut)
    def post(self, data, call_id):
        """Stand the call down or close it (staff): answers stop, unsent e-mails are dropped, its people may be
        called again. `version` is the call's as you read it (409 if it changed)."""
        call = _staff_call(call_id)
        apply_call_event(db.session, call, CallEvent(data["event"]), actor=me(), now=now(), version=data["version"],
                         reason=data.get("reason"))
        commit()
        return call


@blp.route("/calls/<id:call_id>/answer")
class Answer(MethodView):
    @blp.arguments(CallAnswerUpload, location="files", content_type="multipart/form-data", unknown=RAISE)
    @blp.response(200, CallAnswerOut)
    def put(self, data, call_id):
        """Your answer as an expert the call reached, with an updated CV if you wish; changeable until the
        deadline or until the call ends."""
        require_roles(Role.EXPERT, doing="answer a call")
        call = _call(call_id)
        recipient = recipient_for(db.session, call, me()) if own_expert(db.session, me()) else None
        if recipient is None:
            raise NotFound("No such call.")
        upload = data.get("file")
        with kept_upload(upload) as stored:
            row, replaced = answer_call(db.session, recipient, AnswerKind(data["answer"]), data.get("note"),
                                        actor=me(), now=now(), cv=stored,
                                        cv_file_name=upload.filename if stored else None)
            commit()
        if replaced:
            remove_stored(current_app.config["UPLOAD_DIR"], replaced)  # only once the new one is recorded
        return row


@blp.route("/calls/<id:call_id>/proposals")
class Proposals(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(ProposalOut, "ProposalPage"))
    def get(self, args, call_id):
        """The experts focal points proposed for the call: all of them for staff, your own for a focal point."""
        require_roles(Role.ADMIN, Role.OFFICER, Role.MS_FOCAL_POINT, doing="read a call's proposals")
        call = _call(call_id)
        stmt = select(FocalProposal).where(FocalProposal.call_id == call.id).order_by(FocalProposal.id)
        if not me().is_staff:
            stmt = stmt.where(FocalProposal.focal_point_id == me().id)
        return page(stmt.options(selectinload(FocalProposal.expert)), args)

    @blp.arguments(ProposalIn)
    @blp.response(201, ProposalOut)
    def post(self, data, call_id):
        """As a focal point the call reached, propose a deployable expert of your own member state."""
        require_roles(Role.MS_FOCAL_POINT, doing="propose experts for a call")
        call = _call(call_id)
        expert = db.session.get(Expert, data["expert_id"])
        if expert is None:
            raise NotFound("No such expert.")
        proposal = propose_expert(db.session, call, expert, data.get("note"), actor=me(), now=now())
        commit()
        return proposal


@blp.route("/calls/<id:call_id>/invitations")
class Invitations(MethodView):
    @blp.arguments(InviteIn)
    @blp.response(201, DeploymentOut)
    def post(self, data, call_id):
        """Propose and invite an expert who answered (or was proposed) for a slot of the call's activity (staff);
        every hard rule applies, and a refusal names it."""
        call = _staff_call(call_id)
        expert = db.session.get(Expert, data["expert_id"])
        if expert is None:
            raise NotFound("No such expert.")
        deployment = invite_from_call(db.session, call, data["slot_id"], expert, actor=me(), now=now())
        commit()
        return deployment


@blp.route("/me/calls")
class MyCalls(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(MyCallOut, "MyCallPage"))
    def get(self, args):
        """The calls that reached you (an expert, or a focal point), the newest first, with your answer."""
        expert = own_expert(db.session, me())
        mine = [CallRecipient.user_id == me().id] + ([CallRecipient.expert_id == expert.id] if expert else [])
        stmt = (select(CallRecipient).where(or_(*mine))
                .options(selectinload(CallRecipient.call), selectinload(CallRecipient.answer))
                .order_by(CallRecipient.id.desc()))
        found = page(stmt, args)
        found["items"] = [{"call": r.call, "answer": r.answer if r.kind is RecipientKind.EXPERT else None}
                          for r in found["items"]]
        return found
