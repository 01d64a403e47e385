"""The deployment list: who went where, filtered as staff ask, for the page and the export; an expert's booked days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from ..accounts.models import Role, User
from ..actions.models import Action
from ..activities.lifecycle import ActivityStatus
from ..activities.models import Activity
from ..core.errors import NotFound
from ..core.i18n import _
from ..core.search import matches
from ..experts.models import Expert, ExpertType
from ..matching.years import days_per_year
from ..reference.models import Region, ThematicArea
from .lifecycle import BOOKED, RELEASABLE, DeploymentStatus
from .models import Deployment

# Deployments that involve the expert in the work: what the portfolio figures count.
ENGAGED = (DeploymentStatus.ACCEPTED, DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED)


def visible_deployments(user: User) -> Select[tuple[Deployment]]:
    """Staff see all; an expert their own; a focal point those of their member state's experts."""
    stmt = select(Deployment)
    if user.is_staff:
        return stmt
    if user.role is Role.EXPERT:
        return stmt.where(Deployment.expert_id.in_(select(Expert.id).where(Expert.user_id == user.id)))
    if user.role is Role.MS_FOCAL_POINT and user.country_code:
        return stmt.where(Deployment.expert_id.in_(select(Expert.id).where(Expert.country_code == user.country_code)))
    return stmt.where(False)


def get_deployment(session: Session, user: User, deployment_id: int) -> Deployment:
    found = session.scalar(visible_deployments(user).where(Deployment.id == deployment_id))
    if found is None:
        raise NotFound(_("No such deployment."))
    return found


def awaiting_release(user: User) -> Select[tuple[Deployment]]:
    """The member-state officials' deployments waiting for a release this user may give: a focal point's own
    state's, every state's for an admin; the activity starting soonest first."""
    stmt = (select(Deployment).join(Expert, Expert.id == Deployment.expert_id)
            .join(Activity, Activity.id == Deployment.activity_id)
            .where(Expert.type == ExpertType.MS_OFFICIAL, Deployment.status.in_(RELEASABLE),
                   Deployment.release_approved_at.is_(None), Activity.status != ActivityStatus.CANCELLED))
    if user.role is Role.MS_FOCAL_POINT and user.country_code:
        stmt = stmt.where(Expert.country_code == user.country_code)
    elif user.role is not Role.ADMIN:
        stmt = stmt.where(False)
    return stmt.options(selectinload(Deployment.expert).selectinload(Expert.institution),
                        selectinload(Deployment.activity).selectinload(Activity.action)) \
        .order_by(Activity.start_date, Deployment.id)


@dataclass(frozen=True)
class DeploymentFilters:
    status: DeploymentStatus | None = None
    region: str | None = None  # the Action's region code
    theme: str | None = None  # the Action's thematic area code
    member_state: str | None = None  # the country of the expert's administration
    year_from: int | None = None  # the activity starts in these years
    year_to: int | None = None
    engaged: bool = False  # accepted, confirmed or completed
    q: str | None = None  # words in the expert's name


def filtered_deployments(user: User, f: DeploymentFilters) -> Select[tuple[Deployment]]:
    # Join only what the filters need: the count and the first page stay cheap when nothing is asked.
    stmt = visible_deployments(user).join(Activity, Activity.id == Deployment.activity_id)
    if f.region or f.theme:
        stmt = stmt.join(Action, Action.id == Activity.action_id)
    if f.member_state or f.q:
        stmt = stmt.join(Expert, Expert.id == Deployment.expert_id)
    if f.status:
        stmt = stmt.where(Deployment.status == f.status)
    if f.engaged:
        stmt = stmt.where(Deployment.status.in_(ENGAGED))
    if f.region:
        stmt = stmt.where(Action.region_id == select(Region.id).where(Region.code == f.region).scalar_subquery())
    if f.theme:
        stmt = stmt.where(
            Action.thematic_area_id == select(ThematicArea.id).where(ThematicArea.code == f.theme).scalar_subquery()
        )
    if f.member_state:
        stmt = stmt.where(Expert.country_code == f.member_state.upper())
    if f.year_from:
        stmt = stmt.where(Activity.start_date >= date(f.year_from, 1, 1))
    if f.year_to:
        stmt = stmt.where(Activity.start_date <= date(f.year_to, 12, 31))
    if f.q:
        stmt = stmt.where(matches(f.q, Expert.search_key))
    # The activity's id before the deployment's: the newest page is then read along the activities' start-date
    # index and each activity's deployments, with no sort of the whole list.
    return stmt.order_by(Activity.start_date.desc(), Activity.id.desc(), Deployment.id.desc())


def with_list_columns(stmt: Select[tuple[Deployment]]) -> Select[tuple[Deployment]]:
    return stmt.options(
        selectinload(Deployment.expert),
        selectinload(Deployment.activity).selectinload(Activity.action),
    )


def booked_days_per_year(session: Session, expert_id: int) -> dict[int, int]:
    """Return the expert's working days in accepted, confirmed and completed deployments per calendar year.

    The same count the yearly day cap checks: each day in its own year (matching/years.py)."""
    totals: dict[int, int] = {}
    for start, end, days in session.execute(
        select(Activity.start_date, Activity.end_date, Deployment.working_days)
        .join(Activity, Deployment.activity_id == Activity.id)
        .where(Deployment.expert_id == expert_id, Deployment.status.in_(BOOKED))
    ):
        for year, share in days_per_year(start, end, days).items():
            totals[year] = totals.get(year, 0) + share
    return dict(sorted(totals.items()))
