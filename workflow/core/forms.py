"""Form pieces every module uses."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, IntegerField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .i18n import _l
from .labels import lazy_label

# The longest free text a form takes; the database column is TEXT, the limit is the product's.
LONG_TEXT = 20_000


def long_text(label: Any, *, required: bool = True, max_length: int = LONG_TEXT) -> TextAreaField:
    checks = [DataRequired()] if required else [Optional()]
    return TextAreaField(label, validators=[*checks, Length(max=max_length)])


def count_field(label: Any) -> IntegerField:
    return IntegerField(label, default=0, validators=[InputRequired(), NumberRange(min=0, max=1_000_000)])


class TranslatedForm(Form):
    """A plain WTForms form (a sub-form, a GET filter) whose built-in validator messages follow the
    reader's language, as a FlaskForm's do (Flask-WTF's translations, on while WTF_I18N_ENABLED)."""

    class Meta:
        def get_translations(self, form: Any) -> Any:
            from flask import current_app, has_request_context
            from flask_wtf.i18n import translations

            if has_request_context() and current_app.config.get("WTF_I18N_ENABLED", True):
                return translations
            return super().get_translations(form)


class CreateForm(FlaskForm):
    """A form that creates something: a second post of the same form is recognised, not repeated."""

    form_key = HiddenField(validators=[Length(max=64)])


class EditForm(FlaskForm):
    """A form that edits something: carries the version it was opened on, to refuse stale edits."""

    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=LONG_TEXT)])


def options(pairs: Iterable[tuple[object, Any]], empty: Any = None) -> list[SelectChoice]:
    """Select choices from (value, label) pairs, optionally led by an empty “none/any” option.

    Labels may be lazy strings (`_l(...)`, `lazy_label(...)`): they are translated when shown."""
    leading = [SelectChoice("", empty)] if empty is not None else []
    return leading + [SelectChoice(value, label) for value, label in pairs]  # type: ignore[arg-type]


def enum_options(members: Iterable[StrEnum], empty: Any = None) -> list[SelectChoice]:
    """Choices of an enum, labelled in the reader's language (lazily: safe at import time)."""
    return options(((m.value, lazy_label(m)) for m in members), empty)


class ConfirmForm(FlaskForm):
    """Only the CSRF token: for a button that changes something."""
