"""The API's schemas of an Action's edits: its fields, its place in the public catalogue, its public texts."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..core.web import MAX_ID
from .schemas import COUNTRY, TEXT, THEME_CODES, ActionOut

VERSION = validate.Range(min=1, max=MAX_ID)


class ActionEditIn(Schema):
    """The Action's fields as its edit page writes them; a field left out keeps its value. Refused (409)
    once the Action is closed or cancelled, or when `version` is not the one it is at."""

    name = fields.String(validate=validate.Length(min=1, max=120))
    title = fields.String(validate=validate.Length(min=1, max=200))
    thematic_area = fields.String(validate=validate.OneOf(THEME_CODES))
    objective = fields.String(validate=TEXT)
    summary = fields.String(validate=TEXT)
    planned_start = fields.Date()
    planned_end = fields.Date(allow_none=True)
    version = fields.Integer(required=True, validate=VERSION)


class PublishedIn(Schema):
    """Show the Action in the public catalogue (`true`) or take it out (`false`)."""

    published = fields.Boolean(required=True)
    version = fields.Integer(required=True, validate=VERSION)


class PublicTextsIn(Schema):
    """An Action's public texts in one language; all empty removes the translation (the original shows)."""

    title = fields.String(load_default="", validate=validate.Length(max=200))
    objective = fields.String(load_default="", validate=TEXT)
    summary = fields.String(load_default="", validate=TEXT)


class PublicDetailsIn(Schema):
    """The texts the public catalogue shows in Spanish and French (a language left out keeps its texts),
    and a regional Action's member countries (left out or null: unchanged; a national Action has none)."""

    es = fields.Nested(PublicTextsIn)
    fr = fields.Nested(PublicTextsIn)
    member_countries = fields.List(fields.String(validate=COUNTRY), allow_none=True,
                                   validate=validate.Length(max=60))
    version = fields.Integer(required=True, validate=VERSION)


class PublicTextsOut(Schema):
    title = fields.String(required=True)
    objective = fields.String(required=True)
    summary = fields.String(required=True)


class ActionPublicOut(ActionOut):
    """An Action with its place in the public catalogue and its public texts."""

    published = fields.Boolean(required=True)
    published_at = fields.DateTime(allow_none=True)
    translations = fields.Function(lambda a: {t.locale: PublicTextsOut().dump(t) for t in a.translations},
                                   required=True)
    member_countries = fields.Function(lambda a: [c.code for c in a.member_countries], required=True)
