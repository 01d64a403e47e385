"""/api/v1/iati/activities: the IATI publication as JSON, the same records as /iati/activities.xml."""

from __future__ import annotations

from lxml import etree

from ..iati_world import build_world
from .conftest import refused


def test_the_api_pages_the_published_actions_as_the_file_says_them(app, client, api, db, officer, peru, requester_bo):
    world = build_world(db, officer, peru)
    as_requester = api(requester_bo)  # public data: any signed-in role reads it
    first = as_requester.get("/api/v1/iati/activities?per_page=1").get_json()
    assert first["total"] == 2 and first["page"] == 1 and len(first["items"]) == 1
    second = as_requester.get("/api/v1/iati/activities?per_page=1&page=2").get_json()
    identifiers = [first["items"][0]["identifier"], second["items"][0]["identifier"]]
    document = etree.fromstring(client.get("/iati/activities.xml").get_data())
    assert identifiers == document.xpath("iati-activity/iati-identifier/text()")

    one = as_requester.get(f"/api/v1/iati/activities/{world.closed.id}").get_json()
    assert one["identifier"] == identifiers[0] and one["status"] == "4"
    assert {s["code"]: s["percentage"] for s in one["sectors"]} == {"15190": 34, "15170": 33, "24050": 33}
    indicator = one["results"][0]["indicators"][0]
    assert (indicator["baseline_value"], indicator["periods"][0]["target"], indicator["periods"][0]["actual"]) == (
        "0", "755", "400")
    assert indicator["impact_area"] == "capacity_building"


def test_an_action_outside_the_catalogue_answers_404_and_no_token_401(api, db, officer, peru):
    world = build_world(db, officer, peru)
    refused(api(officer).get(f"/api/v1/iati/activities/{world.unpublished.id}"), 404)
    refused(api(None).get("/api/v1/iati/activities"), 401)
