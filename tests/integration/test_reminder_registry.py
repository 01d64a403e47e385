"""A reminder rule is one record, end to end: each built-in builder gives the placeholders its record lists,
and a rule added as one record is derived, set, worded and sent like the others."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.governance.models import MemberKind
from workflow.governance.services import add_member, send_to_committee
from workflow.reminders.dispatch import dispatch_due_reminders
from workflow.reminders.messages import Content, content_for
from workflow.reminders.models import Reminder, ReminderState
from workflow.reminders.registry import RULES, register
from workflow.reminders.services import RuleSettings, find_example, save_rule_settings, save_wording
from workflow.reminders.wording import placeholders, reworded, values_for
from workflow.requests.lifecycle import RequestEvent, RequestStatus
from workflow.requests.models import Request
from workflow.requests.services import apply_request_event

from ..factories import (
    make_action,
    make_expert,
    make_institution,
    make_request,
    make_staffed_activity,
    make_user,
)
from ..unit.test_reminder_registry import FRESH

pytest_plugins = ["tests.smtp"]

BASE_URL = "https://peerflow.example.org"


@pytest.fixture()
def app_ctx(app, db, clock):
    """As in the scheduler process: an app context with no request."""
    with app.app_context():
        yield


# --- Every built-in rule ------------------------------------------------------------------------------


@pytest.fixture()
def world(db, clock, app_ctx, requester_pe):
    """Something for every rule to speak of: a booked expert on an activity, a request before the committee."""
    admin, officer, member = make_user(db, Role.ADMIN), make_user(db, Role.OFFICER), make_user(db, Role.STEERING)
    expert_user = make_user(db, Role.EXPERT)
    expert = make_expert(db, expert_type="partner_peer", country="AR", user=expert_user)
    action = make_action(db, officer, beneficiary=make_institution(db, "PE"))
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Taller <de> derivación")
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=clock.now)
    for event, actor in ((DeploymentEvent.INVITE, officer), (DeploymentEvent.ACCEPT, expert_user),
                         (DeploymentEvent.CONFIRM, officer)):
        apply_deployment_event(db, deployment, event, actor=actor, now=clock.now)
    add_member(db, member.id, MemberKind.COMMITTEE_MEMBER, False, actor=admin, now=clock.now)
    db.commit()
    request = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer, title="Referral <desk>")
    send_to_committee(db, request, date(2026, 12, 3), actor=officer, now=clock.now)
    db.commit()
    return admin


@pytest.mark.parametrize("code", [code for code, rule in RULES.items() if rule.placeholders is not None])
def test_each_worded_rule_gives_the_values_of_the_placeholders_its_record_lists(db, clock, world, code):
    example = find_example(db, code, viewer=world, base_url=BASE_URL, now=clock.now)
    assert example is not None

    with force_locale("es"):
        content = content_for(db, example.reminder, base_url=BASE_URL, now=clock.now)
        values = values_for(example.recipient, content)
        own = reworded(content, " ".join(f"{{{{ {n} }}}}" for n in placeholders(code)),
                       "\n".join(f"{n}: {{{{ {n} }}}}" for n in placeholders(code)), values)
    values = {name: values[name] for name in placeholders(code)}

    assert set(RULES[code].placeholders) <= set(content.values)  # each one the admin may use has a value
    text = "\n".join(own.lines)
    assert all(f"{name}: {(str(value).splitlines() or [''])[0]}".strip() in text for name, value in values.items())
    assert own.link == content.link and own.attachments == content.attachments


# --- A rule added later: one record ---------------------------------------------------------------------


def _fresh_message(session, reminder: Reminder, *, base_url: str, now) -> Content:
    request = session.get(Request, reminder.subject_id)
    return Content(f"New request: {request.title}", [f"“{request.title}” waits for a first look."],
                   f"{base_url}/requests/{request.id}", values={"request": request.title})


@pytest.fixture()
def fresh():
    """The unit tests' new rule with its message builder: registered for the test, gone after."""
    rule = register(dataclasses.replace(FRESH, message=_fresh_message))
    try:
        yield rule
    finally:
        RULES.pop(rule.code)


def submitted(db, clock, requester) -> Request:
    request = make_request(db, requester, title="Referral <desk>")
    apply_request_event(db, request, RequestEvent.SUBMIT, actor=requester, now=clock.now)
    db.commit()
    return request


def fresh_reminders(db) -> list[Reminder]:
    db.expire_all()
    return list(db.scalars(select(Reminder).where(Reminder.rule == "request_fresh", Reminder.state ==
                                                  ReminderState.PENDING).order_by(Reminder.recipient_id)))


def test_a_rule_added_as_one_record_is_derived_worded_and_sent(db, clock, app_ctx, fresh, requester_pe, smtp_server):
    admin, officer = make_user(db, Role.ADMIN), make_user(db, Role.OFFICER)
    request = submitted(db, clock, requester_pe)

    [reminder] = [r for r in fresh_reminders(db) if r.recipient_id == officer.id]
    assert (reminder.key, reminder.due_at, reminder.subject_type) == (
        f"request-fresh:request:{request.id}:2:user:{officer.id}", clock.now + timedelta(days=2), "request")
    with force_locale("en"):
        assert content_for(db, reminder, base_url=BASE_URL, now=clock.now).subject == "New request: Referral <desk>"

    save_wording(db, "request_fresh", {"es": ("Nueva: {{ request }}", "Hola {{ recipient }}:\n«{{ request }}» espera."
                                              "\n{{ link }}")}, actor=admin, base_url=BASE_URL, now=clock.now)
    officer.locale = "es"
    db.commit()
    report = dispatch_due_reminders(db, now=clock.now + timedelta(days=2, minutes=1), mailer=smtp_server.mailer(),
                                    base_url=BASE_URL)

    assert report.errors == [] and smtp_server.duplicates() == {}
    [sent] = [m for m in smtp_server.messages if m.to == officer.email and m.subject.startswith("Nueva")]
    assert sent.subject == "Nueva: Referral <desk>"
    assert f"Hola {officer.name}:" in sent.text and "«Referral <desk>» espera." in sent.text
    assert f"{BASE_URL}/requests/{request.id}" in sent.text
    assert db.get(Reminder, reminder.id).state is ReminderState.SENT


def test_the_admin_sets_a_rule_added_as_one_record_like_any_other(db, clock, app_ctx, fresh, requester_pe):
    admin, officer = make_user(db, Role.ADMIN), make_user(db, Role.OFFICER)
    request = submitted(db, clock, requester_pe)

    changed = save_rule_settings(db, {"request_fresh": RuleSettings([5], True, ["officer", "admin"])}, actor=admin,
                                 now=clock.now)
    db.commit()

    assert changed == {"request_fresh"}
    due = {(r.recipient_id, r.due_at) for r in fresh_reminders(db) if r.subject_id == request.id}
    assert {(officer.id, clock.now + timedelta(days=5)), (admin.id, clock.now + timedelta(days=5))} <= due
    assert all(at == clock.now + timedelta(days=5) for _who, at in due)  # the 2-day one has moved

    save_rule_settings(db, {"request_fresh": RuleSettings([5], False, ["officer"])}, actor=admin, now=clock.now)
    db.commit()
    assert [r for r in fresh_reminders(db) if r.subject_id == request.id] == []  # switched off


def test_the_rules_page_offers_a_rule_added_as_one_record(db, fresh, login_as, client):
    login_as(make_user(db, Role.ADMIN))

    html = client.get("/admin/reminder-rules").get_data(as_text=True)

    assert "New request: days after submission" in html and 'name="offsets_request_fresh"' in html
    assert "/admin/reminder-rules/request_fresh/wording" in html
    assert client.get("/admin/reminder-rules/request_fresh/wording").status_code == 200
