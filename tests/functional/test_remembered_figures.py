"""Portfolio figures remembered per process: reused while the data stands still, recomputed after any change."""

import re

from flask import Flask
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action
from workflow.core.figures import remember, remembered
from workflow.core.models import DataVersion

from ..factories import make_action, make_user


def token(db) -> int:
    return db.scalar(select(DataVersion.token).where(DataVersion.name == "actions"))


def test_a_published_action_reaches_the_catalogue_and_its_figures_at_once(app: Flask, client, db, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru XIV")
    assert "Peru XIV" not in client.get("/catalogue/").get_data(as_text=True)
    with app.app_context():
        hits = remembered().hits
    assert "Peru XIV" not in client.get("/catalogue/").get_data(as_text=True)
    with app.app_context():
        assert remembered().hits > hits  # the second visit reused the count, the page's ids and the figures

    before = token(db)
    db.get(Action, action.id).published = True
    db.commit()
    assert token(db) != before

    html = client.get("/catalogue/").get_data(as_text=True)
    assert "Peru XIV" in html
    assert client.get("/catalogue/map.json").get_json()["countries"] == [{"code": "PE", "name": "Peru", "count": 1}]


def test_the_dashboard_counts_an_action_added_after_it_was_shown(client, db, login_as, officer, peru):
    login_as(officer)
    make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    first = client.get("/dashboard/?region=latin_america_caribbean").get_data(as_text=True)
    make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    second = client.get("/dashboard/?region=latin_america_caribbean").get_data(as_text=True)
    assert count_of_actions(first) == 1 and count_of_actions(second) == 2


def count_of_actions(html: str) -> int:
    found = re.search(r'id="figure-actions">(\d+)</a>', html)
    assert found, "the dashboard links its Action figure to the list"
    return int(found.group(1))


def test_a_transaction_that_changed_the_portfolio_keeps_nothing(app: Flask, db, officer, peru):
    action = make_action(db, officer, beneficiary=peru)
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    with app.test_request_context():
        assert remember(db, "figure", compute) == 1
        assert remember(db, "figure", compute) == 1  # remembered
        action.title = "Changed, not yet committed"
        db.flush()
        assert remember(db, "figure", compute) == 2  # computed afresh, and not kept
        assert remember(db, "figure", compute) == 3
        db.rollback()


def test_the_menu_kept_per_role_and_language_never_leaks_between_them(app: Flask, client, db, login_as, officer):
    login_as(officer)
    english = client.get("/actions/").get_data(as_text=True)
    spanish = client.get("/actions/?lang=es").get_data(as_text=True)
    assert "Dashboard" in english and "Audit log" not in english
    assert ">Panel</a>" in spanish and ">Dashboard</a>" not in spanish
    client.get("/actions/?lang=en")
    login_as(make_user(db, Role.ADMIN))
    assert "Audit log" in client.get("/actions/").get_data(as_text=True)
    login_as(make_user(db, Role.EXPERT))
    menu = client.get("/home").get_data(as_text=True)
    assert "My assignments" in menu and "Dashboard" not in menu and "Audit log" not in menu


def test_an_experts_answer_recounts_only_the_catalogues_experts(client, db, officer, peru, count_queries):
    """The catalogue's figures per region are three statements remembered apart: a change of the deployments
    (an expert accepts) recounts the experts per region, not the Actions' or the activities' counts."""
    from workflow.accounts.models import User
    from workflow.activities.models import ExpertSlot
    from workflow.deployments.lifecycle import DeploymentEvent
    from workflow.deployments.services import apply_deployment_event, propose
    from workflow.experts.models import Expert

    from ..factories import T0, make_expert, make_staffed_activity

    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru XV")
    action.published = True
    activity = make_staffed_activity(db, action, officer)
    expert_user = make_user(db, Role.EXPERT)
    expert = make_expert(db, user=expert_user)
    db.commit()
    ids = (activity.slots[0].id, expert.id, officer.id, expert_user.id)
    assert client.get("/catalogue/").status_code == 200  # cold: everything computed and kept

    slot, expert, officer, expert_user = (db.get(cls, i) for cls, i in zip((ExpertSlot, Expert, User, User), ids,
                                                                           strict=True))
    deployment = propose(db, slot, expert, actor=officer, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert_user, now=T0)
    db.commit()
    with count_queries() as counted:
        assert client.get("/catalogue/").status_code == 200
    grouped = [s for s in counted.statements if "GROUP BY" in s and "region_id" in s]
    assert len(grouped) == 1 and "pairs" in grouped[0], grouped
