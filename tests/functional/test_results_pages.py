"""The results framework's pages: staff build it, measure, requesters measure where allowed, the Action page
shows progress; policy deliverables get news after closure."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from workflow.actions.lifecycle import ActionStatus
from workflow.activities.deliverables import DeliverableDraft, add_deliverable
from workflow.activities.models import DeliverableKind
from workflow.results.models import DeliverableStage, ExpectedResult, Indicator, Measurement, ResultsFramework

from ..factories import T0, make_action


@pytest.fixture()
def action(db, officer, peru):
    return make_action(db, officer, beneficiary=peru, status=ActionStatus.IMPLEMENTATION)


def _build(post, action, db):
    assert post(f"/actions/{action.id}/results/edit", {"specific_objective": "Support policy development in the "
                "area of integration", "requester_may_measure": ""}).status_code == 302
    assert post(f"/actions/{action.id}/results/new", {"level": "outcome", "statement": "A national plan adopted",
                                                      "form_key": "r1"}).status_code == 302
    result = db.scalar(select(ExpectedResult).where(ExpectedResult.action_id == action.id))
    sent = post(f"/expected-results/{result.id}/indicators/new", {
        "title": "Officials trained", "unit": "officials", "impact_area": "capacity_building",
        "baseline_value": "0", "baseline_date": "2026-01-01", "target_value": "800", "target_date": "2027-12-31",
        "means_of_verification": "Attendance lists", "form_key": "i1"})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    return db.scalar(select(Indicator).where(Indicator.action_id == action.id))


def test_staff_build_a_framework_and_the_action_page_shows_progress_against_the_target(
        client, db, login_as, officer, action, post):
    login_as(officer)
    indicator = _build(post, action, db)
    sent = post(f"/indicators/{indicator.id}/measurements/new", {
        "value": "400", "measured_on": "2026-06-30", "source": "Attendance lists of the workshops", "form_key": "m1"})
    assert sent.status_code == 302
    page = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Officials trained" in page and "50% of the target" in page
    assert "Attendance lists of the workshops" in page
    full = client.get(f"/actions/{action.id}/results").get_data(as_text=True)
    assert "Support policy development in the area of integration" in full


def test_a_requester_measures_only_where_staff_allowed_it(client, db, login_as, officer, requester_pe, action, post):
    login_as(officer)
    indicator = _build(post, action, db)
    login_as(requester_pe)
    assert client.get(f"/indicators/{indicator.id}/measurements/new").status_code == 403
    assert client.get(f"/actions/{action.id}/results").status_code == 200
    login_as(officer)
    framework = db.scalar(select(ResultsFramework).where(ResultsFramework.action_id == action.id))
    post(f"/actions/{action.id}/results/edit", {"specific_objective": framework.specific_objective,
                                                "requester_may_measure": "y"})
    login_as(requester_pe)
    sent = post(f"/indicators/{indicator.id}/measurements/new", {
        "value": "755", "measured_on": "2026-07-01", "source": "Institute's register", "form_key": "m2"})
    assert sent.status_code == 302
    assert db.scalar(select(Measurement.value).where(Measurement.indicator_id == indicator.id)) == 755


def test_a_measured_indicator_stays_and_a_wrong_measurement_is_withdrawn_with_a_reason(
        client, db, login_as, officer, action, post):
    login_as(officer)
    indicator = _build(post, action, db)
    post(f"/indicators/{indicator.id}/measurements/new", {"value": "40", "measured_on": "2026-06-30",
                                                          "source": "List", "form_key": "m3"})
    refused = post(f"/indicators/{indicator.id}/remove", follow_redirects=True)
    assert "they stay" in refused.get_data(as_text=True)
    assert db.get(Indicator, indicator.id) is not None
    measurement = db.scalar(select(Measurement).where(Measurement.indicator_id == indicator.id))
    empty = post(f"/measurements/{measurement.id}/withdraw", {"reason": ""})
    assert empty.status_code == 200 and "This field is required" in empty.get_data(as_text=True)
    assert post(f"/measurements/{measurement.id}/withdraw", {"reason": "Typed 40 for 400"}).status_code == 302
    db.expire_all()
    assert db.get(Measurement, measurement.id).withdrawal_reason == "Typed 40 for 400"


def test_bad_input_re_renders_the_form_with_field_messages(client, db, login_as, officer, action, post):
    login_as(officer)
    post(f"/actions/{action.id}/results/new", {"level": "output", "statement": "Plan drafted", "form_key": "r9"})
    result = db.scalar(select(ExpectedResult).where(ExpectedResult.action_id == action.id))
    sent = post(f"/expected-results/{result.id}/indicators/new", {
        "title": "Plans", "unit": "plans", "impact_area": "policy_development", "baseline_date": "2027-01-01",
        "target_date": "2026-01-01", "target_value": "nope", "form_key": "i9"})
    assert sent.status_code == 200
    assert "invalid-feedback" in sent.get_data(as_text=True)


def test_news_of_a_policy_deliverable_after_closure_answers_the_check_in(
        app, client, db, login_as, officer, requester_pe, peru, post, clock):
    closed = make_action(db, officer, beneficiary=peru, status=ActionStatus.CLOSED, name="Peru IX")
    plan = add_deliverable(db, closed, DeliverableDraft(DeliverableKind.NATIONAL_PLAN, "National plan", "es",
                                                        url="https://example.org/plan.pdf"), actor=officer, now=T0)
    db.commit()
    clock.set(T0.replace(year=T0.year + 1))  # past the 6- and 12-month check-ins
    login_as(requester_pe)
    page = client.get(f"/actions/{closed.id}").get_data(as_text=True)
    assert "12-month check-in" in page
    sent = post(f"/deliverables/{plan.id}/news", {"stage": "adopted", "reached_on": date(2026, 5, 4).isoformat(),
                                                  "outcome": "A communication campaign", "form_key": "n1",
                                                  "url": "https://example.org/gazette"})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    stage = db.scalar(select(DeliverableStage).where(DeliverableStage.deliverable_id == plan.id))
    assert stage.check_in_months == 12 and stage.outcome == "A communication campaign"


def test_an_expected_result_never_measured_is_removed_and_the_history_keeps_it(client, db, login_as, officer,
                                                                               action, post):
    login_as(officer)
    post(f"/actions/{action.id}/results/new", {"level": "output", "statement": "A leaflet", "form_key": "r5"})
    result = db.scalar(select(ExpectedResult).where(ExpectedResult.action_id == action.id))
    done = post(f"/expected-results/{result.id}/remove", follow_redirects=True)
    assert "the history keeps it" in done.get_data(as_text=True)
    db.expire_all()
    assert db.get(ExpectedResult, result.id) is None
    history = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "removed an expected result" in history


def test_a_save_on_an_older_version_is_refused_and_changes_nothing(client, db, login_as, officer, action, post):
    """Two officers open the same indicator; the second save, made on what the first one replaced, is refused with
    the reason, and the first one's change stays (no last write wins). The same for the objective and a result."""
    login_as(officer)
    indicator = _build(post, action, db)
    form = client.get(f"/indicators/{indicator.id}/edit").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{indicator.version}"' in form
    opened = indicator.version
    fields = {"title": "Officials trained", "unit": "officials", "impact_area": "capacity_building",
              "target_value": "900", "form_key": "e1", "version": str(opened)}
    assert post(f"/indicators/{indicator.id}/edit", fields).status_code == 302
    stale = post(f"/indicators/{indicator.id}/edit", {**fields, "target_value": "100", "form_key": "e2"})
    assert stale.status_code == 200 and "Someone changed this indicator after you opened it." in stale.get_data(
        as_text=True)
    db.expire_all()
    assert db.get(Indicator, indicator.id).target_value == 900

    framework = db.scalar(select(ResultsFramework).where(ResultsFramework.action_id == action.id))
    objective = {"specific_objective": "A sharper objective", "version": str(framework.version)}
    assert post(f"/actions/{action.id}/results/edit", objective).status_code == 302
    late = post(f"/actions/{action.id}/results/edit", {**objective, "specific_objective": "An older idea"})
    assert "Someone changed this results framework after you opened it." in late.get_data(as_text=True)
    db.expire_all()
    assert db.get(ResultsFramework, framework.id).specific_objective == "A sharper objective"

    result = db.scalar(select(ExpectedResult).where(ExpectedResult.action_id == action.id))
    wording = {"level": "outcome", "statement": "A national plan adopted and applied", "version": str(result.version),
               "form_key": "w1"}
    assert post(f"/expected-results/{result.id}/edit", wording).status_code == 302
    old = post(f"/expected-results/{result.id}/edit", {**wording, "statement": "Something else", "form_key": "w2"})
    assert "Someone changed this expected result after you opened it." in old.get_data(as_text=True)
    db.expire_all()
    assert db.get(ExpectedResult, result.id).statement == "A national plan adopted and applied"


def test_values_read_as_the_readers_numbers_and_the_form_keeps_the_machines(client, db, login_as, officer, action,
                                                                             post):
    login_as(officer)
    indicator = _build(post, action, db)
    indicator.target_value = 1234.5
    db.commit()
    page = client.get(f"/actions/{action.id}/results?lang=fr").get_data(as_text=True)
    assert re.search("1[\u00a0\u202f ]234,5", page)  # French: a space between thousands, a decimal comma
    form = client.get(f"/indicators/{indicator.id}/edit").get_data(as_text=True)
    assert 'value="1234.5"' in form  # what the number field and the form read back
    assert "1,234.5" in client.get(f"/actions/{action.id}/results?lang=en").get_data(as_text=True)


def test_news_of_a_deliverable_starts_with_no_stage_chosen(client, db, login_as, officer, peru, post):
    closed = make_action(db, officer, beneficiary=peru, status=ActionStatus.CLOSED, name="Peru X")
    plan = add_deliverable(db, closed, DeliverableDraft(DeliverableKind.NATIONAL_PLAN, "National plan", "es",
                                                        url="https://example.org/plan.pdf"), actor=officer, now=T0)
    db.commit()
    login_as(officer)
    page = client.get(f"/deliverables/{plan.id}/news").get_data(as_text=True)
    assert re.search(r'<option (selected )?value="">Choose a stage</option>', page)
    refused = post(f"/deliverables/{plan.id}/news", {"stage": "", "outcome": "Nothing yet", "form_key": "n9"})
    assert refused.status_code == 200 and "This field is required." in refused.get_data(as_text=True)
    assert db.scalar(select(DeliverableStage).where(DeliverableStage.deliverable_id == plan.id)) is None
