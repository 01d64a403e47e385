"""Checking a file against the official IATI 2.03 schemas vendored in `schemas/2.03` (see VENDORED.md)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas" / "2.03"
FILES = {"activities": "iati-activities-schema.xsd", "organisations": "iati-organisations-schema.xsd"}


@lru_cache(maxsize=2)
def schema(kind: str) -> etree.XMLSchema:
    """The official schema of `activities` or `organisations` files (it includes iati-common.xsd and xml.xsd)."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / FILES[kind])))


def problems(document: bytes, kind: str) -> list[str]:
    """What the schema finds wrong with the document: an empty list for a valid file."""
    checker = schema(kind)
    if checker.validate(etree.fromstring(document)):
        return []
    return [f"line {error.line}: {error.message}" for error in checker.error_log]
