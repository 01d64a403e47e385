from __future__ import annotations

from collections.abc import Sequence

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
    SubmitField,
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
from .defaults import ActivityDefaults, defaults_for
from .lifecycle import ActivityKind
from .models import DeliverableKind, SlotRole
from .slots import MAX_SLOTS


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
    slots = FieldList(FormField(SlotForm), min_entries=1, max_entries=MAX_SLOTS)
    # The two row buttons: they send the form back for one row more or less, and save nothing (without
    # JavaScript; static/js/slots.js does the same in the page).
    add_slot = SubmitField(_l("Add another slot"))
    # The index of the new row whose Remove button was pressed (a StringField: hidden_tag() leaves it out).
    drop_slot = StringField(filters=[_slot_id])


def blank_row(defaults: ActivityDefaults | None, languages: Sequence[str]) -> dict[str, object]:
    """A new slot row: an expert, one place, in the Action's thematic area and the first of `languages`."""
    return {"role": SlotRole.EXPERT.value, "places": 1,
            "thematic_area_id": defaults.thematic_area_id if defaults else None,
            "language": languages[0] if languages else ""}


class SlotRows:
    """The slot rows of an activity form: one more or one fewer when a row button was pressed, new rows
    starting from the Action's thematic area and the activity's first language."""

    # The form's own fields (ActivityFields), named here for the reader.
    slots: FieldList
    languages: SelectMultipleField
    add_slot: SubmitField
    drop_slot: StringField
    defaults: ActivityDefaults | None = None
    _row_choices: dict[str, list] | None = None

    def validate_on_submit(self, extra_validators=None) -> bool:
        """False (and no errors) when a row button was pressed: the form comes back with its rows changed."""
        if self.is_submitted() and (self.add_slot.data or self.drop_slot.data is not None):  # type: ignore[attr-defined]
            self.row_choices()  # kept before a row goes: new rows and the row template are built from them
            if self.drop_slot.data is not None:
                self._drop_row(self.drop_slot.data)
            elif self.can_add_slot:
                self._add_row()
            return False
        return super().validate_on_submit(extra_validators)  # type: ignore[misc]

    @property
    def can_add_slot(self) -> bool:
        return len(self.slots) < MAX_SLOTS

    def row_choices(self) -> dict[str, list]:
        """The choices of a row's selects, as the view gave them to the rows."""
        if self._row_choices is None and self.slots.entries:
            first = self.slots.entries[0]
            self._row_choices = {name: first[name].choices for name in ("role", "thematic_area_id", "language")}
        return self._row_choices or {}

    def new_row_data(self) -> dict[str, object]:
        """What a new row starts with: the Action's thematic area, the first language ticked for the activity
        (the first in the list, as static/js/slots.js takes it)."""
        field = self.languages
        ticked = [value for value, _label, chosen, *_kw in field.iter_choices() if chosen] if field.choices else []
        return blank_row(self.defaults, ticked or (self.defaults.languages if self.defaults else ()))

    def _add_row(self) -> None:
        row = self.slots.append_entry(self.new_row_data())
        for name, choices in self.row_choices().items():
            row[name].choices = choices

    def _drop_row(self, index: int) -> None:
        """Take out a new row (an existing slot is removed by ticking its box, and only on saving)."""
        name = f"{self.slots.name}-{index}"
        self.slots.entries = [row for row in self.slots.entries if row.name != name or row.slot_id.data]

    @property
    def slot_template(self) -> SlotForm:
        """A blank new row, its index a placeholder that static/js/slots.js fills in when it adds the row."""
        name = f"{self.slots.name}-__index__"
        row = SlotForm(formdata=None, data=self.new_row_data(), prefix=f"{name}-")
        row.name = name  # as a row of the list is named
        for field, choices in self.row_choices().items():
            row[field].choices = choices
        return row


class NewActivityForm(SlotRows, CreateForm, ActivityFields):
    start_date = DateField(_l("Start"), validators=[InputRequired()])
    end_date = DateField(_l("End"), validators=[InputRequired()])

    def __init__(self, *args, action=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """With `action`, the form first shows what it implies: its country, the languages of its activities
        (or of its countries), one slot in its thematic area. Anything posted is taken as posted."""
        self.defaults = defaults = defaults_for(action) if action is not None else None
        if defaults is not None and not self.is_submitted():
            kwargs = {"country_code": defaults.country_code, "languages": list(defaults.languages),
                      "slots": [blank_row(defaults, defaults.languages)], **kwargs}
        super().__init__(*args, **kwargs)

    def validate_end_date(self, field: DateField) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_("The end date is before the start date."))


class EditActivityForm(SlotRows, EditForm, ActivityFields):
    """Everything but the dates (moved by postponing); each existing slot a row of its own, edited in place."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        activity = kwargs.get("obj")
        self.defaults = defaults_for(activity.action, activity) if activity is not None else None
        super().__init__(*args, **kwargs)


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
