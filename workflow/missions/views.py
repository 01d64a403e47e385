"""Pages of a mission: logistics and checklist, the letters as PDFs, the expert's expense claims."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from ..accounts.access import signed_in, staff_required
from ..activities.models import Activity
from ..core.errors import DomainError
from ..core.forms import options
from ..core.i18n import _
from ..core.uploads import RECEIPTS, open_stored, remove_stored, store_form_upload
from ..core.web import attempt, now
from ..deployments.models import Deployment
from ..deployments.queries import get_deployment
from ..extensions import db
from ..reference.choices import country_choices
from . import letters
from .forms import (
    AcceptLetterForm,
    ChecklistItemForm,
    ClaimEventForm,
    ClaimItemForm,
    LogisticsForm,
    PaperForm,
)
from .lifecycle import CLAIM_LIFECYCLE, ClaimEvent
from .models import ChecklistItem, ClaimItem, ExpenseClaim
from .permissions import MissionPermissions, claim_events, may_edit_claim, mission_permissions
from .services import (
    ItemDraft,
    LogisticsDraft,
    add_checklist_item,
    add_claim_item,
    apply_claim_event,
    claims_of,
    logistics_of,
    remove_claim_item,
    save_logistics,
    set_item_done,
    start_claim,
)

bp = Blueprint("missions", __name__)


def _mission(deployment_id: int) -> tuple[Deployment, MissionPermissions]:
    """The deployment, if this user may see its mission at all (404 otherwise: no hint it exists)."""
    deployment = get_deployment(db.session, current_user, deployment_id)
    can = mission_permissions(deployment, current_user)
    if not can.see:
        abort(404)
    return deployment, can


def _page(deployment: Deployment, can: MissionPermissions, *, logistics_form=None, item_form=None, status=200):
    logistics = logistics_of(db.session, deployment)
    if logistics_form is None:
        logistics_form = LogisticsForm(obj=logistics) if logistics else LogisticsForm()
    letter = letters.assignment_letter(db.session, deployment) if can.letters else None
    accepted = letters.accepted_versions(db.session, deployment) if can.letters else []
    checklist = db.session.query(ChecklistItem).filter_by(deployment_id=deployment.id).order_by(ChecklistItem.id).all()
    return render_template(
        "missions/show.html", deployment=deployment, activity=deployment.activity, can=can, logistics=logistics,
        logistics_form=logistics_form, item_form=item_form or ChecklistItemForm(), checklist=checklist,
        letter=letter, accepted=accepted, current_acceptance=next((a for a in accepted if letter and
                                                                   a.version == letter.version), None),
        accept_form=AcceptLetterForm(version=letter.version if letter else ""),
        needs_invitation=letters.needs_invitation(deployment.expert),
        claims=claims_of(db.session, deployment) if can.claims else [], start_form=ClaimEventForm(),
    ), status


@bp.get("/deployments/<id:deployment_id>/mission")
@signed_in
def show(deployment_id: int):
    return _page(*_mission(deployment_id))


@bp.post("/deployments/<id:deployment_id>/mission/logistics")
@signed_in
def logistics(deployment_id: int):
    deployment, can = _mission(deployment_id)
    form = LogisticsForm()
    if form.validate_on_submit():
        draft = LogisticsDraft(**{name: form[name].data for name in LogisticsDraft.__dataclass_fields__})
        if attempt(lambda: save_logistics(db.session, deployment, draft, actor=current_user, now=now()), form):
            db.session.commit()
            flash(_("Mission logistics saved."), "success")
            return redirect(url_for(".show", deployment_id=deployment.id))
    return _page(deployment, can, logistics_form=form, status=422)


@bp.post("/deployments/<id:deployment_id>/mission/checklist")
@signed_in
def checklist(deployment_id: int):
    deployment, can = _mission(deployment_id)
    form = ChecklistItemForm()
    if form.validate_on_submit() and attempt(lambda: add_checklist_item(
            db.session, deployment, form.text.data, actor=current_user, now=now()), form):
        db.session.commit()
        flash(_("Added to the checklist: it shows as a to-do until it is ticked off."), "success")
        return redirect(url_for(".show", deployment_id=deployment.id) + "#checklist")
    return _page(deployment, can, item_form=form, status=422)


@bp.post("/deployments/<id:deployment_id>/mission/checklist/<id:item_id>")
@signed_in
def tick(deployment_id: int, item_id: int):
    deployment, _can = _mission(deployment_id)
    item = db.session.get(ChecklistItem, item_id)
    if item is None or item.deployment_id != deployment.id:
        abort(404)
    form = ClaimEventForm()
    done = request.form.get("done") == "1"
    if form.validate_on_submit() and attempt(lambda: set_item_done(db.session, item, deployment, done,
                                                                   actor=current_user, now=now())):
        db.session.commit()
    return redirect(url_for(".show", deployment_id=deployment.id) + "#checklist")


@bp.get("/deployments/<id:deployment_id>/letters/<kind>.pdf")
@signed_in
def letter(deployment_id: int, kind: str):
    """The letter of assignment or the visa invitation letter, as a PDF in the expert's language."""
    deployment, can = _mission(deployment_id)
    if not can.letters or kind not in ("assignment", "invitation"):
        abort(404)
    made = (letters.assignment_letter(db.session, deployment) if kind == "assignment"
            else letters.invitation_letter(deployment, today=now().date()))
    return _pdf(letters.pdf(made), f"{kind}-{deployment.id}-{made.language}.pdf")


def _pdf(content: bytes, name: str):
    import io  # noqa: PLC0415

    return send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=False, download_name=name)


@bp.post("/deployments/<id:deployment_id>/letters/assignment/accept")
@signed_in
def accept_letter(deployment_id: int):
    deployment, can = _mission(deployment_id)
    form = AcceptLetterForm()
    if form.validate_on_submit() and attempt(lambda: letters.accept_letter(
            db.session, deployment, form.version.data, actor=current_user, now=now())):
        db.session.commit()
        flash(_("You accepted the letter of assignment."), "success")
    return redirect(url_for(".show", deployment_id=deployment.id) + "#letters")


@bp.post("/deployments/<id:deployment_id>/claims")
@signed_in
def new_claim(deployment_id: int):
    deployment, _can = _mission(deployment_id)
    form = ClaimEventForm()
    if form.validate_on_submit() and (claim := attempt(lambda: start_claim(db.session, deployment,
                                                                            actor=current_user, now=now()))):
        db.session.commit()
        return redirect(url_for(".claim", claim_id=claim.id))
    return redirect(url_for(".show", deployment_id=deployment.id) + "#claims")


def _claim(claim_id: int) -> ExpenseClaim:
    claim = db.session.get(ExpenseClaim, claim_id)
    if claim is None:
        abort(404)
    _deployment, can = _mission(claim.deployment_id)
    if not can.claims:
        abort(404)
    return claim


def _claim_page(claim: ExpenseClaim, item_form: ClaimItemForm | None = None, status: int = 200):
    return render_template("missions/claim.html", claim=claim, deployment=claim.deployment,
                           activity=claim.deployment.activity, item_form=item_form or ClaimItemForm(),
                           editable=may_edit_claim(claim, current_user), events=claim_events(claim, current_user),
                           labels=CLAIM_LIFECYCLE.labels, event_form=ClaimEventForm()), status


@bp.get("/claims/<id:claim_id>")
@signed_in
def claim(claim_id: int):
    return _claim_page(_claim(claim_id))


@bp.post("/claims/<id:claim_id>/items")
@signed_in
def add_item(claim_id: int):
    """An expense with its receipt (typed from its content: PDF, JPEG or PNG)."""
    claim = _claim(claim_id)
    form = ClaimItemForm()
    if not form.validate_on_submit():
        return _claim_page(claim, form, 422)
    upload_dir = current_app.config["UPLOAD_DIR"]
    stored = None
    try:
        stored = store_form_upload(form.file.data, upload_dir, current_app.config["UPLOAD_MAX_BYTES"], RECEIPTS)
        add_claim_item(db.session, claim, ItemDraft(description=form.description.data, amount=form.amount.data,
                                                    currency=form.currency.data, rate=form.rate.data,
                                                    spent_on=form.spent_on.data, category=form.category.data),
                       actor=current_user, now=now(), receipt=stored,
                       receipt_name=form.file.data.filename if stored else None)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        if stored:
            remove_stored(upload_dir, stored.stored_name)
        form[error.field].errors.append(error.message) if error.field in form else form.form_errors.append(error.message)
        return _claim_page(claim, form, 422)
    flash(_("Expense added to the claim."), "success")
    return redirect(url_for(".claim", claim_id=claim.id))


@bp.post("/claims/<id:claim_id>/items/<id:item_id>/remove")
@signed_in
def remove_item(claim_id: int, item_id: int):
    claim = _claim(claim_id)
    item = db.session.get(ClaimItem, item_id)
    if item is None or item.claim_id != claim.id:
        abort(404)
    form = ClaimEventForm()
    if form.validate_on_submit() and (done := attempt(lambda: remove_claim_item(
            db.session, claim, item, actor=current_user, now=now()) or "")) is not None:
        db.session.commit()
        if done:
            remove_stored(current_app.config["UPLOAD_DIR"], done)
        flash(_("Expense removed from the claim."), "success")
    return redirect(url_for(".claim", claim_id=claim.id))


@bp.post("/claims/<id:claim_id>/events/<event>")
@signed_in
def claim_event(claim_id: int, event: str):
    claim = _claim(claim_id)
    if event not in ClaimEvent.__members__.values():
        abort(404)
    form = ClaimEventForm()
    if form.validate_on_submit() and attempt(lambda: apply_claim_event(
            db.session, claim, ClaimEvent(event), actor=current_user, now=now(), reason=form.reason.data)):
        db.session.commit()
        flash({ClaimEvent.SUBMIT: _("Claim submitted: the programme team is notified."),
               ClaimEvent.RETURN: _("Claim returned to the expert with your reason."),
               ClaimEvent.APPROVE: _("Claim approved: its amounts are now actual costs of the activity.")}
              [ClaimEvent(event)], "success")
    return redirect(url_for(".claim", claim_id=claim.id))


@bp.get("/claims/<id:claim_id>/items/<id:item_id>/receipt")
@signed_in
def receipt(claim_id: int, item_id: int):
    claim = _claim(claim_id)
    item = db.session.get(ClaimItem, item_id)
    if item is None or item.claim_id != claim.id or not item.receipt_stored_name:
        abort(404)
    return send_file(open_stored(current_app.config["UPLOAD_DIR"], item.receipt_stored_name),
                     mimetype=item.receipt_content_type, as_attachment=True,
                     download_name=item.receipt_file_name or "receipt")


@bp.get("/activities/<id:activity_id>/papers")
@staff_required
def papers(activity_id: int):
    """Staff make a certificate of attendance or a visa invitation letter for a named participant."""
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        abort(404)
    form = PaperForm(request.args, meta={"csrf": False})
    form.nationality.choices = options(country_choices(db.session), empty="—")
    kind = request.args.get("kind")
    if kind in ("certificate", "invitation") and form.validate():
        today = now().date()
        made = (letters.certificate(activity, name=form.name.data, institution=form.institution.data,
                                    language=form.language.data) if kind == "certificate" else
                letters.participant_invitation(activity, name=form.name.data, nationality=form.nationality.data or "",
                                               language=form.language.data, today=today))
        return _pdf(letters.pdf(made), f"{kind}-{activity.id}-{form.language.data}.pdf")
    return render_template("missions/papers.html", activity=activity, form=form,
                           submitted=kind is not None), 422 if kind else 200
