"""Notifications of the hand-offs: written in the step's transaction, sent after it through the outbox to a
real SMTP server, at once or in the reader's daily digest, in their language, with List-Unsubscribe."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.notifications.dispatch import dispatch_notifications
from workflow.notifications.models import (
    Delivery,
    EmailState,
    Notification,
    NotificationEmail,
    NotificationPreference,
)
from workflow.notifications.notify import next_digest_at

from ..factories import make_action, make_expert, make_institution, make_staffed_activity, make_user

pytest_plugins = ["tests.smtp"]

BASE_URL = "https://peerflow.example.org"
NOW = datetime(2027, 1, 10, 14, 30, tzinfo=UTC)


@pytest.fixture()
def app_ctx(app, db, clock):
    with app.app_context():
        yield


@pytest.fixture()
def proposed(db, clock, app_ctx):
    officer = make_user(db, Role.OFFICER)
    expert_user = make_user(db, Role.EXPERT)
    expert_user.locale, expert_user.timezone = "fr", "Europe/Paris"
    expert = make_expert(db, expert_type="partner_peer", country="AR", user=expert_user)
    action = make_action(db, officer, beneficiary=make_institution(db, "PE"))
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Atelier sur l’orientation")
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    db.commit()
    return officer, expert_user, deployment


def mailer(smtp_server):
    return smtp_server.mailer()


def test_an_invitation_reaches_the_expert_once_in_their_language_with_its_calendar_file(db, proposed, smtp_server):
    officer, expert_user, deployment = proposed
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    db.commit()

    report = dispatch_notifications(db, now=NOW, mailer=mailer(smtp_server), base_url=BASE_URL)

    assert report.sent == 1
    [message] = smtp_server.messages
    assert message.to == expert_user.email
    assert "Atelier sur l’orientation" in message.subject and "invité" in message.subject
    assert f"{BASE_URL}/deployments/{deployment.id}" in message.text
    assert "1–3 mars 2027" in message.text  # the dates as one period
    headers = email.message_from_bytes(message.raw, policy=email.policy.default)
    assert headers["List-Unsubscribe"].strip() == f"<{BASE_URL}/notifications/preferences?kind=expert_invited>"
    [ics] = message.attachments
    assert Calendar.from_ical(ics.data).walk("VEVENT")[0]["SUMMARY"].endswith("Atelier sur l’orientation")
    bell = db.scalars(select(Notification).where(Notification.user_id == expert_user.id)).one()
    assert bell.link == f"/deployments/{deployment.id}" and bell.kind == "expert_invited"
    # A second pass sends nothing again.
    assert dispatch_notifications(db, now=NOW + timedelta(minutes=1), mailer=mailer(smtp_server),
                                  base_url=BASE_URL).sent == 0


def test_a_step_that_fails_leaves_no_message_behind(db, proposed):
    officer, _expert_user, deployment = proposed
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Notification)) == 0
    assert db.scalar(select(func.count()).select_from(NotificationEmail)) == 0


def test_the_digest_gathers_the_day_and_goes_at_eight_in_the_readers_zone(db, proposed, smtp_server):
    officer, expert_user, deployment = proposed
    db.add(NotificationPreference(user_id=expert_user.id, kind="expert_invited", delivery=Delivery.DIGEST))
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    db.commit()
    eight_in_paris = datetime(2027, 1, 11, 7, tzinfo=UTC)
    assert next_digest_at(expert_user, NOW) == eight_in_paris

    assert dispatch_notifications(db, now=NOW, mailer=mailer(smtp_server), base_url=BASE_URL).sent == 0
    assert dispatch_notifications(db, now=eight_in_paris, mailer=mailer(smtp_server), base_url=BASE_URL).sent == 1
    [message] = smtp_server.messages
    assert "1" in message.subject and not message.attachments
    row = db.scalars(select(NotificationEmail)).one()
    assert row.digest and row.state is EmailState.SENT


def test_news_the_work_depends_on_cannot_be_switched_off(db, proposed, smtp_server):
    officer, expert_user, deployment = proposed
    db.add(NotificationPreference(user_id=expert_user.id, kind="expert_invited", delivery=Delivery.APP))
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    db.commit()
    assert dispatch_notifications(db, now=NOW, mailer=mailer(smtp_server), base_url=BASE_URL).sent == 1
