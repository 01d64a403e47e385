"""The Action pages: refused transitions say why, lists are paginated with bounded queries."""

from datetime import date

import pytest
from sqlalchemy import select

from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action
from workflow.requests.lifecycle import RequestStatus

from ..factories import make_action, make_activity, make_request


def test_the_action_page_says_why_implementation_is_refused(db, login_as, client, post, officer, peru):
    action = make_action(db, officer, status=ActionStatus.ASSESSMENT, beneficiary=peru)
    login_as(officer)
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Implementation can start only after an assessment" in html
    response = post(f"/actions/{action.id}/events/start_implementation", {"version": str(action.version)},
                    follow_redirects=True)
    assert "Implementation can start only after an assessment" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Action, action.id).status is ActionStatus.ASSESSMENT


def test_closing_refused_on_the_page_names_the_open_activity(db, login_as, post, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    make_activity(db, action, officer, title="Study visit to Argentina", start=date(2027, 3, 1))
    login_as(officer)
    response = post(f"/actions/{action.id}/events/start_closing", {"version": str(action.version)},
                    follow_redirects=True)
    assert "still open: “Study visit to Argentina”" in response.get_data(as_text=True)


def test_closing_without_final_report_is_refused_then_allowed(db, login_as, post, officer, peru):
    action = make_action(db, officer, status=ActionStatus.CLOSING, beneficiary=peru)
    login_as(officer)
    response = post(f"/actions/{action.id}/events/close", {"version": str(action.version)}, follow_redirects=True)
    assert "final report" in response.get_data(as_text=True)
    response = post(f"/actions/{action.id}/final-report", {
        "results": "Guidelines adopted", "lessons_learned": "Involve provinces early", "officials_trained_female": "41",
        "officials_trained_male": "38", "officials_trained_other": "0", "institutions_reached": "12",
        "version": str(action.version)})
    assert response.status_code == 302
    db.expire_all()
    action = db.get(Action, action.id)
    post(f"/actions/{action.id}/events/close", {"version": str(action.version)})
    db.expire_all()
    action = db.get(Action, action.id)
    assert action.status is ActionStatus.CLOSED
    assert action.final_report.officials_trained == 79


def test_cancel_without_reason_is_refused(db, login_as, post, officer, peru):
    action = make_action(db, officer, beneficiary=peru)
    login_as(officer)
    response = post(f"/actions/{action.id}/events/cancel", {"version": "1", "reason": ""}, follow_redirects=True)
    assert "Cancelling an Action needs a reason." in response.get_data(as_text=True)


def test_a_stale_transition_is_refused(db, login_as, post, officer, peru):
    action = make_action(db, officer, beneficiary=peru)
    login_as(officer)
    post(f"/actions/{action.id}/events/start_assessment", {"version": str(action.version)})
    response = post(f"/actions/{action.id}/events/suspend", {"version": str(action.version), "reason": "x"},
                    follow_redirects=True)
    assert "changed since you opened" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Action, action.id).status is ActionStatus.ASSESSMENT


def test_accepting_on_the_page_opens_the_action_and_shows_its_timeline(db, login_as, post, client, officer,
                                                                        requester_pe):
    request = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer)
    login_as(officer)
    response = post(f"/requests/{request.id}/events/accept")
    assert response.status_code == 302
    action = db.scalar(select(Action).where(Action.request_id == request.id))
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Request accepted: the Action “Peru” is open and the requester is notified. Next: start its assessment." in html
    assert action.name == "Peru"


def test_action_filters_narrow_the_list(db, login_as, client, officer):
    make_action(db, officer, country="PE", start=date(2013, 4, 1))
    make_action(db, officer, country="MX", start=date(2015, 10, 1))
    login_as(officer)
    def names(query: str) -> set[str]:
        html = client.get(f"/actions/?{query}").get_data(as_text=True)
        return {name for name in ("Peru", "Mexico") if f'fw-semibold">{name}</a>' in html}

    assert names("country=MX") == {"Mexico"}
    assert names("year=2013") == {"Peru"}
    assert names("region=latin_america_caribbean&status=accepted&theme=irregular_migration_thb") == {"Peru", "Mexico"}
    assert names("q=mex") == {"Mexico"}
    assert "No Action matches" in client.get("/actions/?region=africa").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/actions/", "/requests/?status=all", "/home"])
def test_list_pages_run_the_same_number_of_queries_for_5_or_60_rows(db, login_as, client, officer, requester_pe,
                                                                      count_queries, url):
    def fill(n: int, start: int) -> None:
        for i in range(n):
            action = make_action(db, officer, country="CO", name=f"Colombia {start + i}")
            make_activity(db, action, officer, start=date(2026, 12, 1))
            make_request(db, requester_pe, RequestStatus.SUBMITTED, officer, title=f"Request {start + i}")

    login_as(officer)
    # Once before: what every page remembers until the reference data changes (the filters' choices) is then
    # remembered in both counts; each fill changes the rows listed, so both counts read them afresh.
    assert client.get(url).status_code == 200
    fill(5, 0)
    with count_queries() as small:
        assert client.get(url + ("&" if "?" in url else "?") + "per_page=20").status_code == 200
    fill(55, 100)
    with count_queries() as large:
        assert client.get(url + ("&" if "?" in url else "?") + "per_page=20").status_code == 200
    assert large.count == small.count, large.statements
    assert large.count <= 15  # the page budget of issue #8
