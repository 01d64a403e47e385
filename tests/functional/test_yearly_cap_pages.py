"""The yearly day cap per calendar year on the pages: the expert's page, the suggestions, the refusal in each language."""

from datetime import date

import pytest

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose

from ..factories import T0, make_action, make_expert, make_staffed_activity, make_user

NEW_YEAR = date(2026, 12, 28)  # to 3 January 2027: 4 days in 2026, 3 in 2027


def accepted(db, slot, expert, officer):
    deployment = propose(db, slot, expert, actor=officer, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert.user, now=T0)
    db.commit()
    return deployment


@pytest.fixture()
def world(db, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    lucia = make_expert(db, name="Lucía Herrera", day_cap=22, user=make_user(db, Role.EXPERT))
    january = make_staffed_activity(db, action, officer, start=date(2027, 1, 11), days=20, title="January course")
    accepted(db, january.slots[0], lucia, officer)
    new_year = make_staffed_activity(db, action, officer, start=NEW_YEAR, days=7, title="New-year workshop")
    return lucia, new_year.slots[0]


def test_the_experts_page_shows_the_days_booked_in_each_calendar_year(db, client, login_as, officer, world):
    lucia, new_year_slot = world
    joao = make_expert(db, name="João Pereira", day_cap=60, user=make_user(db, Role.EXPERT))
    accepted(db, new_year_slot, joao, officer)
    login_as(officer)
    html = client.get(f"/experts/{joao.id}").get_data(as_text=True)
    assert "Days booked per year" in html
    assert "2026: 4 of 60 days" in html and "2027: 3 of 60 days" in html
    html = client.get(f"/experts/{lucia.id}").get_data(as_text=True)
    assert "2027: 20 of 22 days" in html and "2026:" not in html
    login_as(joao.user)
    html = client.get("/me").get_data(as_text=True)
    assert "2026: 4 of 60 days" in html and "2027: 3 of 60 days" in html


def test_an_expert_without_bookings_has_none_yet(db, client, login_as, officer, world):
    fresh = make_expert(db, name="Anna Novak")
    login_as(officer)
    html = client.get(f"/experts/{fresh.id}").get_data(as_text=True)
    assert "Days booked per year" in html and "none yet" in html


def test_the_suggestions_leave_out_an_expert_over_the_next_years_cap(db, client, login_as, officer, world):
    lucia, new_year_slot = world
    make_expert(db, name="Anna Novak", day_cap=22)
    login_as(officer)
    html = client.get(f"/slots/{new_year_slot.id}/suggestions").get_data(as_text=True)
    ranked, refused = html.split('data-testid="not-eligible"')
    assert "Anna Novak" in ranked and "Lucía Herrera" not in ranked
    assert "Lucía Herrera" in refused and "20 booked + 3 of this slot&#39;s 7 days that fall in 2027 = 23" in refused


@pytest.mark.parametrize("locale, words", [
    ("en", "cap of 22 days in 2027: 20 booked + 3 of this slot's 7 days that fall in 2027 = 23"),
    ("es", "límite de 22 días en 2027: 20 reservados + 3 de los 7 días de esta plaza que caen en 2027 = 23"),
    ("fr", "plafond de 22 jours en 2027 ; 20 réservés + 3 des 7 jours de ce poste qui tombent en 2027 = 23"),
])
def test_inviting_is_refused_naming_the_year_in_the_readers_language(db, client, login_as, post, officer, world,
                                                                     locale, words):
    lucia, new_year_slot = world
    slot_id, expert_id = new_year_slot.id, lucia.id
    login_as(officer)
    client.get(f"/home?lang={locale}")
    html = post(f"/slots/{slot_id}/deployments", {"expert_id": str(expert_id)}, follow_redirects=True).get_data(
        as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    assert words in html
