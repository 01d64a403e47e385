"""The staff dashboard: the portfolio's figures, and the lists behind them."""

from __future__ import annotations

from babel.lists import format_list
from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts.access import staff_required
from ..core.figures import remember
from ..core.filters import list_query
from ..core.web import int_arg, per_page_arg
from ..extensions import db
from ..finance.filters import group_names
from ..finance.queries import MoneyFilters, money_groups
from ..reference.choices import locale_code
from ..reference.services import country_name
from .adopted import deliverables_adopted
from .charts import bar_chart, fold_regions, trend_chart
from .countries import CountryRow, actions_per_country
from .filters import filter_form, involved_filter_form, to_filters, to_involved
from .involved import involved_expert_page
from .services import Portfolio, portfolio

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
FILTERS = ("region", "theme", "year_from", "year_to")  # the dashboard's own query parameters


def charts(data: Portfolio, links: dict) -> dict:
    loc = locale_code()
    return {
        "years": trend_chart(_("Activities per year"), (
            (row.year, row.held, row.planned, url_for("activities.index", **{**links, "year": row.year}))
            for row in data.years)),
        "themes": bar_chart(_("Actions by thematic area"), (
            (_(row.theme.name), row.actions, url_for("actions.index", **{**links, "theme": row.theme.code}))
            for row in data.themes)),
        "member_states": bar_chart(_("Experts by member state"), (
            (country_name(row.country_code, loc), row.experts,
             url_for(".experts", **{**links, "member_state": row.country_code})) for row in data.member_states)),
    }


def named_countries(rows: list[CountryRow]) -> list[tuple[str, str, int]]:
    """(code, name in the reader's language, Actions), the most Actions first, then by name."""
    loc = locale_code()
    named = [(row.country_code, country_name(row.country_code, loc), row.actions) for row in rows]
    return sorted(named, key=lambda country: (-country[2], country[1]))


@bp.get("/")
@staff_required
def index():
    form = filter_form(request.args)
    filters = to_filters(form.accepted())
    data = remember(db.session, ("dashboard", filters), lambda: portfolio(db.session, filters))
    countries = remember(db.session, ("dashboard_countries", filters), lambda: actions_per_country(db.session, filters))
    adopted = remember(db.session, ("dashboard_adopted", filters), lambda: deliverables_adopted(db.session, filters))
    links = filters.query_args()
    # Regions without an Action are folded away unless the reader asks for all of them, or filters on one.
    all_regions = request.args.get("regions") == "all"
    regions, folded = fold_regions(data.regions, all_regions or bool(filters.region))
    args = {key: request.args[key] for key in FILTERS if request.args.get(key)}
    return render_template("dashboard/index.html", form=form, portfolio=data, links=links,
                           charts=charts(data, links), regions=regions, folded=folded, all_regions=all_regions,
                           folded_names=format_list([_(region.name) for region in folded], locale=locale_code()),
                           show_all_url=url_for(".index", **args, regions="all", _anchor="regions-heading"),
                           fold_url=url_for(".index", **args, _anchor="regions-heading"),
                           countries=named_countries(countries), adopted=adopted, **money_summary(filters))


def money_summary(filters) -> dict:
    """The money figures of the same portfolio, per cost category (staff only, as the whole dashboard)."""
    money = MoneyFilters(region=filters.region, theme=filters.theme, year_from=filters.year_from, year_to=filters.year_to)
    groups, total = remember(db.session, ("money", money, "category"),
                             lambda: money_groups(db.session, money, "category"))
    return {"money_groups": groups, "money_total": total, "money_names": group_names("category"),
            "money_args": {k: v for k, v in filters.query_args().items() if k != "counted"}}


@bp.get("/experts")
@staff_required
def experts():
    """The experts behind the dashboard's expert figures, with their number of deployments."""
    form = involved_filter_form(request.args)
    filters, who = to_filters(form.accepted()), to_involved(form.accepted())
    page = involved_expert_page(db.session, filters, who, int_arg("page", 1), per_page_arg())
    query = list_query()
    return render_template("dashboard/experts.html", form=form, page=page, query=query)

