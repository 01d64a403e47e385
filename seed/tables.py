"""The seed's tables are JSON files under seed/data/ (its README says what each holds); this reads them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def table(name: str) -> Any:
    """The parsed JSON file seed/data/`name` (objects keep the order they are written in)."""
    with (DATA / name).open(encoding="utf-8") as file:
        return json.load(file)
