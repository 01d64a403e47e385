"""Pages of deployments: suggestions for a slot, invitations, answers, releases, mission reports."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.access import roles_required, signed_in, staff_required
from ..accounts.models import Role
from ..actions.queries import get_action
from ..activities.models import ExpertSlot
from ..core.errors import DomainError
from ..core.figures import remembered_page
from ..core.filters import list_query
from ..core.forms import ConfirmForm
from ..core.i18n import _, _l, ngettext
from ..core.labels import label
from ..core.signals import extras_for
from ..core.uploads import remove_stored, store_form_upload
from ..core.web import attempt, int_arg, local_url, now, paginate, per_page_arg
from ..experts.forms import UnavailabilityForm
from ..experts.models import Expert
from ..experts.services import own_expert
from ..extensions import db
from ..matching.engine import BEST_SCORE
from .explain import reason_text, rule_name, violation_text
from .filters import filter_form, to_filters
from .forms import DeploymentEventForm, InviteForm, MissionReportForm, RefuseReleaseForm
from .lifecycle import DEPLOYMENT_LIFECYCLE, DeploymentEvent, DeploymentStatus
from .models import Deployment
from .permissions import deployment_permissions
from .queries import (
    awaiting_release,
    booked_days_per_year,
    filtered_deployments,
    get_deployment,
    with_list_columns,
)
from .services import (
    apply_deployment_event,
    approve_release,
    live_count,
    needs_release,
    propose,
    record_mission_report,
    refuse_release,
)
from .staffing import apply_staffing, plan_staffing
from .suggestions import compare, suggestion_form

bp = Blueprint("deployments", __name__)

# What each step did and what comes next ("%(expert)s", "%(activity)s": the expert, the activity's title).
DONE = {
    DeploymentEvent.INVITE: _l("Invitation sent: %(expert)s for “%(activity)s”. The expert is notified and answers "
                               "from their assignments; a member-state official's focal point is asked for the "
                               "release."),
    DeploymentEvent.ACCEPT: _l("Invitation accepted: %(expert)s for “%(activity)s”. The programme team is "
                               "notified and confirms the mission next."),
    DeploymentEvent.DECLINE: _l("Invitation declined: %(expert)s will not go to “%(activity)s”. The programme "
                                "team is notified and can invite someone else."),
    DeploymentEvent.CONFIRM: _l("Mission confirmed: %(expert)s for “%(activity)s”. The expert and their focal "
                                "point are notified."),
    DeploymentEvent.COMPLETE: _l("Mission completed: %(expert)s on “%(activity)s”. Next: the mission report."),
    DeploymentEvent.CANCEL: _l("Mission cancelled: %(expert)s for “%(activity)s”. The expert and their focal "
                               "point are notified."),
}


def _get_slot(slot_id: int) -> ExpertSlot:
    slot = db.session.get(ExpertSlot, slot_id)
    if slot is None or slot.removed_at is not None:
        abort(404)
    get_action(db.session, current_user, slot.activity.action_id)
    return slot


@bp.get("/slots/<id:slot_id>/suggestions")
@staff_required
def suggestions(slot_id: int):
    """The best candidates for an open slot as a comparison: one row each, the reasons behind the score,
    and whom the hard rules refuse, with why."""
    slot = _get_slot(slot_id)
    form = suggestion_form(db.session, request.args)
    comparison = compare(db.session, slot, form, today=now().date(), now=now())
    return render_template(
        "deployments/suggestions.html", slot=slot, activity=slot.activity, action=slot.activity.action, form=form,
        comparison=comparison, invite_form=InviteForm(), places_left=max(0, slot.places - len(comparison.live)),
        reason_text=reason_text, violation_text=violation_text, rule_name=rule_name, best_score=BEST_SCORE,
    )


def _wants_json() -> bool:
    """The suggestions page's script asks for JSON (Invite in place); a plain form post gets a redirect."""
    return request.accept_mimetypes.best_match(("text/html", "application/json")) == "application/json"


def _json_error(status: int, code: str, message: str):
    return jsonify({"error": {"code": code, "message": message, "fields": {}}}), status


@bp.post("/slots/<id:slot_id>/deployments")
@staff_required
def invite(slot_id: int):
    """Propose the expert for the slot and invite them in one step (in JSON for the page's script)."""
    slot = _get_slot(slot_id)
    form = InviteForm()
    if not form.validate_on_submit():
        if _wants_json():
            return _json_error(422, "validation_error", _("Choose an expert to invite."))
        flash(_("Choose an expert to invite."), "danger")
        return redirect(url_for(".suggestions", slot_id=slot.id))
    expert = db.session.get(Expert, form.expert_id.data)
    if expert is None:
        abort(404)
    moment = now()
    try:
        deployment = propose(db.session, slot, expert, actor=current_user, now=moment, days=form.working_days.data)
        apply_deployment_event(db.session, deployment, DeploymentEvent.INVITE, actor=current_user, now=moment)
    except DomainError as error:
        db.session.rollback()
        if _wants_json():
            return _json_error(error.status, error.code, error.message)
        flash(error.message, "danger")
        return redirect(url_for(".suggestions", slot_id=slot.id))
    db.session.commit()
    message = _("%(expert)s is invited to “%(activity)s” and notified; their answer comes back to the activity's "
                "page.", expert=expert.name, activity=slot.activity.title)
    if _wants_json():
        return jsonify({"id": deployment.id, "status": deployment.status.value, "label": label(deployment.status),
                        "message": message, "places_left": max(0, slot.places - live_count(db.session, slot.id))}), 201
    flash(message, "success")
    return redirect(url_for("activities.show", activity_id=slot.activity_id) + "#slots")


@bp.get("/deployments/<id:deployment_id>")
@signed_in
def show(deployment_id: int):
    deployment = get_deployment(db.session, current_user, deployment_id)
    return _page(deployment, MissionReportForm(version=deployment.version, report=deployment.mission_report))


def _page(deployment: Deployment, report_form: MissionReportForm):
    can = deployment_permissions(deployment, current_user, today=now().date())
    return render_template(
        "deployments/show.html", deployment=deployment, activity=deployment.activity, can=can,
        events=list(can.events), labels=DEPLOYMENT_LIFECYCLE.labels, needs_release=needs_release(deployment.expert),
        report_form=report_form,
        **extras_for("deployments.show", deployment=deployment, user=current_user),  # the fee and allowance
    )


@bp.post("/deployments/<id:deployment_id>/events/<event>")
@signed_in
def fire(deployment_id: int, event: str):
    deployment = get_deployment(db.session, current_user, deployment_id)
    if event not in DeploymentEvent.__members__.values():
        abort(404)
    form = DeploymentEventForm()
    if not form.validate_on_submit():
        flash("; ".join(e for errors in form.errors.values() for e in errors), "danger")
    elif form.version.data != deployment.version:
        flash(_("This deployment changed since you opened the page; check it and try again."), "warning")
    elif transition := attempt(lambda: apply_deployment_event(
            db.session, deployment, DeploymentEvent(event), actor=current_user, now=now(), reason=form.reason.data)):
        db.session.commit()
        names = {"expert": deployment.expert.name, "activity": deployment.activity.title}
        flash(str(DONE[DeploymentEvent(event)]) % names if DeploymentEvent(event) in DONE else
              _("%(expert)s on “%(activity)s” is now %(status)s.", status=label(transition.to_status).lower(), **names),
              "success")
    return redirect(local_url(request.form.get("next"), url_for(".show", deployment_id=deployment.id)))


@bp.post("/deployments/<id:deployment_id>/release")
@roles_required(Role.MS_FOCAL_POINT, Role.ADMIN)
def release(deployment_id: int):
    deployment = get_deployment(db.session, current_user, deployment_id)
    form = DeploymentEventForm()
    if form.validate_on_submit() and attempt(lambda: approve_release(db.session, deployment, actor=current_user,
                                                                      now=now())):
        db.session.commit()
        flash(_("Release approved: %(expert)s for “%(activity)s”. The programme team is notified and can "
                "confirm the mission.", expert=deployment.expert.name, activity=deployment.activity.title), "success")
    return redirect(local_url(request.form.get("next"), url_for(".show", deployment_id=deployment.id)))


@bp.get("/deployments/releases")
@roles_required(Role.MS_FOCAL_POINT, Role.ADMIN)
def releases():
    """The focal point's member-state officials put forward and waiting for their release, soonest first."""
    return _releases_page(None, RefuseReleaseForm())


def _releases_page(refusing: int | None, form: RefuseReleaseForm, status: int = 200):
    """One page of them (`page` from the address, or from the refusal form that came back with an error)."""
    number = int_arg("page", 1) if request.method == "GET" else _form_page()
    page = paginate(db.session, awaiting_release(current_user), number, per_page_arg())
    return render_template("deployments/releases.html", page=page, deployments=page.items, refusing=refusing,
                           refuse_form=form, form=DeploymentEventForm()), status


def _form_page() -> int:
    try:
        return max(1, int(request.form.get("page", 1)))
    except (TypeError, ValueError):
        return 1


def _releases_back() -> str:
    """The page of the list the refusal was made from."""
    number = _form_page()
    return url_for(".releases", page=number if number > 1 else None)


@bp.post("/deployments/<id:deployment_id>/release/refuse")
@roles_required(Role.MS_FOCAL_POINT, Role.ADMIN)
def refuse(deployment_id: int):
    """Refuse the release: the deployment is cancelled, with the reason, and the officer told."""
    deployment = get_deployment(db.session, current_user, deployment_id)
    form = RefuseReleaseForm()
    if not form.validate_on_submit():
        return _releases_page(deployment.id, form, 422)
    if attempt(lambda: refuse_release(db.session, deployment, form.reason.data, actor=current_user, now=now()),
               form):
        db.session.commit()
        flash(_("Release refused: %(expert)s will not go to “%(activity)s”. The expert and the programme team "
                "are notified.", expert=deployment.expert.name, activity=deployment.activity.title), "success")
        return redirect(_releases_back())
    if form.reason.errors:
        return _releases_page(deployment.id, form, 422)
    flash("; ".join(form.form_errors), "danger")
    return redirect(_releases_back())


@bp.post("/deployments/<id:deployment_id>/report")
@signed_in
def report(deployment_id: int):
    """The expert's mission report (text, and optionally the document)."""
    deployment = get_deployment(db.session, current_user, deployment_id)
    form = MissionReportForm()
    if form.validate_on_submit():
        if form.version.data != deployment.version:
            form.form_errors.append(_("This deployment changed since you opened the page; reload it and try again."))
        else:
            stored = None
            try:
                stored = store_form_upload(form.file.data, current_app.config["UPLOAD_DIR"],
                                           current_app.config["UPLOAD_MAX_BYTES"])
                record_mission_report(db.session, deployment, form.report.data, actor=current_user, now=now(),
                                      stored_file=stored.stored_name if stored else None,
                                      file_name=form.file.data.filename if stored else None)
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                if stored:
                    remove_stored(current_app.config["UPLOAD_DIR"], stored.stored_name)
                form.form_errors.append(error.message)
            else:
                flash(_("Mission report saved. The programme team can now mark the mission completed."), "success")
                return redirect(url_for(".show", deployment_id=deployment.id))
    return _page(deployment, form), 200


@bp.route("/staffing", methods=["GET", "POST"])
@staff_required
def staffing():
    """Staff every open slot of the coming weeks as one optimisation; accept all or some of it."""
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        picks = []
        for value in request.form.getlist("pick"):
            slot_id, _colon, expert_id = value.partition(":")
            if slot_id.isdigit() and expert_id.isdigit():
                picks.append((int(slot_id), int(expert_id)))
        result = apply_staffing(db.session, picks, actor=current_user, now=now())
        db.session.commit()
        flash(ngettext("%(num)d deployment proposed.", "%(num)d deployments proposed.", len(result.created)), "success")
        for message in result.refused:
            flash(message, "warning")
        return redirect(url_for(".staffing", days=request.args.get("days", 90)))
    days = int_arg("days", 90, low=1, high=365)
    plan, slots = plan_staffing(db.session, today=now().date(), days=days)
    experts = {e.id: e for e in db.session.scalars(
        select(Expert).where(Expert.id.in_({a.expert_id for a in plan.assignments})))}
    return render_template("deployments/staffing.html", plan=plan, slots=slots, experts=experts, days=days,
                           form=ConfirmForm(), best_score=BEST_SCORE)


@bp.get("/deployments/")
@staff_required
def index():
    """Every deployment, filtered: who went where, in which role, for how many days."""
    form = filter_form(request.args)
    filters = to_filters(form.accepted())
    stmt = with_list_columns(filtered_deployments(current_user, filters))
    # Staff only: the same list for all of them, counted once per data version.
    page = remembered_page(db.session, ("deployments", filters), stmt, int_arg("page", 1), per_page_arg())
    return render_template("deployments/index.html", form=form, page=page, query=list_query())


# --- The expert's own assignments --------------------------------------------------------------


@bp.get("/me")
@roles_required(Role.EXPERT)
def assignments():
    """The expert's invitations, coming missions and past ones, with their consent and unavailability."""
    expert = own_expert(db.session, current_user)
    if expert is None:
        return render_template("deployments/assignments.html", expert=None)
    mine = db.session.scalars(
        select(Deployment).where(Deployment.expert_id == expert.id)
        .options(selectinload(Deployment.activity)).order_by(Deployment.id.desc())
    ).all()
    today = now().date()
    invitations = [d for d in mine if d.status is DeploymentStatus.INVITED]
    upcoming = sorted((d for d in mine if d.status in (DeploymentStatus.ACCEPTED, DeploymentStatus.CONFIRMED)
                       and d.activity.end_date >= today), key=lambda d: d.activity.start_date)
    past = [d for d in mine if d not in invitations and d not in upcoming]
    return render_template("deployments/assignments.html", expert=expert, invitations=invitations, upcoming=upcoming,
                           past=past, booked_days=booked_days_per_year(db.session, expert.id),
                           unavailability_form=UnavailabilityForm())
