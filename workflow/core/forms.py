"""Form pieces every module uses."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, Form, HiddenField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from .i18n import _l
from .labels import lazy_label
from .text import has_forbidden_characters

# The longest free text a form takes; the database column is TEXT, the limit is the product's.
LONG_TEXT = 20_000


def long_text(label: Any, *, required: bool = True, max_length: int = LONG_TEXT) -> TextAreaField:
    checks = [DataRequired()] if required else [Optional()]
    return TextAreaField(label, validators=[*checks, Length(max=max_length)])


def count_field(label: Any) -> IntegerField:
    return IntegerField(label, default=0, validators=[InputRequired(), NumberRange(min=0, max=1_000_000)])


def refuse_line_breaks(_form: Any, field: Field) -> None:
    if has_forbidden_characters(field.data):
        raise ValidationError(_l("This field is a single line of text: remove the line breaks, tabs and "
                                 "other control characters."))


def refuse_control_characters(_form: Any, field: Field) -> None:
    if has_forbidden_characters(field.data, multi_line=True):
        raise ValidationError(_l("Remove the control characters (such as NUL) from this text; line breaks "
                                 "and tabs are fine."))


def plain_text_check(field: Field) -> Any:
    """The control-character check a field needs: one-line text fields (every StringField: text, e-mail,
    URL, search, hidden) refuse line breaks, multi-line ones (TextAreaField) only the other control
    characters. Passwords are only ever hashed, never shown or written anywhere: left alone."""
    if isinstance(field, TextAreaField):
        return refuse_control_characters
    if isinstance(field, StringField) and not isinstance(field, PasswordField):
        return refuse_line_breaks
    return None


class RequiredByTheRule:
    """Marks a field required (the asterisk, the input's `required`) where the service, not the form, refuses it
    empty, with its own message, so that the page and the API say the same (a rate with no date, for instance)."""

    field_flags = {"required": True}

    def __call__(self, _form: Any, _field: Field) -> None:
        return None


class PlainTextMeta:
    """A form Meta that adds the control-character check to every text field as the form binds it:
    every form of the app, and every field of it, present or future, gets it without asking."""

    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
        field = super().bind_field(form, unbound_field, options)  # type: ignore[misc]
        check = plain_text_check(field)
        if check is not None:
            field.validators = [*field.validators, check]
        return field


class BaseForm(FlaskForm):
    """Every page form's base: CSRF (Flask-WTF) and the control-character check on its text fields."""

    class Meta(PlainTextMeta):
        pass


class TranslatedForm(Form):
    """A plain WTForms form (a sub-form, a GET filter) whose built-in validator messages follow the
    reader's language, as a FlaskForm's do (Flask-WTF's translations, on while WTF_I18N_ENABLED)."""

    class Meta(PlainTextMeta):
        def get_translations(self, form: Any) -> Any:
            from flask import current_app, has_request_context
            from flask_wtf.i18n import translations

            if has_request_context() and current_app.config.get("WTF_I18N_ENABLED", True):
                return translations
            return super().get_translations(form)


class CreateForm(BaseForm):
    """A form that creates something: a second post of the same form is recognised, not repeated."""

    form_key = HiddenField(validators=[Length(max=64)])


class EditForm(BaseForm):
    """A form that edits something: carries the version it was opened on, to refuse stale edits."""

    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class ReasonForm(BaseForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=LONG_TEXT)])


def options(pairs: Iterable[tuple[object, Any]], empty: Any = None) -> list[SelectChoice]:
    """Select choices from (value, label) pairs, optionally led by an empty “none/any” option.

    Labels may be lazy strings (`_l(...)`, `lazy_label(...)`): they are translated when shown."""
    leading = [SelectChoice("", empty)] if empty is not None else []
    return leading + [SelectChoice(value, label) for value, label in pairs]  # type: ignore[arg-type]


def enum_options(members: Iterable[StrEnum], empty: Any = None) -> list[SelectChoice]:
    """Choices of an enum, labelled in the reader's language (lazily: safe at import time)."""
    return options(((m.value, lazy_label(m)) for m in members), empty)


class ConfirmForm(BaseForm):
    """Only the CSRF token: for a button that changes something."""
