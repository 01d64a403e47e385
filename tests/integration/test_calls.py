"""Calls for experts on a real database: who a call reaches, sending once, answers, proposals, delivery."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.activities.lifecycle import ActivityKind
from workflow.activities.models import SlotRole
from workflow.activities.services import ActivityDraft, create_activity
from workflow.activities.slots import SlotDraft
from workflow.calls.delivery import deliver_pending
from workflow.calls.lifecycle import CallEvent, CallStatus
from workflow.calls.models import AnswerKind, CallRecipient, DeliveryState, RecipientKind
from workflow.calls.services import (
    CallDraft,
    answer_call,
    answer_token,
    apply_call_event,
    audience,
    invite_from_call,
    propose_expert,
    recipient_by_token,
    send_call,
)
from workflow.core.errors import DomainError, NotFound
from workflow.core.uploads import StoredFile
from workflow.deployments.lifecycle import DeploymentStatus
from workflow.experts.models import Consent, ConsentPurpose, Unavailability
from workflow.reference.models import InstitutionKind

from ..factories import T0, make_action, make_expert, make_institution, make_user, theme

pytest_plugins = ["tests.smtp"]

SECRET = "test"  # the app's SECRET_KEY in tests/conftest.py
NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
START = date(2027, 3, 1)


def mexico_activity(db, officer, *, title: str = "Workshop on victim identification"):
    """A workshop in Mexico City with one expert slot: trafficking, Spanish."""
    sre = make_institution(db, "MX", name="Secretaría de Relaciones Exteriores")
    action = make_action(db, officer, country="MX", beneficiary=sre, name="Mexico")
    activity = create_activity(db, action, ActivityDraft(
        kind=ActivityKind.WORKSHOP, title=title, start_date=START, end_date=START + timedelta(days=2),
        city="Ciudad de México", country_code="MX", languages=("es",),
        slots=(SlotDraft(role=SlotRole.EXPERT, thematic_area_id=theme(db).id, language="es", places=2),)),
        actor=officer, now=T0)
    db.commit()
    return activity


@pytest.fixture()
def roster(db, officer):
    """Experts and focal points of several member states; some match the Mexico workshop's call, some do not."""
    activity = mexico_activity(db, officer)
    account = make_user(db, Role.EXPERT)
    people = {
        "es": make_expert(db, name="Ana Sánchez", country="ES", user=account),
        "pt": make_expert(db, name="Rui Costa", country="PT", languages={"es": "B2", "pt": "C2"},
                          themes={"irregular_migration_thb": 2}),
        "es_border": make_expert(db, name="Pablo Ruiz", country="ES", themes={"legal_migration_mobility": 3}),
        "es_english": make_expert(db, name="John Smith", country="ES", languages={"en": "C2"}),
        "de": make_expert(db, name="Greta Braun", country="DE"),
        "es_away": make_expert(db, name="Carmen Vidal", country="ES"),
        "es_inactive": make_expert(db, name="Luis Mora", country="ES", status="inactive"),
        "es_withdrawn": make_expert(db, name="Elena Gil", country="ES"),
        "pt_nominated": make_expert(db, name="Inês Sousa", country="PT", status="nominated"),
    }
    db.add(Unavailability(expert=people["es_away"], start_date=START, end_date=START + timedelta(days=5)))
    db.add(Consent(expert_id=people["es_withdrawn"].id, purpose=ConsentPurpose.ROSTER, notice_version="2026-01",
                   given_at=T0, withdrawn_at=T0 + timedelta(days=1)))
    focal = {"ES": make_user(db, Role.MS_FOCAL_POINT, country="ES"),
             "PT": make_user(db, Role.MS_FOCAL_POINT, country="PT"),
             "DE": make_user(db, Role.MS_FOCAL_POINT, country="DE")}
    gone = make_user(db, Role.MS_FOCAL_POINT, country="ES")
    gone.active = False
    db.commit()
    return activity, people, focal


def draft_for(activity, **changes) -> CallDraft:
    slot = activity.slots[0]
    base = CallDraft(message="Are you free for this workshop?", answer_deadline=NOW + timedelta(days=10),
                     slot_id=slot.id, thematic_area_id=slot.thematic_area_id, language="es",
                     member_states=("ES", "PT"))
    return replace(base, **changes)


def test_the_filters_choose_deployable_consenting_free_experts_and_the_states_focal_points(db, roster):
    activity, people, focal = roster
    found = audience(db, activity, draft_for(activity), today=NOW.date())
    assert {e.name for e in found.experts} == {"Ana Sánchez", "Rui Costa"}
    assert {u.id for u in found.focal_points} == {focal["ES"].id, focal["PT"].id}
    assert found.count == 4 and found.already_called == []


def test_without_the_availability_filter_the_busy_expert_is_asked_too(db, roster):
    activity, people, _focal = roster
    found = audience(db, activity, draft_for(activity, available_only=False, include_focal_points=False),
                     today=NOW.date())
    assert {e.name for e in found.experts} == {"Ana Sánchez", "Rui Costa", "Carmen Vidal"}
    assert found.focal_points == []


def test_no_member_state_chosen_reaches_every_state_and_all_focal_points(db, roster):
    activity, _people, focal = roster
    found = audience(db, activity, draft_for(activity, member_states=()), today=NOW.date())
    assert {e.name for e in found.experts} == {"Ana Sánchez", "Rui Costa", "Greta Braun"}
    assert {u.id for u in found.focal_points} == set(f.id for f in focal.values())


def test_a_call_is_written_with_one_outgoing_message_per_person(db, roster, officer):
    activity, people, _focal = roster
    call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    rows = {(r.kind, r.expert_id or r.user_id): r for r in call.recipients}
    assert len(rows) == 4 and all(r.state is DeliveryState.PENDING for r in rows.values())
    assert call.status is CallStatus.OPEN
    # Ana has an account: she answers in her portal; Rui has none: his e-mail carries a link, stored hashed.
    assert rows[(RecipientKind.EXPERT, people["es"].id)].token_hash is None
    rui = rows[(RecipientKind.EXPERT, people["pt"].id)]
    token = answer_token(SECRET, rui.token_salt)
    assert rui.token_hash != token and recipient_by_token(db, token) is rui


def test_a_person_is_never_sent_the_same_activity_twice_while_a_call_is_open(db, roster, officer):
    activity, people, _focal = roster
    send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    with pytest.raises(DomainError, match="already reached by an open call") as refused:
        send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    assert "Ana Sánchez" in refused.value.message and "Rui Costa" in refused.value.message
    # A wider call reaches only the people not reached yet.
    wider = send_call(db, activity, draft_for(activity, member_states=("ES", "PT", "DE")), actor=officer, now=NOW,
                      secret=SECRET)
    assert {r.expert_id or r.user_id for r in wider.recipients} == {people["de"].id, _focal["DE"].id}


def test_once_a_call_is_stood_down_its_people_may_be_called_again(db, roster, officer):
    activity, _people, _focal = roster
    first = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    apply_call_event(db, first, CallEvent.STAND_DOWN, actor=officer, now=NOW, version=first.version,
                     reason="The workshop moves online.")
    assert first.status is CallStatus.STOOD_DOWN
    assert all(r.state is DeliveryState.CANCELLED for r in db.scalars(
        select(CallRecipient).where(CallRecipient.call_id == first.id)))
    again = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    assert len(again.recipients) == 4


def test_a_call_with_no_recipients_is_refused(db, roster, officer):
    activity, _people, _focal = roster
    with pytest.raises(DomainError, match="no expert or focal point matches"):
        send_call(db, activity, draft_for(activity, member_states=("FI",)), actor=officer, now=NOW, secret=SECRET)


@pytest.mark.parametrize("change, message", [
    ({"message": "   "}, "Write the message"),
    ({"answer_deadline": NOW - timedelta(minutes=1)}, "in the future"),
    ({"answer_deadline": datetime(2027, 3, 2, tzinfo=UTC)}, "before the activity starts"),
])
def test_a_call_needs_a_message_and_a_deadline_before_the_activity(db, roster, officer, change, message):
    activity, _people, _focal = roster
    with pytest.raises(DomainError, match=message):
        send_call(db, activity, draft_for(activity, **change), actor=officer, now=NOW, secret=SECRET)


def test_only_staff_send_calls(db, roster):
    activity, _people, focal = roster
    with pytest.raises(DomainError, match="Only programme staff"):
        send_call(db, activity, draft_for(activity), actor=focal["ES"], now=NOW, secret=SECRET)


def _expert_row(call, expert):
    return next(r for r in call.recipients if r.expert_id == expert.id)


def test_an_answer_changes_until_the_deadline_then_is_refused(db, roster, officer):
    activity, people, _focal = roster
    call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    rui = _expert_row(call, people["pt"])
    row, _replaced = answer_call(db, rui, AnswerKind.NOT_AVAILABLE, "On leave", actor=None, now=NOW)
    row, replaced = answer_call(db, rui, AnswerKind.INTERESTED, "  Leave moved.  ", actor=None, now=NOW,
                                cv=StoredFile("a" * 32 + ".pdf", "application/pdf", 10, "0" * 64), cv_file_name="cv.pdf")
    assert (row.answer, row.note, row.cv_file_name, replaced) == (AnswerKind.INTERESTED, "Leave moved.", "cv.pdf", None)
    with pytest.raises(DomainError, match="deadline for answers has passed"):
        answer_call(db, rui, AnswerKind.NOT_AVAILABLE, None, actor=None, now=call.answer_deadline + timedelta(seconds=1))
    apply_call_event(db, call, CallEvent.CLOSE, actor=officer, now=NOW, version=call.version)
    with pytest.raises(DomainError, match="takes no more answers"):
        answer_call(db, rui, AnswerKind.NOT_AVAILABLE, None, actor=None, now=NOW)


def test_an_expert_answers_only_their_own_place_on_a_call(db, roster, officer):
    activity, people, _focal = roster
    call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    someone_else = make_user(db, Role.EXPERT)
    with pytest.raises(NotFound):
        answer_call(db, _expert_row(call, people["es"]), AnswerKind.INTERESTED, None, actor=someone_else, now=NOW)
    row, _ = answer_call(db, _expert_row(call, people["es"]), AnswerKind.INTERESTED, None,
                         actor=people["es"].user, now=NOW)
    assert row.answered_by_id == people["es"].user_id


def test_a_focal_point_proposes_experts_of_their_own_state_only(db, roster, officer):
    activity, people, focal = roster
    call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    proposal = propose_expert(db, call, people["es_border"], "Border expert, also on THB", actor=focal["ES"], now=NOW)
    assert proposal.expert_id == people["es_border"].id
    with pytest.raises(DomainError, match="own member state"):
        propose_expert(db, call, people["de"], None, actor=focal["ES"], now=NOW)
    with pytest.raises(DomainError, match="already proposed"):
        propose_expert(db, call, people["es_border"], None, actor=focal["ES"], now=NOW)
    with pytest.raises(DomainError, match="already received"):
        propose_expert(db, call, people["es"], None, actor=focal["ES"], now=NOW)
    with pytest.raises(DomainError, match="cannot be proposed"):
        propose_expert(db, call, people["es_withdrawn"], None, actor=focal["ES"], now=NOW)
    with pytest.raises(NotFound):  # the German focal point was not reached by this call
        propose_expert(db, call, people["de"], None, actor=focal["DE"], now=NOW)


def test_inviting_from_a_call_applies_the_hard_rules_and_names_the_one_broken(db, roster, officer):
    activity, people, focal = roster
    call = send_call(db, activity, draft_for(activity, available_only=False), actor=officer, now=NOW, secret=SECRET)
    slot_id = activity.slots[0].id
    with pytest.raises(DomainError, match="unavailable"):
        invite_from_call(db, call, slot_id, people["es_away"], actor=officer, now=NOW)
    deployment = invite_from_call(db, call, slot_id, people["es"], actor=officer, now=NOW)
    assert deployment.status is DeploymentStatus.INVITED
    with pytest.raises(NotFound):  # not asked, not proposed
        invite_from_call(db, call, slot_id, people["de"], actor=officer, now=NOW)


def test_an_employee_of_the_beneficiary_is_refused_for_conflict_of_interest(db, roster, officer):
    activity, _people, focal = roster
    beneficiary = activity.action.beneficiaries[0]
    insider = make_expert(db, name="Mario López", country="ES", employer=beneficiary)
    call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    assert insider.id not in {r.expert_id for r in call.recipients}  # the hard rules left them out
    propose_expert(db, call, insider, None, actor=focal["ES"], now=NOW)
    with pytest.raises(DomainError, match="[Cc]onflict of interest"):
        invite_from_call(db, call, activity.slots[0].id, insider, actor=officer, now=NOW)


# --- Delivery ----------------------------------------------------------------------------------


def test_each_message_reaches_the_smtp_server_once_even_with_a_second_pass(db, roster, officer, smtp_server, app):
    activity, people, focal = roster
    call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    db.commit()
    with app.app_context():
        first = deliver_pending(db, now=NOW, mailer=smtp_server.mailer(), base_url="https://peerflow.test",
                                secret=SECRET)
        second = deliver_pending(db, now=NOW, mailer=smtp_server.mailer(), base_url="https://peerflow.test",
                                 secret=SECRET)
    assert (first.sent, second.sent) == (4, 0)
    received = smtp_server.messages
    assert sorted(m.to for m in received) == sorted([people["es"].email, people["pt"].email, focal["ES"].email,
                                                     focal["PT"].email])
    assert not smtp_server.duplicates()
    rui = _expert_row(call, people["pt"])
    link = f"https://peerflow.test/calls/answer/{answer_token(SECRET, rui.token_salt)}"
    to_rui = next(m for m in received if m.to == people["pt"].email)
    assert link in to_rui.text and "Workshop on victim identification" in to_rui.subject
    assert "https://peerflow.test/me#calls" in next(m for m in received if m.to == people["es"].email).text
    assert f"https://peerflow.test/calls/{call.id}" in next(m for m in received if m.to == focal["ES"].email).text


def test_a_refused_message_is_retried_later_and_then_sent(db, roster, officer, smtp_server, app):
    activity, _people, _focal = roster
    send_call(db, activity, draft_for(activity, include_focal_points=False), actor=officer, now=NOW, secret=SECRET)
    db.commit()
    smtp_server.refuse()
    with app.app_context():
        failed = deliver_pending(db, now=NOW, mailer=smtp_server.mailer(), base_url="https://x.test", secret=SECRET)
        smtp_server.accept()
        too_soon = deliver_pending(db, now=NOW, mailer=smtp_server.mailer(), base_url="https://x.test", secret=SECRET)
        later = deliver_pending(db, now=NOW + timedelta(minutes=5), mailer=smtp_server.mailer(),
                                base_url="https://x.test", secret=SECRET)
    assert (failed.retrying, too_soon.sent, later.sent) == (2, 0, 2)
    assert len(smtp_server.messages) == 2


def test_a_call_stood_down_before_delivery_sends_nothing(db, roster, officer, smtp_server, app):
    activity, _people, _focal = roster
    call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    apply_call_event(db, call, CallEvent.STAND_DOWN, actor=officer, now=NOW, version=call.version)
    db.commit()
    with app.app_context():
        report = deliver_pending(db, now=NOW, mailer=smtp_server.mailer(), base_url="https://x.test", secret=SECRET)
    assert report.sent == 0 and smtp_server.messages == []
    assert db.scalar(select(func.count()).select_from(CallRecipient).where(
        CallRecipient.state == DeliveryState.CANCELLED)) == 4


def test_focal_points_of_a_partner_administration_kind_are_not_involved(db, roster):
    """Only member-state focal points are reached: requesters of partner institutions never are."""
    activity, _people, _focal = roster
    make_user(db, Role.REQUESTER, make_institution(db, "ES", kind=InstitutionKind.MS_ADMINISTRATION))
    found = audience(db, activity, draft_for(activity), today=NOW.date())
    assert {u.role for u in found.focal_points} == {Role.MS_FOCAL_POINT}


def test_without_a_slot_free_means_no_unavailability_or_booking_over_the_dates(db, roster):
    activity, _people, _focal = roster
    found = audience(db, activity, draft_for(activity, slot_id=None, include_focal_points=False), today=NOW.date())
    assert {e.name for e in found.experts} == {"Ana Sánchez", "Rui Costa"}


def test_a_call_shows_in_its_activitys_audit_history(db, roster, officer):
    from workflow.audit.models import AuditEntry

    activity, _people, _focal = roster
    call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    apply_call_event(db, call, CallEvent.CLOSE, actor=officer, now=NOW, version=call.version)
    parts = [e.detail.get("part") for e in db.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "activity", AuditEntry.object_id == activity.id))]
    assert parts.count("call_for_experts") == 2  # sent, then closed


def test_with_the_mail_server_down_the_page_stops_at_the_first_failure_and_leaves_the_rest_pending(
        db, roster, officer, smtp_server, app):
    activity, _people, _focal = roster
    call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    db.commit()
    smtp_server.stop()
    with app.app_context():
        report = deliver_pending(db, now=NOW, mailer=smtp_server.mailer(), base_url="https://x.test", secret=SECRET,
                                 call_id=call.id, stop_on_failure=True)
    db.expire_all()
    rows = db.scalars(select(CallRecipient).where(CallRecipient.call_id == call.id)).all()
    assert report.retrying == 1 and sorted(r.attempts for r in rows) == [0, 0, 0, 1]
    assert {r.state for r in rows} == {DeliveryState.PENDING} and all(r.claim_token is None for r in rows)
