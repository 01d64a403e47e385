"""Translation helpers beside Flask-Babel's `gettext` / `lazy_gettext`.

- `N_("Text")` marks a string for extraction and returns it unchanged (gettext_noop): for English text
  stored in the database or kept in a table, translated later where it is shown (`_(region.name)`).
- `NP_("context", "Text")` does the same for a string with a context, translated with `pgettext`.
- `_l` (lazy_gettext) is for text evaluated at import time (form labels, choices, table values);
  `_` (gettext) at request time.

Outside an app context every one of them answers the English text, so pure code (the state machines,
the reminder rules) can use them and still be tested without Flask.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from flask_babel import gettext, lazy_gettext, lazy_ngettext, ngettext, pgettext

__all__ = ["N_", "NP_", "_", "_l", "gettext", "lazy_gettext", "lazy_ngettext", "native_language_name", "ngettext",
           "pgettext"]

_ = gettext
_l = lazy_gettext


def N_(string: str) -> str:
    """Mark `string` for translation without translating it (gettext_noop)."""
    return string


def NP_(context: str, string: str) -> str:
    """Mark `string` (with `context`) for translation without translating it; returns `string`."""
    return string


@lru_cache(maxsize=64)
def native_language_name(code: str) -> str:
    """A language named in itself ("español"), as a language switcher shows it."""
    return Locale.parse(code).get_display_name(code) or code
