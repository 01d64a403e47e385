"""Every hard rule is refused through the service, the page and the command line, naming the rule."""

from datetime import date

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.core.errors import DomainError
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.models import Deployment
from workflow.deployments.services import apply_deployment_event, propose
from workflow.experts.models import Unavailability

from ..factories import T0, make_action, make_expert, make_staffed_activity, make_user


def overlap(db, officer, action, peru):
    expert = make_expert(db, expert_type="partner_peer", country="AR", user=make_user(db, Role.EXPERT))
    booked = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Training in Cusco")
    deployment = propose(db, booked.slots[0], expert, actor=officer, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=T0)
    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert.user, now=T0)
    db.commit()
    return expert, "Training in Cusco"


def unavailable(db, officer, action, peru):
    expert = make_expert(db)
    db.add(Unavailability(expert=expert, start_date=date(2027, 2, 1), end_date=date(2027, 3, 31), reason="secondment"))
    db.commit()
    return expert, "secondment"


def day_cap(db, officer, action, peru):
    return make_expert(db, day_cap=2), "cap"


def language(db, officer, action, peru):
    return make_expert(db, languages={"fr": "C2", "es": "A2"}), "working level"


def conflict_of_interest(db, officer, action, peru):
    return make_expert(db, country="PE", employer=peru, expert_type="partner_peer"), "beneficiary"


RULES = [overlap, unavailable, day_cap, language, conflict_of_interest]


@pytest.fixture()
def setting(db, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    slot = make_staffed_activity(db, action, officer, start=date(2027, 3, 2), title="Workshop in Lima").slots[0]
    return action, slot


def deployments_on(db, slot_id: int) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Deployment).where(Deployment.slot_id == slot_id))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_refused_by_the_service(db, officer, peru, setting, rule):
    action, slot = setting
    expert, message = rule(db, officer, action, peru)
    with pytest.raises(DomainError, match=message):
        propose(db, slot, expert, actor=officer, now=T0)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_refused_through_the_page(db, login_as, post, officer, peru, setting, rule):
    action, slot = setting
    expert, message = rule(db, officer, action, peru)
    slot_id, expert_id = slot.id, expert.id
    login_as(officer)
    response = post(f"/slots/{slot_id}/deployments", {"expert_id": str(expert_id)}, follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert deployments_on(db, slot_id) == 0


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_refused_on_the_command_line(app, db, officer, peru, setting, rule):
    action, slot = setting
    expert, message = rule(db, officer, action, peru)
    slot_id = slot.id
    result = app.test_cli_runner().invoke(args=["deployments", "propose", str(slot_id), str(expert.id),
                                                "--as", officer.email])
    assert result.exit_code != 0
    assert message in result.output
    assert deployments_on(db, slot_id) == 0


def test_the_command_line_proposes_when_the_rules_allow(app, db, officer, setting):
    _action, slot = setting
    expert = make_expert(db)
    slot_id = slot.id
    result = app.test_cli_runner().invoke(args=["deployments", "propose", str(slot_id), str(expert.id), "--invite",
                                                "--as", officer.email])
    assert result.exit_code == 0, result.output
    assert "invited" in result.output and deployments_on(db, slot_id) == 1


RULE_SENTENCES = {
    "overlap": "Overlaps with %(what)s, %(travel)s.",
    "unavailable": "Inside a declared unavailable period (%(what)s), %(travel)s.",
    "day_cap": "Above the yearly day cap: cap of %(cap)s days in %(year)s: %(booked)s booked + %(days)s for this "
               "slot = %(total)s.",
    "language": "Speaks none of %(languages)s at working level (B2 or above).",
    "conflict_of_interest": "Conflict of interest: employed by a beneficiary institution of this Action.",
}


@pytest.mark.parametrize("locale", ["es", "fr"])
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_the_page_names_the_rule_in_the_readers_language(db, client, login_as, post, officer, peru, setting, rule,
                                                         locale):
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).parents[2] / "workflow" / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        translated = read_po(po).get(RULE_SENTENCES[rule.__name__]).string
    opening = translated.split("%(")[0].strip()  # the words before the first fact
    action, slot = setting
    expert, _message = rule(db, officer, action, peru)
    slot_id, expert_id = slot.id, expert.id
    login_as(officer)
    client.get(f"/home?lang={locale}")
    html = post(f"/slots/{slot_id}/deployments", {"expert_id": str(expert_id)}, follow_redirects=True).get_data(
        as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    assert opening and opening in html
    english = RULE_SENTENCES[rule.__name__].split("%(")[0].strip()
    assert english not in html
    assert deployments_on(db, slot_id) == 0
