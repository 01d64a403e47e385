"""The staff dashboard: the portfolio's figures, and the lists behind them."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts.access import staff_required
from ..core.figures import remember
from ..core.filters import list_query
from ..core.web import int_arg, per_page_arg
from ..extensions import db
from ..reference.choices import locale_code
from ..reference.services import country_name
from .charts import bar_chart
from .filters import filter_form, involved_filter_form, to_filters, to_involved
from .involved import involved_expert_page
from .services import Portfolio, portfolio

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


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
    form = filter_form(request.args)
    filters = to_filters(form.accepted())
    data = remember(db.session, ("dashboard", filters), lambda: portfolio(db.session, filters))
    links = filters.query_args()
    return render_template("dashboard/index.html", form=form, portfolio=data, links=links, charts=charts(data, links))


@bp.get("/experts")
@staff_required
def experts():
    """The experts behind the dashboard's expert figures, with their number of deployments."""
    form = involved_filter_form(request.args)
    filters, who = to_filters(form.accepted()), to_involved(form.accepted())
    page = involved_expert_page(db.session, filters, who, int_arg("page", 1), per_page_arg())
    query = list_query()
    return render_template("dashboard/experts.html", form=form, page=page, query=query)

