"""The Action list's filters: the page's form, and `to_filters` for the page, its CSV export and the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from ..core.filters import ListFilterForm, member, number, order_field, text, year_field
from ..core.forms import enum_options, options
from ..core.i18n import _l
from ..extensions import db
from ..reference.choices import filter_choices
from .lifecycle import ActionStatus
from .queries import SORTS, ActionFilters


class ActionFilterForm(ListFilterForm):
    region = SelectField(_l("Region"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    theme = SelectField(_l("Thematic area"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=enum_options(ActionStatus, empty=_l("Any status")),
                         validators=[Optional()])
    year = year_field(_l("Year"))
    year_from = year_field(_l("From year"))
    year_to = year_field(_l("To year"))
    q = StringField(_l("Name or title"), validators=[Optional(), Length(max=100)])
    sort = SelectField(_l("Sort by"), choices=options([
        ("start", _l("Start")), ("end", _l("End")), ("name", _l("Name")), ("status", _l("Status")),
        ("updated", _l("Last change"))]), validators=[Optional()])
    dir = order_field()


def filter_form(args: Mapping[str, Any]) -> ActionFilterForm:
    """The list's filter form, read from `args` with its choices (unreadable values carry a message)."""
    return ActionFilterForm.from_args(args, **filter_choices(db.session, "region", "country", "theme"))


def to_filters(args: Mapping[str, Any]) -> ActionFilters:
    """The filters the query parameters ask for. `counted` and `published` come from the dashboard's links."""
    sort = text(args, "sort")
    return ActionFilters(
        region=text(args, "region"), country=text(args, "country"), theme=text(args, "theme"),
        status=member(args, "status", ActionStatus), year=number(args, "year"), q=text(args, "q"),
        sort=sort if sort in SORTS else "start", descending=args.get("dir") != "asc",
        year_from=number(args, "year_from"), year_to=number(args, "year_to"),
        counted=args.get("counted") == "1", published={"1": True, "0": False}.get(args.get("published", "")),
    )
