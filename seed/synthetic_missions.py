"""The synthetic portfolio's missions: travel, stay and checklist for the deployments on site, and the expense
claims of the experts who have an account, since the programme has managed missions online (the same moment
the reminders start, `REMINDERS_DAYS` before the clock).

Completed missions have their logistics, a ticked checklist and, mostly, a claim (approved, with its actual
costs recorded as the approval records them; some still waiting for the officer, returned, or drafts).
Confirmed missions in the next two months have their logistics under way and a checklist partly ticked.
Pure, like seed/synthetic_money.py; every row is marked invented.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from workflow.activities.lifecycle import ActivityStatus
from workflow.deployments.lifecycle import DeploymentStatus
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

from .synthetic_outcomes import WORDS, Rows

C, D = ClaimStatus, DeploymentStatus
USD_RATE = Decimal("1.080000")
HUBS = {"ES": "MAD", "FR": "CDG", "DE": "FRA", "IT": "FCO", "PT": "LIS", "NL": "AMS", "BE": "BRU", "AT": "VIE",
        "SE": "ARN", "PL": "WAW"}


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


class Missions:
    def __init__(self, out: Rows, rows: dict[str, list[dict[str, Any]]], rng: random.Random, now: datetime,
                 since: datetime) -> None:
        self.out, self.rng, self.now, self.since = out, rng, now, since
        self.activities = {a["id"]: a for a in rows.get("activities", [])}
        self.experts = {e["id"]: e for e in rows.get("experts", [])}
        self.officer = {a["id"]: a["officer_id"] for a in rows.get("actions", [])}
        self.deployments = rows.get("deployments", [])
        self.cost_lines: list[dict[str, Any]] = []

    def build(self) -> None:
        soon = self.now.date() + timedelta(days=60)
        for deployment in self.deployments:
            activity = self.activities[deployment["activity_id"]]
            if activity["is_remote"] or activity["status"] is ActivityStatus.CANCELLED:
                continue
            if deployment["status"] is D.COMPLETED and _moment(activity["start_date"], 9) >= self.since:
                self.mission(deployment, activity, done=True)
                expert = self.experts.get(deployment["expert_id"])
                if expert and expert["user_id"] and self.rng.random() < 0.85:
                    self.claim(deployment, activity, expert["user_id"])
            elif deployment["status"] is D.CONFIRMED and self.now.date() <= activity["start_date"] <= soon:
                self.mission(deployment, activity, done=False)

    def mission(self, deployment: dict[str, Any], activity: dict[str, Any], *, done: bool) -> None:
        rng, out = self.rng, self.out
        officer = self.officer.get(activity["action_id"])
        country = (self.experts.get(deployment["expert_id"]) or {}).get("country_code") or "ES"
        hub, city = HUBS.get(country, "BRU"), activity["city"] or "?"
        out_day, back = activity["start_date"] - timedelta(days=1), activity["end_date"] + timedelta(days=1)
        booked = done or rng.random() < 0.6
        fare = Decimal(rng.randint(180, 900))
        visa = VisaStatus.NOT_NEEDED if rng.random() < 0.8 else VisaStatus.GRANTED if done else VisaStatus.REQUESTED
        updated = min(self.now - timedelta(hours=2), _moment(out_day - timedelta(days=rng.randint(3, 20)), 11))
        out.add(MissionLogistics, deployment_id=deployment["id"], outbound_date=out_day,
                outbound_route=f"{hub} → {city}", outbound_booking=f"S{deployment['id']:06d}" if booked else None,
                outbound_cost_eur=fare if booked else None, return_date=back, return_route=f"{city} → {hub}",
                return_booking=f"S{deployment['id']:06d}R" if booked else None,
                return_cost_eur=fare if booked else None,
                accommodation=f"{rng.choice(WORDS['hotels'])}, {(back - out_day).days} nights" if booked else None,
                visa_status=visa, visa_date=out_day - timedelta(days=20) if visa is not VisaStatus.NOT_NEEDED else None,
                insurance=rng.choice(WORDS["insurers"]), updated_by_id=officer, updated_at=updated, invented=True,
                invented_fields=None)
        for n, text in enumerate(rng.sample(WORDS["checklist"], rng.randint(2, 3))):
            created = min(self.now - timedelta(hours=3), _moment(out_day - timedelta(days=30), 10))
            ticked = done or n == 0
            out.add(ChecklistItem, deployment_id=deployment["id"], text=text,
                    done_at=created + timedelta(days=rng.randint(1, 20)) if ticked else None, done_by_id=None,
                    created_by_id=officer, created_at=created, invented=True, invented_fields=None)

    def claim(self, deployment: dict[str, Any], activity: dict[str, Any], user_id: int) -> None:
        rng, out = self.rng, self.out
        officer = self.officer.get(activity["action_id"])
        opened = _moment(activity["end_date"] + timedelta(days=rng.randint(2, 15)), 18)
        if opened >= self.now - timedelta(days=1):
            return
        fate = rng.random()
        status = C.APPROVED if fate < 0.8 else C.SUBMITTED if fate < 0.92 else C.RETURNED if fate < 0.97 else C.DRAFT
        submitted = opened + timedelta(hours=rng.randint(1, 72))
        decided = submitted + timedelta(days=rng.randint(1, 20))
        if status in (C.APPROVED, C.RETURNED) and decided >= self.now:
            status = C.SUBMITTED
        if status is C.SUBMITTED and submitted >= self.now:
            status = C.DRAFT
        items = [self.item(activity, spec, opened) for spec in rng.sample(WORDS["expenses"], rng.randint(1, 3))]
        total = sum((i["amount_eur"] for i in items), Decimal("0.00"))
        claim_id = out.take("expense_claims")
        reason = rng.choice(WORDS["return_reasons"]) if status is C.RETURNED else None
        out.add(ExpenseClaim, id=claim_id, deployment_id=deployment["id"], status=status,
                submitted_at=submitted if status is not C.DRAFT else None,
                decided_at=decided if status in (C.APPROVED, C.RETURNED) else None,
                decided_by_id=officer if status in (C.APPROVED, C.RETURNED) else None, return_reason=reason,
                approved_eur=total if status is C.APPROVED else None, created_by_id=user_id, created_at=opened,
                updated_at=decided if status in (C.APPROVED, C.RETURNED) else submitted if status is C.SUBMITTED
                else opened, version=1, invented=True, invented_fields=None)
        for item in items:
            out.add(ClaimItem, claim_id=claim_id, **item)
        steps = [(None, C.DRAFT, opened, user_id, None)]
        if status is not C.DRAFT:
            steps.append((C.DRAFT, C.SUBMITTED, submitted, user_id, None))
        if status in (C.APPROVED, C.RETURNED):
            steps.append((C.SUBMITTED, status, decided, officer, reason))
        for source, target, moment, actor, why in steps:
            out.add(ClaimTransition, claim_id=claim_id, actor_id=actor, at=moment, from_status=source,
                    to_status=target, reason=why)
        if status is C.APPROVED:
            self.actuals(deployment, activity, claim_id, items, officer, decided)

    def item(self, activity: dict[str, Any], spec: list[Any], opened: datetime) -> dict[str, Any]:
        description, category, low, high = spec
        amount = Decimal(self.rng.randint(low, high)).quantize(Decimal("0.01"))
        dollars = self.rng.random() < 0.3
        rate = USD_RATE if dollars else Decimal("1")
        return {"description": description, "category": CostCategory(category), "spent_on": activity["start_date"],
                "amount": amount, "currency": "USD" if dollars else "EUR", "rate": rate,
                "amount_eur": (amount / rate).quantize(Decimal("0.01")), "receipt_stored_name": None,
                "receipt_file_name": None, "receipt_content_type": None, "created_at": opened, "invented": True,
                "invented_fields": None}

    def actuals(self, deployment: dict[str, Any], activity: dict[str, Any], claim_id: int,
                items: list[dict[str, Any]], officer: int | None, decided: datetime) -> None:
        """The actual costs an approval records (workflow/missions/services.py), one line per category."""
        totals: dict[CostCategory, Decimal] = {}
        for item in items:
            totals[item["category"]] = totals.get(item["category"], Decimal("0.00")) + item["amount_eur"]
        for category, amount in sorted(totals.items()):
            self.cost_lines.append({
                "activity_id": activity["id"], "deployment_id": deployment["id"], "category": category,
                "description": f"Expense claim {claim_id}, deployment {deployment['id']}", "planned_eur": Decimal(0),
                "committed_eur": Decimal(0), "actual_eur": amount, "currency": None, "local_amount": None,
                "rate": None, "rate_date": None, "computed": False, "quantity": None, "unit_eur": None,
                "source": f"claim:{claim_id}", "created_by_id": officer, "created_at": decided,
                "updated_at": decided, "invented": True, "invented_fields": None})


def mission_rows(rows: dict[str, list[dict[str, Any]]], *, next_id: dict[str, int], seed: int, now: datetime,
                 since: datetime) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Logistics, checklists and claims of the synthetic deployments; and the cost lines of the approved claims."""
    out = Rows(next_id)
    missions = Missions(out, rows, random.Random(f"missions-{seed}"), now, since)
    missions.build()
    return out.rows, missions.cost_lines
