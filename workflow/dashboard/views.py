"""The staff dashboard: the portfolio's figures, and the lists behind them."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _

from ..accounts.access import staff_required
from ..core.figures import remember
from ..core.filters import list_query
from ..core.forms import enum_options, options
from ..core.web import int_arg, per_page_arg
from ..experts.models import Gender
from ..extensions import db
from ..reference.choices import locale_code, region_choices, theme_code_choices
from ..reference.services import country_name
from .charts import bar_chart
from .forms import InvolvedFilterForm, PortfolioFilterForm
from .services import Portfolio, eu_member_codes, involved_expert_page, portfolio

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def filter_form(form_class=PortfolioFilterForm, **choices):
    """The filter form read from the query string; unreadable values show as errors, never a 500."""
    return form_class.from_query(
        region=options(region_choices(db.session), empty=_("All regions")),
        theme=options(theme_code_choices(db.session), empty=_("All thematic areas")),
        **choices,
    )


def charts(data: Portfolio, links: dict) -> dict:
    loc = locale_code()
    return {
        "years": bar_chart(_("Activities per year"), (
            (str(row.year), row.total.count, url_for("activities.index", **{**links, "year": row.year}))
            for row in data.years)),
        "themes": bar_chart(_("Actions by thematic area"), (
            (_(row.theme.name), row.actions, url_for("actions.index", **{**links, "theme": row.theme.code}))
            for row in data.themes)),
        "member_states": bar_chart(_("Experts by member state"), (
            (country_name(row.country_code, loc), row.experts,
             url_for(".experts", **{**links, "member_state": row.country_code})) for row in data.member_states)),
    }


@bp.get("/")
@staff_required
def index():
    form = filter_form()
    filters = form.filters()
    data = remember(db.session, ("dashboard", filters), lambda: portfolio(db.session, filters))
    links = filters.query_args()
    return render_template("dashboard/index.html", form=form, portfolio=data, links=links, charts=charts(data, links))


def involved_filter_form() -> InvolvedFilterForm:
    eu = sorted(((code, country_name(code, locale_code())) for code in eu_member_codes(db.session)),
                key=lambda pair: pair[1])
    return filter_form(InvolvedFilterForm, member_state=options(eu, empty=_("Any member state")),
                       gender=enum_options(Gender, empty=_("Any gender")))


@bp.get("/experts")
@staff_required
def experts():
    """The experts behind the dashboard's expert figures, with their number of deployments."""
    form = involved_filter_form()
    filters, who = form.filters(), form.involved()
    page = involved_expert_page(db.session, filters, who, int_arg("page", 1), per_page_arg())
    query = list_query()
    return render_template("dashboard/experts.html", form=form, page=page, query=query)

