"""Marking what the demo invented: a discreet mark beside each invented record or value, and one legend.

Demo records carry `invented` (the whole record) and `invented_fields` (values invented in a record the
programme's documents state; see `core.models.Provenance`). Real data has neither and shows no mark.
A page that renders at least one mark shows the legend under its content; CSV exports carry a column.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from flask_babel import gettext as _
from markupsafe import Markup, escape

MARK = "†"

# What a field's mark also stands for: a total shown from invented parts is invented too.
ALSO = {
    "officials_trained": ("officials_trained_female", "officials_trained_male", "officials_trained_other"),
    "participants": ("participants_female", "participants_male", "participants_other"),
}


def is_invented(record: Any, field: str | None = None) -> bool:
    """The record invented (with `field`: that value, or the whole record)."""
    if record is None:
        return False
    if getattr(record, "invented", False):
        return True
    if field is None:
        return False
    fields = getattr(record, "invented_fields", None) or ()
    return field in fields or any(part in fields for part in ALSO.get(field, ()))


def mark(record: Any, field: str | None = None) -> Markup:
    """The mark for an invented record or value; nothing for stated or real data."""
    if not is_invented(record, field):
        return Markup("")
    if has_request_context():
        g.invented_shown = True
    label = _("Invented for the demo")
    return Markup('<sup class="invented-mark text-warning-emphasis" title="{0}" aria-label="{0}">{1}</sup>').format(
        escape(label), MARK)


def shown() -> bool:
    """Whether this page showed a mark (its legend goes under the content)."""
    return bool(has_request_context() and g.get("invented_shown"))


def csv_value(record: Any) -> str:
    """The CSV export's 'Invented for the demo' cell: empty for real data."""
    if getattr(record, "invented", False):
        return _("whole record")
    return ", ".join(getattr(record, "invented_fields", None) or ())


def csv_cell(invented: bool | None, fields: list[str] | None) -> str:
    """The same cell from the two column values, for exports that read columns rather than records."""
    if invented:
        return _("whole record")
    return ", ".join(fields or ())
