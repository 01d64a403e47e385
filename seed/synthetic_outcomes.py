"""The synthetic portfolio's results and knowledge work: a results framework on every Action (objective, expected
results, indicators and their measurements), news of the policy deliverables, knowledge-sharing events and good
practices, so that these pages are measured on data of the size they would hold (bench/pages.py, bench/iati.py).

Pure, like seed/synthetic_money.py: built from the synthetic rows (no database), with a random generator of its own
(the rows of seed/synthetic.py, and their digest, do not change). The words come from
seed/data/synthetic/outcomes.json; every row is marked invented. Parents carry ids (above the highest of their
table, from the context), the rows below them none.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table

from workflow.actions.lifecycle import ActionStatus
from workflow.activities.lifecycle import ActivityStatus
from workflow.activities.models import POLICY_DELIVERABLE_KINDS
from workflow.knowledge.lifecycle import PracticeStatus
from workflow.knowledge.models import (
    EventParticipants,
    KnowledgeEvent,
    Practice,
    event_actions,
    practice_actions,
    practice_deliverables,
)
from workflow.results.models import (
    DeliverableStage,
    DeliverableStageName,
    ExpectedResult,
    ImpactArea,
    Indicator,
    Measurement,
    ResultLevel,
    ResultsFramework,
    indicator_activities,
    indicator_deliverables,
)
from workflow.results.stages import add_months

from .tables import table

WORDS: dict[str, Any] = table("synthetic/outcomes.json")
CITIES: dict[str, str] = table("synthetic/geography.json")["cities"]
A, AS, S = ActionStatus, ActivityStatus, DeliverableStageName
UNDER_WAY = (A.IMPLEMENTATION, A.CLOSING, A.CLOSED, A.SUSPENDED)
EVENTS_PER_SCALE, PRACTICES_PER_SCALE = 0.4, 1.5  # about 40 events and 150 practices at scale 100
EXPERT_COUNTRIES = ("ES", "FR", "PT", "DE", "IT", "NL", "BE", "SE", "PL", "AT")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class Rows:
    """Rows by table name, each with every column of its table (Core executemany needs the same keys); `id`
    only where the caller gives one, so the database numbers the others."""

    def __init__(self, next_id: dict[str, int]) -> None:
        self.next_id = dict(next_id)
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.templates: dict[str, dict[str, Any]] = {}

    def take(self, name: str) -> int:
        value = self.next_id.get(name, 1)
        self.next_id[name] = value + 1
        return value

    def add(self, item: Table | type, **values: Any) -> dict[str, Any]:
        table_ = item if isinstance(item, Table) else item.__table__
        template = self.templates.get(table_.name)
        if template is None:
            template = self.templates[table_.name] = dict.fromkeys(
                c.name for c in table_.columns if c.name != "id" or "id" in values)
        row = template.copy()
        row.update(values)
        self.rows.setdefault(table_.name, []).append(row)
        return row


class Portfolio:
    """What the builders read of the synthetic rows, indexed once."""

    def __init__(self, rows: dict[str, list[dict[str, Any]]], themes: dict[str, int], names: dict[int, str],
                 now: datetime) -> None:
        self.now, self.today = now, now.date()
        self.actions = rows.get("actions", [])
        self.theme_code = {id_: code for code, id_ in themes.items()}
        self.institution = dict(names) | {i["id"]: i["name"] for i in rows.get("institutions", [])}
        self.beneficiary: dict[int, int] = {}
        for link in rows.get("action_beneficiaries", []):
            self.beneficiary.setdefault(link["action_id"], link["institution_id"])
        self.activities: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for activity in rows.get("activities", []):
            self.activities[activity["action_id"]].append(activity)
        self.deliverables: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for deliverable in rows.get("deliverables", []):
            self.deliverables[deliverable["action_id"]].append(deliverable)
        self.moments: dict[int, dict[ActionStatus, datetime]] = defaultdict(dict)
        for step in rows.get("action_transitions", []):
            self.moments[step["action_id"]][step["to_status"]] = step["at"]

    def topic(self, action: dict[str, Any]) -> str:
        return action["title"][0].lower() + action["title"][1:]

    def beneficiary_name(self, action: dict[str, Any]) -> str:
        return self.institution.get(self.beneficiary.get(action["id"], 0), "beneficiary administration")


# --- Results frameworks ---------------------------------------------------------------------------------


class Results:
    def __init__(self, out: Rows, p: Portfolio, rng: random.Random) -> None:
        self.out, self.p, self.rng = out, p, rng

    def build(self) -> None:
        for action in self.p.actions:
            self.framework(action)
            for deliverable in self.p.deliverables[action["id"]]:
                if deliverable["kind"] in POLICY_DELIVERABLE_KINDS and deliverable["issued_on"]:
                    self.stages(action, deliverable)

    def words(self, text: str, action: dict[str, Any]) -> str:
        return text.format(topic=self.p.topic(action), beneficiary=self.p.beneficiary_name(action))

    def framework(self, action: dict[str, Any]) -> None:
        rng, out = self.rng, self.out
        made = min(self.p.now, action["created_at"] + timedelta(days=rng.randint(3, 40)))
        framework_id = out.take("results_frameworks")
        out.add(ResultsFramework, id=framework_id, action_id=action["id"], version=1, invented=True, invented_fields=None,
                specific_objective=self.words(WORDS["objective"], action), requester_may_measure=rng.random() < 0.2,
                created_at=made, updated_at=made)
        levels = [ResultLevel.OUTCOME] + [ResultLevel.OUTPUT] * rng.choice([1, 2, 2])
        for position, level in enumerate(levels):
            result_id = out.take("expected_results")
            statements = WORDS["outcomes" if level is ResultLevel.OUTCOME else "outputs"]
            out.add(ExpectedResult, id=result_id, framework_id=framework_id, action_id=action["id"], version=1, level=level,
                    statement=self.words(rng.choice(statements), action), position=position, invented=True,
                    invented_fields=None)
            areas = rng.sample(list(ImpactArea), rng.randint(2, 4))
            for n, area in enumerate(areas):
                self.indicator(action, result_id, area, n, level)

    def indicator(self, action: dict[str, Any], result_id: int, area: ImpactArea, position: int,
                  level: ResultLevel) -> None:
        rng, out = self.rng, self.out
        title, unit, baseline, (low, high) = rng.choice(WORDS["indicators"][area.value])
        target = float(rng.randint(low, high))
        indicator_id = out.take("indicators")
        out.add(Indicator, id=indicator_id, result_id=result_id, action_id=action["id"], version=1,
                title=self.words(title, action)[:300], unit=unit, impact_area=area, baseline_value=float(baseline),
                baseline_date=action["planned_start"], target_value=target, target_date=action["planned_end"],
                means_of_verification=rng.choice(WORDS["sources"]), requester_may_measure=False, position=position,
                invented=True, invented_fields=None)
        done = [a for a in self.p.activities[action["id"]] if a["status"] in (AS.DELIVERED, AS.REPORTED)]
        if level is ResultLevel.OUTPUT and done:
            for activity in rng.sample(done, min(len(done), rng.randint(1, 2))):
                out.add(indicator_activities, indicator_id=indicator_id, activity_id=activity["id"])
        if area is ImpactArea.POLICY_DEVELOPMENT:
            for deliverable in self.p.deliverables[action["id"]][:1]:
                out.add(indicator_deliverables, indicator_id=indicator_id, deliverable_id=deliverable["id"])
        self.measurements(action, indicator_id, float(baseline), target)

    def measurements(self, action: dict[str, Any], indicator_id: int, baseline: float, target: float) -> None:
        """A few values from the start of the implementation to its end (or today), growing toward the target."""
        if action["status"] not in UNDER_WAY:
            return
        rng, moments = self.rng, self.p.moments[action["id"]]
        began = moments.get(A.IMPLEMENTATION, action["created_at"]).date()
        ended = min(self.p.today - timedelta(days=3), moments.get(A.CLOSED, at(action["planned_end"])).date())
        if ended <= began:
            return
        count = rng.randint(1, 3)
        reach = rng.uniform(0.6, 1.15) if action["status"] is A.CLOSED else rng.uniform(0.2, 0.8)
        for n in range(1, count + 1):
            day = began + timedelta(days=(ended - began).days * n // count)
            value = round(baseline + (target - baseline) * reach * n / count, 1 if target < 100 else 0)
            recorded = min(self.p.now - timedelta(hours=1), at(day) + timedelta(days=rng.randint(0, 10)))
            self.out.add(Measurement, indicator_id=indicator_id, action_id=action["id"], value=value, measured_on=day,
                         source=rng.choice(WORDS["sources"]), recorded_by_id=action["officer_id"],
                         recorded_at=recorded, withdrawn_at=None, withdrawal_reason=None, url=None, stored_name=None,
                         file_name=None, content_type=None, size_bytes=None, sha256=None, invented=True,
                         invented_fields=None)

    def stages(self, action: dict[str, Any], deliverable: dict[str, Any]) -> None:
        """Drafted when issued; after closure, the news that answers the 6- and 12-month check-ins (most are
        answered: validated or adopted at six months, adopted or implemented at twelve)."""
        rng = self.rng
        issued = deliverable["issued_on"]
        self.stage(action, deliverable, S.DRAFTED, issued, at(issued, 12), None)
        closed = self.p.moments[action["id"]].get(A.CLOSED) if action["status"] is A.CLOSED else None
        if closed is None:
            return
        reached = S.DRAFTED
        for months, choices in ((6, (S.VALIDATED, S.VALIDATED, S.ADOPTED)), (12, (S.ADOPTED, S.IMPLEMENTED))):
            due = add_months(closed, months)
            if due > self.p.now or rng.random() < 0.2:
                return
            stage = max(reached, rng.choice(choices), key=list(S).index)
            recorded = min(self.p.now - timedelta(hours=1), due + timedelta(days=rng.randint(1, 25)))
            day = (due - timedelta(days=rng.randint(10, 150))).date()
            self.stage(action, deliverable, stage, max(day, issued), recorded, months)
            reached = stage

    def stage(self, action: dict[str, Any], deliverable: dict[str, Any], stage: DeliverableStageName, day: date,
              recorded: datetime, months: int | None) -> None:
        outcome = "" if stage is S.DRAFTED else self.words(WORDS["stage_outcomes"][stage.value], action)
        self.out.add(DeliverableStage, deliverable_id=deliverable["id"], action_id=action["id"], stage=stage,
                     reached_on=day, outcome=outcome, check_in_months=months, recorded_by_id=action["officer_id"],
                     recorded_at=recorded, url=None, stored_name=None, file_name=None, content_type=None,
                     size_bytes=None, sha256=None, invented=True, invented_fields=None)


# --- Knowledge events and good practices ---------------------------------------------------------------


class Knowledge:
    def __init__(self, out: Rows, p: Portfolio, rng: random.Random, scale: int, staff: list[int]) -> None:
        self.out, self.p, self.rng, self.scale, self.staff = out, p, rng, scale, staff
        self.reviewed_by: dict[int, int] = {}  # action id -> the latest event that reviewed it

    def build(self) -> None:
        self.events()
        self.practices()

    def events(self) -> None:
        rng, p = self.rng, self.p
        running = [a for a in p.actions if a["status"] in UNDER_WAY and a["region_id"] is not None]
        if not running:
            return
        last = p.today + timedelta(days=90)
        wanted, national = max(2, round(EVENTS_PER_SCALE * self.scale)), [a for a in running if a["country_code"]]
        for _ in range(wanted if national else 0):
            host = rng.choice(national)  # a national Action under way, whose country hosts and whose region gathers
            start = min(last, host["planned_start"] + timedelta(days=rng.randint(180, 900)))
            near = [a for a in running if a["region_id"] == host["region_id"] and a["planned_start"] < start
                    and a["country_code"] and a["id"] != host["id"]]
            self.event(start, host["region_id"], [host] + rng.sample(near, min(len(near), rng.randint(2, 5))))

    def event(self, start: date, region: int, reviewed: list[dict[str, Any]]) -> None:
        rng, p, out = self.rng, self.p, self.out
        host_action = reviewed[0]
        theme = p.theme_code[host_action["thematic_area_id"]]
        country = host_action["country_code"]
        created = min(p.now - timedelta(days=1), at(start) - timedelta(days=rng.randint(30, 120)))
        event_id = out.take("knowledge_events")
        kind = rng.choice(WORDS["event_kinds"])
        out.add(KnowledgeEvent, id=event_id, title=f"{kind} on {WORDS['event_themes'][theme]}"[:200],
                region_id=region, thematic_area_id=host_action["thematic_area_id"],
                theme=WORDS["event_themes"][theme], host_institution=p.beneficiary_name(host_action),
                city=CITIES.get(country), country_code=country, start_date=start,
                end_date=start + timedelta(days=rng.randint(1, 2)),
                summary=f"Beneficiaries of {len(reviewed)} Actions, their experts and partners exchange what worked.",
                staffing_activity_id=None, created_by_id=host_action["officer_id"], created_at=created,
                updated_at=created, invented=True, invented_fields=None)
        for action in sorted(reviewed, key=lambda a: a["id"]):
            out.add(event_actions, event_id=event_id, action_id=action["id"])
            self.reviewed_by[action["id"]] = event_id
        if start >= p.today:
            return  # who comes is known afterwards
        for code in sorted({a["country_code"] for a in reviewed}) + rng.sample(EXPERT_COUNTRIES, 2):
            out.add(EventParticipants, event_id=event_id, country_code=code,
                    institution="MIEUX Experts" if code in EXPERT_COUNTRIES else None, female=rng.randint(0, 4),
                    male=rng.randint(0, 4), other=1 if rng.random() < 0.03 else 0, invented=True, invented_fields=None)

    def practices(self) -> None:
        rng, p = self.rng, self.p
        sources = [a for a in p.actions if a["status"] in (A.CLOSED, A.CLOSING, A.IMPLEMENTATION)]
        if not sources:
            return
        for _ in range(round(PRACTICES_PER_SCALE * self.scale)):
            action = rng.choice(sources)
            same = [a for a in sources if a["thematic_area_id"] == action["thematic_area_id"]
                    and a["region_id"] == action["region_id"] and a["id"] != action["id"]]
            self.practice([action] + rng.sample(same, min(len(same), rng.choice([0, 0, 1]))))

    def practice(self, actions: list[dict[str, Any]]) -> None:
        rng, p, out = self.rng, self.p, self.out
        action = actions[0]
        title, description, conditions = rng.choice(WORDS["practices"])
        topic = p.topic(action)
        created = min(p.now - timedelta(days=2), p.moments[action["id"]].get(A.CLOSED, action["created_at"])
                      + timedelta(days=rng.randint(20, 200)))
        fate = rng.random()
        status = PracticeStatus.PUBLISHED if fate < 0.75 else PracticeStatus.DRAFT if fate < 0.95 else \
            PracticeStatus.WITHDRAWN
        published = min(p.now - timedelta(days=1), created + timedelta(days=rng.randint(1, 30))) \
            if status is not PracticeStatus.DRAFT else None
        practice_id = out.take("practices")
        areas = sorted(rng.sample([a.value for a in ImpactArea], rng.randint(1, 2)))
        out.add(Practice, id=practice_id, title=title.format(topic=topic)[:200],
                description=description.format(topic=topic), conditions=conditions,
                thematic_area_id=action["thematic_area_id"], region_id=action["region_id"],
                event_id=self.reviewed_by.get(action["id"]), impact_areas=areas, status=status,
                published_at=published,
                withdrawn_reason="Superseded by a newer practice." if status is PracticeStatus.WITHDRAWN else None,
                created_by_id=action["officer_id"], created_at=created, updated_at=published or created, invented=True,
                invented_fields=None)
        for source in sorted(actions, key=lambda a: a["id"]):
            out.add(practice_actions, practice_id=practice_id, action_id=source["id"])
        for deliverable in p.deliverables[action["id"]][:rng.choice([0, 1, 1])]:
            out.add(practice_deliverables, practice_id=practice_id, deliverable_id=deliverable["id"])


def outcome_rows(rows: dict[str, list[dict[str, Any]]], *, themes: dict[str, int], institutions: dict[int, str],
                 next_id: dict[str, int], scale: int, seed: int, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """Results frameworks, deliverable news, events and practices for the synthetic rows (reproducible)."""
    out = Rows(next_id)
    portfolio = Portfolio(rows, themes, institutions, now)
    Results(out, portfolio, random.Random(f"results-{seed}")).build()
    staff = sorted({a["officer_id"] for a in portfolio.actions if a["officer_id"]})
    Knowledge(out, portfolio, random.Random(f"knowledge-{seed}"), scale, staff).build()
    return out.rows
