"""Pages of an Action's results framework: its progress against targets, the staff's forms, measurements with
evidence, and the news of policy deliverables after closure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_login import current_user

from ..accounts.access import signed_in, staff_required
from ..actions.models import Action
from ..actions.queries import get_action
from ..core.errors import NotFound
from ..core.forms import ConfirmForm, options
from ..core.i18n import _
from ..core.web import attempt, create_once, create_with_upload, ensure_form_key, now, send_stored
from ..extensions import db
from .forms import FrameworkForm, IndicatorForm, MeasurementForm, ResultForm, StageForm, WithdrawForm
from .models import DeliverableStageName, ImpactArea, ResultLevel
from .permissions import may_measure, results_permissions
from .queries import fmt_value, framework_for_page, preload_stages, progress, visible_record
from .services import (
    IndicatorDraft,
    MeasurementDraft,
    add_indicator,
    add_measurement,
    add_result,
    edit_indicator,
    edit_result,
    framework_of,
    remove_indicator,
    remove_result,
    save_framework,
    withdraw_measurement,
)
from .stages import StageDraft, current_stage, due_check_in, is_policy, policy_deliverables, record_stage

bp = Blueprint("results", __name__)


def _visible(action_id: int) -> Action:
    try:
        return get_action(db.session, current_user, action_id)
    except NotFound:
        abort(404)


def _record(kind: str, record_id: int) -> Any:
    try:
        return visible_record(db.session, current_user, kind, record_id)
    except NotFound:
        abort(404)


def _page(action: Action, anchor: str = "") -> str:
    return url_for("results.show", action_id=action.id) + (f"#{anchor}" if anchor else "")


def panel(action: Action, user: Any, *, links: bool = True) -> dict[str, Any]:
    """What the Action page and the results page show: the framework, each indicator's progress, the news of
    the policy deliverables, and what this user may do (`links`: what each indicator counts, the results page's)."""
    framework = framework_for_page(db.session, action.id, links=links)
    followed = policy_deliverables(action)
    preload_stages(db.session, followed)
    return {"framework": framework, "can_results": results_permissions(action, user),
            "progress": {i.id: progress(i) for i in (framework.indicators if framework else [])},
            "may_measure": {i.id for i in (framework.indicators if framework else []) if may_measure(framework, i, user)},
            "followed": [(d, d.stages, current_stage(d), due_check_in(action, d, now())) for d in followed]}


@bp.get("/actions/<id:action_id>/results")
@signed_in
def show(action_id: int):
    action = _visible(action_id)
    return render_template("results/show.html", action=action, **panel(action, current_user))


@bp.route("/actions/<id:action_id>/results/edit", methods=["GET", "POST"])
@staff_required
def edit(action_id: int):
    action = _visible(action_id)
    framework = framework_of(db.session, action)
    form = FrameworkForm(obj=framework)
    if form.validate_on_submit() and attempt(lambda: save_framework(
            db.session, action, objective=form.specific_objective.data,
            requester_may_measure=form.requester_may_measure.data, actor=current_user, now=now(),
            version=form.version.data), form):
        db.session.commit()
        flash(_("The results framework is saved."), "success")
        return redirect(_page(action))
    return render_template("results/framework_form.html", form=form, action=action)


def _result_form(action: Action, form: ResultForm, save: Callable[[], Any], heading: str, done: str) -> Any:
    if form.validate_on_submit():
        answer = create_once(form, save, target=lambda _r: _page(action, "framework"), done=lambda _r: done,
                             repeated=_("This was already saved."))
        if answer:
            return answer
    ensure_form_key(form)
    return render_template("results/result_form.html", form=form, action=action, heading=heading)


@bp.route("/actions/<id:action_id>/results/new", methods=["GET", "POST"])
@staff_required
def new_result(action_id: int):
    action = _visible(action_id)
    form = ResultForm()
    return _result_form(action, form, lambda: add_result(
        db.session, action, ResultLevel(form.level.data), form.statement.data, actor=current_user, now=now()),
        _("Add an expected result"), _("The expected result is added."))


@bp.route("/expected-results/<id:result_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_result_page(result_id: int):
    result = _record("expected result", result_id)
    action = result.framework.action
    form = ResultForm(obj=result)
    return _result_form(action, form, lambda: edit_result(
        db.session, result, ResultLevel(form.level.data), form.statement.data, actor=current_user, now=now(),
        version=form.version.data),
        _("Change an expected result"), _("The expected result is saved."))


def _removal(record: Any, remove: Callable[[], None], done: str) -> Any:
    action = db.session.get(Action, record.action_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: remove() or True):  # a removal returns nothing
        db.session.commit()
        flash(done, "success")
    return redirect(_page(action, "framework"))


@bp.post("/expected-results/<id:result_id>/remove")
@staff_required
def remove_result_page(result_id: int):
    result = _record("expected result", result_id)
    return _removal(result, lambda: remove_result(db.session, result, actor=current_user, now=now()),
                    _("The expected result is removed; the history keeps it."))


def _indicator_choices(form: IndicatorForm, action: Action) -> None:
    form.activity_ids.choices = options((a.id, a.title) for a in action.activities)
    form.deliverable_ids.choices = options((d.id, d.title) for d in action.deliverables)


def _indicator_draft(form: IndicatorForm) -> IndicatorDraft:
    return IndicatorDraft(
        title=form.title.data, unit=form.unit.data, impact_area=ImpactArea(form.impact_area.data),
        baseline_value=form.baseline_value.data, baseline_date=form.baseline_date.data,
        target_value=form.target_value.data, target_date=form.target_date.data,
        means_of_verification=form.means_of_verification.data or "",
        requester_may_measure=form.requester_may_measure.data,
        activity_ids=list(form.activity_ids.data or []), deliverable_ids=list(form.deliverable_ids.data or []))


def _indicator_page(action: Action, form: IndicatorForm, save: Callable[[], Any], heading: str, done: str) -> Any:
    if form.validate_on_submit():
        answer = create_once(form, save, target=lambda i: _page(action, f"indicator-{i.id}"), done=lambda _i: done,
                             repeated=_("This was already saved."))
        if answer:
            return answer
    ensure_form_key(form)
    return render_template("results/indicator_form.html", form=form, action=action, heading=heading)


@bp.route("/expected-results/<id:result_id>/indicators/new", methods=["GET", "POST"])
@staff_required
def new_indicator(result_id: int):
    result = _record("expected result", result_id)
    action = result.framework.action
    form = IndicatorForm()
    _indicator_choices(form, action)
    return _indicator_page(action, form, lambda: add_indicator(
        db.session, result, _indicator_draft(form), actor=current_user, now=now()),
        _("Add an indicator to “%(result)s”", result=result.statement), _("The indicator is added."))


@bp.route("/indicators/<id:indicator_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_indicator_page(indicator_id: int):
    indicator = _record("indicator", indicator_id)
    action = indicator.result.framework.action
    form = IndicatorForm(obj=indicator, activity_ids=[a.id for a in indicator.activities],
                         deliverable_ids=[d.id for d in indicator.deliverables])
    _indicator_choices(form, action)
    return _indicator_page(action, form, lambda: edit_indicator(
        db.session, indicator, _indicator_draft(form), actor=current_user, now=now(), version=form.version.data),
        _("Change the indicator “%(title)s”", title=indicator.title), _("The indicator is saved."))


@bp.post("/indicators/<id:indicator_id>/remove")
@staff_required
def remove_indicator_page(indicator_id: int):
    indicator = _record("indicator", indicator_id)
    return _removal(indicator, lambda: remove_indicator(db.session, indicator, actor=current_user, now=now()),
                    _("The indicator is removed; the history keeps it."))


@bp.route("/indicators/<id:indicator_id>/measurements/new", methods=["GET", "POST"])
@signed_in
def new_measurement(indicator_id: int):
    indicator = _record("indicator", indicator_id)
    framework = indicator.result.framework
    if not may_measure(framework, indicator, current_user):
        abort(403)
    form = MeasurementForm()
    if form.validate_on_submit():
        draft = MeasurementDraft(form.value.data, form.measured_on.data, form.source.data, form.url.data or None)
        answer = create_with_upload(form, _page(framework.action, f"indicator-{indicator.id}"), lambda stored, name:
                              add_measurement(db.session, indicator, draft, actor=current_user, now=now(),
                                              file=stored, file_name=name), _("The measurement is recorded."))
        if answer:
            return answer
    ensure_form_key(form)
    return render_template("results/measurement_form.html", form=form, action=framework.action, indicator=indicator)


@bp.route("/measurements/<id:measurement_id>/withdraw", methods=["GET", "POST"])
@signed_in
def withdraw(measurement_id: int):
    measurement = _record("measurement", measurement_id)
    action = measurement.indicator.result.framework.action
    if not (current_user.is_staff or measurement.recorded_by_id == current_user.id):
        abort(403)
    form = WithdrawForm()
    if form.validate_on_submit() and attempt(lambda: withdraw_measurement(
            db.session, measurement, form.reason.data, actor=current_user, now=now()), form):
        db.session.commit()
        flash(_("The measurement is withdrawn; the history keeps it with your reason."), "success")
        return redirect(_page(action, f"indicator-{measurement.indicator_id}"))
    return render_template("results/withdraw.html", form=form, action=action, measurement=measurement)


@bp.route("/deliverables/<id:deliverable_id>/news", methods=["GET", "POST"])
@signed_in
def news(deliverable_id: int):
    deliverable = _record("deliverable", deliverable_id)
    action = deliverable.action
    if not is_policy(deliverable):
        abort(404)
    if not results_permissions(action, current_user).record_news:
        abort(403)
    form = StageForm()
    if form.validate_on_submit():
        draft = StageDraft(DeliverableStageName(form.stage.data), form.reached_on.data, form.outcome.data or "",
                           form.url.data or None)
        answer = create_with_upload(form, _page(action, "deliverable-news"), lambda stored, name: record_stage(
            db.session, deliverable, draft, actor=current_user, now=now(), file=stored, file_name=name),
            _("The news of the deliverable is recorded. Thank you."))
        if answer:
            return answer
    ensure_form_key(form)
    return render_template("results/news_form.html", form=form, action=action, deliverable=deliverable,
                           check_in=due_check_in(action, deliverable, now()), current=current_stage(deliverable))


def _evidence(record: Any) -> Any:
    return send_stored(record, "evidence")


@bp.get("/measurements/<id:measurement_id>/file")
@signed_in
def measurement_file(measurement_id: int):
    return _evidence(_record("measurement", measurement_id))


@bp.get("/deliverable-news/<id:stage_id>/file")
@signed_in
def stage_file(stage_id: int):
    return _evidence(_record("stage", stage_id))


@bp.app_template_global()
def results_panel(action: Action) -> dict[str, Any]:
    """The Action page's results block (see `panel`), without the activities and deliverables each indicator
    counts (the results page shows them)."""
    return panel(action, current_user, links=False)


@bp.app_template_filter("results_value")
def results_value(value: float | None) -> str:
    """A value as the reader writes numbers (755; 1,234.5 in English, 1 234,5 in French), never 755.0."""
    return "—" if value is None else format_decimal(value, format="#,##0.######")


@bp.app_template_filter("results_input")
def results_input(value: float | None) -> str:
    """A value in a form's number field: as the browser and the form read it back (1234.5), never 1234.0."""
    return fmt_value(value)
