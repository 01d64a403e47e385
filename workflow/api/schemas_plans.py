"""The API's schemas of plan templates: saving an Action's plan, previewing and applying one, copying an activity."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..activities.lifecycle import ActivityKind
from ..activities.models import SlotRole
from ..core.web import MAX_ID
from ..plans.services import NAME_MAX
from .schemas import ActivityOut, free_text, values


class SavePlanIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=NAME_MAX),
                         metadata={"description": "Unique among the templates (whatever the case)."})
    description = fields.String(allow_none=True, validate=validate.Length(max=2000), metadata=free_text())


class PlanSlotOut(Schema):
    role = fields.String(required=True, validate=validate.OneOf(values(SlotRole)))
    thematic_area = fields.Function(lambda s: s.thematic_area.code, required=True)
    language = fields.String(required=True)
    places = fields.Integer(required=True)


class PlanItemOut(Schema):
    """An activity of the plan: when it falls, in days from the plan's start, and how long it lasts."""

    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(values(ActivityKind)))
    title = fields.String(required=True)
    offset_days = fields.Integer(required=True)
    duration_days = fields.Integer(required=True)
    is_remote = fields.Boolean(required=True)
    city = fields.String(allow_none=True)
    country = fields.String(attribute="country_code", allow_none=True)
    languages = fields.List(fields.String(), required=True)
    slots = fields.List(fields.Nested(PlanSlotOut), required=True)


class PlanTemplateOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(allow_none=True)
    source_action_id = fields.Integer(allow_none=True)
    created_by_id = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    span_days = fields.Integer(required=True)
    items = fields.List(fields.Nested(PlanItemOut), required=True)
    results_structure = fields.Dict(allow_none=True, metadata={
        "description": "The source's results framework without values: specific_objective, and results (level, "
                       "statement) with their indicators (title, unit, impact_area, means_of_verification)."})


class PreviewQuery(Schema):
    template_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    anchor = fields.Date(required=True, metadata={"description": "The day the plan starts."})


class PlannedOut(Schema):
    item_id = fields.Function(lambda p: p.item.id, required=True)
    kind = fields.Function(lambda p: p.item.kind.value, required=True)
    title = fields.Function(lambda p: p.item.title, required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)


class PlanPreviewOut(Schema):
    template_id = fields.Integer(required=True)
    anchor = fields.Date(required=True)
    refusal = fields.String(allow_none=True, metadata={
        "description": "Why the Action cannot take activities from a template now (applying is refused), "
                       "or null."})
    activities = fields.List(fields.Nested(PlannedOut), required=True)


class ApplyPlanIn(Schema):
    template_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    anchor = fields.Date(required=True, metadata={"description": "The day the plan starts."})
    items = fields.List(fields.Integer(validate=validate.Range(min=1, max=MAX_ID)), allow_none=True,
                        validate=validate.Length(min=1, max=200),
                        metadata={"description": "The template's activities to plan (their ids); all when left out."})


class PlannedActivities(Schema):
    items = fields.List(fields.Nested(ActivityOut), required=True)


class CopyIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    start_date = fields.Date(required=True, metadata={"description": "The copy lasts as long as the original."})
