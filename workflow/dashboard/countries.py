"""The dashboard's map: the counted Actions per country they work in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ..actions.queries import countries_worked_in
from .services import PortfolioFilters, counted_actions


@dataclass(frozen=True)
class CountryRow:
    country_code: str
    actions: int


def actions_per_country(session: Session, filters: PortfolioFilters) -> list[CountryRow]:
    """Each country with the number of Actions the dashboard counts there (a regional Action counts in each
    of its member countries, as on the public map), the most first: one grouped query."""
    counted = counted_actions(filters).subquery()
    pairs = countries_worked_in(select(counted.c.id))
    rows = session.execute(
        select(pairs.c.code, func.count(distinct(pairs.c.action_id))).group_by(pairs.c.code)).tuples()
    return sorted((CountryRow(code, count) for code, count in rows), key=lambda row: (-row.actions, row.country_code))
