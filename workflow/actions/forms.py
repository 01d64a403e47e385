from __future__ import annotations

from wtforms import (
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.forms import (
    LONG_TEXT,
    EditForm,
    count_field,
    long_text,
)
from ..core.i18n import _l


class ActionEventForm(EditForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=LONG_TEXT)])
    waiver = TextAreaField(_l("Why no assessment mission is needed"), validators=[Optional(), Length(max=LONG_TEXT)])


class EditActionForm(EditForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    thematic_area_id = SelectField(_l("Thematic area"), coerce=int, validators=[InputRequired()])
    objective = long_text(_l("Objective"), required=False)
    summary = long_text(_l("Summary"), required=False)
    planned_start = DateField(_l("Planned start"), validators=[InputRequired()])
    planned_end = DateField(_l("Planned end"), validators=[Optional()])


class FinalReportForm(EditForm):
    results = long_text(_l("Results (deliverables produced, changes achieved)"))
    officials_trained_female = count_field(_l("Officials trained: women"))
    officials_trained_male = count_field(_l("Officials trained: men"))
    officials_trained_other = count_field(_l("Officials trained: other or not stated"))
    institutions_reached = count_field(_l("Institutions reached"))
    lessons_learned = long_text(_l("Lessons learned and good practices"))


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
