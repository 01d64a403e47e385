"""The catalogue's filters: the form of its list and map, and `to_filters` for both."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from ..core.filters import ListFilterForm, member, text
from ..core.forms import options
from ..extensions import db
from ..reference.choices import filter_choices
from .services import CatalogueFilters, PublicStatus


class CatalogueFilterForm(ListFilterForm):
    region = SelectField(_l("Region"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    theme = SelectField(_l("Thematic area"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()], choices=options(
        [(PublicStatus.ONGOING.value, _l("Ongoing")), (PublicStatus.COMPLETED.value, _l("Completed"))],
        empty=_l("Any status")))


def filter_form(args: Mapping[str, Any]) -> CatalogueFilterForm:
    """The catalogue's filter form, read from `args` with its choices (unreadable values carry a message)."""
    return CatalogueFilterForm.from_args(args, **filter_choices(db.session, "region", "country", "theme"))


def to_filters(args: Mapping[str, Any]) -> CatalogueFilters:
    """The published Actions the query parameters ask for."""
    return CatalogueFilters(region=text(args, "region"), country=text(args, "country"), theme=text(args, "theme"),
                            status=member(args, "status", PublicStatus))
