from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional


class SignInForm(FlaskForm):
    email = EmailField("E-mail", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=500)])
    remember = BooleanField("Keep me signed in on this computer")


class PreferencesForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=200)])
    locale = SelectField("Language of dates and country names", validators=[Optional()])
    timezone = SelectField("Time zone", validators=[InputRequired()])


class TokenForm(FlaskForm):
    name = StringField("What is the token for?", validators=[DataRequired(), Length(max=100)])
