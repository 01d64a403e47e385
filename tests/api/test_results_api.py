"""The results framework through the API: built by staff, read by the requester, stale saves refused with 409,
bad input answered with the field, other Actions' records not found."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workflow.actions.lifecycle import ActionStatus
from workflow.results.models import Indicator, ResultsFramework

from ..factories import make_action
from .conftest import refused

INDICATOR = {"title": "Officials trained", "unit": "officials", "impact_area": "capacity_building",
             "baseline_value": 0, "target_value": 800, "target_date": "2027-12-31"}


def stale(response) -> bool:
    """A 409 refusal of a stale save (its body may also list what changed since, from the history)."""
    return response.status_code == 409 and response.get_json()["error"]["code"] == "stale_edit"


@pytest.fixture()
def built(db, api, officer, peru):
    action = make_action(db, officer, beneficiary=peru, status=ActionStatus.IMPLEMENTATION)
    staff = api(officer)
    assert staff.put(f"/api/v1/actions/{action.id}/results-framework",
                     json={"specific_objective": "Support the national integration plan"}).status_code == 200
    result = staff.post(f"/api/v1/actions/{action.id}/results-framework/results",
                        json={"level": "outcome", "statement": "A national plan adopted"})
    assert result.status_code == 201, result.get_json()
    indicator = staff.post(f"/api/v1/expected-results/{result.get_json()['id']}/indicators", json=INDICATOR)
    assert indicator.status_code == 201, indicator.get_json()
    return action, result.get_json(), indicator.get_json()


def test_a_save_on_an_older_version_is_a_409_and_changes_nothing(db, api, officer, built):
    action, result, indicator = built
    staff = api(officer)
    read = staff.get(f"/api/v1/indicators/{indicator['id']}").get_json()
    first = staff.put(f"/api/v1/indicators/{indicator['id']}", json={**INDICATOR, "target_value": 900,
                                                                     "version": read["version"]})
    assert first.status_code == 200 and first.get_json()["version"] == read["version"] + 1
    second = staff.put(f"/api/v1/indicators/{indicator['id']}", json={**INDICATOR, "target_value": 100,
                                                                      "version": read["version"]})
    assert stale(second)
    db.expire_all()
    assert db.get(Indicator, indicator["id"]).target_value == 900

    framework = staff.get(f"/api/v1/actions/{action.id}/results-framework").get_json()
    body = {"specific_objective": "Sharper", "version": framework["version"]}
    assert staff.put(f"/api/v1/actions/{action.id}/results-framework", json=body).status_code == 200
    assert stale(staff.put(f"/api/v1/actions/{action.id}/results-framework",
                           json={**body, "specific_objective": "Old"}))
    assert db.scalar(select(ResultsFramework.specific_objective).where(
        ResultsFramework.action_id == action.id)) == "Sharper"

    wording = {"level": "output", "statement": "A plan drafted", "version": result["version"]}
    assert staff.put(f"/api/v1/expected-results/{result['id']}", json=wording).status_code == 200
    assert stale(staff.put(f"/api/v1/expected-results/{result['id']}", json=wording))


@pytest.mark.parametrize("change, field", [
    ({"target_value": "a lot"}, "target_value"),
    ({"impact_area": "happiness"}, "impact_area"),
    ({"title": "x" * 301}, "title"),
    ({"version": 0}, "version"),
    ({"version": "two"}, "version"),
])
def test_bad_input_is_a_422_naming_the_field(db, api, officer, built, change, field):
    _action, _result, indicator = built
    answer = api(officer).put(f"/api/v1/indicators/{indicator['id']}", json={**INDICATOR, **change})
    assert field in refused(answer, 422)["fields"]
    db.expire_all()
    assert db.get(Indicator, indicator["id"]).title == "Officials trained"


def test_the_requester_reads_but_does_not_edit_and_another_beneficiary_sees_nothing(
        db, api, requester_pe, requester_bo, built):
    action, _result, indicator = built
    assert api(requester_pe).get(f"/api/v1/actions/{action.id}/results-framework").status_code == 200
    assert api(requester_pe).put(f"/api/v1/indicators/{indicator['id']}", json=INDICATOR).status_code == 403
    assert api(requester_bo).get(f"/api/v1/indicators/{indicator['id']}").status_code == 404
    assert api(requester_bo).get("/api/v1/indicators/999999").status_code == 404
