"""Staff pages: the outbox (reminders and notification e-mails: waiting, sent, failed, retried) and the reminder
rules."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..accounts.access import roles_required, staff_required
from ..accounts.models import Role
from ..core.errors import NotFound, StateConflict
from ..core.filters import list_query
from ..core.forms import ConfirmForm
from ..core.i18n import _
from ..core.web import attempt, int_arg, local_url, now, per_page_arg
from ..extensions import db
from ..notifications.services import retry as retry_notification_email
from .filters import STATE_LABELS, filter_form, to_filters
from .forms import WordingForm
from .models import EmailMessage, ReminderRule, ReminderWording
from .queries import outbox_page, state_counts
from .registry import RECIPIENT_ROLES, RULES, chosen_roles, recipient_problem
from .services import (
    RuleSettings,
    WordingRefused,
    preview_wording,
    retry,
    save_rule_settings,
    save_wording,
    saved_texts,
)
from .sync import offsets, recipient_roles
from .wording import FILTERS, LOCALES, PLACEHOLDER_HELP, editable, placeholders

bp = Blueprint("reminders", __name__)

@bp.get("/outbox")
@staff_required
def outbox():
    """Every reminder and notification e-mail, each naming its subject, recipient, kind and state."""
    form = filter_form(request.args)
    filters = to_filters(form.accepted())
    page = outbox_page(db.session, filters, int_arg("page", 1), per_page_arg())
    return render_template("reminders/outbox.html", form=form, page=page, filters=filters, query=list_query(),
                           counts=state_counts(db.session), states=STATE_LABELS, shown=filters.state, confirm=ConfirmForm())


def _retry(use_case: Callable[..., object], row_id: int):
    """A failed e-mail sent again (a reminder's or a notification's); refused, with a message, unless it failed."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        use_case(db.session, row_id, actor=current_user, now=now())
    except NotFound:
        abort(404)
    except StateConflict as refused:
        db.session.rollback()
        flash(str(refused), "warning")
    else:
        db.session.commit()
        flash(_("The e-mail will be sent again at the next pass of the scheduler."), "success")
    return redirect(local_url(request.form.get("next"), url_for(".outbox", state="waiting")))


@bp.post("/outbox/reminders/<id:reminder_id>/retry")
@staff_required
def retry_reminder(reminder_id: int):
    return _retry(retry, reminder_id)


@bp.post("/outbox/emails/<id:email_id>/retry")
@staff_required
def retry_email(email_id: int):
    return _retry(retry_notification_email, email_id)


@bp.get("/outbox/messages/<id:message_id>")
@staff_required
def message(message_id: int):
    found = db.session.get(EmailMessage, message_id)
    if found is None:
        abort(404)
    return render_template("reminders/message.html", message=found)


def _parse_offsets(code: str) -> tuple[list[int] | None, str | None]:
    """The offsets typed for a rule, or why they cannot be read."""
    raw = request.form.get(f"offsets_{code}", "").strip()
    try:
        values = [int(part) for part in raw.replace(" ", "").split(",") if part]
    except ValueError:
        return None, _("Whole numbers of days, separated by commas.")
    if not values or any(v < 0 or v > 365 for v in values) or len(values) > 6:
        return None, _("One to six numbers of days, each from 0 to 365.")
    return values, None


@bp.route("/admin/reminder-rules", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def rule_settings():
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        parsed: dict[str, RuleSettings] = {}
        for code, rule in RULES.items():
            values, problem = _parse_offsets(code) if rule.offsets else ([], None)
            if problem:
                errors[code] = problem
            enabled = not rule.switchable or request.form.get(f"enabled_{code}") == "on"
            chosen = request.form.getlist(f"recipients_{code}")[:10] if rule.recipients else None
            refused = recipient_problem(code, chosen, enabled=enabled) if chosen is not None else None
            if refused:
                errors[f"recipients_{code}"] = _(refused)
            if values is not None:
                parsed[code] = RuleSettings(values, enabled, chosen)
        if not errors and attempt(lambda: save_rule_settings(db.session, parsed, actor=current_user, now=now())) \
                is not None:
            db.session.commit()
            flash(_("Reminder rules saved; the reminders still to be sent follow them (none already sent is sent "
                    "again)."), "success")
            return redirect(url_for(".rule_settings"))
    saved = {r.code: r for r in db.session.scalars(select(ReminderRule))}
    worded: dict[str, list[str]] = {}
    for rule, locale in db.session.execute(select(ReminderWording.rule, ReminderWording.locale)
                                           .order_by(ReminderWording.rule, ReminderWording.locale)):
        worded.setdefault(rule, []).append(locale)
    return render_template("reminders/rules.html", rules=RULES, current=offsets(db.session),
                           enabled={code: r.enabled for code, r in saved.items()}, editable=editable,
                           roles=RECIPIENT_ROLES, chosen=recipient_roles(db.session), worded=worded,
                           errors=errors, form=ConfirmForm(), submitted=request.form if errors else None)


def _base_url() -> str:
    return current_app.config["PEERFLOW_BASE_URL"]


@bp.route("/admin/reminder-rules/<code>/wording", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def wording(code: str):
    """A rule's subject and text per language: preview them on real data, then save them."""
    if code not in RULES or not editable(code):
        abort(404)
    form = WordingForm()
    if request.method == "GET":
        form.fill(saved_texts(db.session, code))
    elif form.validate_on_submit() and "save" in request.form:
        try:
            save_wording(db.session, code, form.texts(), actor=current_user, base_url=_base_url(), now=now())
            db.session.commit()
        except WordingRefused as refused:
            db.session.rollback()
            _attach(form, refused.errors)
        except IntegrityError:  # another admin saved this rule's first text in the same moment
            db.session.rollback()
            form.form_errors.append(_("Someone saved these texts at the same moment; please check them and save "
                                      "again."))
        else:
            flash(_("The texts of this reminder are saved: the next ones sent use them."), "success")
            return redirect(url_for(".wording", code=code))
    example, rendered, problems = preview_wording(db.session, code, form.texts(), viewer=current_user,
                                                  base_url=_base_url(), now=now())
    db.session.rollback()  # a preview writes nothing
    _attach(form, problems)
    rule = RULES[code]
    sent_to = [_(RECIPIENT_ROLES[r]) for r in rule.recipients.allowed
               if r in chosen_roles(code, recipient_roles(db.session))] if rule.recipients else [_(rule.who)]
    return render_template("reminders/wording.html", form=form, code=code, what=rule.what, sent_to=sent_to,
                           example=example,
                           rendered=rendered, placeholders=[(name, PLACEHOLDER_HELP.get(name, ""))
                                                            for name in placeholders(code)],
                           filters=FILTERS, languages=LOCALES)


def _attach(form: WordingForm, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        if name in form and not form[name].errors:  # the form's own message (a length) says it already
            form[name].errors = [*form[name].errors, message]
