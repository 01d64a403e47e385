"""The dashboard's filters: the pages' forms, and `to_filters` for the pages, the CSV export and the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from ..core.filters import ListFilterForm, member, not_before, number, text, year_field
from ..core.forms import enum_options, options
from ..core.i18n import _
from ..experts.models import Gender
from ..extensions import db
from ..reference.choices import locale_code, region_choices, theme_code_choices
from ..reference.services import country_name
from .involved import InvolvedFilters
from .services import PortfolioFilters, eu_member_codes


class PortfolioFilterForm(ListFilterForm):
    region = SelectField(_l("Region"), validators=[Optional()])
    theme = SelectField(_l("Thematic area"), validators=[Optional()])
    year_from = year_field(_l("From year"))
    year_to = year_field(_l("To year"), not_before("year_from", _l("The last year is before the first.")))


class InvolvedFilterForm(PortfolioFilterForm):
    member_state = SelectField(_l("Member state"), validators=[Optional()])
    officials = SelectField(_l("Type"), choices=options([("1", _l("Officials only"))], empty=_l("All experts")),
                            validators=[Optional()])
    gender = SelectField(_l("Gender"), validators=[Optional()])


def _portfolio_choices() -> dict[str, Any]:
    return {"region": options(region_choices(db.session), empty=_("All regions")),
            "theme": options(theme_code_choices(db.session), empty=_("All thematic areas"))}


def filter_form(args: Mapping[str, Any]) -> PortfolioFilterForm:
    """The dashboard's filter form, read from `args` with its choices (unreadable values carry a message)."""
    return PortfolioFilterForm.from_args(args, **_portfolio_choices())


def involved_filter_form(args: Mapping[str, Any]) -> InvolvedFilterForm:
    """The involved experts' filter form: the dashboard's, and who they are."""
    eu = sorted(((code, country_name(code, locale_code())) for code in eu_member_codes(db.session)),
                key=lambda pair: pair[1])
    return InvolvedFilterForm.from_args(args, **_portfolio_choices(),
                                        member_state=options(eu, empty=_("Any member state")),
                                        gender=enum_options(Gender, empty=_("Any gender")))


def to_filters(args: Mapping[str, Any]) -> PortfolioFilters:
    """The portfolio the query parameters ask for."""
    return PortfolioFilters(region=text(args, "region"), theme=text(args, "theme"),
                            year_from=number(args, "year_from"), year_to=number(args, "year_to"))


def to_involved(args: Mapping[str, Any]) -> InvolvedFilters:
    """Which of the involved experts the query parameters ask for."""
    return InvolvedFilters(member_state=text(args, "member_state"), officials_only=args.get("officials") == "1",
                           gender=member(args, "gender", Gender))
