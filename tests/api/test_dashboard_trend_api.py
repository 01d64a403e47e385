"""The dashboard's trend and map, and `/api/v1/portfolio`, give the same figures for the same filters."""

from __future__ import annotations

import re
from datetime import date

import pytest

from workflow.actions.lifecycle import ActionStatus

from ..factories import make_action, make_activity

FILTERS = ["", "year_from=2025", "year_to=2024", "region=latin_america_caribbean", "region=africa",
           "theme=irregular_migration_thb&year_from=2024&year_to=2025"]


@pytest.fixture()
def portfolio(db, officer, peru):
    peru_action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru",
                              start=date(2023, 1, 1))
    make_activity(db, peru_action, officer, start=date(2023, 5, 2), reported=True)
    make_activity(db, peru_action, officer, start=date(2025, 3, 3))
    morocco = make_action(db, officer, status=ActionStatus.ASSESSMENT, country="MA", name="Morocco",
                          start=date(2024, 1, 1))
    make_activity(db, morocco, officer, start=date(2024, 4, 1), reported=True)
    make_activity(db, morocco, officer, start=date(2025, 6, 2))
    make_action(db, officer, country="BO", name="Bolivia", start=date(2025, 1, 1))  # no activity yet


def page_trend(html: str) -> list[dict]:
    return [{"year": int(year), "activities": int(held) + int(planned), "held": int(held), "planned": int(planned)}
            for year, held, planned in re.findall(
                r'<li class="pf-trend-column" data-year="(\d+)" data-held="(\d+)" data-planned="(\d+)"', html)]


def page_countries(html: str) -> dict[str, int]:
    return {code: int(count) for code, count in re.findall(r'<tr data-iso2="(\w\w)" data-count="(\d+)"', html)}


@pytest.mark.parametrize("query", FILTERS, ids=lambda q: q or "all")
def test_the_trend_and_the_map_are_the_apis_figures(api, client, login_as, officer, portfolio, query):
    body = api(officer).get(f"/api/v1/portfolio?{query}").get_json()
    login_as(officer)
    html = client.get(f"/dashboard/?{query}").get_data(as_text=True)
    assert page_trend(html) == body["activities_by_year"]
    assert page_countries(html) == body["actions_by_country"]
    assert sum(year["activities"] for year in body["activities_by_year"]) == body["activities"]


def test_the_api_counts_held_and_planned_activities_and_actions_per_country(api, officer, portfolio):
    body = api(officer).get("/api/v1/portfolio").get_json()
    assert body["activities_by_year"] == [
        {"year": 2023, "activities": 1, "held": 1, "planned": 0},
        {"year": 2024, "activities": 1, "held": 1, "planned": 0},
        {"year": 2025, "activities": 2, "held": 0, "planned": 2},
    ]
    assert body["actions_by_country"] == {"PE": 1, "MA": 1, "BO": 1}


def test_a_requester_token_gets_the_trend_and_map_of_their_institutions_actions(api, requester_pe, portfolio):
    body = api(requester_pe).get("/api/v1/portfolio").get_json()
    assert body["actions_by_country"] == {"PE": 1}
    assert [(year["year"], year["activities"]) for year in body["activities_by_year"]] == [
        (2023, 1), (2024, 0), (2025, 1)]
