"""The bell: a user's in-app notifications."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import BindParameter, ScalarSelect, func, select, update

from ..accounts.access import signed_in
from ..calls.optout import resume_call_emails, stop_call_emails
from ..core.forms import ConfirmForm
from ..core.i18n import _
from ..core.web import attempt, int_arg, local_url, now, paginate, per_page_arg
from ..experts.models import Expert
from ..extensions import db
from .forms import CALL_EMAILS, preferences_form
from .kinds import kinds_for
from .models import Notification
from .services import preferences_of, save_preferences

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def unread_column(user_id: int | BindParameter[int]) -> ScalarSelect[int]:
    """How many of the user's notifications are unread, as a column (the user loader reads it with the user)."""
    return (select(func.count()).select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None)).scalar_subquery())


def unread_count(user_id: int) -> int:
    """The number in the navigation bar: read with the user at sign-in of the request, else counted now."""
    known = g.get("unread_notifications")
    return known if known is not None else db.session.scalar(select(unread_column(user_id))) or 0


@bp.get("/")
@signed_in
def index():
    stmt = select(Notification).where(Notification.user_id == current_user.id)
    if request.args.get("show") == "unread":
        stmt = stmt.where(Notification.read_at.is_(None))
    page = paginate(db.session, stmt.order_by(Notification.created_at.desc(), Notification.id.desc()),
                    int_arg("page", 1), per_page_arg())
    return render_template("notifications/index.html", page=page, form=ConfirmForm(),
                           show=request.args.get("show", "all"))


@bp.post("/<id:notification_id>/read")
@signed_in
def read(notification_id: int):
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        notification.read_at = notification.read_at or now()
        db.session.commit()
    return redirect(local_url(request.form.get("next"), url_for(".index")))


@bp.post("/read-all")
@signed_in
def read_all():
    if ConfirmForm().validate_on_submit():
        db.session.execute(update(Notification).where(Notification.user_id == current_user.id,
                                                      Notification.read_at.is_(None)).values(read_at=now()))
        db.session.commit()
        flash(_("All notifications marked as read."), "success")
    return redirect(url_for(".index"))


@bp.route("/preferences", methods=["GET", "POST"])
@signed_in
def preferences():
    """How each kind of news reaches you: an e-mail at once, the daily digest, or Peerflow only; for an expert,
    whether calls for experts come by e-mail (their List-Unsubscribe line points here)."""
    kinds = kinds_for(current_user.role)
    expert = db.session.scalar(select(Expert).where(Expert.user_id == current_user.id))
    stopped = None if expert is None else expert.call_emails_stopped_at is not None
    form = preferences_form(kinds, preferences_of(db.session, current_user), stopped)
    if form.validate_on_submit():
        chosen = {kind.code: form[kind.code].data for kind in kinds if form[kind.code].data}
        if attempt(lambda: _save(chosen, expert, form), form) is not None:
            db.session.commit()
            flash(_("Your notification preferences are saved."), "success")
            return redirect(url_for(".preferences"))
    return render_template("notifications/preferences.html", form=form, kinds=kinds, calls=expert is not None,
                           highlighted=request.args.get("kind"))


def _save(chosen: dict[str, str], expert: Expert | None, form) -> bool:
    save_preferences(db.session, current_user, chosen, actor=current_user, now=now())
    if expert is not None and form[CALL_EMAILS].data in ("receive", "stop"):
        (stop_call_emails if form[CALL_EMAILS].data == "stop" else resume_call_emails)(db.session, expert, now=now())
    return True
