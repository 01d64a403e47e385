"""Writing CSV for spreadsheet programs: UTF-8 with a byte-order mark (so accents survive Excel),
streamed row by row, and with formula injection neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from flask import Response, stream_with_context

from ..core.i18n import _
from ..core.labels import label
from ..reference.choices import locale_code
from ..reference.services import country_name

BOM = "\ufeff"
# A cell starting with one of these is read as a formula by spreadsheet programs (CWE-1236).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any, yes_no: tuple[str, str] | None = None) -> str:
    """One value as text a spreadsheet shows as written, never evaluates (`yes_no`: the words for booleans)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        yes, no = yes_no or (_("yes"), _("no"))
        return yes if value else no
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yes_no = (_("yes"), _("no"))  # translated once, not once per cell
    writer.writerow([cell(h) for h in header])
    yield BOM + flush()
    for count, row in enumerate(rows, 1):
        writer.writerow([cell(value, yes_no) for value in row])
        if count % 200 == 0:
            yield flush()
    yield flush()


class Words:
    """The translated forms of the values an export repeats on every row (statuses, countries, region
    names): each looked up once per export instead of once per row, which at 3,500 rows was most of its time."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, Any], str] = {}

    def _once(self, kind: str, value: Any, translate: Callable[[Any], str]) -> str:
        key = (kind, value)
        if key not in self._memo:
            self._memo[key] = translate(value)
        return self._memo[key]

    def label(self, value: Any) -> str:
        """An enum value's label (`workflow.core.labels.label`)."""
        return self._once("label", value, label)

    def country(self, code: str | None) -> str:
        """A country's name in the reader's language; "" for none."""
        return self._once("country", code, lambda c: country_name(c, locale_code()) if c else "")

    def name(self, text: str) -> str:
        """A reference name (region, thematic area) as translated in the catalogues."""
        return self._once("name", text, _)


def csv_response(filename: str, header: Sequence[str], rows: Callable[[], Iterable[Sequence[Any]]]) -> Response:
    """A streamed CSV download; `rows` is called inside the request, so it may use the session."""
    response = Response(
        stream_with_context(csv_lines(header, rows())),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    return response
