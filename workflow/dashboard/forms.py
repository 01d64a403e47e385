"""The dashboard's filters, read from the query string."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import Optional, ValidationError

from ..core.filters import ListFilterForm, year_field
from ..core.forms import options
from ..experts.models import Gender
from .services import InvolvedFilters, PortfolioFilters


class PortfolioFilterForm(ListFilterForm):
    region = SelectField(_l("Region"), validators=[Optional()])
    theme = SelectField(_l("Thematic area"), validators=[Optional()])
    year_from = year_field(_l("From year"))
    year_to = year_field(_l("To year"))

    def validate_year_to(self, field: IntegerField) -> None:
        if field.data and self.year_from.data and not self.year_from.errors and field.data < self.year_from.data:
            raise ValidationError(_l("The last year is before the first."))

    def filters(self, *, published_only: bool = False) -> PortfolioFilters:
        """What was asked, leaving out whatever could not be read (it is shown as an error)."""
        return PortfolioFilters(region=self.value("region"), theme=self.value("theme"),
                                year_from=self.value("year_from"), year_to=self.value("year_to"),
                                published_only=published_only)


class InvolvedFilterForm(PortfolioFilterForm):
    member_state = SelectField(_l("Member state"), validators=[Optional()])
    officials = SelectField(_l("Type"), choices=options([("1", _l("Officials only"))], empty=_l("All experts")),
                            validators=[Optional()])
    gender = SelectField(_l("Gender"), validators=[Optional()])

    def involved(self) -> InvolvedFilters:
        gender = self.value("gender")
        return InvolvedFilters(member_state=self.value("member_state"), officials_only=self.value("officials") == "1",
                               gender=Gender(gender) if gender else None)
