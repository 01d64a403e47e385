"""From the database to the matching engine's plain dataclasses (and nothing else).

Few queries whatever the roster size, as plain rows: the experts, their languages, themes, countries
and unavailability, then every booked deployment of those experts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..actions.models import Action
from ..activities.models import Activity, ExpertSlot
from ..evaluations.queries import expert_ratings
from ..experts.models import DEPLOYABLE, Expert, ExpertLanguage, ExpertTheme, Unavailability, expert_countries
from ..experts.queries import consent_withdrawn
from ..matching.facts import Booking, Candidate, Period, Slot
from ..matching.names import format_period
from ..matching.years import days_per_year
from ..reference.models import Country, Region, ThematicArea
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
        theme_name=slot.thematic_area.name,
        region_name=action.region.name,
    )


# Long-running remote work (drafting a handbook over months) is not full-time: unless staff say
# otherwise when inviting, it counts this many working days.
LONG_REMOTE_DAYS = 10


def working_days(activity: Activity) -> int:
    """The default working days of a deployment on `activity`: its length, or LONG_REMOTE_DAYS for long remote work."""
    span = (activity.end_date - activity.start_date).days + 1
    return LONG_REMOTE_DAYS if activity.is_remote and span > 30 else span


def deployable_experts(languages: Iterable[str] | None = None) -> Select[tuple[Expert]]:
    """Approved or active experts who have not withdrawn their consent; with `languages`, only those who
    work in one of them (B2+)."""
    stmt = select(Expert).where(Expert.status.in_(DEPLOYABLE), ~consent_withdrawn())
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
    """Build engine candidates for the experts `stmt` selects (bookings exclude `exclude_deployment`).

    Nine plain-row queries whatever the roster's size, each filtered by `stmt` as a subquery:
    building ORM objects for thousands of experts would cost more than the matching itself."""
    chosen = stmt.with_only_columns(Expert.id).order_by(None)
    experts = session.execute(
        stmt.with_only_columns(Expert.id, Expert.name, Expert.status, Expert.gender, Expert.country_code,
                               Expert.institution_id, Expert.years_experience, Expert.max_days_per_year)
        .order_by(Expert.id)
    ).all()
    if not experts:
        return []
    regions = dict(session.execute(select(Country.code, Region.code).join(Region, Country.region_id == Region.id)).all())
    languages, themes = _languages(session, chosen), _themes(session, chosen)
    worked, unavailable = _countries_worked(session, chosen), _unavailability(session, chosen)
    booked = _booked(session, chosen, today=today, exclude_deployment=exclude_deployment)
    ratings = expert_ratings(session, chosen)

    return [
        Candidate(
            expert_id=expert_id,
            name=name,
            status=status.value,
            gender=gender.value,
            country=country,
            employer_id=employer_id,
            themes=themes[expert_id],
            languages=languages[expert_id],
            countries_worked=frozenset(worked[expert_id]),
            regions_worked=frozenset(regions[c] for c in worked[expert_id] if c in regions),
            years_experience=years,
            day_cap=cap,
            days_booked=dict(booked.days[expert_id]),
            bookings=tuple(booked.bookings[expert_id]),
            unavailable=tuple(unavailable[expert_id]),
            actions_served=frozenset(booked.served[expert_id]),
            recent_deployments=booked.recent[expert_id],
            rating=ratings[expert_id].average if expert_id in ratings else None,
            rated=ratings[expert_id].items if expert_id in ratings else 0,
        )
        for expert_id, name, status, gender, country, employer_id, years, cap in experts
    ]


def _languages(session: Session, chosen: Select) -> defaultdict[int, dict[str, str]]:
    """Each chosen expert's languages: code -> CEFR level."""
    languages: defaultdict[int, dict[str, str]] = defaultdict(dict)
    for expert_id, language, level in session.execute(
        select(ExpertLanguage.expert_id, ExpertLanguage.language, ExpertLanguage.level)
        .where(ExpertLanguage.expert_id.in_(chosen))
    ):
        languages[expert_id][language] = level
    return languages


def _themes(session: Session, chosen: Select) -> defaultdict[int, dict[str, int]]:
    """Each chosen expert's thematic areas: code -> level of expertise."""
    themes: defaultdict[int, dict[str, int]] = defaultdict(dict)
    for expert_id, code, level in session.execute(
        select(ExpertTheme.expert_id, ThematicArea.code, ExpertTheme.level)
        .join(ThematicArea, ThematicArea.id == ExpertTheme.thematic_area_id)
        .where(ExpertTheme.expert_id.in_(chosen))
    ):
        themes[expert_id][code] = level
    return themes


def _countries_worked(session: Session, chosen: Select) -> defaultdict[int, set[str]]:
    """The countries each chosen expert has worked in."""
    worked: defaultdict[int, set[str]] = defaultdict(set)
    for expert_id, code in session.execute(
        select(expert_countries.c.expert_id, expert_countries.c.country_code)
        .where(expert_countries.c.expert_id.in_(chosen))
    ):
        worked[expert_id].add(code)
    return worked


def _unavailability(session: Session, chosen: Select) -> defaultdict[int, list[Booking]]:
    """The periods each chosen expert said they are unavailable, in date order, as hard bookings."""
    unavailable: defaultdict[int, list[Booking]] = defaultdict(list)
    for expert_id, start, end, reason in session.execute(
        select(Unavailability.expert_id, Unavailability.start_date, Unavailability.end_date, Unavailability.reason)
        .where(Unavailability.expert_id.in_(chosen)).order_by(Unavailability.start_date)
    ):
        period = Period(start, end)
        unavailable[expert_id].append(
            Booking(period, True, f"unavailable{': ' + reason if reason else ''}, {_fmt(period)}"))
    return unavailable


@dataclass
class _Booked:
    """What the chosen experts' booked deployments say, by expert id."""

    bookings: defaultdict[int, list[Booking]] = field(default_factory=lambda: defaultdict(list))
    days: defaultdict[int, defaultdict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    served: defaultdict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # Action ids
    recent: defaultdict[int, int] = field(default_factory=lambda: defaultdict(int))  # started in the last year


def _booked(session: Session, chosen: Select, *, today: date, exclude_deployment: int | None) -> _Booked:
    """The chosen experts' booked deployments (but `exclude_deployment`): dates still held, days per year,
    Actions served and how many started in the last year."""
    booked = _Booked()
    rows = session.execute(
        select(Deployment.id, Deployment.expert_id, Deployment.working_days, Deployment.status,
               Activity.start_date, Activity.end_date, Activity.is_remote, Activity.title, Activity.action_id,
               Action.name)
        .join(Activity, Deployment.activity_id == Activity.id)
        .join(Action, Activity.action_id == Action.id)
        .where(Deployment.expert_id.in_(chosen), Deployment.status.in_(BOOKED))
    ).all()
    year_ago = today - timedelta(days=365)
    for dep_id, expert_id, wdays, status, start, end, remote, title, action_id, action_name in rows:
        if dep_id == exclude_deployment:
            continue
        period = Period(start, end)
        if status is not DeploymentStatus.COMPLETED or end >= today:
            booked.bookings[expert_id].append(Booking(period, remote, f"{title} ({action_name}), {_fmt(period)}"))
        for year, share in days_per_year(start, end, wdays).items():  # each day in its own calendar year
            booked.days[expert_id][year] += share
        booked.served[expert_id].add(action_id)
        if start >= year_ago:
            booked.recent[expert_id] += 1
    return booked


def candidate_of(session: Session, expert_id: int, *, today: date, exclude_deployment: int | None = None) -> Candidate:
    found = load_candidates(session, select(Expert).where(Expert.id == expert_id), today=today,
                            exclude_deployment=exclude_deployment)
    return found[0]
