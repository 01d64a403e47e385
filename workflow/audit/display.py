"""How audit entries read to people: field labels, values in the reader's language, names for ids."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from babel import Locale
from flask import url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..actions.lifecycle import ActionStatus
from ..actions.models import Action
from ..activities.lifecycle import ActivityKind, ActivityStatus
from ..activities.models import Activity, DeliverableKind, ExpertSlot, SlotRole
from ..core.dates import day, moment
from ..core.i18n import _, _l
from ..core.labels import label
from ..deployments.lifecycle import DeploymentStatus
from ..experts.models import Expert, ExpertStatus, ExpertType, Gender
from ..finance.models import CostCategory
from ..knowledge.lifecycle import EventDocumentKind
from ..missions.lifecycle import ClaimStatus
from ..missions.models import VisaStatus
from ..reference.choices import locale_code
from ..reference.models import Institution, Region, SubTopic, ThematicArea
from ..reference.services import country_name
from ..requests.lifecycle import RequestStatus
from ..requests.models import Request
from ..results.models import DeliverableStageName, ImpactArea, ResultLevel
from .models import AuditEntry, EntryKind

FIELD_LABELS: dict[str, Any] = {
    "name": _l("Name"), "title": _l("Title"), "status": _l("Status"), "objective": _l("Objective"),
    "summary": _l("Summary"), "planned_start": _l("Planned start"), "planned_end": _l("Planned end"),
    "officer_id": _l("Officer"), "country_code": _l("Country"), "region_id": _l("Region"),
    "is_regional": _l("Regional"), "thematic_area_id": _l("Thematic area"),
    "beneficiaries": _l("Beneficiary institutions"), "expert_institutions": _l("Experts' administrations"),
    "subtopics": _l("Sub-topics"), "member_countries": _l("Member countries"),
    "assessment_waiver": _l("Assessment waiver"), "published": _l("Published"), "published_at": _l("Published on"),
    "request_id": _l("Request"), "kind": _l("Kind"), "city": _l("City"), "is_remote": _l("Remote"),
    "start_date": _l("Start date"), "end_date": _l("End date"), "languages": _l("Languages"),
    "participants_female": _l("Participants (women)"), "participants_male": _l("Participants (men)"),
    "participants_other": _l("Participants (other or undisclosed)"),
    "participant_institutions": _l("Institutions represented"), "report": _l("Report"),
    "reported_at": _l("Reported on"), "slots": _l("Expert slots"), "description": _l("Description"),
    "desired_start": _l("Desired start"), "clarification_question": _l("Clarification asked"),
    "clarification_answer": _l("Clarification given"), "decline_reason": _l("Reason for declining"),
    "submitted_at": _l("Submitted on"), "institution_id": _l("Institution"), "author_id": _l("Author"),
    "email": _l("E-mail"), "gender": _l("Gender"), "nationality": _l("Nationality"), "type": _l("Type"),
    "years_experience": _l("Years of experience"), "max_days_per_year": _l("Days per year at most"),
    "consent_at": _l("Consent given on"), "consent_version": _l("Consent version"), "cv_file_name": _l("CV"),
    "cv_content_type": _l("CV file type"), "nominated_by_id": _l("Nominated by"), "user_id": _l("User account"),
    "countries_worked": _l("Countries worked in"), "themes": _l("Expertise"), "role": _l("Role"),
    "locale": _l("Language"), "timezone": _l("Time zone"), "active": _l("Active"),
    "working_days": _l("Working days"), "expert_id": _l("Expert"), "slot_id": _l("Slot"),
    "activity_id": _l("Activity"), "action_id": _l("Action"), "attempt": _l("Attempt"),
    "invited_at": _l("Invited on"), "responded_at": _l("Answered on"),
    "release_approved_at": _l("Release approved on"), "release_approved_by_id": _l("Release approved by"),
    "mission_report": _l("Mission report"), "mission_report_file_name": _l("Mission report file"),
    "mission_report_at": _l("Mission report written on"), "proposed_by_id": _l("Proposed by"),
    "results": _l("Results"), "lessons_learned": _l("Lessons learned"),
    "officials_trained_female": _l("Officials trained (women)"), "officials_trained_male": _l("Officials trained (men)"),
    "officials_trained_other": _l("Officials trained (other or undisclosed)"),
    "institutions_reached": _l("Institutions reached"), "url": _l("Link"), "file_name": _l("File"),
    "content_type": _l("File type"), "size_bytes": _l("Size (bytes)"), "issued_on": _l("Issued on"),
    "language": _l("Language"), "places": _l("Places"), "reason": _l("Reason"), "prefix": _l("Token prefix"),
    "revoked_at": _l("Revoked on"), "uploaded_by_id": _l("Uploaded by"),
    "deadline": _l("Deadline"), "closed_at": _l("Closed on"), "outcome": _l("Decision"),
    "decided_by_id": _l("Decided by"), "has_veto": _l("Veto"),
    "source_action_id": _l("Made from Action"), "rated_by_id": _l("Rated by"), "removed_at": _l("Removed on"),
    # money (workflow/finance)
    "category": _l("Cost category"), "amount_eur": _l("Budget (EUR)"), "planned_eur": _l("Planned (EUR)"),
    "committed_eur": _l("Committed (EUR)"), "actual_eur": _l("Actual (EUR)"), "currency": _l("Currency"),
    "local_amount": _l("Amount in that currency"), "rate": _l("Exchange rate (units for one euro)"),
    "rate_date": _l("Date of the exchange rate"), "quantity": _l("Days"), "unit_eur": _l("Daily rate (EUR)"),
    "deployment_id": _l("Deployment"), "source": _l("Source"), "budget_eur": _l("Budget (EUR)"),
    "total_eur": _l("Total (EUR)"), "measure": _l("Measure"), "daily_eur": _l("Daily amount (EUR)"),
    "effective_from": _l("In force from"), "expert_type": _l("Expert type"),
    # missions (workflow/missions)
    "outbound_date": _l("Outbound travel date"), "outbound_route": _l("Outbound route"),
    "outbound_booking": _l("Outbound booking reference"), "outbound_cost_eur": _l("Outbound cost (EUR)"),
    "return_date": _l("Return travel date"), "return_route": _l("Return route"),
    "return_booking": _l("Return booking reference"), "return_cost_eur": _l("Return cost (EUR)"),
    "accommodation": _l("Accommodation"), "visa_status": _l("Visa"), "visa_date": _l("Visa date"),
    "insurance": _l("Insurance"), "text": _l("Item"), "done_at": _l("Done on"), "version": _l("Version"),
    "accepted_at": _l("Accepted on"), "approved_eur": _l("Approved (EUR)"), "return_reason": _l("Reason for returning"),
    "amount": _l("Amount"), "receipt_file_name": _l("Receipt"),
    # knowledge events and good practices (workflow/knowledge)
    "host_institution": _l("Host institution"), "theme": _l("Theme"),
    "conditions": _l("Conditions that made it work"), "impact_areas": _l("Impact areas"),
    "withdrawn_reason": _l("Why it is withdrawn"), "removal_reason": _l("Why it is removed"),
    "actions": _l("Actions"), "deliverables": _l("Deliverables"), "indicators": _l("Indicators"),
    "event_id": _l("Source event"), "staffing_activity_id": _l("Staffing activity"), "institution": _l("Institution"),
    "female": _l("Women"), "male": _l("Men"), "other": _l("Other or undisclosed"),
}

OBJECT_LABELS: dict[str, Any] = {
    "request": _l("Request"), "action": _l("Action"), "activity": _l("Activity"), "deployment": _l("Deployment"),
    "expert": _l("Expert"), "user": _l("User"), "api_token": _l("API token"),
    "plan_template": _l("Plan template"),
    "steering_member": _l("Steering Committee member"),
    "allowance_rate": _l("Daily-allowance rate"), "fee_rate": _l("Fee rate"),
    "expense_claim": _l("Expense claim"),
    "knowledge_event": _l("Knowledge-sharing event"), "practice": _l("Good practice"),
}

PART_LABELS: dict[str, Any] = {
    "deliverable": _l("Deliverable"), "translation": _l("Translation"), "final_report": _l("Final report"),
    "unavailability": _l("Unavailability"),
    "consultation": _l("Steering Committee consultation"), "decision": _l("Decision"),
    "expert_slot": _l("Expert slot"),
    "budget_line": _l("Budget line"), "cost_line": _l("Cost line"), "budget_overrun": _l("Budget overrun"),
    "logistics": _l("Mission logistics"), "checklist_item": _l("Checklist item"),
    "letter_acceptance": _l("Letter of assignment accepted"), "claim_item": _l("Expense item"),
    "assignment_letter": _l("Letter of assignment (its current version)"),
    "results_framework": _l("Results framework"), "expected_result": _l("Expected result"),
    "indicator": _l("Indicator"), "measurement": _l("Measurement"), "deliverable_stage": _l("News of a deliverable"),
    "participants": _l("Participants"), "document": _l("Document"),
}

EVENT_LABELS: dict[str, Any] = {
    "created": _l("Created"), "updated": _l("Changed"), "deleted": _l("Deleted"), "transition": _l("Status changed"),
    # security events
    "login": _l("Signed in"), "login_failed": _l("Failed sign-in"), "login_throttled": _l("Sign-in throttled"),
    "logout": _l("Signed out"), "password_changed": _l("Password changed"),
    "password_reset_requested": _l("Password reset asked"), "password_reset": _l("Password reset"),
    "sessions_ended": _l("Sessions ended"), "token_created": _l("API token created"),
    "token_revoked": _l("API token revoked"), "token_used": _l("API token used"), "role_changed": _l("Role changed"),
    "account_disabled": _l("Account disabled"), "expert_erased": _l("Expert erased"),
    "data_exported": _l("Personal data exported"), "consent_given": _l("Consent given"),
    "consent_withdrawn": _l("Consent withdrawn"), "outbox_retried": _l("Failed e-mail sent again"),
}

# Which enum a stored value belongs to, by the record (or part) it was stored for.
ENUMS: dict[tuple[str, str], type[StrEnum]] = {
    ("request", "status"): RequestStatus, ("action", "status"): ActionStatus, ("activity", "status"): ActivityStatus,
    ("deployment", "status"): DeploymentStatus, ("expert", "status"): ExpertStatus,
    ("activity", "kind"): ActivityKind, ("deliverable", "kind"): DeliverableKind, ("user", "role"): Role,
    ("deployment", "role"): SlotRole, ("expert_slot", "role"): SlotRole, ("expert", "gender"): Gender, ("expert", "type"): ExpertType,
    ("budget_line", "category"): CostCategory, ("cost_line", "category"): CostCategory,
    ("budget_overrun", "category"): CostCategory, ("fee_rate", "expert_type"): ExpertType,
    ("logistics", "visa_status"): VisaStatus, ("expense_claim", "status"): ClaimStatus,
    ("expected_result", "level"): ResultLevel, ("indicator", "impact_area"): ImpactArea,
    ("deliverable_stage", "stage"): DeliverableStageName, ("document", "kind"): EventDocumentKind,
}

USER_FIELDS = frozenset({"officer_id", "author_id", "user_id", "proposed_by_id", "release_approved_by_id",
                         "uploaded_by_id", "nominated_by_id", "rated_by_id", "decided_by_id"})
INSTITUTION_FIELDS = frozenset({"institution_id", "beneficiaries", "expert_institutions"})
COUNTRY_FIELDS = frozenset({"country_code", "nationality", "member_countries", "countries_worked"})
LANGUAGE_FIELDS = frozenset({"language", "languages", "locale"})
REFERENCES: dict[str, tuple[type, str]] = {  # field -> (model, attribute that names it)
    "thematic_area_id": (ThematicArea, "name"), "region_id": (Region, "name"), "subtopics": (SubTopic, "name"),
    "expert_id": (Expert, "name"), "activity_id": (Activity, "title"), "action_id": (Action, "name"),
    "request_id": (Request, "title"), "source_action_id": (Action, "name"),
}
TRANSLATED_NAMES = (ThematicArea, Region, SubTopic)  # stored in English, translated through the catalogues

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
LONG_TEXT = 300


def field_label(name: str) -> str:
    known = FIELD_LABELS.get(name)
    return str(known) if known is not None else name.replace("_", " ").capitalize()


def event_label(entry: AuditEntry) -> str:
    part = entry.detail.get("part") if entry.kind is EntryKind.CHANGE else None
    if part:
        what = str(PART_LABELS.get(part, part.replace("_", " ").capitalize()))
        return {"created": _("%(part)s added", part=what), "deleted": _("%(part)s removed", part=what)}.get(
            entry.event, _("%(part)s changed", part=what))
    known = EVENT_LABELS.get(entry.event)
    return str(known) if known is not None else entry.event.replace("_", " ").capitalize()


def object_type_label(object_type: str | None) -> str:
    if not object_type:
        return ""
    known = OBJECT_LABELS.get(object_type)
    return str(known) if known is not None else object_type.replace("_", " ").capitalize()


def object_url(object_type: str | None, object_id: int | None) -> str | None:
    """The page of a record, for the ones that have one."""
    endpoints = {"action": ("actions.show", "action_id"), "activity": ("activities.show", "activity_id"),
                 "request": ("requests.show", "request_id"), "expert": ("experts.show", "expert_id"),
                 "deployment": ("deployments.show", "deployment_id"),
                 "plan_template": ("plans.show", "template_id"),
                 "knowledge_event": ("knowledge.event", "event_id"), "practice": ("knowledge.practice", "practice_id")}
    if object_type not in endpoints or object_id is None:
        return None
    endpoint, arg = endpoints[object_type]
    return url_for(endpoint, **{arg: object_id})


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class EntryView:
    entry: AuditEntry
    actor: str
    what: str
    changes: list[Change] = field(default_factory=list)
    note: str | None = None  # a transition's reason, a security event's detail

    @property
    def at(self) -> datetime:
        return self.entry.at

    @property
    def is_transition(self) -> bool:
        return self.entry.event == "transition"


class Names:
    """Names for the ids the entries mention, looked up once per page (one query per kind)."""

    def __init__(self, session: Session, entries: Iterable[AuditEntry]) -> None:
        wanted: dict[str, set[Any]] = {}
        for entry in entries:
            values = [(name, pair) for name, pair in (entry.changes or {}).items()]
            values += [(name, [value]) for name, value in (entry.detail or {}).items()]
            for name, pair in values:
                for value in pair or ():
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, dict) and "thematic_area_id" in item:
                            wanted.setdefault("thematic_area_id", set()).add(item["thematic_area_id"])
                        elif item is not None:
                            wanted.setdefault(name, set()).add(item)
        self.users = self._load(session, User, "name", _ints(wanted, USER_FIELDS))
        self.institutions = {i.id: i.label for i in session.scalars(select(Institution).where(
            Institution.id.in_(_ints(wanted, INSTITUTION_FIELDS))))} if _ints(wanted, INSTITUTION_FIELDS) else {}
        # A slot has no name: it reads as what it is ("1 × Expert (theme, language)"); its theme is named too.
        self.slots = {row.id: {"role": row.role.value, "thematic_area_id": row.thematic_area_id,
                               "language": row.language, "places": row.places}
                      for row in session.execute(select(ExpertSlot.id, ExpertSlot.role, ExpertSlot.thematic_area_id,
                                                        ExpertSlot.language, ExpertSlot.places)
                                                 .where(ExpertSlot.id.in_(_ints(wanted, {"slot_id"}))))
                      } if _ints(wanted, {"slot_id"}) else {}
        wanted.setdefault("thematic_area_id", set()).update(s["thematic_area_id"] for s in self.slots.values())
        self.references = {name: self._load(session, model, attr, _ints(wanted, {name}))
                           for name, (model, attr) in REFERENCES.items()}

    @staticmethod
    def _load(session: Session, model: type, attr: str, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = session.execute(select(model.id, getattr(model, attr)).where(model.id.in_(ids)))  # type: ignore[attr-defined]
        translate = model in TRANSLATED_NAMES
        return {i: (gettext(n) if translate else n) for i, n in rows}


def _ints(wanted: dict[str, set[Any]], names: Iterable[str]) -> set[int]:
    return {v for n in names for v in wanted.get(n, ()) if isinstance(v, int) and not isinstance(v, bool)}


def _language_name(code: str) -> str:
    try:
        return Locale.parse(locale_code()).languages.get(code, code)
    except (ValueError, TypeError):
        return code


def show_value(value: Any, name: str, context: str, names: Names) -> str:
    """One stored value as the reader should see it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(show_value(v, name, context, names) for v in value)
    if isinstance(value, dict):
        if name == "slots":
            role = label(SlotRole(value["role"])) if value.get("role") in SlotRole._value2member_map_ else value.get("role")
            return _("%(places)s × %(role)s (%(theme)s, %(language)s)", places=value.get("places"), role=role,
                     theme=names.references["thematic_area_id"].get(value.get("thematic_area_id"), "?"),
                     language=_language_name(str(value.get("language"))))
        if name == "themes":
            return _("%(theme)s, level %(level)s",
                     theme=names.references["thematic_area_id"].get(value.get("thematic_area_id"), "?"),
                     level=value.get("level"))
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    enum = ENUMS.get((context, name))
    if enum is not None and value in enum._value2member_map_:
        return str(label(enum(value)))
    if name in USER_FIELDS:
        return names.users.get(value, _("account #%(id)s", id=value))
    if name == "slot_id":
        slot = names.slots.get(value)
        return show_value(slot, "slots", context, names) if slot else _("a removed slot")
    if name in INSTITUTION_FIELDS:
        return names.institutions.get(value, f"#{value}")
    if name in REFERENCES:
        return names.references[name].get(value, f"#{value}")
    if name in COUNTRY_FIELDS and isinstance(value, str):
        return country_name(value, locale_code())
    if name == "languages" and isinstance(value, str) and ":" in value:  # an expert's "es:C1"
        code, level = value.split(":", 1)
        return f"{_language_name(code)} {level}"
    if name in LANGUAGE_FIELDS and isinstance(value, str):
        return _language_name(value)
    if isinstance(value, str) and _ISO_DATE.match(value):
        return day(date.fromisoformat(value))
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        try:
            return moment(datetime.fromisoformat(value))
        except ValueError:
            return value
    text = str(value)
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT].rstrip() + "…"


def context_of(entry: AuditEntry) -> str:
    return (entry.detail or {}).get("part") or entry.object_type or ""


def view_entries(session: Session, entries: Sequence[AuditEntry]) -> list[EntryView]:
    """Entries ready for a template: actor names, humanised fields, values in the reader's language."""
    names = Names(session, entries)
    views = []
    for entry in entries:
        context = context_of(entry)
        changes = [Change(field_label(name), show_value(pair[0], name, context, names),
                          show_value(pair[1], name, context, names))
                   for name, pair in (entry.changes or {}).items() if isinstance(pair, list) and len(pair) == 2]
        detail = entry.detail or {}
        note = detail.get("reason")
        if entry.kind is EntryKind.SECURITY:
            note = ", ".join(f"{field_label(k)}: {show_value(v, k, 'security', names)}" for k, v in detail.items()) or None
        elif detail.get("slot"):  # an expert slot: what it is, named
            described = show_value(detail["slot"], "slots", context, names)
            note = described if not note else f"{described} — {note}"
        elif detail.get("part_label"):
            note = detail["part_label"] if not note else f"{detail['part_label']} — {note}"
        actor = entry.actor.name if entry.actor is not None else (
            _("Deleted account") if entry.actor_id is not None else _("System"))
        views.append(EntryView(entry=entry, actor=actor, what=event_label(entry), changes=changes, note=note))
    return views


def summary(views: Sequence[EntryView]) -> str:
    """What others changed, in one sentence per person: "Ana Officer changed: Title “X” → “Y”; …"."""
    by_actor: dict[str, dict[str, Change]] = {}
    # The record's own fields first, then its parts' (an activity's title before its slots).
    for view in sorted(views, key=lambda v: bool((v.entry.detail or {}).get("part"))):
        changes = by_actor.setdefault(view.actor, {})
        part = (view.entry.detail or {}).get("part")
        for change in view.changes:
            # A part's change says which part: "Expert slot (2 × Expert (…)): Places".
            name = f"{view.what} ({view.note}): {change.field}" if part and view.note else (
                f"{view.what}: {change.field}" if part else change.field)
            earlier = changes.get(name)
            changes[name] = Change(name, earlier.old if earlier else change.old, change.new)
    sentences = []
    for actor, changes in by_actor.items():
        if changes:
            listed = "; ".join(f"{c.field} “{c.old}” → “{c.new}”" for c in changes.values())
            sentences.append(_("%(name)s changed: %(changes)s.", name=actor, changes=listed))
    return " ".join(sentences)
