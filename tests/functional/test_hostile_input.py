"""Hostile input at the edges: control characters refused in every one-line field (forms and API), free
text keeping its line breaks, and calendar feeds that stay valid whatever a stored name holds."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.experts.models import Expert
from workflow.requests.models import Request

from ..factories import T0, make_action, make_expert, make_staffed_activity, make_user, theme

ONE_LINE = "This field is a single line of text: remove the line breaks, tabs and other control characters."
CONTROL = "Remove the control characters (such as NUL) from this text; line breaks and tabs are fine."
HOSTILE = ["Peru\r\nX-INJECTED:1", "Peru\nBEGIN:VEVENT", "Peru\tTab", "Peru\x00", "Peru\u2028Sep", "Peru\u2029",
           "Peru\x85", "Peru\x7f"]


def _action_edit(action, **changes) -> dict[str, str]:
    data = {"name": action.name, "title": action.title, "thematic_area_id": str(action.thematic_area_id),
            "objective": action.objective, "summary": action.summary,
            "planned_start": action.planned_start.isoformat(),
            "planned_end": action.planned_end.isoformat() if action.planned_end else "", "version": str(action.version)}
    return {**data, **changes}


# --- Forms ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["name", "title"])
def test_an_action_edit_refuses_control_characters_in_one_line_fields(db, login_as, post, officer, peru, field, value):
    action = make_action(db, officer, beneficiary=peru)
    login_as(officer)
    response = post(f"/actions/{action.id}/edit", _action_edit(action, **{field: value}))
    assert response.status_code == 200
    assert ONE_LINE in response.get_data(as_text=True)
    db.expire_all()
    assert getattr(db.get(Action, action.id), field) == getattr(action, field)


def test_an_action_summary_keeps_its_line_breaks_but_not_nul(db, login_as, post, officer, peru):
    action = make_action(db, officer, beneficiary=peru)
    login_as(officer)
    response = post(f"/actions/{action.id}/edit", _action_edit(action, summary="Para one\x00"))
    assert response.status_code == 200 and CONTROL in response.get_data(as_text=True)
    assert post(f"/actions/{action.id}/edit", _action_edit(action, summary="Line one\r\nLine two\tindented")
                ).status_code == 302
    db.expire_all()
    assert "Line one" in db.get(Action, action.id).summary and "Line two" in db.get(Action, action.id).summary


def test_an_expert_name_with_a_line_break_is_refused(db, login_as, post):
    user = make_user(db, Role.EXPERT)
    expert = make_expert(db, user=user)
    login_as(user)
    data = {"name": "Marta\nX-WR-CALNAME:evil", "email": expert.email, "gender": "female", "nationality": "ES",
            "country_code": "ES", "type": "ms_official", "institution_id": "", "years_experience": "12",
            "max_days_per_year": "60", "lang_es": "C2", "version": str(expert.version)}
    response = post(f"/experts/{expert.id}/edit", data, token_page="/me")
    assert response.status_code == 200 and ONE_LINE in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Expert, expert.id).name == expert.name


def test_a_new_request_title_with_a_separator_is_refused_and_nothing_saved(db, login_as, post, requester_pe):
    login_as(requester_pe)
    response = post("/requests/new", {"title": "Support\u2028on identification", "thematic_area_id": str(theme(db).id),
                                      "description": "Two\nlines", "desired_start": "", "form_key": "k-1"})
    assert response.status_code == 200 and ONE_LINE in response.get_data(as_text=True)
    assert db.scalar(select(Request.id)) is None


def test_every_form_of_the_app_checks_its_text_fields(app):
    """The check is central: every form class, page form or sub-form, binds it to its text fields."""
    from wtforms import Form, PasswordField, StringField

    from workflow.core.forms import refuse_control_characters, refuse_line_breaks

    def all_forms(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from all_forms(sub)

    checked = 0
    with app.test_request_context("/"):
        for form_class in {f for f in all_forms(Form) if f.__module__.startswith("workflow.")}:
            try:
                form = form_class(meta={"csrf": False})
            except TypeError:
                continue  # a form that needs arguments to build (its choices): covered by its page tests
            for field in form:
                if isinstance(field, StringField) and not isinstance(field, PasswordField):
                    assert refuse_line_breaks in field.validators or refuse_control_characters in field.validators, \
                        (form_class, field.name)
                    checked += 1
    assert checked > 30


# --- Calendar feeds ------------------------------------------------------------------------------


def test_feeds_stay_valid_when_stored_names_already_hold_line_breaks(db, client, officer, peru):
    """Rows saved before the forms refused line breaks: the feeds answer 200, parse, and inject nothing."""
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    workshop = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Workshop")
    expert = make_expert(db, expert_type="partner_peer", country="AR", user=make_user(db, Role.EXPERT))
    deployment = propose(db, workshop.slots[0], expert, actor=officer, now=T0)
    for event in (DeploymentEvent.INVITE, DeploymentEvent.ACCEPT, DeploymentEvent.CONFIRM):
        apply_deployment_event(db, deployment, event, actor=expert.user if event is DeploymentEvent.ACCEPT else officer,
                               now=T0)
    expert.name = "Marta\r\nX-INJECTED-EXPERT:1"
    action.name = "Peru\nX-INJECTED-ACTION:1\u2028"
    workshop.title = "Workshop\nBEGIN:VTODO\nEND:VTODO"
    workshop.city = "Lima\x0b\x1b\nLOCATION:Nowhere"  # (PostgreSQL stores no NUL)
    expert.calendar_token, action.calendar_token = "e" * 32, "a" * 32
    db.commit()

    for url, name in ((f"/calendar/experts/{'e' * 32}.ics", "Marta X-INJECTED-EXPERT:1"),
                      (f"/calendar/actions/{'a' * 32}.ics", "Peru X-INJECTED-ACTION:1")):
        response = client.get(url)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        calendar = Calendar.from_ical(response.data)
        assert str(calendar["X-WR-CALNAME"]) == f"Peerflow — {name}"
        assert not any(key.startswith("X-INJECTED") for key in calendar)
        events = calendar.walk("VEVENT")
        assert len(events) == 1 and not calendar.walk("VTODO")
        assert not any(key.startswith("X-INJECTED") for key in events[0])
        assert [str(v) for v in events[0].get("LOCATION", [])] != ["Nowhere"]
        assert "Workshop BEGIN:VTODO END:VTODO" in str(events[0]["SUMMARY"])
        for line in body.split("\r\n"):  # every content line is a property of ours (or a fold of one)
            assert line == "" or line.startswith(" ") or line.split(":")[0].split(";")[0] in {
                "BEGIN", "END", "PRODID", "VERSION", "CALSCALE", "METHOD", "X-WR-CALNAME", "UID", "DTSTAMP",
                "LAST-MODIFIED", "SUMMARY", "DTSTART", "DTEND", "LOCATION", "DESCRIPTION", "URL", "STATUS"}, line
