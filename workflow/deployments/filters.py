"""The deployment list's filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from ..core.filters import ListFilterForm, year_field
from .lifecycle import DeploymentStatus
from .queries import DeploymentFilters


class DeploymentFilterForm(ListFilterForm):
    status = SelectField(_l("Status"), validators=[Optional()])
    region = SelectField(_l("Region"), validators=[Optional()])
    theme = SelectField(_l("Thematic area"), validators=[Optional()])
    member_state = SelectField(_l("Expert's country"), validators=[Optional()])
    year_from = year_field(_l("From year"))
    year_to = year_field(_l("To year"))
    q = StringField(_l("Expert's name"), validators=[Optional(), Length(max=100)])

    def filters(self) -> DeploymentFilters:
        return DeploymentFilters(
            status=DeploymentStatus(self.value("status")) if self.value("status") else None,
            region=self.value("region"), theme=self.value("theme"), member_state=self.value("member_state"),
            year_from=self.value("year_from"), year_to=self.value("year_to"),
            engaged=self.flag("counted"), q=self.value("q"),
        )
