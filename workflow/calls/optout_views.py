"""The public page where an expert without an account stops (or resumes) calls for experts by e-mail.

Registered on the calls' blueprint (views.py) as `calls.unsubscribe`, at the link every call's e-mail gives.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from ..core.i18n import _
from ..core.web import now
from ..extensions import csrf, db
from .forms import UnsubscribeForm
from .optout import expert_by_unsubscribe_token, resume_call_emails, stop_call_emails

ONE_CLICK = "One-Click"  # RFC 8058: the body a mail client posts is "List-Unsubscribe=One-Click"


@csrf.exempt  # a mail client's one-click POST carries no session: the page's own form is checked below
def unsubscribe(token: str):
    """GET: what the link does, with a button; POST: record it (the page's form, or a mail client's one click)."""
    expert = expert_by_unsubscribe_token(db.session, token, current_app.config["SECRET_KEY"])
    if expert is None:
        abort(404)
    posted = request.method == "POST"
    one_click = posted and request.form.get("List-Unsubscribe") == ONE_CLICK
    if posted and not one_click:
        csrf.protect()  # the page's button: the form's CSRF token, as on every page
    form = UnsubscribeForm()
    if one_click or (posted and form.validate_on_submit()):
        stop = one_click or form.choice.data == "stop"
        (stop_call_emails if stop else resume_call_emails)(db.session, expert, now=now())
        db.session.commit()
        done = (_("You will receive no more calls for experts by e-mail.") if stop
                else _("Calls for experts will reach you by e-mail again."))
        if one_click:
            return done, 200, {"Content-Type": "text/plain; charset=utf-8"}
        flash(done, "success")
        return redirect(url_for("calls.unsubscribe", token=token))
    return render_template("calls/unsubscribe.html", expert=expert, form=form), 422 if posted else 200
