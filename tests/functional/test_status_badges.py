"""One badge style for statuses: the `status` macro is the only way a page shows a lifecycle state."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workflow.actions.lifecycle import ActionStatus
from workflow.core.tones import TONES
from workflow.deployments.lifecycle import DeploymentStatus
from workflow.requests.lifecycle import RequestStatus

from ..factories import make_action
from ..unit.test_tones import lifecycle_enums

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
BADGE = re.compile(r'<span class="badge pf-status pf-status--(\w+)">([^<]*)</span>')
# Where a state is part of a sentence or a record of change rather than shown as a state: the history of
# transitions ("Planned → Confirmed"), a sentence saying what the activity is, e-mails (no style sheet).
ALLOWED = {"_macros.html", "evaluations/new.html"}


def render_status(app, value) -> str:
    with app.test_request_context("/"):
        return app.jinja_env.from_string('{% from "_macros.html" import status %}{{ status(value) }}').render(value=value)


@pytest.mark.parametrize("enum", lifecycle_enums(), ids=lambda cls: cls.__name__)
def test_every_state_renders_as_a_badge_in_its_tone(app, enum):
    for member in enum:
        badge = BADGE.fullmatch(render_status(app, member).strip())
        assert badge, member
        assert badge.group(1) == TONES[enum.__name__][member.value], member


def test_the_badge_names_the_state_in_words_and_the_same_code_can_differ_in_tone(app):
    assert BADGE.fullmatch(render_status(app, RequestStatus.ACCEPTED)).groups() == ("done", "Accepted")
    assert BADGE.fullmatch(render_status(app, DeploymentStatus.ACCEPTED)).groups() == ("waiting", "Accepted")


def test_the_action_list_shows_statuses_as_badges(db, login_as, client, officer, peru):
    make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    login_as(officer)
    html = client.get("/actions/").get_data(as_text=True)
    assert ("progress", "Implementation") in BADGE.findall(html)


def test_no_template_shows_a_state_except_through_the_status_macro():
    shown = re.compile(r"\.(status|state)\|label")
    found = [f"{path.relative_to(TEMPLATES)}:{n}" for path in sorted(TEMPLATES.rglob("*.html"))
             if "emails" not in path.parts and str(path.relative_to(TEMPLATES)) not in ALLOWED
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if shown.search(line)]
    assert found == []
