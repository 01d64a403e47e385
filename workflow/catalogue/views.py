"""The public catalogue: no sign-in, published Actions only, no expert's personal data."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from ..actions.models import Action
from ..core.figures import remember, remembered_page
from ..core.filters import list_query
from ..core.web import int_arg
from ..dashboard.services import PortfolioFilters, regional_counts
from ..extensions import db
from ..knowledge.queries import evidence_indicators, published_practices_of_action
from ..reference.choices import locale_code
from .filters import CatalogueFilterForm, filter_form, to_filters
from .practices import (
    practice_filter_form,
    public_practice,
    public_practice_list,
    published_sources,
    to_practice_filters,
)
from .services import (
    CatalogueFilters,
    PublicStatus,
    catalogue_list,
    country_actions,
    expert_administrations,
    map_counts,
    public_action,
    public_deliverables,
    public_results,
    public_status,
)

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")

PER_PAGE = 12


def catalogue_filters() -> tuple[CatalogueFilterForm, CatalogueFilters]:
    form = filter_form(request.args)
    return form, to_filters(form.accepted())


@bp.app_template_test("completed")
def completed(action: Action) -> bool:
    """`action is completed`: what the public pages say of a finished Action."""
    return public_status(action) is PublicStatus.COMPLETED


@bp.get("/")
def index():
    form, filters = catalogue_filters()
    # The same for every reader: counted once per change of the portfolio (workflow.core.figures).
    page = remembered_page(db.session, ("catalogue", filters), catalogue_list(filters), int_arg("page", 1), PER_PAGE)
    published = PortfolioFilters(published_only=True)
    regions = remember(db.session, ("regions", published), lambda: regional_counts(db.session, published))
    return render_template("catalogue/index.html", form=form, page=page, query=list_query(), regions=regions)


@bp.get("/actions/<id:action_id>")
def show(action_id: int):
    action = public_action(db.session, action_id)
    return render_template(
        "catalogue/show.html",
        action=action,
        administrations=expert_administrations(db.session, action),
        deliverables=public_deliverables(action),
        results=public_results(db.session, action),
        practices=published_practices_of_action(db.session, action.id),
    )


# --- The good-practices library ------------------------------------------------------------------------


@bp.get("/practices")
def practices():
    form = practice_filter_form(request.args)
    filters = to_practice_filters(form.accepted())
    page = remembered_page(db.session, ("practices", filters), public_practice_list(filters), int_arg("page", 1),
                           PER_PAGE)
    return render_template("catalogue/practices.html", form=form, page=page, query=list_query())


@bp.get("/practices/<id:practice_id>")
def practice(practice_id: int):
    practice = public_practice(db.session, practice_id)
    sources = published_sources(db.session, practice)
    return render_template("catalogue/practice.html", practice=practice, sources=sources,
                           indicators=evidence_indicators(db.session, practice, {a.id for a in sources}),
                           action_names={a.id: a.name for a in sources})


@bp.get("/map")
def map():
    form, filters = catalogue_filters()
    locale = locale_code()
    countries = remember(db.session, ("map_counts", filters, locale), lambda: map_counts(db.session, filters, locale))
    return render_template("catalogue/map.html", data_url=url_for(".map_data", **list_query()), form=form,
                           countries=countries, max=max((c["count"] for c in countries), default=0))


@bp.get("/map.json")
def map_data():
    """Every country's number of Actions; with `country=PE`, also that country's first Actions."""
    _form, filters = catalogue_filters()
    locale = locale_code()

    def figures() -> dict:
        countries = map_counts(db.session, filters, locale)
        data = {"countries": countries, "max": max((c["count"] for c in countries), default=0)}
        if filters.country:
            actions, total = country_actions(db.session, filters, filters.country, locale,
                                             lambda action: url_for(".show", action_id=action.id))
            data.update(actions=actions, total=total,
                        catalogue_url=url_for(".index", **{**list_query(), "country": filters.country}))
        return data

    return remember(db.session, ("map", filters, locale, tuple(sorted(list_query().items()))), figures)
