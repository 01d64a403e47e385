"""The mission pages: logistics and checklist, the letters as PDFs, claims with receipts; who sees what;
bad receipts and amounts as field messages that change nothing."""

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from pypdf import PdfReader
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.finance.rates import add_allowance_rate, add_fee_rate
from workflow.missions.lifecycle import ClaimStatus
from workflow.missions.models import ClaimItem, ExpenseClaim, LetterAcceptance, MissionLogistics

from ..factories import make_action, make_expert, make_staffed_activity, make_user

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture()
def mission(db, officer, peru):
    """A confirmed mission of a Spanish official (Spain's focal point sees it) under rates that price it."""
    admin = make_user(db, Role.ADMIN)
    add_allowance_rate(db, country_code="PE", daily_eur="180", effective_from=date(2026, 1, 1), actor=admin, now=NOW)
    add_fee_rate(db, expert_type="ms_official", daily_eur="300", effective_from=date(2026, 1, 1), actor=admin, now=NOW)
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Workshop on border checks")
    user = make_user(db, Role.EXPERT)
    expert = make_expert(db, name="Lucía Herrera", country="ES", user=user)
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    deployment.release_approved_at, deployment.release_approved_by_id = NOW, admin.id
    for event, actor in ((DeploymentEvent.INVITE, officer), (DeploymentEvent.ACCEPT, user),
                         (DeploymentEvent.CONFIRM, officer)):
        apply_deployment_event(db, deployment, event, actor=actor, now=NOW)
    db.commit()
    return deployment, user


def test_staff_book_the_travel_and_the_focal_point_sees_it_without_amounts(db, login_as, post, officer, mission):
    deployment, _user = mission
    page = f"/deployments/{deployment.id}/mission"
    login_as(officer)
    response = post(f"{page}/logistics", {"outbound_date": "2027-02-28", "outbound_route": "MAD → LIM",
                                          "outbound_booking": "QX7Y2Z", "outbound_cost_eur": "1240.50",
                                          "visa_status": "not_needed"}, token_page=page, follow_redirects=True)
    assert response.status_code == 200 and "MAD → LIM" in response.get_data(as_text=True)
    assert db.scalar(select(MissionLogistics.outbound_cost_eur)) is not None
    login_as(make_user(db, Role.MS_FOCAL_POINT, country="ES"))
    html = login_as(make_user(db, Role.MS_FOCAL_POINT, country="ES")).get(page).get_data(as_text=True)
    assert "MAD → LIM" in html and "1,240.50" not in html and "Letter of assignment" not in html


def test_a_bad_logistics_amount_is_a_field_message_that_saves_nothing(db, login_as, post, officer, mission):
    deployment, _user = mission
    page = f"/deployments/{deployment.id}/mission"
    login_as(officer)
    for bad in ({"outbound_cost_eur": "-4"}, {"return_cost_eur": "abc"}, {"visa_status": "granted"}):
        response = post(f"{page}/logistics", {"visa_status": "not_needed", **bad}, token_page=page)
        assert response.status_code == 422 and "is-invalid" in response.get_data(as_text=True), bad
    assert db.scalars(select(MissionLogistics)).all() == []


def test_the_expert_reads_their_letter_as_a_pdf_and_accepts_it(db, login_as, post, client, mission):
    deployment, user = mission
    login_as(user)
    response = client.get(f"/deployments/{deployment.id}/letters/assignment.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Lucía Herrera" in text and "Workshop on border checks" in text
    # In the expert's language, which the file's name tells: the heading and the terms of reference.
    language = response.headers["Content-Disposition"].rsplit("-", 1)[1].split(".")[0]
    assert language in ("en", "es", "fr")
    with client.application.test_request_context(), force_locale(language):  # force_locale needs a request
        assert gettext("Letter of assignment") in text and gettext("Terms of reference") in text
    html = client.get(f"/deployments/{deployment.id}/mission").get_data(as_text=True)
    version = html.split('name="version" type="hidden" value="')[1].split('"')[0]
    post(f"/deployments/{deployment.id}/letters/assignment/accept", {"version": version},
         token_page=f"/deployments/{deployment.id}/mission")
    acceptance = db.scalar(select(LetterAcceptance))
    assert acceptance.version == version and acceptance.accepted_by_id == user.id


def test_another_expert_sees_nothing_of_the_mission(db, login_as, client, post, mission):
    deployment, user = mission
    login_as(user)
    post(f"/deployments/{deployment.id}/claims", token_page=f"/deployments/{deployment.id}/mission")
    claim = db.scalar(select(ExpenseClaim))
    other = make_user(db, Role.EXPERT)
    make_expert(db, name="Jeanne Martin", country="FR", user=other)
    login_as(other)
    for url in (f"/deployments/{deployment.id}/mission", f"/deployments/{deployment.id}/letters/assignment.pdf",
                f"/claims/{claim.id}"):
        assert client.get(url).status_code == 404, url
    response = post(f"/deployments/{deployment.id}/claims")
    assert response.status_code == 404 and db.scalars(select(ExpenseClaim.id)).all() == [claim.id]
    response = post(f"/claims/{claim.id}/items", {"description": "Taxi", "amount": "10", "currency": "EUR",
                                                   "category": "travel"})
    assert response.status_code == 404 and db.scalars(select(ClaimItem)).all() == []


def _claim(db, login_as, post, deployment, user) -> ExpenseClaim:
    login_as(user)
    post(f"/deployments/{deployment.id}/claims", token_page=f"/deployments/{deployment.id}/mission")
    return db.scalar(select(ExpenseClaim))


def _status(db, claim) -> ClaimStatus:
    return db.scalar(select(ExpenseClaim.status).where(ExpenseClaim.id == claim.id))


def test_a_receipt_of_the_wrong_type_or_size_is_a_field_error(app, db, login_as, post, mission, monkeypatch):
    deployment, user = mission
    claim = _claim(db, login_as, post, deployment, user)
    item = {"description": "Taxi to the ministry", "amount": "25", "currency": "EUR", "category": "travel"}
    url = f"/claims/{claim.id}/items"
    response = post(url, {**item, "file": (io.BytesIO(b"MZ\x90\x00not a receipt"), "taxi.pdf")},
                    token_page=f"/claims/{claim.id}", content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Only PDF, JPEG and PNG files are accepted." in html
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024 * 1024)
    response = post(url, {**item, "file": (io.BytesIO(PDF + b"0" * (1024 * 1024)), "big.pdf")},
                    token_page=f"/claims/{claim.id}", content_type="multipart/form-data")
    assert response.status_code == 422 and "larger than the limit" in response.get_data(as_text=True)
    assert db.scalars(select(ClaimItem)).all() == []
    assert not [p for p in Path(app.config["UPLOAD_DIR"]).glob("*") if p.name.startswith(".partial")]
    response = post(url, {**item, "file": (io.BytesIO(PNG), "taxi.png")}, token_page=f"/claims/{claim.id}",
                    content_type="multipart/form-data", follow_redirects=True)
    stored = db.scalar(select(ClaimItem))
    assert stored.receipt_content_type == "image/png" and stored.receipt_file_name == "taxi.png"


def test_the_claim_goes_to_the_officer_and_back_and_the_expert_sees_its_state(db, login_as, post, client, officer,
                                                                              mission):
    deployment, user = mission
    claim = _claim(db, login_as, post, deployment, user)
    post(f"/claims/{claim.id}/items", {"description": "Bus", "amount": "-3", "currency": "EUR", "category": "travel"},
         token_page=f"/claims/{claim.id}")
    assert db.scalars(select(ClaimItem)).all() == []
    post(f"/claims/{claim.id}/items", {"description": "Bus", "amount": "12.40", "currency": "EUR",
                                       "category": "travel"}, token_page=f"/claims/{claim.id}")
    post(f"/claims/{claim.id}/events/submit", token_page=f"/claims/{claim.id}")
    assert _status(db, claim) is ClaimStatus.SUBMITTED
    login_as(officer)
    assert "Approve or return the expense claim" in client.get("/home").get_data(as_text=True)
    post(f"/claims/{claim.id}/events/return", {"reason": "Add the bus ticket."}, token_page=f"/claims/{claim.id}")
    assert _status(db, claim) is ClaimStatus.RETURNED
    login_as(user)
    html = client.get(f"/deployments/{deployment.id}/mission").get_data(as_text=True)
    assert "Returned" in html
    assert "Add the bus ticket." in client.get(f"/claims/{claim.id}").get_data(as_text=True)


def test_staff_make_a_certificate_of_attendance(db, login_as, client, officer, mission):
    deployment, _user = mission
    login_as(officer)
    response = client.get(f"/activities/{deployment.activity_id}/papers",
                          query_string={"kind": "certificate", "name": "Ana Quispe", "institution": "Migraciones",
                                        "language": "es"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Ana Quispe" in text and "Migraciones" in text and "Workshop on border checks" in text
    response = client.get(f"/activities/{deployment.activity_id}/papers", query_string={"kind": "certificate"})
    assert response.status_code == 422 and "is-invalid" in response.get_data(as_text=True)
