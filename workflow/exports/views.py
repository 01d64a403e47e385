"""One CSV per list, read with the list's own filter form and query: the export has exactly the
rows the filtered list shows, on every page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, select

from ..accounts.access import roles_required, staff_required
from ..accounts.models import Role
from ..actions import filters as action_filters
from ..actions.models import Action, ActionTranslation, action_beneficiaries
from ..actions.queries import filtered_actions
from ..activities import filters as activity_filters
from ..activities.queries import filtered_activities
from ..activities.queries import with_list_columns as activity_columns
from ..core.provenance import csv_cell, csv_value
from ..dashboard import filters as portfolio_filters
from ..dashboard.involved import involved_expert_list
from ..deployments import filters as deployment_filters
from ..deployments.queries import filtered_deployments
from ..deployments.queries import with_list_columns as deployment_columns
from ..experts import filters as roster_filters
from ..experts.views import roster_query
from ..extensions import db
from ..reference.choices import locale_code
from ..reference.models import Institution, Region, ThematicArea
from .csvfile import Words, csv_response

bp = Blueprint("exports", __name__, url_prefix="/exports")

BATCH = 500  # rows fetched at a time: memory stays flat however long the list


def _stamped(name: str) -> str:
    return f"{name}-{date.today().isoformat()}.csv"


def _stream(stmt: Select) -> Iterator:
    return db.session.scalars(stmt.execution_options(yield_per=BATCH))


@bp.get("/actions.csv")
@staff_required
def actions():
    """Plain rows, with the names and lists each fetched once for the whole export: a fixed number of
    queries however many Actions (the rows themselves are streamed from one query)."""
    filters = action_filters.to_filters(action_filters.filter_form(request.args).accepted())
    filtered = filtered_actions(current_user, filters)
    ids = filtered.with_only_columns(Action.id).order_by(None)
    lang = locale_code()
    regions = dict(db.session.execute(select(Region.id, Region.name)).all())
    themes = dict(db.session.execute(select(ThematicArea.id, ThematicArea.name)).all())
    beneficiaries: dict[int, list[str]] = defaultdict(list)
    for action_id, name, acronym in db.session.execute(
        select(action_beneficiaries.c.action_id, Institution.name, Institution.acronym)
        .join(Institution, Institution.id == action_beneficiaries.c.institution_id)
        .where(action_beneficiaries.c.action_id.in_(ids)).order_by(Institution.name)
    ):
        beneficiaries[action_id].append(f"{name} ({acronym})" if acronym else name)
    titles = dict(db.session.execute(
        select(ActionTranslation.action_id, ActionTranslation.title)
        .where(ActionTranslation.locale == lang, ActionTranslation.title != "", ActionTranslation.action_id.in_(ids))
    ).all())
    columns = filtered.with_only_columns(
        Action.id, Action.name, Action.title, Action.country_code, Action.region_id, Action.is_regional,
        Action.thematic_area_id, Action.status, Action.planned_start, Action.planned_end, Action.published,
        Action.invented, Action.invented_fields)

    words = Words()

    def rows():
        for (action_id, name, title, country, region_id, regional, theme_id, status, start, end,
             published, invented, invented_fields) in db.session.execute(columns.execution_options(yield_per=BATCH)):
            yield (action_id, name, titles.get(action_id, title), words.country(country), words.name(regions[region_id]), regional,
                   words.name(themes[theme_id]), words.label(status), start, end, "; ".join(beneficiaries[action_id]), published,
                   csv_cell(invented, invented_fields))

    header = (_("Id"), _("Action"), _("Title"), _("Country"), _("Region"), _("Regional"), _("Thematic area"),
              _("Status"), _("Planned start"), _("Planned end"), _("Beneficiaries"), _("Public"), _("Invented for the demo"))
    return csv_response(_stamped("actions"), header, rows)


@bp.get("/activities.csv")
@staff_required
def activities():
    filters = activity_filters.to_filters(activity_filters.filter_form(request.args).accepted())
    stmt = activity_columns(filtered_activities(current_user, filters))

    words = Words()

    def rows():
        for a in _stream(stmt):
            yield (a.id, a.action.name, a.title, words.label(a.kind), a.city, words.country(a.country_code), a.is_remote,
                   a.start_date, a.end_date, words.label(a.status), " ".join(a.languages),
                   a.participants_female, a.participants_male, a.participants_other, csv_value(a))

    header = (_("Id"), _("Action"), _("Title"), _("Kind"), _("City"), _("Country"), _("Remote"), _("Start"), _("End"),
              _("Status"), _("Languages"), _("Participants: women"), _("Participants: men"),
              _("Participants: other or not stated"), _("Invented for the demo"))
    return csv_response(_stamped("activities"), header, rows)


@bp.get("/deployments.csv")
@staff_required
def deployments():
    filters = deployment_filters.to_filters(deployment_filters.filter_form(request.args).accepted())
    stmt = deployment_columns(filtered_deployments(current_user, filters))

    words = Words()

    def rows():
        for d in _stream(stmt):
            yield (d.id, d.expert.name, words.country(d.expert.country_code), d.activity.title, d.activity.action.name,
                   d.activity.start_date, d.activity.end_date, words.label(d.role), d.working_days, words.label(d.status))

    header = (_("Id"), _("Expert"), _("Expert's country"), _("Activity"), _("Action"), _("Start"), _("End"),
              _("Role"), _("Working days"), _("Status"))
    return csv_response(_stamped("deployments"), header, rows)


@bp.get("/experts.csv")
@roles_required(Role.ADMIN, Role.OFFICER, Role.MS_FOCAL_POINT)
def experts():
    """The roster as filtered; a focal point gets only their own state's experts, as on the page."""
    stmt = roster_query(roster_filters.to_filters(roster_filters.filter_form(request.args).accepted()))

    words = Words()

    def rows():
        for e in _stream(stmt):
            languages = ", ".join(f"{lang.language} {lang.level}" for lang in e.languages)
            themes = ", ".join(f"{_(t.thematic_area.name)} ({t.level})" for t in e.themes)
            yield (e.id, e.name, e.email, words.label(e.gender), words.country(e.nationality), words.country(e.country_code),
                   e.institution.label if e.institution else "", words.label(e.type), words.label(e.status), languages, themes,
                   e.years_experience, e.max_days_per_year, csv_value(e))

    header = (_("Id"), _("Name"), _("E-mail"), _("Gender"), _("Nationality"), _("Country of administration"),
              _("Institution"), _("Type"), _("Status"), _("Languages"), _("Thematic areas"), _("Years of experience"),
              _("Maximum deployment days per year"), _("Invented for the demo"))
    return csv_response(_stamped("experts"), header, rows)


@bp.get("/involved-experts.csv")
@staff_required
def involved_experts():
    accepted = portfolio_filters.involved_filter_form(request.args).accepted()
    stmt = involved_expert_list(portfolio_filters.to_filters(accepted), portfolio_filters.to_involved(accepted))

    words = Words()

    def rows():
        for expert, count in db.session.execute(stmt.execution_options(yield_per=BATCH)):
            yield (expert.id, expert.name, words.country(expert.country_code), words.label(expert.type), words.label(expert.gender),
                   count)

    header = (_("Id"), _("Expert"), _("Country of administration"), _("Type"), _("Gender"), _("Deployments"))
    return csv_response(_stamped("experts-involved"), header, rows)
