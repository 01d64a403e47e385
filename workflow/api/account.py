"""/api/v1/me (your preferences, and how each kind of news reaches you) and /api/v1/notifications (marking the bell's notifications read)."""

from __future__ import annotations

from flask.views import MethodView

from ..accounts.services import update_preferences
from ..core.web import now
from ..extensions import db
from ..notifications.kinds import kinds_for
from ..notifications.services import choices_of, mark_all_read, mark_read, preferences_of, save_preferences
from .common import commit, filled, me
from .parsing import Blueprint
from .schemas_account import (
    MePreferencesOut,
    NotificationPreferencesIn,
    NotificationPreferencesOut,
    PreferencesIn,
    ReadAllOut,
)
from .schemas_people import NotificationOut

blp = Blueprint("api_account", __name__, url_prefix="/api/v1", description="Your account and your notifications")


@blp.route("/me")
class MyPreferences(MethodView):
    @blp.arguments(PreferencesIn)
    @blp.response(200, MePreferencesOut)
    def patch(self, data):
        """Change your name, language or time zone (as on the account page)."""
        user = me()
        filled(data, "name")
        update_preferences(db.session, user, name=data.get("name", user.name),
                           locale=data["locale"] if "locale" in data else user.locale,
                           timezone=data.get("timezone", user.timezone))
        commit()
        return user


@blp.route("/notifications/<id:notification_id>/read")
class ReadNotification(MethodView):
    @blp.response(200, NotificationOut)
    def post(self, notification_id):
        """Mark one of your notifications read (someone else's answers 404)."""
        notification = mark_read(db.session, notification_id, actor=me(), now=now())
        commit()
        return notification


@blp.route("/notifications/read")
class ReadAllNotifications(MethodView):
    @blp.response(200, ReadAllOut)
    def post(self):
        """Mark every unread notification of yours read."""
        marked = mark_all_read(db.session, actor=me(), now=now())
        commit()
        return {"marked": marked}


def _notification_preferences(user) -> dict:
    chosen = preferences_of(db.session, user)
    return {"items": [{"kind": kind.code, "label": str(kind.label), "delivery": chosen[kind.code].value,
                       "choices": [d.value for d in choices_of(kind)], "mandatory": kind.mandatory}
                      for kind in kinds_for(user.role)]}


@blp.route("/me/notification-preferences")
class MyNotificationPreferences(MethodView):
    @blp.response(200, NotificationPreferencesOut)
    def get(self):
        """How each kind of news you receive reaches you."""
        return _notification_preferences(me())

    @blp.arguments(NotificationPreferencesIn)
    @blp.response(200, NotificationPreferencesOut)
    def put(self, data):
        """Choose, per kind, an e-mail at once, the daily digest or Peerflow only (as on the preferences page)."""
        user = me()
        save_preferences(db.session, user, data["preferences"], actor=user, now=now())
        commit()
        return _notification_preferences(user)
