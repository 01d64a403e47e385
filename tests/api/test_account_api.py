"""Your account through the API: your preferences, and your notifications marked read."""

from __future__ import annotations

from workflow.accounts.models import Role, User
from workflow.notifications.models import Notification

from ..factories import T0, make_user
from .conftest import refused


def _notify(db, user: User, title: str) -> int:
    notification = Notification(user_id=user.id, title=title, body="…", created_at=T0)
    db.add(notification)
    db.commit()
    return notification.id


def test_you_change_your_name_language_and_time_zone_and_what_you_leave_out_stays(db, api):
    user = make_user(db, Role.REQUESTER)
    user_id, as_user = user.id, api(user)
    response = as_user.patch("/api/v1/me", json={"locale": "fr", "timezone": "America/Lima"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["locale"], body["timezone"], body["name"]) == ("fr", "America/Lima", user.name)
    assert as_user.patch("/api/v1/me", json={"name": "Ana Ruiz", "locale": None}).get_json()["locale"] is None
    error = refused(as_user.patch("/api/v1/me", json={"timezone": "Mars/Olympus"}), 422)
    assert "timezone" in error["fields"]
    refused(as_user.patch("/api/v1/me", json={"role": "admin"}), 422)
    refused(api(None).patch("/api/v1/me", json={"name": "Nobody"}), 401)
    db.expire_all()
    saved = db.get(User, user_id)
    assert (saved.name, saved.locale, saved.timezone, saved.role) == ("Ana Ruiz", None, "America/Lima",
                                                                       Role.REQUESTER)


def test_you_mark_your_own_notification_read_but_not_someone_elses(db, api):
    user, other = make_user(db, Role.REQUESTER), make_user(db, Role.OFFICER)
    mine, theirs = _notify(db, user, "Yours"), _notify(db, other, "Theirs")
    as_user = api(user)
    response = as_user.post(f"/api/v1/notifications/{mine}/read")
    assert response.status_code == 200 and response.get_json()["read_at"]
    first = response.get_json()["read_at"]
    assert as_user.post(f"/api/v1/notifications/{mine}/read").get_json()["read_at"] == first  # read once
    refused(as_user.post(f"/api/v1/notifications/{theirs}/read"), 404)
    refused(as_user.post("/api/v1/notifications/999999/read"), 404)
    db.expire_all()
    assert db.get(Notification, theirs).read_at is None


def test_you_mark_all_your_notifications_read_and_no_one_elses(db, api):
    user, other = make_user(db, Role.REQUESTER), make_user(db, Role.OFFICER)
    ids = [_notify(db, user, "One"), _notify(db, user, "Two")]
    theirs = _notify(db, other, "Theirs")
    as_user = api(user)
    response = as_user.post("/api/v1/notifications/read")
    assert response.status_code == 200 and response.get_json() == {"marked": 2}
    assert as_user.post("/api/v1/notifications/read").get_json() == {"marked": 0}
    db.expire_all()
    assert all(db.get(Notification, i).read_at for i in ids)
    assert db.get(Notification, theirs).read_at is None
