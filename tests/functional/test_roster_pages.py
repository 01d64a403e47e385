"""Roster, suggestions, invitations, releases, staffing and calendar feeds through the pages."""

from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.deployments.lifecycle import DeploymentEvent, DeploymentStatus
from workflow.deployments.models import Deployment
from workflow.deployments.services import apply_deployment_event, propose
from workflow.experts.models import Expert, ExpertStatus, Unavailability

from ..factories import T0, make_action, make_expert, make_institution, make_staffed_activity, make_user


@pytest.fixture()
def action(db, officer, peru):
    return make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)


@pytest.fixture()
def workshop(db, officer, action):
    return make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Workshop on victim assistance")


@pytest.fixture()
def pool(db, officer, action, peru):
    """The acceptance roster for a Spanish-language trafficking workshop in Peru."""
    people = {
        "best": make_expert(db, name="Lucía Best", themes={"irregular_migration_thb": 3}, languages={"es": "C2"}),
        "good": make_expert(db, name="Pedro Good", themes={"irregular_migration_thb": 2}, languages={"es": "B2"}),
        "away": make_expert(db, name="Ana Away", themes={"irregular_migration_thb": 3}, languages={"es": "C2"}),
        "full": make_expert(db, name="Frank Full", themes={"irregular_migration_thb": 3}, languages={"es": "C2"},
                            day_cap=2),
        "mute": make_expert(db, name="Marie Mute", themes={"irregular_migration_thb": 3}, languages={"fr": "C2"}),
        "insider": make_expert(db, name="Inés Insider", country="PE", employer=peru, expert_type="partner_peer"),
    }
    db.add(Unavailability(expert=people["away"], start_date=date(2027, 2, 20), end_date=date(2027, 3, 5)))
    db.commit()
    return people


def test_suggestions_rank_the_right_expert_first_and_list_the_excluded_apart(db, login_as, client, officer, workshop,
                                                                              pool):
    login_as(officer)
    html = client.get(f"/slots/{workshop.slots[0].id}/suggestions").get_data(as_text=True)
    ranked, refused = html.split('data-testid="not-eligible"')
    assert ranked.index("Lucía Best") < ranked.index("Pedro Good")
    for excluded, rule in (("Ana Away", "Unavailable"), ("Frank Full", "Yearly day cap"),
                           ("Marie Mute", "No working language"), ("Inés Insider", "Conflict of interest")):
        assert excluded not in ranked, excluded
        row = refused[refused.index(excluded):].split("</tr>")[0]
        assert rule in row, (excluded, rule)
        assert f"Invite {excluded}" not in html
    assert "level 3" in ranked  # the reasons are shown
    assert "Invite Lucía Best" in ranked


def test_suggestions_can_be_filtered(db, login_as, client, officer, workshop, pool):
    make_expert(db, name="João Filtered", country="PT", languages={"pt": "C2", "es": "C1"})
    login_as(officer)
    html = client.get(f"/slots/{workshop.slots[0].id}/suggestions?country=PT").get_data(as_text=True)
    assert "João Filtered" in html and "Lucía Best" not in html
    assert client.get(f"/slots/{workshop.slots[0].id}/suggestions?country=ZZ&gender=robot").status_code == 200


def test_inviting_from_the_suggestions_and_answering_in_the_portal(db, login_as, client, post, officer, workshop):
    expert_user = make_user(db, Role.EXPERT)
    expert = make_expert(db, name="Lucía Herrera", user=expert_user)
    login_as(officer)
    response = post(f"/slots/{workshop.slots[0].id}/deployments", {"expert_id": str(expert.id)})
    assert response.status_code == 302
    deployment = db.scalar(select(Deployment))
    assert deployment.status is DeploymentStatus.INVITED

    login_as(expert_user)
    portal = client.get("/me").get_data(as_text=True)
    assert "Workshop on victim assistance" in portal
    post(f"/deployments/{deployment.id}/events/accept", {"version": str(deployment.version), "next": "/me"},
         token_page="/me")
    db.expire_all()
    assert db.get(Deployment, deployment.id).status is DeploymentStatus.ACCEPTED


def test_an_expert_cannot_see_or_answer_someone_elses_invitation(db, login_as, client, post, officer, workshop):
    owner = make_expert(db, user=make_user(db, Role.EXPERT))
    deployment = propose(db, workshop.slots[0], owner, actor=officer, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=T0)
    db.commit()
    intruder = make_user(db, Role.EXPERT)
    make_expert(db, name="Someone Else", user=intruder)
    login_as(intruder)
    assert client.get(f"/deployments/{deployment.id}").status_code == 404
    assert post(f"/deployments/{deployment.id}/events/accept", {"version": "2"}, token_page="/me").status_code == 404
    assert "Workshop on victim assistance" not in client.get("/me").get_data(as_text=True)


def test_the_focal_point_sees_only_their_states_experts_and_approves_releases(db, login_as, client, post, officer,
                                                                             workshop):
    spaniard = make_expert(db, name="Elena Spain", user=make_user(db, Role.EXPERT))
    make_expert(db, name="Pedro Portugal", country="PT", languages={"pt": "C2", "es": "C1"})
    deployment = propose(db, workshop.slots[0], spaniard, actor=officer, now=T0)
    db.commit()
    focal = make_user(db, Role.MS_FOCAL_POINT, country="ES")
    login_as(focal)
    roster = client.get("/experts/").get_data(as_text=True)
    assert "Elena Spain" in roster and "Pedro Portugal" not in roster
    portuguese = db.scalar(select(Expert).where(Expert.name == "Pedro Portugal"))
    assert client.get(f"/experts/{portuguese.id}").status_code == 404
    post(f"/deployments/{deployment.id}/release", {"version": str(deployment.version)}, token_page="/experts/")
    db.expire_all()
    assert db.get(Deployment, deployment.id).release_approved_at is not None


def test_the_releases_awaited_come_a_page_at_a_time_and_a_refusal_comes_back_to_its_page(db, login_as, client, post,
                                                                                         officer, action):
    """Every release waiting is reachable (never the first 200 only), and a refusal without its reason comes back
    on the page it was made from, with the message, and changes nothing."""
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), places=3, title="Border workshop")
    waiting = [propose(db, activity.slots[0], make_expert(db, name=f"Official {n}"), actor=officer, now=T0)
               for n in range(3)]
    db.commit()
    login_as(make_user(db, Role.MS_FOCAL_POINT, country="ES"))
    first = client.get("/deployments/releases?per_page=2").get_data(as_text=True)
    second = client.get("/deployments/releases?per_page=2&page=2").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert first.count('data-testid="release-row"') == 2 and second.count('data-testid="release-row"') == 1
    shown = {d.expert.name for d in waiting if d.expert.name in first} | {
        d.expert.name for d in waiting if d.expert.name in second}
    assert shown == {"Official 0", "Official 1", "Official 2"}
    last = next(d for d in waiting if d.expert.name in second)
    response = post(f"/deployments/{last.id}/release/refuse?per_page=2", {"reason": "  ", "page": "2"},
                    token_page="/deployments/releases")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert last.expert.name in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Deployment, last.id).status is DeploymentStatus.PROPOSED


def test_a_focal_point_nominates_only_their_own_states_experts(db, login_as, post, client):
    focal = make_user(db, Role.MS_FOCAL_POINT, country="ES")
    login_as(focal)
    data = {"name": "Nuevo Experto", "email": "nuevo@example.org", "gender": "male", "nationality": "ES",
            "country_code": "PT", "type": "ms_official", "institution_id": "", "years_experience": "5",
            "max_days_per_year": "60", "lang_es": "C2", "theme_1": "2"}
    response = post("/experts/new", data, token_page="/experts/new")
    assert "own member state" in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Expert)) == 0
    response = post("/experts/new", {**data, "country_code": "ES"}, token_page="/experts/new")
    assert response.status_code == 302
    assert db.scalar(select(Expert)).status is ExpertStatus.NOMINATED


def test_bad_expert_levels_are_refused(db, login_as, post, officer):
    login_as(officer)
    data = {"name": "X", "email": "x@example.org", "gender": "male", "nationality": "ES", "country_code": "ES",
            "type": "ms_official", "years_experience": "5", "max_days_per_year": "60", "lang_es": "Z9"}
    response = post("/experts/new", data, token_page="/experts/new")
    assert "Not a CEFR level" in response.get_data(as_text=True)
    response = post("/experts/new", {**data, "lang_es": "C1", "max_days_per_year": "9999"}, token_page="/experts/new")
    assert "Number must be between 0 and 366." in response.get_data(as_text=True)


def test_roster_filters(db, login_as, client, officer, workshop):
    make_expert(db, name="Busy Bee")
    busy = db.scalar(select(Expert).where(Expert.name == "Busy Bee"))
    db.add(Unavailability(expert=busy, start_date=date(2027, 3, 1), end_date=date(2027, 3, 31)))
    make_expert(db, name="Free Bird", languages={"fr": "C1"}, themes={"legal_migration_mobility": 2})
    db.commit()
    login_as(officer)

    def names(query: str) -> set[str]:
        html = client.get(f"/experts/?{query}").get_data(as_text=True)
        return {n for n in ("Busy Bee", "Free Bird") if n in html}

    assert names("language=fr") == {"Free Bird"}
    assert names("theme=irregular_migration_thb") == {"Busy Bee"}
    assert names("free_from=2027-03-10&free_to=2027-03-12") == {"Free Bird"}
    assert names("q=bird") == {"Free Bird"}
    assert client.get("/experts/?free_from=2027-03-12&free_to=2027-03-01").status_code == 200


def test_the_staffing_page_proposes_and_accepting_creates_deployments(db, login_as, client, post, officer, workshop,
                                                                     pool, clock):
    login_as(officer)
    html = client.get("/staffing?days=120").get_data(as_text=True)
    assert "Lucía Best" in html and "of the best possible" in html
    response = post("/staffing?days=120", {"pick": [f"{workshop.slots[0].id}:{pool['best'].id}"]},
                    token_page="/staffing?days=120")
    assert response.status_code == 302
    deployment = db.scalar(select(Deployment))
    assert (deployment.expert_id, deployment.status) == (pool["best"].id, DeploymentStatus.PROPOSED)


def test_calendar_feeds_parse_and_keep_their_uids(db, client, officer, action, workshop):
    expert = make_expert(db, expert_type="partner_peer", country="AR", user=make_user(db, Role.EXPERT))
    deployment = propose(db, workshop.slots[0], expert, actor=officer, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert.user, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.CONFIRM, actor=officer, now=T0)
    expert.calendar_token = "e" * 32
    action.calendar_token = "a" * 32
    db.commit()

    def events(url: str) -> list:
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        return [c for c in Calendar.from_ical(response.data).walk("VEVENT")]

    first = events(f"/calendar/experts/{'e' * 32}.ics")
    again = events(f"/calendar/experts/{'e' * 32}.ics")
    assert [str(e["uid"]) for e in first] == [str(e["uid"]) for e in again] == [f"deployment-{deployment.id}@127.0.0.1"]
    assert first[0]["dtstart"].dt == date(2027, 3, 1) and first[0]["dtend"].dt == date(2027, 3, 4)
    assert "Workshop on victim assistance" in str(first[0]["summary"])
    assert len(events(f"/calendar/actions/{'a' * 32}.ics")) == 1
    assert client.get(f"/calendar/experts/{'x' * 32}.ics").status_code == 404
    assert client.get("/calendar/experts/short.ics").status_code == 404


def test_renewing_the_calendar_token_revokes_the_old_url(db, login_as, client, post):
    user = make_user(db, Role.EXPERT)
    expert = make_expert(db, user=user)
    expert.calendar_token = "o" * 32
    db.commit()
    login_as(user)
    post(f"/experts/{expert.id}/calendar-token", token_page="/me")
    assert client.get(f"/calendar/experts/{'o' * 32}.ics").status_code == 404
    db.expire_all()
    new = db.get(Expert, expert.id).calendar_token
    assert new and client.get(f"/calendar/experts/{new}.ics").status_code == 200


def test_an_expert_declares_unavailability_and_bad_dates_are_refused(db, login_as, client, post):
    user = make_user(db, Role.EXPERT)
    expert = make_expert(db, user=user)
    login_as(user)
    post(f"/experts/{expert.id}/unavailability", {"start_date": "2027-04-10", "end_date": "2027-04-01"},
         token_page="/me")
    assert db.scalar(select(func.count()).select_from(Unavailability)) == 0
    post(f"/experts/{expert.id}/unavailability", {"start_date": "2027-04-01", "end_date": "2027-04-10",
                                                  "reason": "Leave"}, token_page="/me")
    assert db.scalar(select(func.count()).select_from(Unavailability)) == 1


def test_a_requester_has_no_roster(db, login_as, client, requester_pe):
    login_as(requester_pe)
    assert client.get("/experts/").status_code == 403
    assert client.get("/staffing").status_code == 403


def test_an_expert_sees_the_actions_they_are_deployed_on_only(db, login_as, client, officer, action, workshop):
    user = make_user(db, Role.EXPERT)
    expert = make_expert(db, user=user)
    other = make_action(db, officer, country="MX", beneficiary=make_institution(db, "MX"))
    propose(db, workshop.slots[0], expert, actor=officer, now=T0)
    db.commit()
    login_as(user)
    assert client.get(f"/actions/{action.id}").status_code == 200
    assert client.get(f"/actions/{other.id}").status_code == 404


def test_a_cv_is_uploaded_replaced_and_downloaded_only_by_those_who_may(db, login_as, client, post, officer,
                                                                        upload_dir):
    import io

    from ..unit.test_uploads import PDF_BYTES

    expert = make_expert(db, name="Cv Holder")
    login_as(officer)
    response = post(f"/experts/{expert.id}/cv", {"file": (io.BytesIO(b"MZ not a document"), "cv.pdf")},
                    token_page=f"/experts/{expert.id}", content_type="multipart/form-data", follow_redirects=True)
    assert "Only PDF" in response.get_data(as_text=True)
    post(f"/experts/{expert.id}/cv", {"file": (io.BytesIO(PDF_BYTES), "cv-2026.pdf")},
         token_page=f"/experts/{expert.id}", content_type="multipart/form-data")
    db.expire_all()
    first = db.get(Expert, expert.id).cv_stored_name
    assert first and (upload_dir / first).exists()
    post(f"/experts/{expert.id}/cv", {"file": (io.BytesIO(PDF_BYTES + b"%v2"), "cv-2027.pdf")},
         token_page=f"/experts/{expert.id}", content_type="multipart/form-data")
    db.expire_all()
    assert not (upload_dir / first).exists()
    assert client.get(f"/experts/{expert.id}/cv").data == PDF_BYTES + b"%v2"
    login_as(make_user(db, Role.MS_FOCAL_POINT, country="PT"))
    assert client.get(f"/experts/{expert.id}/cv").status_code == 404


def test_staff_create_an_action_calendar_address(db, login_as, client, post, officer, action):
    login_as(officer)
    post(f"/actions/{action.id}/calendar-token", token_page=f"/actions/{action.id}")
    db.expire_all()
    from workflow.actions.models import Action

    token = db.get(Action, action.id).calendar_token
    assert token and client.get(f"/calendar/actions/{token}.ics").status_code == 200


def test_an_expert_edits_their_languages_but_not_their_type(db, login_as, post):
    user = make_user(db, Role.EXPERT)
    expert = make_expert(db, user=user)
    login_as(user)
    data = {"name": expert.name, "email": expert.email, "gender": "female", "nationality": "ES", "country_code": "ES",
            "type": "ms_official", "institution_id": "", "years_experience": "12", "max_days_per_year": "60",
            "lang_es": "C2", "lang_pt": "B2", "version": str(expert.version)}
    assert post(f"/experts/{expert.id}/edit", data, token_page="/me").status_code == 302
    db.expire_all()
    assert {lang.language for lang in db.get(Expert, expert.id).languages} == {"es", "pt"}
    sneaky = {**data, "type": "partner_peer", "version": str(db.get(Expert, expert.id).version)}
    response = post(f"/experts/{expert.id}/edit", sneaky, token_page="/me")
    assert "changed by programme staff" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Expert, expert.id).type.value == "ms_official"
