"""The pages and the API agree: a list page, its CSV export and its API operation given the same query
parameters show the same rows, in the same order; and an answer carries the permissions its page asks."""

from __future__ import annotations

import csv
import io
import re

import pytest

from workflow.actions.lifecycle import ActionStatus
from workflow.requests.lifecycle import RequestStatus

from ..factories import make_action, make_request

QUERIES = ["", "country=PE", "status=assessment", "q=peru", "sort=name&dir=asc", "country=PE&sort=start&dir=asc",
           "theme=irregular_migration_thb&status=accepted"]


@pytest.fixture()
def actions(db, officer, peru):
    make_action(db, officer, country="PE", beneficiary=peru)
    make_action(db, officer, country="PE", status=ActionStatus.ASSESSMENT, beneficiary=peru)
    make_action(db, officer, country="MX", status=ActionStatus.ASSESSMENT)
    make_action(db, officer, country="BO", status=ActionStatus.CLOSED)


def page_ids(client, query: str) -> list[int]:
    html = client.get(f"/actions/?per_page=100&{query}").get_data(as_text=True)
    return [int(found) for found in re.findall(r'href="/actions/(\d+)" class="fw-semibold"', html)]


def export_ids(client, query: str) -> list[int]:
    rows = list(csv.reader(io.StringIO(client.get(f"/exports/actions.csv?{query}").get_data(as_text=True))))
    return [int(row[0]) for row in rows[1:]]


@pytest.mark.parametrize("query", QUERIES)
def test_the_action_page_its_export_and_the_api_list_the_same_actions(actions, api, login_as, officer, query):
    browser = login_as(officer)
    on_page, exported = page_ids(browser, query), export_ids(browser, query)
    body = api(officer).get(f"/api/v1/actions?per_page=100&{query}").get_json()
    assert on_page and on_page == exported == [item["id"] for item in body["items"]]
    assert body["total"] == len(on_page)


def test_the_request_page_and_the_api_list_the_same_requests(db, api, login_as, officer, requester_pe):
    drafted = make_request(db, requester_pe)
    submitted = make_request(db, requester_pe, RequestStatus.SUBMITTED, officer=officer, title="Border data")
    for query, expected in [("status=draft", {drafted.id}), ("status=submitted", {submitted.id}),
                            ("q=border", {submitted.id}), ("", {drafted.id, submitted.id})]:
        html = login_as(requester_pe).get(f"/requests/?{query}").get_data(as_text=True)
        on_page = {int(found) for found in re.findall(r'href="/requests/(\d+)"', html)}
        listed = {item["id"] for item in api(requester_pe).get(f"/api/v1/requests?{query}").get_json()["items"]}
        assert on_page == listed == expected, query


# --- The same permissions objects --------------------------------------------------------------


def test_an_answer_says_what_the_caller_may_do_as_the_page_offers_it(db, api, officer, peru, requester_pe):
    closing = make_action(db, officer, country="PE", status=ActionStatus.CLOSING, beneficiary=peru)
    staff = api(officer).get(f"/api/v1/actions/{closing.id}").get_json()["permissions"]
    assert staff["final_report"] and staff["edit"] and not staff["apply_template"]
    assert set(staff["events"]) == {"close", "suspend", "cancel"}
    seen_by_requester = api(requester_pe).get(f"/api/v1/actions/{closing.id}").get_json()["permissions"]
    assert not any(value for value in seen_by_requester.values())
    draft = make_request(db, requester_pe)
    mine = api(requester_pe).get(f"/api/v1/requests/{draft.id}").get_json()["permissions"]
    assert mine == {"edit": True, "send_to_committee": False, "events": ["submit"]}


def test_the_description_documents_each_permissions_object(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    for name in ("Action", "Activity", "Request", "Deployment"):
        answer = schemas[f"{name}Out"]
        assert answer["properties"]["permissions"]["allOf"] == [{"$ref": f"#/components/schemas/{name}Permissions"}]
        assert "permissions" in answer["required"] and "events" in schemas[f"{name}Permissions"]["required"]
