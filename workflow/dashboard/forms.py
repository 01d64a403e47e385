"""The dashboard's filters, read from the query string."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from ..core.forms import TranslatedForm, options
from ..experts.models import Gender
from .services import InvolvedFilters, PortfolioFilters

YEARS = NumberRange(min=2000, max=2100)


class PortfolioFilterForm(TranslatedForm):
    region = SelectField(_l("Region"), validators=[Optional()])
    theme = SelectField(_l("Thematic area"), validators=[Optional()])
    year_from = IntegerField(_l("From year"), validators=[Optional(), YEARS])
    year_to = IntegerField(_l("To year"), validators=[Optional(), YEARS])

    def validate_year_to(self, field: IntegerField) -> None:
        if field.data and self.year_from.data and not self.year_from.errors and field.data < self.year_from.data:
            raise ValidationError(_l("The last year is before the first."))

    def filters(self, *, published_only: bool = False) -> PortfolioFilters:
        """What was asked, leaving out whatever could not be read (it is shown as an error)."""
        def value(name: str):
            field = self[name]
            return None if field.errors else (field.data or None)

        return PortfolioFilters(region=value("region"), theme=value("theme"), year_from=value("year_from"),
                                year_to=value("year_to"), published_only=published_only)


class InvolvedFilterForm(PortfolioFilterForm):
    member_state = SelectField(_l("Member state"), validators=[Optional()])
    officials = SelectField(_l("Type"), choices=options([("1", _l("Officials only"))], empty=_l("All experts")),
                            validators=[Optional()])
    gender = SelectField(_l("Gender"), validators=[Optional()])

    def involved(self) -> InvolvedFilters:
        ok = {name: not self[name].errors for name in ("member_state", "officials", "gender")}
        return InvolvedFilters(
            member_state=(self.member_state.data or None) if ok["member_state"] else None,
            officials_only=ok["officials"] and self.officials.data == "1",
            gender=Gender(self.gender.data) if ok["gender"] and self.gender.data else None,
        )
