"""/api/v1/me (your preferences) and /api/v1/notifications (marking the bell's notifications read)."""

from __future__ import annotations

from flask.views import MethodView

from ..accounts.services import update_preferences
from ..core.web import now
from ..extensions import db
from ..notifications.services import mark_all_read, mark_read
from .common import commit, filled, me
from .parsing import Blueprint
from .schemas_account import MePreferencesOut, PreferencesIn, ReadAllOut
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
