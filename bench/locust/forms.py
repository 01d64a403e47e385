"""The forms and links of a page, read as a browser would: what the Locust users fill in and follow.

`forms(html)` returns every <form> with its method, action and the values a browser would send as the page
stands (hidden fields such as the CSRF token and the record's version, text inputs' values, the selected
option of each select or else its first, checked boxes and radios, textareas); a journey changes a few of
them and posts the rest as they are. `links(html, pattern)` returns the distinct links matching a regex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str | list[str]] = field(default_factory=dict)  # a multiple select: the list chosen
    selects: dict[str, list[str]] = field(default_factory=dict)  # each select's option values, in order

    def values(self, **changes: str | list[str]) -> dict[str, str | list[str]]:
        return {**self.fields, **changes}


class _Reader(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.found: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._multiple = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action") or self.url, method=(a.get("method") or "get").lower())
            self.found.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form.fields[name] = a.get("value", "on")
            elif kind not in {"submit", "button", "file", "reset", "image"}:
                self._form.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._multiple = name, "multiple" in a
            self._form.selects[name] = []
            if self._multiple:
                self._form.fields[name] = []
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._form.selects[self._select].append(value)
            chosen = self._form.fields.get(self._select)
            if self._multiple:
                if "selected" in a and isinstance(chosen, list):
                    chosen.append(value)
            elif "selected" in a or chosen is None:  # the selected option, else the first
                self._form.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._form is not None and self._textarea:
                text = self._form.fields[self._textarea]
                self._form.fields[self._textarea] = text.removeprefix("\n") if isinstance(text, str) else text
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms(html: str, url: str = "") -> list[Form]:
    reader = _Reader(url)
    reader.feed(html)
    return reader.found


def form(html: str, action: str, url: str = "") -> Form | None:
    """The first POST form whose action matches the regex `action` (the page's own URL when it has none)."""
    return next((f for f in forms(html, url) if f.method == "post" and re.search(action, f.action)), None)


def own_form(html: str, url: str) -> Form | None:
    """The page's own POST form: the one that posts back to the page's address (no action, or that one)."""
    return form(html, "^" + re.escape(url) + "$", url)


def links(html: str, pattern: str) -> list[str]:
    """The distinct href values that match the regex `pattern`, in page order."""
    seen: dict[str, None] = {}
    for href in re.findall(r'href="([^"]+)"', html):
        href = unescape(href)
        if re.fullmatch(pattern, href):
            seen.setdefault(href, None)
    return list(seen)
