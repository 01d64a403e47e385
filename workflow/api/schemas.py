"""The API's schemas: what it accepts (validated, unknown fields refused) and what it answers.

The shared pieces, requests, Actions and activities here; the other areas in `schemas_<area>.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, pre_load, validate

from ..actions.lifecycle import ActionEvent, ActionStatus
from ..activities.lifecycle import ActivityEvent, ActivityKind, ActivityStatus
from ..activities.models import DeliverableKind, SlotRole
from ..core.forms import LONG_TEXT
from ..core.web import MAX_ID, now
from ..reference.data import REGIONS, THEMES
from ..reference.services import iso_country_codes
from ..requests.lifecycle import RequestEvent, RequestStatus
from .permissions import permissions_of

THEME_CODES = [code for code, _name, _subs in THEMES]
REGION_CODES = [code for code, *_rest in REGIONS]
LANGS = ["es", "en", "fr", "pt", "ar", "ru"]
COUNTRY = validate.OneOf(iso_country_codes(), error="An ISO 3166 alpha-2 code in capitals, such as PE.")
TEXT = validate.Length(max=LONG_TEXT)


def values(enum: type) -> list[str]:
    return [m.value for m in enum]


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """A page of items: {"items": [...], "total": N, "page": P, "per_page": K}."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item), required=True),
        "total": fields.Integer(required=True),
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
    }, name=name)


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ErrorBody(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), data_key="fields", required=True,
                          metadata={"description": "The messages for each field or parameter at fault; `{}` "
                                                   "when the refusal is about no one field."})
    # Only on a stale edit (409 stale_edit): what others changed since the version sent, oldest first.
    changes = fields.List(fields.Dict(), metadata={"description": "Only on 409 stale_edit: field, old, new, by, "
                                                                  "at and event of each change since the version sent"})


class Error(Schema):
    error = fields.Nested(ErrorBody, required=True)


class AtRequestTime(Schema):
    """An answer with fields that depend on the moment it is read (`MOMENT`: name -> function(obj, now))."""

    MOMENT: ClassVar[dict[str, Callable[[Any, Any], Any]]] = {}

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        compute = self.MOMENT.get(attr)
        return compute(obj, now()) if compute else super().get_attribute(obj, attr, default)


def free_text(**metadata: Any) -> dict[str, Any]:
    """The metadata of a text field that keeps line breaks although shorter than LONG_TEXT (a fresh dict: the
    parser's patterns are written into each field's own)."""
    return {"multi_line": True, **metadata}


class FormBody(Schema):
    """A multipart/form-data body: a form sends every field, empty ones as "", and those were simply not given."""

    @pre_load
    def _empty_fields_are_not_given(self, data, **_kwargs):
        return {name: value for name, value in data.items() if value != ""} if hasattr(data, "items") else data


ONCE_KEY = "^[A-Za-z0-9._~+/=:-]{8,100}$"


class OnceHeader(Schema):
    """The optional `Idempotency-Key` of a creation, as a page's form key: sent again with the same key (a retry
    after a lost answer, a double click), the creation is not repeated and the answer is 409 already_submitted."""

    idempotency_key = fields.String(data_key="Idempotency-Key", validate=validate.Regexp(ONCE_KEY), metadata={
        "pattern": ONCE_KEY, "description": "Any unique value of 8 to 100 characters (a UUID, say): the same key "
                                            "again answers 409 `already_submitted` and does nothing."})


# --- Requests ------------------------------------------------------------------------------


class RequestQuery(PageArgs):
    status = fields.String(validate=validate.OneOf(values(RequestStatus)))
    q = fields.String(validate=validate.Length(max=100))


class RequestIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(required=True, validate=validate.Length(min=1, max=LONG_TEXT))
    thematic_area = fields.String(required=True, validate=validate.OneOf(THEME_CODES))
    desired_start = fields.Date(allow_none=True)


class RequestEdit(RequestIn):
    version = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))


class RequestOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    thematic_area = fields.Function(lambda r: r.thematic_area.code, required=True)
    institution_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(values(RequestStatus)))
    desired_start = fields.Date(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    clarification_question = fields.String(allow_none=True)
    clarification_answer = fields.String(allow_none=True)
    decline_reason = fields.String(allow_none=True)
    withdraw_reason = fields.String(allow_none=True)
    officer_id = fields.Integer(allow_none=True)  # the staff member reviewing it
    action_id = fields.Function(lambda r: r.action.id if r.action else None, allow_none=True)
    version = fields.Integer(required=True)
    permissions = permissions_of("request")


class RequestEventIn(Schema):
    event = fields.String(required=True, validate=validate.OneOf(values(RequestEvent)))
    reason = fields.String(allow_none=True, validate=TEXT)


# --- Actions -------------------------------------------------------------------------------


class ActionQuery(PageArgs):
    region = fields.String(validate=validate.Length(max=40))
    country = fields.String(validate=COUNTRY)
    theme = fields.String(validate=validate.OneOf(THEME_CODES))
    status = fields.String(validate=validate.OneOf(values(ActionStatus)))
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))
    q = fields.String(validate=validate.Length(max=100))
    sort = fields.String(load_default="start", validate=validate.OneOf(["start", "end", "name", "status", "updated"]))
    dir = fields.String(load_default="desc", validate=validate.OneOf(["asc", "desc"]))


class InstitutionOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    acronym = fields.String(allow_none=True)
    country = fields.String(attribute="country_code", required=True)


class ActionOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(values(ActionStatus)))
    country = fields.String(attribute="country_code", allow_none=True)
    region = fields.Function(lambda a: a.region.code, required=True)
    is_regional = fields.Boolean(required=True)
    thematic_area = fields.Function(lambda a: a.thematic_area.code, required=True)
    planned_start = fields.Date(required=True)
    planned_end = fields.Date(allow_none=True)
    objective = fields.String(required=True)
    summary = fields.String(required=True)
    beneficiaries = fields.List(fields.Nested(InstitutionOut), required=True)
    request_id = fields.Integer(allow_none=True)
    version = fields.Integer(required=True)
    permissions = permissions_of("action")


class TransitionOut(Schema):
    at = fields.DateTime(required=True)
    actor_id = fields.Integer(required=True)
    from_status = fields.String(allow_none=True)
    to_status = fields.String(required=True)
    reason = fields.String(allow_none=True)


class ActionEventIn(Schema):
    event = fields.String(required=True, validate=validate.OneOf(values(ActionEvent)))
    reason = fields.String(allow_none=True, validate=TEXT)
    waiver = fields.String(allow_none=True, validate=TEXT)
    version = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))


class FinalReportIn(Schema):
    results = fields.String(required=True, validate=validate.Length(min=1, max=LONG_TEXT))
    lessons_learned = fields.String(required=True, validate=validate.Length(min=1, max=LONG_TEXT))
    officials_trained_female = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))
    officials_trained_male = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))
    officials_trained_other = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))
    institutions_reached = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))


# --- Activities ----------------------------------------------------------------------------


class SlotIn(Schema):
    role = fields.String(load_default="expert", validate=validate.OneOf(values(SlotRole)))
    thematic_area = fields.String(required=True, validate=validate.OneOf(THEME_CODES))
    language = fields.String(required=True, validate=validate.OneOf(LANGS))
    places = fields.Integer(load_default=1, validate=validate.Range(1, 50))


class SlotOut(Schema):
    id = fields.Integer(required=True)
    role = fields.String(required=True)
    thematic_area = fields.Function(lambda s: s.thematic_area.code, required=True)
    language = fields.String(required=True)
    places = fields.Integer(required=True)


class ActivityIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(values(ActivityKind)))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    is_remote = fields.Boolean(load_default=False)
    city = fields.String(allow_none=True, validate=validate.Length(max=120))
    country = fields.String(allow_none=True, validate=COUNTRY)
    languages = fields.List(fields.String(validate=validate.OneOf(LANGS)), required=True,
                            validate=validate.Length(min=1, max=6))
    slots = fields.List(fields.Nested(SlotIn), load_default=list, validate=validate.Length(max=20))


class SlotEdit(Schema):
    """A slot in an edit: with `id`, that slot is changed in place (fields left out stay) or, with
    `remove`, removed; without `id`, a new slot. Slots not listed stay as they are."""

    id = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=MAX_ID))
    remove = fields.Boolean(load_default=False)
    role = fields.String(validate=validate.OneOf(values(SlotRole)))
    thematic_area = fields.String(validate=validate.OneOf(THEME_CODES))
    language = fields.String(validate=validate.OneOf(LANGS))
    places = fields.Integer(validate=validate.Range(1, 50))


class ActivityEdit(ActivityIn):
    """An edit never moves the dates: send them unchanged or not at all (moving them is
    POST /api/v1/activities/{id}/postpone). A slot holding live deployments is not removed, shrunk below
    them or given another role, thematic area or language: cancel the deployments first."""

    start_date = fields.Date(load_default=None, metadata={"description": "Unchanged, or left out: see postpone."})
    end_date = fields.Date(load_default=None, metadata={"description": "Unchanged, or left out: see postpone."})
    slots = fields.List(fields.Nested(SlotEdit), load_default=list, validate=validate.Length(max=20))
    version = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))


class PostponeIn(Schema):
    """Move an activity to new dates, with the reason; the experts invited or booked on it are told, its
    reminders move, and the move is refused (422) if one of them could not take part at the new dates."""

    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    reason = fields.String(required=True, validate=[validate.Length(min=1), TEXT])
    version = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))


class ActivityOut(Schema):
    id = fields.Integer(required=True)
    action_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(values(ActivityStatus)))
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    is_remote = fields.Boolean(required=True)
    city = fields.String(allow_none=True)
    country = fields.String(attribute="country_code", allow_none=True)
    languages = fields.List(fields.String(), required=True)
    slots = fields.List(fields.Nested(SlotOut), required=True)
    participants = fields.Integer(allow_none=True)
    report = fields.String(allow_none=True)
    version = fields.Integer(required=True)
    permissions = permissions_of("activity")


class ActivityReportIn(Schema):
    summary = fields.String(required=True, validate=validate.Length(min=1, max=LONG_TEXT))
    participants_female = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))
    participants_male = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))
    participants_other = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))
    participant_institutions = fields.String(allow_none=True, validate=TEXT)


class ActivityEventIn(Schema):
    event = fields.String(required=True, validate=validate.OneOf(values(ActivityEvent)))
    reason = fields.String(allow_none=True, validate=TEXT)
    start_date = fields.Date(allow_none=True)  # postpone
    end_date = fields.Date(allow_none=True)
    report = fields.Nested(ActivityReportIn, allow_none=True)  # report
    version = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))


# What `fields.URL` takes, said in the contract (apispec's `format: url` is no JSON Schema format, so says nothing).
LINK = {"format": "uri", "pattern": r"^https?://([A-Za-z0-9]{1,30}\.){0,4}[A-Za-z]{2,6}(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?$"}


class DeliverableIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(values(DeliverableKind)))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    language = fields.String(required=True, validate=validate.OneOf(LANGS))
    issued_on = fields.Date(allow_none=True)
    activity_id = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=MAX_ID))
    url = fields.URL(allow_none=True, validate=validate.Length(max=500), require_tld=False, metadata=LINK)


class DeliverableUpload(FormBody, DeliverableIn):
    """The multipart/form-data body of a new deliverable: its details and the file (or a `url`)."""

    # A form has no null: a field left out is not given (and an empty one is dropped, below).
    issued_on = fields.Date()
    activity_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    url = fields.URL(validate=validate.Length(max=500), require_tld=False, metadata=LINK)

    file = Upload(metadata={"description": "A PDF, DOCX or ODT file of at most 20 MB; give it or `url`."})


class DeliverableOut(Schema):
    id = fields.Integer(required=True)
    action_id = fields.Integer(required=True)
    activity_id = fields.Integer(allow_none=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    language = fields.String(required=True)
    issued_on = fields.Date(allow_none=True)
    url = fields.String(allow_none=True)
    file_name = fields.String(allow_none=True)
    content_type = fields.String(allow_none=True)
    size_bytes = fields.Integer(allow_none=True)
