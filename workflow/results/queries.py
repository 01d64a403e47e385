"""Read-only queries of results frameworks: a framework as its page shows it, progress against targets, and the
policy deliverables followed after closure. Any package may read these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..actions.queries import get_action
from ..activities.models import Deliverable
from ..core.errors import NotFound
from .models import DeliverableStage, ExpectedResult, Indicator, Measurement, ResultsFramework

if TYPE_CHECKING:
    from ..accounts.models import User

# What the pages and the API load by id, each named as a refusal names it ("No such indicator.").
RECORDS: dict[str, type] = {"expected result": ExpectedResult, "indicator": Indicator, "measurement": Measurement,
                            "deliverable": Deliverable, "stage": DeliverableStage}


def visible_record(session: Session, user: User, kind: str, record_id: int) -> Any:
    """The record of `kind` (a key of RECORDS) if `user` sees its Action; NotFound otherwise, the same answer
    whether the record is missing or its Action hidden. The pages and the API both load through this."""
    record = session.get(RECORDS[kind], record_id)
    if record is None:
        raise NotFound(f"No such {kind}.")
    get_action(session, user, record.action_id)
    return record


def visible_framework(session: Session, user: User, action_id: int) -> ResultsFramework | None:
    """The framework of an Action `user` sees (None if it has none yet); NotFound if the Action is hidden."""
    return framework_for_page(session, get_action(session, user, action_id).id)


def framework_for_page(session: Session, action_id: int, *, links: bool = True) -> ResultsFramework | None:
    """The Action's framework with its results, indicators, measurements (and who recorded them) in one query,
    and with `links` the activities and deliverables each indicator counts (two more: the results page shows
    them, the Action page and the catalogue do not)."""
    # Results, indicators and measurements are few per framework: joined into the one query (not one per level).
    indicators = joinedload(ResultsFramework.results).joinedload(ExpectedResult.indicators)
    options = [indicators.joinedload(Indicator.measurements).joinedload(Measurement.recorded_by)]
    if links:
        options += [indicators.selectinload(Indicator.activities), indicators.selectinload(Indicator.deliverables)]
    return session.scalars(select(ResultsFramework).where(ResultsFramework.action_id == action_id)
                           .options(*options)).unique().one_or_none()


@dataclass(frozen=True)
class Progress:
    """How far an indicator is: its latest value against the target (share of the way from the baseline)."""

    latest: Measurement | None
    share: float | None  # 0..1 of the way from baseline to target; None without a target or a value

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)


def progress(indicator: Indicator) -> Progress:
    latest = indicator.latest
    if latest is None or indicator.target_value is None:
        return Progress(latest, None)
    start = indicator.baseline_value or 0.0
    span = indicator.target_value - start
    if span == 0:
        return Progress(latest, 1.0 if latest.value == indicator.target_value else 0.0)
    return Progress(latest, max(0.0, min(1.0, (latest.value - start) / span)))


def structure_of(framework: ResultsFramework | None) -> dict | None:
    """The framework without its values, as a plan template keeps it: objective, results, indicators' wording."""
    if framework is None or not framework.results:
        return None
    return {"specific_objective": framework.specific_objective, "results": [
        {"level": r.level.value, "statement": r.statement, "indicators": [
            {"title": i.title, "unit": i.unit, "impact_area": i.impact_area.value,
             "means_of_verification": i.means_of_verification} for i in r.indicators]}
        for r in framework.results]}


def stages_of(session: Session, deliverable_ids: list[int]) -> dict[int, list[DeliverableStage]]:
    """The news of each deliverable, oldest first."""
    found: dict[int, list[DeliverableStage]] = {i: [] for i in deliverable_ids}
    if deliverable_ids:
        for stage in session.scalars(select(DeliverableStage).where(DeliverableStage.deliverable_id.in_(
                deliverable_ids)).order_by(DeliverableStage.recorded_at, DeliverableStage.id)):
            found[stage.deliverable_id].append(stage)
    return found


def preload_stages(session: Session, deliverables: list) -> None:
    """Fill each deliverable's `stages` from one query (the pages list several deliverables)."""
    found = stages_of(session, [d.id for d in deliverables])
    for deliverable in deliverables:
        set_committed_value(deliverable, "stages", found[deliverable.id])


def fmt_value(value: float | None) -> str:
    """A value as people write it: 755, not 755.0."""
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def summary_lines(framework: ResultsFramework | None) -> list[str]:
    """The framework's results as the final report's draft states them: one line per indicator."""
    if framework is None:
        return []
    lines = []
    if framework.specific_objective:
        lines.append(framework.specific_objective)
    for result in framework.results:
        lines.append(f"- {result.statement}")
        for indicator in result.indicators:
            latest = indicator.latest
            reached = f"{fmt_value(latest.value)} ({latest.measured_on.isoformat()}, {latest.source})" if latest \
                else "—"
            lines.append(f"  · {indicator.title}: {reached} / {fmt_value(indicator.target_value)} {indicator.unit}")
    return lines
