"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ..core.forms import options
from ..core.web import attempt, local_url
from ..extensions import db
from .access import signed_in
from .forms import PreferencesForm, SignInForm
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
            form.form_errors.append("That e-mail and password do not match an active account.")
        else:
            login_user(user, remember=form.remember.data)
            return redirect(local_url(request.args.get("next"), url_for("main.home")))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    """Name, language and time zone: how the pages show dates and country names to this user."""
    form = PreferencesForm(obj=current_user)
    form.locale.choices = options([("en", "English"), ("es", "Español"), ("fr", "Français")], empty="As my browser asks")
    form.timezone.choices = options((zone, zone.replace("_", " ")) for zone in ["UTC", *timezones()])
    if form.validate_on_submit():
        saved = attempt(lambda: update_preferences(db.session, current_user, name=form.name.data,
                                                   locale=form.locale.data or None, timezone=form.timezone.data), form)
        if saved:
            db.session.commit()
            flash("Preferences saved.", "success")
            return redirect(url_for(".account"))
    return render_template("accounts/account.html", form=form)
