"""How codes read to people: `fact_finding_mission` -> "Fact-finding mission"."""

from __future__ import annotations

from typing import Any

_SPECIAL = {
    "fact_finding_mission": "Fact-finding mission",
    "round_table": "Round-table",
    "e_learning_module": "E-learning module",
    "deliverable_drafting": "Drafting of a deliverable",
    "long_distance_assistance": "Long-distance assistance",
    "ms_focal_point": "Member-state focal point",
    "ms_official": "Member-state official",
    "partner_peer": "Partner-country peer",
    "ms_administration": "EU member-state administration",
}


def label(value: Any) -> str:
    code = str(getattr(value, "value", value) or "")
    return _SPECIAL.get(code) or code.replace("_", " ").capitalize()
