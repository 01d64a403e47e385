from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..core.forms import LONG_TEXT, EditForm, long_text


class SuggestionFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form

    country = SelectField("Administration of", validators=[Optional()])
    type = SelectField("Type", validators=[Optional()])
    gender = SelectField("Gender", validators=[Optional()])
    q = StringField("Name", validators=[Optional(), Length(max=100)])


class InviteForm(FlaskForm):
    expert_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    working_days = IntegerField("Working days", validators=[Optional(), NumberRange(min=1, max=366)])


class DeploymentEventForm(EditForm):
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=LONG_TEXT)])


class MissionReportForm(EditForm):
    report = long_text("Mission report")
    file = FileField("Attach the report (PDF, DOCX or ODT, optional)")
