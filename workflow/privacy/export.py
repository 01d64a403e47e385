"""Everything Peerflow holds about one expert, as plain JSON-ready data (the subject access export).

Each package that holds the expert's data answers for its own tables (its `privacy.py`, through the
`personal_data_requested` signal); this module puts their sections together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..core import signals
from ..experts.models import Expert

FORMAT = "peerflow-expert-data"
FORMAT_VERSION = 1
# The sections in the order the privacy notice lists them (a package's own sections follow, if any).
SECTIONS = ("profile", "account", "languages", "themes", "unavailability", "deployments", "consents", "ratings",
            "calls", "proposals", "notifications", "emails")
FILE_KINDS = ("cv", "mission_report", "call_answer_cv", "receipt")


def expert_data(session: Session, expert: Expert, *, now: datetime) -> dict[str, Any]:
    """The expert's data, grouped as the privacy notice lists it."""
    sections: dict[str, Any] = {}
    files: list[dict[str, Any]] = []
    for _listener, part in signals.personal_data_requested.send(expert, session=session):
        files += part.pop("files", [])
        sections.update(part)
    ordered = {name: sections.pop(name) for name in SECTIONS if name in sections}
    files.sort(key=lambda file: FILE_KINDS.index(file["kind"]) if file["kind"] in FILE_KINDS else len(FILE_KINDS))
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "exported_at": now.isoformat(),
            **ordered, **sections, "files": files}
