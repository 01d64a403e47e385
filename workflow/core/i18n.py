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
from babel.support import NullTranslations
from flask import g, has_app_context
from flask_babel import get_translations, gettext, lazy_gettext, lazy_ngettext, ngettext, pgettext

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


def current_translations() -> NullTranslations:
    """Flask-Babel's translations for the locale in force, looked up once per locale in a request.

    Flask-Babel finds them anew on every call (its context, the locale's name, its cache): a page calls
    `_()` dozens of times, and the lookups were about a twentieth of a list page's time. Kept beside the
    locale object they were found for, so that `force_locale` (an e-mail in its recipient's language) and
    `refresh()` (a changed preference) are honoured: either puts a different locale object in place."""
    if not has_app_context():
        return get_translations()
    context = g.get("_flask_babel")
    locale = getattr(context, "babel_locale", None)
    kept = getattr(context, "peerflow_translations", None)
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()  # also settles the locale and the context
    context = g.get("_flask_babel")
    if context is not None:
        context.peerflow_translations = (getattr(context, "babel_locale", None), translations)
    return translations


def install_template_gettext(jinja_env) -> None:  # noqa: ANN001 - jinja2.Environment
    """Flask-Babel's template callables, with the translations found once per locale (`current_translations`)."""
    jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
