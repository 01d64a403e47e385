"""The API's schemas of calls for experts: the filters and message, the audience, answers, proposals, the board."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from ..calls.lifecycle import CallEvent, CallStatus
from ..calls.models import AnswerKind
from ..calls.services import MAX_MESSAGE, MAX_NOTE, answers_open
from ..core.web import MAX_ID
from ..reference.data import EU_MEMBER_STATES
from .schemas import LANGS, TEXT, THEME_CODES, AtRequestTime, FormBody, free_text, values

NOTE = validate.Length(max=MAX_NOTE)


class CallFiltersIn(Schema):
    """Who the call reaches: the roster's deployable experts (consent not withdrawn) these filters choose, and
    the member states' focal points; none reached twice while a call for the same activity is open."""

    slot_id = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=MAX_ID),
                             metadata={"description": "One of the activity's slots: its hard rules decide who is free."})
    thematic_area = fields.String(allow_none=True, validate=validate.OneOf(THEME_CODES))
    language = fields.String(allow_none=True, validate=validate.OneOf(LANGS),
                             metadata={"description": "Spoken at working level (B2 or above)."})
    member_states = fields.List(fields.String(validate=validate.OneOf(EU_MEMBER_STATES)), load_default=list,
                                validate=validate.Length(max=len(EU_MEMBER_STATES)),
                                metadata={"description": "None: every member state."})
    available_only = fields.Boolean(load_default=True)
    include_focal_points = fields.Boolean(load_default=True)


class CallPreviewIn(CallFiltersIn):
    """The call's filters; the rest of the call's body may come along, as the page sends it, and is not used."""

    message = fields.String(validate=validate.Length(max=MAX_MESSAGE), metadata=free_text())
    answer_deadline = fields.Date()
    previewed = fields.String(allow_none=True, validate=validate.Length(max=64), metadata={
        "description": "The `signature` of the preview you looked at: if the filters changed since, 409 and "
                       "nothing is sent (as the page shows the new preview first)."})


class CallIn(CallPreviewIn):
    message = fields.String(required=True, validate=validate.Length(min=1, max=MAX_MESSAGE), metadata=free_text())
    answer_deadline = fields.Date(required=True, metadata={
        "description": "The last day for answers (to the end of that day in your time zone), before the activity."})


class PersonOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    country = fields.String(attribute="country_code", allow_none=True)


class AudienceOut(Schema):
    experts = fields.List(fields.Nested(PersonOut), required=True)
    focal_points = fields.List(fields.Nested(PersonOut), required=True)
    already_called = fields.List(fields.String(), required=True,
                                 metadata={"description": "Left out: an open call for the activity reached them."})
    unsubscribed = fields.List(fields.Nested(PersonOut), required=True, metadata={
        "description": "Left out: experts the filters choose who asked to receive no calls for experts by e-mail."})
    count = fields.Integer(required=True)
    signature = fields.String(required=True, metadata={"description": "Send it as `previewed` with the call."})


class CallOut(AtRequestTime):
    MOMENT = {"answers_open": lambda call, moment: answers_open(call, moment)}

    id = fields.Integer(required=True)
    activity_id = fields.Integer(required=True)
    slot_id = fields.Integer(allow_none=True)
    thematic_area = fields.Function(lambda c: c.thematic_area.code if c.thematic_area else None, allow_none=True)
    language = fields.String(allow_none=True)
    member_states = fields.List(fields.String(), required=True)
    available_only = fields.Boolean(required=True)
    include_focal_points = fields.Boolean(required=True)
    message = fields.String(required=True)
    answer_deadline = fields.DateTime(required=True)
    status = fields.String(required=True, validate=validate.OneOf(values(CallStatus)))
    answers_open = fields.Boolean(required=True)
    end_reason = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    ended_at = fields.DateTime(allow_none=True)
    version = fields.Integer(required=True)


class CallEventIn(Schema):
    event = fields.String(required=True, validate=validate.OneOf(values(CallEvent)))
    reason = fields.String(allow_none=True, validate=TEXT)
    version = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))


class CallAnswerUpload(FormBody):
    """The multipart/form-data body of an expert's answer: the answer, a note and, if wished, an updated CV."""

    answer = fields.String(required=True, validate=validate.OneOf(values(AnswerKind)))
    note = fields.String(validate=NOTE, metadata=free_text())
    file = Upload(metadata={"description": "An updated CV (PDF, DOCX or ODT, at most 20 MB); the profile's CV "
                                           "stays as it is."})


class CallAnswerOut(Schema):
    call_id = fields.Function(lambda a: a.recipient.call_id, required=True)
    answer = fields.String(required=True, validate=validate.OneOf(values(AnswerKind)))
    note = fields.String(allow_none=True)
    cv_file_name = fields.String(allow_none=True)
    answered_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class MyCallOut(Schema):
    """A call that reached you, and your answer to it (experts) or none (focal points propose instead)."""

    call = fields.Nested(CallOut, required=True)
    answer = fields.Nested(CallAnswerOut, allow_none=True)


class ProposalIn(Schema):
    expert_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    note = fields.String(allow_none=True, validate=NOTE, metadata=free_text())


class ProposalOut(Schema):
    id = fields.Integer(required=True)
    call_id = fields.Integer(required=True)
    expert_id = fields.Integer(required=True)
    name = fields.Function(lambda p: p.expert.name, required=True)
    focal_point_id = fields.Integer(required=True)
    note = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)


class InviteIn(Schema):
    expert_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    slot_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))


class BoardQuery(Schema):
    slot_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID),
                             metadata={"description": "The slot to score for (default: the call's, else the first)."})


class BrokenRuleOut(Schema):
    rule = fields.String(required=True)
    message = fields.String(required=True)


class BoardRowOut(Schema):
    """An expert of the call: their answer, a focal point's proposal, their score and broken hard rules for the slot."""

    expert_id = fields.Function(lambda r: r.expert.id, required=True)
    name = fields.Function(lambda r: r.expert.name, required=True)
    country = fields.Function(lambda r: r.expert.country_code, required=True)
    answer = fields.Function(lambda r: r.answer.answer.value if r.answer else None, allow_none=True)
    note = fields.Function(lambda r: r.answer.note if r.answer else None, allow_none=True)
    cv_file_name = fields.Function(lambda r: r.answer.cv_file_name if r.answer else None, allow_none=True)
    proposed_by_id = fields.Function(lambda r: r.proposal.focal_point_id if r.proposal else None, allow_none=True)
    score = fields.Function(lambda r: r.ranked.score if r.ranked else None, allow_none=True)
    broken = fields.List(fields.Nested(BrokenRuleOut), required=True)
    deployment_id = fields.Function(lambda r: r.deployment.id if r.deployment else None, allow_none=True)


class BoardOut(Schema):
    slot_id = fields.Integer(allow_none=True)
    items = fields.List(fields.Nested(BoardRowOut), required=True)
