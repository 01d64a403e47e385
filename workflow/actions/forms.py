from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    Form,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.forms import LONG_TEXT, EditForm, count_field, enum_options, long_text, options
from .lifecycle import ActionStatus


class ActionFilterForm(Form):
    """The list's filters, read from the query string (a GET form needs no CSRF token)."""

    region = SelectField("Region", validators=[Optional()])
    country = SelectField("Country", validators=[Optional()])
    theme = SelectField("Thematic area", validators=[Optional()])
    status = SelectField(
        "Status", choices=enum_options(ActionStatus, empty="Any status"),
        validators=[Optional()],
    )
    year = IntegerField("Year", validators=[Optional(), NumberRange(min=2000, max=2100)])
    year_from = IntegerField("From year", validators=[Optional(), NumberRange(min=2000, max=2100)])
    year_to = IntegerField("To year", validators=[Optional(), NumberRange(min=2000, max=2100)])
    q = StringField("Name or title", validators=[Optional(), Length(max=100)])
    sort = SelectField(
        "Sort by",
        choices=options([("start", "Start"), ("end", "End"), ("name", "Name"), ("status", "Status"), ("updated", "Last change")]),
        validators=[Optional()],
    )
    dir = SelectField("Order", choices=options([("desc", "Newest first"), ("asc", "Oldest first")]), validators=[Optional()])


class ActionEventForm(EditForm):
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=LONG_TEXT)])
    waiver = TextAreaField("Why no assessment mission is needed", validators=[Optional(), Length(max=LONG_TEXT)])


class EditActionForm(EditForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    thematic_area_id = SelectField("Thematic area", coerce=int, validators=[InputRequired()])
    objective = long_text("Objective", required=False)
    summary = long_text("Summary", required=False)
    planned_start = DateField("Planned start", validators=[InputRequired()])
    planned_end = DateField("Planned end", validators=[Optional()])


class FinalReportForm(EditForm):
    results = long_text("Results (deliverables produced, changes achieved)")
    officials_trained_female = count_field("Officials trained: women")
    officials_trained_male = count_field("Officials trained: men")
    officials_trained_other = count_field("Officials trained: other or not stated")
    institutions_reached = count_field("Institutions reached")
    lessons_learned = long_text("Lessons learned and good practices")


class PublishForm(EditForm):
    """Publish or withdraw the Action from the public catalogue."""


class PublicDetailsForm(EditForm):
    """The Action's public texts in Spanish and French, and a regional Action's member countries.
    An empty translation falls back to the text as written."""

    title_es = StringField(_l("Title in Spanish"), validators=[Optional(), Length(max=200)])
    objective_es = long_text(_l("Objective in Spanish"), required=False)
    summary_es = long_text(_l("Summary in Spanish"), required=False)
    title_fr = StringField(_l("Title in French"), validators=[Optional(), Length(max=200)])
    objective_fr = long_text(_l("Objective in French"), required=False)
    summary_fr = long_text(_l("Summary in French"), required=False)
    member_countries = SelectMultipleField(_l("Member countries"), validators=[Optional()])

    LOCALES = ("es", "fr")
