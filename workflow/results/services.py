"""Use cases of an Action's results framework: staff write its objective, results and indicators; staff (and
the beneficiary's requesters where staff allow it) record measurements, withdrawn with a reason when wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..actions.models import Action
from ..actions.signals import action_changed
from ..activities.models import Activity, Deliverable
from ..core.errors import DomainError, PermissionDenied, StateConflict
from ..core.i18n import _
from ..core.signals import stale_edit
from ..core.uploads import StoredFile
from ..knowledge.queries import practices_citing
from .models import ExpectedResult, ImpactArea, Indicator, Measurement, ResultLevel, ResultsFramework
from .permissions import may_measure, results_permissions


@dataclass(frozen=True)
class IndicatorDraft:
    title: str
    unit: str
    impact_area: ImpactArea
    baseline_value: float | None = None
    baseline_date: date | None = None
    target_value: float | None = None
    target_date: date | None = None
    means_of_verification: str = ""
    requester_may_measure: bool = False
    activity_ids: list[int] = field(default_factory=list)
    deliverable_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class MeasurementDraft:
    value: float
    measured_on: date
    source: str
    url: str | None = None


def _require_edit(action: Action, actor: User) -> None:
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff edit a results framework."))
    if not results_permissions(action, actor).edit:
        raise StateConflict(_("This Action is cancelled; its results framework is kept as it was."))


def _send(session: Session, action: Action, actor: User, now: datetime, event: str = "results") -> None:
    session.flush()
    action.updated_at = now
    action_changed.send(action, session=session, actor=actor, now=now, event=event)


def _fresh(session: Session, record: ResultsFramework | ExpectedResult | Indicator, version: int | None,
           message: str) -> None:
    """Refuse a save made on an older `version` of `record` (None: the caller did not say, e.g. the first save);
    else move its version on, so that the next stale save is refused in turn."""
    if version is not None and version != record.version:
        raise stale_edit(session, record, version, message)
    record.version = (record.version or 1) + 1


def framework_of(session: Session, action: Action) -> ResultsFramework | None:
    return session.scalar(select(ResultsFramework).where(ResultsFramework.action_id == action.id))


def save_framework(session: Session, action: Action, *, objective: str, requester_may_measure: bool,
                   actor: User, now: datetime, version: int | None = None) -> ResultsFramework:
    """Write the Action's specific objective (creating its framework the first time); `version`: the one the
    form or the API client read (a save on an older one is refused)."""
    _require_edit(action, actor)
    framework = framework_of(session, action)
    if framework is None:
        framework = ResultsFramework(action=action, created_at=now, updated_at=now, version=1)
        session.add(framework)
    else:
        _fresh(session, framework, version, _("Someone changed this results framework after you opened it."))
    framework.specific_objective = objective.strip()
    framework.requester_may_measure = requester_may_measure
    framework.updated_at = now
    _send(session, action, actor, now)
    return framework


def add_result(session: Session, action: Action, level: ResultLevel, statement: str, *, actor: User,
               now: datetime) -> ExpectedResult:
    """Add an expected outcome or output (the framework is created on the way when there is none)."""
    _require_edit(action, actor)
    framework = framework_of(session, action) or save_framework(
        session, action, objective="", requester_may_measure=False, actor=actor, now=now)
    if not statement.strip():
        raise DomainError(_("Say what result is expected."), field="statement")
    result = ExpectedResult(framework=framework, action_id=action.id, level=level, statement=statement.strip(),
                            position=len(framework.results))
    session.add(result)
    framework.updated_at = now
    _send(session, action, actor, now)
    return result


def edit_result(session: Session, result: ExpectedResult, level: ResultLevel, statement: str, *, actor: User,
                now: datetime, version: int | None = None) -> ExpectedResult:
    action = result.framework.action
    _require_edit(action, actor)
    if not statement.strip():
        raise DomainError(_("Say what result is expected."), field="statement")
    _fresh(session, result, version, _("Someone changed this expected result after you opened it."))
    result.level, result.statement = level, statement.strip()
    _send(session, action, actor, now)
    return result


def _refuse_measured(indicators: list[Indicator]) -> None:
    if any(i.measurements for i in indicators):
        raise StateConflict(_("Measurements were recorded against it: they stay, and so does it. Change its "
                              "wording instead, or withdraw a wrong measurement with a reason."))


def _refuse_cited(session: Session, indicators: list[Indicator]) -> None:
    """A good practice that gives the indicator as evidence would lose it without a word: staff unlink it first."""
    citing = practices_citing(session, [i.id for i in indicators if i.id is not None])
    if citing:
        raise StateConflict(_("Good practices give it as evidence (%(titles)s): take it out of their evidence "
                              "first.", titles="; ".join(f"“{p.title}”" for p in citing)))


def remove_result(session: Session, result: ExpectedResult, *, actor: User, now: datetime) -> None:
    """Remove an expected result none of whose indicators was measured nor cited (the history keeps it)."""
    action = result.framework.action
    _require_edit(action, actor)
    _refuse_measured(result.indicators)
    _refuse_cited(session, result.indicators)
    session.delete(result)
    _send(session, action, actor, now)


def _linked(session: Session, model: type, ids: list[int], action: Action, refusal: str, name: str) -> list:
    found = list(session.scalars(select(model).where(model.id.in_(ids), model.action_id == action.id))) if ids else []
    if len(found) != len(set(ids)):
        raise DomainError(refusal, field=name)
    return found


def _fill(session: Session, indicator: Indicator, draft: IndicatorDraft, action: Action) -> None:
    if not draft.title.strip() or not draft.unit.strip():
        raise DomainError(_("An indicator needs a title and a unit."), field="title" if not draft.title.strip()
                          else "unit")
    if draft.baseline_date and draft.target_date and draft.target_date < draft.baseline_date:
        raise DomainError(_("The target date cannot come before the baseline date."), field="target_date")
    indicator.title, indicator.unit = draft.title.strip(), draft.unit.strip()
    indicator.impact_area = draft.impact_area
    indicator.baseline_value, indicator.baseline_date = draft.baseline_value, draft.baseline_date
    indicator.target_value, indicator.target_date = draft.target_value, draft.target_date
    indicator.means_of_verification = (draft.means_of_verification or "").strip()
    indicator.requester_may_measure = draft.requester_may_measure
    indicator.activities = _linked(session, Activity, draft.activity_ids, action,
                                   _("Only this Action's activities can contribute to its indicators."), "activity_ids")
    indicator.deliverables = _linked(session, Deliverable, draft.deliverable_ids, action,
                                     _("Only this Action's deliverables can contribute to its indicators."),
                                     "deliverable_ids")


def add_indicator(session: Session, result: ExpectedResult, draft: IndicatorDraft, *, actor: User,
                  now: datetime) -> Indicator:
    """Add an indicator to an expected result."""
    action = result.framework.action
    _require_edit(action, actor)
    indicator = Indicator(result=result, action_id=action.id, position=len(result.indicators))
    _fill(session, indicator, draft, action)
    session.add(indicator)
    _send(session, action, actor, now)
    return indicator


def edit_indicator(session: Session, indicator: Indicator, draft: IndicatorDraft, *, actor: User,
                   now: datetime, version: int | None = None) -> Indicator:
    action = indicator.result.framework.action
    _require_edit(action, actor)
    _fresh(session, indicator, version, _("Someone changed this indicator after you opened it."))
    _fill(session, indicator, draft, action)
    _send(session, action, actor, now)
    return indicator


def remove_indicator(session: Session, indicator: Indicator, *, actor: User, now: datetime) -> None:
    """Remove an indicator never measured nor cited by a good practice (the history keeps it)."""
    action = indicator.result.framework.action
    _require_edit(action, actor)
    _refuse_measured([indicator])
    _refuse_cited(session, [indicator])
    session.delete(indicator)
    _send(session, action, actor, now)


def add_measurement(session: Session, indicator: Indicator, draft: MeasurementDraft, *, actor: User, now: datetime,
                    file: StoredFile | None = None, file_name: str | None = None) -> Measurement:
    """Record a dated value of the indicator, with its source and (optionally) evidence."""
    framework = indicator.result.framework
    if not may_measure(framework, indicator, actor):
        raise PermissionDenied(_("Staff have not opened this indicator to measurements by the beneficiary."))
    if draft.measured_on > now.date():
        raise DomainError(_("A measurement is of a day that has come."), field="measured_on")
    if not draft.source.strip():
        raise DomainError(_("Say where the value comes from."), field="source")
    measurement = Measurement(indicator=indicator, action_id=indicator.action_id, value=draft.value,
                              measured_on=draft.measured_on, source=draft.source.strip(), url=draft.url or None,
                              recorded_by_id=actor.id, recorded_at=now)
    attach_file(measurement, file, file_name)
    session.add(measurement)
    _send(session, framework.action, actor, now, "measurement")
    return measurement


def attach_file(record: Measurement | object, file: StoredFile | None, file_name: str | None) -> None:
    """Keep an uploaded evidence file (typed from its content by core.uploads) on the record."""
    if file is None:
        return
    record.stored_name, record.content_type = file.stored_name, file.content_type
    record.size_bytes, record.sha256 = file.size_bytes, file.sha256
    record.file_name = file_name or "evidence"


def withdraw_measurement(session: Session, measurement: Measurement, reason: str, *, actor: User,
                         now: datetime) -> Measurement:
    """Take a wrong measurement out of the progress, with a reason; it stays in the history."""
    framework = measurement.indicator.result.framework
    if not actor.is_staff and measurement.recorded_by_id != actor.id:
        raise PermissionDenied(_("Only staff, or whoever recorded it, may withdraw a measurement."))
    if measurement.withdrawn_at is not None:
        raise StateConflict(_("This measurement is already withdrawn."))
    if not reason.strip():
        raise DomainError(_("Say why the measurement is withdrawn."), field="reason")
    measurement.withdrawn_at, measurement.withdrawal_reason = now, reason.strip()
    _send(session, framework.action, actor, now)
    return measurement


def apply_structure(session: Session, action: Action, structure: dict | None, *, actor: User,
                    now: datetime) -> ResultsFramework | None:
    """Give an Action without expected results the structure a plan template kept: the objective, the results and
    their indicators' wording, unit, impact area and means of verification; no baseline, target or value."""
    if not structure or not structure.get("results"):
        return None
    framework = framework_of(session, action)
    if framework is not None and framework.results:
        return None  # the Action's own framework stays as it is
    framework = framework or save_framework(session, action, objective=structure.get("specific_objective") or "",
                                            requester_may_measure=False, actor=actor, now=now)
    if not framework.specific_objective:
        framework.specific_objective = structure.get("specific_objective") or ""
    for kept in structure["results"]:
        result = add_result(session, action, ResultLevel(kept["level"]), kept["statement"], actor=actor, now=now)
        for i in kept.get("indicators", []):
            add_indicator(session, result, IndicatorDraft(i["title"], i["unit"], ImpactArea(i["impact_area"]),
                                                          means_of_verification=i.get("means_of_verification", "")),
                          actor=actor, now=now)
    return framework
