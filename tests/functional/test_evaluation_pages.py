"""The participants' questionnaire at its anonymous link, the results on the pages, work history and ratings."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.evaluations.models import DeploymentRating, EvaluationResponse
from workflow.evaluations.services import EvaluationDraft, open_evaluation

from ..factories import make_action, make_completed_deployment, make_expert, make_staffed_activity, make_user
from .conftest import TOKEN

NONCE = re.compile(r'name="nonce"[^>]*value="([^"]+)"')
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture()
def world(db, officer, requester_pe, peru):
    """A delivered workshop in Lima with Lucía's completed deployment, and a Spanish questionnaire open two weeks."""
    admin = make_user(db, Role.ADMIN)
    lucia = make_expert(db, name="Lucía Herrera", country="ES", user=make_user(db, Role.EXPERT))
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    activity = make_staffed_activity(db, action, officer, start=date(2026, 3, 2), languages=("es", "en"),
                                     title="Taller sobre asistencia a víctimas")
    deployment = make_completed_deployment(db, activity, lucia, officer, expert_user=lucia.user, releaser=admin)
    evaluation = open_evaluation(db, activity, EvaluationDraft("es", NOW.date(), NOW.date() + timedelta(days=13)),
                                 supported=("en", "es", "fr"), actor=officer, now=NOW)
    db.commit()
    return {"action": action, "activity": activity, "deployment": deployment, "evaluation": evaluation,
            "lucia": lucia, "link": f"/evaluate/{evaluation.token}"}


def fill(client, link: str, scores=(4, 5, 4, 3), comment: str = "", **headers) -> dict:
    """The questionnaire as a participant's browser sends it: the page's CSRF token and nonce, and the answers."""
    html = client.get(link, headers=headers).get_data(as_text=True)
    relevance, experts_input, usefulness, organisation = scores
    return {"csrf_token": TOKEN.search(html).group(1), "nonce": NONCE.search(html).group(1), "relevance": relevance,
            "experts_input": experts_input, "usefulness": usefulness, "organisation": organisation, "comment": comment}


def participant_answers(app, link: str, scores=(4, 5, 4, 3), comment: str = "") -> None:
    """A new participant (their own browser) answers."""
    browser = app.test_client()
    response = browser.post(link, data=fill(browser, link, scores, comment))
    assert response.status_code == 302, response.get_data(as_text=True)


def answers(db) -> int:
    return db.scalar(select(func.count(EvaluationResponse.id)))


# --- The acceptance test -------------------------------------------------------------------------------


def test_an_evaluation_link_works_without_signing_in_until_its_window_closes_then_answers_410(app, client, db, clock,
                                                                                              world):
    link = world["link"]
    page = client.get(link)
    assert page.status_code == 200
    assert "Taller sobre asistencia a víctimas" in page.get_data(as_text=True)
    sent = client.post(link, data=fill(client, link))
    assert sent.status_code == 302 and sent.headers["Location"].endswith(link)
    assert answers(db) == 1

    clock.set(world["evaluation"].closes_at - timedelta(seconds=1))
    assert app.test_client().get(link).status_code == 200  # still open on its last second
    late = app.test_client()
    form = fill(late, link)
    clock.set(world["evaluation"].closes_at)
    assert late.get(link).status_code == 410
    assert late.post(link, data=form).status_code == 410
    assert answers(db) == 1


def test_results_appear_on_the_activity_page_with_counts_and_fewer_than_three_are_too_few_to_show(
        app, client, db, login_as, officer, requester_pe, world):
    page = f"/activities/{world['activity'].id}"
    for scores in ((4, 5, 4, 3), (2, 4, 4, 5)):
        participant_answers(app, world["link"], scores)
    for person in (officer, requester_pe):
        login_as(person)
        html = client.get(page).get_data(as_text=True)
        assert "2 answers: too few to show." in html and 'data-evaluation="too-few"' in html
        assert 'data-question="experts_input"' not in html

    participant_answers(app, world["link"], (3, 3, 4, 4))
    for person in (officer, requester_pe):
        login_as(person)
        html = client.get(page).get_data(as_text=True)
        assert "too few to show" not in html
        assert "from 3 answers" in html
        assert re.search(r'data-question="experts_input">4(\.0)?<', html)
        assert re.search(r'data-question="relevance">3(\.0)?<', html)


# --- The anonymous page ----------------------------------------------------------------------------


def test_the_questionnaire_is_in_its_own_language_whatever_the_browser_says(client, world):
    client.get("/?lang=fr")  # the language switcher, remembered in the session
    html = client.get(world["link"], headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="es"' in html


def test_the_same_browser_cannot_answer_twice(client, db, world):
    link = world["link"]
    form = fill(client, link)
    assert client.post(link, data=form).status_code == 302
    again = client.post(link, data=form)  # the back button and "send" once more
    assert again.status_code == 200 and 'name="nonce"' not in again.get_data(as_text=True)
    assert 'name="nonce"' not in client.get(link).get_data(as_text=True)  # a thank-you page, not a new form
    assert answers(db) == 1


def test_the_same_form_sent_from_a_copied_session_counts_once(app, db, world):
    link = world["link"]
    browser = app.test_client()
    form = fill(browser, link)
    copy = app.test_client()
    copy.set_cookie("session", browser.get_cookie("session").value)
    assert browser.post(link, data=form).status_code == 302
    assert copy.post(link, data=form).status_code == 200  # thanked, not counted
    assert answers(db) == 1


def test_a_post_without_its_csrf_token_is_refused(client, db, world):
    form = fill(client, world["link"])
    del form["csrf_token"]
    assert client.post(world["link"], data=form).status_code == 400
    assert answers(db) == 0


def test_a_huge_comment_is_refused_with_a_message_on_the_field_not_cut(client, db, world):
    form = fill(client, world["link"], comment="x" * 2001)
    response = client.post(world["link"], data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="comment-errors"' in html and "2000" in html
    assert 'maxlength' not in re.search(r"<textarea[^>]*>", html).group(0)
    assert answers(db) == 0


@pytest.mark.parametrize("field, value", [("relevance", "6"), ("experts_input", "abc"), ("usefulness", ""),
                                          ("nonce", "forged"), ("nonce", "")])
def test_bad_answers_are_refused_without_a_500_and_nothing_is_saved(client, db, world, field, value):
    form = fill(client, world["link"])
    form[field] = value
    assert client.post(world["link"], data=form).status_code == 200
    assert answers(db) == 0


def test_a_link_before_it_opens_says_when_and_an_unknown_link_is_not_found(app, client, db, clock, officer, world):
    later = open_evaluation(db, world["activity"], EvaluationDraft("en", NOW.date() + timedelta(days=3),
                                                                   NOW.date() + timedelta(days=9)),
                            supported=("en", "es", "fr"), actor=officer, now=NOW)
    db.commit()
    html = client.get(f"/evaluate/{later.token}").get_data(as_text=True)
    assert "not open yet" in html and 'name="nonce"' not in html
    assert client.get("/evaluate/no-such-questionnaire").status_code == 404
    assert client.get("/evaluate/" + "x" * 200).status_code == 404


# --- Staff: opening, closing, comments ----------------------------------------------------------------


def test_staff_open_a_questionnaire_and_see_its_link_and_the_comments(app, client, db, login_as, post, officer,
                                                                        requester_pe, world):
    activity = world["activity"]
    login_as(officer)
    assert client.get(f"/activities/{activity.id}/evaluations/new").status_code == 200
    response = post(f"/activities/{activity.id}/evaluations/new", {
        "language": "en", "opens_on": NOW.date().isoformat(), "closes_on": (NOW.date() + timedelta(days=5)).isoformat(),
        "form_key": "open-en"})
    assert response.status_code == 302
    html = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert html.count("/evaluate/") == 2 and world["evaluation"].token in html
    for comment in ("Muy útil", "Demasiado corto", "Excelente organización"):
        participant_answers(app, world["link"], comment=comment)
    html = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    comments = re.search(r'id="evaluation-comments">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r"<li[^>]*>(.*?)</li>", comments) == ["Demasiado corto", "Excelente organización", "Muy útil"]
    login_as(requester_pe)
    html = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "Muy útil" not in html and "/evaluate/" not in html and "from 3 answers" in html


def test_closing_a_questionnaire_makes_its_link_gone(client, db, login_as, post, officer, world):
    login_as(officer)
    assert post(f"/evaluations/{world['evaluation'].id}/close").status_code == 302
    client.get("/logout")
    assert client.get(world["link"]).status_code == 410


def test_a_planned_activity_offers_no_questionnaire(client, db, login_as, post, officer, world):
    planned = make_staffed_activity(db, world["action"], officer, start=date(2027, 3, 1))
    login_as(officer)
    assert "Open a questionnaire" not in client.get(f"/activities/{planned.id}").get_data(as_text=True)
    response = post(f"/activities/{planned.id}/evaluations/new", {
        "language": "es", "opens_on": NOW.date().isoformat(), "closes_on": NOW.date().isoformat(), "form_key": "k"})
    assert response.status_code == 200 and "once it is delivered" in response.get_data(as_text=True)


# --- Work history, ratings, the Action page and the dashboard ------------------------------------------


def test_the_expert_page_shows_the_work_history_and_ratings_to_staff_only(client, db, login_as, post, officer,
                                                                          world):
    lucia, deployment = world["lucia"], world["deployment"]
    login_as(officer)
    rating_page = f"/deployments/{deployment.id}/rating"
    assert client.get(rating_page).status_code == 200
    assert post(rating_page, {"score": "2", "note": "Report late."}).status_code == 302
    assert post(rating_page, {"score": "4", "note": "Report received."}).status_code == 302
    assert db.scalar(select(DeploymentRating.score).where(DeploymentRating.deployment_id == deployment.id)) == 4
    html = client.get(f"/experts/{lucia.id}").get_data(as_text=True)
    history = re.search(r'id="work-history".*?</section>', html, re.S).group(0)
    assert world["action"].name in history and "Taller sobre asistencia a víctimas" in history and "Peru" in history
    assert 'data-rating="4"' in history and "Report received." in history

    login_as(lucia.user)
    html = client.get(f"/experts/{lucia.id}").get_data(as_text=True)
    history = re.search(r'id="work-history".*?</section>', html, re.S).group(0)
    assert "Taller sobre asistencia a víctimas" in history
    assert "data-rating" not in history and "Report received." not in history and "/rating" not in history
    assert client.get(rating_page).status_code == 403


def test_a_huge_note_is_refused_on_its_field(client, db, login_as, post, officer, world):
    login_as(officer)
    response = post(f"/deployments/{world['deployment'].id}/rating", {"score": "3", "note": "n" * 2001})
    assert response.status_code == 200 and 'id="note-errors"' in response.get_data(as_text=True)
    assert db.scalar(select(func.count(DeploymentRating.id))) == 0


def test_the_action_page_and_the_dashboard_show_the_results(app, client, db, login_as, officer, world):
    login_as(officer)
    before = client.get("/dashboard/").get_data(as_text=True)  # remembered until the data changes
    assert "No participant has answered yet." in re.search(r'id="figure-evaluation".*?</section>', before, re.S).group(0)
    for scores in ((5, 5, 5, 5), (4, 4, 4, 4), (3, 3, 3, 3)):
        participant_answers(app, world["link"], scores)
    html = client.get(f"/actions/{world['action'].id}").get_data(as_text=True)
    assert "from 3 answers" in html and re.search(r'data-question="usefulness">4(\.0)?<', html)
    html = client.get("/dashboard/").get_data(as_text=True)
    block = re.search(r'id="figure-evaluation".*?</section>', html, re.S).group(0)
    assert "from 3 answers" in block and re.search(r'data-question="organisation">4(\.0)?<', block)
