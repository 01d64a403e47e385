"""What a deployment costs by the rates: pure arithmetic, no database (tests/unit/test_costing.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..core.money import cents

# A mission away from home adds a travel day each side (as the overlap rule counts them).
TRAVEL_DAYS = 2


@dataclass(frozen=True)
class Line:
    """One computed line: `days` at `daily_eur` (None: no rate in force at the activity's dates)."""

    days: int
    daily_eur: Decimal | None

    @property
    def amount(self) -> Decimal:
        return cents(self.daily_eur * self.days) if self.daily_eur is not None else Decimal("0.00")


@dataclass(frozen=True)
class DeploymentCost:
    fees: Line
    allowances: Line

    @property
    def total(self) -> Decimal:
        return self.fees.amount + self.allowances.amount


def mission_days(start: date, end: date) -> int:
    return (end - start).days + 1


def deployment_cost(*, working_days: int, start: date, end: date, is_remote: bool, live: bool,
                    fee_rate: Decimal | None, allowance_rate: Decimal | None) -> DeploymentCost:
    """The fee for each working day; the allowance for each day at the destination (the working days, at
    most the activity's length) and each travel day. A remote deployment travels nowhere: no allowance.
    A deployment that no longer holds its place (declined, expired, cancelled) costs nothing."""
    if not live:
        return DeploymentCost(Line(0, fee_rate), Line(0, None if is_remote else allowance_rate))
    fees = Line(working_days, fee_rate)
    if is_remote:
        return DeploymentCost(fees, Line(0, None))
    days_there = min(working_days, mission_days(start, end))
    return DeploymentCost(fees, Line(days_there + TRAVEL_DAYS, allowance_rate))
