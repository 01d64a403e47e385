"""The API's schemas of missions: logistics, checklist, the letter of assignment's versions, expense claims.

Amounts are exact decimals: sent as a JSON string ("812.40") or number, answered as a string."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from ..finance.models import CostCategory
from ..missions.lifecycle import ClaimEvent, ClaimStatus
from ..missions.models import VisaStatus
from .schemas import TEXT, FormBody, values
from .schemas_finance import amount_in, amount_out


class LogisticsIn(Schema):
    """The whole logistics of the mission (a field left out is emptied)."""

    outbound_date = fields.Date(allow_none=True)
    outbound_route = fields.String(allow_none=True, validate=validate.Length(max=200))
    outbound_booking = fields.String(allow_none=True, validate=validate.Length(max=60))
    outbound_cost_eur = amount_in()
    return_date = fields.Date(allow_none=True)
    return_route = fields.String(allow_none=True, validate=validate.Length(max=200))
    return_booking = fields.String(allow_none=True, validate=validate.Length(max=60))
    return_cost_eur = amount_in()
    accommodation = fields.String(allow_none=True, validate=validate.Length(max=2000))
    visa_status = fields.String(load_default="not_needed", validate=validate.OneOf(values(VisaStatus)))
    visa_date = fields.Date(allow_none=True, metadata={"description": "When the visa was requested or granted."})
    insurance = fields.String(allow_none=True, validate=validate.Length(max=2000))


class LogisticsOut(Schema):
    deployment_id = fields.Integer(required=True)
    outbound_date = fields.Date(allow_none=True)
    outbound_route = fields.String(allow_none=True)
    outbound_booking = fields.String(allow_none=True)
    outbound_cost_eur = amount_out(allow_none=True, metadata={"description": "Null for a focal point."})
    return_date = fields.Date(allow_none=True)
    return_route = fields.String(allow_none=True)
    return_booking = fields.String(allow_none=True)
    return_cost_eur = amount_out(allow_none=True, metadata={"description": "Null for a focal point."})
    accommodation = fields.String(allow_none=True)
    visa_status = fields.String(required=True, validate=validate.OneOf(values(VisaStatus)))
    visa_date = fields.Date(allow_none=True)
    insurance = fields.String(allow_none=True)


class ChecklistItemIn(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=300))


class ChecklistDoneIn(Schema):
    done = fields.Boolean(required=True)


class ChecklistItemOut(Schema):
    id = fields.Integer(required=True)
    deployment_id = fields.Integer(required=True)
    text = fields.String(required=True)
    done_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime(required=True)


class AcceptanceOut(Schema):
    version = fields.String(required=True)
    language = fields.String(required=True)
    accepted_by_id = fields.Integer(allow_none=True)
    accepted_at = fields.DateTime(required=True)


class LetterOut(Schema):
    deployment_id = fields.Integer(required=True)
    version = fields.String(required=True, metadata={"description": "SHA-256 of the letter's present content."})
    language = fields.String(required=True)
    accepted = fields.Boolean(required=True, metadata={"description": "Whether this version is accepted."})
    pdf = fields.String(required=True, metadata={"description": "The path of the PDF (signed-in pages)."})
    acceptances = fields.List(fields.Nested(AcceptanceOut), required=True)


class AcceptanceIn(Schema):
    version = fields.String(required=True, validate=validate.Length(equal=64))


class ClaimItemUpload(FormBody):
    """The multipart/form-data body of an expense: what, how much, in which currency, and its receipt."""

    description = fields.String(required=True, validate=validate.Length(min=1, max=300))
    category = fields.String(load_default="travel",
                             validate=validate.OneOf([CostCategory.TRAVEL.value, CostCategory.OTHER.value]))
    spent_on = fields.Date()
    amount = fields.Decimal(required=True)
    currency = fields.String(load_default="EUR", validate=validate.Length(equal=3))
    rate = fields.Decimal(metadata={"description": "Units of the currency for one euro; not for EUR."})
    file = Upload(metadata={"description": "The receipt: a PDF, JPEG or PNG file of at most 20 MB."})


class ClaimItemOut(Schema):
    id = fields.Integer(required=True)
    description = fields.String(required=True)
    category = fields.String(required=True)
    spent_on = fields.Date(allow_none=True)
    amount = amount_out(required=True)
    currency = fields.String(required=True)
    rate = amount_out(required=True)
    amount_eur = amount_out(required=True)
    receipt_file_name = fields.String(allow_none=True)


class ClaimTransitionOut(Schema):
    at = fields.DateTime(required=True)
    from_status = fields.String(allow_none=True)
    to_status = fields.String(required=True)
    reason = fields.String(allow_none=True)


class ClaimOut(Schema):
    id = fields.Integer(required=True)
    deployment_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(values(ClaimStatus)))
    submitted_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    return_reason = fields.String(allow_none=True)
    approved_eur = amount_out(allow_none=True)
    total_eur = amount_out(required=True)
    items = fields.List(fields.Nested(ClaimItemOut), required=True)
    transitions = fields.List(fields.Nested(ClaimTransitionOut), required=True)


class ClaimEventIn(Schema):
    event = fields.String(required=True, validate=validate.OneOf(values(ClaimEvent)))
    reason = fields.String(allow_none=True, validate=TEXT)
