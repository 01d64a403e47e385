"""The bell, the outbox and the reminder rules page."""

from datetime import UTC, datetime

from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.notifications.models import Notification
from workflow.reminders.models import EmailMessage, Reminder, ReminderRule, ReminderState

from ..factories import make_user

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def notify(db, user, title="Request waiting for review: X", read=False):
    n = Notification(user_id=user.id, title=title, body="Body", link="/requests/", created_at=NOW,
                     read_at=NOW if read else None)
    db.add(n)
    db.commit()
    return n


def test_the_bell_counts_unread_and_marking_read_clears_it(db, login_as, client, post, officer):
    first = notify(db, officer)
    notify(db, officer, title="Second")
    notify(db, make_user(db, Role.OFFICER), title="Someone else's")
    login_as(officer)
    html = client.get("/home").get_data(as_text=True)
    assert '2<span class="visually-hidden"> unread' in html
    listing = client.get("/notifications/").get_data(as_text=True)
    assert "Second" in listing and "Someone else" not in listing
    post(f"/notifications/{first.id}/read", token_page="/notifications/")
    assert '1<span class="visually-hidden"> unread' in client.get("/home").get_data(as_text=True)
    post("/notifications/read-all", token_page="/notifications/")
    assert "unread" not in client.get("/home").get_data(as_text=True).split("</nav>")[0]


def test_nobody_marks_someone_elses_notification(db, login_as, post, officer):
    other = notify(db, make_user(db, Role.OFFICER))
    login_as(officer)
    assert post(f"/notifications/{other.id}/read", token_page="/notifications/").status_code == 404
    db.expire_all()
    assert db.get(Notification, other.id).read_at is None


def test_the_outbox_shows_failures_with_their_error(db, login_as, client, officer):
    db.add(Reminder(key="request-review:request:1:0:user:1", rule="request_review", subject_type="request",
                    subject_id=1, recipient_id=officer.id, due_at=NOW, state=ReminderState.FAILED, attempts=8,
                    last_error="SMTPDataError: (554, b'Refused')", created_at=NOW, updated_at=NOW))
    db.commit()
    login_as(officer)
    html = client.get("/outbox?show=failed").get_data(as_text=True)
    assert "SMTPDataError" in html and "Refused" in html


def test_a_sent_message_can_be_read_in_the_outbox(db, login_as, client, officer):
    reminder = Reminder(key="weekly-digest:user:1:2026-W48", rule="weekly_digest", subject_type="digest",
                        subject_id=officer.id, recipient_id=officer.id, due_at=NOW, state=ReminderState.SENT,
                        sent_at=NOW, created_at=NOW, updated_at=NOW)
    db.add(reminder)
    db.flush()
    db.add(EmailMessage(reminder_id=reminder.id, message_id="<reminder-1.abc@127.0.0.1>", to_address=officer.email,
                        subject="Peerflow weekly digest", body_text="Requests waiting: 3", body_html="<p>3</p>",
                        transport="outbox", sent_at=NOW))
    db.commit()
    login_as(officer)
    assert "Peerflow weekly digest" in client.get("/outbox?show=sent").get_data(as_text=True)
    message = db.scalar(select(EmailMessage))
    assert "Requests waiting: 3" in client.get(f"/outbox/messages/{message.id}").get_data(as_text=True)


def test_only_staff_see_the_outbox_and_only_admins_the_rules(db, login_as, client, officer, requester_pe):
    login_as(requester_pe)
    assert client.get("/outbox").status_code == 403
    login_as(officer)
    assert client.get("/admin/reminder-rules").status_code == 403


def test_an_admin_changes_offsets_and_bad_offsets_are_refused(db, login_as, client, post):
    admin = make_user(db, Role.ADMIN)
    login_as(admin)
    form = {"offsets_activity_coming": "45, 7", "enabled_activity_coming": "on"}
    response = post("/admin/reminder-rules", {**form, "offsets_slots_open": "soon"}, token_page="/admin/reminder-rules")
    assert response.status_code == 200 and "Whole numbers of days" in response.get_data(as_text=True)
    assert db.scalar(select(ReminderRule)) is None
    from workflow.reminders.registry import RECIPIENTS, RULES

    full = {f"offsets_{code}": ", ".join(map(str, r.offsets)) for code, r in RULES.items() if r.offsets}
    full.update({f"enabled_{code}": "on" for code in RULES})
    full.update({f"recipients_{code}": list(spec.default) for code, spec in RECIPIENTS.items()})
    response = post("/admin/reminder-rules", {**full, **form}, token_page="/admin/reminder-rules")
    assert response.status_code == 302
    assert db.get(ReminderRule, "activity_coming").offsets == [45, 7]
