"""The demo's missions: travel, a checklist and an expense claim on a couple of past deployments.

The programme's documents state no booking, visa or expense, so everything here is invented to make the demo
work and is marked `invented` (the mission and claim pages say so). The claims are submitted, waiting for the
officer, so that the officer's home shows the step. Idempotent: a deployment that has logistics is left alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

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

HOW_MANY = 2
# (description, category, amount, currency, units for one euro): invented, near what a mission costs.
EXPENSES = (("Taxi from the airport to the hotel and back", CostCategory.TRAVEL, Decimal("120.00"), "USD",
             Decimal("1.080000")),
            ("Visa fee", CostCategory.OTHER, Decimal("60.00"), "EUR", Decimal("1")))


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
        outbound_booking=f"DEMO{deployment.id:04d}", outbound_cost_eur=Decimal("550.00"), return_date=back,
        return_route=(activity.city or "?") + " → MAD", return_booking=f"DEMO{deployment.id:04d}R",
        return_cost_eur=Decimal("550.00"), accommodation="Hotel near the venue, 4 nights (demo)",
        visa_status=VisaStatus.NOT_NEEDED, insurance="Travel insurance of the programme (demo)", invented=True,
        updated_at=now))
    done_at = datetime.combine(out - timedelta(days=7), datetime.min.time(), tzinfo=now.tzinfo)
    session.add(ChecklistItem(deployment_id=deployment.id, text="Send a copy of the passport to the programme team",
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
