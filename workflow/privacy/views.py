"""Pages of privacy: the notice, the expert's consent, the data export and the erasure of an expert."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.access import admin_required, recent_login_required, roles_required, signed_in
from ..accounts.models import Role
from ..core.forms import ConfirmForm
from ..core.i18n import _
from ..core.uploads import remove_stored
from ..core.web import attempt, local_url, now
from ..experts.services import get_expert, own_expert
from ..extensions import db
from ..reference.choices import locale_code
from .forms import EraseForm
from .services import (
    NOTICE_VERSION,
    consent_history,
    erase_expert,
    erasure_of,
    export_expert_data,
    exportable_expert,
    give_consent,
    withdraw_consent,
)

bp = Blueprint("privacy", __name__)

NOTICE_LANGUAGES = ("en", "es", "fr")


@bp.app_context_processor
def _notice_version() -> dict[str, str]:
    return {"notice_version": NOTICE_VERSION}


@bp.get("/privacy")
def notice():
    """The privacy notice, in the reader's language (English when we have no other)."""
    language = locale_code().split("_")[0]
    return render_template("privacy/notice.html", version=NOTICE_VERSION,
                           body=f"privacy/notice_{language if language in NOTICE_LANGUAGES else 'en'}.html")


@bp.get("/privacy/consent")
@roles_required(Role.EXPERT)
def consent():
    expert = own_expert(db.session, current_user)
    return render_template("privacy/consent.html", expert=expert, version=NOTICE_VERSION, form=ConfirmForm(),
                           history=consent_history(db.session, expert) if expert else [])


def _consent_change(change, message: str):
    expert = own_expert(db.session, current_user)
    if expert is None:
        abort(404)
    if ConfirmForm().validate_on_submit() and attempt(
            lambda: change(db.session, expert, actor=current_user, now=now())):
        db.session.commit()
        flash(message, "success")
    return redirect(local_url(request.form.get("next"), url_for(".consent")))


@bp.post("/privacy/consent/give")
@roles_required(Role.EXPERT)
def give():
    return _consent_change(give_consent, _("Thank you: your consent is recorded."))


@bp.post("/privacy/consent/withdraw")
@roles_required(Role.EXPERT)
def withdraw():
    return _consent_change(withdraw_consent, _("Your consent is withdrawn: you will not be proposed for new "
                                               "deployments."))


@bp.get("/experts/<id:expert_id>/data.json")
@signed_in
def export(expert_id: int):
    """All the expert's data as a JSON file: for the expert, or for staff answering their request."""
    expert = exportable_expert(db.session, current_user, expert_id)
    data = export_expert_data(db.session, expert, actor=current_user, now=now())
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="peerflow-expert-{expert.id}-data.json"',
        "Cache-Control": "no-store",
    })


@bp.route("/experts/<id:expert_id>/erase", methods=["GET", "POST"])
@admin_required
@recent_login_required
def erase(expert_id: int):
    expert = get_expert(db.session, current_user, expert_id)
    erased = erasure_of(db.session, expert)
    form = EraseForm()
    if erased is None and form.validate_on_submit():
        if form.confirm_name.data.strip().casefold() != expert.name.strip().casefold():
            form.confirm_name.errors.append(_("This is not the expert's name; nothing was erased."))
        else:
            result = attempt(lambda: erase_expert(db.session, expert, actor=current_user, now=now()), form)
            if result:
                db.session.commit()
                for stored_name in result.files:  # only once the erasure is safely recorded
                    remove_stored(current_app.config["UPLOAD_DIR"], stored_name)
                flash(_("The expert's personal data is erased; their deployments are kept, anonymised."), "success")
                return redirect(url_for("experts.show", expert_id=expert.id))
    return render_template("privacy/erase.html", expert=expert, form=form, erased=erased)
