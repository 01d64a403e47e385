"""The involved experts, counted in SQL: per region, overall and per member state, in one statement.

An expert is involved when they hold an accepted, confirmed or completed deployment on a counted activity
(`services.counted_activities`, passed in as a subquery); officials are member-state officials and partner-country
peers. Apart from `services.py` so that the dashboard's definitions stay readable in one file each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Subquery, and_, case, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from ..core.figures import remembered_rows
from ..deployments.lifecycle import DeploymentStatus
from ..deployments.models import Deployment
from ..experts.models import Expert, ExpertType, Gender
from ..reference.models import Country

ENGAGED = (DeploymentStatus.ACCEPTED, DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED)
OFFICIALS = (ExpertType.MS_OFFICIAL, ExpertType.PARTNER_PEER)


@dataclass(frozen=True)
class Involved:
    """The involved experts of one region, of the whole portfolio or of one member state: each expert once."""

    experts: int = 0
    member_states: int = 0
    officials: int = 0
    women_officials: int = 0
    deployments: int = 0

    def add_to(self, figures: Any) -> None:
        """Set these counts on a region's or the portfolio's `Figures`."""
        figures.experts, figures.member_states = self.experts, self.member_states
        figures.officials, figures.women_officials = self.officials, self.women_officials


@dataclass
class Involvements:
    regions: dict[int, Involved] = field(default_factory=dict)  # by region id
    overall: Involved = Involved()
    member_states: dict[str, Involved] = field(default_factory=dict)  # by the code of the experts' country


def involvements(session: Session, activities: Subquery) -> Involvements:
    """The involved experts counted per region, overall and per member state, in one statement: the deployments
    are grouped once into (region, expert) pairs with the expert's facts, those into one row per expert, and the
    three roll-ups count over them (no distinct count but the member states'). An expert who worked in two
    regions counts in both, and once overall."""
    grouped = (
        select(activities.c.region_id, Deployment.expert_id, func.count(Deployment.id).label("deployments"))
        .join(activities, activities.c.id == Deployment.activity_id)
        .where(Deployment.status.in_(ENGAGED))
        .group_by(activities.c.region_id, Deployment.expert_id)
    ).subquery("grouped")
    official = Expert.type.in_(OFFICIALS)
    pairs = (
        select(grouped, Expert.country_code, Country.is_eu_member.label("member_state"), official.label("official"),
               and_(official, Expert.gender == Gender.FEMALE).label("woman"))
        .join(Expert, Expert.id == grouped.c.expert_id).join(Country, Country.code == Expert.country_code)
    ).cte("pairs").prefix_with("MATERIALIZED")  # read twice below: built once (PostgreSQL 12+, SQLite 3.35+)
    facts = (pairs.c.expert_id, pairs.c.country_code, pairs.c.member_state, pairs.c.official, pairs.c.woman)
    people = select(*facts, func.sum(pairs.c.deployments).label("deployments")).group_by(*facts).cte("people")

    def counts(rows: Any) -> tuple[Any, ...]:
        return (func.count(), func.count(case((rows.c.member_state, rows.c.country_code)).distinct()),
                func.sum(case((rows.c.official, 1), else_=0)), func.sum(case((rows.c.woman, 1), else_=0)),
                func.sum(rows.c.deployments))

    stmt = union_all(
        select(literal("region"), pairs.c.region_id, null(), *counts(pairs)).group_by(pairs.c.region_id),
        select(literal("all"), null(), null(), *counts(people)),
        select(literal("state"), null(), people.c.country_code, *counts(people)).where(people.c.member_state)
        .group_by(people.c.country_code),
    )
    found = Involvements()
    for kind, region_id, country_code, *values in remembered_rows(session, stmt):
        involved = Involved(*(int(value or 0) for value in values))
        if kind == "region":
            found.regions[region_id] = involved
        elif kind == "state":
            found.member_states[country_code] = involved
        else:
            found.overall = involved
    return found
