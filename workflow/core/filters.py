"""List filters read from the query string: a GET form needs no CSRF token, and an unreadable value is
shown as a message on its field and left out of the query, never a 500."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from .forms import TranslatedForm, options

YEARS = NumberRange(min=2000, max=2100)


def year_field(label: Any) -> IntegerField:
    return IntegerField(label, validators=[Optional(), YEARS])


def order_field() -> SelectField:
    return SelectField(_l("Order"), choices=options([("desc", _l("Newest first")), ("asc", _l("Oldest first"))]),
                       validators=[Optional()])


class ListFilterForm(TranslatedForm):
    @classmethod
    def from_query(cls, **choices: Any) -> ListFilterForm:
        """The form filled from the query string, with the select choices given, validated."""
        form = cls(MultiDict(request.args))
        for name, values in choices.items():
            form[name].choices = values
        form.validate()
        return form

    def value(self, name: str) -> Any:
        """The field's value, or None when it is empty or could not be read."""
        field = self[name]
        return None if field.errors or field.data in ("", None) else field.data

    def flag(self, name: str) -> bool:
        return str(request.args.get(name, "")).lower() in {"1", "true", "yes", "on"}


def list_query() -> dict[str, str]:
    """The list's query string without the page: for pagination links and the CSV export."""
    return {key: value for key, value in request.args.items() if key != "page" and value}
