"""The results the programme's documents report, loaded as results frameworks, measurements and news of policy
deliverables (seed/data/portfolio/results.json) through the same services as the pages.

What the documents state is loaded word for word; the rest (a result's level, an indicator's wording, unit and
impact area, most dates) is listed in each entry's "invented" list and marked. Idempotent: an Action that has a
framework already is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.accounts.models import User
from workflow.actions.models import Action
from workflow.results.models import DeliverableStageName, ImpactArea, ResultLevel
from workflow.results.services import (
    IndicatorDraft,
    MeasurementDraft,
    add_indicator,
    add_measurement,
    add_result,
    framework_of,
    save_framework,
)
from workflow.results.stages import StageDraft, closed_at, record_stage

from .demo import _at, _day, _mark
from .tables import table

RESULTS: list[dict] = table("portfolio/results.json")


def load_results(session: Session, officer: User, now: datetime) -> None:
    """Every entry whose Action is loaded and has no framework yet."""
    for spec in RESULTS:
        action = session.scalar(select(Action).where(Action.name == spec["action"]))
        if action is not None and framework_of(session, action) is None:
            _load(session, action, spec, officer, now)
    session.flush()


def _load(session: Session, action: Action, spec: dict[str, Any], officer: User, now: datetime) -> None:
    framework = save_framework(session, action, objective=spec.get("objective", ""), requester_may_measure=False,
                               actor=officer, now=now)
    _mark(framework, spec.get("invented"))
    for result_spec in spec["results"]:
        result = add_result(session, action, ResultLevel(result_spec["level"]), result_spec["statement"],
                            actor=officer, now=now)
        _mark(result, result_spec.get("invented"))
        for i in result_spec["indicators"]:
            indicator = add_indicator(session, result, IndicatorDraft(
                i["title"], i["unit"], ImpactArea(i["impact_area"]), baseline_value=i.get("baseline_value"),
                baseline_date=_day(i.get("baseline_date")), target_value=i.get("target_value"),
                target_date=_day(i.get("target_date")), means_of_verification=i.get("means_of_verification", "")),
                actor=officer, now=now)
            _mark(indicator, i.get("invented"))
            for m in i.get("measurements", ()):
                measurement = add_measurement(session, indicator, MeasurementDraft(
                    m["value"], date.fromisoformat(m["measured_on"]), m["source"], m.get("url")), actor=officer,
                    now=now)
                _mark(measurement, m.get("invented"))
    by_title = {d.title: d for d in action.deliverables}
    for kept in spec.get("deliverables", ()):
        for s in kept["stages"]:
            reached = _day(s.get("reached_on"))
            # Recorded as staff heard it, soon after closure: news that answers no check-in.
            closed = closed_at(action) or now
            when = max(closed, _at(reached) if reached else closed) + timedelta(days=1)
            stage = record_stage(session, by_title[kept["title"]], StageDraft(
                DeliverableStageName(s["stage"]), reached, s.get("outcome", ""), s.get("url")),
                actor=officer, now=min(when, now))
            _mark(stage, s.get("invented"))
