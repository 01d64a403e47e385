"""From the database to the matching engine's plain dataclasses (and nothing else).

Few queries whatever the roster size: the experts with their languages, themes, countries and
unavailability by `selectinload`, then one query for every booked deployment of those experts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from ..actions.models import Action
from ..activities.models import Activity, ExpertSlot
from ..experts.models import DEPLOYABLE, Expert, ExpertLanguage, ExpertTheme
from ..matching.engine import Booking, Candidate, Period, Slot
from ..matching.names import format_period
from ..reference.models import Country, Region
from .lifecycle import BOOKED, DeploymentStatus
from .models import Deployment

WORKING_LEVELS = ("B2", "C1", "C2")


def _fmt(period: Period) -> str:
    return format_period(period.start, period.end)


def slot_of(session: Session, slot: ExpertSlot) -> Slot:
    """The engine's view of a slot: dates, place, languages, beneficiaries."""
    activity = slot.activity
    action: Action = activity.action
    return Slot(
        slot_id=slot.id,
        activity_id=activity.id,
        action_id=action.id,
        role=slot.role.value,
        theme=slot.thematic_area.code,
        language=slot.language,
        activity_languages=tuple(activity.languages or (slot.language,)),
        period=Period(activity.start_date, activity.end_date),
        remote=activity.is_remote,
        working_days=working_days(activity),
        country=activity.country_code or action.country_code,
        region=action.region.code,
        beneficiary_ids=frozenset(i.id for i in action.beneficiaries),
        places=slot.places,
        label=f"{activity.title} ({action.name})",
    )


# Long-running remote work (drafting a handbook over months) is not full-time: unless staff say
# otherwise when inviting, it counts this many working days.
LONG_REMOTE_DAYS = 10


def working_days(activity: Activity) -> int:
    """The default working days of a deployment on `activity`: its length, or LONG_REMOTE_DAYS for long remote work."""
    span = (activity.end_date - activity.start_date).days + 1
    return LONG_REMOTE_DAYS if activity.is_remote and span > 30 else span


def deployable_experts(languages: Iterable[str] | None = None) -> Select[tuple[Expert]]:
    """Approved or active experts; with `languages`, only those who work in one of them (B2+)."""
    stmt = select(Expert).where(Expert.status.in_(DEPLOYABLE))
    if languages:
        stmt = stmt.where(
            Expert.id.in_(
                select(ExpertLanguage.expert_id).where(
                    ExpertLanguage.language.in_(tuple(languages)), ExpertLanguage.level.in_(WORKING_LEVELS)
                )
            )
        )
    return stmt


def load_candidates(
    session: Session, stmt: Select[tuple[Expert]], *, today: date, exclude_deployment: int | None = None
) -> list[Candidate]:
    """Build engine candidates for the experts `stmt` selects (bookings exclude `exclude_deployment`)."""
    experts = session.scalars(
        stmt.options(
            selectinload(Expert.languages),
            selectinload(Expert.themes).selectinload(ExpertTheme.thematic_area),
            selectinload(Expert.countries_worked),
            selectinload(Expert.unavailable),
        ).order_by(Expert.id)
    ).all()
    if not experts:
        return []
    ids = [e.id for e in experts]
    regions = dict(session.execute(select(Country.code, Region.code).join(Region, Country.region_id == Region.id)).all())

    bookings: dict[int, list[Booking]] = defaultdict(list)
    days: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    served: dict[int, set[int]] = defaultdict(set)
    recent: dict[int, int] = defaultdict(int)
    rows = session.execute(
        select(Deployment.id, Deployment.expert_id, Deployment.working_days, Deployment.status,
               Activity.start_date, Activity.end_date, Activity.is_remote, Activity.title, Activity.action_id,
               Action.name)
        .join(Activity, Deployment.activity_id == Activity.id)
        .join(Action, Activity.action_id == Action.id)
        .where(Deployment.expert_id.in_(ids), Deployment.status.in_(BOOKED))
    ).all()
    year_ago = today - timedelta(days=365)
    for dep_id, expert_id, wdays, status, start, end, remote, title, action_id, action_name in rows:
        if dep_id == exclude_deployment:
            continue
        period = Period(start, end)
        if status is not DeploymentStatus.COMPLETED or end >= today:
            bookings[expert_id].append(Booking(period, remote, f"{title} ({action_name}), {_fmt(period)}"))
        days[expert_id][start.year] += wdays
        served[expert_id].add(action_id)
        if start >= year_ago:
            recent[expert_id] += 1

    return [
        Candidate(
            expert_id=e.id,
            name=e.name,
            status=e.status.value,
            gender=e.gender.value,
            country=e.country_code,
            employer_id=e.institution_id,
            themes={t.thematic_area.code: t.level for t in e.themes},
            languages={lang.language: lang.level for lang in e.languages},
            countries_worked=frozenset(c.code for c in e.countries_worked),
            regions_worked=frozenset(regions[c.code] for c in e.countries_worked if c.code in regions),
            years_experience=e.years_experience,
            day_cap=e.max_days_per_year,
            days_booked=dict(days[e.id]),
            bookings=tuple(bookings[e.id]),
            unavailable=tuple(
                Booking(Period(u.start_date, u.end_date), True,
                        f"unavailable{': ' + u.reason if u.reason else ''}, {_fmt(Period(u.start_date, u.end_date))}")
                for u in e.unavailable
            ),
            actions_served=frozenset(served[e.id]),
            recent_deployments=recent[e.id],
        )
        for e in experts
    ]


def candidate_of(session: Session, expert_id: int, *, today: date, exclude_deployment: int | None = None) -> Candidate:
    found = load_candidates(session, select(Expert).where(Expert.id == expert_id), today=today,
                            exclude_deployment=exclude_deployment)
    return found[0]
