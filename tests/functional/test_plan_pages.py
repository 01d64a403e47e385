"""The plan pages through the test client: save Mexico IV's plan, preview and start Mexico V from it, copy."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.dates import format_interval
from sqlalchemy import func, select

from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.models import Action
from workflow.actions.services import apply_action_event
from workflow.activities.models import Activity
from workflow.plans.models import PlanTemplate
from workflow.plans.services import save_plan

from ..factories import T0, make_action
from ..integration.test_plans import NOW, build_mexico_iv

FORM_KEY = re.compile(r'name="form_key"[^>]*value="([^"]+)"')


def count(db, model, *where) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture()
def mexico(db, officer):
    """Mexico IV with its plan (one training cancelled) and Mexico V, just accepted, for the same institute."""
    mexico_iv, inm = build_mexico_iv(db, officer)
    mexico_v = make_action(db, officer, country="MX", name="Mexico V", beneficiary=inm, start=date(2027, 1, 1))
    return mexico_iv, mexico_v


@pytest.fixture()
def as_officer(login_as, officer):
    return login_as(officer)


def form_key(html: str) -> str:
    match = FORM_KEY.search(html)
    assert match, "no form key on the page"
    return match.group(1)


def activities_of(db, action) -> list[Activity]:
    db.expire_all()
    return db.scalars(select(Activity).where(Activity.action_id == action.id).order_by(Activity.start_date)).all()


# --- The journey: Mexico V from the template of Mexico IV --------------------------------------------


def test_mexico_v_is_started_from_the_template_of_mexico_iv_through_the_pages(db, as_officer, post, mexico):
    mexico_iv, mexico_v = mexico
    page = as_officer.get(f"/actions/{mexico_iv.id}").get_data(as_text=True)
    assert "Save plan as template" in page and "Add activities from a template" in page

    form = as_officer.get(f"/actions/{mexico_iv.id}/plan/save").get_data(as_text=True)
    assert "1 cancelled activity is left out of the plan." in form
    assert 'value="Mexico IV plan"' in form
    saved = post(f"/actions/{mexico_iv.id}/plan/save", {"name": "Mexico IV plan", "form_key": form_key(form)})
    assert saved.status_code == 302
    template = db.scalar(select(PlanTemplate).where(PlanTemplate.name == "Mexico IV plan"))
    assert saved.headers["Location"].endswith(f"/plans/{template.id}")
    shown = as_officer.get(f"/plans/{template.id}").get_data(as_text=True)
    assert "Day 190" in shown and "2 × Trainer" in shown  # the training of trainers, 189 days after the start

    start_page = as_officer.get(f"/actions/{mexico_v.id}").get_data(as_text=True)
    assert "Start from a template" in start_page and "Save plan as template" not in start_page
    preview = as_officer.get(f"/actions/{mexico_v.id}/plan/apply?template_id={template.id}&anchor=2027-03-01")
    html = preview.get_data(as_text=True)
    assert "Start Mexico V from a template" in html
    for start, end in ((date(2027, 3, 1), date(2027, 3, 3)), (date(2027, 3, 29), date(2027, 6, 11)),
                       (date(2027, 9, 6), date(2027, 9, 10)), (date(2028, 8, 7), date(2028, 8, 9))):
        assert format_interval(start, end, "yMMMd", locale="en_GB") in html  # one period: "1–3 Mar 2027"
    assert activities_of(db, mexico_v) == []  # a preview plans nothing

    items = [str(i.id) for i in template.items]
    data = {"template_id": template.id, "anchor": "2027-03-01", "items": items, "form_key": form_key(html)}
    first = post(f"/actions/{mexico_v.id}/plan/apply", data)
    again = post(f"/actions/{mexico_v.id}/plan/apply", data)  # the back button, or a second click
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    planned = activities_of(db, mexico_v)
    assert [(a.start_date, a.end_date) for a in planned] == [
        (date(2027, 3, 1), date(2027, 3, 3)), (date(2027, 3, 29), date(2027, 6, 11)),
        (date(2027, 9, 6), date(2027, 9, 10)), (date(2028, 8, 7), date(2028, 8, 9))]
    assert [sum(s.places for s in a.slots) for a in planned] == [2, 1, 3, 1]


def test_the_preview_shows_the_dates_in_the_readers_language(db, as_officer, officer, mexico):
    mexico_iv, mexico_v = mexico
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    officer.locale = "es"
    db.commit()
    html = as_officer.get(f"/actions/{mexico_v.id}/plan/apply?template_id={template.id}&anchor=2027-03-01",
                          headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert format_interval(date(2027, 9, 6), date(2027, 9, 10), "yMMMd", locale="es") in html  # "6–10 sept 2027"


def test_only_the_ticked_activities_are_planned(db, as_officer, post, officer, mexico):
    mexico_iv, mexico_v = mexico
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    training = template.items[2]
    post(f"/actions/{mexico_v.id}/plan/apply", {"template_id": template.id, "anchor": "2027-03-01",
                                                 "items": [str(training.id)], "form_key": "k-one"})
    assert [a.title for a in activities_of(db, mexico_v)] == [training.title]


def test_ticking_nothing_is_answered_on_the_preview_and_plans_nothing(db, as_officer, post, officer, mexico):
    mexico_iv, mexico_v = mexico
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    response = post(f"/actions/{mexico_v.id}/plan/apply", {"template_id": template.id, "anchor": "2027-03-01",
                                                            "form_key": "k-none"})
    assert response.status_code == 200
    assert "Choose at least one activity of this plan." in response.get_data(as_text=True)
    assert activities_of(db, mexico_v) == []


def test_a_duplicate_template_name_is_answered_on_the_name_field(db, as_officer, post, officer, mexico):
    mexico_iv, _mexico_v = mexico
    save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    response = post(f"/actions/{mexico_iv.id}/plan/save", {"name": "mexico iv plan", "form_key": "k-dup"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A plan template is already called" in html and 'aria-invalid="true"' in html
    assert count(db, PlanTemplate) == 1


def test_a_suspended_action_says_why_it_takes_no_plan_and_a_post_plans_nothing(db, as_officer, post, officer, mexico):
    mexico_iv, mexico_v = mexico
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    apply_action_event(db, mexico_v, ActionEvent.SUSPEND, actor=officer, now=T0, reason="Elections.")
    db.commit()
    page = as_officer.get(f"/actions/{mexico_v.id}/plan/apply").get_data(as_text=True)
    assert "Mexico V is suspended: resume it before planning activities from a template." in page
    assert "Start from a template" not in as_officer.get(f"/actions/{mexico_v.id}").get_data(as_text=True)
    response = post(f"/actions/{mexico_v.id}/plan/apply", {"template_id": template.id, "anchor": "2027-03-01",
                                                            "items": [str(template.items[0].id)], "form_key": "k-s"})
    assert "resume it before planning" in response.get_data(as_text=True)
    assert activities_of(db, mexico_v) == []


def test_a_template_deleted_since_the_preview_is_answered_not_applied(db, as_officer, post, officer, mexico):
    mexico_iv, mexico_v = mexico
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    template_id, item_id = template.id, template.items[0].id
    post(f"/plans/{template_id}/delete")
    response = post(f"/actions/{mexico_v.id}/plan/apply", {"template_id": template_id, "anchor": "2027-03-01",
                                                            "items": [str(item_id)], "form_key": "k-gone"},
                    follow_redirects=True)
    assert "That plan template no longer exists" in response.get_data(as_text=True)
    assert activities_of(db, mexico_v) == []


@pytest.mark.parametrize("data", [
    {"anchor": "31/31/2027"},
    {"anchor": ""},
    {"template_id": "abc"},
    {"template_id": "99999999999999999999"},
    {"template_id": "-3"},
    {"items": ["x"]},
    {"items": ["424242"]},
    {"items": ["9" * 40]},
    {"anchor": "9999-12-01"},
    {"form_key": "k" * 200},
])
def test_bad_apply_input_gets_an_answer_and_plans_nothing(db, as_officer, post, officer, mexico, data):
    mexico_iv, mexico_v = mexico
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    sent = {"template_id": template.id, "anchor": "2027-03-01", "items": [str(template.items[0].id)],
            "form_key": "k-bad", **data}
    response = post(f"/actions/{mexico_v.id}/plan/apply", sent, follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Nothing was planned:" in html or "That plan template no longer exists" in html or 'class="text-danger' in html
    assert activities_of(db, mexico_v) == []


@pytest.mark.parametrize("query", ["template_id=abc&anchor=2027-03-01", "template_id=999999&anchor=2027-03-01",
                                   "template_id=1&anchor=tomorrow", "anchor=" + "9" * 5000, "template_id="])
def test_an_unreadable_preview_query_never_gives_a_500(as_officer, mexico, query):
    _mexico_iv, mexico_v = mexico
    assert as_officer.get(f"/actions/{mexico_v.id}/plan/apply?{query}").status_code == 200


@pytest.mark.parametrize("name", ["", "   ", "n" * 201])
def test_a_bad_template_name_is_refused_on_the_field(db, as_officer, post, mexico, name):
    mexico_iv, _mexico_v = mexico
    response = post(f"/actions/{mexico_iv.id}/plan/save", {"name": name, "form_key": "k-name"})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert count(db, PlanTemplate) == 0


def test_saving_twice_with_the_same_form_keeps_one_template(db, as_officer, post, mexico):
    mexico_iv, _mexico_v = mexico
    first = post(f"/actions/{mexico_iv.id}/plan/save", {"name": "Mexico IV plan", "form_key": "k-twice"})
    second = post(f"/actions/{mexico_iv.id}/plan/save", {"name": "Mexico IV plan", "form_key": "k-twice"})
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db, PlanTemplate) == 1


# --- The list, one template, deleting --------------------------------------------------------------


def test_the_list_starts_empty_and_then_shows_each_template_with_its_source(db, as_officer, officer, mexico):
    mexico_iv, _mexico_v = mexico
    assert "No plan templates yet." in as_officer.get("/plans/").get_data(as_text=True)
    mexico_iv = db.get(Action, mexico_iv.id)  # the request closed the session the fixture's objects were in
    save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    html = as_officer.get("/plans/").get_data(as_text=True)
    assert "Mexico IV plan" in html and f'href="/actions/{mexico_iv.id}"' in html
    assert 'data-confirm="Delete the template' in html


def test_deleting_a_template_keeps_what_was_planned_from_it(db, as_officer, post, officer, mexico):
    mexico_iv, mexico_v = mexico
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    post(f"/actions/{mexico_v.id}/plan/apply", {"template_id": template.id, "anchor": "2027-03-01",
                                                 "items": [str(template.items[0].id)], "form_key": "k-del"})
    response = post(f"/plans/{template.id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/plans/")
    assert count(db, PlanTemplate) == 0
    assert len(activities_of(db, mexico_v)) == 1
    assert as_officer.get(f"/plans/{template.id}").status_code == 404


def test_a_delete_without_the_csrf_token_changes_nothing(db, as_officer, officer, mexico):
    mexico_iv, _mexico_v = mexico
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    assert as_officer.post(f"/plans/{template.id}/delete").status_code == 400
    assert count(db, PlanTemplate) == 1


# --- Copying an activity ----------------------------------------------------------------------------


def test_an_activity_is_copied_from_its_page_keeping_its_length(db, as_officer, post, mexico):
    mexico_iv, _mexico_v = mexico
    training = next(a for a in mexico_iv.activities if a.kind.value == "training_of_trainers")
    assert f"/activities/{training.id}/copy" in as_officer.get(f"/activities/{training.id}").get_data(as_text=True)
    form = as_officer.get(f"/activities/{training.id}/copy").get_data(as_text=True)
    assert "The copy lasts 5 days, like the original." in form
    data = {"title": "Training of trainers on the Protocol, second round", "start_date": "2027-04-12",
            "form_key": form_key(form)}
    first, again = post(f"/activities/{training.id}/copy", data), post(f"/activities/{training.id}/copy", data)
    assert first.status_code == again.status_code == 302 and first.headers["Location"] == again.headers["Location"]
    copies = [a for a in activities_of(db, mexico_iv) if a.title.endswith("second round")]
    assert len(copies) == 1
    assert (copies[0].start_date, copies[0].end_date, copies[0].city) == (date(2027, 4, 12), date(2027, 4, 16),
                                                                          "Tapachula")
    assert first.headers["Location"].endswith(f"/activities/{copies[0].id}")


@pytest.mark.parametrize("data", [{"start_date": ""}, {"start_date": "2027-02-30"}, {"title": ""},
                                  {"title": "t" * 201}, {"start_date": "9999-12-31"}])
def test_bad_copy_input_is_answered_on_the_form_and_copies_nothing(db, as_officer, post, mexico, data):
    mexico_iv, _mexico_v = mexico
    training = next(a for a in mexico_iv.activities if a.kind.value == "training_of_trainers")
    before = len(activities_of(db, mexico_iv))
    response = post(f"/activities/{training.id}/copy",
                    {"title": "Copy", "start_date": "2027-04-12", "form_key": "k-copy", **data})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert len(activities_of(db, mexico_iv)) == before


def test_a_closed_action_offers_no_copy_and_refuses_one(db, as_officer, post, officer, mexico):
    mexico_iv, _mexico_v = mexico
    activity = mexico_iv.activities[0]
    apply_action_event(db, mexico_iv, ActionEvent.CANCEL, actor=officer, now=T0, reason="INM changed priorities.")
    db.commit()
    assert f"/activities/{activity.id}/copy" not in as_officer.get(f"/activities/{activity.id}").get_data(as_text=True)
    before = len(activities_of(db, mexico_iv))
    response = post(f"/activities/{activity.id}/copy", {"title": "Copy", "start_date": "2027-04-12", "form_key": "c"})
    assert "it can no longer be changed" in response.get_data(as_text=True)
    assert len(activities_of(db, mexico_iv)) == before


@pytest.mark.parametrize("url", ["/plans/999999", "/plans/abc", "/actions/999999/plan/save",
                                 "/actions/999999/plan/apply", "/activities/999999/copy"])
def test_unknown_ids_answer_404(as_officer, url):
    assert as_officer.get(url).status_code == 404


def test_requesters_reach_none_of_the_plan_pages(db, login_as, requester_pe, officer, mexico):
    mexico_iv, _mexico_v = mexico
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    client = login_as(requester_pe)
    for url in ("/plans/", f"/plans/{template.id}", f"/actions/{mexico_iv.id}/plan/save",
                f"/actions/{mexico_iv.id}/plan/apply", f"/activities/{mexico_iv.activities[0].id}/copy"):
        assert client.get(url).status_code == 403, url


def test_the_closed_mexico_iv_still_offers_its_plan_but_takes_none(db, as_officer, officer):
    mexico_iv, _inm = build_mexico_iv(db, officer)
    mexico_iv.status = ActionStatus.CLOSED  # as the demo portfolio has it
    db.commit()
    page = as_officer.get(f"/actions/{mexico_iv.id}").get_data(as_text=True)
    assert "Save plan as template" in page and "from a template" not in page


def test_fields_added_to_the_copy_form_change_nothing_but_what_it_edits(db, as_officer, post, mexico):
    mexico_iv, _mexico_v = mexico
    training = next(a for a in mexico_iv.activities if a.kind.value == "training_of_trainers")
    post(f"/activities/{training.id}/copy", {
        "title": "Training of trainers, second round", "start_date": "2027-04-12", "form_key": "k-hostile",
        "status": "reported", "report": "forged", "participants_female": "999", "action_id": "1",
        "country_code": "BO", "is_remote": "y", "end_date": "2030-01-01"})
    copy = next(a for a in activities_of(db, mexico_iv) if a.title == "Training of trainers, second round")
    assert (copy.status.value, copy.report, copy.participants_female, copy.action_id, copy.country_code,
            copy.is_remote, copy.end_date) == ("planned", None, None, mexico_iv.id, "MX", False, date(2027, 4, 16))


def test_two_clicks_racing_past_the_check_plan_the_activities_once(db, as_officer, post, officer, mexico, monkeypatch):
    """The second request checked for an earlier submission before the first one committed: its insert of the
    same form key fails, its activities are rolled back, and it leads where the first one did."""
    from workflow.core.models import FormSubmission
    from workflow.plans import views

    mexico_iv, mexico_v = mexico
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.add(FormSubmission(key="k-race", user_id=officer.id, target_url=f"/actions/{mexico_v.id}#activities",
                          created_at=NOW))  # what the first click left
    db.commit()
    checks, real_check = [], views.already_submitted

    def racing_check(session, key):
        checks.append(key)
        return None if len(checks) == 1 else real_check(session, key)

    monkeypatch.setattr(views, "already_submitted", racing_check)
    response = post(f"/actions/{mexico_v.id}/plan/apply", {"template_id": template.id, "anchor": "2027-03-01",
                                                            "items": [str(template.items[0].id)],
                                                            "form_key": "k-race"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/actions/{mexico_v.id}#activities"
    assert len(checks) == 2
    assert activities_of(db, mexico_v) == []
