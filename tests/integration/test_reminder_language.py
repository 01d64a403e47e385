"""Reminder e-mails are written in their recipient's language (`User.locale`), English by default.

The assertions are on the locale actually used (captured while the message is composed, and the dates
CLDR formats with it), not on translated text: the catalogues are filled in separately.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from babel.dates import format_interval
from flask_babel import get_locale
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.mail.mailer import OutboxMailer
from workflow.notifications.models import Notification
from workflow.reminders import dispatch as dispatch_module
from workflow.reminders.dispatch import dispatch_due_reminders
from workflow.reminders.models import EmailMessage, Reminder

from ..factories import make_action, make_expert, make_institution, make_staffed_activity, make_user

BASE_URL = "https://peerflow.example.org"
START = date(2027, 3, 1)
THIRTY_DAYS_BEFORE = datetime(2027, 1, 30, 9, tzinfo=UTC)


@pytest.fixture()
def app_ctx(app, db, clock):
    """Dispatch runs in an app context with no request, as in the scheduler process."""
    with app.app_context():
        yield


@pytest.fixture()
def people(db, clock, app_ctx):
    """An English-reading officer (no preference) and a Spanish-reading expert, both on one activity."""
    officer = make_user(db, Role.OFFICER)
    expert_user = make_user(db, Role.EXPERT)
    expert_user.locale = "es"
    db.commit()
    expert = make_expert(db, expert_type="partner_peer", country="AR", user=expert_user)
    action = make_action(db, officer, beneficiary=make_institution(db, "PE"))
    activity = make_staffed_activity(db, action, officer, start=START, title="Taller de derivación de víctimas")
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=clock.now)
    for event, actor in ((DeploymentEvent.INVITE, officer), (DeploymentEvent.ACCEPT, expert_user),
                         (DeploymentEvent.CONFIRM, officer)):
        apply_deployment_event(db, deployment, event, actor=actor, now=clock.now)
    db.commit()
    return officer, expert_user


def _sent_to(db, user) -> list[EmailMessage]:
    db.expire_all()
    return list(db.scalars(select(EmailMessage).join(Reminder, EmailMessage.reminder_id == Reminder.id)
                           .where(Reminder.recipient_id == user.id, Reminder.rule == "activity_coming")))


def test_each_recipient_gets_the_reminder_in_their_own_language(db, clock, people, monkeypatch):
    officer, expert_user = people
    composed_in: dict[int, str] = {}
    real_content_for = dispatch_module.content_for

    def spying_content_for(session, reminder, **kwargs):
        composed_in[reminder.recipient_id] = str(get_locale())
        return real_content_for(session, reminder, **kwargs)

    monkeypatch.setattr(dispatch_module, "content_for", spying_content_for)
    clock.set(THIRTY_DAYS_BEFORE)

    report = dispatch_due_reminders(db, now=clock.now, mailer=OutboxMailer(), base_url=BASE_URL)

    assert report.sent >= 2 and report.errors == []
    assert composed_in[expert_user.id] == "es"
    assert composed_in[officer.id] == "en"  # no preference: English

    [to_expert] = _sent_to(db, expert_user)
    [to_officer] = _sent_to(db, officer)
    # The activity's dates, one period formatted by CLDR in the recipient's language ("1–3 mar 2027").
    assert _period("es") in to_expert.body_text and _period("en") not in to_expert.body_text
    assert _period("en") in to_officer.body_text
    assert '<html lang="es">' in to_expert.body_html and '<html lang="en">' in to_officer.body_html
    assert "Taller de derivación de víctimas" in to_expert.subject
    # The bell shows the same words as the e-mail.
    notification = db.scalar(select(Notification).where(Notification.reminder_id == to_expert.reminder_id))
    assert notification.title == to_expert.subject


def test_an_unsupported_or_missing_preference_falls_back_to_english(db, clock, people):
    officer, expert_user = people
    expert_user.locale = None
    db.commit()
    clock.set(THIRTY_DAYS_BEFORE)

    dispatch_due_reminders(db, now=clock.now, mailer=OutboxMailer(), base_url=BASE_URL)

    [to_expert] = _sent_to(db, expert_user)
    assert _period("en") in to_expert.body_text and '<html lang="en">' in to_expert.body_html


def _period(locale: str) -> str:
    """The activity of these tests (1 to 3 March 2027) as one period in `locale` (the programme's English is British)."""
    return format_interval(date(2027, 3, 1), date(2027, 3, 3), "yMMMd", locale="en_GB" if locale == "en" else locale)
