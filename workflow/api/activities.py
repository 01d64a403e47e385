"""/api/v1/actions/{id}/activities, /api/v1/activities, deliverables"""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..actions.queries import get_action
from ..activities.deliverables import DeliverableDraft, add_deliverable
from ..activities.lifecycle import ActivityEvent, ActivityKind
from ..activities.models import Activity, Deliverable, DeliverableKind, SlotRole
from ..activities.services import (
    ActivityDraft,
    ActivityReport,
    apply_activity_event,
    create_activity,
    postpone_activity,
    update_activity,
)
from ..activities.slots import SlotDraft
from ..core.errors import DomainError
from ..core.web import now
from ..extensions import db
from ..reference.models import ThematicArea
from .common import check_version, commit, kept_upload, me, page, visible_activity
from .parsing import Blueprint, MultipartParser
from .schemas import (
    ActivityEdit,
    ActivityEventIn,
    ActivityIn,
    ActivityOut,
    DeliverableOut,
    DeliverableUpload,
    PageArgs,
    PostponeIn,
    page_of,
)

blp = Blueprint("api_activities", __name__, url_prefix="/api/v1", description="Activities and deliverables")
blp.ARGUMENTS_PARSER = MultipartParser()


def _draft(data: dict, activity: Activity | None = None) -> ActivityDraft:
    themes = dict(db.session.execute(select(ThematicArea.code, ThematicArea.id)).all())
    return ActivityDraft(
        kind=ActivityKind(data["kind"]), title=data["title"].strip(), start_date=data.get("start_date"),
        end_date=data.get("end_date"), is_remote=data["is_remote"], city=(data.get("city") or "").strip() or None,
        country_code=data.get("country"), languages=tuple(data["languages"]),
        slots=tuple(_slot_draft(s, themes, activity, n) for n, s in enumerate(data["slots"])),
    )


def _slot_draft(data: dict, themes: dict[str, int], activity: Activity | None, n: int) -> SlotDraft:
    """A slot of the body; in an edit, an existing slot's fields left out keep their values."""
    slot = None
    if data.get("id") is not None:
        slot = next((s for s in activity.slots if s.id == data["id"]), None) if activity is not None else None
        if slot is None:
            raise DomainError("That expert slot is not part of this activity.", field=f"slots.{n}.id")
    elif data.get("remove"):
        raise DomainError("Only an existing slot (with its id) can be removed.", field=f"slots.{n}.remove")
    missing = [name for name in ("thematic_area", "language") if slot is None and not data.get(name)]
    if missing:
        raise DomainError("A new slot needs its thematic area and language.", field=f"slots.{n}.{missing[0]}")
    return SlotDraft(
        role=SlotRole(data.get("role") or (slot.role if slot else SlotRole.EXPERT)),
        thematic_area_id=themes[data["thematic_area"]] if data.get("thematic_area") else slot.thematic_area_id,
        language=data.get("language") or slot.language,
        places=data.get("places") or (slot.places if slot else 1),
        id=slot.id if slot else None, remove=bool(data.get("remove")),
    )


POSTPONE_HINT = "Editing does not move an activity's dates: POST /api/v1/activities/{id}/postpone with the new dates " \
                "and a reason."


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
        return visible_activity(activity_id)

    @blp.arguments(ActivityEdit)
    @blp.response(200, ActivityOut)
    def patch(self, data, activity_id):
        """Edit an activity: its fields, and its slots one by one (by id; new ones without). Dates are not
        moved here (422 on `start_date`/`end_date`): see POST /activities/{id}/postpone."""
        activity = visible_activity(activity_id)
        for name in ("start_date", "end_date"):
            if data.get(name) is not None and data[name] != getattr(activity, name):
                raise DomainError(POSTPONE_HINT.replace("{id}", str(activity.id)), field=name)
        update_activity(db.session, activity, _draft(data, activity), version=data["version"], actor=me(),
                        now=now())
        commit()
        return activity


@blp.route("/activities/<id:activity_id>/postpone")
class PostponeActivity(MethodView):
    @blp.arguments(PostponeIn)
    @blp.response(200, ActivityOut)
    def post(self, data, activity_id):
        """Postpone an activity to new dates, with a reason: the old dates stay in its history, its reminders
        move and the experts invited or booked on it are told. Refused (422, naming the expert and the rule)
        when one of its live deployments would break a hard rule at the new dates (overlap, unavailability,
        yearly day cap): cancel that deployment first or choose other dates."""
        activity = visible_activity(activity_id)
        check_version(activity, data.get("version"), "activity")
        postpone_activity(db.session, activity, start_date=data["start_date"], end_date=data["end_date"],
                          reason=data["reason"], actor=me(), now=now())
        commit()
        return activity


@blp.route("/activities/<id:activity_id>/events")
class ActivityEvents(MethodView):
    @blp.arguments(ActivityEventIn)
    @blp.response(200, ActivityOut)
    def post(self, data, activity_id):
        """Confirm, postpone (with new dates), deliver, report (with the report) or cancel (with a reason)."""
        activity = visible_activity(activity_id)
        check_version(activity, data.get("version"), "activity")
        dates = (data["start_date"], data["end_date"]) if data.get("start_date") and data.get("end_date") else None
        report = ActivityReport(**data["report"]) if data.get("report") else None
        if data["event"] == ActivityEvent.POSTPONE:  # the one postponement use case, as /postpone
            if dates is None:
                raise DomainError("Postponing needs the new start and end dates.", field="start_date")
            postpone_activity(db.session, activity, start_date=dates[0], end_date=dates[1],
                              reason=data.get("reason"), actor=me(), now=now())
            commit()
            return activity
        apply_activity_event(db.session, activity, ActivityEvent(data["event"]), actor=me(), now=now(),
                             reason=data.get("reason"), new_dates=dates, report=report)
        commit()
        return activity


@blp.route("/actions/<id:action_id>/deliverables")
class Deliverables(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(DeliverableOut, "DeliverablePage"))
    def get(self, args, action_id):
        action = get_action(db.session, me(), action_id)
        return page(select(Deliverable).where(Deliverable.action_id == action.id).order_by(Deliverable.id), args)

    @blp.arguments(DeliverableUpload, location="files", content_type="multipart/form-data", unknown=RAISE)
    @blp.response(201, DeliverableOut)
    def post(self, data, action_id):
        """Add a deliverable: a PDF, DOCX or ODT file (at most 20 MB, typed from its content) or a link."""
        action = get_action(db.session, me(), action_id)
        upload = data.get("file")
        with kept_upload(upload) as stored:
            deliverable = add_deliverable(
                db.session, action, DeliverableDraft(kind=DeliverableKind(data["kind"]), title=data["title"].strip(),
                                                     language=data["language"], issued_on=data.get("issued_on"),
                                                     activity_id=data.get("activity_id"), url=data.get("url")),
                actor=me(), now=now(), file=stored, file_name=upload.filename if stored else None)
            commit()
        return deliverable
