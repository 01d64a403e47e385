from __future__ import annotations

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

from ..core.forms import BaseForm, EditForm, enum_options
from ..core.i18n import _, _l
from .models import CEFR_LEVELS, ExpertType, Gender

LEVEL_CHOICES = [("", "—"), *((lvl, lvl) for lvl in CEFR_LEVELS)]
EXPERTISE_CHOICES = [("", "—"), ("1", _l("1 (some)")), ("2", _l("2 (solid)")), ("3", _l("3 (leading)"))]


class ProfileFields:
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    gender = SelectField(_l("Gender"), choices=enum_options(Gender), validators=[InputRequired()])
    nationality = SelectField(_l("Nationality"), validators=[InputRequired()])
    country_code = SelectField(_l("Administration of (country)"), validators=[InputRequired()])
    type = SelectField(_l("Type"), choices=enum_options(ExpertType), validators=[InputRequired()])
    institution_id = SelectField(_l("Employer"), coerce=lambda v: int(v) if v not in (None, "", "None") else None,
                                 validators=[Optional()])
    years_experience = IntegerField(_l("Years of experience"), default=0, validators=[InputRequired(), NumberRange(0, 80)])
    max_days_per_year = IntegerField(_l("Maximum deployment days per year"), default=60,
                                     validators=[InputRequired(), NumberRange(0, 366)])
    countries_worked = SelectMultipleField(_l("Countries worked in"), validators=[Optional()])


class ExpertForm(EditForm, ProfileFields):
    """Edit; the language and expertise rows are added per language and theme by the view."""


class NominateForm(BaseForm, ProfileFields):
    pass


class UnavailabilityForm(BaseForm):
    start_date = DateField(_l("From"), validators=[InputRequired()])
    end_date = DateField(_l("To"), validators=[InputRequired()])
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=200)])

    def validate_end_date(self, field: DateField) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_("The end date is before the start date."))


class CVForm(BaseForm):
    file = FileField(_l("CV (PDF, DOCX or ODT, at most 20 MB)"))
