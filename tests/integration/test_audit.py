"""The audit trail: changes to tracked records and security events, recorded with the change itself."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from workflow.accounts.models import Role
from workflow.accounts.tokens import create_token, revoke_token
from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.services import ActionEdit, apply_action_event, update_action
from workflow.activities.lifecycle import ActivityEvent
from workflow.activities.models import SlotRole
from workflow.activities.services import ActivityDraft, apply_activity_event, update_activity
from workflow.activities.slots import SlotDraft
from workflow.audit.models import AuditEntry, EntryKind
from workflow.audit.services import changes_since, security_event, set_actor
from workflow.core.errors import ConcurrentChange
from workflow.core.signals import stale_edit
from workflow.experts.services import renew_calendar_token

from ..factories import (
    PASSWORD,
    make_action,
    make_activity,
    make_expert,
    make_staffed_activity,
    make_user,
    theme,
)


@pytest.fixture(autouse=True)
def _app_context(app):
    """The app's clock stamps the entries, as in a request or a command."""
    with app.app_context():
        yield


def entries(db, **where) -> list[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(AuditEntry, name) == value)
    return list(db.scalars(stmt))


def _edit(action, **changes) -> ActionEdit:
    values = dict(name=action.name, title=action.title, thematic_area_id=action.thematic_area_id,
                  objective=action.objective, summary=action.summary, planned_start=action.planned_start,
                  planned_end=action.planned_end)
    return ActionEdit(**{**values, **changes})


# --- Security events -----------------------------------------------------------------------------


def test_a_security_event_is_recorded_and_flushed(db, clock):
    user = make_user(db, Role.OFFICER)
    security_event(db, "login", now=clock.now, user=user, ip="203.0.113.9", detail={"method": "password"})
    [entry] = entries(db, kind=EntryKind.SECURITY)
    assert (entry.event, entry.actor_id, entry.object_type, entry.object_id) == ("login", user.id, "user", user.id)
    assert (entry.email, entry.ip, entry.detail, entry.at) == (user.email, "203.0.113.9", {"method": "password"}, clock.now)


@pytest.mark.parametrize("key", ["password", "new_password", "token", "token_hash", "apiToken", "secret", "hash",
                                 "password_hash", "client-secret", "session_token"])
def test_a_security_event_refuses_secret_looking_details(db, clock, key):
    with pytest.raises(ValueError):
        security_event(db, "login_failed", now=clock.now, email="x@example.org", detail={key: "hunter2"})
    with pytest.raises(ValueError):
        security_event(db, "login_failed", now=clock.now, email="x@example.org", detail={"nested": {key: "x"}})
    assert entries(db, kind=EntryKind.SECURITY) == []


def test_keys_that_only_point_at_a_secret_are_accepted(db, clock):
    user = make_user(db, Role.OFFICER)
    security_event(db, "token_created", now=clock.now, user=user,
                   detail={"token_id": 3, "token_name": "CI", "token_prefix": "pf_ab12"})
    [entry] = entries(db, kind=EntryKind.SECURITY)
    assert entry.detail == {"token_id": 3, "token_name": "CI", "token_prefix": "pf_ab12"}


def test_an_unknown_address_at_login_is_recorded_without_a_user(db, clock):
    security_event(db, "login_failed", now=clock.now, email="nobody@example.org", ip="198.51.100.1")
    [entry] = entries(db, kind=EntryKind.SECURITY)
    assert (entry.actor_id, entry.object_id, entry.email) == (None, None, "nobody@example.org")


def test_an_admin_acting_on_someone_is_the_actor_and_the_account_the_subject(db, clock):
    admin, officer = make_user(db, Role.ADMIN), make_user(db, Role.OFFICER)
    set_actor(db, admin)
    security_event(db, "role_changed", now=clock.now, user=officer, detail={"from": "officer", "to": "admin"})
    [entry] = entries(db, kind=EntryKind.SECURITY)
    assert (entry.actor_id, entry.object_id) == (admin.id, officer.id)


# --- Changes -------------------------------------------------------------------------------------


def test_an_actions_transition_and_edit_are_in_its_history_with_old_and_new_values(db, clock):
    officer = make_user(db, Role.OFFICER)
    action = make_action(db, officer)
    [created] = entries(db, object_type="action", object_id=action.id)
    assert created.event == "created" and created.changes["status"] == [None, "accepted"]
    assert created.changes["planned_start"] == [None, "2026-01-01"]  # dates as ISO text, enums by value

    set_actor(db, officer)
    apply_action_event(db, action, ActionEvent.START_ASSESSMENT, actor=officer, now=clock.now)
    update_action(db, action, _edit(action, title="Victim assistance", planned_end=date(2028, 6, 30)),
                  version=action.version, actor=officer, now=clock.now)
    db.commit()

    created, transition, edit = entries(db, object_type="action", object_id=action.id)
    assert (transition.event, transition.actor_id, transition.changes) == (
        "transition", officer.id, {"status": ["accepted", "assessment"]})
    assert (edit.event, edit.actor_id, edit.at) == ("updated", officer.id, clock.now)
    assert edit.changes == {"title": ["Trafficking in human beings", "Victim assistance"],
                            "planned_end": ["2027-12-02", "2028-06-30"]}
    assert [created.object_version, transition.object_version, edit.object_version] == [1, 2, 3]
    assert edit.object_label == action.name


def test_a_transition_keeps_its_reason_and_the_changes_it_made(db, clock):
    officer = make_user(db, Role.OFFICER)
    activity = make_activity(db, make_action(db, officer, status=ActionStatus.IMPLEMENTATION), officer,
                             start=date(2026, 12, 1))
    apply_activity_event(db, activity, ActivityEvent.POSTPONE, actor=officer, now=clock.now,
                         reason="The minister is travelling.", new_dates=(date(2027, 2, 1), date(2027, 2, 3)))
    db.commit()
    transition = entries(db, object_type="activity", object_id=activity.id)[-1]
    assert transition.event == "transition" and transition.actor_id == officer.id
    assert transition.changes == {"status": ["planned", "postponed"], "start_date": ["2026-12-01", "2027-02-01"],
                                  "end_date": ["2026-12-03", "2027-02-03"]}
    assert transition.detail == {"reason": "The minister is travelling."}


def test_slots_are_recorded_in_their_activity_history_and_only_when_they_change(db, clock):
    # Slots are edited in place, by id (#15): each change is an "expert slot" part of the activity's history,
    # saying which slot it is; planning the activity records its slots in the activity's "created" entry.
    officer = make_user(db, Role.OFFICER)
    activity = make_staffed_activity(db, make_action(db, officer), officer)
    slot_id = activity.slots[0].id
    [created] = [e for e in entries(db, object_type="activity", object_id=activity.id) if e.event == "created"]
    assert created.changes["slots"] == [None, [{"role": "expert", "thematic_area_id": theme(db).id, "language": "es",
                                                "places": 1}]]

    def draft(places: int) -> ActivityDraft:
        return ActivityDraft(kind=activity.kind, title=activity.title, start_date=activity.start_date,
                             end_date=activity.end_date, city="Lima", country_code="PE", languages=("es",),
                             slots=(SlotDraft(role=SlotRole.EXPERT, thematic_area_id=theme(db).id, language="es",
                                              places=places, id=slot_id),))

    before = len(entries(db, object_type="activity", object_id=activity.id))
    update_activity(db, activity, draft(1), version=activity.version, actor=officer, now=clock.now)  # same slots
    db.commit()
    assert len(entries(db, object_type="activity", object_id=activity.id)) == before
    update_activity(db, activity, draft(2), version=activity.version, actor=officer, now=clock.now)
    db.commit()
    last = entries(db, object_type="activity", object_id=activity.id)[-1]
    slot = {"role": "expert", "thematic_area_id": theme(db).id, "language": "es"}
    assert (last.event, last.changes) == ("updated", {"places": [1, 2]})
    assert last.detail == {"part": "expert_slot", "part_id": slot_id, "slot": {**slot, "places": 2}}


def test_users_roles_experts_and_tokens_are_tracked_without_secrets(db, clock):
    admin = make_user(db, Role.ADMIN)
    user = make_user(db, Role.OFFICER)
    set_actor(db, admin)
    user.role, user.active = Role.ADMIN, False
    user.set_password("a brand new passphrase for the test")
    user.end_sessions()
    token, plain = create_token(db, user, "CI pipeline", now=clock.now)
    db.commit()
    set_actor(db, admin)
    revoke_token(db, token, actor=admin, now=clock.now + timedelta(minutes=5))
    expert = make_expert(db)
    renew_calendar_token(expert)
    expert.years_experience = 20
    db.commit()

    [change] = [e for e in entries(db, object_type="user", object_id=user.id) if e.event == "updated"]
    assert change.actor_id == admin.id
    assert change.changes == {"role": ["officer", "admin"], "active": [True, False]}
    created, revoked = entries(db, object_type="api_token", object_id=token.id)
    assert created.changes["name"] == [None, "CI pipeline"] and "revoked_at" in revoked.changes
    assert revoked.actor_id == admin.id
    assert entries(db, object_type="expert", object_id=expert.id)[-1].changes == {"years_experience": [12, 20]}

    # Nothing secret anywhere in the trail: no hash, no token, no calendar address, no password.
    everything = json.dumps([[e.changes, e.detail, e.object_label, e.email] for e in entries(db)])
    for secret in (user.password_hash, token.token_hash, plain, expert.calendar_token, user.session_token,
                   PASSWORD, "a brand new passphrase for the test"):
        assert secret not in everything
    for key in ("password_hash", "token_hash", "calendar_token", "session_token"):
        assert f'"{key}"' not in everything


def test_a_field_set_while_not_loaded_still_shows_its_old_value(db, clock):
    officer = make_user(db, Role.OFFICER)
    action = make_action(db, officer)
    db.expire(action)  # as after a rollback: the old values are no longer in memory
    action.title = "Set without reading it first"
    db.commit()
    assert entries(db, object_type="action", object_id=action.id)[-1].changes == {
        "title": ["Trafficking in human beings", "Set without reading it first"]}


def test_the_trail_is_written_in_the_changes_transaction(db, clock):
    officer = make_user(db, Role.OFFICER)
    action = make_action(db, officer)
    count = len(entries(db))
    apply_action_event(db, action, ActionEvent.START_ASSESSMENT, actor=officer, now=clock.now)
    assert len(entries(db)) == count + 1  # flushed with the change
    db.rollback()
    assert len(entries(db)) == count  # and gone with it


def test_without_a_signed_in_user_the_lifecycle_rows_name_who_acted(db, clock, peru):
    """A command or job calls the services with an actor: the transition rows name them."""
    officer = make_user(db, Role.OFFICER)
    # Created, given its beneficiary (a second flush), then moved on: one "created" entry, one transition.
    action = make_action(db, officer, status=ActionStatus.ASSESSMENT, beneficiary=peru)
    [created, transition] = entries(db, object_type="action", object_id=action.id)
    assert (created.actor_id, transition.actor_id) == (officer.id, officer.id)
    assert created.changes["beneficiaries"] == [None, [peru.id]]
    assert [e.actor_id for e in entries(db, object_type="user", object_id=officer.id)] == [None]  # the system's


def test_changes_with_no_person_behind_them_are_the_systems(db, clock):
    officer = make_user(db, Role.OFFICER)
    action = make_action(db, officer)
    action.summary = "Set by a job."
    db.commit()
    assert entries(db, object_type="action", object_id=action.id)[-1].actor_id is None


# --- Lost updates --------------------------------------------------------------------------------


def test_a_stale_edit_names_what_changed_since_the_version_it_was_opened_on(db, clock):
    ana = make_user(db, Role.OFFICER)
    ana.name = "Ana Officer"
    ben = make_user(db, Role.OFFICER)
    action = make_action(db, ana)
    opened_on = action.version
    set_actor(db, ana)
    update_action(db, action, _edit(action, title="Victim assistance"), version=opened_on, actor=ana, now=clock.now)
    db.commit()
    assert [e.changes for e in changes_since(db, "action", action.id, opened_on)] == [
        {"title": ["Trafficking in human beings", "Victim assistance"]}]

    with pytest.raises(ConcurrentChange) as refused:
        update_action(db, action, _edit(action, summary="Ben's summary"), version=opened_on, actor=ben, now=clock.now)
    error = refused.value
    assert error.current_version == action.version
    assert "Ana Officer changed: Title “Trafficking in human beings” → “Victim assistance”." in error.message
    assert error.changes == [{"field": "title", "old": "Trafficking in human beings", "new": "Victim assistance",
                              "by": "Ana Officer", "at": clock.now.isoformat(), "event": "updated"}]
    assert action.summary == ""  # nothing of Ben's was applied


def test_a_stale_edit_without_recorded_changes_still_says_so(db):
    officer = make_user(db, Role.OFFICER)
    action = make_action(db, officer, status=ActionStatus.ASSESSMENT)
    db.execute(delete(AuditEntry))  # changed before the trail was kept
    error = stale_edit(db, action, action.version - 1, "Changed.")
    assert "Someone saved it in the meantime" in error.message and error.changes == []
