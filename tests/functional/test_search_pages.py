"""Every search box finds what people type, whatever the case, the accents or the script (issue #15)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role, User
from workflow.experts.models import Expert

from ..factories import (
    T0,
    make_action,
    make_activity,
    make_expert,
    make_institution,
    make_request,
    make_staffed_activity,
    make_user,
)
from ..search_cases import CODES, LABELS, QUERIES, QUERY_IDS, found, found_codes

pytestmark = pytest.mark.parametrize(("q", "expected"), QUERIES, ids=QUERY_IDS)


def test_the_actions_search_finds_names_as_typed(db, login_as, client, officer, q, expected):
    for label in LABELS.values():
        make_action(db, officer, name=f"Action {label}")
    login_as(officer)
    html = client.get("/actions/", query_string={"q": q}).get_data(as_text=True)
    assert found(html, "Action ") == {expected}


def test_the_activities_search_finds_titles_as_typed(db, login_as, client, officer, q, expected):
    action = make_action(db, officer, name="Host")
    for label in LABELS.values():
        make_activity(db, action, officer, title=f"Workshop {label}")
    login_as(officer)
    html = client.get("/activities/", query_string={"q": q}).get_data(as_text=True)
    assert found(html, "Workshop ") == {expected}


def test_the_activities_search_finds_the_action_as_typed(db, login_as, client, officer, q, expected):
    for key, label in LABELS.items():
        make_activity(db, make_action(db, officer, name=f"Action {label}"), officer, title=f"Visit {CODES[key]}")
    login_as(officer)
    html = client.get("/activities/", query_string={"q": q}).get_data(as_text=True)
    assert found_codes(html, "Visit ", "<") == {expected}


def test_the_experts_search_finds_names_as_typed(db, login_as, client, officer, q, expected):
    for label in LABELS.values():
        make_expert(db, name=f"Expert {label}")
    login_as(officer)
    html = client.get("/experts/", query_string={"q": q}).get_data(as_text=True)
    assert found(html, "Expert ") == {expected}


def test_the_experts_search_finds_institutions_as_typed(db, login_as, client, officer, q, expected):
    for key, label in LABELS.items():
        make_expert(db, name=f"Employee {CODES[key]}", employer=make_institution(db, country="ES", name=f"Institute {label}"))
    login_as(officer)
    html = client.get("/experts/", query_string={"q": q}).get_data(as_text=True)
    assert found_codes(html, "Employee ", "<") == {expected}


def test_the_users_search_finds_names_as_typed(db, login_as, client, q, expected):
    for label in LABELS.values():
        user = make_user(db, Role.OFFICER)
        user.name = f"Person {label}"
        db.commit()
    login_as(make_user(db, Role.ADMIN))
    html = client.get("/admin/users", query_string={"q": q}).get_data(as_text=True)
    assert found(html, "Person ") == {expected}


def test_the_requests_search_finds_titles_as_typed(db, login_as, client, officer, requester_pe, q, expected):
    for label in LABELS.values():
        make_request(db, requester_pe, title=f"Request {label}")
    login_as(officer)
    html = client.get("/requests/", query_string={"status": "all", "q": q}).get_data(as_text=True)
    assert found(html, "Request ") == {expected}
    assert found(login_as(requester_pe).get("/requests/", query_string={"q": q}).get_data(as_text=True),
                 "Request ") == {expected}


def test_the_requests_search_finds_institutions_as_typed(db, login_as, client, officer, q, expected):
    for key, label in LABELS.items():
        requester = make_user(db, Role.REQUESTER, make_institution(db, name=f"Ministry {label}"))
        make_request(db, requester, title=f"Need {CODES[key]}")
    login_as(officer)
    html = client.get("/requests/", query_string={"status": "all", "q": q}).get_data(as_text=True)
    assert found_codes(html, "Need ", "<") == {expected}


def test_the_audit_log_search_finds_records_as_typed(db, login_as, client, q, expected):
    for label in LABELS.values():
        make_expert(db, name=f"Audited {label}")
    login_as(make_user(db, Role.ADMIN))
    html = client.get("/audit/", query_string={"q": q, "object_type": "expert"}).get_data(as_text=True)
    assert found(html, "Audited ") == {expected}


def test_a_renamed_record_is_found_by_its_new_name_only(db, login_as, client, officer, q, expected):
    experts = {key: make_expert(db, name=f"Renamed {CODES[key]}") for key in LABELS}
    for key, label in LABELS.items():
        experts[key].name = f"Expert {label}"
    db.commit()
    keys = dict(db.execute(select(Expert.name, Expert.search_key).where(Expert.id.in_([e.id for e in experts.values()]))).all())
    assert all("renamed" not in key for key in keys.values())
    login_as(officer)
    html = client.get("/experts/", query_string={"q": q}).get_data(as_text=True)
    assert found(html, "Expert ") == {expected}
    assert db.scalar(select(User.search_key).where(User.id == officer.id)) == f"{officer.name.lower()}\n{officer.email}"


def test_the_deployments_search_finds_experts_as_typed(db, login_as, client, officer, q, expected):
    from workflow.deployments.services import propose

    activity = make_staffed_activity(db, make_action(db, officer, name="Host"), officer, places=len(LABELS))
    for label in LABELS.values():
        propose(db, activity.slots[0], make_expert(db, name=f"Deployed {label}"), actor=officer, now=T0)
    db.commit()
    login_as(officer)
    html = client.get("/deployments/", query_string={"q": q}).get_data(as_text=True)
    assert found(html, "Deployed ") == {expected}


def test_the_suggestions_search_finds_experts_as_typed(db, login_as, client, officer, q, expected):
    activity = make_staffed_activity(db, make_action(db, officer, name="Host"), officer)
    for label in LABELS.values():
        make_expert(db, name=f"Suggested {label}")
    login_as(officer)
    html = client.get(f"/slots/{activity.slots[0].id}/suggestions", query_string={"q": q}).get_data(as_text=True)
    assert found(html, "Suggested ") == {expected}
