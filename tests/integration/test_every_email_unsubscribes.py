"""Every kind of e-mail Peerflow sends, sent through a real SMTP server, carries a List-Unsubscribe line, and its
text and HTML carry the same link: the reader's preferences when they have an account, the expert's own
one-click link (RFC 8058) when they have none. A new place that writes an e-mail fails the last test until it
is added here."""

from __future__ import annotations

import email
import email.policy
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from workflow.accounts.models import Role
from workflow.accounts.resets import ResetRequested, reset_mail
from workflow.calls.delivery import deliver_pending
from workflow.calls.services import send_call
from workflow.governance.models import MemberKind
from workflow.governance.services import add_member, send_to_committee
from workflow.notifications.dispatch import dispatch_notifications
from workflow.notifications.models import Delivery, NotificationPreference
from workflow.reminders.dispatch import dispatch_due_reminders
from workflow.requests.lifecycle import RequestStatus

from ..factories import make_request, make_user
from . import test_calls

pytest_plugins = ["tests.smtp"]

roster, draft_for, SECRET = test_calls.roster, test_calls.draft_for, test_calls.SECRET
BASE_URL = "https://peerflow.example.org"
OPENED = datetime(2026, 11, 23, 9, tzinfo=UTC)  # the consultation opens; its reminders come 3 and 1 days before
FIRST_REMINDER = datetime(2026, 11, 30, 9, tzinfo=UTC)
DIGEST_HOUR = datetime(2026, 11, 24, 8, tzinfo=UTC)
ONE_CLICK = re.compile(rf"^<{re.escape(BASE_URL)}/calls/unsubscribe/[A-Za-z0-9_.\-]+>$")
PREFERENCES = re.compile(rf"^<{re.escape(BASE_URL)}/notifications/preferences(\?kind=[a-z_]+)?>$")


@pytest.fixture()
def app_ctx(app, db, clock, monkeypatch):
    monkeypatch.setitem(app.config, "PEERFLOW_BASE_URL", BASE_URL)
    with app.app_context():
        yield


def kind_of(message) -> str:
    """Which kind of e-mail a message is, by its Message-ID (and a digest by its subject)."""
    local = message.message_id.strip("<").split("@")[0]
    if local.startswith("notification-"):
        return "notification digest" if "update" in message.subject else "notification"
    if local.startswith("call-"):
        headers = email.message_from_bytes(message.raw, policy=email.policy.default)
        return "call by its link" if "/calls/unsubscribe/" in headers["List-Unsubscribe"] else "call with an account"
    return re.sub(r"-\d+$", "", local.split(".")[0])  # "reminder-12" → "reminder", "password-reset"


def test_every_kind_of_email_carries_list_unsubscribe_and_the_same_link_in_its_text(
        db, app_ctx, clock, officer, requester_pe, roster, smtp_server):
    mailer = smtp_server.mailer()
    # Notifications: the committee is consulted; one member reads it at once, the other in the daily digest.
    admin = make_user(db, Role.ADMIN)
    at_once, digest = make_user(db, Role.STEERING), make_user(db, Role.STEERING)
    for user in (at_once, digest):
        add_member(db, user.id, MemberKind.COMMITTEE_MEMBER, False, actor=admin, now=OPENED)
    db.add(NotificationPreference(user_id=digest.id, kind="consultation_opened", delivery=Delivery.DIGEST))
    request = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer)
    send_to_committee(db, request, date(2026, 12, 3), actor=officer, now=OPENED)
    db.commit()
    dispatch_notifications(db, now=OPENED, mailer=mailer, base_url=BASE_URL)
    dispatch_notifications(db, now=DIGEST_HOUR, mailer=mailer, base_url=BASE_URL)
    # Reminders: the members who have not answered, three days before the deadline.
    dispatch_due_reminders(db, now=FIRST_REMINDER, mailer=mailer, base_url=BASE_URL)
    # Calls for experts: to focal points and an expert with an account, and to an expert without one.
    activity, _people, _focal = roster
    send_call(db, activity, draft_for(activity), actor=officer, now=test_calls.NOW, secret=SECRET)
    db.commit()
    deliver_pending(db, now=test_calls.NOW, mailer=mailer, base_url=BASE_URL, secret=SECRET)
    # A password reset.
    expires = test_calls.NOW + timedelta(hours=1)
    mailer.send(reset_mail(ResetRequested(officer, "a-token", expires), f"{BASE_URL}/password/reset/a-token"))
    mailer.close()

    kinds = Counter(kind_of(m) for m in smtp_server.messages)
    assert set(kinds) == {"notification", "notification digest", "reminder", "call with an account",
                          "call by its link", "password-reset"}, kinds
    for message in smtp_server.messages:
        headers = email.message_from_bytes(message.raw, policy=email.policy.default)
        line = headers["List-Unsubscribe"]
        assert line is not None, f"{kind_of(message)} to {message.to} has no List-Unsubscribe"
        line = line.strip()
        by_link = kind_of(message) == "call by its link"
        assert (ONE_CLICK if by_link else PREFERENCES).match(line), (kind_of(message), line)
        assert (headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click") is by_link
        url = line[1:-1]
        assert url in message.text and url in message.html, f"{kind_of(message)}: the text does not give {url}"


# Where the app writes an e-mail (builds an `Outgoing`), by module: each is one of the kinds sent above.
WRITERS = {"workflow/accounts/resets.py", "workflow/calls/delivery.py", "workflow/notifications/dispatch.py",
           "workflow/reminders/dispatch.py"}


def test_the_kinds_above_are_every_place_that_writes_an_email():
    root = Path(__file__).resolve().parents[2]
    found = {str(path.relative_to(root)) for path in (root / "workflow").rglob("*.py")
             if re.search(r"(?<![\w.])(Outgoing|ReminderMail)\(", path.read_text(encoding="utf-8"))
             and path.name != "mailer.py"}
    assert found == WRITERS
