from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
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

from ..core.forms import LONG_TEXT, CreateForm, EditForm, TranslatedForm, count_field, enum_options, long_text
from ..core.i18n import _, _l
from .lifecycle import ActivityKind
from .models import DeliverableKind, SlotRole


def _slot_id(value: object) -> int | None:
    try:
        return int(value) if value not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class SlotForm(TranslatedForm):
    """One row of expert slots: an existing slot (its id hidden) or a new one; a new row without a
    thematic area is left out."""

    slot_id = HiddenField(filters=[_slot_id])  # the existing slot this row edits (none: a new slot)
    remove = BooleanField(_l("Remove this slot"))
    role = SelectField(_l("Role"), choices=enum_options(SlotRole), validators=[Optional()])
    thematic_area_id = SelectField(_l("Thematic area"), coerce=lambda v: int(v) if v not in (None, "") else None,
                                   validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    places = IntegerField(_l("Places"), default=1, validators=[Optional(), NumberRange(min=1, max=50)])

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        valid = super().validate(extra_validators)
        if self.slot_id.data and not self.thematic_area_id.data and not self.remove.data:
            # An existing slot is removed only by ticking the box, never by blanking its row.
            self.thematic_area_id.errors = [*self.thematic_area_id.errors,
                                            _("Choose a thematic area, or tick “Remove this slot”.")]
            return False
        return valid


class ActivityFields:
    kind = SelectField(_l("Kind"), choices=enum_options(ActivityKind), validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    is_remote = BooleanField(_l("Remote (no travel)"))
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    country_code = SelectField(_l("Country"), validators=[Optional()])
    languages = SelectMultipleField(_l("Languages"), validators=[InputRequired()])
    slots = FieldList(FormField(SlotForm), min_entries=3, max_entries=20)


class NewActivityForm(CreateForm, ActivityFields):
    start_date = DateField(_l("Start"), validators=[InputRequired()])
    end_date = DateField(_l("End"), validators=[InputRequired()])

    def validate_end_date(self, field: DateField) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_("The end date is before the start date."))


class EditActivityForm(EditForm, ActivityFields):
    """Everything but the dates (moved by postponing); each existing slot a row of its own, edited in place."""


class PostponeForm(EditForm):
    start_date = DateField(_l("New start"), validators=[InputRequired()])
    end_date = DateField(_l("New end"), validators=[InputRequired()])
    reason = long_text(_l("Why is it postponed?"))

    def validate_end_date(self, field: DateField) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_("The end date is before the start date."))


class ActivityReportForm(EditForm):
    summary = long_text(_l("What happened (summary of the activity)"))
    participants_female = count_field(_l("Participants: women"))
    participants_male = count_field(_l("Participants: men"))
    participants_other = count_field(_l("Participants: other or not stated"))
    participant_institutions = TextAreaField(_l("Institutions represented"), validators=[Optional(), Length(max=LONG_TEXT)])


class ActivityEventForm(EditForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=LONG_TEXT)])


class DeliverableForm(CreateForm):
    kind = SelectField(_l("Kind"), choices=enum_options(DeliverableKind))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    language = SelectField(_l("Language"), validators=[InputRequired()])
    issued_on = DateField(_l("Date"), validators=[Optional()])
    activity_id = SelectField(_l("Produced in activity"), coerce=lambda v: int(v) if v not in (None, "") else None,
                              validators=[Optional()])
    file = FileField(_l("File (PDF, DOCX or ODT, at most 20 MB)"))
    url = URLField(_l("…or a link to it"), validators=[Optional(), URL(require_tld=False), Length(max=500)])
