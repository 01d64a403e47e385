"""The API's schemas of your own account: your preferences and your notifications being read."""

from __future__ import annotations

from zoneinfo import available_timezones

from marshmallow import Schema, fields, validate

from ..accounts.services import SUPPORTED_LOCALES
from .schemas_people import MeOut

TIME_ZONES = sorted({"UTC", *available_timezones()})


class PreferencesIn(Schema):
    """How you are named and how dates and country names are shown to you; a field left out keeps its value."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    locale = fields.String(allow_none=True, validate=validate.OneOf(SUPPORTED_LOCALES),
                           metadata={"description": "null: the language the browser asks for."})
    timezone = fields.String(validate=validate.OneOf(TIME_ZONES),
                             metadata={"description": "An IANA time zone, such as Europe/Madrid."})


class MePreferencesOut(MeOut):
    locale = fields.String(allow_none=True)
    timezone = fields.String(required=True)


class ReadAllOut(Schema):
    marked = fields.Integer(required=True, metadata={"description": "How many notifications were unread."})


class KindPreferenceOut(Schema):
    kind = fields.String(required=True, metadata={"description": "The kind of news, e.g. expert_invited."})
    label = fields.String(required=True)
    delivery = fields.String(required=True, metadata={"description": "email (at once), digest (daily, 08:00 in "
                                                                     "your time zone) or app (Peerflow only)."})
    choices = fields.List(fields.String(), required=True)
    mandatory = fields.Boolean(required=True, metadata={"description": "News the work depends on: never app only."})


class NotificationPreferencesOut(Schema):
    items = fields.List(fields.Nested(KindPreferenceOut), required=True)


class NotificationPreferencesIn(Schema):
    """Your choice per kind: {"expert_invited": "digest", …}; a kind left out keeps its choice."""

    preferences = fields.Dict(keys=fields.String(),  # an unknown kind is refused by the rule, naming it
                              values=fields.String(validate=validate.OneOf(("email", "digest", "app"))), required=True)
