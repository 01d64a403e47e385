"""An Action's results framework (objective, expected results, indicators, measurements) and the stages a
policy deliverable reaches after it is handed over."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..accounts.models import User
from ..actions.models import Action
from ..activities.models import Activity, Deliverable
from ..core.auditing import Tracked, key_of
from ..core.models import Provenance
from ..database import Base

# The portfolio figures are made of these tables: a change to any row re-counts them (core/figures.py).
__portfolio__ = True


class ImpactArea(StrEnum):
    """The programme's four main areas of impact (seed 004: "principales áreas de impacto")."""

    POLICY_DEVELOPMENT = "policy_development"
    INTER_INSTITUTIONAL_COORDINATION = "inter_institutional_coordination"
    KNOWLEDGE_PRODUCTION = "knowledge_production"
    CAPACITY_BUILDING = "capacity_building"


class ResultLevel(StrEnum):
    OUTCOME = "outcome"
    OUTPUT = "output"


class DeliverableStageName(StrEnum):
    """Where a policy deliverable stands, in order: each stage follows the one before."""

    DRAFTED = "drafted"
    VALIDATED = "validated"  # validated by the beneficiary
    ADOPTED = "adopted"  # officially adopted (gazette, ministerial order …)
    IMPLEMENTED = "implemented"


class ResultsFramework(Provenance, Base):
    """One Action's framework: its specific objective and the results that serve it."""

    __tablename__ = "results_frameworks"
    __audit__ = Tracked("action", None, parent_fk="action_id", part="results_framework",
                        include=("specific_objective", "requester_may_measure"))

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), unique=True)
    # Moves on every save: a form or an API call made on an older version is refused (no last write wins).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    specific_objective: Mapped[str] = mapped_column(Text, default="")
    # Whether the beneficiary's requesters may add measurements to every indicator of the framework.
    requester_may_measure: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    action: Mapped[Action] = relationship(backref=backref(
        "results_framework", uselist=False, cascade="all, delete-orphan", passive_deletes=True))
    results: Mapped[list[ExpectedResult]] = relationship(
        back_populates="framework", order_by="(ExpectedResult.position, ExpectedResult.id)",
        cascade="all, delete-orphan",
    )

    @property
    def indicators(self) -> list[Indicator]:
        return [indicator for result in self.results for indicator in result.indicators]

    def __repr__(self) -> str:
        return f"<ResultsFramework id={self.id!r} action_id={self.action_id!r}>"


class ExpectedResult(Provenance, Base):
    """An outcome or an output the Action expects."""

    __tablename__ = "expected_results"
    __audit__ = Tracked("action", "statement", parent_fk="action_id", part="expected_result",
                        include=("level", "statement", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("results_frameworks.id", ondelete="CASCADE"), index=True)
    # Moves on every save: a form or an API call made on an older version is refused (no last write wins).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The Action again, so the audit trail and the access checks find it without a join.
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    level: Mapped[ResultLevel]
    statement: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    framework: Mapped[ResultsFramework] = relationship(back_populates="results")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="result", order_by="(Indicator.position, Indicator.id)", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<ExpectedResult id={self.id!r} level={self.level!r}>"


indicator_activities = Table(
    "indicator_activities",
    Base.metadata,
    Column("indicator_id", ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True),
    Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True, index=True),
)

indicator_deliverables = Table(
    "indicator_deliverables",
    Base.metadata,
    Column("indicator_id", ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True),
    Column("deliverable_id", ForeignKey("deliverables.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Indicator(Provenance, Base):
    """How a result is measured: a unit, where it starts (baseline) and where it should get (target)."""

    __tablename__ = "indicators"
    __audit__ = Tracked("action", "title", parent_fk="action_id", part="indicator",
                        collections={"activities": key_of, "deliverables": key_of})
    __table_args__ = (
        CheckConstraint("baseline_date IS NULL OR target_date IS NULL OR target_date >= baseline_date",
                        name="target_after_baseline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("expected_results.id", ondelete="CASCADE"), index=True)
    # Moves on every save: a form or an API call made on an older version is refused (no last write wins).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(80))  # "officials trained", "plans adopted", "%"
    impact_area: Mapped[ImpactArea] = mapped_column(index=True)
    baseline_value: Mapped[float | None]
    baseline_date: Mapped[date | None]
    target_value: Mapped[float | None]
    target_date: Mapped[date | None]
    means_of_verification: Mapped[str] = mapped_column(Text, default="")
    # Whether the requesters may add measurements to this indicator (also allowed framework-wide).
    requester_may_measure: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    result: Mapped[ExpectedResult] = relationship(back_populates="indicators")
    activities: Mapped[list[Activity]] = relationship(secondary=indicator_activities, order_by=Activity.start_date)
    deliverables: Mapped[list[Deliverable]] = relationship(secondary=indicator_deliverables,
                                                           order_by=Deliverable.id)
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="indicator", order_by="(Measurement.measured_on, Measurement.id)",
        cascade="all, delete-orphan",
    )

    @property
    def current_measurements(self) -> list[Measurement]:
        """Its measurements but the withdrawn ones, oldest first."""
        return [m for m in self.measurements if m.withdrawn_at is None]

    @property
    def latest(self) -> Measurement | None:
        current = self.current_measurements
        return current[-1] if current else None

    def __repr__(self) -> str:
        return f"<Indicator id={self.id!r} title={self.title!r}>"


class Evidence:
    """An optional proof: a link, or a file uploaded and typed from its content (core/uploads.py)."""

    url: Mapped[str | None] = mapped_column(String(500))
    stored_name: Mapped[str | None] = mapped_column(String(80), unique=True)  # under UPLOAD_DIR
    file_name: Mapped[str | None] = mapped_column(String(255))  # the name it was uploaded with
    content_type: Mapped[str | None] = mapped_column(String(120))
    size_bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))

    @property
    def has_evidence(self) -> bool:
        return bool(self.url or self.stored_name)


class Measurement(Evidence, Provenance, Base):
    """A value of an indicator on a date, with where it came from."""

    __tablename__ = "measurements"
    __audit__ = Tracked("action", None, parent_fk="action_id", part="measurement",
                        include=("indicator_id", "value", "measured_on", "source", "url", "file_name",
                                 "withdrawn_at", "withdrawal_reason"))

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    value: Mapped[float]
    measured_on: Mapped[date] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(String(300))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    recorded_at: Mapped[datetime]
    # A wrong measurement is withdrawn with a reason, never deleted: the history keeps it.
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")
    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Measurement id={self.id!r} indicator_id={self.indicator_id!r} value={self.value!r}>"


class DeliverableStage(Evidence, Provenance, Base):
    """News of a policy deliverable: the stage it reached and when, its evidence, and what came of it.

    Rows are kept as they come (at a check-in 6 or 12 months after closure, or whenever staff hear); the
    deliverable's stage is the furthest one recorded."""

    __tablename__ = "deliverable_stages"
    __audit__ = Tracked("action", None, parent_fk="action_id", part="deliverable_stage",
                        include=("deliverable_id", "stage", "reached_on", "outcome", "url", "file_name",
                                 "check_in_months"))
    __table_args__ = (
        CheckConstraint("check_in_months IS NULL OR check_in_months IN (6, 12)", name="check_in_6_or_12"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(ForeignKey("deliverables.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    stage: Mapped[DeliverableStageName] = mapped_column(index=True)
    reached_on: Mapped[date | None] = mapped_column(index=True)  # None: the stage is known, not its date
    # What came of it: an initiative, a campaign, a new unit …
    outcome: Mapped[str] = mapped_column(Text, default="")
    # The check-in this answers (6 or 12 months after closure); None for news recorded at another time.
    check_in_months: Mapped[int | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    recorded_at: Mapped[datetime]

    deliverable: Mapped[Deliverable] = relationship(backref=backref(
        "stages", order_by="(DeliverableStage.recorded_at, DeliverableStage.id)", cascade="all, delete-orphan",
        passive_deletes=True))
    recorded_by: Mapped[User | None] = relationship()

    @property
    def is_adopted(self) -> bool:
        """Officially adopted, or further (implemented)."""
        return self.stage in (DeliverableStageName.ADOPTED, DeliverableStageName.IMPLEMENTED)

    def __repr__(self) -> str:
        return f"<DeliverableStage id={self.id!r} deliverable_id={self.deliverable_id!r} stage={self.stage!r}>"
