"""Forms: a knowledge-sharing event (with who came), a good practice, withdrawing a practice."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from ..core.forms import BaseForm, CreateForm, enum_options, refuse_line_breaks
from ..core.i18n import _l
from .lifecycle import EventDocumentKind, ImpactArea
from .services import MAX_REASON, MAX_TEXT


def _optional_int(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class EventForm(CreateForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), refuse_line_breaks])
    host_institution = StringField(_l("Host institution"), validators=[DataRequired(), Length(max=300),
                                                                         refuse_line_breaks])
    start_date = DateField(_l("Starts on"), validators=[InputRequired()])
    end_date = DateField(_l("Ends on"), validators=[InputRequired()])
    region_id = SelectField(_l("Region"), coerce=_optional_int, validators=[Optional()])
    thematic_area_id = SelectField(_l("Thematic area"), coerce=_optional_int, validators=[Optional()])
    theme = StringField(_l("Theme, in the event's words"), validators=[Optional(), Length(max=300),
                                                                        refuse_line_breaks])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120), refuse_line_breaks])
    country_code = SelectField(_l("Country"), validators=[Optional()])
    action_ids = SelectMultipleField(_l("Actions it reviews"), coerce=int, validators=[Optional()])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=MAX_TEXT)])
    # One line per country and institution: "PE; National Migration Institute; 3; 2; 0" (women; men; other).
    participants = TextAreaField(_l("Participants"), validators=[Optional(), Length(max=40_000)])


class PracticeForm(CreateForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), refuse_line_breaks])
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=MAX_TEXT)])
    conditions = TextAreaField(_l("Conditions that made it work"), validators=[Optional(), Length(max=MAX_TEXT)])
    impact_areas = SelectMultipleField(_l("Impact areas"), choices=enum_options(ImpactArea),
                                       validators=[DataRequired()])
    thematic_area_id = SelectField(_l("Thematic area"), coerce=_optional_int, validators=[Optional()])
    region_id = SelectField(_l("Region"), coerce=_optional_int, validators=[Optional()])
    event_id = SelectField(_l("Source event"), coerce=_optional_int, validators=[Optional()])
    action_ids = SelectMultipleField(_l("Source Actions"), coerce=int, validators=[Optional()])
    deliverable_ids = SelectMultipleField(_l("Evidence: deliverables"), coerce=int, validators=[Optional()])
    indicator_ids = SelectMultipleField(_l("Evidence: indicators of the source Actions"), coerce=int,
                                        validators=[Optional()])


class EventDocumentForm(CreateForm):
    kind = SelectField(_l("Kind"), choices=enum_options(EventDocumentKind))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300), refuse_line_breaks])
    file = FileField(_l("File (PDF, DOCX or ODT, at most 20 MB)"))
    url = URLField(_l("…or a link to it"), validators=[Optional(), URL(require_tld=False), Length(max=500)])


class RemoveDocumentForm(BaseForm):
    reason = TextAreaField(_l("Why it is removed"), validators=[DataRequired(), Length(max=MAX_REASON)])


class WithdrawForm(BaseForm):
    reason = TextAreaField(_l("Why it is withdrawn"), validators=[DataRequired(), Length(max=MAX_REASON)])


class StaffingForm(BaseForm):
    host_action_id = SelectField(_l("Running Action that hosts the staffing"), coerce=int,
                                 validators=[InputRequired()])
    languages = SelectMultipleField(_l("Languages of the event"), validators=[DataRequired()])
