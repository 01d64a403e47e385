from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..core.forms import LONG_TEXT, CreateForm, EditForm, count_field, enum_options, long_text
from .lifecycle import ActivityKind
from .models import DeliverableKind, SlotRole


class SlotForm(Form):
    """One row of expert slots; a row without a thematic area is left out."""

    role = SelectField("Role", choices=enum_options(SlotRole), validators=[Optional()])
    thematic_area_id = SelectField("Thematic area", coerce=lambda v: int(v) if v not in (None, "") else None,
                                   validators=[Optional()])
    language = SelectField("Language", validators=[Optional()])
    places = IntegerField("Places", default=1, validators=[Optional(), NumberRange(min=1, max=50)])


class ActivityFields:
    kind = SelectField("Kind", choices=enum_options(ActivityKind), validators=[InputRequired()])
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    is_remote = BooleanField("Remote (no travel)")
    city = StringField("City", validators=[Optional(), Length(max=120)])
    country_code = SelectField("Country", validators=[Optional()])
    start_date = DateField("Start", validators=[InputRequired()])
    end_date = DateField("End", validators=[InputRequired()])
    languages = SelectMultipleField("Languages", validators=[InputRequired()])
    slots = FieldList(FormField(SlotForm), min_entries=3, max_entries=20)

    def validate_end_date(self, field: DateField) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("The end date is before the start date.")


class NewActivityForm(CreateForm, ActivityFields):
    pass


class EditActivityForm(EditForm, ActivityFields):
    pass


class PostponeForm(EditForm):
    start_date = DateField("New start", validators=[InputRequired()])
    end_date = DateField("New end", validators=[InputRequired()])
    reason = long_text("Why is it postponed?")

    def validate_end_date(self, field: DateField) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("The end date is before the start date.")


class ActivityReportForm(EditForm):
    summary = long_text("What happened (summary of the activity)")
    participants_female = count_field("Participants: women")
    participants_male = count_field("Participants: men")
    participants_other = count_field("Participants: other or not stated")
    participant_institutions = TextAreaField("Institutions represented", validators=[Optional(), Length(max=LONG_TEXT)])


class ActivityEventForm(EditForm):
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=LONG_TEXT)])


class DeliverableForm(CreateForm):
    kind = SelectField("Kind", choices=enum_options(DeliverableKind))
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    language = SelectField("Language", validators=[InputRequired()])
    issued_on = DateField("Date", validators=[Optional()])
    activity_id = SelectField("Produced in activity", coerce=lambda v: int(v) if v not in (None, "") else None,
                              validators=[Optional()])
    file = FileField("File (PDF, DOCX or ODT, at most 20 MB)")
    url = URLField("…or a link to it", validators=[Optional(), URL(require_tld=False), Length(max=500)])
