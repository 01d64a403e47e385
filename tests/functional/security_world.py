"""A small programme in which every kind of object exists once, for the permission, CSRF and
mass-assignment tests: who owns what, the people of every role, and a way to see that nothing changed.

Institution A is Peru (its requester `req_a` benefits from the Action), institution B is Bolivia
(`req_b`). Expert X (`expert`, a Spanish official) is invited to the Action's workshop; the focal point
of Spain (`focal`) sees X, the one of France (`focal_b`) does not; `expert_b` is another expert (French)
with no deployment.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.accounts.models import Role, User
from workflow.accounts.tokens import create_token
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.publishing import set_published
from workflow.activities.deliverables import DeliverableDraft, add_deliverable
from workflow.activities.models import DeliverableKind
from workflow.core.uploads import RECEIPTS, store_upload
from workflow.database import Base
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.experts.models import Unavailability
from workflow.experts.services import attach_cv, renew_calendar_token
from workflow.finance.services import CostDraft, add_cost_line
from workflow.missions.letters import assignment_letter
from workflow.missions.services import ItemDraft, add_checklist_item, add_claim_item, start_claim
from workflow.notifications.models import EmailState, Notification, NotificationEmail
from workflow.plans.services import save_plan
from workflow.reference.models import InstitutionKind
from workflow.reminders.models import EmailMessage, Reminder, ReminderState
from workflow.requests.lifecycle import RequestStatus

from ..factories import (
    T0,
    make_action,
    make_expert,
    make_institution,
    make_request,
    make_staffed_activity,
    make_user,
)

# The columns of the permission matrix, in the order each route is tried.
ROLES = ("anon", "req_a", "req_b", "focal", "focal_b", "expert", "expert_b", "officer", "admin", "steering")

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    users: dict[str, User]  # role column -> the person
    ids: dict[str, int]  # URL variable -> the id of institution A's / expert X's object
    api_tokens: dict[str, str] = field(default_factory=dict)  # role column -> a bearer token
    calendar: dict[str, str] = field(default_factory=dict)  # "expert" / "action" -> the feed's secret
    objects: dict[str, Any] = field(default_factory=dict)


def stored_pdf(upload_dir: str):
    return store_upload(io.BytesIO(PDF), upload_dir, 1024 * 1024)


def build_world(db: Session, app: Flask, officer: User, requester_pe: User, requester_bo: User, peru) -> World:
    """Every object a route can name, owned by institution A (Peru) or expert X."""
    upload_dir = app.config["UPLOAD_DIR"]
    spain = make_institution(db, "ES", name="Ministerio del Interior de España",
                             kind=InstitutionKind.MS_ADMINISTRATION)
    users = {
        "req_a": requester_pe, "req_b": requester_bo, "officer": officer,
        "focal": make_user(db, Role.MS_FOCAL_POINT, country="ES"),
        "focal_b": make_user(db, Role.MS_FOCAL_POINT, country="FR"),
        "expert": make_user(db, Role.EXPERT),
        "expert_b": make_user(db, Role.EXPERT),
        "admin": make_user(db, Role.ADMIN),
        "steering": make_user(db, Role.STEERING),
    }
    expert_x = make_expert(db, name="Lucía Herrera", country="ES", employer=spain, user=users["expert"])
    expert_y = make_expert(db, name="Jeanne Martin", country="FR", languages={"fr": "C2"}, user=users["expert_b"])

    request = make_request(db, requester_pe, RequestStatus.SUBMITTED, officer)
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    action.expert_institutions = [spain]  # Spain's administration sends experts: its focal point sees the Action
    action.objective = "Better identification of victims of trafficking."
    set_published(action, True, version=action.version, actor=officer, now=T0)  # in the public catalogue
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Workshop on victim assistance")
    slot = activity.slots[0]
    deployment = propose(db, slot, expert_x, actor=officer, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=T0)

    cost_line = add_cost_line(db, activity, CostDraft(category="venue_catering", description="Conference room",
                                                      planned_eur="800"), actor=officer, now=T0)
    stored = stored_pdf(upload_dir)
    deliverable = add_deliverable(
        db, action, DeliverableDraft(kind=DeliverableKind.HANDBOOK, title="Handbook on victim assistance",
                                     language="es"),
        actor=officer, now=T0, file=stored, file_name="handbook.pdf")
    cv = stored_pdf(upload_dir)
    attach_cv(db, expert_x, cv.stored_name, "cv-herrera.pdf", cv.content_type, actor=officer, now=T0)
    period = Unavailability(expert=expert_x, start_date=date(2027, 8, 1), end_date=date(2027, 8, 15), reason="Leave")
    db.add(period)
    notification = Notification(user_id=requester_pe.id, title="Your request is under review", body="…",
                                link="/requests/", created_at=T0)
    db.add(notification)
    reminder = Reminder(key=f"weekly-digest:user:{officer.id}:2026-W48", rule="weekly_digest", subject_type="digest",
                        subject_id=officer.id, recipient_id=officer.id, due_at=T0, state=ReminderState.SENT,
                        sent_at=T0, created_at=T0, updated_at=T0)
    db.add(reminder)
    db.flush()
    message = EmailMessage(reminder_id=reminder.id, message_id=f"<digest-{reminder.id}@test>", to_address=officer.email,
                           subject="Peerflow weekly digest", body_text="Requests waiting: 1", body_html="<p>1</p>",
                           transport="outbox", sent_at=T0)
    db.add(message)
    # A notification e-mail the mail server refused: staff may retry it from the outbox.
    failed_email = NotificationEmail(key="now:security-world", user_id=requester_pe.id, due_at=T0,
                                     state=EmailState.FAILED, attempts=8, last_error="554 Refused", created_at=T0)
    db.add(failed_email)
    failed_reminder = Reminder(key=f"action-ending:action:{action.id}:user:{officer.id}", rule="action_ending",
                               subject_type="action", subject_id=action.id, recipient_id=officer.id, due_at=T0,
                               state=ReminderState.FAILED, attempts=8, last_error="554 Refused", created_at=T0,
                               updated_at=T0)
    db.add(failed_reminder)
    template = save_plan(db, action, "Peru plan", actor=officer, now=T0)  # a plan template of its activities
    call_world = _call_for_experts(db, app, activity, expert_x, users, officer)  # see the function
    evaluation_world = _evaluated_activity(db, app, action, expert_x, users, officer)  # see the function
    committee_world = _steering_committee(db, users, officer, requester_pe)  # see the function
    knowledge_world = _knowledge(db, action, deliverable, officer, upload_dir)  # see the function
    calendar = {"expert": renew_calendar_token(expert_x), "action": renew_calendar_token(action)}
    personal_token, _plain = create_token(db, requester_pe, "reporting script", now=T0)
    api_tokens = {role: create_token(db, user, "matrix", now=T0)[1] for role, user in users.items()}
    db.commit()
    ids = {
        "action_id": action.id, "request_id": request.id, "activity_id": activity.id, "slot_id": slot.id,
        "deployment_id": deployment.id, "expert_id": expert_x.id, "deliverable_id": deliverable.id,
        "token_id": personal_token.id, "notification_id": notification.id, "message_id": message.id,
        "period_id": period.id, "reminder_id": failed_reminder.id, "email_id": failed_email.id,
        "line_id": cost_line.id,
    }
    ids["template_id"] = template.id
    objects = {"expert_x": expert_x, "expert_y": expert_y, "action": action, "activity": activity,
               "request": request, "deployment": deployment, "deliverable": deliverable, "slot": slot}
    ids.update(call_id=call_world["call"].id, answer_id=call_world["answer"].id)
    objects.update(call_world)
    ids.update(evaluation_id=evaluation_world["evaluation"].id,
               evaluated_activity_id=evaluation_world["evaluated_activity"].id,
               completed_deployment_id=evaluation_world["completed_deployment"].id)
    objects.update(evaluation_world)
    ids.update(_mission(db, upload_dir, evaluation_world["completed_deployment"], users, officer))
    ids.update(reviewed_request_id=committee_world["reviewed_request"].id,
               consulted_request_id=committee_world["consulted_request"].id,
               member_id=committee_world["member"].id, criterion_id=committee_world["criterion"].id,
               consultation_id=committee_world["consultation"].id)
    objects.update(committee_world)
    results_world = _results_framework(db, app, action, officer)  # see the function
    ids.update({name: obj.id for name, obj in results_world.items()})
    ids.update(event_id=knowledge_world["event"].id, practice_id=knowledge_world["practice"].id,
               document_id=knowledge_world["document"].id)
    objects.update(knowledge_world)
    return World(users=users, ids=ids, api_tokens=api_tokens, calendar=calendar, objects=objects)


def _mission(db: Session, upload_dir: str, completed, users: dict[str, User], officer: User) -> dict[str, int]:
    """X's completed mission: a checklist item, and a draft expense claim with one receipted item."""
    item = add_checklist_item(db, completed, "Send the passport copy", actor=officer, now=T0)
    claim = start_claim(db, completed, actor=users["expert"], now=T0)
    receipt = store_upload(io.BytesIO(PDF), upload_dir, 1024 * 1024, RECEIPTS)
    claim_item = add_claim_item(db, claim, ItemDraft(description="Taxi to the ministry", amount="25"),
                                actor=users["expert"], now=T0, receipt=receipt, receipt_name="taxi.pdf")
    db.commit()
    # The letter X reads now (its version is the hash of its content): what their page's form sends.
    with current_app.test_request_context():  # inside the world's app context: no teardown of the session
        LETTER_VERSIONS[completed.id] = assignment_letter(db, completed).version
    return {"checklist_item_id": item.id, "claim_id": claim.id, "claim_item_id": claim_item.id}


LETTER_VERSIONS: dict[int, str] = {}


def _call_for_experts(db: Session, app: Flask, activity, expert_x, users: dict[str, User], officer: User) -> dict:
    """A call for experts on the workshop: it reached X (who answered, with a CV), expert Z (no account: a link)
    and Spain's focal point (`focal`); expert W, also Spanish, can still be proposed."""
    from workflow.calls.models import AnswerKind
    from workflow.calls.optout import unsubscribe_token
    from workflow.calls.services import CallDraft, answer_call, answer_token, send_call

    expert_z = make_expert(db, name="Marta Ruiz", country="ES")
    call = send_call(db, activity, CallDraft(message="Who is free?", answer_deadline=T0 + timedelta(days=400),
                                             member_states=("ES",), available_only=False),
                     actor=officer, now=T0, secret=app.config["SECRET_KEY"])
    to_x = next(r for r in call.recipients if r.expert_id == expert_x.id)
    to_z = next(r for r in call.recipients if r.expert_id == expert_z.id)
    answer, _replaced = answer_call(db, to_x, AnswerKind.INTERESTED, "Free then.", actor=users["expert"], now=T0,
                                    cv=stored_pdf(app.config["UPLOAD_DIR"]), cv_file_name="cv-2027.pdf")
    expert_w = make_expert(db, name="Jorge Ortega", country="ES")
    return {"call": call, "answer": answer, "expert_z": expert_z, "expert_w": expert_w,
            "call_token": answer_token(app.config["SECRET_KEY"], to_z.token_salt),
            "unsubscribe_token": unsubscribe_token(expert_z, app.config["SECRET_KEY"])}


def _evaluated_activity(db: Session, app: Flask, action, expert_x, users: dict[str, User], officer: User) -> dict:
    """A workshop delivered in March 2026 (Spanish and English) where X's deployment is completed, with a Spanish
    participants' questionnaire open from 20 Nov 2026 to 31 Jan 2027, and a form nonce for answering it."""
    from datetime import UTC, datetime

    from workflow.evaluations.services import EvaluationDraft, open_evaluation
    from workflow.evaluations.views import issue_nonce

    from ..factories import make_completed_deployment

    evaluated = make_staffed_activity(db, action, officer, start=date(2026, 3, 2), languages=("es", "en"),
                                      title="Workshop on referral")
    completed = make_completed_deployment(db, evaluated, expert_x, officer, expert_user=users["expert"],
                                          releaser=users["admin"])
    evaluation = open_evaluation(db, evaluated, EvaluationDraft("es", date(2026, 11, 20), date(2027, 1, 31)),
                                 supported=("en", "es", "fr"), actor=officer, now=datetime(2026, 11, 20, tzinfo=UTC))
    return {"evaluation": evaluation, "evaluated_activity": evaluated, "completed_deployment": completed,
            "evaluation_nonce": issue_nonce(evaluation.id, app.config["SECRET_KEY"])}


def _steering_committee(db: Session, users: dict[str, User], officer: User, requester_pe: User) -> dict:
    """`steering` sits on the committee (no veto); a request of institution A is under review, another is under
    consultation until 31 Dec 2026; another person with the committee role can still be made a member."""
    from workflow.governance.models import EligibilityCriterion, MemberKind
    from workflow.governance.services import add_member, send_to_committee

    member = add_member(db, users["steering"].id, MemberKind.COMMITTEE_MEMBER, False, actor=users["admin"], now=T0)
    reviewed = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer, title="Border referral")
    consulted = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer, title="Consular training")
    consultation = send_to_committee(db, consulted, date(2026, 12, 31), actor=officer, now=T0)
    criterion = db.scalar(select(EligibilityCriterion).order_by(EligibilityCriterion.position).limit(1))
    return {"member": member, "reviewed_request": reviewed, "consulted_request": consulted, "criterion": criterion,
            "steering_candidate": make_user(db, Role.STEERING), "consultation": consultation}


# --- "Nothing changed" --------------------------------------------------------------------------

# Tables that record that something was tried rather than what the programme holds: an attempt that is
# refused may still be written there (a security event, a throttling counter, a session).
BOOKKEEPING_PREFIXES = ("audit", "security_event", "login_attempt", "throttle", "rate_limit", "user_session")
# Columns that change when a request is merely made (a token's last use).
BOOKKEEPING_COLUMNS = {"api_tokens": {"last_used_at"}}


def _knowledge(db: Session, action, deliverable, officer: User, upload_dir: str) -> dict:
    """A knowledge-sharing event reviewing the Action, with its agenda (a file) and report (a link), and a published
    good practice drawn from it."""
    from workflow.knowledge.documents import DocumentDraft, add_event_document
    from workflow.knowledge.lifecycle import EventDocumentKind
    from workflow.knowledge.services import (
        EventDraft,
        ParticipantGroup,
        PracticeDraft,
        create_event,
        create_practice,
        publish_practice,
        set_participants,
    )

    event = create_event(db, EventDraft("Regional round-table", "National Institute of Migration", date(2026, 7, 10),
                                        date(2026, 7, 12), city="Lima", country_code="PE", action_ids=(action.id,)),
                         actor=officer, now=T0)
    set_participants(db, event, [ParticipantGroup("PE", "MININTER", 2, 1, 0)], actor=officer, now=T0)
    agenda = add_event_document(db, event, DocumentDraft(EventDocumentKind.AGENDA, "Agenda"), actor=officer, now=T0,
                                file=stored_pdf(upload_dir), file_name="agenda.pdf")
    report = add_event_document(db, event, DocumentDraft(EventDocumentKind.REPORT, "Report",
                                                         url="https://example.org/report"), actor=officer, now=T0)
    practice = create_practice(db, PracticeDraft("Shared integration", "Working groups.", ("policy_development",),
                                                 event_id=event.id, action_ids=(action.id,),
                                                 deliverable_ids=(deliverable.id,)), actor=officer, now=T0)
    publish_practice(db, practice, actor=officer, now=T0)
    draft = create_practice(db, PracticeDraft("Flexibility", "Adapting to the context.", ("capacity_building",),
                                              action_ids=(action.id,)), actor=officer, now=T0)
    return {"event": event, "practice": practice, "draft_practice": draft, "document": agenda,
            "link_document": report}


def snapshot(db: Session, only: set[str] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table that holds the programme's data (or of the tables named `only`), in a comparable
    form."""
    db.expire_all()
    rows: dict[str, list[tuple]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name.startswith(BOOKKEEPING_PREFIXES) or (only is not None and table.name not in only):
            continue
        skipped = BOOKKEEPING_COLUMNS.get(table.name, set())
        columns = [c for c in table.columns if c.name not in skipped]
        order = list(table.primary_key.columns) or columns
        rows[table.name] = [tuple(r) for r in db.execute(select(*columns).order_by(*order)).all()]
    return rows


def changes(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    """What differs, table by table, in words a failure message can show."""
    found = []
    for name in before:
        old, new = {repr(row) for row in before[name]}, {repr(row) for row in after.get(name, [])}
        if old != new:
            found.append(f"{name}: removed {sorted(old - new)[:3]}, added {sorted(new - old)[:3]}")
    return found




def _results_framework(db: Session, app: Flask, action, officer: User) -> dict:
    """The Action's results framework: an outcome whose indicator the beneficiary may measure, a measurement with
    an evidence file, and a protocol (a policy deliverable) with news of its validation, also with a file; and an
    output whose indicator was never measured (both may be removed)."""
    from workflow.results.models import DeliverableStageName, ImpactArea, ResultLevel
    from workflow.results.services import (
        IndicatorDraft,
        MeasurementDraft,
        add_indicator,
        add_measurement,
        add_result,
    )
    from workflow.results.stages import StageDraft, record_stage

    result = add_result(db, action, ResultLevel.OUTCOME, "Victims identified earlier", actor=officer, now=T0)
    indicator = add_indicator(db, result, IndicatorDraft("Officials trained", "officials", ImpactArea.CAPACITY_BUILDING,
                                                         target_value=100, requester_may_measure=True),
                              actor=officer, now=T0)
    measurement = add_measurement(db, indicator, MeasurementDraft(40, T0.date(), "Attendance lists"), actor=officer,
                                  now=T0, file=stored_pdf(app.config["UPLOAD_DIR"]), file_name="lists.pdf")
    protocol = add_deliverable(db, action, DeliverableDraft(kind=DeliverableKind.PROTOCOL, title="Referral protocol",
                                                            language="es", url="https://example.org/protocol.pdf"),
                               actor=officer, now=T0)
    stage = record_stage(db, protocol, StageDraft(DeliverableStageName.VALIDATED, T0.date(), "Validated"),
                         actor=officer, now=T0, file=stored_pdf(app.config["UPLOAD_DIR"]), file_name="minutes.pdf")
    spare = add_result(db, action, ResultLevel.OUTPUT, "A leaflet for victims", actor=officer, now=T0)
    unmeasured = add_indicator(db, spare, IndicatorDraft("Leaflets handed out", "leaflets",
                                                         ImpactArea.KNOWLEDGE_PRODUCTION), actor=officer, now=T0)
    db.commit()
    return {"result_id": result, "indicator_id": indicator, "measurement_id": measurement,
            "policy_deliverable_id": protocol, "stage_id": stage, "spare_result_id": spare,
            "spare_indicator_id": unmeasured}
