"""The activity list's filters: the page's form, and `to_filters` for the page and its CSV export."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from ..core.filters import ListFilterForm, flag, member, number, order_field, text, year_field
from ..core.forms import enum_options, options
from ..core.i18n import _
from ..extensions import db
from ..reference.choices import filter_choices
from .lifecycle import ActivityKind, ActivityStatus
from .queries import SORTS, ActivityFilters


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


def filter_form(args: Mapping[str, Any]) -> ActivityFilterForm:
    """The list's filter form, read from `args` with its choices (unreadable values carry a message)."""
    return ActivityFilterForm.from_args(args, **filter_choices(db.session, "region", "country", "theme"),
                                        kind=enum_options(ActivityKind, empty=_("Any kind")),
                                        status=enum_options(ActivityStatus, empty=_("Any status")))


def to_filters(args: Mapping[str, Any]) -> ActivityFilters:
    """The filters the query parameters ask for. `counted` and `done` come from the dashboard's links."""
    sort = text(args, "sort")
    return ActivityFilters(
        region=text(args, "region"), country=text(args, "country"), theme=text(args, "theme"),
        kind=member(args, "kind", ActivityKind), status=member(args, "status", ActivityStatus),
        year=number(args, "year"), year_from=number(args, "year_from"), year_to=number(args, "year_to"),
        counted=flag(args, "counted"), done=flag(args, "done"), q=text(args, "q"),
        sort=sort if sort in SORTS else "start", descending=args.get("dir") != "asc",
    )
