"""The API's argument parser: every schema's text, at every location, refuses control characters.

One-line strings refuse line breaks, tabs and every other control character (see `workflow.core.text`);
free text (a string whose length may reach LONG_TEXT, or marked `metadata={"multi_line": True}`) keeps
line breaks and tabs. Every API blueprint is a `Blueprint` from here, so every `@blp.arguments` schema,
present or future, is checked: the answer is the API's usual 422 with the field named.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import Schema, ValidationError, fields, validate
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from ..core.forms import LONG_TEXT
from ..core.text import has_forbidden_characters

ONE_LINE = "One line of text: line breaks, tabs and other control characters are not accepted."
MULTI_LINE = "Control characters other than line breaks and tabs are not accepted."


def is_multi_line(field: fields.Field) -> bool:
    if field.metadata.get("multi_line"):
        return True
    return any(isinstance(v, validate.Length) and (v.max or 0) >= LONG_TEXT for v in field.validators)


def _value_problems(field: fields.Field, value: Any) -> Any:
    """Messages for one raw value of `field`, shaped as marshmallow shapes its errors, or None."""
    if isinstance(field, fields.String):
        multi = is_multi_line(field)
        return [MULTI_LINE if multi else ONE_LINE] if has_forbidden_characters(value, multi_line=multi) else None
    if isinstance(field, fields.List) and isinstance(value, list | tuple):
        found = {i: p for i, item in enumerate(value) if (p := _value_problems(field.inner, item))}
        return found or None
    if isinstance(field, fields.Nested) and isinstance(field.schema, Schema):
        if field.many and isinstance(value, list | tuple):
            found = {i: p for i, item in enumerate(value) if (p := text_problems(field.schema, item))}
            return found or None
        return text_problems(field.schema, value) or None
    return None


def text_problems(schema: Schema, raw: Any) -> dict[str, Any]:
    """Each field of `schema` whose raw input holds a refused character, by its name in the input."""
    if not isinstance(raw, Mapping):
        return {}  # not an object: loading it fails with its own message
    problems: dict[str, Any] = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        key = field.data_key or name
        if key in raw and (found := _value_problems(field, raw[key])):
            problems[key] = found
    return problems


# The same rule, said in the published contract (ECMA-262 patterns, as JSON Schema reads them).
ONE_LINE_PATTERN = "^[^\\x00-\\x1f\\x7f-\\x9f\u2028\u2029]*$"
MULTI_LINE_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\u2028\u2029]*$"


def declare_text_patterns(module: Any) -> None:
    """Give every text field of the API's schemas the `pattern` its parser enforces, so the description
    says what the server takes (a field with a pattern of its own keeps it)."""
    for schema in vars(module).values():
        if isinstance(schema, type) and issubclass(schema, Schema):
            for field in schema._declared_fields.values():
                _declare_pattern(field)


def _declare_pattern(field: fields.Field) -> None:
    if isinstance(field, fields.String) and "pattern" not in field.metadata:
        field.metadata["pattern"] = MULTI_LINE_PATTERN if is_multi_line(field) else ONE_LINE_PATTERN
    elif isinstance(field, fields.List):
        _declare_pattern(field.inner)


class PlainTextParser(FlaskParser):
    def pre_load(self, location_data: Any, *, schema: Schema, req: Any, location: str) -> Any:
        problems = text_problems(schema, location_data)
        if problems:
            raise ValidationError(problems)
        return super().pre_load(location_data, schema=schema, req=req, location=location)


class Blueprint(SmorestBlueprint):
    """An API blueprint whose arguments are parsed by `PlainTextParser`."""

    ARGUMENTS_PARSER = PlainTextParser()


class MultipartParser(PlainTextParser):
    """Reads a multipart/form-data body as one schema: its text fields and its files together, so the
    description documents one `requestBody` (OpenAPI 3) and the server validates exactly that."""

    def load_files(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)
