"""Two people booking one expert for overlapping activities at the same moment: exactly one wins.

This needs real concurrent transactions, so it commits to the database (and cleans up after itself)
instead of running inside the rolled-back test transaction. PostgreSQL only: SQLite serialises all
writers, so there is no race to lose there.
"""

import threading
import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from workflow.accounts.models import Role, User
from workflow.actions.models import Action
from workflow.core.errors import DomainError
from workflow.deployments.lifecycle import DeploymentEvent, DeploymentStatus
from workflow.deployments.models import Deployment
from workflow.deployments.services import apply_deployment_event, propose
from workflow.experts.models import Expert
from workflow.notifications.models import Notification, NotificationEmail
from workflow.reference.models import Institution

from ..factories import make_action, make_expert, make_institution, make_staffed_activity, make_user

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture()
def committed(engine):
    """Rows committed for real, removed afterwards."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the race needs two concurrent PostgreSQL transactions (SQLite serialises writers)")
    session = Session(engine, expire_on_commit=False)
    officer = make_user(session, Role.OFFICER)
    expert_user = make_user(session, Role.EXPERT)
    expert = make_expert(session, expert_type="partner_peer", country="AR", user=expert_user)
    beneficiary = make_institution(session, "PE")
    action = make_action(session, officer, beneficiary=beneficiary, name="Race test")
    first = make_staffed_activity(session, action, officer, start=date(2027, 5, 3), title="Training in Cusco")
    second = make_staffed_activity(session, action, officer, start=date(2027, 5, 4), title="Training in Puno")
    ids = []
    for activity in (first, second):
        deployment = propose(session, activity.slots[0], expert, actor=officer, now=NOW)
        apply_deployment_event(session, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
        ids.append(deployment.id)
    session.commit()
    yield {"deployments": ids, "expert_user": expert_user.id}
    session.rollback()
    session.execute(delete(Deployment).where(Deployment.id.in_(ids)))
    session.delete(session.get(Action, action.id))
    session.execute(delete(Expert).where(Expert.id == expert.id))
    people = [officer.id, expert_user.id]  # and the news the racing steps wrote for them
    session.execute(delete(Notification).where(Notification.user_id.in_(people)))
    session.execute(delete(NotificationEmail).where(NotificationEmail.user_id.in_(people)))
    session.execute(delete(User).where(User.id.in_(people)))
    session.execute(delete(Institution).where(Institution.id == beneficiary.id))
    session.commit()
    session.close()


def test_exactly_one_of_two_racing_acceptances_wins(engine, committed):
    outcomes: dict[str, str] = {}
    first_holds_lock = threading.Event()

    def accept(name: str, deployment_id: int, hold: bool) -> None:
        with Session(engine, expire_on_commit=False) as session:
            deployment = session.get(Deployment, deployment_id)
            user = session.get(User, committed["expert_user"])
            if not hold:
                first_holds_lock.wait(5)  # start while the other transaction is still open
            try:
                apply_deployment_event(session, deployment, DeploymentEvent.ACCEPT, actor=user, now=NOW)
                if hold:
                    first_holds_lock.set()
                    time.sleep(0.5)  # keep the transaction open while the other one tries
                session.commit()
                outcomes[name] = "accepted"
            except DomainError as error:
                session.rollback()
                outcomes[name] = error.message
            finally:
                first_holds_lock.set()

    a, b = committed["deployments"]
    threads = [threading.Thread(target=accept, args=("a", a, True)),
               threading.Thread(target=accept, args=("b", b, False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert outcomes["a"] == "accepted"
    assert "Training in Cusco" in outcomes["b"]
    with Session(engine) as session:
        statuses = sorted(s.value for s in session.scalars(
            select(Deployment.status).where(Deployment.id.in_(committed["deployments"]))))
    assert statuses == [DeploymentStatus.ACCEPTED.value, DeploymentStatus.INVITED.value]
