"""How codes read to people: `fact_finding_mission` -> "Fact-finding mission", in the reader's language.

Every enum shown on a page goes through `label()` (the `label` template filter). The English labels are
kept here, marked for extraction with their enum's name as the gettext context (so a translator can
tell a cancelled activity from a cancelled deployment, which differ in gender in Spanish and French),
and translated when `label()` is called. A value missing from the table reads as its code with spaces,
untranslated (tests/unit/test_translations.py checks that every enum is here).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from flask_babel import pgettext
from flask_babel.speaklater import LazyString

from .i18n import NP_

# context (the enum's class name, or "ReminderRule") -> code -> English label
LABELS: dict[str, dict[str, str]] = {
    "InstitutionKind": {
        "partner_administration": NP_("InstitutionKind", "Partner administration"),
        "ms_administration": NP_("InstitutionKind", "EU member-state administration"),
        "regional_organisation": NP_("InstitutionKind", "Regional organisation"),
        "academia": NP_("InstitutionKind", "Academia"),
        "ngo": NP_("InstitutionKind", "NGO"),
        "international_organisation": NP_("InstitutionKind", "International organisation"),
    },
    "Role": {
        "admin": NP_("Role", "Admin"),
        "officer": NP_("Role", "Officer"),
        "requester": NP_("Role", "Requester"),
        "ms_focal_point": NP_("Role", "Member-state focal point"),
        "expert": NP_("Role", "Expert"),
        "steering": NP_("Role", "Steering Committee member"),
    },
    "ActionStatus": {
        "accepted": NP_("ActionStatus", "Accepted"),
        "assessment": NP_("ActionStatus", "Assessment"),
        "implementation": NP_("ActionStatus", "Implementation"),
        "closing": NP_("ActionStatus", "Closing"),
        "closed": NP_("ActionStatus", "Closed"),
        "suspended": NP_("ActionStatus", "Suspended"),
        "cancelled": NP_("ActionStatus", "Cancelled"),
    },
    "ActivityKind": {
        "assessment_mission": NP_("ActivityKind", "Assessment mission"),
        "fact_finding_mission": NP_("ActivityKind", "Fact-finding mission"),
        "mapping_mission": NP_("ActivityKind", "Mapping mission"),
        "workshop": NP_("ActivityKind", "Workshop"),
        "seminar": NP_("ActivityKind", "Seminar"),
        "training": NP_("ActivityKind", "Training"),
        "training_of_trainers": NP_("ActivityKind", "Training of trainers"),
        "study_visit": NP_("ActivityKind", "Study visit"),
        "working_group_session": NP_("ActivityKind", "Working group session"),
        "information_session": NP_("ActivityKind", "Information session"),
        "coordination_session": NP_("ActivityKind", "Coordination session"),
        "round_table": NP_("ActivityKind", "Round-table"),
        "long_distance_assistance": NP_("ActivityKind", "Long-distance assistance"),
        "deliverable_drafting": NP_("ActivityKind", "Drafting of a deliverable"),
    },
    "ActivityStatus": {
        "planned": NP_("ActivityStatus", "Planned"),
        "confirmed": NP_("ActivityStatus", "Confirmed"),
        "postponed": NP_("ActivityStatus", "Postponed"),
        "delivered": NP_("ActivityStatus", "Delivered"),
        "reported": NP_("ActivityStatus", "Reported"),
        "cancelled": NP_("ActivityStatus", "Cancelled"),
    },
    "SlotRole": {
        "lead_expert": NP_("SlotRole", "Lead expert"),
        "expert": NP_("SlotRole", "Expert"),
        "trainer": NP_("SlotRole", "Trainer"),
    },
    "DeliverableKind": {
        "handbook": NP_("DeliverableKind", "Handbook"),
        "manual": NP_("DeliverableKind", "Manual"),
        "training_curriculum": NP_("DeliverableKind", "Training curriculum"),
        "national_plan": NP_("DeliverableKind", "National plan"),
        "protocol": NP_("DeliverableKind", "Protocol"),
        "guidelines": NP_("DeliverableKind", "Guidelines"),
        "study": NP_("DeliverableKind", "Study"),
        "e_learning_module": NP_("DeliverableKind", "E-learning module"),
        "strategy": NP_("DeliverableKind", "Strategy"),
        "law_draft": NP_("DeliverableKind", "Law or regulation draft"),
    },
    # --- results frameworks and the deliverables followed after closure (workflow/results)
    "ImpactArea": {
        "policy_development": NP_("ImpactArea", "Policy development"),
        "inter_institutional_coordination": NP_("ImpactArea", "Inter-institutional coordination"),
        "knowledge_production": NP_("ImpactArea", "Knowledge production"),
        "capacity_building": NP_("ImpactArea", "Capacity building and training"),
    },
    "ResultLevel": {
        "outcome": NP_("ResultLevel", "Outcome"),
        "output": NP_("ResultLevel", "Output"),
    },
    "DeliverableStageName": {
        "drafted": NP_("DeliverableStageName", "Drafted"),
        "validated": NP_("DeliverableStageName", "Validated by the beneficiary"),
        "adopted": NP_("DeliverableStageName", "Officially adopted"),
        "implemented": NP_("DeliverableStageName", "Implemented"),
    },
    "CostCategory": {
        "expert_fees": NP_("CostCategory", "Expert fees"),
        "daily_allowances": NP_("CostCategory", "Daily allowances"),
        "travel": NP_("CostCategory", "Travel"),
        "venue_catering": NP_("CostCategory", "Venue and catering"),
        "interpretation_translation": NP_("CostCategory", "Interpretation and translation"),
        "other": NP_("CostCategory", "Other costs"),
    },
    "LetterKind": {
        "assignment": NP_("LetterKind", "Letter of assignment"),
        "invitation": NP_("LetterKind", "Visa invitation letter"),
        "certificate": NP_("LetterKind", "Certificate of attendance"),
    },
    "VisaStatus": {
        "not_needed": NP_("VisaStatus", "Not needed"),
        "needed": NP_("VisaStatus", "Needed"),
        "requested": NP_("VisaStatus", "Requested"),
        "granted": NP_("VisaStatus", "Granted"),
    },
    "ClaimStatus": {
        "draft": NP_("ClaimStatus", "Draft"),
        "submitted": NP_("ClaimStatus", "Submitted"),
        "returned": NP_("ClaimStatus", "Returned"),
        "approved": NP_("ClaimStatus", "Approved"),
    },
    "ExpertType": {
        "ms_official": NP_("ExpertType", "Member-state official"),
        "partner_peer": NP_("ExpertType", "Partner-country peer"),
        "academic": NP_("ExpertType", "Academic"),
        "ngo": NP_("ExpertType", "NGO"),
        "international_organisation": NP_("ExpertType", "International organisation"),
    },
    "Gender": {
        "female": NP_("Gender", "Female"),
        "male": NP_("Gender", "Male"),
        "other": NP_("Gender", "Other"),
    },
    "ExpertStatus": {
        "nominated": NP_("ExpertStatus", "Nominated"),
        "approved": NP_("ExpertStatus", "Approved"),
        "active": NP_("ExpertStatus", "Active"),
        "inactive": NP_("ExpertStatus", "Inactive"),
    },
    "DeploymentStatus": {
        "proposed": NP_("DeploymentStatus", "Proposed"),
        "invited": NP_("DeploymentStatus", "Invited"),
        "accepted": NP_("DeploymentStatus", "Accepted"),
        "declined": NP_("DeploymentStatus", "Declined"),
        "expired": NP_("DeploymentStatus", "Expired"),
        "confirmed": NP_("DeploymentStatus", "Confirmed"),
        "completed": NP_("DeploymentStatus", "Completed"),
        "cancelled": NP_("DeploymentStatus", "Cancelled"),
    },
    "ReminderState": {
        "pending": NP_("ReminderState", "Pending"),
        "sending": NP_("ReminderState", "Sending"),
        "sent": NP_("ReminderState", "Sent"),
        "failed": NP_("ReminderState", "Failed"),
        "cancelled": NP_("ReminderState", "Cancelled"),
    },
    "EmailState": {
        "pending": NP_("EmailState", "Pending"),
        "sending": NP_("EmailState", "Sending"),
        "sent": NP_("EmailState", "Sent"),
        "failed": NP_("EmailState", "Failed"),
        "cancelled": NP_("EmailState", "Cancelled"),
    },
    "Delivery": {
        "email": NP_("Delivery", "E-mail at once"),
        "digest": NP_("Delivery", "Daily digest"),
        "app": NP_("Delivery", "In Peerflow only"),
    },
    "RequestStatus": {
        "draft": NP_("RequestStatus", "Draft"),
        "submitted": NP_("RequestStatus", "Submitted"),
        "under_review": NP_("RequestStatus", "Under review"),
        "consultation": NP_("RequestStatus", "Steering Committee consultation"),
        "clarification_requested": NP_("RequestStatus", "Clarification requested"),
        "accepted": NP_("RequestStatus", "Accepted"),
        "declined": NP_("RequestStatus", "Declined"),
        "withdrawn": NP_("RequestStatus", "Withdrawn"),
    },
    "MemberKind": {
        "committee_member": NP_("MemberKind", "Committee member"),
        "eu_delegation": NP_("MemberKind", "EU delegation"),
        "desk": NP_("MemberKind", "Desk"),
    },
    "ConsultationStatus": {
        "open": NP_("ConsultationStatus", "Open"),
        "closed": NP_("ConsultationStatus", "Closed"),
    },
    "Answer": {
        "support": NP_("Answer", "Support"),
        "object": NP_("Answer", "Object"),
    },
    "Outcome": {
        "approve": NP_("Outcome", "Approve"),
        "reject": NP_("Outcome", "Reject"),
        "ask_changes": NP_("Outcome", "Ask for changes"),
    },
    "PublicStatus": {
        "ongoing": NP_("PublicStatus", "Ongoing"),
        "completed": NP_("PublicStatus", "Completed"),
    },
    "EntryKind": {
        "change": NP_("EntryKind", "Change"),
        "security": NP_("EntryKind", "Security event"),
    },
    "CallStatus": {
        "open": NP_("CallStatus", "Open"),
        "stood_down": NP_("CallStatus", "Stood down"),
        "closed": NP_("CallStatus", "Closed"),
    },
    "RecipientKind": {
        "expert": NP_("RecipientKind", "Expert"),
        "focal_point": NP_("RecipientKind", "Focal point"),
    },
    "DeliveryState": {
        "pending": NP_("DeliveryState", "Waiting to be sent"),
        "sending": NP_("DeliveryState", "Sending"),
        "sent": NP_("DeliveryState", "Sent"),
        "failed": NP_("DeliveryState", "Failed"),
        "cancelled": NP_("DeliveryState", "Not sent (the call ended)"),
    },
    "AnswerKind": {
        "interested": NP_("AnswerKind", "Interested"),
        "not_available": NP_("AnswerKind", "Not available"),
    },
    "ConsentPurpose": {
        "roster": NP_("ConsentPurpose", "Being on the roster and proposed for deployments"),
    },
    # --- knowledge: good practices (workflow/knowledge)
    "PracticeStatus": {
        "draft": NP_("PracticeStatus", "Draft"),
        "published": NP_("PracticeStatus", "Published"),
        "withdrawn": NP_("PracticeStatus", "Withdrawn"),
    },
    # (ImpactArea: one list, shared with the indicators, labelled above.)
    "EventDocumentKind": {
        "agenda": NP_("EventDocumentKind", "Agenda"),
        "report": NP_("EventDocumentKind", "Report"),
        "presentation": NP_("EventDocumentKind", "Presentation"),
        "other": NP_("EventDocumentKind", "Other document"),
    },
    "ReminderRule": {
        "request_review": NP_("ReminderRule", "Request review"),
        "invite_nudge": NP_("ReminderRule", "Invite nudge"),
        "invite_expiry": NP_("ReminderRule", "Invite expiry"),
        "activity_coming": NP_("ReminderRule", "Activity coming"),
        "slots_open": NP_("ReminderRule", "Slots open"),
        "report_due": NP_("ReminderRule", "Report due"),
        "report_overdue": NP_("ReminderRule", "Report overdue"),
        "action_ending": NP_("ReminderRule", "Action ending"),
        "closing_stalled": NP_("ReminderRule", "Closing stalled"),
        "final_report_due": NP_("ReminderRule", "Final report due"),
        "weekly_digest": NP_("ReminderRule", "Weekly digest"),
        "consultation_due": NP_("ReminderRule", "Consultation due"),
        "consultation_ended": NP_("ReminderRule", "Consultation ended"),
    },
}

# A bare code (not an enum member) is looked up in the first table that has it.
_BY_CODE: dict[str, tuple[str, str]] = {}
for _context, _table in LABELS.items():
    for _code, _english in _table.items():
        _BY_CODE.setdefault(_code, (_context, _english))


def english_label(value: Any) -> tuple[str | None, str]:
    """(gettext context, English label) of an enum member or a code."""
    code = str(getattr(value, "value", value) or "")
    if isinstance(value, Enum):
        found = LABELS.get(type(value).__name__, {}).get(code)
        if found is not None:
            return type(value).__name__, found
    if code in _BY_CODE:
        return _BY_CODE[code]
    return None, code.replace("_", " ").capitalize()


def label(value: Any) -> str:
    """The label of an enum member or code in the current language."""
    context, english = english_label(value)
    return pgettext(context, english) if context and english else english


def lazy_label(value: Any) -> LazyString:
    """`label(value)`, translated only when it is shown: for choices built at import time."""
    return LazyString(label, value)
