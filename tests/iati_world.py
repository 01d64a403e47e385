"""A small published portfolio for the IATI tests: a closed national Action with its results framework, a
regional Action, and Actions the files must leave out (unpublished, cancelled)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from workflow.accounts.models import User
from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.models import Action, ActionTranslation
from workflow.actions.publishing import set_published
from workflow.actions.services import (
    ActionDraft,
    FinalReportDraft,
    apply_action_event,
    open_action,
    record_final_report,
)
from workflow.activities.deliverables import DeliverableDraft, add_deliverable
from workflow.activities.models import Deliverable, DeliverableKind
from workflow.iati.records import IatiSettings
from workflow.reference.models import Institution, InstitutionKind, Region, SubTopic
from workflow.results.models import ImpactArea, Indicator, ResultLevel
from workflow.results.services import (
    IndicatorDraft,
    MeasurementDraft,
    add_indicator,
    add_measurement,
    add_result,
    save_framework,
    withdraw_measurement,
)

from .factories import T0, make_action, make_activity, make_institution, theme

SETTINGS = IatiSettings(organisation_ref="XM-TEST-ORG", organisation_name="Test programme team",
                        organisation_type="40", activity_prefix="XM-TEST-ORG-ACT", funder_ref="XI-IATI-EC_INTPA",
                        funder_name="European Commission - International Partnerships")


def page_url(action_id: int) -> str:
    return f"https://peerflow.example.org/catalogue/actions/{action_id}"


def code_as_name(code: str) -> str:
    return code


@dataclass
class IatiWorld:
    closed: Action
    regional: Action
    unpublished: Action
    cancelled: Action
    indicator: Indicator


def publish(db, action: Action, officer: User) -> None:
    action.objective = action.objective or "Strengthen the fight against trafficking in human beings."
    set_published(action, True, version=action.version, actor=officer, now=T0)
    db.commit()


def framework(db, action: Action, officer: User) -> Indicator:
    """An outcome with a measured indicator (its latest measurement withdrawn) and a baseline-only one, and an
    output without indicators (IATI leaves it out)."""
    save_framework(db, action, objective="Officials apply the new protocol.", requester_may_measure=False,
                   actor=officer, now=T0)
    outcome = add_result(db, action, ResultLevel.OUTCOME, "Officials identify victims earlier.", actor=officer, now=T0)
    trained = add_indicator(db, outcome, IndicatorDraft(
        title="Officials trained", unit="officials trained", impact_area=ImpactArea.CAPACITY_BUILDING,
        baseline_value=0, baseline_date=date(2026, 1, 1), target_value=755, target_date=date(2027, 6, 30),
        means_of_verification="Attendance lists"), actor=officer, now=T0)
    add_indicator(db, outcome, IndicatorDraft(
        title="Share of cases referred", unit="%", impact_area=ImpactArea.INTER_INSTITUTIONAL_COORDINATION,
        baseline_value=12.5, baseline_date=date(2026, 1, 1)), actor=officer, now=T0)
    add_result(db, action, ResultLevel.OUTPUT, "A revised protocol.", actor=officer, now=T0)
    later = datetime(2026, 11, 30, 9, tzinfo=UTC)
    add_measurement(db, trained, MeasurementDraft(400, date(2026, 9, 30), "Training records"), actor=officer,
                    now=later)
    wrong = add_measurement(db, trained, MeasurementDraft(9999, date(2026, 10, 31), "Typo"), actor=officer, now=later)
    withdraw_measurement(db, wrong, "Typed one digit too many.", actor=officer, now=later)
    db.commit()
    return trained


def closed_action(db, officer: User, peru: Institution) -> Action:
    action = make_action(db, officer, beneficiary=peru, status=ActionStatus.IMPLEMENTATION, name="Peru IATI")
    make_activity(db, action, officer, start=date(2026, 3, 2), reported=True)
    action.summary = "Training and a protocol against trafficking."
    subtopics = db.scalars(select(SubTopic).where(SubTopic.code.in_(["gender", "remittances", "thb"]))).all()
    action.subtopics = list(subtopics)
    spain = make_institution(db, "ES", name="Ministry of the Interior of Spain", kind=InstitutionKind.MS_ADMINISTRATION)
    action.expert_institutions = [spain]
    action.translations.append(ActionTranslation(locale="es", title="Trata de seres humanos", objective="",
                                                 summary="Formación y un protocolo contra la trata."))
    db.commit()
    add_deliverable(db, action, DeliverableDraft(kind=DeliverableKind.PROTOCOL, title="Inter-institutional protocol",
                                                 language="es", issued_on=date(2026, 6, 1),
                                                 url="https://example.org/protocol.pdf"), actor=officer, now=T0)
    db.add(Deliverable(action=action, kind=DeliverableKind.HANDBOOK, title="Internal handbook", language="es",
                       is_demo=True, uploaded_by_id=officer.id, created_at=T0))  # no public link: not published
    db.commit()
    return action


def regional_action(db, officer: User) -> Action:
    region = db.scalar(select(Region).where(Region.code == "latin_america_caribbean"))
    action = open_action(db, ActionDraft(title="Regional coordination on smuggling", thematic_area_id=theme(db).id,
                                         planned_start=date(2026, 2, 1), region_id=region.id, regional_name="SICA",
                                         objective="Coordinate the region's response to smuggling."),
                         actor=officer, now=T0)
    db.commit()
    return action


def build_world(db, officer: User, peru: Institution) -> IatiWorld:
    closed = closed_action(db, officer, peru)
    indicator = framework(db, closed, officer)
    apply_action_event(db, closed, ActionEvent.START_CLOSING, actor=officer, now=T0)
    record_final_report(db, closed, FinalReportDraft(results="A protocol.", lessons_learned="Start early."),
                        actor=officer, now=T0)
    apply_action_event(db, closed, ActionEvent.CLOSE, actor=officer, now=T0)
    db.commit()
    publish(db, closed, officer)
    regional = regional_action(db, officer)
    publish(db, regional, officer)
    unpublished = make_action(db, officer, beneficiary=peru, name="Peru hidden")
    cancelled = make_action(db, officer, beneficiary=peru, name="Peru cancelled")
    publish(db, cancelled, officer)  # published, then cancelled: the catalogue leaves it out
    apply_action_event(db, cancelled, ActionEvent.CANCEL, actor=officer, now=T0, reason="The ministry withdrew.")
    db.commit()
    return IatiWorld(closed, regional, unpublished, cancelled, indicator)
