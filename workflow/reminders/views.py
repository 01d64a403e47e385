"""Staff pages: the outbox (sent, waiting, failed reminders) and the reminder rules."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.access import roles_required, staff_required
from ..accounts.models import Role
from ..core.forms import ConfirmForm
from ..core.i18n import _
from ..core.web import int_arg, now, paginate, per_page_arg
from ..extensions import db
from . import rules
from .models import EmailMessage, Reminder, ReminderRule, ReminderState
from .sync import offsets

bp = Blueprint("reminders", __name__)

VIEWS = {
    "waiting": (ReminderState.PENDING, ReminderState.SENDING),
    "sent": (ReminderState.SENT,),
    "failed": (ReminderState.FAILED,),
    "cancelled": (ReminderState.CANCELLED,),
}


@bp.get("/outbox")
@staff_required
def outbox():
    show = request.args.get("show", "waiting")
    states = VIEWS.get(show, VIEWS["waiting"])
    stmt = select(Reminder).where(Reminder.state.in_(states)).options(selectinload(Reminder.recipient))
    retrying = request.args.get("retrying") == "1"
    if retrying:
        stmt = stmt.where(Reminder.attempts > 0)
    order = Reminder.sent_at.desc() if show == "sent" else Reminder.due_at
    page = paginate(db.session, stmt.order_by(order, Reminder.id), int_arg("page", 1), per_page_arg())
    counts = dict(db.session.execute(select(Reminder.state, func.count()).group_by(Reminder.state)).all())
    retry_count = db.session.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.state == ReminderState.PENDING, Reminder.attempts > 0)) or 0
    messages = {m.reminder_id: m for m in db.session.scalars(select(EmailMessage).where(
        EmailMessage.reminder_id.in_([r.id for r in page.items])))}
    return render_template("reminders/outbox.html", page=page, show=show, counts=counts, retry_count=retry_count,
                           messages=messages, now=now(), retrying=retrying)


@bp.get("/outbox/messages/<id:message_id>")
@staff_required
def message(message_id: int):
    found = db.session.get(EmailMessage, message_id)
    if found is None:
        abort(404)
    return render_template("reminders/message.html", message=found)


@bp.route("/admin/reminder-rules", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def rule_settings():
    current = offsets(db.session)
    enabled = {r.code: r.enabled for r in db.session.scalars(select(ReminderRule))}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        parsed: dict[str, list[int]] = {}
        for code in rules.RULES:
            if code == "weekly_digest":
                continue
            raw = request.form.get(f"offsets_{code}", "").strip()
            try:
                values = [int(part) for part in raw.replace(" ", "").split(",") if part]
            except ValueError:
                errors[code] = _("Whole numbers of days, separated by commas.")
                continue
            if not values or any(v < 0 or v > 365 for v in values) or len(values) > 6:
                errors[code] = _("One to six numbers of days, each from 0 to 365.")
                continue
            parsed[code] = values
        if not errors:
            for code, values in parsed.items():
                row = db.session.get(ReminderRule, code) or ReminderRule(code=code)
                row.offsets, row.enabled = values, request.form.get(f"enabled_{code}") == "on"
                row.updated_at, row.updated_by_id = now(), current_user.id
                db.session.add(row)
            db.session.commit()
            flash(_("Reminder rules saved. Run %(command)s (or wait for the data to change) to move reminders "
                    "already planned.", command="`flask --app workflow reminders sync`"), "success")
            return redirect(url_for(".rule_settings"))
    return render_template("reminders/rules.html", rules=rules.RULES, current=current, enabled=enabled,
                           errors=errors, form=ConfirmForm(), submitted=request.form if errors else None)
