"""List filters read from the query string, written once per list for its page, its CSV export and its API.

Each listing package has a `filters.py` with the page's form and `to_filters(args)`, which reads the query
parameters into the list's frozen filters. What may reach `to_filters` is decided before it: on a page the
form leaves out what it could not read (`ListFilterForm.accepted`, shown as a message on its field, never a
500); in the API the operation's schema refuses it with a 422. The readers below never fail either: a value
they cannot read counts as not given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Self, TypeVar

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Field, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from .forms import TranslatedForm, options

YEARS = NumberRange(min=2000, max=2100)
TRUE = frozenset({"1", "true", "yes", "on"})
E = TypeVar("E", bound=StrEnum)


def year_field(label: Any, *checks: Any) -> IntegerField:
    return IntegerField(label, validators=[Optional(), YEARS, *checks])


def not_before(start: str, message: Any) -> Callable[[Any, Field], None]:
    """A check of a range's end: not before the `start` field's value (when both could be read)."""

    def check(form: Any, field: Field) -> None:
        first = form[start]
        if field.data and first.data and not first.errors and field.data < first.data:
            raise ValidationError(message)

    return check


def order_field() -> SelectField:
    return SelectField(_l("Order"), choices=options([("desc", _l("Newest first")), ("asc", _l("Oldest first"))]),
                       validators=[Optional()])


class ListFilterForm(TranslatedForm):
    @classmethod
    def from_args(cls, args: Mapping[str, Any], **choices: Any) -> Self:
        """The form filled from the query parameters, with the select choices given, validated."""
        query = MultiDict(args)
        form = cls(query)
        form.query = query
        for name, values in choices.items():
            form[name].choices = values
        form.validate()
        return form

    def accepted(self) -> MultiDict[str, str]:
        """The query parameters less those of a field that could not be read (its message shows instead)."""
        refused = {name for name, field in self._fields.items() if field.errors}
        return MultiDict([(key, value) for key, value in self.query.items(multi=True) if key not in refused])


# --- Reading one parameter (for `to_filters`) -------------------------------------------------------


def text(args: Mapping[str, Any], name: str) -> str | None:
    return args.get(name) or None


def number(args: Mapping[str, Any], name: str) -> int | None:
    try:
        return int(args.get(name) or "")
    except ValueError:
        return None


def day(args: Mapping[str, Any], name: str) -> date | None:
    """A date as the page's date fields write it (YYYY-MM-DD)."""
    try:
        return datetime.strptime(args.get(name) or "", "%Y-%m-%d").date()
    except ValueError:
        return None


def member(args: Mapping[str, Any], name: str, enum: type[E]) -> E | None:
    try:
        return enum(args.get(name) or "")
    except ValueError:
        return None


def flag(args: Mapping[str, Any], name: str) -> bool:
    return str(args.get(name, "")).lower() in TRUE


def list_query() -> dict[str, str]:
    """The list's query string without the page: for pagination links and the CSV export."""
    return {key: value for key, value in request.args.items() if key != "page" and value}
