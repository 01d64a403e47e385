"""An Action's results framework as IATI results (`workflow/results`): outcomes and outputs, their
indicators with baseline, target and latest actual value."""

from __future__ import annotations

from collections.abc import Sequence

from ..actions.models import Action
from ..results.models import ResultLevel
from . import codes
from .queries import IndicatorRow, ResultRow
from .records import IndicatorRecord, Period, ResultRecord

RESULT_TYPES = {ResultLevel.OUTPUT: codes.OUTPUT, ResultLevel.OUTCOME: codes.OUTCOME}
PERCENT_UNITS = {"%", "percent", "percentage", "per cent"}


def value_text(value: float | None) -> str | None:
    """755.0 -> "755", 12.5 -> "12.5"."""
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def period_of(action: Action, indicator: IndicatorRow) -> Period | None:
    """One reporting period, from the baseline (or the Action's start) to the target date (or its end, or
    the latest measurement): the target, and the latest value measured, with when and where from."""
    latest = indicator.latest
    if indicator.target_value is None and latest is None:
        return None
    start = indicator.baseline_date or action.planned_start
    ends = [indicator.target_date or action.planned_end or (latest.measured_on if latest else start)]
    if latest is not None:
        ends.append(latest.measured_on)
        start = min(start, latest.measured_on)
    comment = f"Measured on {latest.measured_on.isoformat()}; source: {latest.source}" if latest else None
    return Period(start=start, end=max(max(ends), start), target=value_text(indicator.target_value),
                  actual=value_text(latest.value) if latest else None, actual_comment=comment)


def indicator_record(action: Action, indicator: IndicatorRow) -> IndicatorRecord:
    unit = indicator.unit.strip()
    measure = codes.PERCENTAGE if unit.lower() in PERCENT_UNITS else codes.UNIT
    description = f"Unit: {unit}."
    if indicator.means_of_verification.strip():
        description += f" Means of verification: {indicator.means_of_verification.strip()}"
    has_baseline = indicator.baseline_value is not None
    period = period_of(action, indicator)
    return IndicatorRecord(
        title=indicator.title, description=description, measure=measure, impact_area=indicator.impact_area.value,
        baseline_year=(indicator.baseline_date or action.planned_start).year if has_baseline else None,
        baseline_date=indicator.baseline_date if has_baseline else None,
        baseline_value=value_text(indicator.baseline_value), periods=(period,) if period else (),
    )


def result_record(action: Action, result: ResultRow) -> ResultRecord | None:
    indicators = tuple(indicator_record(action, i) for i in result.indicators)
    if not indicators:  # IATI wants at least one indicator per result
        return None
    return ResultRecord(RESULT_TYPES[result.level], result.statement, indicators)


def results_of(action: Action, results: Sequence[ResultRow] = ()) -> tuple[ResultRecord, ...]:
    """The Action's expected results with their indicators, as `queries.framework_results` reads them (none
    without a framework)."""
    found = (result_record(action, result) for result in results)
    return tuple(r for r in found if r is not None)
