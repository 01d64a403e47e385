"""The demo's missions: travel, a checklist and an expense claim on a couple of past deployments, and the demo
expert's mission still to come, its travel half booked and its checklist open.

The programme's documents state no booking, visa or expense, so everything here is invented to make the demo
work and is marked `invented` (the mission and claim pages say so). The claims are submitted, waiting for the
officer, so that the officer's home shows the step. The mission to come is prepared through the services the
mission page calls, so its checklist's reminder before departure is derived as in the product. Idempotent: a
deployment that has logistics is left alone, and the mission to come is booked once (seed/demo.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.accounts.models import User
from workflow.deployments.lifecycle import DeploymentStatus
from workflow.deployments.models import Deployment
from workflow.finance.models import CostCategory
from workflow.missions.lifecycle import ClaimStatus
from workflow.missions.models import (
    ChecklistItem,
    ClaimItem,
    ClaimTransition,
    ExpenseClaim,
    MissionLogistics,
    VisaStatus,
)
from workflow.missions.services import LogisticsDraft, add_checklist_item, save_logistics, set_item_done
from workflow.notifications.models import Notification
from workflow.notifications.services import mark_read

HOW_MANY = 2
# (description, category, amount, currency, units for one euro): invented, near what a mission costs.
EXPENSES = (("Taxi from the airport to the hotel and back", CostCategory.TRAVEL, Decimal("120.00"), "USD",
             Decimal("1.080000")),
            ("Visa fee", CostCategory.OTHER, Decimal("60.00"), "EUR", Decimal("1")))
FARE = Decimal("550.00")  # one way, Madrid - Latin America (invented)
INSURANCE = "Travel insurance of the programme (demo)"
PASSPORT = "Send a copy of the passport to the programme team"

# The demo expert's mission to come (seed/demo.py books it): a meeting invented on Costa Rica IV, whose expert
# administrations include her ministry, four to five weeks after the load, so that it is always ahead.
UPCOMING_ACTION = "Costa Rica IV"
UPCOMING_TITLE = "Working meeting with the DGME on the emergency protocol"
# (item, ticked by the expert): the open ones are in her reminder a week before she leaves.
UPCOMING_CHECKLIST = ((PASSPORT, True),
                      ("Tell the programme team which return flight you prefer, so that it can book it", False),
                      ("Send the programme team your slides on Spain's emergency reception of mixed arrivals", False))


def load_missions(session: Session, now: datetime) -> None:
    """Logistics, a ticked checklist item and a submitted claim on the first completed non-remote deployments."""
    deployments = session.scalars(
        select(Deployment).where(Deployment.status == DeploymentStatus.COMPLETED)
        .order_by(Deployment.id)).all()
    chosen = [d for d in deployments if not d.activity.is_remote][:HOW_MANY]
    for deployment in chosen:
        if session.scalar(select(MissionLogistics.id).where(MissionLogistics.deployment_id == deployment.id)):
            continue
        _mission(session, deployment, now)
    session.flush()


def _mission(session: Session, deployment: Deployment, now: datetime) -> None:
    activity = deployment.activity
    out, back = activity.start_date - timedelta(days=1), activity.end_date + timedelta(days=1)
    session.add(MissionLogistics(
        deployment_id=deployment.id, outbound_date=out, outbound_route="MAD → " + (activity.city or "?"),
        outbound_booking=f"DEMO{deployment.id:04d}", outbound_cost_eur=FARE, return_date=back,
        return_route=(activity.city or "?") + " → MAD", return_booking=f"DEMO{deployment.id:04d}R",
        return_cost_eur=FARE, accommodation="Hotel near the venue, 4 nights (demo)",
        visa_status=VisaStatus.NOT_NEEDED, insurance=INSURANCE, invented=True,
        updated_at=now))
    done_at = datetime.combine(out - timedelta(days=7), datetime.min.time(), tzinfo=now.tzinfo)
    session.add(ChecklistItem(deployment_id=deployment.id, text=PASSPORT,
                              done_at=done_at, created_at=done_at, invented=True))
    submitted = datetime.combine(back + timedelta(days=5), datetime.min.time(), tzinfo=now.tzinfo)
    claim = ExpenseClaim(deployment_id=deployment.id, status=ClaimStatus.SUBMITTED, submitted_at=submitted,
                         created_at=submitted, updated_at=submitted, invented=True)
    claim.items = [ClaimItem(description=text, category=category, amount=amount, currency=currency, rate=rate,
                             amount_eur=(amount / rate).quantize(Decimal("0.01")), spent_on=out, created_at=submitted,
                             invented=True)
                   for text, category, amount, currency, rate in EXPENSES]
    claim.transitions = [ClaimTransition(at=submitted, from_status=None, to_status=ClaimStatus.DRAFT),
                         ClaimTransition(at=submitted, from_status=ClaimStatus.DRAFT, to_status=ClaimStatus.SUBMITTED)]
    session.add(claim)


def upcoming_activity(today: date) -> dict[str, Any]:
    """The meeting, as the portfolio's tables write an activity: Monday to Wednesday, 28 to 34 days after `today`."""
    start = today + timedelta(days=28 + (7 - today.weekday()) % 7)
    return {"kind": "coordination_session", "title": UPCOMING_TITLE, "start": start.isoformat(),
            "end": (start + timedelta(days=2)).isoformat(), "city": "San José", "country": "CR", "languages": ["es"],
            "status": "confirmed", "invented": ["*"],
            "slots": [{"role": "expert", "theme": "international_protection_asylum", "language": "es"}]}


def prepare_mission(session: Session, deployment: Deployment, *, officer: User, expert: User, now: datetime) -> None:
    """Book the outbound flight and write the checklist as staff would; the expert ticks off the passport (and,
    being there, reads the mission's news)."""
    activity = deployment.activity
    booked = now - timedelta(days=10)
    logistics = save_logistics(session, deployment, LogisticsDraft(
        outbound_date=activity.start_date - timedelta(days=1), outbound_route=f"MAD → {activity.city}",
        outbound_booking=f"DEMO{deployment.id:04d}", outbound_cost_eur=FARE,
        return_date=activity.end_date + timedelta(days=1), return_route=f"{activity.city} → MAD",
        accommodation="Hotel near the DGME, 4 nights: an option held, not yet booked (demo)",
        visa_status=VisaStatus.NOT_NEEDED, insurance=INSURANCE), actor=officer, now=booked)
    logistics.invented = True
    for text, ticked in UPCOMING_CHECKLIST:
        item = add_checklist_item(session, deployment, text, actor=officer, now=booked)
        item.invented = True
        if ticked:
            set_item_done(session, item, deployment, True, actor=expert, now=now - timedelta(days=3))
    for news in session.scalars(select(Notification.id).where(
            Notification.user_id == expert.id, Notification.subject_type == "deployment",
            Notification.subject_id == deployment.id)):
        mark_read(session, news, actor=expert, now=now - timedelta(days=3))
