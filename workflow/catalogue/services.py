"""What the public sees: published Actions only, and nothing personal about experts.

Every query here starts from `published_actions()`, so an unpublished Action cannot leak through a
filter, a figure or the map.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session, selectinload

from ..actions.lifecycle import ActionStatus
from ..actions.models import Action, action_countries, action_expert_institutions
from ..actions.queries import countries_worked_in
from ..activities.models import Activity, Deliverable
from ..core.errors import NotFound
from ..core.i18n import _
from ..dashboard.services import ENGAGED, activity_period
from ..deployments.models import Deployment
from ..experts.models import Expert
from ..reference.models import Institution, Region, ThematicArea
from ..reference.services import country_name
from ..results.queries import framework_for_page, preload_stages, progress
from ..results.stages import current_stage, policy_deliverables


class PublicStatus(StrEnum):
    """The public's view of the lifecycle: running or finished."""

    ONGOING = "ongoing"
    COMPLETED = "completed"


COMPLETED = frozenset({ActionStatus.CLOSED})  # what the public calls completed: closed, its work done


def public_status(action: Action) -> PublicStatus:
    return PublicStatus.COMPLETED if action.status in COMPLETED else PublicStatus.ONGOING


@dataclass(frozen=True)
class CatalogueFilters:
    region: str | None = None
    country: str | None = None  # an Action in that country, or a regional Action it is a member of
    theme: str | None = None
    status: PublicStatus | None = None


def published_actions(filters: CatalogueFilters = CatalogueFilters()) -> Select[tuple[Action]]:
    stmt = select(Action).where(Action.published, Action.status != ActionStatus.CANCELLED)
    if filters.region:
        stmt = stmt.where(Action.region_id == select(Region.id).where(Region.code == filters.region).scalar_subquery())
    if filters.country:
        code = filters.country.upper()
        stmt = stmt.where(
            (Action.country_code == code)
            | Action.id.in_(select(action_countries.c.action_id).where(action_countries.c.country_code == code))
        )
    if filters.theme:
        stmt = stmt.where(
            Action.thematic_area_id == select(ThematicArea.id).where(ThematicArea.code == filters.theme).scalar_subquery()
        )
    if filters.status is PublicStatus.COMPLETED:
        stmt = stmt.where(Action.status.in_(COMPLETED))
    elif filters.status is PublicStatus.ONGOING:
        stmt = stmt.where(Action.status.not_in(COMPLETED))
    return stmt


def catalogue_list(filters: CatalogueFilters) -> Select[tuple[Action]]:
    return published_actions(filters).order_by(Action.planned_start.desc(), Action.id.desc()).options(
        selectinload(Action.region), selectinload(Action.thematic_area), selectinload(Action.translations),
        selectinload(Action.member_countries),
    )


def public_action(session: Session, action_id: int) -> Action:
    """A published Action with what its public page shows; NotFound for anything else."""
    action = session.scalar(
        published_actions().where(Action.id == action_id).options(
            selectinload(Action.region), selectinload(Action.thematic_area), selectinload(Action.translations),
            selectinload(Action.member_countries), selectinload(Action.beneficiaries),
            selectinload(Action.activities), selectinload(Action.deliverables),
        )
    )
    if action is None:
        raise NotFound(_("No such Action."))
    return action


def expert_administrations(session: Session, action: Action) -> list[Institution]:
    """The administrations the Action's experts came from: those recorded on the Action and those
    of the experts who took part. Institutions only; never a person."""
    recorded = select(action_expert_institutions.c.institution_id).where(
        action_expert_institutions.c.action_id == action.id)
    deployed = (
        select(Expert.institution_id)
        .join(Deployment, Deployment.expert_id == Expert.id)
        .join(Activity, Activity.id == Deployment.activity_id)
        .where(Activity.action_id == action.id, *activity_period(None, None), Deployment.status.in_(ENGAGED),
               Expert.institution_id.is_not(None))
    )
    return list(session.scalars(
        select(Institution).where(Institution.id.in_(recorded.union(deployed))).order_by(Institution.name)
    ))


def public_deliverables(action: Action) -> list[Deliverable]:
    """Deliverables with a public link; uploaded files stay behind sign-in."""
    return [d for d in action.deliverables if d.url]


def public_results(session: Session, action: Action) -> dict[str, Any]:
    """What the public page shows of the results: each indicator's latest value against its target, and the
    furthest stage of each policy deliverable with what came of it (no one's name; uploaded evidence stays
    behind sign-in)."""
    framework = framework_for_page(session, action.id, links=False)
    indicators = framework.indicators if framework else []
    followed = policy_deliverables(action)
    preload_stages(session, followed)
    return {"framework": framework, "progress": {i.id: progress(i) for i in indicators},
            "stages": [(d, current_stage(d)) for d in followed if d.stages]}


# --- The map -----------------------------------------------------------------------------------

COUNTRY_LIST_LIMIT = 50  # Actions listed for a clicked country; the catalogue filter has the rest


def action_countries_of(filters: CatalogueFilters):
    """(action_id, country code) for every published Action matching the filters and each country it
    works in (`actions.queries.countries_worked_in`)."""
    shown = published_actions(replace(filters, country=None)).with_only_columns(Action.id).subquery()
    return countries_worked_in(select(shown.c.id))


def map_counts(session: Session, filters: CatalogueFilters, locale: str) -> list[dict]:
    """Each country with its number of published Actions, counted in SQL."""
    pairs = action_countries_of(filters)
    stmt = select(pairs.c.code, func.count(distinct(pairs.c.action_id))).group_by(pairs.c.code)
    if filters.country:
        stmt = stmt.where(pairs.c.code == filters.country.upper())
    return sorted(
        ({"code": code, "name": country_name(code, locale), "count": count} for code, count in session.execute(stmt)),
        key=lambda country: country["name"],
    )


def country_actions(session: Session, filters: CatalogueFilters, code: str, locale: str,
                    url_for_action) -> tuple[list[dict], int]:
    """The first published Actions working in one country, by name, and how many there are."""
    pairs = action_countries_of(filters)
    ids = select(pairs.c.action_id).where(pairs.c.code == code.upper())
    total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    actions = session.scalars(
        select(Action).where(Action.id.in_(ids)).order_by(Action.name).limit(COUNTRY_LIST_LIMIT)
        .options(selectinload(Action.translations))
    ).all()
    items = [{"name": a.name, "title": a.text("title", locale), "url": url_for_action(a), "regional": a.is_regional}
             for a in actions]
    return items, total
