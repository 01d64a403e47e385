"""Signing in and out, confirming the password, resetting it, the account page and the admins' users pages."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import ApiToken
from ..core.errors import DomainError
from ..core.forms import ConfirmForm, enum_options, options
from ..core.i18n import _, _l
from ..core.labels import label
from ..core.search import matches
from ..core.signals import record_security_event
from ..core.web import attach_error, attempt, int_arg, local_url, now, paginate, per_page_arg
from ..extensions import db
from ..mail.mailer import mailer_from_config
from ..reference.choices import locale_code
from ..reference.models import Country, Institution
from ..reference.services import country_name
from .access import admin_required, recent_login_required, signed_in
from .forms import (
    ChangePasswordForm,
    ConfirmPasswordForm,
    PreferencesForm,
    ResetPasswordForm,
    ResetRequestForm,
    RoleForm,
    SignInForm,
    TokenForm,
)
from .models import Role, User
from .resets import (
    ResetLinkInvalid,
    ResetRequested,
    request_password_reset,
    reset_mail,
    reset_password,
    send_later,
    valid_reset,
)
from .services import (
    TooManyAttempts,
    change_password,
    change_role,
    confirm_password,
    set_active,
    sign_in,
    sign_out_everywhere,
    timezones,
    update_preferences,
)
from .sessions import begin_session, confirm_password_entry, end_session, ended_notice
from .throttle import Limit, failure_store
from .tokens import create_token, revoke_token

bp = Blueprint("accounts", __name__)
log = logging.getLogger(__name__)


def _sign_in_limit() -> Limit:
    return Limit(current_app.config["LOGIN_THROTTLE_LIMIT"], current_app.config["LOGIN_THROTTLE_WINDOW"])


def _too_many(template: str, error: TooManyAttempts, **context: object):
    """The form again, answering 429 with the wait in Retry-After; the refusal is recorded first."""
    db.session.commit()
    response = current_app.make_response((render_template(template, throttled=error.message, **context), 429))
    response.headers["Retry-After"] = str(error.retry_after)
    return response


# --- Signing in and out -----------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = sign_in(db.session, form.email.data, form.password.data, now=now(), ip=request.remote_addr,
                           failures=failure_store(db.session), limit=_sign_in_limit())
        except TooManyAttempts as error:
            return _too_many("accounts/login.html", error, form=form)
        except DomainError as error:
            db.session.commit()  # the failure counts, and is in the audit trail
            form.form_errors.append(error.message)
        else:
            begin_session(user, now())
            db.session.commit()
            return redirect(local_url(request.args.get("next"), url_for("main.home")))
    return render_template("accounts/login.html", form=form, notice=ended_notice())


@bp.post("/logout")
def logout():
    """Sign out here and everywhere else: every session of the user, and any copy of its cookie, ends."""
    if current_user.is_authenticated:
        sign_out_everywhere(db.session, current_user, now=now(), ip=request.remote_addr)
        db.session.commit()
    end_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/confirm", methods=["GET", "POST"])
@signed_in
def reauthenticate():
    """The password again before a sensitive action; then back to where the reader was."""
    form = ConfirmPasswordForm()
    target = local_url(request.args.get("next"), url_for("main.home"))
    if form.validate_on_submit():
        try:
            confirm_password(db.session, current_user, form.password.data, now=now(), ip=request.remote_addr,
                             failures=failure_store(db.session), limit=_sign_in_limit())
        except TooManyAttempts as error:
            return _too_many("accounts/reauthenticate.html", error, form=form, target=target)
        except DomainError as error:
            db.session.commit()
            attach_error(form, error)
        else:
            confirm_password_entry(now())
            db.session.commit()
            return redirect(target)
    return render_template("accounts/reauthenticate.html", form=form, target=target)


# --- Forgotten passwords ----------------------------------------------------------------------


def _send(requested: ResetRequested) -> None:
    """Send the link once the request is committed; the reader is told the same whatever happens to it."""
    mailer = mailer_from_config(current_app.config)
    if mailer.transport == "outbox":
        log.warning("No SMTP_HOST configured: a password-reset e-mail was not sent")
        return
    link = current_app.config["PEERFLOW_BASE_URL"] + url_for(".reset_password_page", token=requested.token)
    send_later(mailer, reset_mail(requested, link))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether an account exists or not."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        lifetime = current_app.config["PASSWORD_RESET_LIFETIME"]
        try:
            requested = request_password_reset(
                db.session, form.email.data, now=now(), lifetime=lifetime, ip=request.remote_addr,
                failures=failure_store(db.session), limit=Limit(current_app.config["LOGIN_THROTTLE_LIMIT"], lifetime))
        except TooManyAttempts as error:
            return _too_many("accounts/forgot_password.html", error, form=form)
        db.session.commit()
        if requested is not None:
            _send(requested)
        flash(_("If an account exists for that e-mail, we have sent it a link to choose a new password. "
                "The link works once, within %(minutes)s minutes.", minutes=int(lifetime.total_seconds() // 60)),
              "info")
        return redirect(url_for(".login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password_page(token: str):
    """The link from the e-mail: choose a new password; every session of the account ends."""
    if valid_reset(db.session, token, now=now()) is None:
        return render_template("accounts/reset_invalid.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(db.session, token, form.password.data, now=now(), ip=request.remote_addr,
                           failures=failure_store(db.session))
        except ResetLinkInvalid:
            db.session.rollback()
            return render_template("accounts/reset_invalid.html"), 410
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            end_session()  # whoever was signed in on this browser
            flash(_("Your password is changed and every session of your account has ended. Sign in with the "
                    "new password."), "success")
            return redirect(url_for(".login"))
    return render_template("accounts/reset_password.html", form=form, token=token)


# --- The account page -------------------------------------------------------------------------


def _preferences_form(formdata: bool = True) -> PreferencesForm:
    form = PreferencesForm(obj=current_user) if formdata else PreferencesForm(obj=current_user, formdata=None)
    # Each language is named in itself, as a language switcher names it.
    form.locale.choices = options([("en", "English"), ("es", "Español"), ("fr", "Français")],
                                  empty=_l("As my browser asks"))
    form.timezone.choices = options((zone, zone.replace("_", " ")) for zone in ["UTC", *timezones()])
    return form


def _account_page(form: PreferencesForm | None = None, password_form: ChangePasswordForm | None = None,
                  status: int = 200):
    form = form or _preferences_form(formdata=False)
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id)
                                .order_by(ApiToken.created_at.desc())).all()
    return render_template("accounts/account.html", form=form, tokens=tokens, token_form=TokenForm(),
                           password_form=password_form or ChangePasswordForm(formdata=None),
                           new_token=session.pop("new_token", None)), status


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    """Name, language and time zone: how the pages show dates and country names to this user."""
    form = _preferences_form()
    if form.validate_on_submit():
        saved = attempt(lambda: update_preferences(db.session, current_user, name=form.name.data,
                                                   locale=form.locale.data or None, timezone=form.timezone.data), form)
        if saved:
            db.session.commit()
            session.pop("lang", None)  # the language just chosen wins over one picked with the switcher
            flash(_("Preferences saved."), "success")
            return redirect(url_for(".account"))
    return _account_page(form)


@bp.post("/account/password")
@signed_in
def change_own_password():
    """A new password: this browser stays signed in, every other session ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(db.session, user, current=form.current_password.data, new=form.new_password.data,
                            now=now(), ip=request.remote_addr, failures=failure_store(db.session),
                            limit=_sign_in_limit())
        except TooManyAttempts as error:
            db.session.commit()
            form.form_errors.append(error.message)
            return _account_page(password_form=form, status=429)
        except DomainError as error:
            if error.field == "current_password":
                db.session.commit()  # the failure counts towards throttling, and is in the audit trail
            else:
                db.session.rollback()
            attach_error(form, error)
        else:
            begin_session(user, now())  # a new session here, holding the new token
            db.session.commit()
            flash(_("Your password is changed. You are still signed in here; every other session has ended."),
                  "success")
            return redirect(url_for(".account") + "#password")
    return _account_page(password_form=form)


@bp.post("/account/tokens")
@signed_in
@recent_login_required
def create_api_token():
    """A new personal access token, shown once on the next page."""
    form = TokenForm()
    if form.validate_on_submit():
        created = attempt(lambda: create_token(db.session, current_user, form.name.data, now=now()))
        if created:
            token, plain = created
            record_security_event(db.session, "token_created", now=now(), user=current_user,
                           detail={"token_id": token.id, "token_name": token.name, "token_prefix": token.prefix})
            db.session.commit()
            session["new_token"] = plain
    else:
        flash("; ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
    return redirect(url_for(".account") + "#tokens")


@bp.post("/account/tokens/<id:token_id>/revoke")
@signed_in
@recent_login_required
def revoke_api_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        revoke_token(db.session, token, actor=current_user, now=now())
        record_security_event(db.session, "token_revoked", now=now(), user=current_user,
                       detail={"token_id": token.id, "token_name": token.name, "token_prefix": token.prefix})
        db.session.commit()
        flash(_("The token “%(name)s” is revoked; it no longer works.", name=token.name), "success")
    return redirect(url_for(".account") + "#tokens")


# --- Admins: users and roles ------------------------------------------------------------------


@bp.get("/admin/users")
@admin_required
def users():
    q = (request.args.get("q") or "").strip()[:200]
    stmt = select(User).options(selectinload(User.institution)).order_by(func.lower(User.name), User.id)
    if q:
        stmt = stmt.where(matches(q, User.search_key))
    page = paginate(db.session, stmt, int_arg("page", 1), per_page_arg())
    return render_template("accounts/users.html", page=page, q=q)


def _role_form(user: User) -> RoleForm:
    form = RoleForm(data={"role": user.role.value, "institution_id": str(user.institution_id or ""),
                          "country_code": user.country_code or ""}) if request.method == "GET" else RoleForm()
    form.role.choices = enum_options(Role)
    institutions = db.session.execute(select(Institution.id, Institution.name, Institution.country_code)
                                      .order_by(Institution.name)).all()
    form.institution_id.choices = options(((str(i), f"{name} ({code})") for i, name, code in institutions),
                                          empty=_("None"))
    loc = locale_code()
    members = sorted(((code, country_name(code, loc)) for code in
                      db.session.scalars(select(Country.code).where(Country.is_eu_member))), key=lambda p: p[1])
    form.country_code.choices = options(members, empty=_("None"))
    return form


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/admin/users/<id:user_id>")
@admin_required
def user_page(user_id: int):
    user = _user_or_404(user_id)
    return render_template("accounts/user.html", user=user, form=_role_form(user), toggle=ConfirmForm())


@bp.post("/admin/users/<id:user_id>/role")
@admin_required
@recent_login_required
def change_user_role(user_id: int):
    user = _user_or_404(user_id)
    form = _role_form(user)
    if form.validate_on_submit():
        institution = form.institution_id.data
        changed = attempt(lambda: change_role(
            db.session, user, role=Role(form.role.data), actor=current_user, now=now(),
            institution_id=int(institution) if institution and institution.isdigit() else None,
            country_code=form.country_code.data or None), form)
        if changed:
            db.session.commit()
            flash(_("%(name)s is now %(role)s.", name=user.name, role=label(user.role)), "success")
            return redirect(url_for(".user_page", user_id=user.id))
    return render_template("accounts/user.html", user=user, form=form, toggle=ConfirmForm())


@bp.post("/admin/users/<id:user_id>/active")
@admin_required
@recent_login_required
def set_user_active(user_id: int):
    """Disable an account (its sessions end at once) or enable it again."""
    user = _user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        enable = request.form.get("active") == "1"
        done = attempt(lambda: set_active(db.session, user, enable, actor=current_user, now=now()))
        if done:
            db.session.commit()
            flash(_("%(name)s can sign in again.", name=user.name) if enable else
                  _("%(name)s is disabled: every session has ended and API tokens stop working.", name=user.name),
                  "success")
    return redirect(url_for(".user_page", user_id=user.id))
