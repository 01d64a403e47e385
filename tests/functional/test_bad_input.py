"""Bad input gets a clear answer and writes nothing: never a 500, never half a write."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action
from workflow.activities.models import Activity, Deliverable
from workflow.requests.lifecycle import RequestStatus
from workflow.requests.models import Request

from ..factories import make_action, make_activity, make_request, theme
from ..unit.test_uploads import PDF_BYTES


def count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


@pytest.fixture()
def as_requester(login_as, requester_pe):
    return login_as(requester_pe)


def new_request_data(db, **overrides):
    data = {"title": "Support on victim identification", "thematic_area_id": str(theme(db).id),
            "description": "Peers on victim identification for the regional working groups.", "desired_start": "",
            "form_key": "key-1"}
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "", "This field is required."),
        ("description", "   ", "This field is required."),
        ("title", "x" * 100_000, "Field cannot be longer than 200 characters."),
        ("description", "y" * 100_000, "Field cannot be longer than 20000 characters."),
        ("thematic_area_id", "not-a-number", "Invalid Choice: could not coerce."),
        ("thematic_area_id", "999999", "Not a valid choice"),
        ("desired_start", "31/31/2026", "Not a valid date value."),
    ],
)
def test_a_bad_request_form_re_renders_with_the_field_message_and_saves_nothing(
    db, as_requester, post, field, value, message
):
    response = post("/requests/new", new_request_data(db, **{field: value}))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert 'aria-invalid="true"' in html
    assert count(db, Request) == 0


def test_what_was_typed_is_kept_when_the_form_is_refused(db, as_requester, post):
    html = post("/requests/new", new_request_data(db, title="")).get_data(as_text=True)
    assert "Peers on victim identification for the regional working groups." in html


def test_a_double_submitted_request_is_saved_once(db, as_requester, post):
    first = post("/requests/new", new_request_data(db))
    second = post("/requests/new", new_request_data(db))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db, Request) == 1


def test_a_stale_request_edit_is_refused_and_the_newer_text_kept(db, as_requester, post, requester_pe):
    request = make_request(db, requester_pe)
    post(f"/requests/{request.id}/edit", {**new_request_data(db, title="First edit"), "version": "1"})
    response = post(f"/requests/{request.id}/edit", {**new_request_data(db, title="Stale edit"), "version": "1"})
    assert response.status_code == 200
    assert "Someone changed this request" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Request, request.id).title == "First edit"


def test_a_submitted_request_cannot_be_edited(db, as_requester, post, requester_pe, officer):
    request = make_request(db, requester_pe, RequestStatus.SUBMITTED, officer)
    response = post(f"/requests/{request.id}/edit", {**new_request_data(db, title="Changed"), "version": "2"})
    assert "Only a draft" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Request, request.id).title != "Changed"


def test_submitting_twice_is_answered_not_repeated(db, as_requester, post, requester_pe):
    request = make_request(db, requester_pe)
    post(f"/requests/{request.id}/events/submit")
    response = post(f"/requests/{request.id}/events/submit", follow_redirects=True)
    assert "not possible while the status is &#39;submitted&#39;" in response.get_data(as_text=True)
    db.expire_all()
    assert len(db.get(Request, request.id).transitions) == 2  # draft, submitted: no second row


def test_declining_without_a_reason_is_refused(db, login_as, post, requester_pe, officer):
    request = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer)
    login_as(officer)
    response = post(f"/requests/{request.id}/events/decline", {"reason": " "}, follow_redirects=True)
    assert "Declining a request needs a reason." in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Request, request.id).status is RequestStatus.UNDER_REVIEW


@pytest.mark.parametrize("url", ["/requests/999999", "/actions/999999", "/activities/999999", "/requests/abc",
                                 "/actions/-1", "/deliverables/424242/file", "/actions/999999/activities/new"])
def test_unknown_ids_answer_404(login_as, officer, client, url):
    login_as(officer)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("query", ["page=abc", "page=-5&per_page=100000", "year=abc", "status=bogus", "region=nowhere",
                                   "sort=password&dir=sideways", "q=" + "z" * 5000, "country=<script>"])
def test_unreadable_list_filters_never_give_a_500(login_as, officer, client, query):
    login_as(officer)
    assert client.get(f"/actions/?{query}").status_code == 200


# --- Activities ------------------------------------------------------------------------------


def activity_data(**overrides):
    data = {"kind": "workshop", "title": "Workshop on victim assistance", "city": "Lima", "country_code": "PE",
            "start_date": "2027-03-01", "end_date": "2027-03-03", "languages": ["es"], "form_key": "act-1",
            "slots-0-role": "expert", "slots-0-thematic_area_id": "", "slots-0-language": "", "slots-0-places": "1"}
    data.update(overrides)
    return data


@pytest.fixture()
def action(db, officer, peru):
    return make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"end_date": "2027-02-27"}, "The end date is before the start date."),
        ({"start_date": "tomorrow"}, "Not a valid date value."),
        ({"city": "", "country_code": ""}, "Give the city and country, or mark the activity as remote."),
        ({"languages": []}, "This field is required."),
        ({"kind": "party"}, "Not a valid choice"),
        ({"title": "t" * 100_000}, "Field cannot be longer than 200 characters."),
        ({"slots-0-thematic_area_id": "1", "slots-0-places": "many"}, "Not a valid integer value."),
        ({"slots-0-thematic_area_id": "1", "slots-0-places": "500"}, "Number must be between 1 and 50."),
    ],
)
def test_a_bad_activity_is_refused_with_a_field_message(db, login_as, post, officer, action, overrides, message):
    login_as(officer)
    response = post(f"/actions/{action.id}/activities/new", activity_data(**overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(db, Activity) == 0


def test_an_activity_with_slots_is_planned_once_even_if_posted_twice(db, login_as, post, officer, action):
    login_as(officer)
    data = activity_data(**{"slots-0-thematic_area_id": str(theme(db).id), "slots-0-language": "es"})
    assert post(f"/actions/{action.id}/activities/new", data).status_code == 302
    assert post(f"/actions/{action.id}/activities/new", data).status_code == 302
    assert count(db, Activity) == 1
    activity = db.scalar(select(Activity))
    assert [(s.role.value, s.language, s.places) for s in activity.slots] == [("expert", "es", 1)]


def test_postponing_keeps_the_old_dates_in_the_history(db, login_as, post, officer, action):
    activity = make_activity(db, action, officer, start=date(2027, 3, 1))
    login_as(officer)
    response = post(f"/activities/{activity.id}/postpone", {"start_date": "2027-05-10", "end_date": "2027-05-12",
                                                            "reason": "Minister unavailable", "version": "1"})
    assert response.status_code == 302
    db.expire_all()
    activity = db.get(Activity, activity.id)
    assert (activity.start_date, activity.status.value) == (date(2027, 5, 10), "postponed")
    last = activity.transitions[-1]
    assert (last.previous_start, last.previous_end, last.reason) == (date(2027, 3, 1), date(2027, 3, 3),
                                                                     "Minister unavailable")


def test_a_stale_activity_event_changes_nothing(db, login_as, post, officer, action):
    activity = make_activity(db, action, officer)
    login_as(officer)
    post(f"/activities/{activity.id}/events/confirm", {"version": "1"})
    response = post(f"/activities/{activity.id}/events/cancel", {"version": "1", "reason": "x"}, follow_redirects=True)
    assert "changed since you opened" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Activity, activity.id).status.value == "confirmed"


def test_delivering_an_activity_before_it_starts_is_refused(db, login_as, post, officer, action):
    activity = make_activity(db, action, officer, start=date(2027, 3, 1))
    login_as(officer)
    response = post(f"/activities/{activity.id}/events/deliver", {"version": "1"}, follow_redirects=True)
    assert "only once it has started" in response.get_data(as_text=True)


def test_a_negative_participant_count_is_refused(db, login_as, post, officer, action, clock):
    activity = make_activity(db, action, officer, start=date(2026, 3, 2))
    login_as(officer)
    post(f"/activities/{activity.id}/events/deliver", {"version": "1"})
    response = post(f"/activities/{activity.id}/report", {"summary": "ok", "participants_female": "-3",
                                                          "participants_male": "4", "participants_other": "0",
                                                          "version": "2"})
    assert "Number must be between 0 and 1000000." in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Activity, activity.id).status.value == "delivered"


# --- Uploads ---------------------------------------------------------------------------------


def deliverable_data(file_bytes, name="handbook.pdf", **overrides):
    data = {"kind": "handbook", "title": "Monitoring and evaluation handbook", "language": "es", "form_key": "del-1",
            "file": (io.BytesIO(file_bytes), name)}
    data.update(overrides)
    return data


def test_a_pdf_deliverable_is_stored_and_downloadable(db, login_as, post, client, officer, action, upload_dir):
    login_as(officer)
    response = post(f"/actions/{action.id}/deliverables/new", deliverable_data(PDF_BYTES),
                    content_type="multipart/form-data")
    assert response.status_code == 302
    deliverable = db.scalar(select(Deliverable))
    assert deliverable.content_type == "application/pdf" and deliverable.size_bytes == len(PDF_BYTES)
    assert (upload_dir / deliverable.stored_name).exists()
    download = client.get(f"/deliverables/{deliverable.id}/file")
    assert download.status_code == 200 and download.data == PDF_BYTES


def test_an_executable_named_pdf_is_refused_and_nothing_is_kept(db, login_as, post, officer, action, upload_dir):
    before = set(upload_dir.iterdir())
    login_as(officer)
    response = post(f"/actions/{action.id}/deliverables/new", deliverable_data(b"MZ\x90\x00" * 100, "report.pdf"),
                    content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Only PDF, Word (DOCX) and OpenDocument text (ODT) files are accepted." in response.get_data(as_text=True)
    assert count(db, Deliverable) == 0
    assert set(upload_dir.iterdir()) == before


def test_a_file_just_over_20_mb_gets_a_field_message(db, login_as, post, officer, action, upload_dir):
    before = set(upload_dir.iterdir())
    login_as(officer)
    big = PDF_BYTES + b"0" * (20 * 1024 * 1024)
    response = post(f"/actions/{action.id}/deliverables/new", deliverable_data(big),
                    content_type="multipart/form-data")
    assert response.status_code == 200
    assert "larger than the limit of 20 MB" in response.get_data(as_text=True)
    assert count(db, Deliverable) == 0
    assert set(upload_dir.iterdir()) == before


def test_a_far_larger_body_is_refused_with_413(db, login_as, post, officer, action):
    login_as(officer)
    huge = b"%PDF-" + b"0" * (23 * 1024 * 1024)
    response = post(f"/actions/{action.id}/deliverables/new", deliverable_data(huge),
                    content_type="multipart/form-data")
    assert response.status_code == 413
    assert "at most 20 MB" in response.get_data(as_text=True)
    assert count(db, Deliverable) == 0


def test_neither_file_nor_link_is_refused(db, login_as, post, officer, action):
    login_as(officer)
    data = deliverable_data(b"")
    data.pop("file")
    response = post(f"/actions/{action.id}/deliverables/new", data, content_type="multipart/form-data")
    assert "Upload the file or give a link to it." in response.get_data(as_text=True)
    assert count(db, Deliverable) == 0


def test_another_institutions_requester_cannot_download(db, login_as, post, client, officer, action, requester_bo):
    login_as(officer)
    post(f"/actions/{action.id}/deliverables/new", deliverable_data(PDF_BYTES), content_type="multipart/form-data")
    deliverable = db.scalar(select(Deliverable))
    login_as(requester_bo)
    assert client.get(f"/deliverables/{deliverable.id}/file").status_code == 404


def test_an_action_name_taken_by_another_is_refused_on_edit(db, login_as, post, officer, action):
    other = make_action(db, officer, country="MX")
    login_as(officer)
    response = post(f"/actions/{other.id}/edit", {"name": action.name, "title": "t", "thematic_area_id": str(theme(db).id),
                                                  "planned_start": "2026-01-01", "version": str(other.version)})
    assert "already exists" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Action, other.id).name == "Mexico"


def test_a_cancelled_action_takes_no_deliverable(db, login_as, post, officer, peru):
    cancelled = make_action(db, officer, status=ActionStatus.CANCELLED, beneficiary=peru)
    login_as(officer)
    response = post(f"/actions/{cancelled.id}/deliverables/new", deliverable_data(PDF_BYTES),
                    content_type="multipart/form-data")
    assert "cancelled; it takes no deliverables" in response.get_data(as_text=True)
    assert count(db, Deliverable) == 0


def test_a_closed_action_still_takes_a_late_publication(db, login_as, post, officer, peru):
    closed = make_action(db, officer, status=ActionStatus.CLOSED, beneficiary=peru)
    login_as(officer)
    response = post(f"/actions/{closed.id}/deliverables/new", deliverable_data(PDF_BYTES),
                    content_type="multipart/form-data")
    assert response.status_code == 302
    assert count(db, Deliverable) == 1
