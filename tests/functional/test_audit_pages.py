"""The audit trail's pages: a record's history for programme staff, the whole log for admins."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action
from workflow.audit.models import AuditEntry
from workflow.audit.services import security_event
from workflow.deployments.services import propose
from workflow.extensions import db as database

from ..factories import T0, make_action, make_expert, make_request, make_staffed_activity, make_user
from .conftest import csrf_token


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def words(html_text: str) -> str:
    """What a reader reads: the text without its tags, its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html_text).split()).replace(" :", ":")


def found(response) -> str:
    """What the log page found: the page after its search form (whose options name every event)."""
    return text(response).split('role="search"', 1)[1].split("</form>", 1)[1]


@pytest.fixture()
def admin(db):
    user = make_user(db, Role.ADMIN)
    user.name = "Ada Admin"
    db.commit()
    return user


@pytest.fixture()
def others(db, requester_pe):
    """Everyone who must never see the trail: a requester, an expert, a member-state focal point."""
    expert_user = make_user(db, Role.EXPERT)
    expert = make_expert(db, user=expert_user, country="ES")
    return {"requester": requester_pe, "expert": expert_user, "focal point": make_user(db, Role.MS_FOCAL_POINT, country="ES"),
            "expert_id": expert.id}


def _edit(action, **changes) -> dict[str, str]:
    data = {"name": action.name, "title": action.title, "thematic_area_id": str(action.thematic_area_id),
            "objective": action.objective, "summary": action.summary,
            "planned_start": action.planned_start.isoformat(),
            "planned_end": action.planned_end.isoformat() if action.planned_end else "", "version": str(action.version)}
    return {**data, **changes}


def test_an_actions_page_shows_its_transitions_and_edits_with_old_and_new_values(app, db, client, login_as, post,
                                                                                officer, peru, clock):
    officer.name, officer.timezone = "Ana Officer", "America/Lima"
    db.commit()
    with app.app_context():  # stamped by the app's clock, like the page's changes
        action = make_action(db, officer, beneficiary=peru)
    clock.set(datetime(2026, 11, 23, 15, 30, tzinfo=UTC))
    login_as(officer)
    assert post(f"/actions/{action.id}/events/start_assessment", {"version": str(action.version)}).status_code == 302
    db.expire_all()
    action = db.get(Action, action.id)
    assert post(f"/actions/{action.id}/edit", _edit(action, title="Victim assistance in Peru",
                                                    planned_end="2028-06-30")).status_code == 302

    page = text(client.get(f"/actions/{action.id}"))
    history = page[page.index('id="history"'):]
    said = words(history)
    # One history, oldest first, in words: the opening, the transition, then the edit.
    assert said.index("Ana Officer opened the Action: Accepted") < said.index(
        "Ana Officer changed the status: Accepted → Assessment") < said.index("Ana Officer changed: Title:")
    assert "<del>Trafficking in human beings</del> → <ins>Victim assistance in Peru</ins>" in history
    assert "Planned end:" in said and "<ins>30 Jun 2028</ins>" in history
    assert "10:30" in history  # 15:30 UTC, in the reader's time zone (Lima)
    assert "Change history" not in page
    assert words(page).count("Accepted → Assessment") == 1  # told once

    entries = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "action",
                                                  AuditEntry.object_id == action.id).order_by(AuditEntry.id)).all()
    assert [e.event for e in entries] == ["created", "transition", "updated"]
    assert all(e.actor_id == officer.id for e in entries[1:])


def test_the_history_is_shown_on_the_request_activity_expert_and_deployment_pages(db, client, login_as, officer,
                                                                                   requester_pe, peru):
    request = make_request(db, requester_pe)
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    activity = make_staffed_activity(db, action, officer)
    expert = make_expert(db)
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=T0)
    db.commit()
    login_as(officer)
    for url, created in ((f"/requests/{request.id}", "drafted the request"),
                         (f"/activities/{activity.id}", "planned the activity"), (f"/actions/{action.id}", "opened the Action")):
        page = text(client.get(url))
        history = page[page.index('id="history"'):]
        assert created in words(history) and "What was entered" in history, url
        assert "Change history" not in page, url  # the lifecycle and the changes are one history
    page = text(client.get(f"/deployments/{deployment.id}"))
    history = page[page.index('id="history"'):]
    assert "Change history" not in page and "What was entered" in history  # one history, in words
    assert f"{officer.name} created it: Proposed" in words(history) and "Proposed by" in history
    page = text(client.get(f"/experts/{expert.id}"))  # an expert has no lifecycle of steps: its changes alone
    assert "Change history" in page and "Created" in page[page.index("Change history"):]


def test_requesters_experts_and_focal_points_never_see_history_sections(db, client, login_as, officer, peru, others):
    action = make_action(db, officer, beneficiary=peru, status=ActionStatus.ASSESSMENT)
    login_as(officer)
    assert "What was entered" in text(client.get(f"/actions/{action.id}"))
    login_as(others["requester"])
    page = text(client.get(f"/actions/{action.id}"))
    assert "Change history" not in page
    # The requester reads the lifecycle (who moved it, from → to), never the audit trail's field values.
    history = words(page[page.index('id="history"'):])
    assert "changed the status: Accepted → Assessment" in history and "What was entered" not in history
    for role in ("expert", "focal point"):  # both may read the expert's profile, never its history
        login_as(others[role])
        page = client.get(f"/experts/{others['expert_id']}")
        assert page.status_code == 200 and "Change history" not in text(page), role
    for role in ("requester", "expert", "focal point"):
        login_as(others[role])
        assert client.get("/audit/").status_code == 403
        assert client.get(f"/audit/action/{action.id}").status_code == 403


def test_officers_see_a_records_full_history_but_not_the_log(db, client, login_as, officer, peru):
    action = make_action(db, officer, beneficiary=peru)
    login_as(officer)
    assert client.get("/audit/").status_code == 403
    page = client.get(f"/audit/action/{action.id}")
    assert page.status_code == 200 and "Created" in text(page)
    assert client.get(f"/audit/user/{officer.id}").status_code == 404  # accounts are the admins' business
    assert client.get("/audit/nothing/1").status_code == 404
    assert client.get("/audit/action/999999").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, officer):
    assert client.get("/audit/").status_code in (302, 401)
    assert client.get(f"/audit/user/{officer.id}").status_code in (302, 401)


def test_admins_search_the_log_for_security_events_and_changes(db, client, login_as, admin, officer, peru, clock):
    action = make_action(db, officer, beneficiary=peru)
    security_event(db, "login_failed", now=clock.now, email="someone@example.org", ip="198.51.100.7",
                   detail={"reason": "unknown_account"})
    security_event(db, "login", now=clock.now, user=officer, ip="203.0.113.5")
    db.commit()
    login_as(admin)

    page = found(client.get("/audit/?kind=security"))
    assert "Failed sign-in" in page and "someone@example.org" in page and "198.51.100.7" in page
    assert "Signed in" in page and officer.name in page
    assert "Trafficking in human beings" not in page  # no changes among the security events

    page = found(client.get(f"/audit/?kind=change&object_type=action&object_id={action.id}"))
    assert "Created" in page and action.name in page and "Failed sign-in" not in page

    page = found(client.get(f"/audit/?actor={officer.id}&event=login"))
    assert "Signed in" in page and "Failed sign-in" not in page
    page = found(client.get("/audit/?actor=system&kind=security"))
    assert "Failed sign-in" in page and "Signed in" not in page

    # Dates are days in the reader's time zone; a range that excludes today finds nothing of today.
    assert "Nothing in the log matches" in found(client.get("/audit/?date_from=2020-01-01&date_to=2020-01-31"))
    assert "Failed sign-in" in found(client.get("/audit/?kind=security&date_from=2026-11-23&date_to=2026-11-23"))


def test_the_log_is_paginated_and_sorted_by_time(db, client, login_as, admin, clock):
    for minute in range(25):
        security_event(db, "login_failed", now=clock.now.replace(minute=minute), email=f"n{minute}@example.org")
    db.commit()
    login_as(admin)
    newest = found(client.get("/audit/?kind=security&per_page=10"))
    assert "n24@example.org" in newest and "n14@example.org" not in newest and "Page 1 of 3" in newest
    oldest = found(client.get("/audit/?kind=security&per_page=10&dir=asc"))
    assert "n0@example.org" in oldest and "n24@example.org" not in oldest
    assert oldest.index("n0@example.org") < oldest.index("n1@example.org")
    assert "n4@example.org" in found(client.get("/audit/?kind=security&per_page=10&page=3"))


def test_unreadable_filters_are_shown_not_a_500(db, client, login_as, admin):
    login_as(admin)
    response = client.get("/audit/?object_id=abc&date_from=yesterday&kind=everything&actor=999999999")
    assert response.status_code == 200
    page = text(response)
    assert "Not a valid integer value." in page and "Not a valid date value." in page and "Not a valid choice." in page


def test_the_admin_nav_links_to_the_log(client, login_as, admin, officer):
    login_as(admin)
    assert 'href="/audit/"' in text(client.get("/home"))
    login_as(officer)
    assert 'href="/audit/"' not in text(client.get("/home"))


def test_a_failed_request_leaves_no_audit_row(db, client, login_as, officer, peru, monkeypatch):
    action = make_action(db, officer, beneficiary=peru)
    before = db.scalar(select(func.count()).select_from(AuditEntry))
    login_as(officer)
    token = csrf_token(client, "/home")  # read before the failure is armed

    def failing_commit() -> None:
        raise RuntimeError("the database went away at commit")

    monkeypatch.setattr(database.session, "commit", failing_commit)
    with pytest.raises(RuntimeError):
        client.post(f"/actions/{action.id}/events/start_assessment",
                    data={"csrf_token": token, "version": str(action.version)})
    monkeypatch.undo()
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == before
    assert db.get(Action, action.id).status is ActionStatus.ACCEPTED
