"""Action names: "Costa Rica", "Costa Rica II", …; "SICA", "SICA II", … (pure: no database).

- A series is a base name (the country's English name, or a regional organisation's name) and the
  names made of the base and a Roman numeral. The bare base counts as I, and so does "Base I".
- A new Action takes the highest numeral used in its series, plus one. Gaps stay gaps and a name is
  never reused or back-filled: with "Mexico" and "Mexico III", the next is "Mexico IV".
- Names are compared ignoring case and runs of spaces ("costa  rica iv" is Costa Rica IV), and only a
  well-formed numeral counts ("Mexico IIII" or "Mexico City" is not in the Mexico series).
- A request from a regional organisation's institution (its secretariat, its parliament…) continues
  the organisation's series: the series whose base appears as whole words in the institution's
  acronym or name ("SG-SICA" and "General Secretariat of SICA" continue "SICA"; "Parliament of
  MERCOSUR" continues "MERCOSUR"). Without such a series, the institution's acronym (or name) starts one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
_NUMERAL = re.compile(r"^[MDCLXVI]+$")
_WORD = re.compile(r"[^\W_]+")  # letters and digits; hyphens, dots and spaces separate words


def roman(number: int) -> str:
    """Return the Roman numeral of 1..3999."""
    if not 0 < number < 4000:
        raise ValueError("Roman numerals cover 1 to 3999")
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def parse_roman(text: str) -> int | None:
    """Return the value of a well-formed Roman numeral (any case), or None ("IIII", "IC" and "" are not)."""
    letters = text.upper()
    if not _NUMERAL.match(letters):
        return None
    value = 0
    for number, symbol in _ROMAN:
        while letters.startswith(symbol, 0):
            value += number
            letters = letters[len(symbol):]
    if letters or not 0 < value < 4000 or roman(value) != text.upper():
        return None
    return value


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def series_number(name: str, base: str) -> int | None:
    """Return the numeral of `name` in the series `base` (the bare base is 1), or None when not in it."""
    name, base = _normal(name), _normal(base)
    if name == base:
        return 1
    if not name.startswith(base + " "):
        return None
    return parse_roman(name[len(base) + 1:])


def highest_number(base: str, names: Iterable[str]) -> int:
    """Return the highest numeral the `names` use in the series `base` (0 when none is in it)."""
    return max((n for n in (series_number(name, base) for name in names) if n), default=0)


def name_in_series(base: str, number: int) -> str:
    """Return the `number`th name of the series: the bare base for 1, then "Base II", "Base III", …"""
    base = " ".join(base.split())
    return base if number == 1 else f"{base} {roman(number)}"


def next_name(base: str, names: Iterable[str]) -> str:
    """Return the next name of the series `base` among the existing `names`: the highest numeral plus one."""
    return name_in_series(base, highest_number(base, names) + 1)


def series_base(name: str) -> str:
    """Return the base of a name: "SICA II" -> "SICA", "Gran Chaco" -> "Gran Chaco"."""
    words = name.split()
    if len(words) > 1 and parse_roman(words[-1]):
        words = words[:-1]
    return " ".join(words)


def _words(text: str | None) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text or "")]


def _contains(words: list[str], phrase: list[str]) -> bool:
    size = len(phrase)
    return size > 0 and any(words[i:i + size] == phrase for i in range(len(words) - size + 1))


def organisation_series(acronym: str | None, name: str, series: Iterable[str]) -> str:
    """Return the series a regional organisation's institution continues, among the existing `series` bases.

    The base whose words appear in the acronym, else in the name (the longest base first, then
    alphabetically); without one, the institution's own acronym or name starts a series.
    """
    bases = sorted({" ".join(base.split()) for base in series if base.strip()}, key=lambda b: (-len(_words(b)), b))
    for text in (acronym, name):
        words = _words(text)
        for base in bases:
            if _contains(words, _words(base)):
                return base
    return " ".join((acronym or name).split())
