"""The API's schemas of knowledge work: knowledge-sharing events (with participants) and good practices."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from ..core.web import MAX_ID
from ..knowledge.lifecycle import EventDocumentKind, ImpactArea, PracticeStatus
from ..knowledge.services import MAX_COUNT, MAX_PARTICIPANT_ROWS, MAX_REASON, MAX_TEXT
from .schemas import COUNTRY, LINK, FormBody, free_text, values

_ID = validate.Range(min=1, max=MAX_ID)


class ParticipantsIO(Schema):
    """Who came from one country and institution, counted by gender (no names)."""

    country = fields.String(attribute="country_code", data_key="country", required=True, validate=COUNTRY)
    institution = fields.String(allow_none=True, validate=validate.Length(max=300))
    female = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_COUNT))
    male = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_COUNT))
    other = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_COUNT),
                           metadata={"description": "Other or undisclosed gender."})


class EventIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    host_institution = fields.String(required=True, validate=validate.Length(min=1, max=300))
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    region_id = fields.Integer(allow_none=True, validate=_ID)
    thematic_area_id = fields.Integer(allow_none=True, validate=_ID)
    theme = fields.String(allow_none=True, validate=validate.Length(max=300))
    city = fields.String(allow_none=True, validate=validate.Length(max=120))
    country = fields.String(allow_none=True, validate=COUNTRY)
    summary = fields.String(allow_none=True, validate=validate.Length(max=MAX_TEXT), metadata=free_text())
    action_ids = fields.List(fields.Integer(validate=_ID), load_default=list, validate=validate.Length(max=500))
    participants = fields.List(fields.Nested(ParticipantsIO), load_default=list,
                               validate=validate.Length(max=MAX_PARTICIPANT_ROWS))


class StaffingIn(Schema):
    host_action_id = fields.Integer(required=True, validate=_ID,
                                    metadata={"description": "A running Action among those the event reviews."})
    languages = fields.List(fields.String(validate=validate.Length(min=2, max=8)), required=True,
                            validate=validate.Length(min=1, max=10))


class EventDocumentOut(Schema):
    """A document of an event; a removed one keeps its title, file name, date and reason (its file is deleted)."""

    id = fields.Integer(required=True)
    event_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(values(EventDocumentKind)))
    title = fields.String(required=True)
    url = fields.String(allow_none=True)
    file_name = fields.String(allow_none=True)
    content_type = fields.String(allow_none=True)
    size_bytes = fields.Integer(allow_none=True)
    download_path = fields.Function(
        lambda d: f"/knowledge/event-documents/{d.id}/file" if d.stored_name else None, allow_none=True,
        metadata={"description": "Where staff download the file (signed in), while it is there."})
    uploaded_by_id = fields.Integer(allow_none=True)
    uploaded_at = fields.DateTime(required=True)
    removed_at = fields.DateTime(allow_none=True)
    removal_reason = fields.String(allow_none=True)
    invented = fields.Boolean(required=True)


class EventDocumentUpload(FormBody):
    """The multipart/form-data body of an event's document: its kind and title, and the file (or a `url`)."""

    kind = fields.String(required=True, validate=validate.OneOf(values(EventDocumentKind)))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    url = fields.URL(validate=validate.Length(max=500), require_tld=False, metadata=LINK)
    file = Upload(metadata={"description": "A PDF, DOCX or ODT file of at most 20 MB, typed from its content; "
                                           "give it or `url`."})


class EventDocumentRemoveIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=MAX_REASON), metadata=free_text())


class EventOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    host_institution = fields.String(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    region_id = fields.Integer(allow_none=True)
    thematic_area_id = fields.Integer(allow_none=True)
    theme = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    country = fields.String(attribute="country_code", allow_none=True)
    summary = fields.String(allow_none=True)
    staffing_activity_id = fields.Integer(allow_none=True)
    action_ids = fields.Function(lambda e: [a.id for a in e.actions], required=True)
    participants = fields.List(fields.Nested(ParticipantsIO), required=True)
    participant_total = fields.Integer(required=True)
    documents = fields.List(fields.Nested(EventDocumentOut), required=True,
                            metadata={"description": "Its documents, removed ones included (with their reason)."})
    invented = fields.Boolean(required=True)
    invented_fields = fields.List(fields.String(), allow_none=True)


class PracticeIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT), metadata=free_text())
    conditions = fields.String(allow_none=True, validate=validate.Length(max=MAX_TEXT), metadata=free_text())
    impact_areas = fields.List(fields.String(validate=validate.OneOf(values(ImpactArea))), required=True,
                               validate=validate.Length(min=1, max=4))
    thematic_area_id = fields.Integer(allow_none=True, validate=_ID)
    region_id = fields.Integer(allow_none=True, validate=_ID)
    event_id = fields.Integer(allow_none=True, validate=_ID)
    action_ids = fields.List(fields.Integer(validate=_ID), load_default=list, validate=validate.Length(max=500))
    deliverable_ids = fields.List(fields.Integer(validate=_ID), load_default=list, validate=validate.Length(max=500),
                                  metadata={"description": "Evidence: deliverables of the source Actions."})
    indicator_ids = fields.List(fields.Integer(validate=_ID), load_default=list, validate=validate.Length(max=500),
                                metadata={"description": "Evidence: indicators of the source Actions' results "
                                                         "frameworks."})


class PracticeOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    conditions = fields.String(allow_none=True)
    impact_areas = fields.List(fields.String(validate=validate.OneOf(values(ImpactArea))), required=True)
    thematic_area_id = fields.Integer(allow_none=True)
    region_id = fields.Integer(allow_none=True)
    event_id = fields.Integer(allow_none=True)
    action_ids = fields.Function(lambda p: [a.id for a in p.actions], required=True)
    deliverable_ids = fields.Function(lambda p: [d.id for d in p.deliverables], required=True)
    indicator_ids = fields.Function(lambda p: [i.id for i in p.indicators], required=True)
    status = fields.String(required=True, validate=validate.OneOf(values(PracticeStatus)))
    published_at = fields.DateTime(allow_none=True)
    withdrawn_reason = fields.String(allow_none=True)
    invented = fields.Boolean(required=True)
    invented_fields = fields.List(fields.String(), allow_none=True)


class PracticeWithdrawIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=MAX_REASON), metadata=free_text())
