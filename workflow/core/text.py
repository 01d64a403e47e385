"""Control characters: refused in every field a person or a program fills in.

A line break in a one-line field (a name, a title) ends up in places that are one line by nature: a
calendar feed's property, an e-mail header, a CSV cell, a log line. So one-line fields refuse every
control character (Unicode category Cc: NUL, tab, CR, LF, DEL, the C1 range) and the line and
paragraph separators U+2028 and U+2029; multi-line fields keep line breaks and tabs and refuse the rest.
Forms check this in `workflow.core.forms` (every form's fields), the API in `workflow.api` (its
argument parser, every schema).
"""

from __future__ import annotations

import unicodedata

SEPARATORS = frozenset("\u2028\u2029")
KEPT_IN_MULTI_LINE = frozenset("\n\r\t")


def forbidden_characters(value: str, *, multi_line: bool = False) -> list[str]:
    """The characters of `value` a field of that kind refuses, in order, each once."""
    found: list[str] = []
    for char in value:
        if multi_line and char in KEPT_IN_MULTI_LINE:
            continue
        if (char in SEPARATORS or unicodedata.category(char) == "Cc") and char not in found:
            found.append(char)
    return found


def has_forbidden_characters(value: object, *, multi_line: bool = False) -> bool:
    return isinstance(value, str) and bool(forbidden_characters(value, multi_line=multi_line))
