"""Editing never destroys work: slots are edited in place, by id; dates move only by postponing.

Through the services, on a real database (SQLite, and PostgreSQL with DATABASE_URL), committing as the
pages do so that the reminder hook runs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.services import apply_action_event
from workflow.activities.lifecycle import ActivityEvent, ActivityStatus
from workflow.activities.models import Activity, ActivityTransition, ExpertSlot, SlotRole
from workflow.activities.services import (
    ActivityDraft,
    apply_activity_event,
    postpone_activity,
    update_activity,
)
from workflow.activities.slots import SlotDraft, add_slot, remove_slot, update_slot
from workflow.audit.display import view_entries
from workflow.audit.models import AuditEntry
from workflow.core.errors import DomainError
from workflow.deployments.lifecycle import DeploymentEvent, DeploymentStatus
from workflow.deployments.models import Deployment, DeploymentTransition
from workflow.deployments.services import apply_deployment_event, propose
from workflow.reminders.models import Reminder, ReminderState

from ..factories import make_action, make_expert, make_staffed_activity, make_user, theme

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
START = date(2027, 3, 1)


@pytest.fixture()
def app_ctx(app, db, clock):
    """An app context for the whole test, so the reminder hook reads the test clock."""
    with app.app_context():
        yield


@pytest.fixture()
def officer(db, app_ctx):
    return make_user(db, Role.OFFICER)


@pytest.fixture()
def action(db, officer):
    return make_action(db, officer, status=ActionStatus.IMPLEMENTATION)


@pytest.fixture()
def activity(db, officer, action):
    return make_staffed_activity(db, action, officer, start=START, places=2)


def expert_with_account(db, name: str):
    return make_expert(db, name=name, expert_type="academic", user=make_user(db, Role.EXPERT))


def booked(db, slot, expert, officer, *, confirm: bool = True) -> Deployment:
    deployment = propose(db, slot, expert, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    if confirm:
        apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert.user, now=NOW)
        apply_deployment_event(db, deployment, DeploymentEvent.CONFIRM, actor=officer, now=NOW)
    db.commit()
    return deployment


def draft_of(activity: Activity, *, slots: tuple[SlotDraft, ...] = (), **changes) -> ActivityDraft:
    """The activity as its Edit form sends it (no dates), with `changes`."""
    base = ActivityDraft(kind=activity.kind, title=activity.title, start_date=None, end_date=None,
                         is_remote=activity.is_remote, city=activity.city, country_code=activity.country_code,
                         languages=tuple(activity.languages), slots=slots)
    return replace(base, **changes)


def as_draft(slot: ExpertSlot, **changes) -> SlotDraft:
    return replace(SlotDraft(role=slot.role, thematic_area_id=slot.thematic_area_id, language=slot.language,
                             places=slot.places, id=slot.id), **changes)


def news(db, kind: str, subject_id: int) -> list:
    """The notifications of `kind` about a subject (the hand-offs' news, sent at once)."""
    from workflow.notifications.models import Notification

    return list(db.scalars(select(Notification).where(Notification.kind == kind, Notification.subject_id == subject_id)
                           .order_by(Notification.id)))


def pending(db, rule: str, **where) -> list[Reminder]:
    stmt = select(Reminder).where(Reminder.rule == rule, Reminder.state == ReminderState.PENDING)
    for name, value in where.items():
        stmt = stmt.where(getattr(Reminder, name) == value)
    return list(db.scalars(stmt))


# --- Edits keep the slots and their deployments ----------------------------------------------


def test_saving_a_new_title_keeps_every_slot_and_its_deployments(db, officer, activity):
    expert = expert_with_account(db, "Lucía Herrera")
    deployment = booked(db, activity.slots[0], expert, officer)
    slot_id = activity.slots[0].id
    update_activity(db, activity, draft_of(activity, title="Workshop on referral", slots=(as_draft(activity.slots[0]),)),
                    version=activity.version, actor=officer, now=NOW)
    db.commit()
    db.expire_all()
    assert [s.id for s in db.get(Activity, activity.id).slots] == [slot_id]
    kept = db.get(Deployment, deployment.id)
    assert (kept.slot_id, kept.status) == (slot_id, DeploymentStatus.CONFIRMED)
    assert db.get(Activity, activity.id).title == "Workshop on referral"


def test_a_slot_is_changed_in_place_and_new_rows_are_added(db, officer, activity):
    slot = activity.slots[0]
    other_theme = theme(db, "legal_migration_mobility")
    update_activity(db, activity, draft_of(activity, slots=(
        as_draft(slot, places=4),
        SlotDraft(role=SlotRole.TRAINER, thematic_area_id=other_theme.id, language="en", places=1),
    )), version=activity.version, actor=officer, now=NOW)
    db.commit()
    db.expire_all()
    slots = db.get(Activity, activity.id).slots
    assert [(s.id, s.places) for s in slots][0] == (slot.id, 4)
    assert [(s.role, s.thematic_area_id, s.language) for s in slots[1:]] == [(SlotRole.TRAINER, other_theme.id, "en")]


def test_slots_the_edit_does_not_mention_stay(db, officer, activity):
    slot_id = activity.slots[0].id
    update_activity(db, activity, draft_of(activity, title="Renamed"), version=activity.version, actor=officer,
                    now=NOW)
    db.commit()
    db.expire_all()
    assert [s.id for s in db.get(Activity, activity.id).slots] == [slot_id]


def test_removing_a_slot_with_live_deployments_is_refused_naming_the_experts(db, officer, activity):
    slot = activity.slots[0]
    booked(db, slot, expert_with_account(db, "Lucía Herrera"), officer)
    booked(db, slot, expert_with_account(db, "Jean Dupont"), officer, confirm=False)
    with pytest.raises(DomainError) as refused:
        update_activity(db, activity, draft_of(activity, slots=(as_draft(slot, remove=True),)),
                        version=activity.version, actor=officer, now=NOW)
    assert "Lucía Herrera" in refused.value.message and "Jean Dupont" in refused.value.message
    db.rollback()
    assert db.get(ExpertSlot, slot.id).removed_at is None
    with pytest.raises(DomainError, match="Jean Dupont"):
        update_slot(db, slot, as_draft(slot, places=1), actor=officer, now=NOW)  # two live, one place
    db.rollback()
    with pytest.raises(DomainError, match="Lucía Herrera"):
        update_slot(db, slot, as_draft(slot, role=SlotRole.LEAD_EXPERT), actor=officer, now=NOW)
    db.rollback()
    assert (db.get(ExpertSlot, slot.id).places, db.get(ExpertSlot, slot.id).role) == (2, SlotRole.EXPERT)


def test_a_slot_can_shrink_to_its_live_deployments(db, officer, activity):
    slot = activity.slots[0]
    booked(db, slot, expert_with_account(db, "Lucía Herrera"), officer)
    update_slot(db, slot, as_draft(slot, places=1), actor=officer, now=NOW)
    db.commit()
    assert db.get(ExpertSlot, slot.id).places == 1


def test_once_its_deployments_are_cancelled_the_slot_goes_and_their_history_stays(db, officer, activity, clock):
    slot = activity.slots[0]
    expert = expert_with_account(db, "Lucía Herrera")
    deployment = booked(db, slot, expert, officer, confirm=False)  # invited: nudges are pending
    assert pending(db, "invite_nudge", subject_id=deployment.id)
    apply_deployment_event(db, deployment, DeploymentEvent.CANCEL, actor=officer, now=clock.now,
                           reason="The slot is no longer needed.")
    remove_slot(db, slot, actor=officer, now=clock.now)
    db.commit()
    db.expire_all()
    assert db.get(Activity, activity.id).slots == []
    assert db.get(ExpertSlot, slot.id).removed_at is not None  # kept for the deployment's history
    history = db.scalars(select(DeploymentTransition.to_status).where(
        DeploymentTransition.deployment_id == deployment.id).order_by(DeploymentTransition.id)).all()
    assert history[-1] is DeploymentStatus.CANCELLED
    assert not pending(db, "invite_nudge", subject_id=deployment.id)
    [notice] = news(db, "deployment_cancelled", deployment.id)
    assert notice.user_id == expert.user_id
    with pytest.raises(DomainError):
        propose(db, db.get(ExpertSlot, slot.id), expert, actor=officer, now=clock.now)


def test_a_slot_that_never_had_a_deployment_is_deleted(db, officer, activity):
    added = add_slot(db, activity, SlotDraft(role=SlotRole.EXPERT, thematic_area_id=theme(db).id, language="es"),
                     actor=officer, now=NOW)
    db.commit()
    remove_slot(db, added, actor=officer, now=NOW)
    db.commit()
    assert db.get(ExpertSlot, added.id) is None
    assert len(db.get(Activity, activity.id).slots) == 1


def test_a_slot_of_another_activity_is_not_edited(db, officer, action, activity):
    other = make_staffed_activity(db, action, officer, start=START + timedelta(days=30))
    with pytest.raises(DomainError, match="not part of this activity"):
        update_activity(db, activity, draft_of(activity, slots=(as_draft(other.slots[0], places=3),)),
                        version=activity.version, actor=officer, now=NOW)


def test_editing_does_not_move_the_dates(db, officer, activity):
    with pytest.raises(DomainError, match="postpone") as refused:
        update_activity(db, activity, draft_of(activity, start_date=START + timedelta(days=7)),
                        version=activity.version, actor=officer, now=NOW)
    assert refused.value.field == "start_date"
    db.rollback()
    update_activity(db, activity, draft_of(activity, start_date=activity.start_date, end_date=activity.end_date),
                    version=activity.version, actor=officer, now=NOW)  # unchanged dates are fine
    assert db.get(Activity, activity.id).start_date == START


# --- Postponing ------------------------------------------------------------------------------


def test_postponing_keeps_the_old_dates_moves_reminders_and_tells_the_booked_experts(db, officer, activity, clock):
    expert = expert_with_account(db, "Lucía Herrera")
    booked(db, activity.slots[0], expert, officer)
    before = {r.key: r.due_at for r in pending(db, "activity_coming", subject_id=activity.id)}
    assert before
    new_start = START + timedelta(days=21)
    transition = postpone_activity(db, activity, start_date=new_start, end_date=new_start + timedelta(days=2),
                                   reason="The minister is travelling.", actor=officer, now=clock.now)
    db.commit()
    assert (transition.previous_start, transition.reason) == (START, "The minister is travelling.")
    assert (activity.start_date, activity.status) == (new_start, ActivityStatus.POSTPONED)
    after = {r.key: r.due_at for r in pending(db, "activity_coming", subject_id=activity.id)}
    assert set(after) == set(before) and all(after[k] == before[k] + timedelta(days=21) for k in after)
    [notice] = news(db, "activity_postponed", activity.id)
    assert notice.user_id == expert.user_id and notice.created_at == clock.now


def test_postponing_onto_another_booking_of_an_expert_is_refused_naming_them(db, officer, action, activity, clock):
    expert = expert_with_account(db, "Lucía Herrera")
    booked(db, activity.slots[0], expert, officer)
    later = make_staffed_activity(db, action, officer, start=START + timedelta(days=40))
    booked(db, later.slots[0], expert, officer)
    with pytest.raises(DomainError, match="Lucía Herrera"):
        postpone_activity(db, activity, start_date=later.start_date, end_date=later.end_date,
                          reason="Rescheduled.", actor=officer, now=clock.now)
    db.rollback()
    db.expire_all()
    kept = db.get(Activity, activity.id)
    assert (kept.start_date, kept.status) == (START, ActivityStatus.PLANNED)
    assert not db.scalars(select(ActivityTransition).where(ActivityTransition.activity_id == activity.id,
                                                           ActivityTransition.to_status == ActivityStatus.POSTPONED)).all()


def test_postponing_needs_a_reason(db, officer, activity, clock):
    with pytest.raises(DomainError):
        postpone_activity(db, activity, start_date=START + timedelta(days=7), end_date=START + timedelta(days=9),
                          reason=" ", actor=officer, now=clock.now)


# --- The history names what changed ----------------------------------------------------------


def test_the_history_names_slot_changes_and_the_slot_of_a_deployment(db, app, officer, activity, clock):
    slot = activity.slots[0]
    update_slot(db, slot, as_draft(slot, places=3), actor=officer, now=clock.now)
    db.commit()
    deployment = booked(db, slot, expert_with_account(db, "Lucía Herrera"), officer)
    entries = db.scalars(select(AuditEntry).where(AuditEntry.object_type.in_(("activity", "deployment")),
                                                  AuditEntry.object_id.in_((activity.id, deployment.id)))
                         .order_by(AuditEntry.id)).all()
    with app.test_request_context():
        views = view_entries(db, entries)
    [changed] = [v for v in views if v.entry.detail.get("part") == "expert_slot" and v.entry.event == "updated"]
    assert changed.what == "Expert slot changed"
    assert [(c.field, c.old, c.new) for c in changed.changes] == [("Places", "2", "3")]
    assert "Irregular migration and trafficking in human beings" in changed.note
    [created] = [v for v in views if v.entry.object_type == "deployment" and v.entry.event == "created"]
    shown = {c.field: c.new for c in created.changes}
    assert shown["Slot"].startswith("3 × Expert") and shown["Expert"] == "Lucía Herrera"
    assert all(not value.isdigit() for value in (shown["Slot"], shown["Activity"]))


def test_the_notices_reach_the_expert_in_their_bell_and_mail(db, officer, action, activity, clock):
    from workflow.notifications.models import Notification

    first, second = expert_with_account(db, "Lucía Herrera"), expert_with_account(db, "Jean Dupont")
    booked(db, activity.slots[0], first, officer)
    cancelled = booked(db, activity.slots[0], second, officer, confirm=False)
    apply_deployment_event(db, cancelled, DeploymentEvent.CANCEL, actor=officer, now=clock.now,
                           reason="The slot is given to a trainer.")
    postpone_activity(db, activity, start_date=START + timedelta(days=7), end_date=START + timedelta(days=9),
                      reason="The venue is closed.", actor=officer, now=clock.now)
    db.commit()
    told = {(n.user_id, n.kind): (n.title, n.body) for n in db.scalars(select(Notification))}
    title, body = told[second.user_id, "deployment_cancelled"]
    assert title == f"Your mission to “{activity.title}” is cancelled"
    assert "The reason: The slot is given to a trainer." in body
    title, body = told[first.user_id, "activity_postponed"]
    assert title == f"“{activity.title}” is postponed to 8\u2009–\u200910 Mar 2027"  # one period (CLDR interval)
    assert "It was planned for 1\u2009–\u20093 Mar 2027." in body and "The reason: The venue is closed." in body


def test_a_slot_with_an_open_call_for_experts_stays_and_a_closed_call_keeps_it_as_history(db, officer, activity, clock):
    from workflow.calls.lifecycle import CallStatus
    from workflow.calls.models import Call

    slot = activity.slots[0]
    call = Call(activity_id=activity.id, slot_id=slot.id, message="Who is free?", status=CallStatus.OPEN,
                answer_deadline=clock.now + timedelta(days=7), created_by_id=officer.id, created_at=clock.now,
                sent_at=clock.now)
    db.add(call)
    db.commit()
    with pytest.raises(DomainError, match="call for experts"):
        remove_slot(db, slot, actor=officer, now=clock.now)
    db.rollback()
    call.status = CallStatus.CLOSED
    db.commit()
    remove_slot(db, slot, actor=officer, now=clock.now)
    db.commit()
    assert db.get(ExpertSlot, slot.id).removed_at is not None and db.get(Call, call.id).slot_id == slot.id


def test_an_activity_has_at_most_twenty_slots_as_its_edit_page_shows(db, officer, activity):
    for _n in range(19):
        add_slot(db, activity, SlotDraft(role=SlotRole.EXPERT, thematic_area_id=theme(db).id, language="es"),
                 actor=officer, now=NOW)
    with pytest.raises(DomainError, match="at most 20"):
        add_slot(db, activity, SlotDraft(role=SlotRole.EXPERT, thematic_area_id=theme(db).id, language="es"),
                 actor=officer, now=NOW)


def test_cancelling_an_activity_cancels_its_live_deployments_with_history_and_a_notice(db, officer, activity, clock):
    slot = activity.slots[0]
    invited = booked(db, slot, expert_with_account(db, "Lucía Herrera"), officer, confirm=False)
    confirmed = booked(db, slot, expert_with_account(db, "Jan Novák"), officer)
    apply_activity_event(db, activity, ActivityEvent.CANCEL, actor=officer, now=clock.now, reason="Floods in the region")
    db.commit()
    db.expire_all()
    for deployment in (invited, confirmed):
        found = db.get(Deployment, deployment.id)
        assert found.status is DeploymentStatus.CANCELLED
        last = db.scalars(select(DeploymentTransition).where(DeploymentTransition.deployment_id == deployment.id)
                          .order_by(DeploymentTransition.id.desc()).limit(1)).one()
        assert last.to_status is DeploymentStatus.CANCELLED and "Floods in the region" in last.reason
        assert news(db, "deployment_cancelled", deployment.id) == []  # the activity's news says it
    assert sorted(n.user_id for n in news(db, "activity_cancelled", activity.id)) == sorted(
        db.get(Deployment, d.id).expert.user_id for d in (invited, confirmed))
    assert not pending(db, "invite_nudge", subject_id=invited.id)


def test_cancelling_the_action_cancels_its_activities_and_their_deployments(db, officer, action, activity, clock):
    done = make_staffed_activity(db, action, officer, start=date(2026, 10, 1), places=1)
    apply_activity_event(db, done, ActivityEvent.DELIVER, actor=officer, now=clock.now)
    confirmed = booked(db, activity.slots[0], expert_with_account(db, "Jan Novák"), officer)
    apply_action_event(db, action, ActionEvent.CANCEL, actor=officer, now=clock.now, reason="Elections called")
    db.commit()
    db.expire_all()
    assert db.get(Activity, activity.id).status is ActivityStatus.CANCELLED
    last = db.scalars(select(ActivityTransition).where(ActivityTransition.activity_id == activity.id)
                      .order_by(ActivityTransition.id.desc()).limit(1)).one()
    assert last.to_status is ActivityStatus.CANCELLED and "Elections called" in last.reason
    assert db.get(Activity, done.id).status is ActivityStatus.DELIVERED  # delivered work stays as it was
    assert db.get(Deployment, confirmed.id).status is DeploymentStatus.CANCELLED
    [notice] = news(db, "activity_cancelled", activity.id)
    assert notice.user_id == db.get(Deployment, confirmed.id).expert.user_id
    assert news(db, "deployment_cancelled", confirmed.id) == [] and news(db, "activity_cancelled", done.id) == []
