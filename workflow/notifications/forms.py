"""The preferences form: one choice per kind of news the reader receives."""

from __future__ import annotations

from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ..core.forms import BaseForm
from ..core.i18n import _l
from ..core.labels import label
from .kinds import Kind
from .models import Delivery
from .services import choices_of

CALL_EMAILS = "call_emails"  # the field of an expert's calls for experts (not a kind: calls have their own outbox)


def preferences_form(kinds: list[Kind], current: dict[str, Delivery], calls_stopped: bool | None = None) -> BaseForm:
    """A form with a radio group per kind, named by the kind's code, holding the reader's current choice (a
    group left out of a submission keeps its choice); for an expert (`calls_stopped` not None), one more group:
    whether calls for experts come by e-mail."""

    class PreferencesForm(BaseForm):
        pass

    if calls_stopped is not None:
        setattr(PreferencesForm, CALL_EMAILS, RadioField(
            _l("Calls for experts (the programme looks for experts for an activity)"),
            choices=[SelectChoice("receive", _l("By e-mail")),
                     SelectChoice("stop", _l("Not by e-mail: I read the open calls on my page"))],
            default="stop" if calls_stopped else "receive", validators=[Optional()]))
    for kind in kinds:
        setattr(PreferencesForm, kind.code, RadioField(
            kind.label, choices=[SelectChoice(d.value, label(d)) for d in choices_of(kind)], default=current[kind.code].value,
            validators=[Optional()]))
    return PreferencesForm()
