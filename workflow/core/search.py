"""Search that finds what people type: case-, accent- and script-insensitive, the same on every database.

SQLite's `lower()` folds ASCII only and PostgreSQL's `ILIKE` keeps accents, so neither can match
"sao paulo" with "São Paulo". Each searched model keeps instead a normalised `search_key` of the
fields its search matches (`__search_fields__`), computed here in Python and written by a
`before_flush` hook whenever one of those fields changes — from a page, the API, a command or a
job, without any service having to remember it. A search normalises the words typed the same way
and looks for them inside the key with `LIKE`, the user's `%` and `_` escaped.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, String, event, false, inspect, or_, true
from sqlalchemy.orm import InstrumentedAttribute, Mapped, Session, mapped_column

from ..database import AppSession

# Letters NFKD leaves whole (they are letters of their own, not a letter and an accent) that people
# type without the stroke or ligature. ß and ẞ need nothing: casefold() turns them into "ss".
_FOLDS = str.maketrans({
    "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ħ": "h", "ŧ": "t",
    "ı": "i", "ŀ": "l", "ĸ": "k", "ŋ": "n", "ƒ": "f",
})
_SPACES = re.compile(r"\s+")
# Between two fields of a key: a search never contains it (its whitespace is collapsed to spaces),
# so no match runs from the end of one field into the next.
SEPARATOR = "\n"
# The longest key kept. The searched fields fill at most ~460 characters; NFKD can multiply a few rare
# characters (one Arabic ligature becomes 18), and a PostgreSQL index entry must stay under ~2,700 bytes.
KEY_LENGTH = 600


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = bare.casefold().translate(_FOLDS)
    return _SPACES.sub(" ", folded).strip()


def search_key(*parts: object) -> str:
    """The parts (None skipped) decomposed, without accents, casefolded, spaces collapsed, one per line."""
    return SEPARATOR.join(key for part in parts if part is not None and (key := _fold(str(part))))[:KEY_LENGTH]


def matches(q: str | None, *keys: InstrumentedAttribute[str] | ColumnElement[str]) -> ColumnElement[bool]:
    """The condition "one of these search keys contains what was typed"; true when nothing was typed."""
    wanted = search_key(q) if q else ""
    if not wanted:
        return true()
    if not keys:
        return false()
    return or_(*(key.contains(wanted, autoescape=True) for key in keys))


class Searchable:
    """A model found by a search box: declares `__search_fields__` and gets a `search_key` column."""

    __search_fields__: ClassVar[tuple[str, ...]] = ()

    # The normalised text the search looks in; written by the flush hook below, never by hand.
    search_key: Mapped[str] = mapped_column(String(KEY_LENGTH), default="", server_default="", index=True)

    def compute_search_key(self) -> str:
        return search_key(*(getattr(self, name) for name in self.__search_fields__))


def row_search_key(model: type, row: dict[str, Any]) -> str:
    """The key of a row given as a dict (bulk inserts that bypass the session)."""
    return search_key(*(row.get(name) for name in getattr(model, "__search_fields__", ())))


def _refresh_keys(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Before a flush: the key of every new searchable row, and of each changed one whose fields changed."""
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Searchable):
            continue
        state = inspect(obj)
        if state.key is None or any(state.attrs[name].history.has_changes() for name in obj.__search_fields__):
            key = obj.compute_search_key()
            if state.key is None or state.attrs.search_key.loaded_value != key:
                obj.search_key = key


def install() -> None:
    """Keep the search keys of every app session current (idempotent)."""
    if not event.contains(AppSession, "before_flush", _refresh_keys):
        event.listen(AppSession, "before_flush", _refresh_keys)
