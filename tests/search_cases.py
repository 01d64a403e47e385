"""What people type and what it must find: shared by the search tests of the pages and the API."""

from __future__ import annotations

# One record per label; each search below must find exactly the record it names among them.
LABELS = {
    "sao": "São Paulo",
    "gonzalez": "González",
    "austria": "Österreich",
    "olena": "Олена",
    "percent": "100% sure",
    "near": "1000 sure",  # matched by "100%" only if the user's % were a LIKE wildcard
}
QUERIES = [
    ("sao paulo", "sao"),
    ("gonzalez", "gonzalez"),
    ("ÖSTERREICH", "austria"),
    ("osterreich", "austria"),
    ("олена", "olena"),
    ("100%", "percent"),
]
QUERY_IDS = [q for q, _ in QUERIES]
# A neutral name for the record found through a related one (an activity by its Action's name): no query matches it.
CODES = dict(zip(LABELS, "ABCDEF", strict=True))


def found(texts: str | list[str], prefix: str = "") -> set[str]:
    """The labels (after `prefix`) in a page's text (as a part), or among a JSON list's values (as a whole)."""
    return {key for key, label in LABELS.items() if f"{prefix}{label}" in texts}


def found_codes(texts: str | list[str], prefix: str, end: str = "") -> set[str]:
    """The records named `prefix` + code (+ `end`) in a page's text or among a JSON list's values."""
    return {key for key, code in CODES.items() if f"{prefix}{code}{end}" in texts}
