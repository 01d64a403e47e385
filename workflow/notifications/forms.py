"""The preferences form: one choice per kind of news the reader receives."""

from __future__ import annotations

from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ..core.forms import BaseForm
from ..core.labels import label
from .kinds import Kind
from .models import Delivery
from .services import choices_of


def preferences_form(kinds: list[Kind], current: dict[str, Delivery]) -> BaseForm:
    """A form with a radio group per kind, named by the kind's code, holding the reader's current choice (a
    group left out of a submission keeps its choice)."""

    class PreferencesForm(BaseForm):
        pass

    for kind in kinds:
        setattr(PreferencesForm, kind.code, RadioField(
            kind.label, choices=[SelectChoice(d.value, label(d)) for d in choices_of(kind)], default=current[kind.code].value,
            validators=[Optional()]))
    return PreferencesForm()
