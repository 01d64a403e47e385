"""A small programme in which every kind of object exists once, for the permission, CSRF and
mass-assignment tests: who owns what, the people of every role, and a way to see that nothing changed.

Institution A is Peru (its requester `req_a` benefits from the Action), institution B is Bolivia
(`req_b`). Expert X (`expert`, a Spanish official) is invited to the Action's workshop; the focal point
of Spain (`focal`) sees X, the one of France (`focal_b`) does not; `expert_b` is another expert (French)
with no deployment.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.accounts.models import Role, User
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.services import set_published
from workflow.activities.models import DeliverableKind
from workflow.activities.services import DeliverableDraft, add_deliverable
from workflow.activities.uploads import store_upload
from workflow.api.tokens import create_token
from workflow.database import Base
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.experts.models import Unavailability
from workflow.experts.services import attach_cv, renew_calendar_token
from workflow.notifications.models import Notification
from workflow.reference.models import InstitutionKind
from workflow.reminders.models import EmailMessage, Reminder, ReminderState
from workflow.requests.lifecycle import RequestStatus

from ..factories import (
    T0,
    make_action,
    make_expert,
    make_institution,
    make_request,
    make_staffed_activity,
    make_user,
)

# The columns of the permission matrix, in the order each route is tried.
ROLES = ("anon", "req_a", "req_b", "focal", "focal_b", "expert", "expert_b", "officer", "admin", "steering")

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    users: dict[str, User]  # role column -> the person
    ids: dict[str, int]  # URL variable -> the id of institution A's / expert X's object
    api_tokens: dict[str, str] = field(default_factory=dict)  # role column -> a bearer token
    calendar: dict[str, str] = field(default_factory=dict)  # "expert" / "action" -> the feed's secret
    objects: dict[str, Any] = field(default_factory=dict)


def stored_pdf(upload_dir: str):
    return store_upload(io.BytesIO(PDF), upload_dir, 1024 * 1024)


def build_world(db: Session, app: Flask, officer: User, requester_pe: User, requester_bo: User, peru) -> World:
    """Every object a route can name, owned by institution A (Peru) or expert X."""
    upload_dir = app.config["UPLOAD_DIR"]
    spain = make_institution(db, "ES", name="Ministerio del Interior de España",
                             kind=InstitutionKind.MS_ADMINISTRATION)
    users = {
        "req_a": requester_pe, "req_b": requester_bo, "officer": officer,
        "focal": make_user(db, Role.MS_FOCAL_POINT, country="ES"),
        "focal_b": make_user(db, Role.MS_FOCAL_POINT, country="FR"),
        "expert": make_user(db, Role.EXPERT),
        "expert_b": make_user(db, Role.EXPERT),
        "admin": make_user(db, Role.ADMIN),
        "steering": make_user(db, Role.STEERING),
    }
    expert_x = make_expert(db, name="Lucía Herrera", country="ES", employer=spain, user=users["expert"])
    expert_y = make_expert(db, name="Jeanne Martin", country="FR", languages={"fr": "C2"}, user=users["expert_b"])

    request = make_request(db, requester_pe, RequestStatus.SUBMITTED, officer)
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    action.expert_institutions = [spain]  # Spain's administration sends experts: its focal point sees the Action
    action.objective = "Better identification of victims of trafficking."
    set_published(action, True, version=action.version, actor=officer, now=T0)  # in the public catalogue
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Workshop on victim assistance")
    slot = activity.slots[0]
    deployment = propose(db, slot, expert_x, actor=officer, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=T0)

    stored = stored_pdf(upload_dir)
    deliverable = add_deliverable(
        db, action, DeliverableDraft(kind=DeliverableKind.HANDBOOK, title="Handbook on victim assistance",
                                     language="es"),
        actor=officer, now=T0, file=stored, file_name="handbook.pdf")
    cv = stored_pdf(upload_dir)
    attach_cv(db, expert_x, cv.stored_name, "cv-herrera.pdf", cv.content_type, actor=officer, now=T0)
    period = Unavailability(expert=expert_x, start_date=date(2027, 8, 1), end_date=date(2027, 8, 15), reason="Leave")
    db.add(period)
    notification = Notification(user_id=requester_pe.id, title="Your request is under review", body="…",
                                link="/requests/", created_at=T0)
    db.add(notification)
    reminder = Reminder(key=f"weekly-digest:user:{officer.id}:2026-W48", rule="weekly_digest", subject_type="digest",
                        subject_id=officer.id, recipient_id=officer.id, due_at=T0, state=ReminderState.SENT,
                        sent_at=T0, created_at=T0, updated_at=T0)
    db.add(reminder)
    db.flush()
    message = EmailMessage(reminder_id=reminder.id, message_id=f"<digest-{reminder.id}@test>", to_address=officer.email,
                           subject="Peerflow weekly digest", body_text="Requests waiting: 1", body_html="<p>1</p>",
                           transport="outbox", sent_at=T0)
    db.add(message)
    calendar = {"expert": renew_calendar_token(expert_x), "action": renew_calendar_token(action)}
    personal_token, _plain = create_token(db, requester_pe, "reporting script", now=T0)
    api_tokens = {role: create_token(db, user, "matrix", now=T0)[1] for role, user in users.items()}
    db.commit()
    ids = {
        "action_id": action.id, "request_id": request.id, "activity_id": activity.id, "slot_id": slot.id,
        "deployment_id": deployment.id, "expert_id": expert_x.id, "deliverable_id": deliverable.id,
        "token_id": personal_token.id, "notification_id": notification.id, "message_id": message.id,
        "period_id": period.id,
    }
    objects = {"expert_x": expert_x, "expert_y": expert_y, "action": action, "activity": activity,
               "request": request, "deployment": deployment, "deliverable": deliverable, "slot": slot}
    return World(users=users, ids=ids, api_tokens=api_tokens, calendar=calendar, objects=objects)


# --- "Nothing changed" --------------------------------------------------------------------------

# Tables that record that something was tried rather than what the programme holds: an attempt that is
# refused may still be written there (a security event, a throttling counter, a session).
BOOKKEEPING_PREFIXES = ("audit", "security_event", "login_attempt", "throttle", "rate_limit", "user_session")
# Columns that change when a request is merely made (a token's last use).
BOOKKEEPING_COLUMNS = {"api_tokens": {"last_used_at"}}


def snapshot(db: Session) -> dict[str, list[tuple]]:
    """Every row of every table that holds the programme's data, in a comparable form."""
    db.expire_all()
    rows: dict[str, list[tuple]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name.startswith(BOOKKEEPING_PREFIXES):
            continue
        skipped = BOOKKEEPING_COLUMNS.get(table.name, set())
        columns = [c for c in table.columns if c.name not in skipped]
        order = list(table.primary_key.columns) or columns
        rows[table.name] = [tuple(r) for r in db.execute(select(*columns).order_by(*order)).all()]
    return rows


def changes(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    """What differs, table by table, in words a failure message can show."""
    found = []
    for name in before:
        old, new = {repr(row) for row in before[name]}, {repr(row) for row in after.get(name, [])}
        if old != new:
            found.append(f"{name}: removed {sorted(old - new)[:3]}, added {sorted(new - old)[:3]}")
    return found


