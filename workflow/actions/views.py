"""Pages of Actions: the filtered list, the Action page, its transitions, edits and closure."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask import request as http
from flask_babel import get_locale, get_timezone
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from ..accounts.access import signed_in, staff_required
from ..core.figures import remember
from ..core.filters import list_query
from ..core.forms import ConfirmForm, options
from ..core.i18n import _, _l
from ..core.labels import label
from ..core.signals import extras_for
from ..core.web import attempt, int_arg, now, per_page_arg
from ..deployments.models import Deployment
from ..deployments.queries import visible_deployments
from ..experts.services import renew_calendar_token
from ..extensions import db
from ..reference.choices import country_choices, theme_choices
from ..results.queries import framework_for_page, summary_lines
from .filters import filter_form, to_filters
from .forms import (
    ActionEventForm,
    EditActionForm,
    FinalReportForm,
    PublicDetailsForm,
    PublishForm,
)
from .lifecycle import ActionEvent
from .permissions import action_permissions
from .publishing import PublicTexts, set_public_details, set_published
from .queries import get_action, list_actions, visibility
from .services import (
    ActionEdit,
    FinalReportDraft,
    apply_action_event,
    event_refusals,
    record_final_report,
    update_action,
)
from .steps import action_steps

bp = Blueprint("actions", __name__, url_prefix="/actions")

# What each step did and what comes next ("%(name)s" is the Action's name).
DONE = {
    ActionEvent.START_ASSESSMENT: _l("%(name)s: the assessment has started. Plan its activities; implementation "
                                     "can start when the assessment is done."),
    ActionEvent.START_IMPLEMENTATION: _l("%(name)s: implementation has started. When its activities are "
                                         "finished, start closing it."),
    ActionEvent.START_CLOSING: _l("%(name)s is closing. Write its final report, then close it."),
    ActionEvent.CLOSE: _l("%(name)s is closed. Its history and results stay here to read."),
    ActionEvent.SUSPEND: _l("%(name)s is suspended: its work is paused until you resume it."),
    ActionEvent.RESUME: _l("%(name)s is resumed: its work goes on where it stopped."),
    ActionEvent.CANCEL: _l("%(name)s is cancelled. Its history stays here to read."),
}


@bp.get("/")
@signed_in
def index():
    """The list is the same for everyone who sees the same Actions (staff, one institution's requesters …):
    rendered once per data version, filters, language and time zone, then shared (workflow.core.figures)."""

    def body() -> str:
        form = filter_form(http.args)
        page = list_actions(db.session, current_user, to_filters(form.accepted()), int_arg("page", 1),
                            per_page_arg())
        return render_template("actions/_list.html", form=form, page=page, query=list_query())

    key = ("actions.index", visibility(current_user), tuple(sorted(http.args.items(multi=True))),
           str(get_locale()), str(get_timezone()))
    return render_template("actions/index.html", body=Markup(remember(db.session, key, body)))


@bp.get("/<id:action_id>")
@signed_in
def show(action_id: int):
    """The Action page: a header with its next step, then its overview, activities and experts, documents,
    results and history."""
    action = get_action(db.session, current_user, action_id, for_page=True)
    can = action_permissions(action, current_user)
    steps = action_steps(
        action.status, can.events, event_refusals(db.session, action) if can.events else {}, name=action.name,
        url=lambda event: url_for(".fire", action_id=action.id, event=event.value),
        final_report=(url_for(".final_report", action_id=action.id), action.final_report is not None)
        if can.final_report else None,
    )
    deployments = db.session.scalars(
        visible_deployments(current_user).where(Deployment.activity_id.in_([a.id for a in action.activities]))
        .options(joinedload(Deployment.expert)).order_by(Deployment.activity_id, Deployment.id)
    ).all() if action.activities else []
    return render_template(
        "actions/show.html",
        action=action,
        can=can,
        steps=steps,
        deployments=deployments,
        today=now().date(),
        **extras_for("actions.show", action=action, user=current_user),  # the reminders to come (staff)
    )


@bp.post("/<id:action_id>/events/<event>")
@staff_required
def fire(action_id: int, event: str):
    action = get_action(db.session, current_user, action_id)
    form = ActionEventForm()
    if event not in ActionEvent.__members__.values():
        abort(404)
    if not form.validate_on_submit():
        flash("; ".join(e for errors in form.errors.values() for e in errors), "danger")
        return redirect(url_for(".show", action_id=action.id))
    if form.version.data != action.version:
        flash(_("This Action changed since you opened the page; check it and try again."), "warning")
        return redirect(url_for(".show", action_id=action.id))
    chosen = ActionEvent(event)
    transition = attempt(lambda: apply_action_event(
        db.session, action, chosen, actor=current_user, now=now(), reason=form.reason.data, waiver=form.waiver.data
    ))
    if transition:
        db.session.commit()
        flash(str(DONE[chosen]) % {"name": action.name} if chosen in DONE else
              _("%(name)s — the status is now %(status)s.", name=action.name, status=label(transition.to_status)),
              "success")
    return redirect(url_for(".show", action_id=action.id))


@bp.route("/<id:action_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(action_id: int):
    action = get_action(db.session, current_user, action_id)
    form = EditActionForm(obj=action)
    form.thematic_area_id.choices = options(theme_choices(db.session))
    if form.validate_on_submit():
        edit_data = ActionEdit(
            name=form.name.data,
            title=form.title.data.strip(),
            thematic_area_id=form.thematic_area_id.data,
            objective=(form.objective.data or "").strip(),
            summary=(form.summary.data or "").strip(),
            planned_start=form.planned_start.data,
            planned_end=form.planned_end.data,
        )
        if attempt(lambda: update_action(db.session, action, edit_data, version=form.version.data,
                                         actor=current_user, now=now()), form):
            db.session.commit()
            flash(_("Action saved."), "success")
            return redirect(url_for(".show", action_id=action.id))
    return render_template("actions/edit.html", form=form, action=action)


@bp.route("/<id:action_id>/final-report", methods=["GET", "POST"])
@staff_required
def final_report(action_id: int):
    """The closure form: results, officials trained by gender, institutions reached, lessons learned."""
    action = get_action(db.session, current_user, action_id)
    form = FinalReportForm(obj=action.final_report, version=action.version)
    if action.final_report is None and http.method == "GET":  # a first draft from the results framework
        form.results.data = "\n".join(summary_lines(framework_for_page(db.session, action.id)))
    if form.validate_on_submit():
        if form.version.data != action.version:
            form.form_errors.append(_("This Action changed since you opened the form; check it and save again."))
        else:
            draft = FinalReportDraft(
                results=form.results.data.strip(),
                lessons_learned=form.lessons_learned.data.strip(),
                officials_trained_female=form.officials_trained_female.data,
                officials_trained_male=form.officials_trained_male.data,
                officials_trained_other=form.officials_trained_other.data,
                institutions_reached=form.institutions_reached.data,
            )
            if attempt(lambda: record_final_report(db.session, action, draft, actor=current_user, now=now()), form):
                db.session.commit()
                flash(_("Final report saved. The Action can now be closed."), "success")
                return redirect(url_for(".show", action_id=action.id))
    return render_template("actions/final_report.html", form=form, action=action)


@bp.post("/<id:action_id>/calendar-token")
@staff_required
def calendar_token(action_id: int):
    """A new secret calendar URL for the Action's activities (the old one stops working)."""
    action = get_action(db.session, current_user, action_id)
    if ConfirmForm().validate_on_submit():
        renew_calendar_token(action)
        db.session.commit()
        flash(_("A new calendar address is ready; the old one no longer works."), "success")
    return redirect(url_for(".show", action_id=action.id))


@bp.post("/<id:action_id>/publish")
@staff_required
def publish(action_id: int):
    """Show the Action in the public catalogue (`publish=1`) or take it out (`publish=0`)."""
    action = get_action(db.session, current_user, action_id)
    form = PublishForm()
    wanted = http.form.get("publish") == "1"
    if form.validate_on_submit() and attempt(
        lambda: set_published(action, wanted, version=form.version.data, actor=current_user, now=now())
    ):
        db.session.commit()
        if wanted:
            flash(_("%(name)s is now in the public catalogue.", name=action.name), "success")
        else:
            flash(_("%(name)s was taken out of the public catalogue.", name=action.name), "success")
    elif form.errors:
        flash(_("The form expired; reload the page and try again."), "danger")
    return redirect(url_for(".show", action_id=action.id))


@bp.route("/<id:action_id>/public", methods=["GET", "POST"])
@staff_required
def public_details(action_id: int):
    """The texts the public catalogue shows in Spanish and French, and a regional Action's members."""
    action = get_action(db.session, current_user, action_id, for_page=True)
    existing = {t.locale: t for t in action.translations}
    form = PublicDetailsForm(
        version=action.version,
        member_countries=[c.code for c in action.member_countries],
        **{f"{field}_{locale}": getattr(existing[locale], field)
           for locale in PublicDetailsForm.LOCALES if locale in existing
           for field in ("title", "objective", "summary")},
    )
    form.member_countries.choices = options(country_choices(db.session))
    if form.validate_on_submit():
        texts = {
            locale: PublicTexts(*(((form[f"{field}_{locale}"].data or "").strip())
                                  for field in ("title", "objective", "summary")))
            for locale in PublicDetailsForm.LOCALES
        }
        members = tuple(form.member_countries.data or ()) if action.is_regional else None
        if attempt(lambda: set_public_details(db.session, action, translations=texts, member_countries=members,
                                              version=form.version.data, actor=current_user, now=now()), form):
            db.session.commit()
            flash(_("The public texts of %(name)s are saved.", name=action.name), "success")
            return redirect(url_for(".show", action_id=action.id))
    return render_template("actions/public.html", form=form, action=action)


@bp.get("/<id:action_id>/factsheet")
@signed_in
def factsheet(action_id: int):
    """One printable page on the Action: what it is, what was done, by whom, with what result."""
    action = get_action(db.session, current_user, action_id, for_page=True)
    # The figures (the dashboard's counting) and the experts' administrations (the catalogue's) join in.
    return render_template("actions/factsheet.html", action=action, **extras_for("actions.factsheet", action=action))
