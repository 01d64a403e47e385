"""Staff move an open consultation's deadline from the request's page: the small form beside the consultation,
its refusals (each said, nothing changed), the success message, and the moves listed with who and why."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from workflow.audit.models import AuditEntry
from workflow.governance.models import Consultation, DeadlineChange
from workflow.notifications.models import Notification

from . import test_governance_pages as pages

AFTER_DEADLINE, send, answer = pages.AFTER_DEADLINE, pages.send, pages.answer
admin, supporter, delegation, reviewed = pages.admin, pages.supporter, pages.delegation, pages.reviewed


def change(login_as, post, officer, request, deadline: str, reason: str = ""):
    login_as(officer)
    return post(f"/requests/{request.id}/consultation/deadline", {"deadline": deadline, "reason": reason},
                follow_redirects=True)


def deadline_form(html: str) -> str:
    found = re.search(r'<details class="mt-3" id="deadline-change">.*?</details>', html, re.S)
    return found.group(0) if found else ""


def test_staff_see_the_form_with_the_current_deadline_and_others_do_not(db, client, login_as, post, officer,
                                                                        requester_pe, supporter, reviewed):
    send(login_as, post, officer, reviewed)
    form = deadline_form(client.get(f"/requests/{reviewed.id}").get_data(as_text=True))
    assert 'value="2026-12-03"' in form and 'name="reason"' in form
    assert f'action="/requests/{reviewed.id}/consultation/deadline"' in form
    for someone in (supporter, requester_pe):
        login_as(someone)
        assert not deadline_form(client.get(f"/requests/{reviewed.id}").get_data(as_text=True))


def test_a_new_deadline_is_saved_said_and_listed_with_who_and_why(db, client, login_as, post, officer, supporter,
                                                                  delegation, reviewed):
    send(login_as, post, officer, reviewed)
    answer(login_as, post, supporter, reviewed, "support")
    page = change(login_as, post, officer, reviewed, "2026-12-10", "The EU delegation asked for a week.")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert ("The committee can now answer until the end of 10 Dec 2026. The members who have not answered yet "
            "are told.") in html
    assert "Consultation open until 10 Dec 2026" in html
    assert f"{officer.name} moved the deadline from 3 Dec 2026 to 10 Dec 2026." in html
    assert "Reason: The EU delegation asked for a week." in html
    assert 'value="2026-12-10"' in deadline_form(html)
    db.expire_all()
    [moved] = db.scalars(select(DeadlineChange)).all()
    assert moved.changed_by_id == officer.id
    audit = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "request", AuditEntry.object_id == reviewed.id,
                                                AuditEntry.event == "updated")).all()
    assert any("deadline" in e.changes and e.actor_id == officer.id for e in audit)
    told = db.scalars(select(Notification.user_id).where(Notification.kind == "consultation_changed")).all()
    assert told == [delegation.id]  # the one who has not answered


@pytest.mark.parametrize(("deadline", "message"), [
    ("", "Give the new deadline as a date"),
    ("not-a-date", "Give the new deadline as a date"),
    ("2026-11-01", "The deadline must be in the future."),
    ("2031-01-01", "The deadline must be within a year."),
    ("2026-12-03", "That is already the deadline."),
])
def test_a_bad_deadline_is_refused_and_changes_nothing(db, login_as, post, officer, supporter, reviewed, deadline,
                                                       message):
    send(login_as, post, officer, reviewed)
    html = change(login_as, post, officer, reviewed, deadline).get_data(as_text=True)
    assert message in html and "alert-danger" in html
    db.expire_all()
    assert db.scalar(select(Consultation.deadline)).isoformat().startswith("2026-12-04")
    assert db.scalar(select(DeadlineChange.id)) is None
    assert db.scalar(select(Notification.id).where(Notification.kind == "consultation_changed")) is None


def test_a_reason_too_long_is_refused(db, login_as, post, officer, supporter, reviewed):
    send(login_as, post, officer, reviewed)
    html = change(login_as, post, officer, reviewed, "2026-12-10", "x" * 2_001).get_data(as_text=True)
    assert "at most 2,000 characters" in html
    assert db.scalar(select(DeadlineChange.id)) is None


def test_once_the_deadline_has_passed_the_form_goes_and_a_move_is_refused(db, client, clock, login_as, post,
                                                                          officer, supporter, reviewed):
    send(login_as, post, officer, reviewed)
    clock.set(AFTER_DEADLINE)
    login_as(officer)
    assert not deadline_form(client.get(f"/requests/{reviewed.id}").get_data(as_text=True))
    html = change(login_as, post, officer, reviewed, "2026-12-20").get_data(as_text=True)
    assert "The deadline has passed: the committee's answers are complete" in html.replace("&#39;", "'")
    assert db.scalar(select(DeadlineChange.id)) is None
