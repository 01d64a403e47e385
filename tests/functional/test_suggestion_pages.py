"""The suggestions page as a comparison, on the demo roster (loaded once for the module, rolled back at its end):
one row per candidate, the filters, the refusals listed apart with their rule, and Invite answered in JSON for
the page's script or with the usual redirect without it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from workflow.accounts.models import User
from workflow.accounts.sessions import session_values
from workflow.activities.models import Activity, ExpertSlot
from workflow.deployments.lifecycle import DeploymentEvent, DeploymentStatus
from workflow.deployments.models import Deployment
from workflow.deployments.services import apply_deployment_event, propose
from workflow.experts.models import Expert, Unavailability

from ..dbsetup import demo_loaded
from ..factories import make_staffed_activity
from .conftest import csrf_token

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
WORKSHOP = "Workshop on emergency reception at the southern border"  # two places, Spanish, many candidates
COURSE = "Pilot course on EU migration policy and asylum"  # one place per slot
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def demo(engine):
    yield from demo_loaded(engine, NOW)


@pytest.fixture()
def web(app: Flask, demo):
    client = app.test_client()
    user = staff(demo)
    with client.session_transaction() as session:
        session.update(session_values(user, datetime.now(UTC)))  # the app's clock: no test clock here
    return client


def staff(session) -> User:
    return session.scalar(select(User).where(User.email == "officer@demo.peerflow.org"))


def first_slot(session, title: str) -> ExpertSlot:
    activity = session.scalar(select(Activity).where(Activity.title == title).order_by(Activity.id))
    return activity.slots[0]


def page(web, slot: ExpertSlot, **filters) -> str:
    response = web.get(f"/slots/{slot.id}/suggestions", query_string=filters)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def listed(html: str) -> list[int]:
    """The experts of the candidates' rows, in their order."""
    return [int(i) for i in re.findall(r'data-testid="suggestion" data-expert-id="(\d+)"', html)]


def refused(html: str) -> dict[int, str]:
    """The rows of the "Not eligible" section, by expert."""
    rows = re.findall(r'data-testid="refused" data-expert-id="(\d+)">(.*?)</tr>', html, re.S)
    return {int(expert_id): row for expert_id, row in rows}


def test_twenty_rows_each_with_a_score_meter_tags_and_the_breakdown_on_expand(web, demo):
    html = page(web, first_slot(demo, WORKSHOP))
    rows = html.split('data-testid="suggestion"')[1:]
    assert len(rows) == 20 == len(listed(html))
    for row in rows:
        row = row.split("</tr>")[0]
        assert re.search(r'<meter min="0" max="99" value="\d+(\.\d+)?" aria-label="Score"\s+aria-valuetext="\d+ of 99"',
                         row)
        assert "<details>" in row and "<summary>" in row and 'class="badge rounded-pill' in row
        assert "Total: " in row and "(+" in row  # every part of the score with its points, once opened


def test_the_filters_narrow_the_list_to_the_experts_they_name_in_the_same_order(web, demo):
    slot = first_slot(demo, WORKSHOP)
    everyone = listed(page(web, slot))
    spaniards = listed(page(web, slot, country="ES"))
    assert spaniards and {demo.get(Expert, i).country_code for i in spaniards} == {"ES"}
    assert {demo.get(Expert, i).country_code for i in everyone} != {"ES"}  # the filter did narrow
    in_both = [i for i in everyone if i in spaniards]
    assert spaniards[:len(in_both)] == in_both  # the same ranking, restricted

    german = listed(page(web, slot, language="de"))
    assert german and len(german) < len(everyone)
    for expert_id in german:
        levels = {lang.language: lang.level for lang in demo.get(Expert, expert_id).languages}
        assert levels.get("de") in ("B2", "C1", "C2"), expert_id

    austrians_in_german = listed(page(web, slot, country="AT", language="de"))
    assert austrians_in_german and set(austrians_in_german) <= set(german)
    assert {demo.get(Expert, i).country_code for i in austrians_in_german} == {"AT"}


def test_an_expert_a_hard_rule_refuses_is_listed_apart_with_the_rule_and_why(web, demo):
    slot = first_slot(demo, WORKSHOP)
    best = listed(page(web, slot))[0]
    activity = slot.activity
    leave = Unavailability(expert_id=best, start_date=activity.start_date, end_date=activity.end_date,
                           reason="language course")
    demo.add(leave)
    demo.commit()
    try:
        html = page(web, slot)
        assert best not in listed(html)
        row = refused(html)[best]
        assert "Unavailable" in row and "Inside a declared unavailable period (language course," in row
        assert "unavailable:" not in row and row.count(str(activity.end_date.year)) == 1  # the dates said once
        assert "Invite" not in row
    finally:
        demo.delete(leave)
        demo.commit()
    assert listed(page(web, slot))[0] == best


def test_free_on_the_dates_leaves_out_an_expert_invited_elsewhere_on_them(web, demo):
    slot = first_slot(demo, WORKSHOP)
    everyone = listed(page(web, slot))
    busy = demo.get(Expert, everyone[0])
    activity = slot.activity
    elsewhere = make_staffed_activity(demo, activity.action, staff(demo), start=activity.start_date,
                                      days=(activity.end_date - activity.start_date).days + 1,
                                      title="Seminar on the same dates")
    deployment = propose(demo, elsewhere.slots[0], busy, actor=staff(demo), now=NOW)
    apply_deployment_event(demo, deployment, DeploymentEvent.INVITE, actor=staff(demo), now=NOW)
    demo.commit()

    html = page(web, slot)
    assert listed(html) == everyone  # an invitation is no booking: no hard rule refuses them
    row = html.split(f'data-expert-id="{busy.id}"')[1].split("</tr>")[0]
    assert "Invited elsewhere on these dates" in row and "Seminar on the same dates" in row

    free = listed(page(web, slot, free="y"))
    assert busy.id not in free
    assert free[:19] == everyone[1:]


def test_invite_in_place_answers_in_json_and_the_page_then_lists_the_expert_on_the_slot(web, demo):
    slot = first_slot(demo, COURSE)
    chosen, other = listed(page(web, slot))[:2]
    url = f"/slots/{slot.id}/deployments"
    token = csrf_token(web, f"/slots/{slot.id}/suggestions")
    response = web.post(url, data={"csrf_token": token, "expert_id": chosen}, headers=JSON)
    assert response.status_code == 201
    answer = response.get_json()
    name = demo.get(Expert, chosen).name
    assert answer["status"] == "invited" and answer["label"] == "Invited" and answer["places_left"] == 0
    assert answer["message"] == (f"{name} is invited to “{COURSE}” and notified; their answer comes back to the "
                                 "activity's page.")
    deployment = demo.get(Deployment, answer["id"])
    assert (deployment.expert_id, deployment.slot_id, deployment.status) == (chosen, slot.id, DeploymentStatus.INVITED)

    html = page(web, slot)
    assert "is invited" not in html  # answered in JSON: no message left waiting for the next page
    assert chosen not in listed(html) and "On this slot:" in html and name in html
    assert 'data-testid="invite"' not in html  # the slot is full

    full = web.post(url, data={"csrf_token": token, "expert_id": other}, headers=JSON)
    assert full.status_code == 409
    assert full.get_json()["error"]["code"] == "state_conflict"
    assert "full" in full.get_json()["error"]["message"]
    missing = web.post(url, data={"csrf_token": token}, headers=JSON)
    assert missing.status_code == 422 and missing.get_json()["error"]["message"] == "Choose an expert to invite."


def test_invite_without_the_script_redirects_to_the_activity_with_the_message(web, demo):
    slot = first_slot(demo, COURSE).activity.slots[1]  # the other slot of the course (the first one is full)
    chosen = listed(page(web, slot))[0]
    token = csrf_token(web, f"/slots/{slot.id}/suggestions")
    response = web.post(f"/slots/{slot.id}/deployments", data={"csrf_token": token, "expert_id": chosen})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/activities/{slot.activity_id}#slots")
    shown = web.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{demo.get(Expert, chosen).name} is invited" in shown
    assert demo.scalar(select(Deployment.status).where(Deployment.slot_id == slot.id,
                                                        Deployment.expert_id == chosen)) is DeploymentStatus.INVITED
