"""/api/v1 results frameworks: an Action's objective, expected results, indicators and measurements, and the
news of its policy deliverables after closure.

The same checks as the pages (`workflow.results.views`): whoever sees the Action reads its framework; staff
write it; measurements by staff, or by the beneficiary's requesters where staff opened the indicator; news of
a policy deliverable by staff, or by the beneficiary's requesters once the Action is closed.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import RAISE

from ..actions.queries import get_action
from ..core.errors import NotFound
from ..core.web import now
from ..extensions import db
from ..results.models import DeliverableStageName, ImpactArea, ResultLevel
from ..results.queries import visible_framework, visible_record
from ..results.services import (
    IndicatorDraft,
    MeasurementDraft,
    add_indicator,
    add_measurement,
    add_result,
    edit_indicator,
    edit_result,
    remove_indicator,
    remove_result,
    save_framework,
    withdraw_measurement,
)
from ..results.stages import StageDraft, record_stage
from .common import commit, first_time, kept_upload, listed, me, remember, require_staff
from .parsing import Blueprint, MultipartParser
from .schemas import OnceHeader, PageArgs, page_of
from .schemas_results import (
    FrameworkIn,
    FrameworkOut,
    IndicatorIn,
    IndicatorOut,
    MeasurementOut,
    MeasurementUpload,
    MeasurementWithdrawIn,
    ResultIn,
    ResultOut,
    StageOut,
    StageUpload,
)

blp = Blueprint("api_results", __name__, url_prefix="/api/v1", description="Results frameworks")
blp.ARGUMENTS_PARSER = MultipartParser()


def _visible(kind: str, record_id: int) -> Any:
    return visible_record(db.session, me(), kind, record_id)  # 404 unless the Action is visible


def _framework(action_id: int):
    framework = visible_framework(db.session, me(), action_id)
    if framework is None:
        raise NotFound("This Action has no results framework yet.")
    return framework


def _draft(data: dict[str, Any]) -> IndicatorDraft:
    return IndicatorDraft(
        title=data["title"], unit=data["unit"], impact_area=ImpactArea(data["impact_area"]),
        baseline_value=data.get("baseline_value"), baseline_date=data.get("baseline_date"),
        target_value=data.get("target_value"), target_date=data.get("target_date"),
        means_of_verification=data.get("means_of_verification") or "",
        requester_may_measure=data.get("requester_may_measure", False),
        activity_ids=data.get("activity_ids") or [], deliverable_ids=data.get("deliverable_ids") or [])


@blp.route("/actions/<id:action_id>/results-framework")
class Framework(MethodView):
    @blp.response(200, FrameworkOut)
    def get(self, action_id):
        """The Action's results framework: objective, expected results, indicators with their latest value."""
        return _framework(action_id)

    @blp.arguments(FrameworkIn)
    @blp.response(200, FrameworkOut)
    def put(self, data, action_id):
        """Write the specific objective, and whether the beneficiary may measure every indicator (staff)."""
        require_staff()
        action = get_action(db.session, me(), action_id)
        save_framework(db.session, action, objective=data["specific_objective"],
                       requester_may_measure=data["requester_may_measure"], actor=me(), now=now(),
                       version=data.get("version"))
        commit()
        return _framework(action_id)


@blp.route("/actions/<id:action_id>/results-framework/results")
class Results(MethodView):
    @blp.arguments(ResultIn)
    @blp.arguments(OnceHeader, location="headers")
    @blp.response(201, ResultOut)
    def post(self, data, headers, action_id):
        """Add an expected outcome or output (staff); the framework is created with the first."""
        require_staff()
        action = get_action(db.session, me(), action_id)
        key = first_time(headers)
        result = add_result(db.session, action, ResultLevel(data["level"]), data["statement"], actor=me(), now=now())
        remember(key, f"/api/v1/actions/{action.id}/results-framework")
        commit()
        return result


@blp.route("/expected-results/<id:result_id>")
class OneResult(MethodView):
    @blp.arguments(ResultIn)
    @blp.response(200, ResultOut)
    def put(self, data, result_id):
        """Change an expected result's level or wording (staff)."""
        require_staff()
        result = _visible("expected result", result_id)
        edit_result(db.session, result, ResultLevel(data["level"]), data["statement"], actor=me(), now=now(),
                    version=data.get("version"))
        commit()
        return result

    @blp.response(204)
    def delete(self, result_id):
        """Remove an expected result none of whose indicators was measured (staff; the history keeps it)."""
        require_staff()
        remove_result(db.session, _visible("expected result", result_id), actor=me(), now=now())
        commit()


@blp.route("/expected-results/<id:result_id>/indicators")
class Indicators(MethodView):
    @blp.arguments(IndicatorIn)
    @blp.arguments(OnceHeader, location="headers")
    @blp.response(201, IndicatorOut)
    def post(self, data, headers, result_id):
        """Add an indicator to an expected result (staff)."""
        require_staff()
        result = _visible("expected result", result_id)
        key = first_time(headers)
        indicator = add_indicator(db.session, result, _draft(data), actor=me(), now=now())
        remember(key, f"/api/v1/indicators/{indicator.id}")
        commit()
        return indicator


@blp.route("/indicators/<id:indicator_id>")
class OneIndicator(MethodView):
    @blp.response(200, IndicatorOut)
    def get(self, indicator_id):
        return _visible("indicator", indicator_id)

    @blp.arguments(IndicatorIn)
    @blp.response(200, IndicatorOut)
    def put(self, data, indicator_id):
        """Change an indicator (staff): its wording, unit, impact area, baseline, target and contributions."""
        require_staff()
        indicator = _visible("indicator", indicator_id)
        edit_indicator(db.session, indicator, _draft(data), actor=me(), now=now(), version=data.get("version"))
        commit()
        return indicator

    @blp.response(204)
    def delete(self, indicator_id):
        """Remove an indicator never measured (staff; the history keeps it)."""
        require_staff()
        remove_indicator(db.session, _visible("indicator", indicator_id), actor=me(), now=now())
        commit()


@blp.route("/indicators/<id:indicator_id>/measurements")
class Measurements(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(MeasurementOut, "MeasurementPage"))
    def get(self, args, indicator_id):
        """The indicator's measurements, withdrawn ones included (with their reason), newest first."""
        indicator = _visible("indicator", indicator_id)
        return listed(list(reversed(indicator.measurements)), args)

    @blp.arguments(MeasurementUpload, location="files", content_type="multipart/form-data", unknown=RAISE)
    @blp.response(201, MeasurementOut)
    def post(self, data, indicator_id):
        """Record a dated value with its source and optional evidence (a file typed from its content, or a link):
        staff, or the beneficiary's requesters where staff opened the indicator."""
        indicator = _visible("indicator", indicator_id)
        upload = data.get("file")
        draft = MeasurementDraft(data["value"], data["measured_on"], data["source"], data.get("url"))
        with kept_upload(upload) as stored:
            measurement = add_measurement(db.session, indicator, draft, actor=me(), now=now(), file=stored,
                                          file_name=upload.filename if stored else None)
            commit()
        return measurement


@blp.route("/measurements/<id:measurement_id>/withdraw")
class Withdraw(MethodView):
    @blp.arguments(MeasurementWithdrawIn)
    @blp.response(200, MeasurementOut)
    def post(self, data, measurement_id):
        """Withdraw a wrong measurement with a reason (staff, or whoever recorded it); it stays in the history."""
        measurement = _visible("measurement", measurement_id)
        withdraw_measurement(db.session, measurement, data["reason"], actor=me(), now=now())
        commit()
        return measurement


@blp.route("/deliverables/<id:deliverable_id>/stages")
class Stages(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(StageOut, "DeliverableStagePage"))
    def get(self, args, deliverable_id):
        """The news of a deliverable: each stage it reached, with its date, evidence and what came of it."""
        return listed(_visible("deliverable", deliverable_id).stages, args)

    @blp.arguments(StageUpload, location="files", content_type="multipart/form-data", unknown=RAISE)
    @blp.response(201, StageOut)
    def post(self, data, deliverable_id):
        """Record the stage a policy deliverable reached (staff; the beneficiary's requesters once the Action is
        closed, answering the 6- and 12-month check-ins)."""
        deliverable = _visible("deliverable", deliverable_id)
        upload = data.get("file")
        draft = StageDraft(DeliverableStageName(data["stage"]), data.get("reached_on"), data.get("outcome") or "",
                           data.get("url"))
        with kept_upload(upload) as stored:
            stage = record_stage(db.session, deliverable, draft, actor=me(), now=now(), file=stored,
                                 file_name=upload.filename if stored else None)
            commit()
        return stage
