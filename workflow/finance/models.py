"""Budgets of Actions by category, cost lines of activities and the rates a deployment's cost follows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..actions.models import Action
from ..activities.models import Activity
from ..core.auditing import Tracked
from ..core.models import Provenance
from ..core.money import Money, Rate
from ..database import Base
from ..deployments.models import Deployment
from ..experts.models import ExpertType
from ..reference.models import Country


class CostCategory(StrEnum):
    """The categories of an Action's budget and of its activities' costs."""

    EXPERT_FEES = "expert_fees"
    DAILY_ALLOWANCES = "daily_allowances"
    TRAVEL = "travel"
    VENUE_CATERING = "venue_catering"
    INTERPRETATION_TRANSLATION = "interpretation_translation"
    OTHER = "other"


# Where a deployment's computed cost goes (the rest is entered by staff or comes from expense claims).
FEES, ALLOWANCES = CostCategory.EXPERT_FEES, CostCategory.DAILY_ALLOWANCES

# The portfolio figures are made of these tables: a change to any row re-counts them (core/figures.py).
__portfolio__ = True

_NOT_NEGATIVE = "planned_eur >= 0 AND committed_eur >= 0 AND actual_eur >= 0"
# A local-currency amount keeps its currency, its rate to the euro and the rate's date, all or none.
_LOCAL_COMPLETE = ("(currency IS NULL AND local_amount IS NULL AND rate IS NULL AND rate_date IS NULL) OR "
                   "(currency IS NOT NULL AND local_amount IS NOT NULL AND rate IS NOT NULL AND rate_date IS NOT NULL)")


class ActionBudgetLine(Provenance, Base):
    """What an Action may spend in one cost category, in EUR."""

    __tablename__ = "action_budget_lines"
    __audit__ = Tracked("action", None, include=("category", "amount_eur"), parent_fk="action_id",
                        part="budget_line", describe=("category", lambda line: line.category.value))
    __table_args__ = (
        UniqueConstraint("action_id", "category", name="uq_action_budget_lines_action_category"),
        CheckConstraint("amount_eur >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    category: Mapped[CostCategory]
    amount_eur: Mapped[Decimal] = mapped_column(Money())
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    updated_at: Mapped[datetime]
    # Optimistic lock: the budget form and the API carry the sum of its lines' versions (`budget_version`).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    action: Mapped[Action] = relationship()
    updated_by: Mapped[User] = relationship()


class CostLine(Provenance, Base):
    """One cost of an activity in one category: planned, committed (contracted) and actually paid, in EUR.

    A deployment's fee and allowance lines are computed from the rates (`computed`): `quantity` days at
    `unit_eur`; the others are entered by staff or added by approved expense claims (`source`)."""

    __tablename__ = "cost_lines"
    __audit__ = Tracked("activity", "description", parent_fk="activity_id", part="cost_line",
                        include=("category", "description", "planned_eur", "committed_eur", "actual_eur",
                                 "currency", "local_amount", "rate", "rate_date", "quantity", "unit_eur",
                                 "deployment_id", "source", "removed_at", "removal_reason"))
    __table_args__ = (
        CheckConstraint(_NOT_NEGATIVE, name="amounts_not_negative"),
        CheckConstraint(_LOCAL_COMPLETE, name="local_amount_complete"),
        CheckConstraint("rate IS NULL OR rate > 0", name="rate_positive"),
        CheckConstraint("removed_at IS NULL OR removal_reason IS NOT NULL", name="removed_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    deployment_id: Mapped[int | None] = mapped_column(ForeignKey("deployments.id", ondelete="SET NULL"), index=True)
    category: Mapped[CostCategory] = mapped_column(index=True)
    description: Mapped[str] = mapped_column(String(300))
    planned_eur: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    committed_eur: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    actual_eur: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    # Paid or quoted in another currency: the amount in it, units of it for one euro, and that rate's date.
    currency: Mapped[str | None] = mapped_column(String(3))  # ISO 4217
    local_amount: Mapped[Decimal | None] = mapped_column(Money())
    rate: Mapped[Decimal | None] = mapped_column(Rate())
    rate_date: Mapped[date | None]
    # A computed line: `quantity` days at `unit_eur` a day, from the rate in force at the activity's dates.
    computed: Mapped[bool] = mapped_column(default=False)
    quantity: Mapped[int | None]
    unit_eur: Mapped[Decimal | None] = mapped_column(Money())
    # Where an actual came from when not typed by staff ("claim:12").
    source: Mapped[str | None] = mapped_column(String(60))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Removed with a reason: kept (the history shows it, the page lists it as removed), out of every figure.
    removed_at: Mapped[datetime | None] = mapped_column(index=True)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    removal_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # optimistic lock against stale edits

    __mapper_args__ = {"version_id_col": version}

    activity: Mapped[Activity] = relationship()
    deployment: Mapped[Deployment | None] = relationship()
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])

    def __repr__(self) -> str:
        return f"<CostLine {self.id} {self.category} activity={self.activity_id}>"


class BudgetOverrun(Base):
    """A save that took a category of an Action past its budget: allowed, never silently."""

    __tablename__ = "budget_overruns"
    __audit__ = Tracked("action", None, include=("category", "budget_eur", "total_eur", "measure"),
                        parent_fk="action_id", part="budget_overrun",
                        describe=("category", lambda row: row.category.value))

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"), index=True)
    category: Mapped[CostCategory]
    measure: Mapped[str] = mapped_column(String(20))  # which total went over: planned, committed or actual
    budget_eur: Mapped[Decimal] = mapped_column(Money())
    total_eur: Mapped[Decimal] = mapped_column(Money())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    # The total was within the budget before this save (or the budget was lowered under it): the officer in
    # charge is told of a crossing, not of every later save that adds to an overrun already told.
    crossing: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    actor: Mapped[User | None] = relationship()


class DailyRate(Provenance):
    """A daily amount in EUR in force from a date on, kept by an admin; never edited, only followed by a newer one."""

    daily_eur: Mapped[Decimal] = mapped_column(Money())
    effective_from: Mapped[date] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime]


class AllowanceRate(DailyRate, Base):
    """The daily allowance in a country from a date on; a later rate never changes a mission before it."""

    __tablename__ = "allowance_rates"
    __audit__ = Tracked("allowance_rate", "country_code")
    __table_args__ = (
        UniqueConstraint("country_code", "effective_from", name="uq_allowance_rates_country_from"),
        CheckConstraint("daily_eur > 0", name="daily_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)

    country: Mapped[Country] = relationship()


class FeeRate(DailyRate, Base):
    """The daily fee of an expert type from a date on."""

    __tablename__ = "fee_rates"
    __audit__ = Tracked("fee_rate", "expert_type")
    __table_args__ = (
        UniqueConstraint("expert_type", "effective_from", name="uq_fee_rates_type_from"),
        CheckConstraint("daily_eur >= 0", name="daily_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_type: Mapped[ExpertType] = mapped_column(index=True)
