"""Pages of calls for experts: write and preview a call, the officer's board, answers, focal points' proposals."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from ..accounts.access import roles_required, staff_required
from ..accounts.models import Role
from ..actions.queries import get_action
from ..activities.models import Activity
from ..core.dates import period
from ..core.errors import DomainError, NotFound
from ..core.forms import options
from ..core.i18n import _, _l, ngettext
from ..core.labels import label
from ..core.uploads import open_stored, remove_stored, store_form_upload
from ..core.web import (
    already_submitted,
    attach_error,
    attempt,
    ensure_form_key,
    new_form_key,
    now,
    remember_submission,
)
from ..deployments.explain import violations_text
from ..experts.models import Expert
from ..experts.services import own_expert
from ..extensions import db
from ..reference.choices import language_choices, locale_code, theme_choices
from ..reference.models import Country
from ..reference.services import country_name
from .board import board, calls_of_activity, focal_points_of, open_calls_for_expert, unsubscribed_of
from .delivery import deliver_from_app
from .forms import AnswerForm, CallEventForm, CallForm, CallInviteForm, ProposeForm
from .lifecycle import CALL_LIFECYCLE, CallEvent, end_of_day
from .models import AnswerKind, Call, CallAnswer, CallRecipient
from .optout_views import unsubscribe
from .permissions import answers_open, call_permissions
from .services import (
    CallDraft,
    answer_call,
    apply_call_event,
    audience,
    filters_signature,
    invite_from_call,
    proposable_experts,
    propose_expert,
    recipient_by_token,
    recipient_for,
    send_call,
)

bp = Blueprint("calls", __name__)

# What ending a call did, and what stays.
CALL_DONE = {
    CallEvent.CLOSE: _l("Call closed: it takes no more answers. The answers received stay on this page."),
    CallEvent.STAND_DOWN: _l("Call stood down: it takes no more answers and its e-mails not yet sent are dropped. "
                             "The experts it reached can be called again."),
}
log = logging.getLogger(__name__)


# --- Helpers the activity page and the expert's portal call from their templates ----------------


@bp.app_template_global()
def activity_calls(activity_id: int) -> list[Call]:
    return calls_of_activity(db.session, activity_id)


@bp.app_template_global()
def portal_calls(expert_id: int) -> list[tuple[CallRecipient, bool]]:
    """The expert's calls, each with whether it still takes an answer."""
    moment = now()
    return [(r, answers_open(r.call, moment)) for r in open_calls_for_expert(db.session, expert_id)]


# --- Writing and sending a call ------------------------------------------------------------------


def _activity(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        abort(404)
    get_action(db.session, current_user, activity.action_id)  # 404 unless visible
    return activity


def _member_state_choices() -> list[tuple[str, str]]:
    loc = locale_code()
    codes = db.session.scalars(select(Country.code).where(Country.is_eu_member))
    return sorted(((code, country_name(code, loc)) for code in codes), key=lambda pair: pair[1])


def _fill_choices(form: CallForm, activity: Activity) -> None:
    languages = dict(language_choices())
    form.slot_id.choices = options(((s.id, f"{s.places} × {label(s.role)} — {_(s.thematic_area.name)}, "
                                           f"{languages.get(s.language, s.language)}") for s in activity.slots),
                                   empty=_("No particular slot"))
    form.thematic_area_id.choices = options(theme_choices(db.session), empty=_("Any thematic area"))
    form.language.choices = options(language_choices(), empty=_("Any language"))
    form.member_states.choices = options(_member_state_choices())


def _deadline(day: date) -> datetime:
    """The end of `day` in the officer's time zone, in UTC."""
    return end_of_day(day, current_user.timezone)


def _int_or_none(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _draft(form: CallForm) -> CallDraft:
    """The call the form describes (filters read leniently: a value that is not offered counts as unset)."""
    offered = {str(value) for value, *_rest in form.member_states.choices}
    day = form.answer_deadline.data if not form.answer_deadline.errors else None
    return CallDraft(
        message=form.message.data or "",
        answer_deadline=_deadline(day) if day else now(),
        slot_id=_int_or_none(form.slot_id.data),
        thematic_area_id=_int_or_none(form.thematic_area_id.data),
        language=form.language.data or None,
        member_states=tuple(sorted({c for c in form.member_states.data or () if c in offered})),
        available_only=bool(form.available_only.data),
        include_focal_points=bool(form.include_focal_points.data),
    )


def _defaults(form: CallForm, activity: Activity) -> None:
    wanted = request.args.get("slot", type=int)
    slot = next((s for s in activity.slots if s.id == wanted), activity.slots[0] if activity.slots else None)
    if slot is not None:
        form.slot_id.data, form.thematic_area_id.data, form.language.data = str(slot.id), str(slot.thematic_area_id), \
            slot.language
    form.available_only.data = form.include_focal_points.data = True
    form.answer_deadline.data = min(now().date() + timedelta(days=7), activity.start_date - timedelta(days=1))
    form.message.data = _("We are looking for experts for “%(title)s” (%(dates)s). If you are available "
                          "and interested, please answer by the deadline.", title=activity.title,
                          dates=period(activity.start_date, activity.end_date))
    form.form_key.data = new_form_key()


@bp.route("/activities/<id:activity_id>/calls/new", methods=["GET", "POST"])
@staff_required
def new(activity_id: int):
    """Choose the filters, see who the call would reach, then send it once."""
    activity = _activity(activity_id)
    form = CallForm()
    _fill_choices(form, activity)
    if request.method == "GET":
        _defaults(form, activity)
    draft = _draft(form)
    signature = filters_signature(draft)
    if request.method == "POST" and request.form.get("send") and form.validate_on_submit():
        earlier = already_submitted(db.session, form.form_key.data)
        if earlier:
            flash(_("This call was already sent."), "info")
            return redirect(earlier.target_url)
        if form.previewed.data != signature:
            form.form_errors.append(_("The filters changed since the preview: check who the call reaches below, "
                                      "then send it."))
        else:
            moment = now()
            call = attempt(lambda: send_call(db.session, activity, draft, actor=current_user, now=moment,
                                             secret=current_app.config["SECRET_KEY"]), form)
            if call:
                target = url_for(".show", call_id=call.id)
                remember_submission(db.session, form.form_key.data, current_user.id, target, moment)
                db.session.commit()
                _deliver_now(call.id)
                flash(ngettext("The call is sent to %(num)s person. Answers appear on this page as they come in.",
                               "The call is sent to %(num)s people. Answers appear on this page as they come in.",
                               len(call.recipients)), "success")
                return redirect(target)
    found = attempt(lambda: audience(db.session, activity, draft, today=now().date()), form)
    form.previewed.data = signature
    ensure_form_key(form)
    return render_template("calls/new.html", form=form, activity=activity, action=activity.action, audience=found)


def _deliver_now(call_id: int) -> None:
    """Send the call's e-mails at once; whatever fails here is retried by the scheduler's pass."""
    try:
        report = deliver_from_app(db.session, now=now(), call_id=call_id, max_batches=2, stop_on_failure=True)
    except Exception:  # noqa: BLE001 - the call is saved; its e-mails wait for the scheduler
        db.session.rollback()
        log.exception("call %s: delivery after sending failed; the scheduler will retry", call_id)
        return
    if report.retrying or report.failed:
        flash(_("Some e-mails could not be sent yet; they are retried automatically."), "warning")


# --- The call's page ----------------------------------------------------------------------------


def _call(call_id: int) -> Call:
    call = db.session.get(Call, call_id)
    if call is None:
        abort(404)
    return call


def _chosen_slot(call: Call):
    slots = call.activity.slots
    wanted = request.args.get("slot", type=int) or call.slot_id
    return next((s for s in slots if s.id == wanted), slots[0] if slots else None)


@bp.get("/calls/<id:call_id>")
@roles_required(Role.ADMIN, Role.OFFICER, Role.MS_FOCAL_POINT)
def show(call_id: int):
    call = _call(call_id)
    if current_user.role is Role.MS_FOCAL_POINT:
        return _focal_page(call, ProposeForm())
    get_action(db.session, current_user, call.activity.action_id)
    slot = _chosen_slot(call)
    can = call_permissions(call, current_user, now=now())
    return render_template(
        "calls/show.html", call=call, activity=call.activity, action=call.activity.action, slot=slot,
        rows=board(db.session, call, slot, today=now().date()), focal_points=focal_points_of(db.session, call),
        unsubscribed=unsubscribed_of(db.session, call), violations_text=violations_text,
        can=can, events=list(can.events), labels=CALL_LIFECYCLE.labels,
        event_form=CallEventForm(version=call.version), invite_form=CallInviteForm())


def _focal_page(call: Call, form: ProposeForm, status: int = 200):
    if recipient_for(db.session, call, current_user) is None:
        abort(404)
    experts = proposable_experts(db.session, call, current_user)
    form.expert_id.choices = options((e.id, e.name) for e in experts)
    mine = [p for p in call.proposals if p.focal_point_id == current_user.id]
    return render_template("calls/focal.html", call=call, activity=call.activity, form=form, experts=experts,
                           proposals=mine, answers_open=answers_open(call, now())), status


@bp.post("/calls/<id:call_id>/proposals")
@roles_required(Role.MS_FOCAL_POINT)
def propose(call_id: int):
    """A focal point the call reached proposes an expert of their member state."""
    call = _call(call_id)
    if recipient_for(db.session, call, current_user) is None:
        abort(404)
    form = ProposeForm()
    form.expert_id.choices = options((e.id, e.name) for e in proposable_experts(db.session, call, current_user))
    if form.validate_on_submit():
        expert = db.session.get(Expert, form.expert_id.data)
        if expert is not None and attempt(lambda: propose_expert(db.session, call, expert, form.note.data,
                                                                 actor=current_user, now=now()), form):
            db.session.commit()
            flash(_("%(name)s is proposed for this call. The programme team sees the proposal and decides whom to invite.",
                    name=expert.name), "success")
            return redirect(url_for(".show", call_id=call.id))
    return _focal_page(call, form, 422)


@bp.post("/calls/<id:call_id>/invite")
@staff_required
def invite(call_id: int):
    """Invite an expert of the call to a slot (the hard rules apply; a refusal names the rule)."""
    call = _call(call_id)
    form = CallInviteForm()
    if not form.validate_on_submit():
        flash(_("Choose an expert and a slot."), "danger")
        return redirect(url_for(".show", call_id=call.id))
    expert = db.session.get(Expert, form.expert_id.data)
    if expert is None:
        abort(404)
    try:
        deployment = invite_from_call(db.session, call, form.slot_id.data, expert, actor=current_user, now=now())
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("%(expert)s is invited to “%(activity)s” and notified; their answer comes back to this "
                "deployment.", expert=expert.name, activity=call.activity.title), "success")
        return redirect(url_for("deployments.show", deployment_id=deployment.id))
    return redirect(url_for(".show", call_id=call.id, slot=form.slot_id.data))


@bp.post("/calls/<id:call_id>/events/<event>")
@staff_required
def fire(call_id: int, event: str):
    """Stand the call down or close it."""
    call = _call(call_id)
    if event not in CallEvent.__members__.values():
        abort(404)
    form = CallEventForm()
    if not form.validate_on_submit():
        flash("; ".join(e for errors in form.errors.values() for e in errors), "danger")
    elif attempt(lambda: apply_call_event(db.session, call, CallEvent(event), actor=current_user, now=now(),
                                          version=form.version.data, reason=form.reason.data)):
        db.session.commit()
        flash(str(CALL_DONE[CallEvent(event)]), "success")
    return redirect(url_for(".show", call_id=call.id))


@bp.get("/calls/answers/<id:answer_id>/cv")
@staff_required
def answer_cv(answer_id: int):
    row = db.session.get(CallAnswer, answer_id)
    if row is None or not row.cv_stored_name:
        abort(404)
    return send_file(open_stored(current_app.config["UPLOAD_DIR"], row.cv_stored_name),
                     mimetype=row.cv_content_type, as_attachment=True, download_name=row.cv_file_name or "cv")


# --- Answers: in the expert's portal, or by the e-mailed link --------------------------------------


def _save_answer(recipient: CallRecipient, form: AnswerForm, actor) -> bool:
    """Store the CV (if any), record the answer, commit; on a refusal keep nothing and show why."""
    upload_dir = current_app.config["UPLOAD_DIR"]
    stored = None
    try:
        stored = store_form_upload(form.file.data, upload_dir, current_app.config["UPLOAD_MAX_BYTES"])
        _row, replaced = answer_call(db.session, recipient, AnswerKind(form.answer.data), form.note.data, actor=actor,
                                     now=now(), cv=stored, cv_file_name=form.file.data.filename if stored else None)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        if stored:
            remove_stored(upload_dir, stored.stored_name)
        if isinstance(error, NotFound):
            abort(404)
        attach_error(form, error)
        return False
    except Exception:
        db.session.rollback()
        if stored:
            remove_stored(upload_dir, stored.stored_name)
        raise
    if replaced:
        remove_stored(upload_dir, replaced)  # only once the new one is safely recorded
    return True


@bp.post("/calls/<id:call_id>/answer")
@roles_required(Role.EXPERT)
def answer(call_id: int):
    """The expert answers from their portal."""
    call = _call(call_id)
    expert = own_expert(db.session, current_user)
    recipient = recipient_for(db.session, call, current_user) if expert else None
    if recipient is None:
        abort(404)
    form = AnswerForm()
    if form.validate_on_submit() and _save_answer(recipient, form, current_user):
        flash(_("Thank you: your answer is recorded. The programme team sees it; you can change it until the deadline."), "success")
    else:
        flash("; ".join([*form.form_errors, *(e for errors in form.errors.values() for e in errors)])
              or _("The form expired; try again."), "danger")
    return redirect(url_for("deployments.assignments") + "#calls")


@bp.route("/calls/answer/<token>", methods=["GET", "POST"])
def answer_by_link(token: str):
    """The expert without an account answers at the link the call's e-mail gave them (until the deadline)."""
    recipient = recipient_by_token(db.session, token)
    if recipient is None:
        abort(404)
    form = AnswerForm(obj=None)
    if request.method == "GET" and recipient.answer is not None:
        form.answer.data, form.note.data = recipient.answer.answer.value, recipient.answer.note
    saved = request.method == "POST" and form.validate_on_submit() and _save_answer(recipient, form, None)
    if saved:
        flash(_("Thank you: your answer is recorded. You can change it until the deadline."), "success")
        return redirect(url_for(".answer_by_link", token=token))
    return render_template("calls/answer.html", recipient=recipient, call=recipient.call,
                           activity=recipient.call.activity, form=form,
                           answers_open=answers_open(recipient.call, now())), 422 if request.method == "POST" else 200


# An expert without an account stops (or resumes) calls by e-mail at the link each call gives (optout_views.py).
bp.add_url_rule("/calls/unsubscribe/<token>", view_func=unsubscribe, methods=["GET", "POST"])
