"""Pages of the roster, the expert's own portal, and the focal point's view of their state."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.access import roles_required, signed_in, staff_required
from ..accounts.models import Role
from ..core.errors import DomainError
from ..core.figures import remembered_page
from ..core.filters import list_query
from ..core.forms import ConfirmForm, options
from ..core.i18n import _, _l
from ..core.uploads import open_stored, remove_stored, store_form_upload
from ..core.web import attempt, int_arg, local_url, now, per_page_arg
from ..deployments.models import Deployment
from ..deployments.queries import booked_days_per_year, visible_deployments
from ..extensions import db
from ..reference.choices import country_choices, language_choices, theme_choices
from ..reference.models import Institution
from .filters import filter_form, to_filters
from .forms import CEFR_LEVELS, CVForm, ExpertForm, NominateForm, UnavailabilityForm
from .models import Expert, ExpertStatus, ExpertTheme, ExpertType, Gender, Unavailability
from .services import (
    EXPERT_STATUS,
    ExpertProfile,
    RosterFilters,
    add_unavailability,
    attach_cv,
    change_status,
    filtered_experts,
    get_expert,
    nominate_expert,
    remove_unavailability,
    renew_calendar_token,
    roster_visibility,
    update_expert,
)

bp = Blueprint("experts", __name__)

# What a change of an expert's status means for their work ("%(name)s" is the expert's name).
STATUS_DONE = {
    ExpertStatus.APPROVED: _l("%(name)s is approved: they can now be suggested and invited for activities."),
    ExpertStatus.ACTIVE: _l("%(name)s is active: they are suggested and can be invited for activities."),
    ExpertStatus.INACTIVE: _l("%(name)s is inactive: they are no longer suggested nor invited; their past work "
                              "stays on their page."),
}


def roster_query(filters: RosterFilters):
    """The experts the current user may see that match the filters, with what the list shows."""
    return filtered_experts(current_user, filters).options(
        selectinload(Expert.languages), selectinload(Expert.institution),
        selectinload(Expert.themes).selectinload(ExpertTheme.thematic_area))


@bp.get("/experts/")
@roles_required(Role.ADMIN, Role.OFFICER, Role.MS_FOCAL_POINT)
def index():
    form = filter_form(request.args)
    filters = to_filters(form.accepted())
    # The count and the page's ids are kept per data version for everyone who sees the same roster.
    key = ("experts", roster_visibility(current_user), filters)
    page = remembered_page(db.session, key, roster_query(filters), int_arg("page", 1), per_page_arg())
    return render_template("experts/index.html", form=form, page=page, query=list_query())


def _profile_choices(form: ExpertForm | NominateForm) -> None:
    countries = country_choices(db.session)
    form.nationality.choices = options(countries)
    form.country_code.choices = options(countries)
    form.countries_worked.choices = options(countries)
    institutions = db.session.execute(select(Institution.id, Institution.name, Institution.country_code)
                                      .order_by(Institution.name)).all()
    form.institution_id.choices = options(((i, f"{n} ({c})") for i, n, c in institutions), empty="—")


def _levels(form: ExpertForm | NominateForm) -> tuple[dict[str, str], dict[int, int]] | None:
    """Read the language and expertise rows; put a message on the form when one is unreadable."""
    languages, themes = {}, {}
    for code, _name in language_choices():
        value = request.form.get(f"lang_{code}", "")
        if value and value not in CEFR_LEVELS:
            form.form_errors.append(_("Not a CEFR level for %(language)s: %(value)s", language=code, value=value[:20]))
            return None
        if value:
            languages[code] = value
    for area_id, _name in theme_choices(db.session):
        value = request.form.get(f"theme_{area_id}", "")
        if value and value not in ("1", "2", "3"):
            form.form_errors.append(_("Expertise levels go from 1 to 3."))
            return None
        if value:
            themes[area_id] = int(value)
    return languages, themes


def _profile(form: ExpertForm | NominateForm, languages: dict[str, str], themes: dict[int, int]) -> ExpertProfile:
    return ExpertProfile(
        name=form.name.data.strip(), email=form.email.data.strip(), gender=Gender(form.gender.data),
        nationality=form.nationality.data, country_code=form.country_code.data, type=ExpertType(form.type.data),
        institution_id=form.institution_id.data, years_experience=form.years_experience.data,
        max_days_per_year=form.max_days_per_year.data, languages=languages, themes=themes,
        countries_worked=tuple(form.countries_worked.data or ()),
    )


def _render_profile_form(template: str, form, expert: Expert | None, languages: dict, themes: dict):
    return render_template(template, form=form, expert=expert, languages=language_choices(),
                           themes=theme_choices(db.session), levels=CEFR_LEVELS,
                           chosen_languages=languages, chosen_themes=themes)


@bp.route("/experts/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.OFFICER, Role.MS_FOCAL_POINT)
def new():
    form = NominateForm()
    _profile_choices(form)
    if request.method == "GET" and current_user.role is Role.MS_FOCAL_POINT:
        form.country_code.data = current_user.country_code
    levels = _levels(form) if request.method == "POST" else ({}, {})
    if form.validate_on_submit() and levels is not None:
        expert = attempt(lambda: nominate_expert(db.session, _profile(form, *levels), actor=current_user, now=now()),
                         form)
        if expert:
            db.session.commit()
            flash(_("%(name)s is nominated. Programme staff review the nomination; once approved, the expert can be "
                    "proposed for activities.", name=expert.name), "success")
            return redirect(url_for(".show", expert_id=expert.id))
    return _render_profile_form("experts/form.html", form, None, *(levels or ({}, {})))


@bp.get("/experts/<id:expert_id>")
@signed_in
def show(expert_id: int):
    expert = get_expert(db.session, current_user, expert_id)
    deployments = db.session.scalars(
        visible_deployments(current_user).where(Deployment.expert_id == expert.id)
        .options(selectinload(Deployment.activity)).order_by(Deployment.created_at.desc())
    ).all()
    return render_template("experts/show.html", expert=expert, deployments=deployments,
                           booked_days=booked_days_per_year(db.session, expert.id),
                           status_events=EXPERT_STATUS.events_from(expert.status) if current_user.is_staff else [],
                           status_labels=EXPERT_STATUS.labels, unavailability_form=UnavailabilityForm(),
                           cv_form=CVForm())


@bp.route("/experts/<id:expert_id>/edit", methods=["GET", "POST"])
@signed_in
def edit(expert_id: int):
    expert = get_expert(db.session, current_user, expert_id)
    form = ExpertForm(obj=expert)
    _profile_choices(form)
    if request.method == "GET":
        form.countries_worked.data = [c.code for c in expert.countries_worked]
        levels = ({lang.language: lang.level for lang in expert.languages},
                  {t.thematic_area_id: t.level for t in expert.themes})
    else:
        levels = _levels(form)
    if form.validate_on_submit() and levels is not None:
        if attempt(lambda: update_expert(db.session, expert, _profile(form, *levels), version=form.version.data,
                                         actor=current_user, now=now()), form):
            db.session.commit()
            flash(_("Profile saved."), "success")
            return redirect(url_for(".show", expert_id=expert.id))
    return _render_profile_form("experts/form.html", form, expert, *(levels or ({}, {})))


@bp.post("/experts/<id:expert_id>/status/<target>")
@staff_required
def set_status(expert_id: int, target: str):
    expert = get_expert(db.session, current_user, expert_id)
    if target not in ExpertStatus.__members__.values():
        abort(404)
    if ConfirmForm().validate_on_submit() and attempt(
            lambda: change_status(db.session, expert, ExpertStatus(target), actor=current_user, now=now())):
        db.session.commit()
        flash(str(STATUS_DONE[expert.status]) % {"name": expert.name}, "success")
    return redirect(url_for(".show", expert_id=expert.id))


@bp.post("/experts/<id:expert_id>/unavailability")
@signed_in
def add_unavailable(expert_id: int):
    expert = get_expert(db.session, current_user, expert_id)
    form = UnavailabilityForm()
    if form.validate_on_submit():
        if attempt(lambda: add_unavailability(db.session, expert, form.start_date.data, form.end_date.data,
                                              form.reason.data, actor=current_user)):
            db.session.commit()
            flash(_("Unavailable period added: no mission is proposed on those days."), "success")
    else:
        flash("; ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
    return redirect(local_url(request.form.get("next"), url_for(".show", expert_id=expert.id)))


@bp.post("/unavailability/<id:period_id>/delete")
@signed_in
def remove_unavailable(period_id: int):
    period = db.session.get(Unavailability, period_id)
    if period is None:
        abort(404)
    expert = get_expert(db.session, current_user, period.expert_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: remove_unavailability(db.session, period,
                                                                                  actor=current_user)):
        db.session.commit()
        flash(_("Unavailable period removed."), "success")
    return redirect(url_for(".show", expert_id=expert.id))


@bp.post("/experts/<id:expert_id>/calendar-token")
@signed_in
def calendar_token(expert_id: int):
    """A new secret calendar URL (the old one stops working)."""
    expert = get_expert(db.session, current_user, expert_id)
    if not (current_user.is_staff or expert.user_id == current_user.id):
        abort(403)
    if ConfirmForm().validate_on_submit():
        renew_calendar_token(expert)
        db.session.commit()
        flash(_("A new calendar address is ready; the old one no longer works."), "success")
    return redirect(url_for("deployments.assignments") if current_user.role is Role.EXPERT else url_for(".show", expert_id=expert.id))


@bp.post("/experts/<id:expert_id>/cv")
@signed_in
def upload_cv(expert_id: int):
    expert = get_expert(db.session, current_user, expert_id)
    form = CVForm()
    upload_dir = current_app.config["UPLOAD_DIR"]
    if not form.validate_on_submit():
        flash(_("The form expired; try again."), "danger")
        return redirect(url_for(".show", expert_id=expert.id))
    try:
        stored = store_form_upload(form.file.data, upload_dir, current_app.config["UPLOAD_MAX_BYTES"])
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for(".show", expert_id=expert.id))
    if stored is None:
        flash(_("Choose the file to upload."), "danger")
        return redirect(url_for(".show", expert_id=expert.id))
    try:
        previous = attach_cv(db.session, expert, stored.stored_name, form.file.data.filename, stored.content_type,
                             actor=current_user, now=now())
    except DomainError as error:
        db.session.rollback()
        remove_stored(upload_dir, stored.stored_name)
        flash(error.message, "danger")
    else:
        db.session.commit()
        if previous:
            remove_stored(upload_dir, previous)  # only once the new one is safely recorded
        flash(_("CV uploaded."), "success")
    return redirect(url_for(".show", expert_id=expert.id))


@bp.get("/experts/<id:expert_id>/cv")
@signed_in
def download_cv(expert_id: int):
    expert = get_expert(db.session, current_user, expert_id)
    if not expert.cv_stored_name:
        abort(404)
    return send_file(open_stored(current_app.config["UPLOAD_DIR"], expert.cv_stored_name),
                     mimetype=expert.cv_content_type, as_attachment=True,
                     download_name=expert.cv_file_name or "cv")
