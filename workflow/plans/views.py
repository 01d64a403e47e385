"""Pages of plan templates: the list, one template, saving an Action's plan, applying one, copying an activity."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from ..accounts.access import staff_required
from ..actions.models import Action
from ..actions.queries import get_action
from ..activities.models import Activity
from ..activities.services import copy_activity as copy_activity_service
from ..core.errors import DomainError
from ..core.forms import ConfirmForm, options
from ..core.i18n import _, ngettext
from ..core.web import (
    MAX_ID,
    already_submitted,
    attach_error,
    attempt,
    ensure_form_key,
    int_arg,
    new_form_key,
    now,
    per_page_arg,
    remember_submission,
)
from ..extensions import db
from .forms import ApplyPlanForm, ChoosePlanForm, CopyActivityForm, SavePlanForm
from .models import PlanTemplate
from .services import (
    apply_plan,
    delete_template,
    ensure_takes_plan,
    get_template,
    list_templates,
    plan_activities,
    planned_dates,
    save_plan,
    template_choices,
)

bp = Blueprint("plans", __name__)


def _handled_once(form_key: str | None, target: str) -> str:
    """Record the form as handled, and where it led; if the same form was handled meanwhile (two clicks
    racing), undo this one's work and lead where the first one did."""
    try:
        remember_submission(db.session, form_key, current_user.id, target, now())
    except IntegrityError:
        db.session.rollback()
        earlier = already_submitted(db.session, form_key)
        if earlier is None:
            raise
        return earlier.target_url
    db.session.commit()
    return target


@bp.get("/plans/")
@staff_required
def index():
    page = list_templates(db.session, int_arg("page", 1), per_page_arg())
    return render_template("plans/index.html", page=page)


@bp.get("/plans/<id:template_id>")
@staff_required
def show(template_id: int):
    return render_template("plans/show.html", template=get_template(db.session, template_id))


@bp.post("/plans/<id:template_id>/delete")
@staff_required
def delete(template_id: int):
    template = get_template(db.session, template_id)
    if ConfirmForm().validate_on_submit() and (
            name := attempt(lambda: delete_template(db.session, template, actor=current_user))):
        db.session.commit()
        flash(_("Plan template “%(name)s” deleted; activities planned from it stay.", name=name), "success")
    return redirect(url_for(".index"))


def _action_with_activities(action_id: int) -> Action:
    action = get_action(db.session, current_user, action_id)
    db.session.scalars(select(Activity).where(Activity.action_id == action.id)
                       .options(selectinload(Activity.slots))).all()  # the plan's slots in one query
    return action


@bp.route("/actions/<id:action_id>/plan/save", methods=["GET", "POST"])
@staff_required
def save(action_id: int):
    """Save the Action's activities as a plan template."""
    action = _action_with_activities(action_id)
    form = SavePlanForm()
    if form.validate_on_submit():
        earlier = already_submitted(db.session, form.form_key.data)
        if earlier:
            flash(_("This plan was already saved."), "info")
            return redirect(earlier.target_url)
        template = attempt(lambda: save_plan(db.session, action, form.name.data, actor=current_user, now=now(),
                                             description=form.description.data), form)
        if template:
            target = _handled_once(form.form_key.data, url_for(".show", template_id=template.id))
            flash(_("Plan saved as the template “%(name)s”: apply it to another Action from that Action's page.",
                    name=template.name), "success")
            return redirect(target)
    if request.method == "GET":
        form.name.data = _("%(action)s plan", action=action.name)
    ensure_form_key(form)
    kept = plan_activities(action)
    return render_template("plans/save.html", form=form, action=action, kept=kept,
                           left_out=len(action.activities) - len(kept))


def _refusal(action: Action) -> str | None:
    try:
        ensure_takes_plan(action)
    except DomainError as error:
        return error.message
    return None


def _preview(form: ApplyPlanForm | ChoosePlanForm, template: PlanTemplate, anchor):
    """The plan's dates from `anchor`, or None with the reason on the form."""
    try:
        return planned_dates(template, anchor)
    except DomainError as error:
        if error.message not in form.anchor.errors:  # the same refusal may already be there from applying
            attach_error(form, error)
        return None


def _choose_form(action: Action) -> ChoosePlanForm:
    """The template and start date to preview, from the query (the plan's start defaults to the Action's)."""
    choose = ChoosePlanForm(MultiDict(request.args) if request.args else None)
    choose.template_id.choices = options(template_choices(db.session), empty="—")
    if not request.args:
        choose.anchor.data = max(action.planned_start, now().date())
    return choose


def _previewed(choose: ChoosePlanForm) -> tuple[PlanTemplate | None, ApplyPlanForm]:
    """The template chosen in the query, and the form that plans it (every activity ticked)."""
    if not (request.args and choose.validate()):
        return None, ApplyPlanForm()
    template = get_template(db.session, choose.template_id.data)
    form = ApplyPlanForm(formdata=None, template_id=template.id, anchor=choose.anchor.data,
                         items=[i.id for i in template.items], form_key=new_form_key())
    return template, form


def _posted_template(form: ApplyPlanForm) -> PlanTemplate | None:
    wanted = form.template_id.data
    return db.session.get(PlanTemplate, wanted) if isinstance(wanted, int) and 0 < wanted <= MAX_ID else None


def _plan_from(form: ApplyPlanForm, template: PlanTemplate, action: Action):
    """Plan the ticked activities once; the redirect after, or None with the refusal on the form."""
    earlier = already_submitted(db.session, form.form_key.data)
    if earlier:
        flash(_("These activities were already planned."), "info")
        return redirect(earlier.target_url)
    created = attempt(lambda: apply_plan(db.session, template, action, form.anchor.data, actor=current_user,
                                         now=now(), item_ids=form.items.data), form)
    if not created:
        return None
    target = _handled_once(form.form_key.data, url_for("actions.show", action_id=action.id) + "#activities")
    flash(ngettext("%(num)d activity planned from “%(name)s”. Check its place, then find its experts.",
                   "%(num)d activities planned from “%(name)s”. Check their places, then find their experts.",
                   len(created), name=template.name), "success")
    return redirect(target)


@bp.route("/actions/<id:action_id>/plan/apply", methods=["GET", "POST"])
@staff_required
def apply(action_id: int):
    """Choose a template and a start date, see the dates it gives, then plan those activities."""
    action = get_action(db.session, current_user, action_id)
    choose = _choose_form(action)
    if request.method == "POST":
        form = ApplyPlanForm()
        template = _posted_template(form)
        if template is None:
            flash(_("That plan template no longer exists; choose another."), "warning")
            return redirect(url_for(".apply", action_id=action.id))
        choose.template_id.data, choose.anchor.data = template.id, form.anchor.data
        form.items.choices = [(i.id, i.title) for i in template.items]
        if form.validate_on_submit() and (done := _plan_from(form, template, action)):
            return done
    else:
        template, form = _previewed(choose)
    preview = None
    if template is not None and form.anchor.data:
        preview = _preview(form if request.method == "POST" else choose, template, form.anchor.data)
    heading = (_("Add activities to %(action)s from a template", action=action.name) if action.activities
               else _("Start %(action)s from a template", action=action.name))
    return render_template("plans/apply.html", action=action, choose=choose, form=form, template=template,
                           preview=preview, refusal=_refusal(action), today=now().date(), heading=heading)


@bp.route("/activities/<id:activity_id>/copy", methods=["GET", "POST"])
@staff_required
def copy_activity(activity_id: int):
    """Plan a copy of an activity on the same Action, from a new start date."""
    activity = db.session.get(Activity, activity_id, options=[selectinload(Activity.slots)])
    if activity is None:
        abort(404)
    action = get_action(db.session, current_user, activity.action_id)
    form = CopyActivityForm()
    if form.validate_on_submit():
        earlier = already_submitted(db.session, form.form_key.data)
        if earlier:
            flash(_("This copy was already planned."), "info")
            return redirect(earlier.target_url)
        copy = attempt(lambda: copy_activity_service(db.session, activity, form.start_date.data, actor=current_user,
                                                     now=now(), title=form.title.data), form)
        if copy:
            target = _handled_once(form.form_key.data, url_for("activities.show", activity_id=copy.id))
            flash(_("Copy planned: check its place and dates, then find its experts."), "success")
            return redirect(target)
    if request.method == "GET":
        form.title.data = activity.title
    ensure_form_key(form)
    return render_template("plans/copy.html", form=form, activity=activity, action=action,
                           duration=(activity.end_date - activity.start_date).days + 1)
