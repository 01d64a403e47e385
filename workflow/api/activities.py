"""/api/v1/actions/{id}/activities, /api/v1/activities, deliverables"""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest.fields import Upload
from marshmallow import Schema
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..actions.services import get_action
from ..activities.lifecycle import ActivityEvent, ActivityKind
from ..activities.models import Activity, Deliverable, DeliverableKind, SlotRole
from ..activities.services import (
    ActivityDraft,
    ActivityReport,
    DeliverableDraft,
    SlotDraft,
    add_deliverable,
    apply_activity_event,
    create_activity,
    update_activity,
)
from ..activities.uploads import remove_stored, store_form_upload
from ..core.errors import NotFound
from ..core.web import now
from ..extensions import db
from ..reference.models import ThematicArea
from .common import check_version, commit, me, page
from .parsing import Blueprint
from .schemas import (
    ActivityEdit,
    ActivityEventIn,
    ActivityIn,
    ActivityOut,
    DeliverableIn,
    DeliverableOut,
    PageArgs,
    page_of,
)

blp = Blueprint("api_activities", __name__, url_prefix="/api/v1", description="Activities and deliverables")


def _activity(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        raise NotFound("No such activity.")
    get_action(db.session, me(), activity.action_id)  # NotFound unless its Action is visible
    return activity


def _draft(data: dict) -> ActivityDraft:
    themes = dict(db.session.execute(select(ThematicArea.code, ThematicArea.id)).all())
    return ActivityDraft(
        kind=ActivityKind(data["kind"]), title=data["title"].strip(), start_date=data["start_date"],
        end_date=data["end_date"], is_remote=data["is_remote"], city=(data.get("city") or "").strip() or None,
        country_code=data.get("country"), languages=tuple(data["languages"]),
        slots=tuple(SlotDraft(role=SlotRole(s["role"]), thematic_area_id=themes[s["thematic_area"]],
                              language=s["language"], places=s["places"]) for s in data["slots"]),
    )


@blp.route("/actions/<id:action_id>/activities")
class ActionActivities(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(ActivityOut, "ActivityPage"))
    def get(self, args, action_id):
        action = get_action(db.session, me(), action_id)
        return page(select(Activity).where(Activity.action_id == action.id)
                    .options(selectinload(Activity.slots)).order_by(Activity.start_date, Activity.id), args)

    @blp.arguments(ActivityIn)
    @blp.response(201, ActivityOut)
    def post(self, data, action_id):
        """Plan an activity with its expert slots."""
        action = get_action(db.session, me(), action_id)
        activity = create_activity(db.session, action, _draft(data), actor=me(), now=now())
        commit()
        return activity


@blp.route("/activities/<id:activity_id>")
class OneActivity(MethodView):
    @blp.response(200, ActivityOut)
    def get(self, activity_id):
        return _activity(activity_id)

    @blp.arguments(ActivityEdit)
    @blp.response(200, ActivityOut)
    def patch(self, data, activity_id):
        activity = _activity(activity_id)
        update_activity(db.session, activity, _draft(data), version=data["version"], actor=me(), now=now())
        commit()
        return activity


@blp.route("/activities/<id:activity_id>/events")
class ActivityEvents(MethodView):
    @blp.arguments(ActivityEventIn)
    @blp.response(200, ActivityOut)
    def post(self, data, activity_id):
        """Confirm, postpone (with new dates), deliver, report (with the report) or cancel (with a reason)."""
        activity = _activity(activity_id)
        check_version(activity, data.get("version"), "activity")
        dates = (data["start_date"], data["end_date"]) if data.get("start_date") and data.get("end_date") else None
        report = ActivityReport(**data["report"]) if data.get("report") else None
        apply_activity_event(db.session, activity, ActivityEvent(data["event"]), actor=me(), now=now(),
                             reason=data.get("reason"), new_dates=dates, report=report)
        commit()
        return activity


class FileIn(Schema):
    file = Upload()


@blp.route("/actions/<id:action_id>/deliverables")
class Deliverables(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(DeliverableOut, "DeliverablePage"))
    def get(self, args, action_id):
        action = get_action(db.session, me(), action_id)
        return page(select(Deliverable).where(Deliverable.action_id == action.id).order_by(Deliverable.id), args)

    @blp.arguments(DeliverableIn, location="form")
    @blp.arguments(FileIn, location="files")
    @blp.response(201, DeliverableOut)
    def post(self, data, files, action_id):
        """Add a deliverable: a PDF, DOCX or ODT file (at most 20 MB, typed from its content) or a link."""
        action = get_action(db.session, me(), action_id)
        upload_dir = current_app.config["UPLOAD_DIR"]
        stored = store_form_upload(files.get("file"), upload_dir, current_app.config["UPLOAD_MAX_BYTES"])
        try:
            deliverable = add_deliverable(
                db.session, action, DeliverableDraft(kind=DeliverableKind(data["kind"]), title=data["title"].strip(),
                                                     language=data["language"], issued_on=data.get("issued_on"),
                                                     activity_id=data.get("activity_id"), url=data.get("url")),
                actor=me(), now=now(), file=stored, file_name=files["file"].filename if stored else None)
            commit()
        except BaseException:
            db.session.rollback()
            if stored:
                remove_stored(upload_dir, stored.stored_name)
            raise
        return deliverable
