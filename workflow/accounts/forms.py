from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.i18n import _l


class SignInForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=500)])
    remember = BooleanField(_l("Keep me signed in on this computer"))


class PreferencesForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    locale = SelectField(_l("Language of the pages, dates and e-mails"), validators=[Optional()])
    timezone = SelectField(_l("Time zone"), validators=[InputRequired()])


class TokenForm(FlaskForm):
    name = StringField(_l("What is the token for?"), validators=[DataRequired(), Length(max=100)])
