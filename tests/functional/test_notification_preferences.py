"""Choosing how each kind of news reaches you, on the page and through the API: e-mail at once, the daily
digest, Peerflow only; never Peerflow only for news the work depends on; bad input answered, nothing lost."""

from __future__ import annotations

import re

from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.notifications.models import Delivery, NotificationPreference

from ..api.conftest import ApiClient, token_for  # noqa: F401 - the fixture
from ..factories import make_user

PAGE = "/notifications/preferences"


def stored(db, user) -> dict[str, Delivery]:
    db.expire_all()
    return dict(db.execute(select(NotificationPreference.kind, NotificationPreference.delivery)
                           .where(NotificationPreference.user_id == user.id)).tuples().all())


def test_an_expert_sees_their_kinds_and_chooses_the_digest(db, login_as, post):
    expert = make_user(db, Role.EXPERT)
    db.commit()
    client = login_as(expert)
    html = client.get(PAGE + "?kind=expert_invited").get_data(as_text=True)
    assert "You are invited to an activity" in html and 'id="kind-expert_invited"' in html
    assert "border-primary" in html  # the kind the e-mail's unsubscribe link named stands out
    invitation = html.split('id="kind-expert_invited"', 1)[1].split("</fieldset>", 1)[0]
    assert 'value="digest"' in invitation and 'value="app"' not in invitation  # an invitation always comes by e-mail

    answer = post(PAGE, {"expert_invited": "digest"}, token_page=PAGE)
    assert answer.status_code == 302
    assert stored(db, expert) == {"expert_invited": Delivery.DIGEST}
    assert re.search(r'checked[^>]*value="digest"|value="digest"[^>]*checked', client.get(PAGE).get_data(as_text=True))

    post(PAGE, {"expert_invited": "email"}, token_page=PAGE)
    assert stored(db, expert) == {}  # the default needs no row


def test_bad_choices_re_render_with_a_message_and_save_nothing(db, login_as, post):
    expert = make_user(db, Role.EXPERT)
    db.commit()
    login_as(expert)
    for bad in ("app", "carrier-pigeon", "x" * 5000):
        answer = post(PAGE, {"expert_invited": bad}, token_page=PAGE)
        assert answer.status_code == 200
        assert "invalid-feedback" in answer.get_data(as_text=True)
    assert stored(db, expert) == {}


def test_a_kind_left_out_keeps_its_choice(db, login_as, post):
    expert = make_user(db, Role.EXPERT)
    db.add(NotificationPreference(user_id=expert.id, kind="expert_invited", delivery=Delivery.DIGEST))
    db.commit()
    login_as(expert)
    assert post(PAGE, {}, token_page=PAGE).status_code == 302
    assert stored(db, expert) == {"expert_invited": Delivery.DIGEST}


def test_the_api_reads_and_writes_the_same_choices(db, client, token_for):  # noqa: F811
    expert = make_user(db, Role.EXPERT)
    db.commit()
    api = ApiClient(client, token_for(expert))
    items = api.get("/api/v1/me/notification-preferences").get_json()["items"]
    invited = next(item for item in items if item["kind"] == "expert_invited")
    assert invited == {"kind": "expert_invited", "label": "You are invited to an activity", "delivery": "email",
                       "choices": ["email", "digest"], "mandatory": True}

    answer = api.put("/api/v1/me/notification-preferences", json={"preferences": {"expert_invited": "digest"}})
    assert answer.status_code == 200
    assert stored(db, expert) == {"expert_invited": Delivery.DIGEST}

    for body, field in (({"preferences": {"expert_invited": "app"}}, "expert_invited"),
                        ({"preferences": {"no_such_kind": "email"}}, "no_such_kind"),
                        ({"preferences": {"expert_invited": 7}}, "preferences.expert_invited"),
                        ({"preferences": "digest"}, "preferences")):
        refused = api.put("/api/v1/me/notification-preferences", json=body)
        assert refused.status_code == 422, body
        assert field in refused.get_json()["error"]["fields"], refused.get_json()
    assert stored(db, expert) == {"expert_invited": Delivery.DIGEST}
