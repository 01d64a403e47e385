"""The published Actions with what their IATI activity says, read a chunk at a time: a fixed number of
queries per chunk, and memory bounded by one chunk however large the portfolio."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..actions.models import Action, action_beneficiaries, action_expert_institutions
from ..activities.lifecycle import ActivityStatus
from ..activities.models import Activity, Deliverable
from ..catalogue.services import published_actions
from ..dashboard.services import ENGAGED, activity_period
from ..deployments.models import Deployment
from ..experts.models import Expert
from ..reference.models import Institution, InstitutionKind
from ..results.models import ExpectedResult, ImpactArea, Indicator, Measurement, ResultLevel

CHUNK = 100  # Actions read, written and let go at a time
HAPPENED = (ActivityStatus.DELIVERED, ActivityStatus.REPORTED)


def published_ids(session: Session) -> list[int]:
    """Every published Action's id, oldest first (the catalogue's rule: published and not cancelled)."""
    return list(session.scalars(published_actions().with_only_columns(Action.id).order_by(Action.id)))


def _loaded(session: Session, ids: Sequence[int]) -> list[Action]:
    stmt = select(Action).where(Action.id.in_(ids)).order_by(Action.id).options(
        joinedload(Action.region), joinedload(Action.thematic_area),  # a handful of rows, joined
        selectinload(Action.subtopics),
        selectinload(Action.translations),
        selectinload(Action.deliverables.and_(Deliverable.url.is_not(None))),  # the public ones only
    )
    return list(session.scalars(stmt))


# --- Results frameworks, read as plain columns: tens of thousands of indicators and measurements at scale 100,
# too many to build as ORM objects for a file that only writes them out ----------------------------------------


@dataclass(frozen=True)
class Latest:
    """An indicator's latest measurement that is not withdrawn (`Indicator.latest`)."""

    value: float
    measured_on: date
    source: str


@dataclass(frozen=True)
class IndicatorRow:
    """What the IATI results say of an indicator: the attributes of `Indicator` they read."""

    title: str
    unit: str
    means_of_verification: str
    impact_area: ImpactArea
    baseline_value: float | None
    baseline_date: date | None
    target_value: float | None
    target_date: date | None
    latest: Latest | None


@dataclass(frozen=True)
class ResultRow:
    level: ResultLevel
    statement: str
    indicators: list[IndicatorRow]


def _latest_measurements(session: Session, ids: Sequence[int]) -> dict[int, Latest]:
    rank = func.row_number().over(partition_by=Measurement.indicator_id,
                                  order_by=(Measurement.measured_on.desc(), Measurement.id.desc())).label("rank")
    ranked = (select(Measurement.indicator_id, Measurement.value, Measurement.measured_on, Measurement.source, rank)
              .where(Measurement.action_id.in_(ids), Measurement.withdrawn_at.is_(None)).subquery())
    return {row.indicator_id: Latest(row.value, row.measured_on, row.source) for row in session.execute(
        select(ranked.c.indicator_id, ranked.c.value, ranked.c.measured_on, ranked.c.source)
        .where(ranked.c.rank == 1))}


def framework_results(session: Session, ids: Sequence[int]) -> dict[int, list[ResultRow]]:
    """For each Action, its expected results in their order, each with its indicators (results without one are
    left out: IATI wants at least one) and their latest values: two queries whatever the number of Actions."""
    latest = _latest_measurements(session, ids)
    stmt = (select(ExpectedResult.action_id, ExpectedResult.id, ExpectedResult.level, ExpectedResult.statement,
                   Indicator.id, Indicator.title, Indicator.unit, Indicator.means_of_verification,
                   Indicator.impact_area, Indicator.baseline_value, Indicator.baseline_date, Indicator.target_value,
                   Indicator.target_date)
            .join(Indicator, Indicator.result_id == ExpectedResult.id).where(ExpectedResult.action_id.in_(ids))
            .order_by(ExpectedResult.action_id, ExpectedResult.position, ExpectedResult.id, Indicator.position,
                      Indicator.id))
    found: dict[int, list[ResultRow]] = defaultdict(list)
    by_id: dict[int, ResultRow] = {}
    for action_id, result_id, level, statement, indicator_id, *facts in session.execute(stmt):
        if result_id not in by_id:
            by_id[result_id] = ResultRow(level, statement, [])
            found[action_id].append(by_id[result_id])
        by_id[result_id].indicators.append(IndicatorRow(*facts, latest=latest.get(indicator_id)))
    return found


@dataclass(frozen=True)
class Held:
    """When an Action's activities took place: the first start of those delivered, and the first start and
    last end of those not cancelled (`Action.held`), counted in SQL rather than loaded."""

    first_delivered: date | None
    first_start: date
    last_end: date


def held_activities(session: Session, ids: Sequence[int]) -> dict[int, Held]:
    delivered = func.min(case((Activity.status.in_(HAPPENED), Activity.start_date)))
    stmt = (select(Activity.action_id, delivered, func.min(Activity.start_date), func.max(Activity.end_date))
            .where(Activity.action_id.in_(ids), Activity.status != ActivityStatus.CANCELLED)
            .group_by(Activity.action_id))
    return {action_id: Held(first, start, end) for action_id, first, start, end in session.execute(stmt)}


@dataclass(frozen=True)
class Party:
    """An institution as the IATI files name it: read as plain columns, never as ORM objects."""

    id: int
    name: str
    acronym: str | None
    kind: InstitutionKind

    @property
    def label(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


PARTY = (Institution.id, Institution.name, Institution.acronym, Institution.kind)


def parties(session: Session, table, ids: Sequence[int]) -> dict[int, list[Party]]:
    """For each Action, the institutions of an association table (beneficiaries, experts' administrations)."""
    stmt = (select(table.c.action_id, *PARTY).join(Institution, Institution.id == table.c.institution_id)
            .where(table.c.action_id.in_(ids)).order_by(Institution.name))
    found: dict[int, list[Party]] = defaultdict(list)
    for action_id, *party in session.execute(stmt):
        found[action_id].append(Party(*party))
    return found


def deployed_institutions(session: Session, ids: Sequence[int]) -> dict[int, list[Party]]:
    """For each Action, the administrations of the experts who took part (as on its public page)."""
    stmt = (
        select(Activity.action_id, Expert.institution_id)
        .join(Deployment, Deployment.activity_id == Activity.id)
        .join(Expert, Expert.id == Deployment.expert_id)
        .where(Activity.action_id.in_(ids), *activity_period(None, None), Deployment.status.in_(ENGAGED),
               Expert.institution_id.is_not(None))
        .distinct()
    )
    pairs = session.execute(stmt).all()
    named = {row[0]: Party(*row) for row in session.execute(
        select(*PARTY).where(Institution.id.in_({institution for _action, institution in pairs})))}
    found: dict[int, list[Party]] = defaultdict(list)
    for action_id, institution_id in pairs:
        found[action_id].append(named[institution_id])
    return found


@dataclass(frozen=True)
class Chunk:
    actions: list[Action]
    beneficiaries: dict[int, list[Party]]
    experts: dict[int, list[Party]]  # the administrations recorded on the Action and those deployed
    held: dict[int, Held]
    results: dict[int, list[ResultRow]]


def activity_chunks(session: Session, ids: Sequence[int], chunk: int = CHUNK) -> Iterator[Chunk]:
    """The Actions of `ids` with everything their activity shows, `chunk` at a time (the experts'
    administrations and the activities' dates are counted for all at once: a few numbers per Action)."""
    deployed, held = deployed_institutions(session, ids), held_activities(session, ids)
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        recorded = parties(session, action_expert_institutions, part)
        experts = {i: sorted({p.id: p for p in (*recorded.get(i, ()), *deployed.get(i, ()))}.values(),
                             key=lambda p: p.name) for i in part}
        yield Chunk(_loaded(session, part), parties(session, action_beneficiaries, part), experts, held,
                    framework_results(session, part))
