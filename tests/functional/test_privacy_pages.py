"""The privacy pages through the test client: the notice, consent, the export download, erasure."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.core.uploads import store_upload
from workflow.experts.models import Consent, Expert
from workflow.privacy.models import Erasure
from workflow.privacy.services import NOTICE_VERSION

from ..factories import make_expert, make_user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture()
def expert(db):
    return make_expert(db, name="Lucía Herrera", user=make_user(db, Role.EXPERT))


@pytest.fixture()
def admin(db):
    return make_user(db, Role.ADMIN)


# --- The notice ------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "heading"), [
    ("en", "Who is responsible for your data"),
    ("es", "Quién es responsable de sus datos"),
    ("fr", "Qui est responsable de vos données"),
])
def test_the_privacy_notice_is_public_in_three_languages(client, lang, heading):
    page = client.get(f"/privacy?lang={lang}").get_data(as_text=True)
    assert heading in page
    assert NOTICE_VERSION in page
    assert "365" in page  # the retention period, from the configuration


def test_every_page_links_to_the_notice(client):
    assert 'href="/privacy"' in client.get("/catalogue/").get_data(as_text=True)


# --- Consent ---------------------------------------------------------------------------------


def test_the_expert_gives_and_withdraws_consent_on_their_page(db, client, login_as, post, expert):
    login_as(expert.user)
    page = client.get("/privacy/consent").get_data(as_text=True)
    assert "You have not given your consent yet." in page

    response = post("/privacy/consent/give", token_page="/privacy/consent", follow_redirects=True)
    assert "Thank you: your consent is recorded." in response.get_data(as_text=True)
    page = client.get("/privacy/consent").get_data(as_text=True)
    assert "Withdraw my consent" in page and 'data-confirm="' in page

    response = post("/privacy/consent/withdraw", token_page="/privacy/consent", follow_redirects=True)
    assert "you will not be proposed for new deployments" in response.get_data(as_text=True)
    [consent] = db.scalars(select(Consent).where(Consent.expert_id == expert.id)).all()
    assert consent.notice_version == NOTICE_VERSION and consent.withdrawn_at is not None


def test_consent_from_the_portal_returns_to_the_portal(db, client, login_as, post, expert):
    login_as(expert.user)
    assert 'action="/privacy/consent/give"' in client.get("/me").get_data(as_text=True)
    response = post("/privacy/consent/give", {"next": "/me"}, token_page="/me")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me")
    db.expire_all()
    assert db.get(Expert, expert.id).consent_at is not None


def test_only_experts_have_a_consent_page(client, login_as, officer):
    login_as(officer)
    assert client.get("/privacy/consent").status_code == 403


# --- Export ----------------------------------------------------------------------------------


def test_the_expert_downloads_their_data_from_their_page(client, login_as, expert):
    login_as(expert.user)
    page = client.get(f"/experts/{expert.id}").get_data(as_text=True)
    assert f'href="/experts/{expert.id}/data.json"' in page and "Download my data" in page
    response = client.get(f"/experts/{expert.id}/data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f'attachment; filename="peerflow-expert-{expert.id}-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    assert json.loads(response.data)["profile"]["name"] == "Lucía Herrera"


def test_staff_export_an_experts_data_and_nobody_else_does(db, client, login_as, officer, requester_pe, expert):
    login_as(officer)
    assert client.get(f"/experts/{expert.id}/data.json").status_code == 200
    other_expert = make_expert(db, name="Other Expert", user=make_user(db, Role.EXPERT))
    focal = make_user(db, Role.MS_FOCAL_POINT, country=expert.country_code)
    for outsider in (other_expert.user, focal, requester_pe):
        login_as(outsider)
        assert client.get(f"/experts/{expert.id}/data.json").status_code == 404
    client.post("/logout")
    with client.session_transaction() as session:
        session.clear()
    assert client.get(f"/experts/{expert.id}/data.json").status_code == 302


# --- Erasure ---------------------------------------------------------------------------------


def test_an_admin_erases_an_expert_after_typing_their_name(db, client, login_as, post, admin, expert, upload_dir):
    import io

    stored = store_upload(io.BytesIO(PDF), str(upload_dir), 1024 * 1024)
    expert.cv_stored_name, expert.cv_file_name, expert.cv_content_type = stored.stored_name, "cv.pdf", "application/pdf"
    db.commit()
    login_as(admin)
    assert "Erase personal data" in client.get(f"/experts/{expert.id}").get_data(as_text=True)
    page = client.get(f"/experts/{expert.id}/erase").get_data(as_text=True)
    assert "This cannot be undone." in page and 'data-confirm="' in page

    response = post(f"/experts/{expert.id}/erase", {"confirm_name": "Lucia Herrero"},
                    token_page=f"/experts/{expert.id}/erase")
    assert response.status_code == 200
    assert "This is not the expert&#39;s name; nothing was erased." in response.get_data(as_text=True)
    assert db.scalar(select(Erasure).where(Erasure.expert_id == expert.id)) is None

    response = post(f"/experts/{expert.id}/erase", {"confirm_name": " lucía herrera "},
                    token_page=f"/experts/{expert.id}/erase", follow_redirects=True)
    assert "personal data is erased" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Expert, expert.id).name == f"Erased expert #{expert.id}"
    assert not (upload_dir / stored.stored_name).exists()
    assert "was erased on" in client.get(f"/experts/{expert.id}/erase").get_data(as_text=True)


def test_erasure_is_for_admins_only(client, login_as, officer, expert):
    for user in (officer, expert.user):
        login_as(user)
        assert client.get(f"/experts/{expert.id}/erase").status_code == 403
        assert "Erase personal data" not in client.get(f"/experts/{expert.id}").get_data(as_text=True)


def test_erasure_asks_for_the_password_again_after_a_while(app, client, clock, login_as, admin, expert):
    login_as(admin)
    clock.set(clock.now + timedelta(minutes=15))  # still signed in, but the password is no longer fresh
    response = client.get(f"/experts/{expert.id}/erase")
    with app.test_request_context():
        confirm_page = url_for("accounts.reauthenticate")
    assert response.status_code == 302 and response.headers["Location"].startswith(confirm_page + "?next=")


def test_a_refused_erasure_says_why_on_the_form(db, client, login_as, post, admin, officer, expert):
    from datetime import date

    from workflow.actions.lifecycle import ActionStatus
    from workflow.deployments.services import propose

    from ..factories import T0, make_action, make_staffed_activity

    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION)
    workshop = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Workshop in Lima")
    propose(db, workshop.slots[0], expert, actor=officer, now=T0)
    db.commit()
    login_as(admin)
    response = post(f"/experts/{expert.id}/erase", {"confirm_name": "Lucía Herrera"},
                    token_page=f"/experts/{expert.id}/erase")
    assert response.status_code == 200
    assert "deployment on an activity to come (Workshop in Lima); cancel it first." in response.get_data(as_text=True)
    assert db.scalar(select(Erasure).where(Erasure.expert_id == expert.id)) is None
