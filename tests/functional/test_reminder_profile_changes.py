"""A person's waiting reminders follow their profile: a new time zone moves them to 09:00 there, a new
language writes them in it, a disabled account drops them (the preferences page, the admin's page)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.mail.mailer import OutboxMailer
from workflow.reminders.dispatch import dispatch_due_reminders
from workflow.reminders.models import EmailMessage, Reminder, ReminderState

from ..factories import make_action, make_expert, make_institution, make_staffed_activity, make_user

BASE_URL = "https://peerflow.example.org"
START = date(2027, 3, 1)  # the 30-days-ahead reminder: 30 Jan 2027 at 09:00 in the recipient's zone


@pytest.fixture()
def scene(app, db, clock):
    with app.app_context():
        officer = make_user(db, Role.OFFICER)
        expert_user = make_user(db, Role.EXPERT)
        expert = make_expert(db, expert_type="partner_peer", country="AR", user=expert_user)
        action = make_action(db, officer, beneficiary=make_institution(db, "PE"))
        activity = make_staffed_activity(db, action, officer, start=START, title="Taller de derivación")
        deployment = propose(db, activity.slots[0], expert, actor=officer, now=clock.now)
        for event, actor in ((DeploymentEvent.INVITE, officer), (DeploymentEvent.ACCEPT, expert_user),
                             (DeploymentEvent.CONFIRM, officer)):
            apply_deployment_event(db, deployment, event, actor=actor, now=clock.now)
        db.commit()
    return expert_user, activity


def coming(db, activity, user) -> Reminder:
    db.expire_all()
    return db.scalar(select(Reminder).where(Reminder.key == f"activity-coming:activity:{activity.id}:30:user:{user.id}"))


def preferences(post, user, **changes):
    data = {"name": user.name, "locale": user.locale or "", "timezone": user.timezone or "UTC", **changes}
    return post("/account", data, token_page="/account")


def test_a_new_time_zone_moves_waiting_reminders_to_nine_there(db, login_as, post, scene):
    expert_user, activity = scene
    assert coming(db, activity, expert_user).due_at == datetime(2027, 1, 30, 9, tzinfo=UTC)
    login_as(expert_user)
    assert preferences(post, expert_user, timezone="America/Lima").status_code == 302
    assert coming(db, activity, expert_user).due_at == datetime(2027, 1, 30, 14, tzinfo=UTC)  # 09:00 in Lima
    assert preferences(post, expert_user, timezone="Asia/Tokyo").status_code == 302
    assert coming(db, activity, expert_user).due_at == datetime(2027, 1, 30, 0, tzinfo=UTC)  # 09:00 in Tokyo
    assert coming(db, activity, expert_user).state is ReminderState.PENDING


def test_a_new_language_writes_the_waiting_reminder_in_it(app, db, clock, login_as, post, scene):
    expert_user, activity = scene
    login_as(expert_user)
    assert preferences(post, expert_user, locale="fr", timezone="Europe/Paris").status_code == 302
    reminder = coming(db, activity, expert_user)
    assert reminder.due_at == datetime(2027, 1, 30, 8, tzinfo=UTC)  # 09:00 in Paris
    with app.app_context():
        dispatch_due_reminders(db, now=reminder.due_at, mailer=OutboxMailer(), base_url=BASE_URL)
    sent = db.scalar(select(EmailMessage).where(EmailMessage.reminder_id == reminder.id))
    assert sent.subject.startswith("«\u00a0Taller de derivación\u00a0» commence dans 30 jours")
    assert "1–3 mars 2027" in sent.body_text and '<html lang="fr">' in sent.body_html


def test_a_disabled_account_drops_its_waiting_reminders_and_enabling_it_brings_them_back(
        db, clock, login_as, post, scene):
    expert_user, activity = scene
    admin = make_user(db, Role.ADMIN)
    login_as(admin)
    page = f"/admin/users/{expert_user.id}"
    assert post(f"{page}/active", {"active": "0"}, token_page=page).status_code == 302
    assert coming(db, activity, expert_user).state is ReminderState.CANCELLED
    assert post(f"{page}/active", {"active": "1"}, token_page=page).status_code == 302
    assert coming(db, activity, expert_user).state is ReminderState.PENDING
