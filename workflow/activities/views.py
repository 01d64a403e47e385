"""Pages of activities and deliverables."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.access import signed_in, staff_required
from ..actions.queries import get_action
from ..core.errors import DomainError, NotFound
from ..core.filters import list_query
from ..core.forms import options
from ..core.i18n import _, _l
from ..core.signals import extras_for
from ..core.uploads import open_stored, remove_stored, store_form_upload
from ..core.web import (
    already_submitted,
    attach_error,
    attempt,
    create_once,
    ensure_form_key,
    int_arg,
    now,
    paginate,
    per_page_arg,
    remember_submission,
)
from ..deployments.lifecycle import LIVE, NOTIFIED_ON_MOVE
from ..deployments.models import Deployment
from ..deployments.queries import visible_deployments
from ..extensions import db
from ..reference.choices import (
    country_choices,
    language_choices,
    theme_choices,
)
from .deliverables import DeliverableDraft, add_deliverable
from .filters import filter_form, to_filters
from .forms import (
    ActivityEventForm,
    ActivityReportForm,
    DeliverableForm,
    EditActivityForm,
    NewActivityForm,
    PostponeForm,
)
from .lifecycle import ACTIVITY_LIFECYCLE, ActivityEvent, ActivityFacts, ActivityKind
from .models import Activity, ActivityTransition, Deliverable, DeliverableKind, ExpertSlot, SlotRole
from .permissions import activity_permissions
from .queries import filtered_activities, with_list_columns
from .services import (
    ActivityDraft,
    ActivityReport,
    apply_activity_event,
    create_activity,
    postpone_activity,
    update_activity,
)
from .slots import SlotDraft
from .steps import activity_steps

bp = Blueprint("activities", __name__)

# What each step did and what comes next ("%(title)s" is the activity's title).
DONE = {
    ActivityEvent.CONFIRM: _l("“%(title)s” is confirmed: it takes place on its dates. Once held, mark it "
                              "delivered."),
    ActivityEvent.DELIVER: _l("“%(title)s” is delivered. Next: its report."),
    ActivityEvent.CANCEL: _l("“%(title)s” is cancelled, and its experts' deployments with it; they are notified."),
}


def _get_activity(activity_id: int, *, for_page: bool = False) -> Activity:
    """The activity, if its Action is visible to the current user; `for_page` loads what its page shows."""
    options = (
        [joinedload(Activity.country), selectinload(Activity.slots).joinedload(ExpertSlot.thematic_area),
         selectinload(Activity.transitions).joinedload(ActivityTransition.actor)] if for_page else []
    )
    activity = db.session.get(Activity, activity_id, options=options)
    if activity is None:
        abort(404)
    get_action(db.session, current_user, activity.action_id)  # 404 unless the Action is visible
    return activity


def _fill_choices(form: NewActivityForm | EditActivityForm) -> None:
    form.country_code.choices = options(country_choices(db.session), empty="—")
    form.languages.choices = options(language_choices())
    themes = options(theme_choices(db.session), empty="—")
    for row in form.slots:
        row.thematic_area_id.choices = themes
        row.language.choices = options(language_choices(), empty="—")


def _draft(form: NewActivityForm | EditActivityForm) -> ActivityDraft:
    """The form as a draft: each row an existing slot (by its hidden id) or a new one; a new row without a
    thematic area is left out. The Edit form has no dates: editing never moves them."""
    slots = tuple(
        SlotDraft(
            role=SlotRole(row.role.data or SlotRole.EXPERT),
            thematic_area_id=row.thematic_area_id.data,
            language=row.language.data or (form.languages.data or ["en"])[0],
            places=row.places.data or 1,
            id=row.slot_id.data,
            remove=bool(row.remove.data),
        )
        for row in form.slots
        if row.slot_id.data or (row.thematic_area_id.data and not row.remove.data)
    )
    dates = form if isinstance(form, NewActivityForm) else None
    return ActivityDraft(
        kind=ActivityKind(form.kind.data),
        title=form.title.data.strip(),
        start_date=dates.start_date.data if dates else None,
        end_date=dates.end_date.data if dates else None,
        is_remote=form.is_remote.data,
        city=(form.city.data or "").strip() or None,
        country_code=form.country_code.data or None,
        languages=tuple(form.languages.data or ()),
        slots=slots,
    )


@bp.route("/actions/<id:action_id>/activities/new", methods=["GET", "POST"])
@staff_required
def new(action_id: int):
    action = get_action(db.session, current_user, action_id)
    form = NewActivityForm(action=action)
    _fill_choices(form)
    if form.validate_on_submit():
        answer = create_once(form, lambda: create_activity(db.session, action, _draft(form), actor=current_user,
                                                           now=now()),
                             target=lambda activity: url_for(".show", activity_id=activity.id),
                             done=lambda _activity: _("Activity planned. Next: find experts for its slots, then "
                                                      "confirm it once its dates and place are settled."),
                             repeated=_("This activity was already saved."))
        if answer:
            return answer
    ensure_form_key(form)
    return render_template("activities/form.html", form=form, action=action, activity=None)


@bp.get("/activities/<id:activity_id>")
@signed_in
def show(activity_id: int):
    activity = _get_activity(activity_id, for_page=True)
    can = activity_permissions(activity, current_user)
    deployments = db.session.scalars(
        visible_deployments(current_user).where(Deployment.activity_id == activity.id)
        .options(selectinload(Deployment.expert)).order_by(Deployment.id)
    ).all()
    today = now().date()
    facts = ActivityFacts(today=today, start_date=activity.start_date, has_report=bool(activity.report))
    steps = activity_steps(activity.status, can.events,
                           {e: ACTIVITY_LIFECYCLE.refusal(e, facts) for e in can.events}, url=_step_url(activity))
    return render_template(
        "activities/show.html",
        activity=activity,
        deployments=deployments,
        action=activity.action,
        can=can,
        steps=steps,
        today=today,
        **extras_for("activities.show", activity=activity, user=current_user),  # the reminders to come (staff)
    )


def _step_url(activity: Activity):
    """Where each step of the activity goes: its own page (postpone, report) or the lifecycle's form."""
    pages = {ActivityEvent.POSTPONE: ".postpone", ActivityEvent.REPORT: ".report"}
    return lambda event: url_for(pages.get(event, ".fire"), activity_id=activity.id,
                                 **({} if event in pages else {"event": event.value}))


@bp.route("/activities/<id:activity_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(activity_id: int):
    activity = _get_activity(activity_id)
    form = EditActivityForm(obj=activity)
    if not form.is_submitted():
        for row, slot in zip(form.slots, activity.slots, strict=False):
            row.slot_id.data = slot.id
        if all(row.slot_id.data for row in form.slots) and len(form.slots) < (form.slots.max_entries or 20):
            form.slots.append_entry()  # always an empty row to add a slot
    _fill_choices(form)
    if form.validate_on_submit():
        if attempt(lambda: update_activity(db.session, activity, _draft(form), version=form.version.data,
                                           actor=current_user, now=now()), form):
            db.session.commit()
            flash(_("Activity saved."), "success")
            return redirect(url_for(".show", activity_id=activity.id))
    return render_template("activities/form.html", form=form, action=activity.action, activity=activity,
                           slot_experts=_slot_experts(activity), can=activity_permissions(activity, current_user))


def _slot_experts(activity: Activity) -> dict[int, list[Deployment]]:
    """The live deployments on each slot, named beside its row on the Edit page."""
    found: dict[int, list[Deployment]] = {}
    for deployment in db.session.scalars(
        select(Deployment).where(Deployment.activity_id == activity.id, Deployment.status.in_(LIVE))
        .options(selectinload(Deployment.expert)).order_by(Deployment.id)
    ):
        found.setdefault(deployment.slot_id, []).append(deployment)
    return found


def _fire(activity: Activity, event: ActivityEvent, version: int, **kwargs) -> bool:
    """Apply `event`; on refusal flash why and keep nothing. True when it went through."""
    if version != activity.version:
        flash(_("This activity changed since you opened the page; check it and try again."), "warning")
        return False
    if attempt(lambda: apply_activity_event(db.session, activity, event, actor=current_user, now=now(), **kwargs)):
        db.session.commit()
        return True
    return False


@bp.post("/activities/<id:activity_id>/events/<event>")
@staff_required
def fire(activity_id: int, event: str):
    """Confirm, deliver or cancel (postponing and reporting have their own forms)."""
    activity = _get_activity(activity_id)
    if event not in {ActivityEvent.CONFIRM, ActivityEvent.DELIVER, ActivityEvent.CANCEL}:
        abort(404)
    form = ActivityEventForm()
    if form.validate_on_submit() and _fire(activity, ActivityEvent(event), form.version.data, reason=form.reason.data):
        flash(str(DONE[ActivityEvent(event)]) % {"title": activity.title}, "success")
    elif form.errors:
        flash("; ".join(e for errors in form.errors.values() for e in errors), "danger")
    return redirect(url_for(".show", activity_id=activity.id))


@bp.route("/activities/<id:activity_id>/postpone", methods=["GET", "POST"])
@staff_required
def postpone(activity_id: int):
    activity = _get_activity(activity_id)
    form = PostponeForm(version=activity.version)
    if form.validate_on_submit():
        if form.version.data != activity.version:
            flash(_("This activity changed since you opened the page; check it and try again."), "warning")
        elif attempt(lambda: postpone_activity(db.session, activity, start_date=form.start_date.data,
                                               end_date=form.end_date.data, reason=form.reason.data,
                                               actor=current_user, now=now()), form):
            db.session.commit()
            flash(_("Activity postponed; its earlier dates stay in the history and the experts on it are told."),
                  "success")
            return redirect(url_for(".show", activity_id=activity.id))
    return render_template("activities/postpone.html", form=form, activity=activity, action=activity.action,
                           booked=_booked(activity))


def _booked(activity: Activity) -> list[Deployment]:
    """The experts invited or booked on the activity: the Postpone page says they will be told."""
    return list(db.session.scalars(
        select(Deployment).where(Deployment.activity_id == activity.id, Deployment.status.in_(NOTIFIED_ON_MOVE))
        .options(selectinload(Deployment.expert)).order_by(Deployment.id)))


@bp.route("/activities/<id:activity_id>/report", methods=["GET", "POST"])
@staff_required
def report(activity_id: int):
    activity = _get_activity(activity_id)
    form = ActivityReportForm(version=activity.version)
    if form.validate_on_submit():
        report_data = ActivityReport(
            summary=form.summary.data,
            participants_female=form.participants_female.data,
            participants_male=form.participants_male.data,
            participants_other=form.participants_other.data,
            participant_institutions=(form.participant_institutions.data or "").strip() or None,
        )
        if _fire(activity, ActivityEvent.REPORT, form.version.data, report=report_data):
            flash(_("Activity report recorded. Its participants now count in the Action's results."), "success")
            return redirect(url_for(".show", activity_id=activity.id))
    return render_template("activities/report.html", form=form, activity=activity, action=activity.action)


@bp.route("/actions/<id:action_id>/deliverables/new", methods=["GET", "POST"])
@staff_required
def new_deliverable(action_id: int):
    action = get_action(db.session, current_user, action_id)
    form = DeliverableForm()
    form.language.choices = options(language_choices())
    form.activity_id.choices = options(((a.id, a.title) for a in action.activities), empty="—")
    if form.validate_on_submit():
        earlier = already_submitted(db.session, form.form_key.data)
        if earlier:
            flash(_("This deliverable was already saved."), "info")
            return redirect(earlier.target_url)
        stored = None
        try:
            upload = form.file.data
            stored = store_form_upload(upload, current_app.config["UPLOAD_DIR"], current_app.config["UPLOAD_MAX_BYTES"])
            draft = DeliverableDraft(
                kind=DeliverableKind(form.kind.data),
                title=form.title.data.strip(),
                language=form.language.data,
                issued_on=form.issued_on.data,
                activity_id=form.activity_id.data,
                url=form.url.data or None,
            )
            add_deliverable(
                db.session, action, draft, actor=current_user, now=now(), file=stored,
                file_name=upload.filename if stored else None,
            )
            target = url_for("actions.show", action_id=action.id) + "#deliverables"
            remember_submission(db.session, form.form_key.data, current_user.id, target, now())
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            if stored:
                remove_stored(current_app.config["UPLOAD_DIR"], stored.stored_name)
            attach_error(form, error)
        except Exception:
            db.session.rollback()
            if stored:
                remove_stored(current_app.config["UPLOAD_DIR"], stored.stored_name)
            raise
        else:
            flash(_("Deliverable added to the Action's documents."), "success")
            return redirect(target)
    ensure_form_key(form)
    return render_template("activities/deliverable_form.html", form=form, action=action)


@bp.get("/deliverables/<id:deliverable_id>/file")
@signed_in
def download(deliverable_id: int):
    deliverable = db.session.get(Deliverable, deliverable_id)
    if deliverable is None or deliverable.stored_name is None:
        abort(404)
    try:
        get_action(db.session, current_user, deliverable.action_id)
    except NotFound:
        abort(404)
    handle = open_stored(current_app.config["UPLOAD_DIR"], deliverable.stored_name)
    return send_file(
        handle, mimetype=deliverable.content_type, as_attachment=True, download_name=deliverable.file_name or "deliverable"
    )


@bp.get("/activities/")
@staff_required
def index():
    """Every activity staff can see, filtered; the dashboard's activity figures link here."""
    form = filter_form(request.args)
    stmt = with_list_columns(filtered_activities(current_user, to_filters(form.accepted())))
    page = paginate(db.session, stmt, int_arg("page", 1), per_page_arg())
    return render_template("activities/index.html", form=form, page=page, query=list_query())
