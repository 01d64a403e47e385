"""What the benchmarks set up alike: a throw-away database built by the migrations with an app on it, and the
workshops of Peru III with one expert placed on each seat (bench/letters.py, bench/notifications.py,
bench/reminders.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from config import Config
from tests.dbsetup import build_schema
from tests.factories import make_action, make_expert, make_institution, make_staffed_activity, make_user
from workflow import create_app
from workflow.accounts.models import Role, User
from workflow.database import AppSession, Database
from workflow.deployments.lifecycle import DeploymentStatus
from workflow.deployments.models import Deployment


def scratch_app(url: str, folder: str, **settings: object) -> tuple[Flask, Engine, sessionmaker]:
    """Empty the database at `url`, run the migrations, and start an app on it (uploads in `folder`);
    (the app, its engine, a maker of sessions on that engine)."""
    build_schema(url).dispose()
    app = create_app(Config(DATABASE_URL=url, SECRET_KEY="bench", ENV_NAME="testing", TESTING=True,
                            UPLOAD_DIR=folder, **settings))
    engine = Database.engine_of(app)
    return app, engine, sessionmaker(bind=engine, class_=AppSession)


def experts_on_workshops(session: Session, officer: User, count: int, *, places: int, status: DeploymentStatus,
                         now: datetime, dress: Callable[[User, int], None], **expert: object) -> None:
    """Peru III with weekly workshops of `places` seats each, and `count` experts, each with an account, placed
    on them in turn with `status` (rows as `propose` leaves them); `dress(user, n)` sets the n-th one's language
    (and time zone), `expert` is passed on to make_expert."""
    action = make_action(session, officer, name="Peru III",
                         beneficiary=make_institution(session, "PE", name="Ministry of the Interior of Peru"))
    slots = []
    for n in range(-(-count // places)):
        activity = make_staffed_activity(session, action, officer, start=date(2027, 3, 1) + timedelta(days=7 * n),
                                         places=places, title=f"Workshop on smuggling of migrants {n + 1}")
        slots.append(activity.slots[0])
    for n in range(count):
        user = make_user(session, Role.EXPERT, email=f"expert{n}@bench.peerflow.org")
        dress(user, n)
        placed = make_expert(session, name=f"Expert {n} (bench)", country="ES", user=user, **expert)
        slot = slots[n // places]
        session.add(Deployment(slot=slot, activity_id=slot.activity_id, expert=placed, role=slot.role,
                               working_days=3, status=status, invited_at=now, proposed_by_id=officer.id,
                               created_at=now, updated_at=now))
