"""The money figures' filters: the page's form, and `to_money_filters` for the page, the CSV and the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import Optional

from ..core.filters import ListFilterForm, member, not_before, number, text, year_field
from ..core.forms import enum_options, options
from ..core.i18n import _
from ..core.labels import label
from ..extensions import db
from ..reference.choices import region_choices, theme_code_choices
from ..reference.models import Region
from .models import CostCategory
from .queries import GROUPINGS, MoneyFilters

GROUPING_LABELS = {"action": _l("Action"), "region": _l("Region"), "year": _l("Year"), "category": _l("Cost category")}


class MoneyFilterForm(ListFilterForm):
    by = SelectField(_l("Per"), choices=options((key, GROUPING_LABELS[key]) for key in GROUPINGS),
                     validators=[Optional()])
    region = SelectField(_l("Region"), validators=[Optional()])
    theme = SelectField(_l("Thematic area"), validators=[Optional()])
    year_from = year_field(_l("From year"))
    year_to = year_field(_l("To year"), not_before("year_from", _l("The last year is before the first.")))
    category = SelectField(_l("Cost category"), choices=enum_options(CostCategory, empty=_l("All categories")),
                           validators=[Optional()])


def figures_form(args: Mapping[str, Any]) -> MoneyFilterForm:
    return MoneyFilterForm.from_args(args, region=options(region_choices(db.session), empty=_("All regions")),
                                     theme=options(theme_code_choices(db.session), empty=_("All thematic areas")))


def to_money_filters(args: Mapping[str, Any]) -> tuple[MoneyFilters, str]:
    """The figures the query parameters ask for, and how they are grouped (per Action unless said)."""
    by = args.get("by") if args.get("by") in GROUPINGS else "action"
    return MoneyFilters(region=text(args, "region"), theme=text(args, "theme"), year_from=number(args, "year_from"),
                        year_to=number(args, "year_to"), category=member(args, "category", CostCategory)), by


def group_names(by: str) -> dict[str, str]:
    """How the groups are named in the reader's language: regions and categories (Actions and years name themselves)."""
    if by == "region":
        return {code: _(name) for code, name in db.session.execute(select(Region.code, Region.name))}
    if by == "category":
        return {category.value: label(category) for category in CostCategory}
    return {}
