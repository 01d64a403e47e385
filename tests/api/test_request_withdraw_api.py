"""The requester withdraws a request through the API, with a reason; staff may not; the lifecycle's
permissions offer it."""

from __future__ import annotations

from workflow.requests.lifecycle import RequestStatus

from ..factories import make_request
from .conftest import refused


def test_the_requester_withdraws_through_the_api(app, db, api, officer, requester_pe, requester_bo):
    with app.app_context():  # the steps' news are written in their readers' language: they need the app
        request = make_request(db, requester_pe, RequestStatus.CLARIFICATION_REQUESTED, officer)
    mine = api(requester_pe)
    shown = mine.get(f"/api/v1/requests/{request.id}").get_json()
    assert "withdraw" in shown["permissions"]["events"] and shown["officer_id"] == officer.id

    refused(mine.post(f"/api/v1/requests/{request.id}/events", json={"event": "withdraw"}), 409)
    refused(api(officer).post(f"/api/v1/requests/{request.id}/events",
                              json={"event": "withdraw", "reason": "Staff cannot."}), 403)
    refused(api(requester_bo).post(f"/api/v1/requests/{request.id}/events",
                                   json={"event": "withdraw", "reason": "Not ours."}), 404)

    done = mine.post(f"/api/v1/requests/{request.id}/events",
                     json={"event": "withdraw", "reason": "Another donor took it on."})
    assert done.status_code == 200
    body = done.get_json()
    assert body["status"] == "withdrawn" and body["withdraw_reason"] == "Another donor took it on."
    assert body["permissions"]["events"] == []
    assert mine.get("/api/v1/requests?status=withdrawn").get_json()["items"][0]["id"] == request.id
