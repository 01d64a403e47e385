from __future__ import annotations

from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, ValidationError

from ..core.forms import BaseForm
from ..core.i18n import _l
from .passwords import MAX_LENGTH, password_problem


class SignInForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    # Longer than any password the policy accepts, so that such a typing answers "do not match" too.
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=MAX_LENGTH + 1)])


def _acceptable(_form: BaseForm, field: PasswordField) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class ConfirmPasswordForm(BaseForm):
    """The password again, before a sensitive action."""

    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=MAX_LENGTH + 1)])


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired(),
                                                                          Length(max=MAX_LENGTH + 1)])
    new_password = PasswordField(_l("New password"), validators=[InputRequired(), _acceptable])
    confirm = PasswordField(_l("New password again"), validators=[
        InputRequired(), EqualTo("new_password", message=_l("The two new passwords differ."))])


class ResetRequestForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])


class ResetPasswordForm(BaseForm):
    password = PasswordField(_l("New password"), validators=[InputRequired(), _acceptable])
    confirm = PasswordField(_l("New password again"), validators=[
        InputRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class PreferencesForm(BaseForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    locale = SelectField(_l("Language of the pages, dates and e-mails"), validators=[Optional()])
    timezone = SelectField(_l("Time zone"), validators=[InputRequired()])


class TokenForm(BaseForm):
    name = StringField(_l("What is the token for?"), validators=[DataRequired(), Length(max=100)])


class RoleForm(BaseForm):
    """An admin gives a user another role; a requester needs an institution, a focal point a country."""

    role = SelectField(_l("Role"), validators=[InputRequired()])
    institution_id = SelectField(_l("Institution (for a requester)"), validators=[Optional()])
    country_code = SelectField(_l("Member state (for a focal point)"), validators=[Optional()])
