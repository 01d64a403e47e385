"""How each route is called in the permission, CSRF and mass-assignment tests: the value of each URL
variable, the form or JSON body a permitted role would send, and a caller that sends it as a role
(pages with the session and a CSRF token, the API with the role's bearer token)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from workflow.finance.models import CostLine
from workflow.finance.services import budget_version
from workflow.reference.models import ThematicArea

from ..factories import PASSWORD, theme
from .conftest import TOKEN
from .security_world import LETTER_VERSIONS, PDF, World

API = "/api/v1/"
NEW_PASSWORD = "a new passphrase nobody guesses"
L = "login"  # 302 to the sign-in page
R = "redirect"  # 302 anywhere else (the page after a write, a refusal with a flashed message …)


def url_values(world: World) -> dict[str, Any]:
    """The value of each URL variable: the object of institution A / expert X it names."""
    return {**world.ids, "target": "inactive", "user_id": world.users["req_a"].id, "object_type": "action",
            "object_id": world.ids["action_id"]}


# Per endpoint, the values that differ from `url_values` (an event name, a feed's secret …).
ENDPOINT_VALUES: dict[str, Callable[[World], dict[str, Any]]] = {
    "requests.fire": lambda w: {"event": "start_review"},
    "actions.fire": lambda w: {"event": "suspend"},
    "activities.fire": lambda w: {"event": "confirm"},
    "deployments.fire": lambda w: {"event": "accept"},
    "calendar.expert_feed": lambda w: {"token": w.calendar["expert"]},
    "calendar.action_feed": lambda w: {"token": w.calendar["action"]},
    # Expert Y: X still has a deployment to come, which erasure refuses (that rule has its own tests).
    "privacy.erase": lambda w: {"expert_id": w.objects["expert_y"].id},
    # A reset link that was never sent: the page answers 410 Gone to anyone (a valid link is its own key).
    "accounts.reset_password_page": lambda w: {"token": "no-such-reset-link-0123456789abcdef"},
    "reminders.wording": lambda w: {"code": "activity_coming"},
    "calls.fire": lambda w: {"event": "close"},
    "calls.answer_by_link": lambda w: {"token": w.objects["call_token"]},  # expert Z's link, from the e-mail
    "knowledge.publish": lambda w: {"practice_id": w.objects["draft_practice"].id},  # a draft: it can be published
    "api_knowledge.PublishPractice": lambda w: {"practice_id": w.objects["draft_practice"].id},
    # The report (a link): removing it deletes no file the agenda's download needs.
    "knowledge.remove_document": lambda w: {"document_id": w.objects["link_document"].id},
    "api_knowledge.RemoveEventDocument": lambda w: {"document_id": w.objects["link_document"].id},
    "evaluations.new": lambda w: {"activity_id": w.ids["evaluated_activity_id"]},  # delivered: it can be evaluated
    "evaluations.answer": lambda w: {"token": w.objects["evaluation"].token},  # the participants' anonymous link
    "evaluations.rate": lambda w: {"deployment_id": w.ids["completed_deployment_id"]},
    "governance.send": lambda w: {"request_id": w.ids["reviewed_request_id"]},  # under review: it can be sent
    "governance.answer": lambda w: {"request_id": w.ids["consulted_request_id"]},  # its member is consulted
    "governance.decide": lambda w: {"request_id": w.ids["consulted_request_id"]},
    "governance.deadline": lambda w: {"request_id": w.ids["consulted_request_id"]},
    "calls.unsubscribe": lambda w: {"token": w.objects["unsubscribe_token"]},  # expert Z's link, from the e-mail
    "api_governance.RequestConsultations": lambda w: {"request_id": w.ids["reviewed_request_id"]},
    "api_governance.RequestDecisions": lambda w: {"request_id": w.ids["consulted_request_id"]},
    "results.news": lambda w: {"deliverable_id": w.ids["policy_deliverable_id"]},  # a protocol: followed
    "results.remove_result_page": lambda w: {"result_id": w.ids["spare_result_id"]},  # never measured
    "results.remove_indicator_page": lambda w: {"indicator_id": w.ids["spare_indicator_id"]},
    "api_results.Stages": lambda w: {"deliverable_id": w.ids["policy_deliverable_id"]},
    "api_evaluations.ActivityEvaluations": lambda w: {"activity_id": w.ids["evaluated_activity_id"]},
    "api_evaluations.ActivityResults": lambda w: {"activity_id": w.ids["evaluated_activity_id"]},
    # missions: X's completed mission, its checklist item and its draft claim with one item
    **{f"missions.{name}": (lambda w: {"deployment_id": w.ids["completed_deployment_id"], "kind": "assignment",
                                       "item_id": w.ids["checklist_item_id"]})
       for name in ("show", "logistics", "checklist", "tick", "letter", "accept_letter", "new_claim")},
    **{f"missions.{name}": (lambda w: {"item_id": w.ids["claim_item_id"], "event": "submit"})
       for name in ("remove_item", "claim_event", "receipt")},
    **{f"api_missions.{name}": (lambda w: {"deployment_id": w.ids["completed_deployment_id"],
                                           "item_id": w.ids["checklist_item_id"]})
       for name in ("Logistics", "Checklist", "ChecklistEntry", "Letter", "LetterAcceptance", "Claims")},
    "api_missions.OneClaimItem": lambda w: {"item_id": w.ids["claim_item_id"]},
    "api_evaluations.Rating": lambda w: {"deployment_id": w.ids["completed_deployment_id"]},
    "api_evaluations.Questionnaire": lambda w: {"token": w.objects["evaluation"].token},
    "api_evaluations.QuestionnaireAnswers": lambda w: {"token": w.objects["evaluation"].token},
}
# Per endpoint, the query string a permitted role would send (a read that needs its parameters).
QUERIES: dict[str, Callable[[World], dict[str, Any]]] = {
    "api_plans.PlanPreview": lambda w: {"template_id": w.ids["template_id"], "anchor": "2027-09-06"},
}


def _theme(db) -> ThematicArea:
    return theme(db)  # the trafficking area of the world's slot


def _profile(w: World, db, **changes: Any) -> dict[str, Any]:
    """Expert X's profile form as its edit page fills it."""
    x = w.objects["expert_x"]
    data = {"name": x.name, "email": x.email, "gender": x.gender.value, "nationality": x.nationality,
            "country_code": x.country_code, "type": x.type.value, "institution_id": x.institution_id or "",
            "years_experience": x.years_experience, "max_days_per_year": x.max_days_per_year, "version": x.version,
            "lang_es": "C2", "lang_en": "C1", f"theme_{_theme(db).id}": "3"}
    return {**data, **changes}


def _activity_form(w: World, db, **changes: Any) -> dict[str, Any]:
    a = w.objects["activity"]
    data = {"kind": "workshop", "title": a.title, "start_date": a.start_date.isoformat(),
            "end_date": a.end_date.isoformat(), "city": "Lima", "country_code": "PE", "languages": "es",
            "slots-0-role": "expert", "slots-0-thematic_area_id": _theme(db).id, "slots-0-language": "es",
            "slots-0-places": 1, "version": a.version}
    return {**data, **changes}


def _plan_form(w: World, db) -> dict[str, Any]:
    """Every activity of the world's plan template, from a new start date."""
    from workflow.plans.models import PlanTemplate

    items = [item.id for item in db.get(PlanTemplate, w.ids["template_id"]).items]
    return {"template_id": w.ids["template_id"], "anchor": "2027-09-06", "items": items, "form_key": "matrix-apply"}


def _call_form(w: World) -> dict[str, Any]:
    """A call to France's experts and focal point (the world's call reached Spain's), sent from its preview."""
    from datetime import UTC, datetime

    from workflow.calls.services import CallDraft, filters_signature

    shown = CallDraft(message="", answer_deadline=datetime.now(UTC), slot_id=w.ids["slot_id"], member_states=("FR",),
                      available_only=False, include_focal_points=True)
    return {"message": "Who is free?", "answer_deadline": "2027-02-01", "member_states": "FR", "send": "1",
            "slot_id": w.ids["slot_id"], "include_focal_points": "y", "form_key": "matrix-call",
            "previewed": filters_signature(shown)}


def _decision_form(w: World, db) -> dict[str, Any]:
    """Rejecting the consulted request, every active eligibility criterion ticked and commented."""
    from workflow.governance.services import criteria

    data = {"outcome": "reject", "summary": "Another donor covers this."}
    for c in criteria(db, active_only=True):
        data.update({f"met_{c.id}": "yes", f"comment_{c.id}": "Checked."})
    return data


def _api_decision(db) -> dict[str, Any]:
    """Rejecting the consulted request through the API, every active eligibility criterion judged."""
    from workflow.governance.services import criteria

    return {"outcome": "reject", "summary": "Another donor covers this.",
            "criteria": [{"criterion_id": c.id, "met": True, "comment": "Checked."} for c in criteria(db, active_only=True)]}


def _rules_form() -> dict[str, Any]:
    from workflow.reminders.registry import RECIPIENTS, RULES

    data = {f"offsets_{code}": "7, 1" for code in RULES if code != "weekly_digest"}
    data.update({f"recipients_{code}": list(spec.default) for code, spec in RECIPIENTS.items()})
    return {**data, **{f"enabled_{code}": "on" for code in RULES}}


# The form a permitted role would send (pages; the CSRF token is added). Routes not listed send none.
FORMS: dict[str, Callable[[World, Any], dict[str, Any]]] = {
    "accounts.login": lambda w, db: {"email": w.users["req_a"].email, "password": PASSWORD},
    "accounts.account": lambda w, db: {"name": "Renamed Person", "locale": "es", "timezone": "Europe/Madrid"},
    "accounts.create_api_token": lambda w, db: {"name": "nightly export"},
    "notifications.preferences": lambda w, db: {"expert_invited": "digest"},
    "accounts.reauthenticate": lambda w, db: {"password": PASSWORD},
    "accounts.change_own_password": lambda w, db: {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                   "confirm": NEW_PASSWORD},
    "accounts.forgot_password": lambda w, db: {"email": w.users["req_a"].email},
    "accounts.reset_password_page": lambda w, db: {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    "accounts.change_user_role": lambda w, db: {"role": "officer"},
    "accounts.set_user_active": lambda w, db: {"active": "0"},
    "privacy.erase": lambda w, db: {"confirm_name": w.objects["expert_y"].name},
    "requests.new": lambda w, db: {"title": "Help with return counselling", "thematic_area_id": _theme(db).id,
                                   "description": "Peers on assisted voluntary return.", "form_key": "matrix-request"},
    "requests.edit": lambda w, db: {"title": "Edited title", "thematic_area_id": _theme(db).id,
                                    "description": "Edited.", "version": w.objects["request"].version},
    "actions.edit": lambda w, db: {"name": "Peru", "title": "Edited title", "thematic_area_id": _theme(db).id,
                                   "planned_start": "2026-01-01", "version": w.objects["action"].version},
    "actions.fire": lambda w, db: {"version": w.objects["action"].version, "reason": "Elections."},
    "actions.final_report": lambda w, db: {"results": "Handbook.", "lessons_learned": "Start early.",
                                           "officials_trained_female": 1, "officials_trained_male": 1,
                                           "officials_trained_other": 0, "institutions_reached": 1,
                                           "version": w.objects["action"].version},
    "actions.public_details": lambda w, db: {"title_es": "Trata de personas", "version": w.objects["action"].version},
    "actions.publish": lambda w, db: {"publish": "0", "version": w.objects["action"].version},
    "activities.new": lambda w, db: {**_activity_form(w, db, title="Second workshop", start_date="2027-05-03",
                                                      end_date="2027-05-04"), "form_key": "matrix-activity"},
    "activities.edit": lambda w, db: _activity_form(w, db, title="Workshop on victim assistance (edited)"),
    "activities.fire": lambda w, db: {"version": w.objects["activity"].version},
    "activities.postpone": lambda w, db: {"version": w.objects["activity"].version, "start_date": "2027-04-05",
                                          "end_date": "2027-04-07", "reason": "The venue is closed."},
    "activities.report": lambda w, db: {"version": w.objects["activity"].version, "summary": "Went well.",
                                        "participants_female": 3, "participants_male": 2, "participants_other": 0},
    "activities.new_deliverable": lambda w, db: {"kind": "manual", "title": "Manual", "language": "es",
                                                 "url": "https://example.org/manual.pdf", "form_key": "matrix-deliv"},
    "plans.save": lambda w, db: {"name": "Peru plan, second round", "form_key": "matrix-plan"},
    "plans.apply": lambda w, db: _plan_form(w, db),
    "plans.copy_activity": lambda w, db: {"title": "Workshop on victim assistance (second round)",
                                          "start_date": "2027-05-03", "form_key": "matrix-copy"},
    "experts.new": lambda w, db: {**_profile(w, db, name="Nueva Experta", email="nueva@example.org"),
                                  "version": None},
    "experts.edit": lambda w, db: _profile(w, db, years_experience=13),
    "experts.add_unavailable": lambda w, db: {"start_date": "2027-09-01", "end_date": "2027-09-05"},
    "experts.upload_cv": lambda w, db: {"file": (io.BytesIO(PDF), "new-cv.pdf")},
    "deployments.fire": lambda w, db: {"version": w.objects["deployment"].version},
    "deployments.release": lambda w, db: {"version": w.objects["deployment"].version},
    "deployments.refuse": lambda w, db: {"reason": "Needed at home that week."},
    "deployments.report": lambda w, db: {"version": w.objects["deployment"].version, "report": "Mission done."},
    "deployments.invite": lambda w, db: {"expert_id": w.objects["expert_y"].id},
    "deployments.staffing": lambda w, db: {"pick": f"{w.ids['slot_id']}:{w.objects['expert_y'].id}"},
    "reminders.rule_settings": lambda w, db: _rules_form(),
    "reminders.wording": lambda w, db: {"subject_es": "Pronto: {{ activity }}", "body_es": "Hola {{ recipient }}",
                                        "save": "1"},
    "governance.send": lambda w, db: {"deadline": "2026-12-31"},
    "governance.answer": lambda w, db: {"answer": "object", "reason": "Overlaps with another donor."},
    "governance.decide": lambda w, db: _decision_form(w, db),
    "governance.deadline": lambda w, db: {"deadline": "2026-12-20", "reason": "The EU delegation asked for time."},
    "calls.unsubscribe": lambda w, db: {"choice": "stop"},
    "governance.committee": lambda w, db: {"user_id": w.objects["steering_candidate"].id, "kind": "desk",
                                           "has_veto": "y"},
    "governance.edit_member": lambda w, db: {"kind": "desk", "has_veto": "y", "active": "y"},
    "governance.criteria_list": lambda w, db: {"label": "Gender mainstreaming"},
    "governance.edit_criterion": lambda w, db: {"label": "Relevance to migration policy", "position": "1",
                                                "active": "y"},
    "calls.new": lambda w, db: _call_form(w),
    "calls.propose": lambda w, db: {"expert_id": w.objects["expert_w"].id, "note": "Knows the region."},
    "calls.invite": lambda w, db: {"expert_id": w.objects["expert_z"].id, "slot_id": w.ids["slot_id"]},
    "calls.fire": lambda w, db: {"version": w.objects["call"].version, "reason": "Enough answers."},
    "calls.answer": lambda w, db: {"answer": "not_available", "note": "Changed my plans."},
    "calls.answer_by_link": lambda w, db: {"answer": "interested", "note": "Yes."},
    "knowledge.new_event": lambda w, db: _event_form(w, "matrix-event"),
    "knowledge.edit_event": lambda w, db: _event_form(w, ""),
    "knowledge.new_practice": lambda w, db: _practice_form(w, "matrix-practice"),
    "knowledge.edit_practice": lambda w, db: _practice_form(w, ""),
    "knowledge.withdraw": lambda w, db: {"reason": "Superseded by a newer practice."},
    "knowledge.staffing": lambda w, db: {"host_action_id": w.ids["action_id"], "languages": ["es"]},
    "knowledge.add_document": lambda w, db: {"kind": "presentation", "title": "Slides", "form_key": "matrix-doc",
                                             "file": (io.BytesIO(PDF), "slides.pdf")},
    "knowledge.remove_document": lambda w, db: {"reason": "The wrong version."},
    "evaluations.new": lambda w, db: {"language": "en", "opens_on": "2026-11-23", "closes_on": "2026-12-07",
                                      "form_key": "matrix-evaluation"},
    "evaluations.answer": lambda w, db: {"relevance": 4, "experts_input": 5, "usefulness": 4, "organisation": 3,
                                         "comment": "Useful.", "nonce": w.objects["evaluation_nonce"]},
    "evaluations.rate": lambda w, db: {"score": 4, "note": "Solid work."},
    "missions.logistics": lambda w, db: {"outbound_date": "2026-03-01", "outbound_route": "MAD → LIM",
                                         "outbound_cost_eur": "640", "visa_status": "not_needed"},
    "missions.checklist": lambda w, db: {"text": "Book the airport transfer"},
    "missions.tick": lambda w, db: {"done": "1"},
    "missions.accept_letter": lambda w, db: {"version": LETTER_VERSIONS[w.ids["completed_deployment_id"]]},
    "missions.add_item": lambda w, db: {"description": "Bus to the venue", "category": "travel", "amount": "12.50",
                                        "currency": "EUR"},
    "finance.budget": lambda w, db: {"budget_travel": "1500", "budget_venue_catering": "900.50",
                                     "version": budget_version(db, w.ids["action_id"])},
    "finance.new_cost": lambda w, db: {"category": "travel", "description": "Flight Madrid-Lima", "planned_eur": "640",
                                       "form_key": "matrix-cost"},
    "finance.edit_cost": lambda w, db: {"category": "venue_catering", "description": "Conference room",
                                        "planned_eur": "900", "actual_eur": "880",
                                        "version": db.get(CostLine, w.ids["line_id"]).version},
    "finance.remove_cost": lambda w, db: {"reason": "Booked twice", "version": db.get(CostLine, w.ids["line_id"]).version},
    "finance.new_allowance_rate": lambda w, db: {"country_code": "PE", "daily_eur": "180", "effective_from": "2027-01-01",
                                                 "form_key": "matrix-allowance"},
    "finance.new_fee_rate": lambda w, db: {"expert_type": "academic", "daily_eur": "450", "effective_from": "2027-01-01",
                                           "form_key": "matrix-fee"},
    "results.edit": lambda w, db: {"specific_objective": "Victims identified and referred.", "requester_may_measure": ""},
    "results.new_result": lambda w, db: {"level": "output", "statement": "A referral protocol", "form_key": "m-res"},
    "results.edit_result_page": lambda w, db: {"level": "outcome", "statement": "Victims identified sooner",
                                               "form_key": "m-res-edit"},
    "results.new_indicator": lambda w, db: _indicator_form("m-ind"),
    "results.edit_indicator_page": lambda w, db: _indicator_form("m-ind-edit"),
    "results.new_measurement": lambda w, db: {"value": "55", "measured_on": "2026-11-02", "source": "Lists",
                                              "form_key": "m-meas"},
    "results.withdraw": lambda w, db: {"reason": "Counted twice."},
    "results.news": lambda w, db: {"stage": "adopted", "reached_on": "2026-11-02", "outcome": "A new unit",
                                   "url": "https://example.org/gazette", "form_key": "m-news"},
}


def _indicator_form(key: str) -> dict[str, Any]:
    return {"title": "Victims referred", "unit": "victims", "impact_area": "inter_institutional_coordination",
            "target_value": "50", "form_key": key}


def _api_activity(w: World, db, **changes: Any) -> dict[str, Any]:
    body = {"kind": "workshop", "title": "Workshop on referral", "start_date": "2027-06-07", "end_date": "2027-06-08",
            "city": "Lima", "country": "PE", "languages": ["es"],
            "slots": [{"thematic_area": _theme(db).code, "language": "es"}]}
    return {**body, **changes}


# The JSON body (or, for uploads, the form) a permitted client would send to a write of the API.
def _event_form(w: World, key: str) -> dict[str, Any]:
    return {"title": "Round-table", "host_institution": "Host", "start_date": "2026-07-10", "end_date": "2026-07-11",
            "action_ids": [str(w.ids["action_id"])], "participants": "PE; MININTER; 1; 1; 0", "form_key": key}


def _event_body(w: World) -> dict[str, Any]:
    return {"title": "Round-table", "host_institution": "Host", "start_date": "2026-07-10", "end_date": "2026-07-11",
            "action_ids": [w.ids["action_id"]], "participants": [{"country": "PE", "female": 1, "male": 1}]}


def _practice_body(w: World) -> dict[str, Any]:
    return {"title": "Shared integration", "description": "Working groups.", "impact_areas": ["policy_development"],
            "action_ids": [w.ids["action_id"]]}


def _practice_form(w: World, key: str) -> dict[str, Any]:
    return {"title": "Shared integration", "description": "Working groups.", "impact_areas": ["policy_development"],
            "action_ids": [str(w.ids["action_id"])], "form_key": key}


BODIES: dict[str, Callable[[World, Any], dict[str, Any]]] = {
    "POST api_knowledge.Events": lambda w, db: _event_body(w),
    "PUT api_knowledge.OneEvent": lambda w, db: _event_body(w),
    "POST api_knowledge.Practices": lambda w, db: _practice_body(w),
    "PUT api_knowledge.OnePractice": lambda w, db: _practice_body(w),
    "POST api_knowledge.WithdrawPractice": lambda w, db: {"reason": "Superseded."},
    "POST api_knowledge.EventStaffing": lambda w, db: {"host_action_id": w.ids["action_id"], "languages": ["es"]},
    "POST api_knowledge.RemoveEventDocument": lambda w, db: {"reason": "The wrong version."},
    "POST api_requests.Requests": lambda w, db: {"title": "Help with return counselling",
                                                 "description": "Peers on assisted voluntary return.",
                                                 "thematic_area": _theme(db).code},
    "PATCH api_requests.OneRequest": lambda w, db: {"title": "Edited", "description": "Edited.",
                                                    "thematic_area": _theme(db).code,
                                                    "version": w.objects["request"].version},
    "POST api_requests.RequestEvents": lambda w, db: {"event": "start_review"},
    "POST api_actions.ActionEvents": lambda w, db: {"event": "suspend", "reason": "Elections.",
                                                    "version": w.objects["action"].version},
    "PUT api_actions.FinalReport": lambda w, db: {"results": "Handbook.", "lessons_learned": "Start early."},
    "PUT api_results.Framework": lambda w, db: {"specific_objective": "Victims referred."},
    "POST api_results.Results": lambda w, db: {"level": "output", "statement": "A referral protocol"},
    "PUT api_results.OneResult": lambda w, db: {"level": "outcome", "statement": "Victims identified sooner"},
    "POST api_results.Indicators": lambda w, db: {"title": "Victims referred", "unit": "victims",
                                                  "impact_area": "policy_development", "target_value": 50},
    "PUT api_results.OneIndicator": lambda w, db: {"title": "Victims referred", "unit": "victims",
                                                   "impact_area": "policy_development", "target_value": 50},
    "POST api_results.Withdraw": lambda w, db: {"reason": "Counted twice."},

    "PATCH api_actions.OneAction": lambda w, db: {"title": "Edited title", "planned_end": None,
                                                  "version": w.objects["action"].version},
    "PUT api_actions.Published": lambda w, db: {"published": True, "version": w.objects["action"].version},
    "PUT api_actions.PublicDetails": lambda w, db: {"es": {"title": "Título"}, "fr": {"title": "Titre"},
                                                    "version": w.objects["action"].version},
    "POST api_activities.ActionActivities": lambda w, db: _api_activity(w, db),
    "PATCH api_activities.OneActivity": lambda w, db: _api_activity(
        w, db, title="Workshop on victim assistance (edited)", start_date="2027-03-01", end_date="2027-03-03",
        version=w.objects["activity"].version),
    "POST api_activities.ActivityEvents": lambda w, db: {"event": "confirm", "version": w.objects["activity"].version},
    "POST api_activities.PostponeActivity": lambda w, db: {"start_date": "2027-04-05", "end_date": "2027-04-07",
                                                           "reason": "The venue is closed.",
                                                           "version": w.objects["activity"].version},
    "PUT api_account.MyNotificationPreferences": lambda w, db: {"preferences": {}},
    "PATCH api_account.MyPreferences": lambda w, db: {"name": "Renamed", "locale": "es",
                                                      "timezone": "America/Lima"},
    "POST api_roster.NewExpert": lambda w, db: {"name": "Marta Gil", "email": "marta.gil@example.org",
                                                "gender": "female", "nationality": "ES", "country": "ES",
                                                "type": "ms_official", "languages": {"es": "C2"},
                                                "themes": {_theme(db).code: 2}},
    "PATCH api_roster.EditExpert": lambda w, db: {"name": "Lucía Herrera Ruiz", "years_experience": 13,
                                                  "version": w.objects["expert_x"].version},
    "POST api_roster.ExpertStatusChange": lambda w, db: {"status": "inactive"},
    "POST api_roster.ExpertUnavailability": lambda w, db: {"start_date": "2027-09-01", "end_date": "2027-09-05",
                                                           "reason": "Leave"},
    "POST api_people.SlotDeployments": lambda w, db: {"expert_id": w.objects["expert_y"].id},
    "POST api_people.DeploymentEvents": lambda w, db: {"event": "accept", "version": w.objects["deployment"].version},
    "PUT api_people.MissionReport": lambda w, db: {"report": "Mission done."},
    "POST api_people.ReleaseRefusal": lambda w, db: {"reason": "Needed at home that week."},
    "POST api_governance.RequestConsultations": lambda w, db: {"deadline": "2026-12-31"},
    "PUT api_governance.MemberAnswer": lambda w, db: {"answer": "object", "reason": "Overlaps with another donor."},
    "POST api_governance.ConsultationDeadline": lambda w, db: {"deadline": "2026-12-20", "reason": "More time."},
    "POST api_governance.ConsultationDecision": lambda w, db: _api_decision(db),
    "POST api_calls.ActivityCalls": lambda w, db: _api_call(w),
    "POST api_calls.CallPreview": lambda w, db: _api_call(w),
    "POST api_calls.CallEvents": lambda w, db: {"event": "close", "reason": "Enough answers.",
                                                "version": w.objects["call"].version},
    "POST api_calls.Proposals": lambda w, db: {"expert_id": w.objects["expert_w"].id, "note": "Knows the region."},
    "POST api_calls.Invitations": lambda w, db: {"expert_id": w.objects["expert_z"].id, "slot_id": w.ids["slot_id"]},
    "POST api_evaluations.ActivityEvaluations": lambda w, db: {"language": "en", "opens_on": "2026-11-23",
                                                               "closes_on": "2026-12-07"},
    "PUT api_evaluations.Rating": lambda w, db: {"score": 4, "note": "Solid work."},
    "POST api_evaluations.QuestionnaireAnswers": lambda w, db: {"relevance": 4, "experts_input": 5, "usefulness": 4,
                                                                "organisation": 3,
                                                                "nonce": w.objects["evaluation_nonce"]},
    "POST api_plans.SavePlan": lambda w, db: {"name": "Peru plan, second round"},
    "PUT api_missions.Logistics": lambda w, db: {"outbound_date": "2026-03-01", "outbound_route": "MAD → LIM",
                                                 "outbound_cost_eur": "640", "visa_status": "not_needed"},
    "POST api_missions.Checklist": lambda w, db: {"text": "Book the airport transfer"},
    "PATCH api_missions.ChecklistEntry": lambda w, db: {"done": True},
    "POST api_missions.LetterAcceptance": lambda w, db: {
        "version": LETTER_VERSIONS[w.ids["completed_deployment_id"]]},
    "POST api_missions.ClaimEvents": lambda w, db: {"event": "submit"},
    "PUT api_finance.ActionBudget": lambda w, db: {"travel": "1500", "venue_catering": 900.5},
    "POST api_finance.ActivityCosts": lambda w, db: {"category": "travel", "description": "Flight Madrid-Lima",
                                                     "planned_eur": "640"},
    "PATCH api_finance.OneCostLine": lambda w, db: {"category": "venue_catering", "description": "Conference room",
                                                    "planned_eur": "900", "actual_eur": "880"},
    "POST api_finance.CostLineRemoval": lambda w, db: {"reason": "Booked twice"},
    "POST api_finance.AllowanceRates": lambda w, db: {"country": "PE", "daily_eur": "180", "effective_from": "2027-01-01"},
    "POST api_finance.FeeRates": lambda w, db: {"expert_type": "academic", "daily_eur": "450",
                                                "effective_from": "2027-01-01"},
    "POST api_plans.ApplyPlan": lambda w, db: {"template_id": w.ids["template_id"], "anchor": "2027-09-06"},
    "POST api_plans.CopyActivity": lambda w, db: {"title": "Workshop on victim assistance (second round)",
                                                  "start_date": "2027-05-03"},
}
FORM_BODIES = {"POST api_activities.Deliverables": lambda w, db: {"kind": "manual", "title": "Manual", "language": "es",
                                                                   "url": "https://example.org/manual.pdf"},
               "PUT api_calls.Answer": lambda w, db: {"answer": "not_available", "note": "Changed my plans."},
               "POST api_missions.ClaimItems": lambda w, db: {"description": "Bus to the venue", "amount": "12.50",
                                                              "currency": "EUR"},
               "POST api_results.Measurements": lambda w, db: {"value": "55", "measured_on": "2026-11-02",
                                                               "source": "Lists"},
               "POST api_results.Stages": lambda w, db: {"stage": "adopted", "reached_on": "2026-11-02",
                                                         "url": "https://example.org/gazette"},
               "POST api_knowledge.EventDocuments": lambda w, db: {"kind": "presentation", "title": "Slides",
                                                                   "url": "https://example.org/slides"}}


def _api_call(w: World) -> dict[str, Any]:
    """A call to France's experts and focal point (the world's call reached Spain's)."""
    return {"message": "Who is free?", "answer_deadline": "2027-02-01", "member_states": ["FR"],
            "slot_id": w.ids["slot_id"], "available_only": False, "include_focal_points": True}


def routes(app: Flask) -> dict[str, Rule]:
    """"<METHOD> <endpoint>" -> its rule, for every route but the static files."""
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found[f"{method} {rule.endpoint}"] = rule
    return found


def build_url(app: Flask, rule: Rule, world: World) -> str:
    values = {**url_values(world), **ENDPOINT_VALUES.get(rule.endpoint, lambda w: {})(world)}
    unknown = [name for name in rule.arguments if name not in values]
    assert not unknown, (f"{rule.endpoint} ({rule.rule}) names {unknown}: give their value in url_values or "
                         f"ENDPOINT_VALUES of {__name__}")
    query = QUERIES.get(rule.endpoint, lambda w: {})(world)
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments}, **query)


# --- Trying a route as a role ------------------------------------------------------------------------

class Caller:
    """Sends one route's request as one role: pages with the session, the API with the role's token."""

    def __init__(self, app: Flask, client: FlaskClient, login_as, world: World, db) -> None:
        self.app, self.client, self.login_as, self.world, self.db = app, client, login_as, world, db

    def sign_in(self, role: str) -> None:
        with self.client.session_transaction() as session:
            session.clear()
        if role != "anon":
            self.login_as(self.world.users[role])

    def csrf(self, role: str) -> str:
        # Signed in, any page's navigation bar carries the token (its sign-out form): the privacy notice is a
        # light one to render.
        html = self.client.get("/login" if role == "anon" else "/privacy").get_data(as_text=True)
        match = TOKEN.search(html)
        assert match, f"no CSRF token for {role}"
        return match.group(1)

    def page(self, key: str, url: str, role: str, *, with_token: bool = True):
        method, endpoint = key.split()
        self.sign_in(role)
        if method == "GET":
            return self.client.get(url)
        data = FORMS.get(endpoint, lambda w, db: {})(self.world, self.db)
        data = {name: value for name, value in data.items() if value is not None}
        if with_token:
            data["csrf_token"] = self.csrf(role)
        return self.client.open(url, method=method, data=data)

    def api(self, key: str, url: str, role: str):
        method = key.split()[0]
        headers = {"Authorization": f"Bearer {self.world.api_tokens[role]}"} if role != "anon" else {}
        api_client = self.app.test_client()  # no session cookie: the API reads only the token
        if key in FORM_BODIES:
            return api_client.open(url, method=method, headers=headers, data=FORM_BODIES[key](self.world, self.db))
        body = BODIES.get(key, lambda w, db: None)(self.world, self.db)
        return api_client.open(url, method=method, headers=headers, json=body)

    def call(self, key: str, url: str, role: str, **kwargs: Any):
        if url.startswith(API):
            return self.api(key, url, role)
        return self.page(key, url, role, **kwargs)


def outcome(response) -> Any:
    """The answer as the table writes it."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        return L if location.split("?")[0].endswith("/login") else R
    return response.status_code


def in_savepoint(db, run: Callable[[], Any]) -> Any:
    """Run one request against the world, then undo whatever it wrote."""
    db.remove()
    savepoint = db.bind.begin_nested()
    try:
        return run()
    finally:
        db.remove()
        savepoint.rollback()
