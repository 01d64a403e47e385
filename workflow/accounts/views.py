"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..api.models import ApiToken
from ..api.tokens import create_token, revoke_token
from ..core.forms import ConfirmForm, options
from ..core.i18n import _, _l
from ..core.web import attempt, local_url, now
from ..extensions import db
from .access import signed_in
from .forms import PreferencesForm, SignInForm, TokenForm
from .services import authenticate, timezones, update_preferences

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("That e-mail and password do not match an active account."))
        else:
            login_user(user, remember=form.remember.data)
            return redirect(local_url(request.args.get("next"), url_for("main.home")))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    """Name, language and time zone: how the pages show dates and country names to this user."""
    form = PreferencesForm(obj=current_user)
    # Each language is named in itself, as a language switcher names it.
    form.locale.choices = options([("en", "English"), ("es", "Español"), ("fr", "Français")],
                                  empty=_l("As my browser asks"))
    form.timezone.choices = options((zone, zone.replace("_", " ")) for zone in ["UTC", *timezones()])
    if form.validate_on_submit():
        saved = attempt(lambda: update_preferences(db.session, current_user, name=form.name.data,
                                                   locale=form.locale.data or None, timezone=form.timezone.data), form)
        if saved:
            db.session.commit()
            session.pop("lang", None)  # the language just chosen wins over one picked with the switcher
            flash(_("Preferences saved."), "success")
            return redirect(url_for(".account"))
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id)
                                .order_by(ApiToken.created_at.desc())).all()
    return render_template("accounts/account.html", form=form, tokens=tokens, token_form=TokenForm(),
                           new_token=session.pop("new_token", None))


@bp.post("/account/tokens")
@signed_in
def create_api_token():
    """A new personal access token, shown once on the next page."""
    form = TokenForm()
    if form.validate_on_submit():
        created = attempt(lambda: create_token(db.session, current_user, form.name.data, now=now()))
        if created:
            db.session.commit()
            session["new_token"] = created[1]
    else:
        flash("; ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
    return redirect(url_for(".account") + "#tokens")


@bp.post("/account/tokens/<id:token_id>/revoke")
@signed_in
def revoke_api_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        revoke_token(db.session, token, actor=current_user, now=now())
        db.session.commit()
        flash(_("The token “%(name)s” is revoked; it no longer works.", name=token.name), "success")
    return redirect(url_for(".account") + "#tokens")
