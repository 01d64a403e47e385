from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..core.forms import LONG_TEXT, BaseForm, EditForm, long_text
from ..core.i18n import _l


class SuggestionFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET form

    country = SelectField(_l("Member state or country"), validators=[Optional()])
    language = SelectField(_l("Working language"), validators=[Optional()])
    # Not asked elsewhere on the activity's dates (accepted and confirmed missions already refuse: a hard rule).
    free = BooleanField(_l("Free on the dates"))
    type = SelectField(_l("Type"), validators=[Optional()])
    gender = SelectField(_l("Gender"), validators=[Optional()])
    q = StringField(_l("Name"), validators=[Optional(), Length(max=100)])


class InviteForm(BaseForm):
    expert_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    working_days = IntegerField(_l("Working days"), validators=[Optional(), NumberRange(min=1, max=366)])


class DeploymentEventForm(EditForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=LONG_TEXT)])


class MissionReportForm(EditForm):
    report = long_text(_l("Mission report"))
    file = FileField(_l("Attach the report (PDF, DOCX or ODT, optional)"))


class RefuseReleaseForm(BaseForm):
    reason = TextAreaField(_l("Why do you refuse the release?"),
                           validators=[InputRequired(_l("Say why you refuse the release.")), Length(max=LONG_TEXT)])
