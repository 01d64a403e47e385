"""The requester withdraws a request on its page: a button with a confirmation and a reason field, offered to
the requesting institution only, while the request waits for the programme; its officer hears of it."""

from __future__ import annotations

from sqlalchemy import select

from workflow.notifications.models import Notification
from workflow.requests.lifecycle import RequestStatus
from workflow.requests.models import Request

from ..factories import make_request


def made(app, *args):
    """A request walked to its status inside an app context, as the steps' news need one (their language)."""
    with app.app_context():
        return make_request(*args).id


def test_the_requester_withdraws_with_a_reason_after_confirming(app, db, client, login_as, post, officer,
                                                                requester_pe):
    request = db.get(Request, made(app, db, requester_pe, RequestStatus.UNDER_REVIEW, officer))
    page = login_as(requester_pe).get(f"/requests/{request.id}").get_data(as_text=True)
    assert f"/requests/{request.id}/events/withdraw" in page and "Withdraw the request" in page
    # Withdrawing asks first, in a dialog whose field says what the reason is for (static/js/steps.js).
    assert 'data-step-open="step-withdraw"' in page and 'id="reason-withdraw"' in page
    assert "Why do you withdraw the request?" in page and "cannot be undone" in page

    refused = post(f"/requests/{request.id}/events/withdraw", {"reason": ""}, follow_redirects=True)
    assert "That step is not available." in refused.get_data(as_text=True) or "needs a reason" in \
        refused.get_data(as_text=True)
    db.expire_all()
    assert db.get(Request, request.id).status is RequestStatus.UNDER_REVIEW

    done = post(f"/requests/{request.id}/events/withdraw", {"reason": "Another donor took it on."},
                follow_redirects=True).get_data(as_text=True)
    assert "Withdrawn" in done and "Another donor took it on." in done
    assert f"/requests/{request.id}/events/withdraw" not in done  # nothing more to withdraw
    db.expire_all()
    assert db.get(Request, request.id).status is RequestStatus.WITHDRAWN
    [news] = db.scalars(select(Notification).where(Notification.kind == "request_withdrawn")).all()
    assert news.user_id == officer.id and news.link == f"/requests/{request.id}"


def test_staff_and_other_institutions_are_not_offered_the_button_nor_allowed(app, db, client, login_as, post,
                                                                             officer, requester_pe, requester_bo):
    request = db.get(Request, made(app, db, requester_pe, RequestStatus.SUBMITTED))
    page = login_as(officer).get(f"/requests/{request.id}").get_data(as_text=True)
    assert "/events/withdraw" not in page
    post(f"/requests/{request.id}/events/withdraw", {"reason": "Not mine to withdraw."})
    login_as(requester_bo)
    assert post(f"/requests/{request.id}/events/withdraw", {"reason": "Not ours."}).status_code == 404
    db.expire_all()
    assert db.get(Request, request.id).status is RequestStatus.SUBMITTED
    draft = make_request(db, requester_pe)
    assert "/events/withdraw" not in login_as(requester_pe).get(f"/requests/{draft.id}").get_data(as_text=True)
