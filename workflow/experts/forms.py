from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    ValidationError,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..core.forms import EditForm, enum_options
from .models import CEFR_LEVELS, ExpertStatus, ExpertType, Gender

LEVEL_CHOICES = [("", "—"), *((lvl, lvl) for lvl in CEFR_LEVELS)]
EXPERTISE_CHOICES = [("", "—"), ("1", "1 (some)"), ("2", "2 (solid)"), ("3", "3 (leading)")]


class RosterFilterForm(FlaskForm):
    class Meta:
        csrf = False

    theme = SelectField("Thematic area", validators=[Optional()])
    language = SelectField("Working language", validators=[Optional()])
    country = SelectField("Member state / country", validators=[Optional()])
    type = SelectField("Type", choices=enum_options(ExpertType, empty="Any type"), validators=[Optional()])
    status = SelectField("Status", choices=enum_options(ExpertStatus, empty="Any status"), validators=[Optional()])
    free_from = DateField("Available from", validators=[Optional()])
    free_to = DateField("to", validators=[Optional()])
    q = StringField("Name or institution", validators=[Optional(), Length(max=100)])

    def validate_free_to(self, field: DateField) -> None:
        if field.data and self.free_from.data and field.data < self.free_from.data:
            raise ValidationError("The end of the range is before its start.")


class ProfileFields:
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    gender = SelectField("Gender", choices=enum_options(Gender), validators=[InputRequired()])
    nationality = SelectField("Nationality", validators=[InputRequired()])
    country_code = SelectField("Administration of (country)", validators=[InputRequired()])
    type = SelectField("Type", choices=enum_options(ExpertType), validators=[InputRequired()])
    institution_id = SelectField("Employer", coerce=lambda v: int(v) if v not in (None, "", "None") else None,
                                 validators=[Optional()])
    years_experience = IntegerField("Years of experience", default=0, validators=[InputRequired(), NumberRange(0, 80)])
    max_days_per_year = IntegerField("Maximum deployment days per year", default=60,
                                     validators=[InputRequired(), NumberRange(0, 366)])
    countries_worked = SelectMultipleField("Countries worked in", validators=[Optional()])


class ExpertForm(EditForm, ProfileFields):
    """Edit; the language and expertise rows are added per language and theme by the view."""


class NominateForm(FlaskForm, ProfileFields):
    pass


class UnavailabilityForm(FlaskForm):
    start_date = DateField("From", validators=[InputRequired()])
    end_date = DateField("To", validators=[InputRequired()])
    reason = StringField("Reason (optional)", validators=[Optional(), Length(max=200)])

    def validate_end_date(self, field: DateField) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("The end date is before the start date.")


class CVForm(FlaskForm):
    file = FileField("CV (PDF, DOCX or ODT, at most 20 MB)")
