"""Access is decided on the server: each route × role, and other institutions' ids answer 404."""

import pytest

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.requests.lifecycle import RequestStatus

from ..factories import make_action, make_activity, make_request, make_user


@pytest.fixture()
def world(db, officer, peru, requester_pe, requester_bo):
    request = make_request(db, requester_pe, RequestStatus.SUBMITTED, officer)
    action = make_action(db, officer, country="PE", beneficiary=peru)
    activity = make_activity(db, action, officer)
    return {"request": request.id, "action": action.id, "activity": activity.id}


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in ["/home", "/requests/", f"/requests/{world['request']}", "/actions/", f"/actions/{world['action']}",
                f"/activities/{world['activity']}", "/requests/new"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_a_bolivian_requester_sees_no_peruvian_request_or_action(client, login_as, requester_bo, world):
    login_as(requester_bo)
    assert "Support to the anti-trafficking" not in client.get("/requests/?status=all").get_data(as_text=True)
    assert "Trafficking in human beings" not in client.get("/actions/").get_data(as_text=True)
    for url in [f"/requests/{world['request']}", f"/actions/{world['action']}", f"/activities/{world['activity']}",
                f"/requests/{world['request']}/edit"]:
        assert client.get(url).status_code == 404, url


def test_the_peruvian_requester_sees_their_own(client, login_as, requester_pe, world):
    login_as(requester_pe)
    assert client.get(f"/requests/{world['request']}").status_code == 200
    assert client.get(f"/actions/{world['action']}").status_code == 200
    assert "Peru" in client.get("/actions/").get_data(as_text=True)


def test_a_requester_cannot_post_to_staff_routes(client, login_as, post, requester_pe, world):
    login_as(requester_pe)
    assert post(f"/actions/{world['action']}/events/start_assessment", {"version": 1}).status_code == 403
    assert post(f"/requests/{world['request']}/events/start_review").status_code == 302  # refused with a message
    assert client.get(f"/actions/{world['action']}/activities/new").status_code == 403
    assert client.get(f"/activities/{world['activity']}/edit").status_code == 403


def test_a_requester_cannot_accept_their_own_request(client, login_as, post, db, officer, requester_pe):
    from workflow.requests.models import Request

    request = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer)
    login_as(requester_pe)
    response = post(f"/requests/{request.id}/events/accept", follow_redirects=True)
    assert "You cannot do that" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Request, request.id).status is RequestStatus.UNDER_REVIEW


@pytest.mark.parametrize("role", [Role.EXPERT, Role.MS_FOCAL_POINT])
def test_experts_and_focal_points_see_no_requests(client, login_as, db, world, role):
    login_as(make_user(db, role, country="ES"))
    assert client.get(f"/requests/{world['request']}").status_code == 404
    assert client.get(f"/actions/{world['action']}").status_code == 404


def test_officers_see_everything(client, login_as, officer, world):
    login_as(officer)
    for url in [f"/requests/{world['request']}", f"/actions/{world['action']}", f"/activities/{world['activity']}"]:
        assert client.get(url).status_code == 200, url


def test_a_cancelled_action_shows_no_lifecycle_buttons(client, login_as, db, officer, peru):
    action = make_action(db, officer, status=ActionStatus.CANCELLED, beneficiary=peru)
    login_as(officer)
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert 'id="next-step"' not in html and "/events/" not in html and "Plan an activity" not in html


def test_session_cookie_is_httponly_and_samesite(client, requester_pe):
    from ..factories import PASSWORD
    from .conftest import csrf_token

    token = csrf_token(client)
    response = client.post("/login", data={"csrf_token": token, "email": requester_pe.email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_wrong_password_is_refused_with_a_message(client, requester_pe):
    from .conftest import csrf_token

    response = client.post("/login", data={"csrf_token": csrf_token(client), "email": requester_pe.email,
                                           "password": "not the password"})
    assert response.status_code == 200
    assert "do not match" in response.get_data(as_text=True)


def test_a_post_without_csrf_token_is_refused(client, login_as, officer, world):
    login_as(officer)
    response = client.post(f"/actions/{world['action']}/events/start_assessment", data={"version": 1})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)


def test_sign_in_redirect_never_leaves_the_site(client, requester_pe):
    from ..factories import PASSWORD
    from .conftest import csrf_token

    token = csrf_token(client)
    response = client.post("/login?next=https://evil.example/", data={"csrf_token": token,
                           "email": requester_pe.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/home")
