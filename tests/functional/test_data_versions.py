"""A data version per domain of the portfolio: a write replaces the versions of what it changed and no other, a
remembered page depends on the domains its SQL read, and every page showing a change shows it on the next read
(workflow/core/figures.py)."""

import re
from datetime import date

from flask import Flask
from sqlalchemy import delete, func, select, update

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.models import Action
from workflow.actions.services import apply_action_event
from workflow.activities.models import Activity
from workflow.core.figures import domains, portfolio_domains, remember, remembered
from workflow.core.models import DataVersion
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.experts.models import Expert

from ..factories import T0, make_action, make_expert, make_request, make_staffed_activity, make_user


def tokens(db) -> dict[str, int]:
    return dict(db.execute(select(DataVersion.name, DataVersion.token)).tuples().all())


def cache_state(response) -> str | None:
    for part in response.headers.get("Server-Timing", "").split(","):
        name, _, value = part.strip().partition(";desc=")
        if name == "cache":
            return value
    return None


def invited(db, officer, action, expert):
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Border workshop")
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=T0)
    db.commit()
    return deployment


def test_every_domain_of_the_portfolio_has_a_version(db):
    assert portfolio_domains() == {"actions", "activities", "deployments", "evaluations", "experts", "finance",
                                   "knowledge", "reference", "results"}
    assert portfolio_domains() <= tokens(db).keys()  # the migration made them
    # Versioned for the menu's to-do count; their token is made by the first write in them.
    assert set(domains()) - portfolio_domains() == {"calls", "governance", "missions", "notifications",
                                                    "notifications.emails", "reminders", "requests"}


def test_a_domain_without_a_token_yet_is_remembered_until_its_first_write(app, db, officer, requester_pe):
    from workflow.requests.models import Request

    db.execute(delete(DataVersion).where(DataVersion.name == "requests"))
    db.commit()
    counted = lambda: remember(db, "queued", lambda: db.scalar(select(func.count()).select_from(Request)))  # noqa: E731
    with app.test_request_context():
        assert counted() == 0
        hits = remembered().hits
    with app.test_request_context():
        assert counted() == 0 and remembered().hits == hits + 1
        make_request(db, requester_pe, title="The first")
    with app.test_request_context():
        assert counted() == 1 and "requests" in tokens(db)


def test_a_page_says_whether_it_was_computed_or_found(client, db, login_as, officer, peru):
    make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru XV")
    login_as(officer)
    assert cache_state(client.get("/actions/")) == "cold"
    assert cache_state(client.get("/actions/")) == "warm"
    assert cache_state(client.get("/activities/")) is None  # a page that remembers nothing says neither


def test_an_answer_to_an_invitation_replaces_only_the_deployments_version(client, db, login_as, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru XVI")
    expert_user = make_user(db, Role.EXPERT)
    deployment = invited(db, officer, action, make_expert(db, name="Marta Ruiz", user=expert_user))
    login_as(officer)
    client.get("/actions/")
    client.get("/deployments/?status=accepted")
    before = tokens(db)

    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert_user, now=T0)
    db.commit()

    after = tokens(db)
    changed = {name for name in before if before[name] != after[name]}
    assert changed & portfolio_domains() == {"deployments"}  # and the expert's notice: notifications, reminders
    listed = client.get("/actions/")
    assert cache_state(listed) == "warm" and "Peru XVI" in listed.get_data(as_text=True)  # it reads no deployment
    accepted = client.get("/deployments/?status=accepted")
    assert cache_state(accepted) == "cold" and "Marta Ruiz" in accepted.get_data(as_text=True)


def test_each_write_shows_on_the_next_read_of_every_page_that_shows_it(client, db, login_as, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru XVII")
    expert = make_expert(db, name="Marta Ruiz")
    deployment = invited(db, officer, action, expert)
    login_as(officer)
    pages = ("/actions/", "/home", "/deployments/", "/experts/", "/dashboard/")
    for url in pages:
        assert client.get(url).status_code == 200  # remembered now

    db.get(Action, action.id).name = "Peru XVIII"  # actions
    db.commit()
    assert "Peru XVIII" in client.get("/actions/").get_data(as_text=True)

    db.get(Expert, expert.id).name = "Marta Ruiz Soler"  # experts: the roster and the deployments list show it
    db.commit()
    assert "Marta Ruiz Soler" in client.get("/experts/").get_data(as_text=True)
    assert "Marta Ruiz Soler" in client.get("/deployments/").get_data(as_text=True)

    db.get(Activity, deployment.activity_id).title = "Border management workshop"  # activities
    db.commit()
    assert "Border management workshop" in client.get("/deployments/").get_data(as_text=True)
    assert "Border management workshop" in client.get("/home").get_data(as_text=True)  # the next activities

    apply_deployment_event(db, deployment, DeploymentEvent.CANCEL, actor=officer, now=T0,
                           reason="The partner postponed the workshop.")  # deployments
    db.commit()
    assert "Marta Ruiz Soler" not in client.get("/deployments/?status=invited").get_data(as_text=True)

    assert "Actions: Suspended" not in client.get("/home").get_data(as_text=True)
    apply_action_event(db, db.get(Action, action.id), ActionEvent.SUSPEND, actor=officer, now=T0,
                       reason="Elections in the partner country.")  # the home page's counts
    db.commit()
    assert "Actions: Suspended" in client.get("/home").get_data(as_text=True)


def test_a_computation_that_read_nothing_of_the_portfolio_is_replaced_by_any_change(app: Flask, db, officer, peru):
    action = make_action(db, officer, beneficiary=peru)
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    def read_actions():
        calls.append(1)
        db.scalar(select(Action.id).limit(1))
        return len(calls)

    with app.test_request_context():
        assert remember(db, "nothing", compute) == 1
        assert remember(db, "actions", read_actions) == 2
    expert = make_expert(db)  # experts only
    with app.test_request_context():
        assert remember(db, "nothing", compute) == 3  # it could have depended on anything
        assert remember(db, "actions", read_actions) == 2  # it read Actions, and none changed
    db.get(Action, action.id).title = "Renamed"
    db.commit()
    with app.test_request_context():
        assert remember(db, "actions", read_actions) == 4
    assert expert.id


def test_a_computation_using_a_remembered_one_depends_on_what_that_one_read(app: Flask, db, officer, peru):
    action = make_action(db, officer, beneficiary=peru)
    calls = []

    def inner():
        calls.append("inner")
        return db.scalar(select(Action.title).where(Action.id == action.id))

    def outer():
        calls.append("outer")
        db.scalar(select(Expert.id).limit(1))  # it reads experts itself, and Actions only through the inner one
        return remember(db, "inner", inner) + "!"

    with app.test_request_context():
        remember(db, "inner", inner)  # remembered before the outer one reads it (no SQL inside the outer then)
        assert remember(db, "outer", outer) == "Trafficking in human beings!"
    db.get(Action, action.id).title = "Border management"
    db.commit()
    with app.test_request_context():
        assert remember(db, "outer", outer) == "Border management!"
    assert calls == ["inner", "outer", "outer", "inner"]


def figure(html: str, name: str) -> int:
    found = re.search(rf'id="figure-{name}">(\d+)</a>', html)
    assert found, f"the dashboard shows its {name} figure"
    return int(found.group(1))


def test_the_dashboard_shows_each_write_on_its_next_read_whichever_part_it_changes(client, db, login_as, officer,
                                                                                    peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    expert_user = make_user(db, Role.EXPERT)
    deployment = invited(db, officer, action, make_expert(db, name="Marta Ruiz", user=expert_user))
    login_as(officer)
    first = client.get("/dashboard/").get_data(as_text=True)
    assert figure(first, "experts") == 0 and 'data-year="2028"' not in first

    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert_user, now=T0)  # deployments
    db.commit()
    second = client.get("/dashboard/").get_data(as_text=True)
    assert figure(second, "experts") == 1 and figure(second, "activities") == figure(first, "activities")

    make_staffed_activity(db, action, officer, start=date(2028, 2, 7))  # activities: the years' table
    second_visit = client.get("/dashboard/")
    third = second_visit.get_data(as_text=True)
    assert cache_state(second_visit) == "cold"
    assert figure(third, "activities") == figure(first, "activities") + 1 and 'data-year="2028"' in third


def test_each_statement_of_a_figure_is_remembered_apart_and_recomputed_only_when_what_it_reads_changes(
        app, db, officer, peru):
    from workflow.core.figures import remembered_rows
    from workflow.deployments.models import Deployment
    from workflow.reference.models import Region

    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru XX")
    regions = lambda code: select(func.count()).select_from(Region).where(Region.code == code)  # noqa: E731
    deployments = select(func.count()).select_from(Deployment)
    with app.test_request_context():
        some = remembered_rows(db, regions(peru.country.region.code))[0][0]
        assert some >= 1 and remembered_rows(db, regions("nowhere")) == ((0,),)
        assert remembered_rows(db, deployments) == ((0,),)
    invited(db, officer, action, make_expert(db, name="Ana Paz"))
    with app.test_request_context():
        hits = remembered().hits
        assert remembered_rows(db, regions(peru.country.region.code)) == ((some,),)  # built again: found
        assert remembered().hits == hits + 1
        assert remembered_rows(db, deployments) == ((1,),)  # reads the deployments: computed again
        assert remembered().hits == hits + 1


def test_an_e_mail_delivered_replaces_no_version_and_one_failed_replaces_its_own(app, db, clock, officer, peru):
    """The scheduler sends several e-mails a second under load: recording a delivery (claimed, sent, a retry planned)
    must not make every page that shows reminders or a to-do count compute afresh; a failure (the to-do counts count
    them) and any change to what a reminder is about must."""
    from datetime import timedelta

    from workflow.mail.mailer import OutboxMailer
    from workflow.notifications.models import EmailState, Notification, NotificationEmail
    from workflow.reminders.dispatch import dispatch_due_reminders
    from workflow.reminders.models import EmailMessage, Reminder, ReminderState
    from workflow.reminders.queries import upcoming_for_activity
    from workflow.reminders.sync import refresh_recurring

    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru XVIII")
    expert_user = make_user(db, Role.EXPERT)
    deployment = invited(db, officer, action, make_expert(db, name="Rosa Díaz", user=expert_user))
    waiting = db.scalars(select(Reminder).where(Reminder.state == ReminderState.PENDING, Reminder.due_at > clock.now)
                         .order_by(Reminder.due_at, Reminder.id)).all()
    assert len(waiting) >= 2
    first, second = waiting[0], waiting[1]

    def replaced(before: dict[str, int]) -> set[str]:
        after = tokens(db)
        return {name for name in after if before.get(name) != after[name]}

    with app.test_request_context():
        assert first.due_at in [u.due_at for u in upcoming_for_activity(db, deployment.activity_id)]
    db.execute(update(Reminder).where(Reminder.due_at < clock.now, Reminder.state == ReminderState.PENDING)
               .values(state=ReminderState.CANCELLED))  # those already past: not this test's
    db.commit()
    with app.app_context():  # the pass's first step, which re-derives the recurring reminders: not a delivery
        refresh_recurring(db, first.due_at)
        db.commit()
    before = tokens(db)
    with app.app_context():
        report = dispatch_due_reminders(db, now=first.due_at, mailer=OutboxMailer(), base_url="https://peerflow.test")
    assert report.sent >= 1 and db.get(Reminder, first.id).state is ReminderState.SENT
    assert db.scalar(select(func.count()).select_from(EmailMessage).where(EmailMessage.reminder_id == first.id)) == 1
    # Only the in-app copy of the reminder is news (its reader's notifications); the reminders' version stays.
    assert replaced(before) == {"notifications"}
    clock.set(first.due_at + timedelta(minutes=1))
    with app.test_request_context():  # and the panel no longer lists it: it is no longer to come
        assert first.due_at not in [u.due_at for u in upcoming_for_activity(db, deployment.activity_id)]

    second, last = db.get(Reminder, second.id), db.get(Reminder, waiting[-1].id)  # the pass let go of its rows
    assert second.state is ReminderState.PENDING
    before = tokens(db)  # a retry planned: still a delivery
    second.attempts, second.last_error = 1, "451 try again later"
    second.next_attempt_at = second.due_at + timedelta(minutes=5)
    db.commit()
    assert replaced(before) == set()
    second.state, second.attempts = ReminderState.FAILED, 5  # given up: staff's to-do counts it
    db.commit()
    assert replaced(before) == {"reminders"}
    before = tokens(db)
    last.due_at += timedelta(days=1)  # what the reminder is about changed
    db.commit()
    assert replaced(before) == {"reminders"}

    mail = db.scalar(select(NotificationEmail).where(NotificationEmail.user_id == expert_user.id))
    assert mail is not None and mail.state is EmailState.PENDING
    before = tokens(db)
    mail.state, mail.sent_at, mail.to_address, mail.subject, mail.transport = (
        EmailState.SENT, mail.due_at, expert_user.email, "Invitation", "outbox")
    db.commit()
    assert replaced(before) == set()
    db.add(Notification(user_id=expert_user.id, title="News", body="", created_at=mail.due_at))
    db.commit()
    assert replaced(before) == {"notifications"}  # the failed e-mails the to-do counts read are counted apart
