"""Signing in and staying signed in, safely: new sessions, sessions that really end, timeouts,
throttling, no account enumeration, password resets by e-mail, fresh sign-in before sensitive
actions, the admins' users pages and the settings the app refuses to start without."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from config import Config
from workflow import create_app
from workflow.accounts.models import ApiToken, PasswordReset, Role, User
from workflow.audit.models import AuditEntry, EntryKind
from workflow.extensions import db as database

from ..factories import PASSWORD, make_expert, make_user
from .conftest import csrf_token

pytest_plugins = ["tests.smtp"]

NEW_PASSWORD = "a long passphrase about peer learning"
GOOD_KEY = "9b1f3e8c2d4a6f0e1c3b5a7d9f2e4c6a8b0d1f3e5c7a9b2d4f6e8a0c2e4b6d8f"
ALERT = re.compile(r'<div class="alert alert-danger" role="alert">(.*?)</div>\s*(?:</div>)?', re.S)


@pytest.fixture(autouse=True)
def counters_in_the_database(app: Flask, monkeypatch):
    """The counters live in the test's transaction (rolled back), whatever REDIS_URL the shell has."""
    monkeypatch.setitem(app.config, "REDIS_URL", None)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **kwargs):
    token = csrf_token(client)
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password}, **kwargs)


def form_post(client: FlaskClient, url: str, data: dict | None = None, page: str = "/home", **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **(data or {})}, **kwargs)


def signed_out(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def alert(response) -> str:
    found = ALERT.search(response.get_data(as_text=True))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip() if found else ""


def alert_free_text(response) -> str:
    """The flashed answer of a page (what the reader is told)."""
    found = re.search(r'<div class="alert alert-info" role="status">(.*?)</div>', response.get_data(as_text=True))
    return found.group(1) if found else ""


def events(db, *kinds: str) -> list[AuditEntry]:
    db.expire_all()
    stmt = select(AuditEntry).where(AuditEntry.kind == EntryKind.SECURITY).order_by(AuditEntry.id)
    return [e for e in db.scalars(stmt) if not kinds or e.event in kinds]


# --- A new session at sign-in; sessions that really end -------------------------------------------


def test_signing_in_starts_a_new_session_holding_the_session_token(client, requester_pe):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    assert sign_in(client, requester_pe.email).status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{requester_pe.id}:{requester_pe.session_token}"


def test_a_cookie_replayed_after_signing_out_no_longer_works(client, db, requester_pe):
    sign_in(client, requester_pe.email)
    captured = client.get_cookie("session").value
    assert client.get("/home").status_code == 200

    assert signed_out(form_post(client, "/logout"))
    client.set_cookie("session", captured)  # the cookie as it was while signed in
    assert signed_out(client.get("/home"))
    assert [e.event for e in events(db, "login", "logout")] == ["login", "logout"]


def test_signing_out_ends_the_sessions_on_other_devices_too(app, client, requester_pe):
    other = app.test_client()
    sign_in(client, requester_pe.email)
    sign_in(other, requester_pe.email)
    assert other.get("/home").status_code == 200
    form_post(client, "/logout")
    assert signed_out(other.get("/home"))


def test_a_session_from_before_the_session_tokens_is_not_accepted(client, requester_pe):
    with client.session_transaction() as session:
        session["_user_id"] = str(requester_pe.id)  # no token: such a cookie cannot be trusted
    assert signed_out(client.get("/home"))


def test_a_password_change_keeps_this_session_and_ends_the_others(app, client, db, requester_pe):
    other = app.test_client()
    sign_in(client, requester_pe.email)
    sign_in(other, requester_pe.email)
    old_cookie = client.get_cookie("session").value

    response = form_post(client, "/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                       "confirm": NEW_PASSWORD}, page="/account")
    assert response.status_code == 302
    assert client.get("/home").status_code == 200
    assert signed_out(other.get("/home"))
    client.set_cookie("session", old_cookie)
    assert signed_out(client.get("/home"))
    assert {"password_changed", "sessions_ended"} <= {e.event for e in events(db)}

    fresh = app.test_client()
    assert sign_in(fresh, requester_pe.email, PASSWORD).status_code == 200  # the old password is refused
    assert sign_in(fresh, requester_pe.email, NEW_PASSWORD).status_code == 302


def test_a_password_change_needs_the_current_password_and_a_good_new_one(client, login_as, db, requester_pe):
    login_as(requester_pe)
    wrong = form_post(client, "/account/password", {"current_password": "not it", "new_password": NEW_PASSWORD,
                                                    "confirm": NEW_PASSWORD}, page="/account")
    assert wrong.status_code == 200 and "That is not your current password." in wrong.get_data(as_text=True)
    common = form_post(client, "/account/password", {"current_password": PASSWORD, "new_password": "Password123",
                                                     "confirm": "Password123"}, page="/account")
    html = common.get_data(as_text=True)
    assert common.status_code == 200 and "one of the most common" in html and 'aria-invalid="true"' in html
    assert client.get("/home").status_code == 200  # still signed in: nothing changed


def test_disabling_an_account_ends_its_sessions(app, client, login_as, db, requester_pe):
    victim = app.test_client()
    sign_in(victim, requester_pe.email)
    admin = make_user(db, Role.ADMIN)
    login_as(admin)
    response = form_post(client, f"/admin/users/{requester_pe.id}/active", {"active": "0"},
                         page=f"/admin/users/{requester_pe.id}")
    assert response.status_code == 302
    assert signed_out(victim.get("/home"))
    assert sign_in(app.test_client(), requester_pe.email).status_code == 200  # refused
    assert {"account_disabled", "sessions_ended"} <= {e.event for e in events(db)}


# --- Timeouts --------------------------------------------------------------------------------------


def test_a_session_ends_after_thirty_minutes_without_a_request(client, login_as, clock, requester_pe):
    login_as(requester_pe)
    start = clock.now
    for minutes in (29, 58, 87):  # each request counts as activity
        clock.set(start + timedelta(minutes=minutes))
        assert client.get("/home").status_code == 200
    clock.set(start + timedelta(minutes=87 + 31))
    assert signed_out(client.get("/home"))
    assert "30 minutes without activity" in client.get("/login").get_data(as_text=True)


def test_a_session_ends_twelve_hours_after_signing_in_however_active(client, login_as, clock, requester_pe):
    login_as(requester_pe)
    start = clock.now
    for step in range(1, 29):  # a request every 25 minutes, up to 11 h 40
        clock.set(start + timedelta(minutes=25 * step))
        assert client.get("/home").status_code == 200
    clock.set(start + timedelta(hours=12, minutes=5))
    assert signed_out(client.get("/home"))
    assert "after 12 hours" in client.get("/login").get_data(as_text=True)


# --- Throttling and no account enumeration -----------------------------------------------------------


def test_the_eleventh_failed_sign_in_for_an_account_answers_429(app, client, clock, db, requester_pe):
    unknown = sign_in(app.test_client(), "nobody@test.peerflow.org", "whatever it is",
                      environ_base={"REMOTE_ADDR": "192.0.2.200"})  # not counted against this client's address
    for _attempt in range(10):
        response = sign_in(client, requester_pe.email, "not the password")
        assert response.status_code == 200
        assert alert(response) == alert(unknown) == "That e-mail and password do not match an active account."

    throttled = sign_in(client, requester_pe.email, "not the password")
    assert throttled.status_code == 429
    assert "Too many failed attempts" in throttled.get_data(as_text=True)
    assert 0 < int(throttled.headers["Retry-After"]) <= 15 * 60
    assert sign_in(client, requester_pe.email).status_code == 429  # not even the right password now

    clock.set(clock.now + timedelta(minutes=16))
    assert sign_in(client, requester_pe.email).status_code == 302
    assert len(events(db, "login_failed")) == 11 and len(events(db, "login_throttled")) == 2


def test_the_eleventh_failure_from_one_address_answers_429_whatever_the_account(app, db, requester_pe):
    here, elsewhere = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.9"}
    client = app.test_client()
    for n in range(10):
        assert sign_in(client, f"guess{n}@test.peerflow.org", "password1", environ_base=here).status_code == 200
    assert sign_in(client, requester_pe.email, environ_base=here).status_code == 429
    assert sign_in(app.test_client(), requester_pe.email, environ_base=elsewhere).status_code == 302


def test_failures_from_a_shared_address_do_not_stop_an_account_known_there(app, db, officer, requester_pe):
    """An office behind one NAT: someone fails ten times and more at one account; a colleague who has
    signed in from that address before still signs in with the right password; others are throttled."""
    office = {"REMOTE_ADDR": "203.0.113.50"}
    colleague = app.test_client()
    assert sign_in(colleague, requester_pe.email, environ_base=office).status_code == 302
    form_post(colleague, "/logout")
    guesser = app.test_client()
    for _attempt in range(12):
        assert sign_in(guesser, officer.email, "not the password", environ_base=office).status_code in (200, 429)
    assert sign_in(guesser, officer.email, "not the password", environ_base=office).status_code == 429
    assert sign_in(colleague, requester_pe.email, environ_base=office).status_code == 302  # known-good here
    newcomer = make_user(db, Role.REQUESTER)  # never signed in from the office: its counter applies
    assert sign_in(app.test_client(), newcomer.email, environ_base=office).status_code == 429
    assert sign_in(app.test_client(), officer.email, environ_base=office).status_code == 429


def test_guessing_at_one_account_from_many_addresses_is_still_throttled(app, db, requester_pe):
    home = {"REMOTE_ADDR": "198.51.100.77"}
    assert sign_in(app.test_client(), requester_pe.email, environ_base=home).status_code == 302
    for n in range(10):  # a botnet: a new address for every guess
        response = sign_in(app.test_client(), requester_pe.email, "not the password",
                           environ_base={"REMOTE_ADDR": f"192.0.2.{100 + n}"})
        assert response.status_code == 200
    for address in ("192.0.2.120", "192.0.2.100"):  # not even the right password, from any new address
        assert sign_in(app.test_client(), requester_pe.email,
                       environ_base={"REMOTE_ADDR": address}).status_code == 429
    # The account's own user, from where they signed in before, is not locked out by the guessing.
    assert sign_in(app.test_client(), requester_pe.email, environ_base=home).status_code == 302


def test_an_account_known_at_an_address_still_has_a_limit_there(app, db, requester_pe):
    home = {"REMOTE_ADDR": "198.51.100.78"}
    client = app.test_client()
    assert sign_in(client, requester_pe.email, environ_base=home).status_code == 302
    form_post(client, "/logout")
    for _attempt in range(10):
        assert sign_in(client, requester_pe.email, "not the password", environ_base=home).status_code == 200
    assert sign_in(client, requester_pe.email, environ_base=home).status_code == 429


def test_a_success_resets_the_account_count(client, requester_pe):
    for _attempt in range(9):
        sign_in(client, requester_pe.email, "not the password", environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert sign_in(client, requester_pe.email, environ_base={"REMOTE_ADDR": "192.0.2.2"}).status_code == 302
    form_post(client, "/logout")
    for _attempt in range(9):  # from a third address: the account starts from zero again
        response = sign_in(client, requester_pe.email, "not the password", environ_base={"REMOTE_ADDR": "192.0.2.3"})
        assert response.status_code == 200


def test_a_disabled_account_answers_like_a_wrong_password(app, db, requester_pe):
    requester_pe.active = False
    db.commit()
    disabled = sign_in(app.test_client(), requester_pe.email)  # the right password
    unknown = sign_in(app.test_client(), "nobody@test.peerflow.org")
    assert disabled.status_code == unknown.status_code == 200
    assert alert(disabled) == alert(unknown) != ""


def test_failed_sign_ins_are_recorded_without_the_password(client, db, requester_pe):
    secret = "my-secret-attempt-42"
    sign_in(client, requester_pe.email, secret)
    sign_in(client, secret, secret)  # a password typed into the e-mail box is not kept either
    failed = events(db, "login_failed")
    assert [e.detail["reason"] for e in failed] == ["wrong_password", "unknown_account"]
    assert failed[0].object_id == requester_pe.id and failed[0].email == requester_pe.email
    assert failed[1].email is None
    assert all(secret not in repr((e.email, e.detail, e.changes)) for e in events(db))


def test_a_stored_werkzeug_hash_still_works_and_is_upgraded(client, db, requester_pe):
    requester_pe.password_hash = generate_password_hash(PASSWORD)  # as older versions stored it
    db.commit()
    assert requester_pe.password_hash.startswith("scrypt:")
    assert sign_in(client, requester_pe.email).status_code == 302
    db.expire_all()
    assert db.get(User, requester_pe.id).password_hash.startswith("$argon2id$")


# --- Password reset by e-mail ---------------------------------------------------------------------------


@pytest.fixture()
def mail(app, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", smtp_server.host)
    monkeypatch.setitem(app.config, "SMTP_PORT", smtp_server.port)
    monkeypatch.setitem(app.config, "PEERFLOW_BASE_URL", "https://peerflow.example.org")
    return smtp_server


def ask_reset(client: FlaskClient, email: str):
    return client.post("/password/forgot", data={"csrf_token": csrf_token(client, "/password/forgot"),
                                                 "email": email}, follow_redirects=True)


def arrived(server, count: int) -> list:
    """The messages once `count` have arrived (the reset e-mail is sent on a thread of its own)."""
    deadline = time.monotonic() + 10
    while len(server.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(server.messages) == count, server.messages
    return server.messages


def reset_link(message) -> str:
    found = re.search(r"https://peerflow\.example\.org(/password/reset/\S+)", message.text)
    assert found, message.text
    return found.group(1)


def test_the_login_page_offers_a_reset(client):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)


def test_a_reset_link_arrives_by_e_mail_and_works_once(app, client, db, mail, requester_pe):
    signed_in_elsewhere = app.test_client()
    sign_in(signed_in_elsewhere, requester_pe.email)
    answer = ask_reset(client, requester_pe.email)
    assert "If an account exists for that e-mail" in answer.get_data(as_text=True)
    [message] = arrived(mail, 1)
    assert message.to == requester_pe.email and message.subject == "Reset your Peerflow password"
    link = reset_link(message)
    token = link.rsplit("/", 1)[1]
    assert db.scalar(select(PasswordReset.token_hash)) != token  # only a hash is kept

    assert client.get(link).status_code == 200
    done = client.post(link, data={"csrf_token": csrf_token(client, link), "password": NEW_PASSWORD,
                                   "confirm": NEW_PASSWORD})
    assert signed_out(done)
    assert signed_out(signed_in_elsewhere.get("/home"))  # every session of the account ended
    assert sign_in(app.test_client(), requester_pe.email, PASSWORD).status_code == 200
    assert sign_in(app.test_client(), requester_pe.email, NEW_PASSWORD).status_code == 302

    again = client.get(link)
    assert again.status_code == 410 and "expired or has already been used" in again.get_data(as_text=True)
    reuse = client.post(link, data={"csrf_token": csrf_token(client), "password": "another fine passphrase",
                                    "confirm": "another fine passphrase"})
    assert reuse.status_code == 410
    assert {"password_reset_requested", "password_reset", "sessions_ended"} <= {e.event for e in events(db)}
    assert all(token not in repr((e.detail, e.changes)) for e in events(db))


def test_a_reset_link_expires_after_an_hour(client, clock, mail, requester_pe):
    ask_reset(client, requester_pe.email)
    link = reset_link(arrived(mail, 1)[0])
    clock.set(clock.now + timedelta(minutes=61))
    assert client.get(link).status_code == 410
    response = client.post(link, data={"csrf_token": csrf_token(client), "password": NEW_PASSWORD,
                                       "confirm": NEW_PASSWORD})
    assert response.status_code == 410


def test_a_refused_new_password_leaves_the_link_usable(client, mail, requester_pe):
    ask_reset(client, requester_pe.email)
    link = reset_link(arrived(mail, 1)[0])
    short = client.post(link, data={"csrf_token": csrf_token(client, link), "password": "short",
                                    "confirm": "short"})
    assert short.status_code == 200 and "8 to 1024 characters" in short.get_data(as_text=True)
    assert signed_out(client.post(link, data={"csrf_token": csrf_token(client, link), "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD}))


def test_asking_again_replaces_the_earlier_link(client, mail, requester_pe):
    ask_reset(client, requester_pe.email)
    first = reset_link(arrived(mail, 1)[0])
    ask_reset(client, requester_pe.email)
    second = reset_link(arrived(mail, 2)[1])
    assert client.get(first).status_code == 410 and client.get(second).status_code == 200


def test_a_reset_for_an_unknown_or_disabled_account_says_the_same_and_sends_nothing(client, db, mail, requester_pe,
                                                                                     requester_bo):
    requester_pe.active = False
    db.commit()
    answers = [ask_reset(client, email) for email in ("nobody@test.peerflow.org", requester_pe.email,
                                                      requester_bo.email)]
    assert {a.status_code for a in answers} == {200}
    [said] = {alert_free_text(a) for a in answers}
    assert said.startswith("If an account exists for that e-mail")
    assert [m.to for m in arrived(mail, 1)] == [requester_bo.email]  # only the active account got one


def test_the_reset_e_mail_is_in_the_users_language(client, db, mail, requester_pe):
    requester_pe.locale = "es"
    db.commit()
    ask_reset(client, requester_pe.email)
    assert '<html lang="es">' in arrived(mail, 1)[0].html


def test_reset_requests_are_throttled_like_sign_ins(client, mail, requester_pe):
    answers = [ask_reset(client, requester_pe.email).status_code for _n in range(11)]
    assert answers == [200] * 10 + [429]
    assert len(arrived(mail, 10)) == 10


def test_a_bogus_reset_link_answers_410(client):
    assert client.get("/password/reset/not-a-real-token").status_code == 410


# --- A fresh sign-in before sensitive actions --------------------------------------------------------------


def test_creating_a_token_asks_for_the_password_again_after_ten_minutes(client, login_as, clock, db, officer):
    login_as(officer)
    clock.set(clock.now + timedelta(minutes=11))
    response = form_post(client, "/account/tokens", {"name": "report script"}, page="/account",
                         headers={"Referer": "http://localhost/account"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/confirm?next=/account"
    assert db.scalar(select(ApiToken.id)) is None  # the POST is not replayed

    page = client.get("/account/confirm?next=/account")
    assert "Confirm your password" in page.get_data(as_text=True)
    wrong = form_post(client, "/account/confirm?next=/account", {"password": "nope"},
                      page="/account/confirm?next=/account")
    assert wrong.status_code == 200 and "That is not your current password." in wrong.get_data(as_text=True)
    confirmed = form_post(client, "/account/confirm?next=/account", {"password": PASSWORD},
                          page="/account/confirm?next=/account")
    assert confirmed.headers["Location"] == "/account"

    created = form_post(client, "/account/tokens", {"name": "report script"}, page="/account")
    assert created.status_code == 302 and db.scalar(select(ApiToken.name)) == "report script"
    assert [e.detail["token_name"] for e in events(db, "token_created")] == ["report script"]


def test_a_sensitive_page_returns_to_itself_after_confirming(client, login_as, clock, db):
    admin = make_user(db, Role.ADMIN)
    expert = make_expert(db)
    login_as(admin)
    clock.set(clock.now + timedelta(minutes=11))
    asked = client.get(f"/experts/{expert.id}/erase")
    assert asked.headers["Location"] == f"/account/confirm?next=/experts/{expert.id}/erase"
    confirmed = form_post(client, asked.headers["Location"], {"password": PASSWORD}, page=asked.headers["Location"])
    assert confirmed.headers["Location"] == f"/experts/{expert.id}/erase"
    assert client.get(f"/experts/{expert.id}/erase").status_code == 200


def test_revoking_a_token_is_recorded(client, login_as, db, officer):
    login_as(officer)
    form_post(client, "/account/tokens", {"name": "old script"}, page="/account")
    token = db.scalar(select(ApiToken))
    assert form_post(client, f"/account/tokens/{token.id}/revoke", page="/account").status_code == 302
    [revoked] = events(db, "token_revoked")
    assert revoked.detail == {"token_id": token.id, "token_name": "old script", "token_prefix": token.prefix}


# --- The admins' users pages -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICER, Role.REQUESTER, Role.EXPERT, Role.MS_FOCAL_POINT])
def test_only_admins_see_the_users_pages(client, login_as, db, peru, role):
    user = make_user(db, role, peru if role is Role.REQUESTER else None)
    login_as(user)
    assert client.get("/admin/users").status_code == 403
    assert client.get(f"/admin/users/{user.id}").status_code == 403


def test_an_admin_lists_finds_and_changes_a_users_role(client, login_as, db, officer, requester_pe, peru):
    admin = make_user(db, Role.ADMIN)
    login_as(admin)
    listing = client.get("/admin/users?q=" + requester_pe.email.split("@")[0])
    assert listing.status_code == 200 and requester_pe.email in listing.get_data(as_text=True)
    assert officer.email not in listing.get_data(as_text=True)

    response = form_post(client, f"/admin/users/{requester_pe.id}/role", {"role": "officer", "institution_id": "",
                         "country_code": ""}, page=f"/admin/users/{requester_pe.id}")
    assert response.status_code == 302
    db.expire_all()
    assert db.get(User, requester_pe.id).role is Role.OFFICER and db.get(User, requester_pe.id).institution_id is None
    [changed] = events(db, "role_changed")
    assert changed.detail["from"] == "requester" and changed.detail["to"] == "officer"
    assert changed.actor_id == admin.id and changed.object_id == requester_pe.id


def test_a_requester_role_needs_an_institution(client, login_as, db, officer):
    login_as(make_user(db, Role.ADMIN))
    response = form_post(client, f"/admin/users/{officer.id}/role", {"role": "requester", "institution_id": "",
                         "country_code": ""}, page=f"/admin/users/{officer.id}")
    assert response.status_code == 200 and "acts for an institution" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(User, officer.id).role is Role.OFFICER


def test_an_admin_cannot_change_their_own_role(client, login_as, db):
    admin = make_user(db, Role.ADMIN)
    login_as(admin)
    response = form_post(client, f"/admin/users/{admin.id}/role", {"role": "officer"}, page=f"/admin/users/{admin.id}")
    assert "ask another admin" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(User, admin.id).role is Role.ADMIN


def test_changing_a_role_asks_for_the_password_after_ten_minutes(client, login_as, clock, db, requester_pe):
    login_as(make_user(db, Role.ADMIN))
    clock.set(clock.now + timedelta(minutes=11))
    response = form_post(client, f"/admin/users/{requester_pe.id}/active", {"active": "0"},
                         page=f"/admin/users/{requester_pe.id}")
    assert response.headers["Location"].startswith("/account/confirm?next=")
    db.expire_all()
    assert db.get(User, requester_pe.id).active


# --- Passwords through the services and the command line ----------------------------------------------------


def test_users_create_refuses_a_common_password(app, db):
    result = app.test_cli_runner().invoke(args=["users", "create", "new@test.peerflow.org", "--role", "officer",
                                                "--password", "iloveyou"])
    assert result.exit_code != 0 and "most common" in result.output
    assert db.scalar(select(User).where(User.email == "new@test.peerflow.org")) is None


# --- Settings the app refuses to start without, and its cookies ------------------------------------------------


def production(monkeypatch, **env: str) -> Config:
    monkeypatch.setenv("PEERFLOW_ENV", "production")
    for name in ("FLASK_DEBUG", "SESSION_COOKIE_SECURE", "PEERFLOW_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Config(TESTING=True)  # TESTING only leaves the process's logging alone (pytest collects it)


@pytest.mark.parametrize("key, says", [
    ("replace-me-with-64-hex-characters", "default or example"),
    ("changeme", "default or example"),
    ("short-but-not-a-default", "at least 32"),
])
def test_production_refuses_a_default_or_short_secret_key(monkeypatch, database_url, key, says):
    config = production(monkeypatch, SECRET_KEY=key, DATABASE_URL=database_url)
    with pytest.raises(RuntimeError, match=says):
        create_app(config)


def test_production_refuses_a_missing_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        production(monkeypatch)


def test_production_refuses_debug_mode(monkeypatch, database_url):
    config = production(monkeypatch, SECRET_KEY=GOOD_KEY, DATABASE_URL=database_url, FLASK_DEBUG="1")
    with pytest.raises(RuntimeError, match="debug mode is on"):
        create_app(config)


def test_production_cookies_are_secure_httponly_and_lax(monkeypatch, database_url):
    app = create_app(production(monkeypatch, SECRET_KEY=GOOD_KEY, DATABASE_URL=database_url))
    try:
        cookie = app.test_client().get("/login").headers["Set-Cookie"]
    finally:
        database.engine_of(app).dispose()
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("env_name", ["development", "testing"])
def test_development_and_test_cookies_work_over_plain_http(monkeypatch, env_name):
    monkeypatch.setenv("PEERFLOW_ENV", env_name)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.delenv("PEERFLOW_BASE_URL", raising=False)
    config = Config(SECRET_KEY="dev")
    assert config.SESSION_COOKIE_SECURE is False
    assert config.SESSION_COOKIE_HTTPONLY is True and config.SESSION_COOKIE_SAMESITE == "Lax"
