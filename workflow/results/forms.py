"""Forms: the framework's objective, an expected result, an indicator, a measurement, news of a deliverable."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from ..core.forms import LONG_TEXT, BaseForm, CreateForm, enum_options, long_text
from ..core.i18n import _l
from .models import DeliverableStageName, ImpactArea, ResultLevel

VALUE = NumberRange(min=-1e12, max=1e12)


def _file() -> FileField:
    return FileField(_l("Evidence file (PDF, DOCX or ODT, at most 20 MB)"))


def _link() -> URLField:
    return URLField(_l("…or a link to the evidence"), validators=[Optional(), URL(require_tld=False), Length(max=500)])


def _version() -> IntegerField:
    """The version the form was opened on (empty on a form that creates): a save on an older one is refused."""
    return IntegerField(widget=HiddenInput(), validators=[Optional()])


class FrameworkForm(BaseForm):
    version = _version()
    specific_objective = long_text(_l("Specific objective"), max_length=LONG_TEXT)
    requester_may_measure = BooleanField(_l("The beneficiary's requesters may add measurements to every indicator"))


class ResultForm(CreateForm):
    version = _version()
    level = SelectField(_l("Level"), choices=enum_options(ResultLevel), validators=[DataRequired()])
    statement = long_text(_l("Expected result"), max_length=4000)


class IndicatorForm(CreateForm):
    version = _version()
    title = StringField(_l("Indicator"), validators=[DataRequired(), Length(max=300)])
    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=80)])
    impact_area = SelectField(_l("Impact area"), choices=enum_options(ImpactArea), validators=[DataRequired()])
    baseline_value = FloatField(_l("Baseline value"), validators=[Optional(), VALUE])
    baseline_date = DateField(_l("Baseline date"), validators=[Optional()])
    target_value = FloatField(_l("Target value"), validators=[Optional(), VALUE])
    target_date = DateField(_l("Target date"), validators=[Optional()])
    means_of_verification = long_text(_l("Means of verification"), required=False, max_length=4000)
    activity_ids = SelectMultipleField(_l("Contributing activities"), coerce=int, validators=[Optional()])
    deliverable_ids = SelectMultipleField(_l("Contributing deliverables"), coerce=int, validators=[Optional()])
    requester_may_measure = BooleanField(_l("The beneficiary's requesters may add measurements to it"))


class MeasurementForm(CreateForm):
    value = FloatField(_l("Value"), validators=[InputRequired(), VALUE])
    measured_on = DateField(_l("Measured on"), validators=[InputRequired()])
    source = StringField(_l("Source"), validators=[DataRequired(), Length(max=300)])
    file = _file()
    url = _link()


class WithdrawForm(BaseForm):
    reason = TextAreaField(_l("Why is it withdrawn?"), validators=[DataRequired(), Length(max=LONG_TEXT)])


class StageForm(CreateForm):
    # No stage chosen in advance: news sent without a look at this field would record a stage by mistake.
    stage = SelectField(_l("Stage reached"), choices=enum_options(DeliverableStageName, empty=_l("Choose a stage")),
                        validators=[DataRequired()])
    reached_on = DateField(_l("Reached on"), validators=[Optional()])
    outcome = long_text(_l("What came of it (an initiative, a campaign, a new unit …)"), required=False,
                        max_length=4000)
    file = _file()
    url = _link()
