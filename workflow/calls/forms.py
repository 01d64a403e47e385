"""Forms of calls for experts."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.forms import LONG_TEXT, BaseForm, CreateForm, EditForm, enum_options
from ..core.i18n import _l
from .models import AnswerKind
from .services import MAX_MESSAGE, MAX_NOTE


class CallForm(CreateForm):
    """The filters, the message and the deadline; previewed before it is sent."""

    slot_id = SelectField(_l("For the slot"), validators=[Optional()])
    thematic_area_id = SelectField(_l("Thematic area"), validators=[Optional()])
    language = SelectField(_l("Working language (B2 or above)"), validators=[Optional()])
    member_states = SelectMultipleField(_l("Member states (none chosen: all)"), validators=[Optional()])
    available_only = BooleanField(_l("Only experts free on the activity's dates (the hard rules of the slot)"))
    include_focal_points = BooleanField(_l("Also send it to the member-state focal points (of the chosen states, "
                                           "or all)"))
    message = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=MAX_MESSAGE)])
    answer_deadline = DateField(_l("Answers by (end of the day)"), validators=[InputRequired()])
    # The filters the preview on the page was computed for: sending with other filters shows a new preview first.
    previewed = HiddenField(validators=[Length(max=64)])


class AnswerForm(BaseForm):
    answer = RadioField(_l("Your answer"), choices=enum_options(AnswerKind),
                        validators=[InputRequired()])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=MAX_NOTE)])
    file = FileField(_l("Updated CV (optional; PDF, DOCX or ODT, at most 20 MB)"))


class ProposeForm(BaseForm):
    expert_id = SelectField(_l("Expert of your member state"), coerce=int, validators=[InputRequired()])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=MAX_NOTE)])


class CallInviteForm(BaseForm):
    expert_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    slot_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])


class CallEventForm(EditForm):
    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=LONG_TEXT)])


class UnsubscribeForm(BaseForm):
    """The expert's choice on their unsubscribe page: the button they pressed."""

    choice = HiddenField(validators=[InputRequired(), AnyOf(("stop", "resume"))])
