"""The list behind the expert figures: the involved experts, each with their counted deployments."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..core.web import Page
from ..deployments.models import Deployment
from ..experts.models import Expert, Gender
from .involvements import ENGAGED, OFFICIALS
from .services import PortfolioFilters, counted_activities


@dataclass(frozen=True)
class InvolvedFilters:
    member_state: str | None = None  # the country of the expert's administration
    officials_only: bool = False
    gender: Gender | None = None


def involved_expert_list(filters: PortfolioFilters, who: InvolvedFilters) -> Select:
    """The involved experts with how many counted deployments each, by name."""
    activities = counted_activities(filters).subquery()
    deployments = func.count(Deployment.id).label("deployments")
    stmt = (
        select(Expert, deployments)
        .join(Deployment, Deployment.expert_id == Expert.id)
        .join(activities, activities.c.id == Deployment.activity_id)
        .where(Deployment.status.in_(ENGAGED))
        .group_by(Expert.id)
        .order_by(Expert.name, Expert.id)
    )
    if who.member_state:
        stmt = stmt.where(Expert.country_code == who.member_state.upper())
    if who.officials_only:
        stmt = stmt.where(Expert.type.in_(OFFICIALS))
    if who.gender:
        stmt = stmt.where(Expert.gender == who.gender)
    return stmt


def involved_expert_page(
    session: Session, filters: PortfolioFilters, who: InvolvedFilters, page: int, per_page: int
) -> Page[tuple[Expert, int]]:
    stmt = involved_expert_list(filters, who)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).tuples().all()
    return Page(items=rows, total=total, page=page, per_page=per_page)
