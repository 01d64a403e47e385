"""The audit log's filters: the page's form, and `to_filters` for the page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from ..core.filters import ListFilterForm, day, member, not_before, number, order_field, text
from ..core.forms import enum_options, options
from ..core.i18n import _
from ..extensions import db
from .display import EVENT_LABELS, OBJECT_LABELS
from .models import EntryKind
from .services import AuditFilters, actors

SYSTEM = "system"


class AuditFilterForm(ListFilterForm):
    actor = SelectField(_l("Who"), validators=[Optional()])
    object_type = SelectField(_l("Record"), choices=options(OBJECT_LABELS.items(), empty=_l("Any record")),
                              validators=[Optional()])
    object_id = IntegerField(_l("Record number"), validators=[Optional(), NumberRange(min=1, max=2_147_483_647)])
    kind = SelectField(_l("Kind"), choices=enum_options(EntryKind, empty=_l("Changes and security events")),
                       validators=[Optional()])
    event = SelectField(_l("Event"), choices=options(EVENT_LABELS.items(), empty=_l("Any event")),
                        validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[
        Optional(), not_before("date_from", _l("The last day is before the first."))])
    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=100)])
    dir = order_field()


def filter_form(args: Mapping[str, Any]) -> AuditFilterForm:
    """The log's filter form, read from `args` with the people who acted (unreadable values carry a message)."""
    return AuditFilterForm.from_args(
        args, actor=options([(SYSTEM, _("System (no person)")), *actors(db.session)], empty=_("Anyone")))


def to_filters(args: Mapping[str, Any], timezone: str) -> AuditFilters:
    """The filters the query parameters ask for; the days are read in `timezone`, the reader's."""
    actor = text(args, "actor")
    return AuditFilters(
        actor_id=number(args, "actor") if actor != SYSTEM else None, system_only=actor == SYSTEM,
        object_type=text(args, "object_type"), object_id=number(args, "object_id"),
        kind=member(args, "kind", EntryKind), event=text(args, "event"),
        date_from=day(args, "date_from"), date_to=day(args, "date_to"),
        timezone=timezone, oldest_first=args.get("dir") == "asc", q=text(args, "q"),
    )
