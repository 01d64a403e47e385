"""The normalised search key: what a search compares, on every database."""

from __future__ import annotations

import pytest
from sqlalchemy import column
from sqlalchemy.dialects import postgresql, sqlite

from workflow.core.search import KEY_LENGTH, matches, search_key


@pytest.mark.parametrize(("typed", "key"), [
    ("São Paulo", "sao paulo"),
    ("González", "gonzalez"),
    ("ÖSTERREICH", "osterreich"),
    ("Österreich", "osterreich"),
    ("Олена", "олена"),
    ("ОЛЕНА", "олена"),
    ("Ελλάδα", "ελλαδα"),
    ("Straße", "strasse"),
    ("STRASSE", "strasse"),
    ("Łódź", "lodz"),
    ("Ærøskøbing", "aeroskobing"),
    ("Œuvre", "oeuvre"),
    ("Đakovo", "dakovo"),
    ("ﬁnance", "finance"),  # a ligature NFKD splits
    ("  Lima \t  Perú\n", "lima peru"),
    ("100% sure_", "100% sure_"),
    ("", ""),
])
def test_a_key_drops_accents_case_and_extra_spaces(typed, key):
    assert search_key(typed) == key


def test_a_key_keeps_each_field_on_its_own_line_and_skips_the_missing():
    assert search_key("Instituto Nacional", None, "INM") == "instituto nacional\ninm"
    assert search_key(None, "  ") == ""


def test_a_key_is_never_longer_than_its_column():
    assert len(search_key("\ufdfa" * 200)) == KEY_LENGTH  # a ligature NFKD turns into 18 letters


def test_what_was_typed_is_found_inside_the_key_of_what_was_stored():
    for stored, typed in [("São Paulo", "sao paulo"), ("González", "GONZALEZ"), ("Österreich", "österreich"),
                          ("Олена Коваленко", "олена")]:
        assert search_key(typed) in search_key(stored)


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgresql"])
def test_a_search_escapes_like_wildcards(dialect):
    compiled = matches("100%_/", column("search_key")).compile(dialect=dialect)
    assert list(compiled.params.values()) == ["100/%/_//"] and "ESCAPE '/'" in str(compiled)


def test_nothing_typed_is_no_condition_and_a_search_covers_every_key():
    assert str(matches("  ", column("a"))) == "true"
    assert str(matches(None, column("a"))) == "true"
    both = str(matches("x", column("a"), column("b")))
    assert "a LIKE" in both and "b LIKE" in both and " OR " in both
