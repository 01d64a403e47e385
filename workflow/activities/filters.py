"""The activity list's filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from ..core.filters import ListFilterForm, order_field, year_field
from ..core.forms import options
from .lifecycle import ActivityKind, ActivityStatus
from .queries import ActivityFilters


class ActivityFilterForm(ListFilterForm):
    region = SelectField(_l("Region"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    theme = SelectField(_l("Thematic area"), validators=[Optional()])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    year = year_field(_l("Year"))
    year_from = year_field(_l("From year"))
    year_to = year_field(_l("To year"))
    q = StringField(_l("Title or Action"), validators=[Optional(), Length(max=100)])
    sort = SelectField(_l("Sort by"), validators=[Optional()], choices=options([
        ("start", _l("Start")), ("title", _l("Title")), ("kind", _l("Kind")), ("status", _l("Status"))]))
    dir = order_field()

    def filters(self) -> ActivityFilters:
        return ActivityFilters(
            region=self.value("region"), country=self.value("country"), theme=self.value("theme"),
            kind=ActivityKind(self.value("kind")) if self.value("kind") else None,
            status=ActivityStatus(self.value("status")) if self.value("status") else None,
            year=self.value("year"), year_from=self.value("year_from"), year_to=self.value("year_to"),
            counted=self.flag("counted"), done=self.flag("done"), q=self.value("q"),
            sort=self.value("sort") or "start", descending=(self.value("dir") or "desc") == "desc",
        )
