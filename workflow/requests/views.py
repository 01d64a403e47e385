"""Pages of requests: the requester drafts and follows; staff review."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask import request as http
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..accounts.access import roles_required, signed_in
from ..accounts.models import Role
from ..core.forms import ReasonForm, options
from ..core.i18n import _, _l
from ..core.labels import label
from ..core.signals import extras_for
from ..core.web import (
    attempt,
    create_once,
    ensure_form_key,
    int_arg,
    now,
    paginate,
    per_page_arg,
)
from ..extensions import db
from ..reference.choices import theme_choices
from .filters import REVIEW, chosen_status, filtered_requests, status_tabs, to_filters
from .forms import EditRequestForm, NewRequestForm
from .lifecycle import REQUEST_LIFECYCLE, RequestEvent
from .models import Request
from .permissions import request_permissions
from .services import (
    RequestDraft,
    accept_request,
    apply_request_event,
    committee_size,
    create_request,
    get_request,
    update_request,
)
from .steps import request_steps

bp = Blueprint("requests", __name__, url_prefix="/requests")

# What each step did and what comes next, said to whoever took it.
DONE = {
    RequestEvent.SUBMIT: _l("Request submitted. The programme team will review it; you will be notified."),
    RequestEvent.START_REVIEW: _l("Review started. Next: accept the request, decline it, ask the requester for "
                                  "clarification or send it to the Steering Committee."),
    RequestEvent.ASK_CLARIFICATION: _l("Clarification asked. The requester is notified and can edit the request "
                                       "and answer; the review goes on then."),
    RequestEvent.ANSWER_CLARIFICATION: _l("Answer sent. The programme team is notified and goes on with the "
                                          "review."),
    RequestEvent.DECLINE: _l("Request declined. The requester is notified, with your reason."),
    RequestEvent.WITHDRAW: _l("Request withdrawn. The programme team is notified and stops reviewing it."),
}

def _draft(form: NewRequestForm | EditRequestForm) -> RequestDraft:
    return RequestDraft(
        title=form.title.data.strip(),
        description=form.description.data.strip(),
        thematic_area_id=form.thematic_area_id.data,
        desired_start=form.desired_start.data,
    )


@bp.get("/")
@signed_in
def index():
    """The requester's requests, or the staff review queue."""
    landing = REVIEW if current_user.is_staff else ""
    chosen, filters = chosen_status(http.args, landing=landing), to_filters(http.args, landing=landing)
    stmt = filtered_requests(current_user, filters).order_by(Request.submitted_at.desc().nulls_first(),
                                                             Request.id.desc()).options(
        joinedload(Request.institution))  # each row shows it: in the page's query, not one query per row
    page = paginate(db.session, stmt, int_arg("page", 1), per_page_arg())
    return render_template("requests/index.html", page=page, status=chosen, filters=filters, q=filters.q or "",
                           tabs=status_tabs(chosen, staff=current_user.is_staff))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.REQUESTER)
def new():
    form = NewRequestForm()
    form.thematic_area_id.choices = options(theme_choices(db.session))
    if form.validate_on_submit():
        answer = create_once(form, lambda: create_request(db.session, _draft(form), actor=current_user, now=now()),
                             target=lambda created: url_for(".show", request_id=created.id),
                             done=lambda _created: _("Draft saved. Submit it when it is ready."),
                             repeated=_("This request was already saved."))
        if answer:
            return answer
    ensure_form_key(form)
    return render_template("requests/form.html", form=form, item=None)


@bp.get("/<id:request_id>")
@signed_in
def show(request_id: int):
    item = get_request(db.session, current_user, request_id)
    can = request_permissions(item, current_user, committee_members=committee_size(db.session))
    steps = request_steps(item.status, can.events, title=item.title, send_to_committee=can.send_to_committee,
                          url=lambda event: url_for(".fire", request_id=item.id, event=event.value))
    return render_template(
        "requests/show.html",
        item=item,
        can=can,
        steps=steps,
        **extras_for("requests.show", request=item, user=current_user, can=can),  # the committee's panel (governance)
    )


@bp.route("/<id:request_id>/edit", methods=["GET", "POST"])
@roles_required(Role.REQUESTER)
def edit(request_id: int):
    item = get_request(db.session, current_user, request_id)
    form = EditRequestForm(obj=item)
    form.thematic_area_id.choices = options(theme_choices(db.session))
    if form.validate_on_submit():
        if attempt(lambda: update_request(db.session, item, _draft(form), version=form.version.data,
                                          actor=current_user, now=now()), form):
            db.session.commit()
            flash(_("Request saved. When it is ready, submit it (or send your answer) from its page."), "success")
            return redirect(url_for(".show", request_id=item.id))
    return render_template("requests/form.html", form=form, item=item)


@bp.post("/<id:request_id>/events/<event>")
@signed_in
def fire(request_id: int, event: str):
    """Submit, review, ask for clarification, answer, accept or decline."""
    item = get_request(db.session, current_user, request_id)
    form = ReasonForm()
    if event not in RequestEvent.__members__.values() or not form.validate_on_submit():
        flash(_("That step is not available."), "danger")
        return redirect(url_for(".show", request_id=item.id))
    chosen = RequestEvent(event)
    if chosen is RequestEvent.ACCEPT and current_user.is_staff:
        action = attempt(lambda: accept_request(db.session, item, actor=current_user, now=now()))
        if action:
            db.session.commit()
            flash(_("Request accepted: the Action “%(name)s” is open and the requester is notified. Next: start its "
                    "assessment.", name=action.name), "success")
            return redirect(url_for("actions.show", action_id=action.id))
    elif attempt(lambda: apply_request_event(db.session, item, chosen, actor=current_user, now=now(),
                                             reason=form.reason.data)):
        db.session.commit()
        flash(DONE.get(chosen) or _("%(step)s: the request is now %(status)s.",
                                    step=REQUEST_LIFECYCLE.labels[chosen], status=label(item.status).lower()),
              "success")
    return redirect(url_for(".show", request_id=item.id))

