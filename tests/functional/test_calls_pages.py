"""Calls for experts through the pages: preview and send (counted at a real SMTP server), answers, proposals,
the officer's board and its buttons, and bad input."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from workflow.calls.models import Call, CallAnswer, CallRecipient, FocalProposal
from workflow.calls.services import answer_token, send_call
from workflow.deployments.models import Deployment

from ..integration import test_calls as integration
from .conftest import TOKEN, csrf_token

pytest_plugins = ["tests.smtp"]

NOW, SECRET, draft_for = integration.NOW, integration.SECRET, integration.draft_for
roster = integration.roster  # the Mexico workshop and its roster, as the integration tests build them

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PREVIEWED = re.compile(r'name="previewed"[^>]*value="([^"]*)"')
FORM_KEY = re.compile(r'name="form_key"[^>]*value="([^"]*)"')


@pytest.fixture()
def mail_to(app, smtp_server, monkeypatch):
    """The app's mail goes to the test SMTP server."""
    monkeypatch.setitem(app.config, "SMTP_HOST", smtp_server.host)
    monkeypatch.setitem(app.config, "SMTP_PORT", smtp_server.port)
    return smtp_server


def _count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def _filters(activity, **changes) -> dict:
    slot = activity.slots[0]
    data = {"slot_id": slot.id, "thematic_area_id": slot.thematic_area_id, "language": "es",
            "member_states": ["ES", "PT"], "available_only": "y", "include_focal_points": "y",
            "message": "We need two trainers on victim identification.", "answer_deadline": "2027-01-25"}
    return {**data, **changes}


def _preview(client, activity, **changes):
    """Open the page, then ask for the preview of these filters; the page and the form it carries."""
    url = f"/activities/{activity.id}/calls/new"
    page = client.get(url).get_data(as_text=True)
    data = {**_filters(activity, **changes), "csrf_token": TOKEN.search(page).group(1),
            "form_key": FORM_KEY.search(page).group(1), "preview": "1"}
    shown = client.post(url, data=data)
    assert shown.status_code == 200
    html = shown.get_data(as_text=True)
    return html, {**data, "previewed": PREVIEWED.search(html).group(1)}


def _send(client, activity, data):
    form = {k: v for k, v in data.items() if k != "preview"}
    return client.post(f"/activities/{activity.id}/calls/new", data={**form, "send": "1"})


def test_a_call_for_mexico_reaches_exactly_the_filtered_experts_and_focal_points_and_never_twice(
        db, roster, officer, login_as, clock, mail_to):
    """The acceptance test of issue #7: counted at a real SMTP server; a second send to the same people is refused."""
    activity, people, focal = roster
    assert activity.country_code == "MX"
    clock.set(NOW)
    client = login_as(officer)
    html, data = _preview(client, activity)
    assert "4 people" in html and "Ana Sánchez" in html and "Rui Costa" in html
    for left_out in ("Greta Braun", "Carmen Vidal", "Luis Mora", "Elena Gil", "Pablo Ruiz", "John Smith"):
        assert left_out not in html

    sent = _send(client, activity, data)
    assert sent.status_code == 302 and "/calls/" in sent.headers["Location"]
    expected = {people["es"].email, people["pt"].email, focal["ES"].email, focal["PT"].email}
    assert sorted(m.to for m in mail_to.messages) == sorted(expected)  # exactly these, once each
    assert all("Workshop on victim identification" in m.subject for m in mail_to.messages)

    # The same form posted again (a double click, the back button) is recognised: nothing more is sent.
    again = _send(client, activity, data)
    assert again.status_code == 302 and _count(db, Call) == 1
    # A new call to the same people is refused, naming them.
    html, data = _preview(client, activity)
    refused = _send(client, activity, data)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "already reached by an open call" in text
    assert "Ana Sánchez" in text and "Rui Costa" in text
    assert _count(db, Call) == 1 and len(mail_to.messages) == 4


def test_sending_with_filters_other_than_the_preview_shows_the_new_preview_first(db, roster, officer, login_as,
                                                                                clock, mail_to):
    activity, _people, _focal = roster
    clock.set(NOW)
    client = login_as(officer)
    _html, data = _preview(client, activity)
    changed = _send(client, activity, {**data, "member_states": ["ES", "PT", "DE"]})
    text = changed.get_data(as_text=True)
    assert changed.status_code == 200 and "The filters changed since the preview" in text and "Greta Braun" in text
    assert _count(db, Call) == 0 and mail_to.messages == []


def test_a_call_with_nobody_to_reach_cannot_be_sent(db, roster, officer, login_as, clock, mail_to):
    activity, _people, _focal = roster
    clock.set(NOW)
    html, data = _preview(login_as(officer), activity, member_states=["FI"], include_focal_points="")
    assert "Nobody to send it to" in html and re.search(r'name="send"[^>]*disabled', html)
    refused = _send(login_as(officer), activity, data)
    assert "no expert or focal point matches" in refused.get_data(as_text=True)
    assert _count(db, Call) == 0


@pytest.mark.parametrize("changes", [
    {"member_states": ["ZZ", "<script>"], "slot_id": "abc", "thematic_area_id": "99999999999999"},
    {"language": "xx", "answer_deadline": "next week"},
    {"message": "x" * 6000},
    {"slot_id": "2147483647"},
])
def test_bad_input_on_the_call_form_is_answered_without_an_error_or_a_write(db, roster, officer, login_as, clock,
                                                                            changes):
    activity, _people, _focal = roster
    clock.set(NOW)
    client = login_as(officer)
    _html, data = _preview(client, activity)
    response = _send(client, activity, {**data, **changes})
    assert response.status_code == 200
    assert _count(db, Call) == 0


def test_the_activity_page_lists_its_calls(db, roster, officer, login_as, clock):
    activity, _people, _focal = roster
    clock.set(NOW)
    call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    db.commit()
    html = login_as(officer).get(f"/activities/{activity.id}").get_data(as_text=True)
    assert f"/calls/{call.id}" in html and f"/activities/{activity.id}/calls/new" in html


# --- Answers --------------------------------------------------------------------------------------


@pytest.fixture()
def sent_call(db, roster, officer, clock):
    activity, people, focal = roster
    clock.set(NOW)
    call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
    db.commit()
    rui = next(r for r in call.recipients if r.expert_id == people["pt"].id)
    return call, people, focal, answer_token(SECRET, rui.token_salt)


def _token_form(client, url: str) -> str:
    return TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def test_an_expert_without_an_account_answers_at_the_link_with_an_updated_cv(db, client, sent_call, app):
    call, people, _focal, token = sent_call
    url = f"/calls/answer/{token}"
    page = client.get(url)
    assert page.status_code == 200 and "Rui Costa" in page.get_data(as_text=True)
    answered = client.post(url, data={"csrf_token": _token_form(client, url), "answer": "interested",
                                      "note": "Free in March.", "file": (io.BytesIO(PDF), "cv.pdf")},
                           content_type="multipart/form-data")
    assert answered.status_code == 302
    row = db.scalar(select(CallAnswer))
    assert (row.answer.value, row.note, row.cv_file_name) == ("interested", "Free in March.", "cv.pdf")
    assert (Path(app.config["UPLOAD_DIR"]) / row.cv_stored_name).exists()
    # Changed before the deadline; the earlier CV stays until a new one replaces it.
    client.post(url, data={"csrf_token": _token_form(client, url), "answer": "not_available", "note": ""})
    db.expire_all()
    assert db.scalar(select(CallAnswer)).answer.value == "not_available"


def test_a_cv_that_is_not_a_document_is_refused_and_nothing_is_kept(db, client, sent_call, app):
    _call, _people, _focal, token = sent_call
    url = f"/calls/answer/{token}"
    before = set(Path(app.config["UPLOAD_DIR"]).iterdir())
    refused = client.post(url, data={"csrf_token": _token_form(client, url), "answer": "interested",
                                     "file": (io.BytesIO(b"MZ\x90\x00 not a CV"), "cv.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "Only PDF" in refused.get_data(as_text=True)
    assert _count(db, CallAnswer) == 0 and set(Path(app.config["UPLOAD_DIR"]).iterdir()) == before


@pytest.mark.parametrize("token", ["no-such-link", "x" * 500])
def test_an_unknown_answer_link_is_not_found(client, sent_call, token):
    assert client.get(f"/calls/answer/{token}").status_code == 404


def test_after_the_deadline_the_link_takes_no_answer(db, client, sent_call, clock):
    call, _people, _focal, token = sent_call
    clock.set(call.answer_deadline + timedelta(minutes=1))
    url = f"/calls/answer/{token}"
    assert "takes no more answers" in client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"csrf_token": csrf_token(client, "/login"), "answer": "interested"})
    assert refused.status_code == 422 and _count(db, CallAnswer) == 0


def test_an_expert_answers_in_their_portal(db, sent_call, login_as):
    call, people, _focal, _token = sent_call
    client = login_as(people["es"].user)
    portal = client.get("/me").get_data(as_text=True)
    assert f"/calls/{call.id}/answer" in portal and "Are you free for this workshop?" in portal
    done = client.post(f"/calls/{call.id}/answer", data={"csrf_token": TOKEN.search(portal).group(1),
                                                        "answer": "interested", "note": "Yes"})
    assert done.status_code == 302
    assert db.scalar(select(CallAnswer)).answered_by_id == people["es"].user_id
    bad = client.post(f"/calls/{call.id}/answer", data={"csrf_token": TOKEN.search(portal).group(1),
                                                       "answer": "maybe"})
    assert bad.status_code == 302 and db.scalar(select(CallAnswer)).answer.value == "interested"


# --- Focal points and the officer -----------------------------------------------------------------


def test_a_focal_point_proposes_an_expert_of_their_state_only(db, sent_call, login_as):
    call, people, focal, _token = sent_call
    client = login_as(focal["ES"])
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Pablo Ruiz" in page and "Greta Braun" not in page
    token = TOKEN.search(page).group(1)
    other_state = client.post(f"/calls/{call.id}/proposals", data={"csrf_token": token,
                                                                   "expert_id": people["de"].id})
    assert other_state.status_code == 422 and _count(db, FocalProposal) == 0
    done = client.post(f"/calls/{call.id}/proposals", data={"csrf_token": token, "expert_id": people["es_border"].id,
                                                            "note": "Also knows THB."})
    assert done.status_code == 302 and db.scalar(select(FocalProposal)).expert_id == people["es_border"].id
    assert login_as(focal["DE"]).get(f"/calls/{call.id}").status_code == 404  # not reached by this call


def test_the_officer_sees_answers_beside_scores_and_invites_from_there(db, sent_call, login_as, officer):
    call, people, focal, token = sent_call
    slot_id = call.activity.slots[0].id
    client = login_as(officer)
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    client.post(f"/calls/answer/{token}", data={"csrf_token": TOKEN.search(page).group(1), "answer": "interested"})
    page = login_as(officer).get(f"/calls/{call.id}").get_data(as_text=True)
    assert page.index("Rui Costa") < page.index("Ana Sánchez")  # interested first
    assert "badge text-bg-primary" in page and 'data-confirm="' in page
    invited = client.post(f"/calls/{call.id}/invite", data={"csrf_token": TOKEN.search(page).group(1),
                                                            "expert_id": people["pt"].id, "slot_id": slot_id})
    assert invited.status_code == 302
    assert db.scalar(select(Deployment).where(Deployment.expert_id == people["pt"].id)).status.value == "invited"
    stranger = client.post(f"/calls/{call.id}/invite", data={"csrf_token": TOKEN.search(page).group(1),
                                                             "expert_id": people["de"].id, "slot_id": slot_id})
    assert stranger.status_code == 404


def test_standing_a_call_down_stops_answers(db, sent_call, login_as, officer, client):
    call, _people, _focal, token = sent_call
    page = login_as(officer).get(f"/calls/{call.id}").get_data(as_text=True)
    done = client.post(f"/calls/{call.id}/events/stand_down", data={"csrf_token": TOKEN.search(page).group(1),
                                                                    "version": call.version, "reason": "Moved online"})
    assert done.status_code == 302
    db.expire_all()
    assert db.get(Call, call.id).status.value == "stood_down"
    assert db.scalar(select(func.count()).select_from(CallRecipient).where(
        CallRecipient.open_activity_id.is_not(None))) == 0
    stale = client.post(f"/calls/{call.id}/events/close", data={"csrf_token": TOKEN.search(page).group(1),
                                                                "version": call.version})
    assert stale.status_code == 302 and db.get(Call, call.id).status.value == "stood_down"
    assert client.post(f"/calls/{call.id}/events/explode", data={"csrf_token": TOKEN.search(page).group(1),
                                                                 "version": 2}).status_code == 404
