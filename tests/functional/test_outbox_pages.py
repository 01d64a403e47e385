"""The outbox that explains itself: reminders and notification e-mails naming their subject (with a link), their
recipient, kind and state; its filters and pages; retrying a failed e-mail; the reminders to come on the
activity's and the Action's pages; and nothing of it for anyone but staff."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from workflow.accounts.models import Role
from workflow.audit.models import AuditEntry
from workflow.deployments.services import propose
from workflow.notifications.models import EmailState, Notification, NotificationEmail
from workflow.reminders.models import Reminder, ReminderState

from ..factories import make_action, make_expert, make_request, make_staffed_activity, make_user

NOW = datetime(2027, 1, 10, 9, tzinfo=UTC)


@dataclass
class World:
    officer: object
    expert_user: object
    requester: object
    action: object
    activity: object
    other_activity: object
    deployment: object
    request: object
    rows: dict


def _reminder(db, name, rule, subject_type, subject_id, recipient, days, state=ReminderState.PENDING, **extra):
    row = Reminder(key=f"test:{name}", rule=rule, subject_type=subject_type, subject_id=subject_id,
                   recipient_id=recipient.id, due_at=NOW + timedelta(days=days), state=state, attempts=0,
                   created_at=NOW, updated_at=NOW, **extra)
    db.add(row)
    return row


def _email(db, name, user, kind, subject_type, subject_id, title, state, **extra):
    row = NotificationEmail(key=f"now:{name}", user_id=user.id, due_at=NOW - timedelta(hours=1), state=state,
                            attempts=0, created_at=NOW, **extra)
    row.notifications = [Notification(user_id=user.id, kind=kind, subject_type=subject_type, subject_id=subject_id,
                                      title=title, body="…", link=f"/{subject_type}s/{subject_id}", created_at=NOW)]
    db.add(row)
    return row


@pytest.fixture()
def world(app, db, clock, officer, requester_pe) -> World:
    expert_user = make_user(db, Role.EXPERT, email="lucia.herrera@example.org")
    expert_user.name = "Lucía Herrera"
    expert = make_expert(db, name="Lucía Herrera", expert_type="partner_peer", country="AR", user=expert_user)
    action = make_action(db, officer, name="Peru outbox", beneficiary=requester_pe.institution)
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Workshop on victim assistance")
    other = make_staffed_activity(db, make_action(db, officer, name="Bolivia outbox"), officer,
                                  start=date(2027, 4, 5), title="Seminar elsewhere")
    with app.app_context():
        deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
        db.commit()
    request = make_request(db, requester_pe, title="Border management support")
    db.execute(delete(Reminder))  # only the rows below: each test knows what the outbox holds
    rows = {
        "action": _reminder(db, "action", "action_ending", "action", action.id, officer, 5),
        "activity": _reminder(db, "activity", "activity_coming", "activity", activity.id, expert_user, 1),
        "deployment": _reminder(db, "deployment", "invite_nudge", "deployment", deployment.id, expert_user, 2),
        "other": _reminder(db, "other", "activity_coming", "activity", other.id, officer, 3),
        "failed": _reminder(db, "failed", "request_review", "request", request.id, officer, -2, ReminderState.FAILED,
                            last_error="SMTPDataError: (554, b'Mailbox full')"),
        "email": _email(db, "invited", expert_user, "expert_invited", "deployment", deployment.id,
                        "You are invited to “Workshop on victim assistance”", EmailState.FAILED,
                        last_error="550 5.1.1 No such user here"),
        "sent": _email(db, "sent", expert_user, "expert_invited", "deployment", deployment.id, "Sent before",
                       EmailState.SENT, sent_at=NOW - timedelta(hours=1), subject="You were invited",
                       transport="smtp", to_address=expert_user.email),
    }
    for row in rows.values():
        row.attempts = 8 if row.state.value == "failed" else 0
    db.commit()
    return World(officer, expert_user, requester_pe, action, activity, other, deployment, request, rows)


def page(client, **args) -> str:
    response = client.get("/outbox", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def listed(html: str) -> str:
    """The table's body only (the filter form lists every kind's name too)."""
    found = re.search(r"<tbody>(.*)</tbody>", html, re.S)
    return found.group(1) if found else ""


def test_each_row_names_its_subject_its_recipient_and_kind_and_links_to_the_subject(world, login_as, client):
    login_as(world.officer)
    rows = listed(page(client, state="all"))
    w = world
    assert f'href="/actions/{w.action.id}">Peru outbox</a>' in rows
    assert f'href="/activities/{w.activity.id}">Workshop on victim assistance</a>' in rows
    assert f'href="/deployments/{w.deployment.id}">Lucía Herrera</a>' in rows  # a deployment: its expert …
    assert "Workshop on victim assistance (Peru outbox)" in rows  # … and its activity, with its Action
    assert f'href="/requests/{w.request.id}">Border management support</a>' in rows
    for words in ("Action ending", "Activity coming", "Invite nudge", "Request review",
                  "You are invited to an activity", "lucia.herrera@example.org", w.officer.name):
        assert words in rows
    assert "SMTPDataError: (554, b&#39;Mailbox full&#39;)" in rows and "550 5.1.1 No such user here" in rows
    assert "You were invited (smtp)" in rows


@pytest.mark.parametrize(("args", "shown", "hidden"), [
    ({"kind": "rule:invite_nudge"}, ["Invite nudge"], ["Activity coming", "Action ending", "Request review"]),
    ({"kind": "kind:expert_invited", "state": "all"}, ["550 5.1.1", "You were invited"], ["Invite nudge", "Request review"]),
    ({"state": "failed"}, ["Mailbox full", "550 5.1.1"], ["Invite nudge", "Activity coming", "You were invited"]),
    ({"state": "sent"}, ["You were invited"], ["Mailbox full", "Invite nudge"]),
    ({"subject_type": "activity"}, ["Workshop on victim assistance", "Seminar elsewhere"], ["Invite nudge", "Action ending"]),
    ({"subject_type": "action", "subject": "peru OUT"}, ["Action ending"], ["Activity coming", "Invite nudge"]),
    ({"subject": "Seminar"}, ["Seminar elsewhere"], ["Workshop on victim assistance", "Action ending"]),
    ({"subject_type": "deployment", "state": "all"}, ["Invite nudge", "550 5.1.1"], ["Activity coming", "Mailbox full"]),
    ({"recipient": "herrera", "state": "all"}, ["Invite nudge", "550 5.1.1", "Workshop on victim assistance"],
     ["Action ending", "Mailbox full", "Seminar elsewhere"]),
    ({"recipient": "LUCIA.herrera@example"}, ["Invite nudge"], ["Action ending"]),
])
def test_each_filter_keeps_only_its_rows(world, login_as, client, args, shown, hidden):
    login_as(world.officer)
    rows = listed(page(client, **args))
    for words in shown:
        assert words in rows, words
    for words in hidden:
        assert words not in rows, words


def test_the_subject_filter_takes_an_id(world, login_as, client):
    login_as(world.officer)
    rows = listed(page(client, subject_type="activity", subject=str(world.activity.id)))
    assert "Workshop on victim assistance" in rows and "Seminar elsewhere" not in rows


def test_an_unreadable_filter_is_said_and_ignored(world, login_as, client):
    login_as(world.officer)
    html = page(client, kind="rule:no_such_rule")
    assert 'aria-invalid="true"' in html and "Invite nudge" in listed(html)


def test_waiting_rows_come_soonest_first_page_by_page(world, login_as, client):
    login_as(world.officer)
    first, second = listed(page(client, per_page=2)), listed(page(client, per_page=2, page=2))
    assert first.index("Workshop on victim assistance") < first.index("Invite nudge")  # due in 1 day, then 2
    assert "Seminar elsewhere" not in first and "Action ending" not in first
    assert second.index("Seminar elsewhere") < second.index("Action ending")  # due in 3 days, then 5
    assert "Invite nudge" not in second


def test_an_empty_outbox_says_so(world, login_as, client):
    login_as(world.officer)
    html = page(client, recipient="nobody at all")
    assert "No message matches these filters." in html and not listed(html)


def test_the_page_loads_subjects_in_bulk(world, login_as, client, count_queries, db, officer):
    login_as(world.officer)
    page(client, state="all")  # warm-up: the session, the user
    with count_queries() as few:
        page(client, state="all")
    for n in range(6):
        _reminder(db, f"more-{n}", "activity_coming", "activity", world.other_activity.id, officer, 10 + n)
        _reminder(db, f"more-action-{n}", "action_ending", "action", world.action.id, officer, 20 + n)
    db.commit()
    page(client, state="all")  # the new rows changed the reminders' data version: the menu's to-do count is read again
    with count_queries() as many:
        page(client, state="all")
    assert many.count == few.count


def retry_form(client, world):
    html = page(client, state="failed")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    return {"csrf_token": token.group(1)}


@pytest.mark.parametrize("which", ["failed", "email"])
def test_staff_retry_a_failed_email(world, login_as, client, db, which):
    login_as(world.officer)
    row = world.rows[which]
    url = f"/outbox/reminders/{row.id}/retry" if which == "failed" else f"/outbox/emails/{row.id}/retry"
    assert f'action="{url}"' in page(client, state="failed")
    response = client.post(url, data=retry_form(client, world), follow_redirects=True)
    assert "The e-mail will be sent again at the next pass of the scheduler." in response.get_data(as_text=True)
    db.expire_all()
    again = db.get(type(row), row.id)
    assert (again.state.value, again.attempts, again.next_attempt_at) == ("pending", 0, None)
    entry = db.scalar(select(AuditEntry).where(AuditEntry.event == "outbox_retried"))
    assert entry is not None and entry.detail["by"] == world.officer.id


@pytest.mark.parametrize("which", ["activity", "sent"])
def test_only_a_failed_email_can_be_retried(world, login_as, client, db, which):
    login_as(world.officer)
    row = world.rows[which]
    url = f"/outbox/reminders/{row.id}/retry" if which == "activity" else f"/outbox/emails/{row.id}/retry"
    response = client.post(url, data=retry_form(client, world), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Only a failed e-mail can be retried; this one is" in html
    db.expire_all()
    assert db.get(type(row), row.id).state is row.state


def test_retrying_needs_staff_and_the_csrf_token(world, login_as, client, post, db):
    failed, email = world.rows["failed"], world.rows["email"]
    for outsider in (world.requester, world.expert_user):
        login_as(outsider)
        assert post(f"/outbox/reminders/{failed.id}/retry").status_code == 403
        assert post(f"/outbox/emails/{email.id}/retry").status_code == 403
    login_as(world.officer)
    assert client.post(f"/outbox/reminders/{failed.id}/retry", data={}).status_code == 400
    assert client.post("/outbox/emails/999999/retry", data=retry_form(client, world)).status_code == 404
    db.expire_all()
    assert db.get(Reminder, failed.id).state is ReminderState.FAILED
    assert db.get(NotificationEmail, email.id).state is EmailState.FAILED


def test_the_activity_page_shows_its_reminders_to_come(world, login_as, client):
    login_as(world.officer)
    html = client.get(f"/activities/{world.activity.id}").get_data(as_text=True)
    panel = html.split('id="upcoming-reminders"')[1].split("</section>")[0]
    assert "Activity coming" in panel and "Invite nudge" in panel and "Lucía Herrera" in panel
    assert "Action ending" not in panel and "Mailbox full" not in panel
    quiet = client.get(f"/activities/{world.other_activity.id}").get_data(as_text=True)
    assert "Activity coming" in quiet.split('id="upcoming-reminders"')[1]


def test_the_action_page_shows_its_own_its_activities_and_its_deployments_reminders(world, login_as, client):
    login_as(world.officer)
    html = client.get(f"/actions/{world.action.id}").get_data(as_text=True)
    panel = html.split('id="upcoming-reminders"')[1].split("</section>")[0]
    for words in ("Action ending", "Activity coming", "Invite nudge", "Workshop on victim assistance"):
        assert words in panel
    assert "Seminar elsewhere" not in panel


def test_a_panel_without_reminders_says_so(world, login_as, client, db):
    db.execute(delete(Reminder))
    db.commit()
    login_as(world.officer)
    assert "No reminder is waiting to be sent." in client.get(f"/actions/{world.action.id}").get_data(as_text=True)


def test_non_staff_see_nothing_of_the_outbox(world, login_as, client):
    login_as(world.requester)
    assert client.get("/outbox").status_code == 403
    action_page = client.get(f"/actions/{world.action.id}")
    assert action_page.status_code == 200
    assert "upcoming-reminders" not in action_page.get_data(as_text=True)
    login_as(world.expert_user)
    assert client.get("/outbox?state=all").status_code == 403
    activity_page = client.get(f"/activities/{world.activity.id}")
    assert "upcoming-reminders" not in activity_page.get_data(as_text=True)
