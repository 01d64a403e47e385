"""The catalogue's filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from ..core.filters import ListFilterForm
from ..core.forms import options
from .services import CatalogueFilters, PublicStatus


class CatalogueFilterForm(ListFilterForm):
    region = SelectField(_l("Region"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    theme = SelectField(_l("Thematic area"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()], choices=options(
        [(PublicStatus.ONGOING.value, _l("Ongoing")), (PublicStatus.COMPLETED.value, _l("Completed"))],
        empty=_l("Any status")))

    def filters(self) -> CatalogueFilters:
        status = self.value("status")
        return CatalogueFilters(region=self.value("region"), country=self.value("country"), theme=self.value("theme"),
                                status=PublicStatus(status) if status else None)
