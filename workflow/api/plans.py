"""/api/v1 plan templates: save an Action's plan, read and delete templates, preview and apply one, copy an activity.

The same checks as the pages (`workflow.plans.views`): everything here is for programme staff, on Actions
they may see; a creation sent again with the same Idempotency-Key is done once, as a page's form key does.
"""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..actions.queries import get_action
from ..activities.models import Activity
from ..activities.services import copy_activity
from ..core.errors import DomainError
from ..core.web import now
from ..extensions import db
from ..plans.models import PlanTemplate
from ..plans.services import (
    apply_plan,
    delete_template,
    ensure_takes_plan,
    get_template,
    list_templates,
    planned_dates,
    save_plan,
)
from .common import commit, first_time, me, remember, require_staff, visible_activity
from .parsing import Blueprint
from .schemas import ActivityOut, OnceHeader, PageArgs, page_of
from .schemas_plans import (
    ApplyPlanIn,
    CopyIn,
    PlannedActivities,
    PlanPreviewOut,
    PlanTemplateOut,
    PreviewQuery,
    SavePlanIn,
)

blp = Blueprint("api_plans", __name__, url_prefix="/api/v1", description="Plan templates and activity copies")


def _staff_action(action_id: int):
    require_staff()
    action = get_action(db.session, me(), action_id)
    db.session.scalars(select(Activity).where(Activity.action_id == action.id)
                       .options(selectinload(Activity.slots))).all()  # the plan's slots in one query
    return action


def _staff_template(template_id: int) -> PlanTemplate:
    require_staff()
    return get_template(db.session, template_id)


@blp.route("/plan-templates")
class Templates(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(PlanTemplateOut, "PlanTemplatePage"))
    def get(self, args):
        """The plan templates, the newest first (staff)."""
        require_staff()
        found = list_templates(db.session, args["page"], args["per_page"])
        return {"items": found.items, "total": found.total, "page": found.page, "per_page": found.per_page}


@blp.route("/plan-templates/<id:template_id>")
class OneTemplate(MethodView):
    @blp.response(200, PlanTemplateOut)
    def get(self, template_id):
        """A template with its activities and their slots (staff)."""
        return _staff_template(template_id)

    @blp.response(204)
    def delete(self, template_id):
        """Delete a template (staff); the activities planned from it stay as they are."""
        template = _staff_template(template_id)
        delete_template(db.session, template, actor=me())
        commit()


@blp.route("/actions/<id:action_id>/plan-templates")
class SavePlan(MethodView):
    @blp.arguments(SavePlanIn)
    @blp.arguments(OnceHeader, location="headers")
    @blp.response(201, PlanTemplateOut)
    def post(self, data, headers, action_id):
        """Save the Action's activities (but the cancelled ones) as a template: kinds, timing relative to the
        first, places, languages and slots; no experts, reports or deliverables (staff)."""
        action = _staff_action(action_id)
        key = first_time(headers)
        template = save_plan(db.session, action, data["name"], actor=me(), now=now(),
                             description=data.get("description"))
        remember(key, f"/api/v1/plan-templates/{template.id}")
        commit()
        return template


@blp.route("/actions/<id:action_id>/plan-preview")
class PlanPreview(MethodView):
    @blp.arguments(PreviewQuery, location="query")
    @blp.response(200, PlanPreviewOut)
    def get(self, args, action_id):
        """Where each activity of a template falls if the plan starts on `anchor`, and why the Action could not
        take it now, if so (staff); nothing is written."""
        action = _staff_action(action_id)
        template = get_template(db.session, args["template_id"])
        try:
            ensure_takes_plan(action)
            refusal = None
        except DomainError as error:
            refusal = error.message
        return {"template_id": template.id, "anchor": args["anchor"], "refusal": refusal,
                "activities": planned_dates(template, args["anchor"])}


@blp.route("/actions/<id:action_id>/plan")
class ApplyPlan(MethodView):
    @blp.arguments(ApplyPlanIn)
    @blp.arguments(OnceHeader, location="headers")
    @blp.response(201, PlannedActivities)
    def post(self, data, headers, action_id):
        """Plan a template's activities (all, or those listed) on the Action from `anchor`, each at its offset,
        with its slots (staff)."""
        action = _staff_action(action_id)
        template = get_template(db.session, data["template_id"])
        key = first_time(headers)
        created = apply_plan(db.session, template, action, data["anchor"], actor=me(), now=now(),
                             item_ids=data.get("items"))
        remember(key, f"/api/v1/actions/{action.id}/activities")
        commit()
        return {"items": created}


@blp.route("/activities/<id:activity_id>/copies")
class CopyActivity(MethodView):
    @blp.arguments(CopyIn)
    @blp.arguments(OnceHeader, location="headers")
    @blp.response(201, ActivityOut)
    def post(self, data, headers, activity_id):
        """Plan a copy of the activity on the same Action from a new start date: same kind, place, languages and
        slots, as long as the original; no experts, report or deliverables (staff)."""
        require_staff()
        activity = visible_activity(activity_id)
        key = first_time(headers)
        copy = copy_activity(db.session, activity, data["start_date"], actor=me(), now=now(), title=data["title"])
        remember(key, f"/api/v1/activities/{copy.id}")
        commit()
        return copy
