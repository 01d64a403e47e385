"""The API's schemas of experts, suggestions, deployments, you and the portfolio figures."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..core.forms import LONG_TEXT
from ..core.web import MAX_ID
from ..deployments.lifecycle import DeploymentEvent, DeploymentStatus
from ..experts.models import ExpertStatus, ExpertType
from .permissions import permissions_of
from .schemas import COUNTRY, LANGS, REGION_CODES, TEXT, THEME_CODES, PageArgs, values

# --- Experts and deployments ---------------------------------------------------------------


class ExpertQuery(PageArgs):
    theme = fields.String(validate=validate.OneOf(THEME_CODES))
    language = fields.String(validate=validate.OneOf(LANGS))
    country = fields.String(validate=COUNTRY)
    type = fields.String(validate=validate.OneOf(values(ExpertType)))
    status = fields.String(validate=validate.OneOf(values(ExpertStatus)))
    q = fields.String(validate=validate.Length(max=100))


class ExpertOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    country = fields.String(attribute="country_code", required=True)
    type = fields.String(required=True)
    status = fields.String(required=True)
    gender = fields.String(required=True)
    institution_id = fields.Integer(allow_none=True)
    years_experience = fields.Integer(required=True)
    languages = fields.Function(lambda e: {lang.language: lang.level for lang in e.languages}, required=True)
    themes = fields.Function(lambda e: {t.thematic_area.code: t.level for t in e.themes}, required=True)
    call_emails_stopped_at = fields.DateTime(allow_none=True, metadata={
        "description": "When the expert asked, by the link in a call's e-mail, to receive no more calls for experts "
                       "by e-mail (later calls leave them out); null: calls reach them."})


class ScorePartOut(Schema):
    factor = fields.String(required=True)
    points = fields.Float(required=True)
    reason = fields.String(required=True)


class SuggestionOut(Schema):
    expert_id = fields.Integer(required=True)
    name = fields.String(required=True)
    score = fields.Float(required=True)
    parts = fields.List(fields.Nested(ScorePartOut), required=True)


class SuggestionList(Schema):
    items = fields.List(fields.Nested(SuggestionOut), required=True)
    considered = fields.Integer(required=True)


class DeploymentIn(Schema):
    expert_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    invite = fields.Boolean(load_default=True)
    working_days = fields.Integer(allow_none=True, validate=validate.Range(1, 366))


class DeploymentOut(Schema):
    id = fields.Integer(required=True)
    slot_id = fields.Integer(required=True)
    activity_id = fields.Integer(required=True)
    expert_id = fields.Integer(required=True)
    role = fields.String(required=True)
    working_days = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(values(DeploymentStatus)))
    release_approved = fields.Function(lambda d: d.release_approved_at is not None, required=True)
    decline_reason = fields.String(allow_none=True)
    mission_report = fields.String(allow_none=True)
    version = fields.Integer(required=True)
    permissions = permissions_of("deployment")


class DeploymentEventIn(Schema):
    event = fields.String(required=True, validate=validate.OneOf(values(DeploymentEvent)))
    reason = fields.String(allow_none=True, validate=TEXT)
    version = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))


class ReleaseRefusalIn(Schema):
    reason = fields.String(required=True, validate=TEXT)


class MissionReportIn(Schema):
    report = fields.String(required=True, validate=validate.Length(min=1, max=LONG_TEXT))


# --- Me and the portfolio ------------------------------------------------------------------


class MeOut(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    institution_id = fields.Integer(allow_none=True)
    country = fields.String(attribute="country_code", allow_none=True)


class NotificationOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    body = fields.String(required=True)
    link = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    read_at = fields.DateTime(allow_none=True)


class ReminderOut(Schema):
    id = fields.Integer(required=True)
    rule = fields.String(required=True)
    due_at = fields.DateTime(required=True)
    state = fields.String(required=True)
    sent_at = fields.DateTime(allow_none=True)


class PortfolioQuery(Schema):
    """The dashboard's filters."""

    region = fields.String(validate=validate.OneOf(REGION_CODES))
    theme = fields.String(validate=validate.OneOf(THEME_CODES))
    year_from = fields.Integer(validate=validate.Range(min=2000, max=2100))
    year_to = fields.Integer(validate=validate.Range(min=2000, max=2100))


class YearOut(Schema):
    """One year of the dashboard's trend: the counted activities starting in it."""

    year = fields.Integer(required=True)
    activities = fields.Integer(required=True)
    held = fields.Integer(required=True, metadata={"description": "Delivered or reported."})
    planned = fields.Integer(required=True, metadata={"description": "Planned, confirmed or postponed."})


class AdoptedOut(Schema):
    year = fields.Integer(required=True)
    adopted = fields.Integer(required=True)
    regions = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                          metadata={"description": "By region code."})


class PortfolioOut(Schema):
    """The dashboard's figures for the same filters (counted by `workflow.dashboard.services`)."""

    actions = fields.Integer(required=True)
    actions_by_status = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    activities = fields.Integer(required=True)
    experts_deployed = fields.Integer(required=True)
    member_states = fields.Integer(required=True)
    officials = fields.Integer(required=True)
    women_officials = fields.Integer(required=True)
    officials_trained = fields.Integer(required=True)
    officials_trained_female = fields.Integer(required=True)
    officials_trained_male = fields.Integer(required=True)
    officials_trained_other = fields.Integer(required=True)
    activities_by_year = fields.List(fields.Nested(YearOut), required=True,
                                     metadata={"description": "The dashboard's trend, year by year."})
    actions_by_country = fields.Dict(
        keys=fields.String(), values=fields.Integer(), required=True,
        metadata={"description": "The dashboard's map: Actions per country they work in (ISO code); a regional "
                                 "Action counts in each of its member countries."})
    deliverables_adopted_by_year = fields.List(fields.Nested(AdoptedOut), required=True, metadata={
        "description": "Policy deliverables officially adopted, by the year of adoption and region (the dashboard's "
                       "\"Deliverables adopted\")."})
