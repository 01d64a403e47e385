"""Forms of the plan pages: save a plan, choose and apply one, copy an activity."""

from __future__ import annotations

from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from ..core.forms import CreateForm, TranslatedForm
from ..core.i18n import _l
from ..core.web import MAX_ID
from .services import NAME_MAX


def _id_or_none(value: object) -> int | None:
    try:
        return int(value) if value not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class SavePlanForm(CreateForm):
    name = StringField(_l("Name of the template"), validators=[DataRequired(), Length(max=NAME_MAX)])
    description = TextAreaField(_l("What the plan is for (optional)"), validators=[Optional(), Length(max=2000)])


class ChoosePlanForm(TranslatedForm):
    """The choice to preview (a GET: nothing changes until the preview is confirmed)."""

    template_id = SelectField(_l("Plan template"), coerce=_id_or_none, validators=[DataRequired()])
    anchor = DateField(_l("The plan starts on"), validators=[InputRequired()])


class ApplyPlanForm(CreateForm):
    """The confirmed preview: the template, the start date, and which of its activities to plan."""

    template_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    anchor = DateField(widget=HiddenInput(), validators=[InputRequired()])
    items = SelectMultipleField(_l("Activities to plan"), coerce=int,
                                validators=[InputRequired(message=_l("Choose at least one activity of this plan."))])


class CopyActivityForm(CreateForm):
    title = StringField(_l("Title of the copy"), validators=[DataRequired(), Length(max=200)])
    start_date = DateField(_l("Start"), validators=[InputRequired()])
