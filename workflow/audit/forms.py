"""The audit log's filters, read from the query string."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from ..core.filters import ListFilterForm, order_field
from ..core.forms import enum_options, options
from .display import EVENT_LABELS, OBJECT_LABELS
from .models import EntryKind
from .services import AuditFilters

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
    date_to = DateField(_l("To"), validators=[Optional()])
    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=100)])
    dir = order_field()

    def validate_date_to(self, field: DateField) -> None:
        if field.data and self.date_from.data and not self.date_from.errors and field.data < self.date_from.data:
            raise ValidationError(_l("The last day is before the first."))

    def filters(self, timezone: str) -> AuditFilters:
        """What was asked, leaving out whatever could not be read (it is shown as an error)."""
        actor = self.value("actor")
        return AuditFilters(
            actor_id=int(actor) if actor and actor != SYSTEM else None,
            system_only=actor == SYSTEM,
            object_type=self.value("object_type"), object_id=self.value("object_id"),
            kind=EntryKind(self.value("kind")) if self.value("kind") else None,
            event=self.value("event"), date_from=self.value("date_from"), date_to=self.value("date_to"),
            timezone=timezone, oldest_first=self.value("dir") == "asc", q=self.value("q"),
        )
