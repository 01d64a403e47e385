"""The API's schemas of results frameworks (objective, expected results, indicators, measurements) and of the
news of policy deliverables after closure."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from ..core.web import MAX_ID
from ..results.models import DeliverableStageName, ImpactArea, ResultLevel
from .schemas import LINK, TEXT, FormBody, free_text, values

VALUE = validate.Range(min=-1e12, max=1e12)


def _ids() -> fields.List:
    return fields.List(fields.Integer(validate=validate.Range(min=1, max=MAX_ID)), validate=validate.Length(max=200),
                       load_default=list)


def _url() -> fields.URL:
    return fields.URL(validate=validate.Length(max=500), require_tld=False, metadata=LINK)


def _version_in() -> fields.Integer:
    return fields.Integer(validate=validate.Range(min=1), metadata={
        "description": "The version you read (its `version` in the answer of GET): a save on an older one is "
                       "refused with 409. Leave it out to save whatever the version (not advised)."})


class FrameworkIn(Schema):
    version = _version_in()
    specific_objective = fields.String(required=True, validate=validate.Length(max=20_000), metadata=free_text())
    requester_may_measure = fields.Boolean(load_default=False, metadata={
        "description": "Whether the beneficiary's requesters may add measurements to every indicator."})


class ResultIn(Schema):
    version = _version_in()
    level = fields.String(required=True, validate=validate.OneOf(values(ResultLevel)))
    statement = fields.String(required=True, validate=validate.Length(min=1, max=4000), metadata=free_text())


class IndicatorIn(Schema):
    version = _version_in()
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    unit = fields.String(required=True, validate=validate.Length(min=1, max=80))
    impact_area = fields.String(required=True, validate=validate.OneOf(values(ImpactArea)))
    baseline_value = fields.Float(allow_none=True, validate=VALUE)
    baseline_date = fields.Date(allow_none=True)
    target_value = fields.Float(allow_none=True, validate=VALUE)
    target_date = fields.Date(allow_none=True)
    means_of_verification = fields.String(load_default="", validate=validate.Length(max=4000), metadata=free_text())
    requester_may_measure = fields.Boolean(load_default=False)
    activity_ids = _ids()
    deliverable_ids = _ids()


class EvidenceOut(Schema):
    url = fields.String(allow_none=True)
    file_name = fields.String(allow_none=True)
    content_type = fields.String(allow_none=True)
    size_bytes = fields.Integer(allow_none=True)


class MeasurementOut(EvidenceOut):
    id = fields.Integer(required=True)
    indicator_id = fields.Integer(required=True)
    value = fields.Float(required=True)
    measured_on = fields.Date(required=True)
    source = fields.String(required=True)
    recorded_by_id = fields.Integer(allow_none=True)
    recorded_at = fields.DateTime(required=True)
    withdrawn_at = fields.DateTime(allow_none=True)
    withdrawal_reason = fields.String(allow_none=True)
    invented = fields.Boolean(required=True)
    invented_fields = fields.List(fields.String(), allow_none=True)


class IndicatorOut(Schema):
    id = fields.Integer(required=True)
    version = fields.Integer(required=True)
    result_id = fields.Integer(required=True)
    title = fields.String(required=True)
    unit = fields.String(required=True)
    impact_area = fields.String(required=True)
    baseline_value = fields.Float(allow_none=True)
    baseline_date = fields.Date(allow_none=True)
    target_value = fields.Float(allow_none=True)
    target_date = fields.Date(allow_none=True)
    means_of_verification = fields.String(required=True)
    requester_may_measure = fields.Boolean(required=True)
    activity_ids = fields.Function(lambda i: [a.id for a in i.activities], required=True)
    deliverable_ids = fields.Function(lambda i: [d.id for d in i.deliverables], required=True)
    latest = fields.Nested(MeasurementOut, allow_none=True, metadata={"description": "The latest measurement not "
                                                                                     "withdrawn."})
    invented = fields.Boolean(required=True)
    invented_fields = fields.List(fields.String(), allow_none=True)


class ResultOut(Schema):
    id = fields.Integer(required=True)
    version = fields.Integer(required=True)
    level = fields.String(required=True)
    statement = fields.String(required=True)
    indicators = fields.List(fields.Nested(IndicatorOut), required=True)
    invented = fields.Boolean(required=True)


class FrameworkOut(Schema):
    id = fields.Integer(required=True)
    version = fields.Integer(required=True)
    action_id = fields.Integer(required=True)
    specific_objective = fields.String(required=True)
    requester_may_measure = fields.Boolean(required=True)
    results = fields.List(fields.Nested(ResultOut), required=True)
    updated_at = fields.DateTime(required=True)
    invented = fields.Boolean(required=True)


class MeasurementUpload(FormBody):
    """The multipart/form-data body of a measurement: its value, date and source, and optional evidence."""

    value = fields.Float(required=True, validate=VALUE)
    measured_on = fields.Date(required=True, metadata={"description": "Today or earlier."})
    source = fields.String(required=True, validate=validate.Length(min=1, max=300))
    url = _url()
    file = Upload(metadata={"description": "Optional evidence: a PDF, DOCX or ODT file of at most 20 MB."})


class MeasurementWithdrawIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=20_000), metadata=free_text())


class StageUpload(FormBody):
    """The multipart/form-data body of news of a policy deliverable."""

    stage = fields.String(required=True, validate=validate.OneOf(values(DeliverableStageName)))
    reached_on = fields.Date(metadata={"description": "When the stage was reached: today or earlier."})
    outcome = fields.String(validate=TEXT, metadata=free_text(description="What came of it: an initiative, a "
                                                                          "campaign, a new unit …"))
    url = _url()
    file = Upload(metadata={"description": "Optional evidence (official gazette, ministerial order …): a PDF, DOCX "
                                           "or ODT file of at most 20 MB."})


class StageOut(EvidenceOut):
    id = fields.Integer(required=True)
    deliverable_id = fields.Integer(required=True)
    stage = fields.String(required=True)
    reached_on = fields.Date(allow_none=True)
    outcome = fields.String(required=True)
    check_in_months = fields.Integer(allow_none=True, metadata={"description": "The check-in it answers (6 or 12 "
                                                                               "months after closure), if any."})
    recorded_at = fields.DateTime(required=True)
    invented = fields.Boolean(required=True)
    invented_fields = fields.List(fields.String(), allow_none=True)
