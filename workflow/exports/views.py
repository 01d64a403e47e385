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
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.access import roles_required, staff_required
from ..accounts.models import Role
from ..actions import filters as action_filters
from ..actions.models import Action, ActionTranslation, action_beneficiaries
from ..actions.queries import filtered_actions
from ..activities import filters as activity_filters
from ..activities.models import Deliverable
from ..activities.queries import filtered_activities
from ..activities.queries import with_list_columns as activity_columns
from ..core.provenance import csv_cell, csv_value
from ..dashboard import filters as portfolio_filters
from ..dashboard.adopted import deliverables_adopted
from ..dashboard.involved import involved_expert_list
from ..deployments import filters as deployment_filters
from ..deployments.queries import filtered_deployments
from ..deployments.queries import with_list_columns as deployment_columns
from ..experts import filters as roster_filters
from ..experts.views import roster_query
from ..extensions import db
from ..finance import filters as money_filters
from ..finance.queries import money_groups
from ..knowledge.lifecycle import ImpactArea
from ..knowledge.models import KnowledgeEvent, Practice
from ..reference.choices import locale_code
from ..reference.models import Institution, Region, ThematicArea
from ..results.models import DeliverableStage, Indicator
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


@bp.get("/money.csv")
@staff_required
def money():
    """The money figures as the page shows them: grouped per Action, region, year or category, filtered alike."""
    filters, by = money_filters.to_money_filters(money_filters.figures_form(request.args).accepted())
    groups, total = money_groups(db.session, filters, by)
    names = money_filters.group_names(by)

    def rows():
        for g in [*groups, total]:
            days = g.days
            yield (g.key if g is not total else "", names.get(g.key, g.name) if g is not total else _("Total"),
                   g.money.budget, g.money.planned, g.money.committed, g.money.actual, g.money.remaining,
                   days.days if days else "", days.cost_per_day if days else "")

    header = (money_filters.GROUPING_LABELS[by], _("Name"), _("Budget (EUR)"), _("Planned (EUR)"), _("Committed (EUR)"),
              _("Actual (EUR)"), _("Remaining (EUR)"), _("Expert-days"), _("Cost per expert-day (EUR)"))
    return csv_response(_stamped(f"money-per-{by}"), header, rows)
# --- Results frameworks and policy deliverables after closure (workflow/results) --------------------------------


@bp.get("/indicators.csv")
@staff_required
def indicators():
    """Every indicator of the Actions the Action list's filters keep, with its baseline, target and latest value."""
    filters = action_filters.to_filters(action_filters.filter_form(request.args).accepted())
    ids = filtered_actions(current_user, filters).with_only_columns(Action.id).order_by(None)
    stmt = (select(Indicator).where(Indicator.action_id.in_(ids)).order_by(Indicator.action_id, Indicator.id)
            .options(selectinload(Indicator.measurements), joinedload(Indicator.result)))

    words = Words()
    names = dict(db.session.execute(select(Action.id, Action.name).where(Action.id.in_(ids))).all())

    def rows():
        for i in db.session.scalars(stmt).unique():
            latest = i.latest
            yield (i.id, names[i.action_id], words.label(i.result.level), i.result.statement, i.title, i.unit,
                   words.label(i.impact_area), i.baseline_value, i.baseline_date, i.target_value, i.target_date,
                   i.means_of_verification, latest.value if latest else None, latest.measured_on if latest else None,
                   latest.source if latest else "", len(i.current_measurements), csv_value(i))

    header = (_("Id"), _("Action"), _("Level"), _("Expected result"), _("Indicator"), _("Unit"), _("Impact area"),
              _("Baseline value"), _("Baseline date"), _("Target value"), _("Target date"), _("Means of verification"),
              _("Latest value"), _("Measured on"), _("Source"), _("Measurements"), _("Invented for the demo"))
    return csv_response(_stamped("indicators"), header, rows)


@bp.get("/deliverable-news.csv")
@staff_required
def deliverable_news():
    """Every recorded stage of the policy deliverables of the Actions the Action list's filters keep."""
    filters = action_filters.to_filters(action_filters.filter_form(request.args).accepted())
    ids = filtered_actions(current_user, filters).with_only_columns(Action.id).order_by(None)
    stmt = (select(DeliverableStage, Deliverable.title, Deliverable.kind, Action.name)
            .join(Deliverable, Deliverable.id == DeliverableStage.deliverable_id)
            .join(Action, Action.id == DeliverableStage.action_id)
            .where(DeliverableStage.action_id.in_(ids)).order_by(Action.name, Deliverable.id, DeliverableStage.id))

    words = Words()

    def rows():
        for stage, title, kind, action in db.session.execute(stmt.execution_options(yield_per=BATCH)):
            yield (stage.id, action, title, words.label(kind), words.label(stage.stage), stage.reached_on,
                   stage.outcome, stage.url or stage.file_name or "", stage.check_in_months, csv_value(stage))

    header = (_("Id"), _("Action"), _("Deliverable"), _("Kind"), _("Stage"), _("Reached on"), _("What came of it"),
              _("Evidence"), _("Check-in (months after closure)"), _("Invented for the demo"))
    return csv_response(_stamped("deliverable-news"), header, rows)


@bp.get("/deliverables-adopted.csv")
@staff_required
def deliverables_adopted_csv():
    """The dashboard's "Deliverables adopted", with the dashboard's filters."""
    filters = portfolio_filters.to_filters(portfolio_filters.filter_form(request.args).accepted())
    codes = list(db.session.scalars(select(Region.code).order_by(Region.position)))
    names = dict(db.session.execute(select(Region.code, Region.name)).all())

    def rows():
        for row in deliverables_adopted(db.session, filters):
            yield (row.year, row.total, *(row.regions.get(code, 0) for code in codes))

    header = (_("Year"), _("All regions"), *(_(names[code]) for code in codes))
    return csv_response(_stamped("deliverables-adopted"), header, rows)
# --- Knowledge work: events (one row per country and institution that took part) and good practices ------------


@bp.get("/knowledge-events.csv")
@staff_required
def knowledge_events():
    """Every knowledge-sharing event, a row per participants' country and institution (an event without any: one
    row with empty counts)."""
    words = Words()
    stmt = select(KnowledgeEvent).options(
        selectinload(KnowledgeEvent.participants), selectinload(KnowledgeEvent.actions),
        selectinload(KnowledgeEvent.documents)).order_by(KnowledgeEvent.start_date, KnowledgeEvent.id)

    def rows():
        for event in db.session.scalars(stmt):
            actions = "; ".join(a.name for a in event.actions)
            documents = "; ".join(f"{words.label(d.kind)}: {d.title}" for d in event.current_documents)
            for group in event.participants or [None]:
                yield (event.id, event.title, event.start_date, event.end_date, event.city,
                       words.country(event.country_code), event.host_institution, event.theme, actions, documents,
                       words.country(group.country_code) if group else None, group.institution if group else None,
                       group.female if group else None, group.male if group else None,
                       group.other if group else None,
                       ", ".join(filter(None, (csv_value(event), csv_value(group) if group else ""))))

    header = (_("Id"), _("Event"), _("Start"), _("End"), _("City"), _("Country"), _("Host institution"), _("Theme"),
              _("Actions reviewed"), _("Documents"), _("Participants' country"), _("Institution"), _("Participants: women"),
              _("Participants: men"), _("Participants: other or not stated"), _("Invented for the demo"))
    return csv_response(_stamped("knowledge-events"), header, rows)


@bp.get("/practices.csv")
@staff_required
def practices():
    words = Words()
    stmt = select(Practice).options(selectinload(Practice.actions), selectinload(Practice.deliverables),
                                    selectinload(Practice.indicators), selectinload(Practice.region),
                                    selectinload(Practice.thematic_area),
                                    selectinload(Practice.event)).order_by(Practice.title, Practice.id)

    def rows():
        for p in db.session.scalars(stmt):
            yield (p.id, p.title, words.label(p.status), "; ".join(words.label(ImpactArea(a)) for a in p.impact_areas),
                   words.name(p.thematic_area.name) if p.thematic_area else None,
                   words.name(p.region.name) if p.region else None, "; ".join(a.name for a in p.actions),
                   p.event.title if p.event else None, "; ".join(d.title for d in p.deliverables),
                   "; ".join(f"{i.title} ({i.unit})" for i in p.indicators),
                   p.description, p.conditions, csv_value(p))

    header = (_("Id"), _("Good practice"), _("Status"), _("Impact areas"), _("Thematic area"), _("Region"),
              _("Source Actions"), _("Source event"), _("Evidence: deliverables"), _("Evidence: indicators"),
              _("Description"),
              _("Conditions that made it work"), _("Invented for the demo"))
    return csv_response(_stamped("practices"), header, rows)
