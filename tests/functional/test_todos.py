"""What needs you now: each role's home page lists its to-dos, the menu counts them, and the focal point approves
or refuses releases from their list; a to-do drops off once done, without a second click."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role, User
from workflow.actions.lifecycle import ActionStatus
from workflow.activities.models import Activity
from workflow.deployments.lifecycle import DeploymentEvent, DeploymentStatus
from workflow.deployments.models import Deployment, DeploymentTransition
from workflow.deployments.services import apply_deployment_event, propose
from workflow.experts.models import Expert
from workflow.governance.models import Answer, MemberKind
from workflow.governance.services import add_member, answer_consultation, send_to_committee
from workflow.requests.lifecycle import RequestStatus
from workflow.todos.services import todo_count, todos_for

from ..factories import make_action, make_expert, make_request, make_staffed_activity, make_user

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the test clock


def todo_titles(html: str) -> list[str]:
    section = html.split('data-testid="todos"', 1)[1].split("</section>", 1)[0]
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r'<a href="[^"]*">(.*?)</a>', section)]


def menu_count(html: str) -> int:
    item = html.split('data-testid="todo-menu"', 1)[1].split("</a>", 1)[0]
    found = re.search(r'aria-hidden="true">(\d+)<', item)
    return int(found.group(1)) if found else 0


APP = []


@pytest.fixture(autouse=True)
def the_app(app):
    APP[:] = [app]


def step():
    """The steps taken here tell people (notify() reads the app's languages): an app context, as in a request.

    Only around the step: a context left pushed would be shared by the test client's requests."""
    return APP[0].app_context()


@pytest.fixture()
def action(db, officer, peru):
    return make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)


@pytest.fixture()
def soon(db, officer, action):
    return make_staffed_activity(db, action, officer, start=date(2026, 12, 14), title="Workshop soon")


@pytest.fixture()
def later(db, officer, action):
    return make_staffed_activity(db, action, officer, start=date(2027, 1, 11), title="Workshop later")


def invited(db, officer, activity, expert, at=NOW):
    with step():  # the step's end closes the session: read what it needs again
        activity, expert, officer = (db.get(Activity, activity.id), db.get(Expert, expert.id),
                                     db.get(User, officer.id))
        deployment = propose(db, activity.slots[0], expert, actor=officer, now=at)
        apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=at)
        db.commit()
    return deployment


def test_the_requester_sees_the_clarification_and_their_draft(db, login_as, client, requester_pe, requester_bo,
                                                            officer):
    make_request(db, requester_pe, RequestStatus.CLARIFICATION_REQUESTED, officer, title="Asked about")
    make_request(db, requester_pe, RequestStatus.DRAFT, title="Half written")
    make_request(db, requester_bo, RequestStatus.DRAFT, title="Bolivian draft")
    html = login_as(requester_pe).get("/home").get_data(as_text=True)
    titles = todo_titles(html)
    assert any("Asked about" in t for t in titles) and any("Half written" in t for t in titles)
    assert "Bolivian draft" not in " ".join(titles)
    assert menu_count(html) == 2
    assert "2 things need you" in html


def test_an_empty_home_page_says_nothing_waits(db, login_as, client, requester_bo):
    html = login_as(requester_bo).get("/home").get_data(as_text=True)
    assert "Nothing waits for you." in html and menu_count(html) == 0


def test_the_committee_member_sees_open_consultations_until_they_answer(db, login_as, client, clock, officer,
                                                                       requester_pe):
    admin = make_user(db, Role.ADMIN)
    member = make_user(db, Role.STEERING)
    add_member(db, member.id, MemberKind.COMMITTEE_MEMBER, False, actor=admin, now=clock.now)
    request = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer, title="Border study")
    with step():
        send_to_committee(db, request, date(2026, 12, 3), actor=officer, now=clock.now)
        db.commit()
    html = login_as(member).get("/home").get_data(as_text=True)
    assert any("Border study" in t for t in todo_titles(html))
    assert "3 Dec 2026" in html or "4 Dec 2026" in html  # the deadline, in the reader's language
    with step():
        answer_consultation(db, request, Answer.SUPPORT, None, actor=member, now=clock.now)
        db.commit()
    html = client.get("/home").get_data(as_text=True)
    assert "Nothing waits for you." in html and menu_count(html) == 0
    # Every member answered: the officer records the decision.
    assert any("Record the decision" in t for t in todo_titles(login_as(officer).get("/home").get_data(as_text=True)))


def test_the_expert_sees_invitations_missions_and_reports_due(db, login_as, client, officer, action, soon):
    user = make_user(db, Role.EXPERT)
    lucia = make_expert(db, user=user)
    invited(db, officer, soon, lucia)
    past = make_staffed_activity(db, action, officer, start=date(2026, 11, 2), title="Workshop past")
    # Booked and confirmed on an activity that has ended, without a report: the report is due.
    with step():
        deployment = invited(db, officer, past, lucia, at=datetime(2026, 10, 1, tzinfo=UTC))
        apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=user, now=datetime(2026, 10, 2, tzinfo=UTC))
        deployment.release_approved_at = datetime(2026, 10, 2, tzinfo=UTC)
        apply_deployment_event(db, deployment, DeploymentEvent.CONFIRM, actor=officer,
                               now=datetime(2026, 10, 3, tzinfo=UTC))
        db.commit()
    html = login_as(user).get("/home").get_data(as_text=True)
    titles = todo_titles(html)
    assert titles[0].startswith("Write your mission report")  # overdue since Nov 14: first
    assert any("Answer the invitation" in t and "Workshop soon" in t for t in titles)
    assert 'class="small text-nowrap text-danger fw-semibold"' in html


def test_the_officer_sees_reviews_unstaffed_slots_and_unanswered_invitations(db, login_as, client, officer,
                                                                            requester_pe, soon, later):
    make_request(db, requester_pe, RequestStatus.SUBMITTED, officer, title="Fresh request")
    expert = make_expert(db, user=make_user(db, Role.EXPERT))
    invited(db, officer, later, expert, at=NOW - timedelta(days=5))
    html = login_as(officer).get("/home").get_data(as_text=True)
    titles = todo_titles(html)
    assert any("Fresh request" in t for t in titles)
    assert any("Workshop soon" in t and "open place" in t for t in titles)  # unstaffed within 60 days
    assert any("has not answered the invitation" in t for t in titles)
    assert not any("Workshop later" in t and "open place" in t for t in titles)  # taken by the invitation
    assert menu_count(html) == len(titles)


def test_a_long_queue_lists_its_twenty_longest_waiting_and_the_menu_says_more(db, login_as, officer, requester_pe):
    for i in range(23):
        make_request(db, requester_pe, RequestStatus.SUBMITTED, officer, title=f"Queued request {i:02d}")
    html = login_as(officer).get("/home").get_data(as_text=True)
    reviews = [t for t in todo_titles(html) if "Queued request" in t]
    assert len(reviews) == 20
    item = html.split('data-testid="todo-menu"', 1)[1].split("</a>", 1)[0]
    assert 'aria-hidden="true">20+<' in item and "more than 20 things need you" in item
    other_page = login_as(officer).get("/requests/").get_data(as_text=True)  # counted there in one query
    assert 'aria-hidden="true">20+<' in other_page.split('data-testid="todo-menu"', 1)[1].split("</a>", 1)[0]


def test_the_focal_point_lists_only_their_states_releases_and_approves_one(db, login_as, client, post, officer,
                                                                          soon, later):
    spaniard = make_expert(db, name="Elena Spain", user=make_user(db, Role.EXPERT))
    portuguese = make_expert(db, name="Pedro Portugal", country="PT", languages={"es": "C1"})
    mine = invited(db, officer, soon, spaniard)
    theirs = invited(db, officer, later, portuguese)
    focal = make_user(db, Role.MS_FOCAL_POINT, country="ES")
    login_as(focal)
    home = client.get("/home").get_data(as_text=True)
    assert any("Elena Spain" in t for t in todo_titles(home)) and "Pedro Portugal" not in home
    assert menu_count(home) == 1
    page = client.get("/deployments/releases")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Elena Spain" in html and "Pedro Portugal" not in html
    answer = post(f"/deployments/{mine.id}/release", {"version": str(mine.version), "next": "/deployments/releases"},
                  token_page="/deployments/releases")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/deployments/releases")
    db.expire_all()
    assert db.get(Deployment, mine.id).release_approved_at is not None
    home = client.get("/home").get_data(as_text=True)
    assert "Nothing waits for you." in home and menu_count(home) == 0
    again = post(f"/deployments/{mine.id}/release", {"version": str(mine.version)}, token_page="/deployments/releases",
                 follow_redirects=True)
    assert "already approved" in again.get_data(as_text=True)
    # Another state's official: not theirs to release, nor to refuse.
    assert post(f"/deployments/{theirs.id}/release", {"version": "2"}, token_page="/home").status_code == 404
    assert post(f"/deployments/{theirs.id}/release/refuse", {"reason": "No."},
                token_page="/home").status_code == 404


def test_the_focal_point_refuses_a_release_with_a_reason(db, login_as, client, post, officer, soon):
    spaniard = make_expert(db, name="Elena Spain", user=make_user(db, Role.EXPERT))
    deployment = invited(db, officer, soon, spaniard)
    focal = make_user(db, Role.MS_FOCAL_POINT, country="ES")
    login_as(focal)
    empty = post(f"/deployments/{deployment.id}/release/refuse", {"reason": "  "}, token_page="/deployments/releases")
    assert empty.status_code == 422
    html = empty.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and "Say why you refuse the release" in html
    db.expire_all()
    assert db.get(Deployment, deployment.id).status is DeploymentStatus.INVITED
    done = post(f"/deployments/{deployment.id}/release/refuse", {"reason": "Needed at home that week."},
                token_page="/deployments/releases")
    assert done.status_code == 302
    db.expire_all()
    refused = db.get(Deployment, deployment.id)
    assert refused.status is DeploymentStatus.CANCELLED
    assert refused.release_refused_by_id == focal.id and refused.release_refusal_reason == "Needed at home that week."
    last = db.scalars(select(DeploymentTransition).where(DeploymentTransition.deployment_id == deployment.id)
                      .order_by(DeploymentTransition.id.desc())).first()
    assert last.reason == "Release refused by the focal point: Needed at home that week." and last.actor_id == focal.id
    assert "No release waits for you." in client.get("/deployments/releases").get_data(as_text=True)
    twice = post(f"/deployments/{deployment.id}/release/refuse", {"reason": "Again."},
                 token_page="/deployments/releases", follow_redirects=True)
    assert twice.status_code == 200 and "needs no release approval" in twice.get_data(as_text=True)
    # The focal point cannot cancel a deployment by the lifecycle's own step.
    other = invited(db, officer, make_staffed_activity(db, soon.action, officer, start=date(2027, 2, 1)), spaniard)
    assert post(f"/deployments/{other.id}/events/cancel", {"version": str(other.version), "reason": "x"},
                token_page="/deployments/releases").status_code in (302, 403)
    db.expire_all()
    assert db.get(Deployment, other.id).status is DeploymentStatus.INVITED


def test_the_focal_point_is_asked_to_nominate_for_a_call_that_reached_them(db, login_as, client, officer, soon):
    from workflow.calls.models import Call, CallRecipient, FocalProposal, RecipientKind

    focal = make_user(db, Role.MS_FOCAL_POINT, country="ES")
    call = Call(activity_id=soon.id, message="We need a peer.", answer_deadline=NOW + timedelta(days=5),
                created_by_id=officer.id, created_at=NOW, sent_at=NOW)
    call.recipients = [CallRecipient(kind=RecipientKind.FOCAL_POINT, user_id=focal.id, created_at=NOW)]
    db.add(call)
    db.commit()
    assert any("Propose experts" in t for t in todo_titles(login_as(focal).get("/home").get_data(as_text=True)))
    db.add(FocalProposal(call_id=call.id, focal_point_id=focal.id,
                         expert_id=make_expert(db, name="Elena Spain").id, created_at=NOW))
    db.commit()
    assert "Nothing waits for you." in client.get("/home").get_data(as_text=True)


def test_todos_for_orders_overdue_first_then_by_due_date_and_counts_in_one_query(app, db, officer, action, soon,
                                                                                 later, count_queries):
    late = make_staffed_activity(db, action, officer, start=date(2026, 11, 2), title="Workshop past")
    user = make_user(db, Role.EXPERT)
    expert = make_expert(db, user=user)
    invited(db, officer, later, expert)
    invited(db, officer, soon, expert, at=NOW - timedelta(days=8))  # expired yesterday: overdue
    assert late.id
    with app.test_request_context("/home"):
        todos = todos_for(db, user, NOW)
        assert [t.kind for t in todos] == ["invitation", "invitation"]
        assert todos[0].overdue and "Workshop soon" in todos[0].title
        assert not todos[1].overdue and todos[1].link.startswith("/deployments/")
        with count_queries() as counted:
            counted_todos = todo_count(db, officer, NOW)
        # One query for the count (the other reads the data versions, which a page's user loader reads with the user).
        assert len([sql for sql in counted.statements if "data_versions" not in sql]) == 1
        assert counted_todos.number == len(todos_for(db, officer, NOW)) == 1  # the invitation unanswered after the nudge
        assert str(counted_todos) == "1" and not counted_todos.more


def test_the_menu_count_is_remembered_until_what_it_reads_changes_or_the_minute_turns(db, login_as, client, clock,
                                                                                      officer, requester_pe,
                                                                                      count_queries):
    make_request(db, requester_pe, RequestStatus.SUBMITTED, officer, title="First request")
    login_as(officer)
    assert menu_count(client.get("/requests/").get_data(as_text=True)) == 1
    with count_queries() as counted:
        assert menu_count(client.get("/requests/").get_data(as_text=True)) == 1
    assert not [sql for sql in counted.statements if "consultation" in sql]  # remembered: not counted again
    make_request(db, requester_pe, RequestStatus.SUBMITTED, officer, title="Second request")  # a new row
    assert menu_count(client.get("/requests/").get_data(as_text=True)) == 2  # on the very next page
    other = make_user(db, Role.OFFICER)  # staff share one count: it reads nothing of the person
    assert menu_count(login_as(other).get("/requests/").get_data(as_text=True)) == 2
    # An invitation unanswered since the nudge: a to-do that comes with the time alone, within the minute.
    expert = make_expert(db, user=make_user(db, Role.EXPERT))
    later = make_staffed_activity(db, make_action(db, officer, status=ActionStatus.IMPLEMENTATION),
                                  officer, start=date(2027, 3, 1), title="Workshop in March")
    invited(db, officer, later, expert, at=clock.now - timedelta(days=3) + timedelta(seconds=30))
    assert menu_count(client.get("/requests/").get_data(as_text=True)) == 2
    clock.set(clock.now + timedelta(minutes=1))
    assert menu_count(client.get("/requests/").get_data(as_text=True)) == 3
