"""The deployment list's filters: the page's form, and `to_filters` for the page and its CSV export."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from ..core.filters import ListFilterForm, flag, member, number, text, year_field
from ..core.forms import enum_options
from ..core.i18n import _
from ..extensions import db
from ..reference.choices import filter_choices
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


def filter_form(args: Mapping[str, Any]) -> DeploymentFilterForm:
    """The list's filter form, read from `args` with its choices (unreadable values carry a message)."""
    places = filter_choices(db.session, "region", "theme", "country")
    return DeploymentFilterForm.from_args(args, status=enum_options(DeploymentStatus, empty=_("Any status")),
                                          region=places["region"], theme=places["theme"],
                                          member_state=places["country"])


def to_filters(args: Mapping[str, Any]) -> DeploymentFilters:
    """The filters the query parameters ask for; the dashboard's links add `counted` (engaged only)."""
    return DeploymentFilters(
        status=member(args, "status", DeploymentStatus), region=text(args, "region"), theme=text(args, "theme"),
        member_state=text(args, "member_state"), year_from=number(args, "year_from"),
        year_to=number(args, "year_to"), engaged=flag(args, "counted"), q=text(args, "q"),
    )
