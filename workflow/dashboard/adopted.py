"""The figure "deliverables adopted": policy deliverables of the counted Actions officially adopted, by the year
of adoption and the Action's region. One definition, read by the dashboard page, its CSV and the API.

A deliverable counts once, in the year it was first adopted (or implemented, which follows adoption): the
earliest date given for those stages, or, when none gives a date, the day the first such news was recorded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..results.models import DeliverableStage, DeliverableStageName
from .services import PortfolioFilters, _regions, counted_actions

ADOPTED = (DeliverableStageName.ADOPTED, DeliverableStageName.IMPLEMENTED)


@dataclass(frozen=True)
class AdoptedRow:
    year: int
    total: int
    regions: dict[str, int]  # by region code


def deliverables_adopted(session: Session, filters: PortfolioFilters) -> list[AdoptedRow]:
    """Policy deliverables adopted per year, overall and per region (two grouped queries)."""
    actions = counted_actions(filters).subquery("counted_actions")
    codes = {r.id: r.code for r in _regions(session)}
    first = (select(DeliverableStage.deliverable_id, actions.c.region_id,
                    func.coalesce(func.min(DeliverableStage.reached_on), func.min(func.date(DeliverableStage.recorded_at)))
                    .label("adopted_on"))
             .join(actions, actions.c.id == DeliverableStage.action_id)
             .where(DeliverableStage.stage.in_(ADOPTED))
             .group_by(DeliverableStage.deliverable_id, actions.c.region_id)).subquery()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for adopted_on, region_id in session.execute(select(first.c.adopted_on, first.c.region_id)):
        year = int(str(adopted_on)[:4])
        if (filters.year_from and year < filters.year_from) or (filters.year_to and year > filters.year_to):
            continue
        code = codes[region_id]
        counts[year][code] = counts[year].get(code, 0) + 1
    return [AdoptedRow(year, sum(counts[year].values()), {code: counts[year].get(code, 0) for code in codes.values()})
            for year in sorted(counts)]
