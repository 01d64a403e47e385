"""Action names follow their series: the highest numeral plus one, never reused, never back-filled (no database)."""

import pytest

from workflow.actions.naming import (
    highest_number,
    name_in_series,
    next_name,
    organisation_series,
    parse_roman,
    roman,
    series_base,
    series_number,
)


@pytest.mark.parametrize("n, numeral", [(1, "I"), (2, "II"), (4, "IV"), (5, "V"), (9, "IX"), (14, "XIV"), (40, "XL"),
                                        (1994, "MCMXCIV"), (3999, "MMMCMXCIX")])
def test_roman_numerals_both_ways(n, numeral):
    assert roman(n) == numeral
    assert parse_roman(numeral) == n
    assert parse_roman(numeral.lower()) == n


@pytest.mark.parametrize("text", ["", "IIII", "IC", "VV", "IIV", "XM", "MMMM", "II I", "2", "Iv2", "city", "DIXI "])
def test_only_well_formed_numerals_are_read(text):
    assert parse_roman(text) is None


@pytest.mark.parametrize("number", [0, -1, 4000])
def test_numerals_cover_one_to_3999(number):
    with pytest.raises(ValueError):
        roman(number)


def test_first_action_of_a_country_has_no_numeral():
    assert next_name("Mexico", []) == "Mexico"
    assert next_name("Mexico", ["Peru", "Peru II", "Mexico City"]) == "Mexico"


def test_fifth_costa_rica_action_is_costa_rica_v():
    taken = {"Costa Rica", "Costa Rica II", "Costa Rica III", "Costa Rica IV"}
    assert next_name("Costa Rica", taken) == "Costa Rica V"


def test_a_name_is_never_given_twice_even_with_gaps():
    # Peru and Peru III exist (there never was a Peru II): the third Peru Action is Peru IV.
    assert next_name("Peru", {"Peru", "Peru III"}) == "Peru IV"


def test_gaps_stay_gaps_the_highest_numeral_decides():
    assert next_name("Mexico", ["Mexico", "Mexico III"]) == "Mexico IV"
    assert next_name("Mexico", ["Mexico III"]) == "Mexico IV"  # the bare name is never back-filled
    assert next_name("Costa Rica", ["Costa Rica V", "Costa Rica"]) == "Costa Rica VI"  # nor II, III, IV


def test_the_bare_name_and_numeral_i_both_count_as_the_first():
    assert series_number("Paraguay", "Paraguay") == 1
    assert series_number("Paraguay I", "Paraguay") == 1
    assert next_name("Paraguay", ["Paraguay I"]) == "Paraguay II"
    assert next_name("Paraguay", ["Paraguay"]) == "Paraguay II"


def test_case_and_spacing_do_not_hide_a_name_of_the_series():
    assert series_number("costa  rica iv", "Costa Rica") == 4
    assert series_number("  Costa Rica   V ", "Costa Rica") == 5
    assert next_name("Costa Rica", ["COSTA RICA IV"]) == "Costa Rica V"
    assert next_name(" Costa  Rica ", ["Costa Rica"]) == "Costa Rica II"


@pytest.mark.parametrize("name", ["Mexico City", "Mexico IIII", "Mexico 2", "Mexico-II", "Mexicon", "New Mexico II",
                                  "Mexico II bis", "Mexico XM"])
def test_names_outside_the_series_do_not_count(name):
    assert series_number(name, "Mexico") is None
    assert next_name("Mexico", [name]) == "Mexico"


def test_highest_number_and_name_in_series():
    assert highest_number("SICA", ["SICA", "SICA II", "MERCOSUR IV"]) == 2
    assert highest_number("CAN", ["Canada", "CARICOM"]) == 0
    assert [name_in_series("SICA", n) for n in (1, 2, 3)] == ["SICA", "SICA II", "SICA III"]


@pytest.mark.parametrize("name, base", [("SICA II", "SICA"), ("SICA", "SICA"), ("Gran Chaco III", "Gran Chaco"),
                                        ("Gran Chaco", "Gran Chaco"), ("I", "I"), ("Costa Rica IIII", "Costa Rica IIII")])
def test_series_base(name, base):
    assert series_base(name) == base


SERIES = ["SICA", "MERCOSUR", "IberRed", "MIRPS", "Gran Chaco"]


@pytest.mark.parametrize("acronym, name, series", [
    ("SG-SICA", "General Secretariat of the Central American Integration System", "SICA"),
    (None, "Secretariat of SICA", "SICA"),
    ("PARLACEN", "Central American Parliament (SICA)", "SICA"),
    ("PARLASUR", "Parliament of MERCOSUR", "MERCOSUR"),
    ("IberRed", "Ibero-American Network for International Legal Cooperation", "IberRed"),
    ("sg-sica", "Secretaría General", "SICA"),
    (None, "Technical secretariat of the Gran Chaco", "Gran Chaco"),
])
def test_an_institution_of_a_regional_organisation_continues_its_series(acronym, name, series):
    assert organisation_series(acronym, name, SERIES) == series


def test_an_organisation_without_a_series_starts_one_under_its_acronym_or_name():
    assert organisation_series("CARICOM", "Caribbean Community", SERIES) == "CARICOM"
    assert organisation_series(None, "Caribbean  Community", SERIES) == "Caribbean Community"
    assert organisation_series("SICA", "Central American Integration System", []) == "SICA"
    # a word inside a longer word is not the organisation: "SICAL" is not SICA
    assert organisation_series("SICAL", "Sistema de Integración Cal", SERIES) == "SICAL"


def test_the_acronym_decides_before_the_name_and_longer_bases_first():
    assert organisation_series("SG-SICA", "Observer of MERCOSUR", SERIES) == "SICA"
    assert organisation_series(None, "Chaco network", ["Chaco", "Gran Chaco"]) == "Chaco"
    assert organisation_series(None, "Gran Chaco network", ["Chaco", "Gran Chaco"]) == "Gran Chaco"
