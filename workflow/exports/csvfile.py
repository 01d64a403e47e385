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

BOM = "\ufeff"
# A cell starting with one of these is read as a formula by spreadsheet programs (CWE-1236).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """One value as text a spreadsheet shows as written, never evaluates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
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

    writer.writerow([cell(h) for h in header])
    yield BOM + flush()
    for count, row in enumerate(rows, 1):
        writer.writerow([cell(value) for value in row])
        if count % 200 == 0:
            yield flush()
    yield flush()


def csv_response(filename: str, header: Sequence[str], rows: Callable[[], Iterable[Sequence[Any]]]) -> Response:
    """A streamed CSV download; `rows` is called inside the request, so it may use the session."""
    response = Response(
        stream_with_context(csv_lines(header, rows())),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    return response
