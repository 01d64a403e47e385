"""The demo's Steering Committee: two members (one with a veto) and a request under their consultation."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from seed.demo import DEMO_PASSWORD, load_demo
from workflow.accounts.models import Role, User
from workflow.governance.models import Answer, Consultation, SteeringMember
from workflow.requests.lifecycle import RequestStatus

from ..dbsetup import demo_loaded

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(engine):
    """The demo (loaded once per run), in a transaction rolled back after the module."""
    yield from demo_loaded(engine, NOW)


def test_the_demo_committee_has_a_member_with_a_veto_and_the_eu_delegation(demo):
    members = {m.user.email: m for m in demo.scalars(select(SteeringMember))}
    assert members["steering@demo.peerflow.org"].has_veto
    assert not members["eu.delegation@demo.peerflow.org"].has_veto
    for member in members.values():
        assert member.user.role is Role.STEERING and member.user.check_password(DEMO_PASSWORD)


def test_one_demo_request_is_under_consultation_with_the_delegations_support(demo):
    consultation = demo.scalar(select(Consultation))
    assert consultation.request.status is RequestStatus.CONSULTATION
    answers = {a.member.user.email: a.answer for a in consultation.answers}
    assert answers == {"steering@demo.peerflow.org": None, "eu.delegation@demo.peerflow.org": Answer.SUPPORT}
    assert consultation.deadline > NOW


def test_loading_the_demo_again_adds_no_member_or_consultation(demo):
    load_demo(demo, now=NOW)
    demo.commit()
    assert demo.scalar(select(func.count()).select_from(SteeringMember)) == 2
    assert demo.scalar(select(func.count()).select_from(Consultation)) == 1
    assert demo.scalar(select(func.count()).select_from(User).where(User.role == Role.STEERING)) == 2
