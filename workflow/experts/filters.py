"""The roster's filters: the page's form, and `to_filters` for the page, its CSV export and the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from ..core.filters import ListFilterForm, day, member, not_before, text
from ..core.forms import enum_options, options
from ..core.i18n import _, _l
from ..extensions import db
from ..reference.choices import filter_choices, language_choices
from .models import ExpertStatus, ExpertType
from .services import RosterFilters


class RosterFilterForm(ListFilterForm):
    theme = SelectField(_l("Thematic area"), validators=[Optional()])
    language = SelectField(_l("Working language"), validators=[Optional()])
    country = SelectField(_l("Member state / country"), validators=[Optional()])
    type = SelectField(_l("Type"), choices=enum_options(ExpertType, empty=_l("Any type")), validators=[Optional()])
    status = SelectField(_l("Status"), choices=enum_options(ExpertStatus, empty=_l("Any status")),
                         validators=[Optional()])
    free_from = DateField(_l("Available from"), validators=[Optional()])
    # TRANSLATORS: the end of a date range, after "Available from".
    free_to = DateField(_l("to"), validators=[
        Optional(), not_before("free_from", _l("The end of the range is before its start."))])
    q = StringField(_l("Name or institution"), validators=[Optional(), Length(max=100)])


def filter_form(args: Mapping[str, Any]) -> RosterFilterForm:
    """The roster's filter form, read from `args` with its choices (unreadable values carry a message)."""
    return RosterFilterForm.from_args(args, **filter_choices(db.session, "theme", "country"),
                                      language=options(language_choices(), empty=_("Any language")))


def to_filters(args: Mapping[str, Any]) -> RosterFilters:
    """The filters the query parameters ask for."""
    return RosterFilters(
        theme=text(args, "theme"), language=text(args, "language"), country=text(args, "country"),
        type=member(args, "type", ExpertType), status=member(args, "status", ExpertStatus),
        free_from=day(args, "free_from"), free_to=day(args, "free_to"), q=text(args, "q"),
    )
