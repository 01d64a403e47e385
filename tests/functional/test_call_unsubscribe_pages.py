"""An expert without an account stops calls for experts by e-mail: the link and the one-click header in the call's
e-mail (at a real SMTP server), the page that confirms (GET) and records (POST), a mail client's one-click POST,
forged and revoked links, and the next call that leaves them out and says so."""

from __future__ import annotations

import email
import email.policy
import re

import pytest
from sqlalchemy import select

from workflow.calls.delivery import deliver_pending
from workflow.calls.models import Call, CallRecipient, DeliveryState
from workflow.calls.optout import unsubscribe_token
from workflow.calls.services import send_call
from workflow.core.errors import DomainError
from workflow.experts.models import Expert

from ..integration import test_calls as integration
from . import test_calls_pages as pages
from .conftest import TOKEN

pytest_plugins = ["tests.smtp"]

NOW, SECRET, draft_for, roster = integration.NOW, integration.SECRET, integration.draft_for, integration.roster
mail_to, preview, send_page = pages.mail_to, pages._preview, pages._send
BASE_URL = "https://peerflow.example.org"
LINK = re.compile(r"https://peerflow\.example\.org/calls/unsubscribe/([A-Za-z0-9_.\-]+)")


@pytest.fixture()
def emailed(app, db, roster, officer, clock, smtp_server):
    """The Mexico workshop's call, delivered to the SMTP server: Rui Costa has no account, Ana Sánchez has one."""
    activity, people, focal = roster
    clock.set(NOW)
    with app.app_context():
        call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
        db.commit()
        assert deliver_pending(db, now=NOW, mailer=smtp_server.mailer(), base_url=BASE_URL, secret=SECRET).sent == 4
    return call, people, {m.to: m for m in smtp_server.messages}


def headers_of(message):
    return email.message_from_bytes(message.raw, policy=email.policy.default)


def test_the_call_to_an_expert_without_an_account_carries_their_own_one_click_link(emailed):
    _call, people, received = emailed
    rui = received[people["pt"].email]
    headers = headers_of(rui)
    token = LINK.fullmatch(headers["List-Unsubscribe"].strip()[1:-1]).group(1)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{BASE_URL}/calls/unsubscribe/{token}" in rui.text and f"/calls/unsubscribe/{token}" in rui.html
    # Written in the activity's language (Rui has no account to say his own): Spanish here.
    assert "Para no recibir más por correo electrónico" in rui.text
    # Ana answers in her portal: her e-mail links to her preferences, and carries no one-click line.
    ana = headers_of(received[people["es"].email])
    assert ana["List-Unsubscribe"].strip() == f"<{BASE_URL}/notifications/preferences?kind=calls>"
    assert ana["List-Unsubscribe-Post"] is None
    assert f"{BASE_URL}/notifications/preferences?kind=calls" in received[people["es"].email].text


def test_the_page_confirms_then_records_and_staff_see_it(db, client, emailed, login_as, officer):
    _call, people, received = emailed
    rui = people["pt"]
    url = LINK.search(received[rui.email].text).group(0).removeprefix(BASE_URL)
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Rui Costa" in html and 'value="stop"' in html
    db.expire_all()
    assert db.get(Expert, rui.id).call_emails_stopped_at is None  # opening the link alone records nothing

    done = client.post(url, data={"csrf_token": TOKEN.search(html).group(1), "choice": "stop"},
                       follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "You will receive no more calls for experts by e-mail." in html and 'value="resume"' in html
    db.expire_all()
    assert db.get(Expert, rui.id).call_emails_stopped_at == NOW

    staff_page = login_as(officer).get(f"/experts/{rui.id}").get_data(as_text=True)
    assert "No calls by e-mail: asked on" in staff_page


def test_a_mail_clients_one_click_post_records_it_without_a_session(app, db, emailed):
    _call, people, received = emailed
    url = LINK.search(received[people["pt"].email].text).group(0).removeprefix(BASE_URL)
    bare = app.test_client()  # no cookie, no CSRF token: what a mail client sends (RFC 8058)
    response = bare.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "no more calls" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Expert, people["pt"].id).call_emails_stopped_at is not None


def test_the_pages_own_post_needs_its_csrf_token(app, db, emailed):
    _call, people, received = emailed
    url = LINK.search(received[people["pt"].email].text).group(0).removeprefix(BASE_URL)
    refused = app.test_client().post(url, data={"choice": "stop"})
    assert refused.status_code == 400 and "The form expired" in refused.get_data(as_text=True)
    db.expire_all()
    assert db.get(Expert, people["pt"].id).call_emails_stopped_at is None


def test_the_expert_may_change_their_mind(db, client, emailed):
    _call, people, _received = emailed
    url = f"/calls/unsubscribe/{unsubscribe_token(people['pt'], SECRET)}"
    for choice, expected in (("stop", True), ("resume", False)):
        token = TOKEN.search(client.get(url).get_data(as_text=True)).group(1)
        assert client.post(url, data={"csrf_token": token, "choice": choice}).status_code == 302
        db.expire_all()
        assert (db.get(Expert, people["pt"].id).call_emails_stopped_at is not None) is expected


def test_a_bad_forged_or_revoked_link_is_not_found(app, db, client, emailed):
    _call, people, _received = emailed
    rui = people["pt"]
    good = unsubscribe_token(rui, SECRET)
    payload, _dot, signature = good.rpartition(".")
    other_expert = unsubscribe_token(people["es"], SECRET).rpartition(".")[0] + "." + signature
    for token in ("no-such-link", "x" * 500, unsubscribe_token(rui, "another secret"), payload + ".AAAA",
                  other_expert, good[:-1]):
        assert client.get(f"/calls/unsubscribe/{token}").status_code == 404, token
        assert app.test_client().post(f"/calls/unsubscribe/{token}",
                                      data={"List-Unsubscribe": "One-Click"}).status_code == 404
    moved = db.get(Expert, rui.id)
    moved.email = "rui.costa@new-ministry.pt"  # the link was sent to the old address: it stops working
    db.commit()
    assert client.get(f"/calls/unsubscribe/{good}").status_code == 404
    assert client.get(f"/calls/unsubscribe/{unsubscribe_token(moved, SECRET)}").status_code == 200
    db.expire_all()
    assert db.get(Expert, rui.id).call_emails_stopped_at is None


def test_a_later_call_leaves_the_expert_out_and_says_so(app, db, emailed, login_as, officer, clock, mail_to):
    call, people, _received = emailed
    rui = people["pt"]
    app.test_client().post(f"/calls/unsubscribe/{unsubscribe_token(rui, SECRET)}",
                           data={"List-Unsubscribe": "One-Click"})
    client = login_as(officer)
    client.post(f"/calls/{call.id}/events/close", data={"csrf_token": TOKEN.search(
        client.get(f"/calls/{call.id}").get_data(as_text=True)).group(1), "version": call.version})
    db.expire_all()
    assert db.get(Call, call.id).status.value == "closed"
    mail_to.clear()

    html, data = preview(client, call.activity)
    assert "Left out, asked to receive no calls for experts by e-mail: Rui Costa." in html
    sent = send_page(client, call.activity, data)
    assert sent.status_code == 302
    later = db.scalar(select(Call).where(Call.id != call.id))
    assert later.unsubscribed_expert_ids == [rui.id]
    assert db.scalar(select(CallRecipient).where(CallRecipient.call_id == later.id,
                                                 CallRecipient.expert_id == rui.id)) is None
    assert rui.email not in {m.to for m in mail_to.messages} and people["es"].email in {m.to for m in mail_to.messages}
    page = client.get(f"/calls/{later.id}").get_data(as_text=True)
    assert "Not sent to 1 expert the filters chose, who asked to receive no calls for experts by e-mail:" in page
    assert f'href="/experts/{rui.id}">Rui Costa</a>' in page


def test_stopping_drops_the_messages_of_open_calls_not_sent_yet(app, db, roster, officer, clock):
    activity, people, _focal = roster
    clock.set(NOW)
    with app.app_context():
        call = send_call(db, activity, draft_for(activity), actor=officer, now=NOW, secret=SECRET)
        db.commit()
    waiting = next(r for r in call.recipients if r.expert_id == people["pt"].id)
    assert waiting.state is DeliveryState.PENDING
    app.test_client().post(f"/calls/unsubscribe/{unsubscribe_token(people['pt'], SECRET)}",
                           data={"List-Unsubscribe": "One-Click"})
    db.expire_all()
    assert db.get(CallRecipient, waiting.id).state is DeliveryState.CANCELLED
    others = db.scalars(select(CallRecipient.state).where(CallRecipient.call_id == call.id,
                                                          CallRecipient.id != waiting.id)).all()
    assert set(others) == {DeliveryState.PENDING}


def test_a_call_that_would_reach_only_such_experts_is_not_sent_naming_them(app, db, roster, officer):
    activity, people, _focal = roster
    for expert in (people["es"], people["pt"]):
        expert.call_emails_stopped_at = NOW
    db.commit()
    with app.app_context(), pytest.raises(DomainError, match="Ana Sánchez, Rui Costa asked to receive no calls"):
        send_call(db, activity, draft_for(activity, include_focal_points=False), actor=officer, now=NOW,
                  secret=SECRET)


def test_an_expert_with_an_account_stops_and_resumes_calls_on_their_preferences(db, emailed, login_as, officer):
    """The link in Ana's e-mail leads to her preferences, where calls for experts have a group of their own."""
    call, people, _received = emailed
    ana = people["es"]
    client = login_as(ana.user)
    page = client.get("/notifications/preferences?kind=calls").get_data(as_text=True)
    assert 'id="kind-calls"' in page and "border-primary" in page.split('id="kind-calls"')[0].rsplit("<fieldset", 1)[1]
    assert 'checked class="form-check-input" id="call_emails-0" name="call_emails" type="radio" value="receive"' in page
    token = TOKEN.search(page).group(1)
    assert client.post("/notifications/preferences", data={"csrf_token": token, "call_emails": "nonsense"}).status_code == 200
    db.expire_all()
    assert db.get(Expert, ana.id).call_emails_stopped_at is None  # a bad value changes nothing

    assert client.post("/notifications/preferences", data={"csrf_token": token, "call_emails": "stop"}).status_code == 302
    db.expire_all()
    assert db.get(Expert, ana.id).call_emails_stopped_at is not None
    assert "Not by e-mail: I read the open calls on my page" in client.get("/notifications/preferences").get_data(as_text=True)

    client.post("/notifications/preferences", data={"csrf_token": token, "call_emails": "receive"})
    db.expire_all()
    assert db.get(Expert, ana.id).call_emails_stopped_at is None
    # An officer has no expert profile: no such group on their page.
    assert 'id="kind-calls"' not in login_as(officer).get("/notifications/preferences").get_data(as_text=True)
