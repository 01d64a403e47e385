"""Form pieces every module uses."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .labels import label

# The longest free text a form takes; the database column is TEXT, the limit is the product's.
LONG_TEXT = 20_000


def long_text(label: str, *, required: bool = True, max_length: int = LONG_TEXT) -> TextAreaField:
    checks = [DataRequired()] if required else [Optional()]
    return TextAreaField(label, validators=[*checks, Length(max=max_length)])


def count_field(label: str) -> IntegerField:
    return IntegerField(label, default=0, validators=[InputRequired(), NumberRange(min=0, max=1_000_000)])


class CreateForm(FlaskForm):
    """A form that creates something: a second post of the same form is recognised, not repeated."""

    form_key = HiddenField(validators=[Length(max=64)])


class EditForm(FlaskForm):
    """A form that edits something: carries the version it was opened on, to refuse stale edits."""

    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=LONG_TEXT)])


def options(pairs: Iterable[tuple[object, str]], empty: str | None = None) -> list[SelectChoice]:
    """Select choices from (value, label) pairs, optionally led by an empty “none/any” option."""
    leading = [SelectChoice("", empty)] if empty is not None else []
    return leading + [SelectChoice(value, label) for value, label in pairs]  # type: ignore[arg-type]


def enum_options(members: Iterable[StrEnum], empty: str | None = None) -> list[SelectChoice]:
    return options(((m.value, label(m)) for m in members), empty)


class ConfirmForm(FlaskForm):
    """Only the CSRF token: for a button that changes something."""
