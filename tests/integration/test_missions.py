"""Missions on a real database: logistics, checklist to-dos, letters as PDFs accepted by version, expense
claims through their lifecycle into the activity's actual costs, notifications, privacy."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.audit.models import AuditEntry
from workflow.core.errors import DomainError, PermissionDenied, TransitionRefused
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.finance.models import CostCategory, CostLine
from workflow.finance.rates import add_allowance_rate, add_fee_rate
from workflow.missions import letters
from workflow.missions.lifecycle import ClaimEvent, ClaimStatus
from workflow.missions.models import VisaStatus
from workflow.missions.privacy import erase, export
from workflow.missions.services import (
    ItemDraft,
    LogisticsDraft,
    add_checklist_item,
    add_claim_item,
    apply_claim_event,
    save_logistics,
    set_item_done,
    start_claim,
)
from workflow.notifications.models import Notification
from workflow.todos.services import todos_for

from ..factories import make_action, make_expert, make_staffed_activity, make_user

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
D = Decimal


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture()
def mission(db, app):
    """A confirmed deployment of an academic (fee 450, allowance 180 in Peru) whose account reads French."""
    officer = make_user(db, Role.OFFICER)
    admin = make_user(db, Role.ADMIN)
    add_allowance_rate(db, country_code="PE", daily_eur="180", effective_from=date(2026, 1, 1), actor=admin, now=NOW)
    add_fee_rate(db, expert_type="academic", daily_eur="450", effective_from=date(2026, 1, 1), actor=admin, now=NOW)
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION)
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), days=3, title="Taller de trata")
    user = make_user(db, Role.EXPERT)
    user.locale = "fr"
    expert = make_expert(db, name="Camille Durand", expert_type="academic", country="FR", user=user,
                         languages={"fr": "C2", "es": "C1"})
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    for event, actor in ((DeploymentEvent.INVITE, officer), (DeploymentEvent.ACCEPT, user),
                         (DeploymentEvent.CONFIRM, officer)):
        apply_deployment_event(db, deployment, event, actor=actor, now=NOW)
    db.commit()
    return deployment, officer, user


def test_logistics_are_saved_by_staff_checked_and_audited(db, mission):
    deployment, officer, user = mission
    draft = LogisticsDraft(outbound_date=date(2027, 2, 28), outbound_route="CDG → LIM", outbound_booking="XK42PQ",
                           outbound_cost_eur="812.40", return_date=date(2027, 3, 4), visa_status="not_needed",
                           accommodation="Hotel Miraflores", insurance="Policy 77-1")
    logistics = save_logistics(db, deployment, draft, actor=officer, now=NOW)
    assert logistics.outbound_cost_eur == D("812.40") and logistics.visa_status is VisaStatus.NOT_NEEDED
    with pytest.raises(PermissionDenied):
        save_logistics(db, deployment, draft, actor=user, now=NOW)
    for bad, field in ((LogisticsDraft(outbound_cost_eur="-5"), "outbound_cost_eur"),
                       (LogisticsDraft(return_cost_eur="1e12"), "return_cost_eur"),
                       (LogisticsDraft(visa_status="granted"), "visa_date"),
                       (LogisticsDraft(outbound_date=date(2027, 3, 5), return_date=date(2027, 3, 1)), "return_date")):
        with pytest.raises(DomainError) as refused:
            save_logistics(db, deployment, bad, actor=officer, now=NOW)
        assert refused.value.field == field
    db.flush()
    entries = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "deployment",
                                                  AuditEntry.object_id == deployment.id)).all()
    assert any(e.detail.get("part") == "logistics" and "outbound_cost_eur" in e.changes for e in entries)


def test_an_open_checklist_item_is_the_experts_to_do_until_ticked(app, db, mission):
    deployment, officer, user = mission
    item = add_checklist_item(db, deployment, "Send the passport copy", actor=officer, now=NOW)
    db.commit()
    with app.test_request_context():
        assert any("Send the passport copy" in t.title for t in todos_for(db, user, NOW))
        set_item_done(db, item, deployment, True, actor=user, now=NOW)
        db.commit()
        assert not any("Send the passport copy" in t.title for t in todos_for(db, user, NOW))


def test_the_letter_of_assignment_is_a_pdf_in_the_experts_language_with_fee_and_allowance(app, db, mission):
    deployment, _officer, _user = mission
    with app.test_request_context():
        letter = letters.assignment_letter(db, deployment)
        text = pdf_text(letters.pdf(letter))
    assert letter.language == "fr"
    assert "mars 2027" in text  # the dates in French (the new sentences' French is in /work/tr until merged)
    assert "Camille Durand" in text and "Taller de trata" in text
    days = deployment.working_days
    fee = f"{450 * days:,}".replace(",", "\u202f")
    assert fee.replace("\u202f", "") in text.replace("\u202f", "").replace(" ", "")
    assert "180" in text


def test_a_changed_letter_asks_for_a_new_acceptance(app, db, mission):
    deployment, officer, user = mission
    with app.test_request_context():
        first = letters.assignment_letter(db, deployment)
        with pytest.raises(PermissionDenied):
            letters.accept_letter(db, deployment, first.version, actor=officer, now=NOW)
        accepted = letters.accept_letter(db, deployment, first.version, actor=user, now=NOW)
        assert (accepted.accepted_by_id, accepted.language, accepted.version) == (user.id, "fr", first.version)
        deployment.working_days += 1  # the terms change: a new version
        db.flush()
        second = letters.assignment_letter(db, deployment)
        assert second.version != first.version
        with pytest.raises(DomainError) as stale:
            letters.accept_letter(db, deployment, first.version, actor=user, now=NOW)
        assert stale.value.field == "version"
        letters.accept_letter(db, deployment, second.version, actor=user, now=NOW)
        db.commit()
    assert [a.version for a in letters.accepted_versions(db, deployment)] == [first.version, second.version]


def test_the_invitation_letter_and_the_certificate_are_pdfs(app, db, mission):
    deployment, _officer, _user = mission
    with app.test_request_context():
        invitation = pdf_text(letters.pdf(letters.participant_invitation(
            deployment.activity, name="Rosa Quispe", nationality="PE", language="es", today=date(2027, 1, 10))))
        certificate = pdf_text(letters.pdf(letters.certificate(deployment.activity, name="Juan Pérez",
                                                               institution="Migraciones", language="en")))
    assert "Rosa Quispe" in invitation and "Perú" in invitation and "ene 2027" in invitation
    assert "Certificate of attendance" in certificate and "Juan Pérez" in certificate and "Migraciones" in certificate


def test_a_claim_goes_submitted_returned_approved_and_becomes_actual_costs(app, db, mission):
    deployment, officer, user = mission
    with app.test_request_context():  # one session throughout (the to-dos build links)
        claim = start_claim(db, deployment, actor=user, now=NOW)
        with pytest.raises(TransitionRefused):
            apply_claim_event(db, claim, ClaimEvent.SUBMIT, actor=user, now=NOW)  # no item yet
        add_claim_item(db, claim, ItemDraft(description="Taxi airport", amount="81", currency="PEN", rate="4.05"),
                       actor=user, now=NOW)
        add_claim_item(db, claim, ItemDraft(description="Visa fee", amount="60.00", category="other"), actor=user, now=NOW)
        assert claim.total_eur == D("80.00")
        apply_claim_event(db, claim, ClaimEvent.SUBMIT, actor=user, now=NOW)
        with pytest.raises(PermissionDenied):
            apply_claim_event(db, claim, ClaimEvent.APPROVE, actor=user, now=NOW)
        with pytest.raises(TransitionRefused):
            apply_claim_event(db, claim, ClaimEvent.RETURN, actor=officer, now=NOW, reason=" ")
        apply_claim_event(db, claim, ClaimEvent.RETURN, actor=officer, now=NOW, reason="The taxi receipt is missing.")
        assert claim.status is ClaimStatus.RETURNED and claim.return_reason == "The taxi receipt is missing."
        assert any(t.kind == "claim_returned" for t in todos_for(db, user, NOW))
        apply_claim_event(db, claim, ClaimEvent.SUBMIT, actor=user, now=NOW)
        assert any(t.kind == "claim_submitted" for t in todos_for(db, officer, NOW))
        apply_claim_event(db, claim, ClaimEvent.APPROVE, actor=officer, now=NOW)
        assert claim.status is ClaimStatus.APPROVED and claim.approved_eur == D("80.00")
        actual = {line.category: line.actual_eur for line in db.scalars(
            select(CostLine).where(CostLine.source == f"claim:{claim.id}"))}
        assert actual == {CostCategory.TRAVEL: D("20.00"), CostCategory.OTHER: D("60.00")}
        kinds = {(n.kind, n.user_id) for n in db.scalars(select(Notification))}
        assert ("claim_returned", user.id) in kinds and ("claim_approved", user.id) in kinds
        assert any(kind == "claim_submitted" and uid != user.id for kind, uid in kinds)
        with pytest.raises(PermissionDenied):  # approved: nothing changes any more
            add_claim_item(db, claim, ItemDraft(description="More", amount="5"), actor=user, now=NOW)


@pytest.mark.parametrize(("draft", "field"), [
    (ItemDraft(description="Taxi", amount="-3"), "amount"),
    (ItemDraft(description="Taxi", amount="0"), "amount"),
    (ItemDraft(description="Taxi", amount="99999999999"), "amount"),
    (ItemDraft(description="Taxi", amount="12", currency="XXY"), "currency"),
    (ItemDraft(description="Taxi", amount="12", currency="PEN"), "rate"),
    (ItemDraft(description="", amount="12"), "description"),
    (ItemDraft(description="Fee", amount="12", category="expert_fees"), "category"),
])
def test_a_bad_claim_item_is_refused_on_its_field(db, mission, draft, field):
    deployment, _officer, user = mission
    claim = start_claim(db, deployment, actor=user, now=NOW)
    with pytest.raises(DomainError) as refused:
        add_claim_item(db, claim, draft, actor=user, now=NOW)
    assert refused.value.field == field and claim.items == []


def test_only_the_expert_claims_on_their_own_deployment(db, mission):
    deployment, officer, _user = mission
    stranger = make_user(db, Role.EXPERT)
    make_expert(db, name="Otra Persona", user=stranger)
    for actor in (officer, stranger):
        with pytest.raises(PermissionDenied):
            start_claim(db, deployment, actor=actor, now=NOW)


def test_the_expert_exports_their_mission_and_erasure_keeps_the_amounts(db, mission):
    deployment, officer, user = mission
    save_logistics(db, deployment, LogisticsDraft(outbound_route="CDG → LIM", outbound_cost_eur="800"),
                   actor=officer, now=NOW)
    claim = start_claim(db, deployment, actor=user, now=NOW)
    add_claim_item(db, claim, ItemDraft(description="Taxi to the ministry", amount="25"), actor=user, now=NOW,
                   receipt=type("Stored", (), {"stored_name": "abc123.pdf", "content_type": "application/pdf"})(),
                   receipt_name="taxi.pdf")
    data = export(deployment.expert, session=db)
    assert data["mission_logistics"][0]["outbound_route"] == "CDG → LIM"
    assert data["expense_claims"][0]["items"][0]["amount_eur"] == "25.00"
    assert data["files"] == [{"kind": "receipt", "claim_id": claim.id, "file_name": "taxi.pdf"}]
    files = erase(deployment.expert, session=db, deployment_ids=[deployment.id])
    assert files == ["abc123.pdf"]
    item = claim.items[0]
    assert item.description == "[erased]" and item.receipt_file_name is None and item.amount_eur == D("25.00")
    assert export(deployment.expert, session=db)["mission_logistics"][0]["outbound_cost_eur"] == "800.00"
