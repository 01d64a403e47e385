"""A stateful property test: random sequences of the real services on a real database keep the invariants.

Hypothesis drives plans, edits, postponements and cancellations of activities, their expert slots,
every step of a deployment, declared unavailability, users' time zones and the Action lifecycle, each
through the service a page or the API calls, committing what is accepted and rolling back what the
product refuses (a `DomainError`), as the views do. After every step it checks:

- no deployment disappears (its history ends in the status it has; leaving the slot leaves a
  cancelled, declined or expired row);
- no expert's accepted, confirmed and completed days exceed their cap in any calendar year, each
  day counted in its own year (`days_per_year`, the reference computation);
- no two booked deployments of one expert overlap, travel days included (`occupied`);
- re-deriving the reminders from the data changes nothing;
- an Action's status agrees with its activities and its history;
- a refused call changed nothing (the data equal what the previous step left).

Each example runs on the migrated database inside its own transaction, rolled back at its end. CI runs
a fixed, derandomised budget; `PEERFLOW_INVARIANTS_EXAMPLES=2000` (and `PEERFLOW_INVARIANTS_STEPS`)
runs deeper. A shrunk failing example that is fixed becomes a plain test in
`test_invariant_regressions.py`.

Editing keeps an activity's dates and its slots (by id); dates move only through `postpone_activity`, and
slots are added, changed and removed one by one (`add_slot`, `update_slot`, `remove_slot`).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from workflow.accounts.models import Role, User
from workflow.accounts.services import update_preferences
from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.models import Action, ActionTransition
from workflow.actions.services import FinalReportDraft, apply_action_event, record_final_report
from workflow.activities import services as activity_services
from workflow.activities import slots as activity_slots
from workflow.activities.lifecycle import (
    ASSESSMENT_KINDS,
    EDITABLE_STATES,
    ActivityEvent,
    ActivityKind,
    ActivityStatus,
)
from workflow.activities.models import Activity, ExpertSlot, SlotRole
from workflow.activities.services import (
    ActivityDraft,
    ActivityReport,
    apply_activity_event,
    create_activity,
    update_activity,
)
from workflow.activities.slots import SlotDraft
from workflow.core.errors import DomainError
from workflow.database import Base
from workflow.deployments.lifecycle import BOOKED, LIVE, DeploymentEvent, DeploymentStatus
from workflow.deployments.models import Deployment, DeploymentTransition
from workflow.deployments.services import (
    apply_deployment_event,
    approve_release,
    needs_release,
    propose,
    record_mission_report,
)
from workflow.experts.models import Expert
from workflow.experts.services import add_unavailability
from workflow.extensions import db as database
from workflow.reminders.models import Reminder, ReminderState
from workflow.reminders.subjects import _digest_readers
from workflow.reminders.sync import derive, offsets, recipient_roles, refresh_recurring

from ..factories import make_action, make_expert, make_institution, make_user, theme

# About a minute in CI on each database (PostgreSQL's round trips make each step slower there).
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgresql")
EXAMPLES = int(os.environ.get("PEERFLOW_INVARIANTS_EXAMPLES", "10" if ON_POSTGRESQL else "25"))
STEPS = int(os.environ.get("PEERFLOW_INVARIANTS_STEPS", "30"))

settings.register_profile(
    "peerflow-invariants",
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    print_blob=True,
    # PEERFLOW_INVARIANTS_SHRINK=0 reports the first failing sequence as found, without shrinking it.
    **({"phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.target]}
       if os.environ.get("PEERFLOW_INVARIANTS_SHRINK") == "0" else {}),
)
INVARIANT_SETTINGS = settings.get_profile("peerflow-invariants")

# The services written in parallel; the integrator removes these guards once they are merged.

TIMEZONES = ("UTC", "America/Lima", "Europe/Madrid", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata")
TRAVEL_DAYS = 1  # each side of an on-site activity (the product's rule, restated)
ACTIVITY_KINDS = (ActivityKind.WORKSHOP, ActivityKind.ASSESSMENT_MISSION, ActivityKind.TRAINING)
ACTIVITY_EVENTS = (ActivityEvent.CONFIRM, ActivityEvent.DELIVER, ActivityEvent.REPORT, ActivityEvent.CANCEL)
FORWARD_ACTIVITY = {ActivityStatus.PLANNED: ActivityEvent.CONFIRM, ActivityStatus.POSTPONED: ActivityEvent.CONFIRM,
                    ActivityStatus.CONFIRMED: ActivityEvent.DELIVER, ActivityStatus.DELIVERED: ActivityEvent.REPORT}
FORWARD_ACTION = {ActionStatus.ACCEPTED: ActionEvent.START_ASSESSMENT,
                  ActionStatus.ASSESSMENT: ActionEvent.START_IMPLEMENTATION,
                  ActionStatus.IMPLEMENTATION: ActionEvent.START_CLOSING, ActionStatus.CLOSING: ActionEvent.CLOSE}


# --- The reference computations ------------------------------------------------------------


def days_per_year(start: date, end: date, working_days: int) -> dict[int, int]:
    """The working days of a deployment on an activity from `start` to `end`, per calendar year.

    Each calendar day counts in its own year. When the working days differ from the activity's length
    (staff set fewer, or long remote work counts 10), they are shared over the years in proportion to
    the activity's days in each, by largest remainder (ties to the earlier year)."""
    span = (end - start).days + 1
    calendar: dict[int, int] = defaultdict(int)
    for offset in range(span):
        calendar[(start + timedelta(days=offset)).year] += 1
    if working_days == span:
        return dict(calendar)
    years = sorted(calendar)
    share = {year: working_days * calendar[year] // span for year in years}
    rest = working_days - sum(share.values())
    by_remainder = sorted(years, key=lambda year: (-(working_days * calendar[year] % span), year))
    for year in by_remainder[:rest]:
        share[year] += 1
    return share


def occupied(start: date, end: date, remote: bool) -> tuple[date, date]:
    """The days an activity takes from an expert's calendar: a travel day each side unless remote."""
    pad = timedelta(days=0 if remote else TRAVEL_DAYS)
    return start - pad, end + pad


def meet(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _rows(session, table) -> list[tuple]:
    return [tuple(row) for row in session.execute(select(table).order_by(*table.primary_key.columns))]


SNAPSHOT_TABLES = ("actions", "action_transitions", "final_reports", "activities", "activity_transitions",
                   "expert_slots", "deployments", "deployment_transitions", "experts", "expert_unavailability",
                   "users", "reminders")


def snapshot(session) -> dict[str, list[tuple]]:
    return {name: _rows(session, Base.metadata.tables[name]) for name in SNAPSHOT_TABLES}


class YearlyCapExceeded(AssertionError):
    """The cap invariant's own failure, which the Dec–Jan test expects until caps count days per year."""


# --- The machine ----------------------------------------------------------------------------


class Environment:
    """What the pytest fixtures give the machine: the app and its engine."""

    def __init__(self, app, engine) -> None:
        self.app, self.engine = app, engine


class PeerflowMachine(RuleBasedStateMachine):
    env: Environment  # set by the test
    # The example's clock; activities start from `now + offset` days. Dec–Jan dates are drawn only by
    # the machine of `test_invariants_across_new_year` (see there).
    NOW = datetime(2027, 6, 14, 9, 0, tzinfo=UTC)
    OFFSETS = st.integers(min_value=-40, max_value=150)
    LENGTHS = st.integers(min_value=1, max_value=8)
    CROSSES_YEARS = False
    DAY_CAPS = (12, 20, 60)
    EXPERTS_PROPOSED = 4  # the first n experts of `setup` are proposed
    DAYS_SET_BY_STAFF = True  # proposals sometimes count fewer working days than the activity lasts

    actions = Bundle("actions")
    activities = Bundle("activities")
    deployments = Bundle("deployments")

    def __init__(self) -> None:
        super().__init__()
        self.context = self.env.app.app_context()
        self.context.push()
        self.env.app.extensions["peerflow.clock"] = lambda: self.NOW
        self.connection = self.env.engine.connect()
        self.transaction = self.connection.begin()
        database.session.remove()
        database.session.configure(bind=self.connection, join_transaction_mode="create_savepoint")
        self.session = database.session
        self.deployment_ids: set[int] = set()
        # Rules that are always possible are used a few times per example, not to crowd out the others.
        self.budget: dict[str, int] = defaultdict(int)
        self.changed = True  # since the invariants were last checked
        self.last: dict[str, list[tuple]] = {}  # the data as the last step left them

    def teardown(self) -> None:
        database.session.remove()
        database.session.configure(bind=None, join_transaction_mode="conditional_savepoint")
        self.transaction.rollback()
        self.connection.close()
        self.env.app.extensions.pop("peerflow.clock", None)
        self.context.pop()

    # --- Helpers ---------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self.NOW

    def user(self, user_id: int) -> User:
        return self.session.get(User, user_id)

    @property
    def officer(self) -> User:
        return self.user(self.officer_id)

    def clamp(self, start: date, end: date) -> tuple[date, date]:
        """Keep a period within one calendar year unless this machine draws Dec–Jan periods."""
        if self.CROSSES_YEARS or start.year == end.year:
            return start, end
        return start, date(start.year, 12, 31)

    def planned_offset(self, data: st.DataObject) -> int:
        """Days from now to the start of the next activity planned."""
        return data.draw(self.OFFSETS, label="offset")

    def period(self, offset: int, length: int) -> tuple[date, date]:
        start = self.now.date() + timedelta(days=offset)
        return self.clamp(start, start + timedelta(days=length - 1))

    def attempt(self, call: Callable[[], Any]) -> Any:
        """Run one use case as a view does: commit what is accepted, roll back what is refused.

        A refused call must leave the data exactly as the previous step left them."""
        try:
            result = call()
        except DomainError:
            self.session.rollback()
            assert snapshot(self.session) == self.last, "a refused call changed the data"
            return None
        self.session.commit()
        self.changed = True
        self.the_invariants_hold()  # after every accepted call, also inside a rule that makes several
        return result

    # --- Setting up one example ------------------------------------------------------------

    @initialize(target=actions, data=st.data())
    def setup(self, data: st.DataObject):
        caps = [data.draw(st.sampled_from(self.DAY_CAPS), label=f"day cap {n}") for n in range(3)]
        db = self.session
        officer = make_user(db, Role.OFFICER)
        self.officer_id = officer.id
        self.admin_id = make_user(db, Role.ADMIN).id
        self.stranger_id = make_user(db, Role.EXPERT).id  # an expert user who is none of the experts below
        ministry = make_institution(db, "PE")
        experts = [
            make_expert(db, name="Peer", country="AR", expert_type="partner_peer", day_cap=caps[0],
                        user=make_user(db, Role.EXPERT)),
            make_expert(db, name="Official", country="ES", expert_type="ms_official", day_cap=caps[1],
                        user=make_user(db, Role.EXPERT)),
            make_expert(db, name="Scholar", country="FR", expert_type="academic", day_cap=caps[2],
                        languages={"fr": "C2", "es": "B2"}, user=make_user(db, Role.EXPERT)),
            make_expert(db, name="Francophone", country="BE", expert_type="ngo", languages={"fr": "C2"},
                        user=make_user(db, Role.EXPERT)),
        ]
        self.expert_ids = [e.id for e in experts]
        self.focal_ids = [make_user(db, Role.MS_FOCAL_POINT, country="ES").id]
        self.timezone_user_ids = [self.officer_id, self.admin_id, *self.focal_ids, *(e.user_id for e in experts)]
        actions = [make_action(db, officer, status=status, beneficiary=ministry, start=date(2027, 1, 1))
                   for status in (ActionStatus.IMPLEMENTATION, ActionStatus.IMPLEMENTATION, ActionStatus.ACCEPTED)]
        refresh_recurring(db, self.now)  # the scheduler's first pass: the weekly digests
        db.commit()
        return multiple(*(action.id for action in actions))

    # --- Activities ------------------------------------------------------------------------

    def draft(self, kind: ActivityKind, title: str, start: date, end: date, remote: bool,
              slots: Iterable[SlotDraft], languages: tuple[str, ...] = ("es",)) -> ActivityDraft:
        return ActivityDraft(kind=kind, title=title, start_date=start, end_date=end, is_remote=remote,
                             city=None if remote else "Lima", country_code=None if remote else "PE",
                             languages=languages, slots=tuple(slots))

    @precondition(lambda self: self.budget["plan"] < 6)
    @rule(target=activities, action=actions, kind=st.sampled_from(ACTIVITY_KINDS), offset=st.data(),
          remote=st.booleans(), places=st.lists(st.integers(min_value=1, max_value=2), min_size=1, max_size=2))
    def plan_activity(self, action: int, kind: ActivityKind, offset: st.DataObject, remote: bool, places: list[int]):
        start, end = self.period(self.planned_offset(offset), offset.draw(self.LENGTHS, label="days"))
        self.budget["plan"] += 1
        trafficking = theme(self.session).id
        slots = [SlotDraft(role=SlotRole.EXPERT, thematic_area_id=trafficking, language="es", places=n) for n in places]
        created = self.attempt(lambda: create_activity(
            self.session, self.session.get(Action, action),
            self.draft(kind, f"{kind.value} {start.isoformat()}", start, end, remote, slots), actor=self.officer,
            now=self.now))
        return multiple() if created is None else created.id

    @rule(activity=activities, title=st.sampled_from(("Workshop on victim assistance", "Taller", " ")),
          remote=st.booleans(), french=st.booleans(), mention_slots=st.booleans())
    def edit_activity(self, activity: int, title: str, remote: bool, french: bool, mention_slots: bool):
        """An edit of the fields, naming the slots by id or not at all: either way every slot stays."""
        found = self.session.get(Activity, activity)
        slots = [SlotDraft(role=s.role, thematic_area_id=s.thematic_area_id, language=s.language, places=s.places,
                           id=s.id) for s in found.slots] if mention_slots else []
        draft = self.draft(found.kind, title.strip() or found.title, found.start_date, found.end_date, remote, slots,
                           ("fr", "es") if french else ("es",))
        kept = {slot.id for slot in found.slots}
        if self.attempt(lambda: update_activity(self.session, found, draft, version=found.version, actor=self.officer,
                                                now=self.now)) is not None:
            assert {slot.id for slot in self.session.get(Activity, activity).slots} == kept, "an edit lost a slot"

    @rule(activity=activities, shift=st.integers(min_value=-10, max_value=60), stretch=st.integers(-2, 4),
          reason=st.sampled_from(("Elections", "")))
    def postpone_activity(self, activity: int, shift: int, stretch: int, reason: str):
        found = self.session.get(Activity, activity)
        start = found.start_date + timedelta(days=shift)
        start, end = self.clamp(start, max(start, found.end_date + timedelta(days=shift + stretch)))
        self.attempt(lambda: activity_services.postpone_activity(
            self.session, found, start_date=start, end_date=end, reason=reason, actor=self.officer, now=self.now))

    @rule(activity=activities, choice=st.sampled_from(("next", "next", *ACTIVITY_EVENTS)),
          reason=st.sampled_from(("Floods in the region", "")), steps=st.integers(min_value=1, max_value=3))
    def activity_event(self, activity: int, choice: str | ActivityEvent, reason: str, steps: int):
        """Up to `steps` next steps on the way to reported (most of the time), or any one event."""
        for _ in range(steps if choice == "next" else 1):
            if self.attempt(self.activity_step(activity, choice, reason)) is None:
                return

    def activity_step(self, activity: int, choice: str | ActivityEvent, reason: str) -> Callable[[], Any]:
        found = self.session.get(Activity, activity)
        event = FORWARD_ACTIVITY.get(found.status, ActivityEvent.CONFIRM) if choice == "next" else choice
        report = ActivityReport(summary="Went well.", participants_female=12, participants_male=9)
        return lambda: apply_activity_event(self.session, found, event, actor=self.officer, now=self.now,
                                            reason=reason, report=report if event is ActivityEvent.REPORT else None)

    # --- Expert slots ----------------------------------------

    def slot_draft(self, places: int) -> SlotDraft:
        return SlotDraft(role=SlotRole.EXPERT, thematic_area_id=theme(self.session).id, language="es", places=places)

    def slot_of(self, activity: int, index: int) -> ExpertSlot | None:
        slots = self.session.get(Activity, activity).slots
        return slots[index % len(slots)] if slots else None

    @rule(activity=activities, places=st.integers(min_value=1, max_value=2))
    def add_slot(self, activity: int, places: int):
        found = self.session.get(Activity, activity)
        self.attempt(lambda: activity_slots.add_slot(
            self.session, found, self.slot_draft(places), actor=self.officer, now=self.now))

    @rule(activity=activities, index=st.integers(0, 2), places=st.integers(min_value=1, max_value=3))
    def update_slot(self, activity: int, index: int, places: int):
        slot = self.slot_of(activity, index)
        if slot is not None:
            self.attempt(lambda: activity_slots.update_slot(
                self.session, slot, self.slot_draft(places), actor=self.officer, now=self.now))

    @rule(activity=activities, index=st.integers(0, 2))
    def remove_slot(self, activity: int, index: int):
        slot = self.slot_of(activity, index)
        if slot is not None:
            self.attempt(lambda: activity_slots.remove_slot(
                self.session, slot, actor=self.officer, now=self.now))

    # --- Deployments -----------------------------------------------------------------------

    @rule(target=deployments, activity=activities, index=st.integers(0, 2), expert=st.integers(0, 3),
          days=st.one_of(st.none(), st.integers(min_value=1, max_value=3)))
    def propose(self, activity: int, index: int, expert: int, days: int | None):
        slot = self.slot_of(activity, index)
        if slot is None:
            return multiple()
        chosen = self.session.get(Expert, self.expert_ids[expert % self.EXPERTS_PROPOSED])
        days = days if self.DAYS_SET_BY_STAFF else None
        created = self.attempt(lambda: propose(self.session, slot, chosen,
                                               actor=self.officer, now=self.now, days=days))
        if created is None:
            return multiple()
        self.deployment_ids.add(created.id)
        return created.id

    @rule(deployment=deployments, steps=st.integers(min_value=1, max_value=4))
    def advance_deployment(self, deployment: int, steps: int):
        """Up to `steps` next steps towards completed, each by the person who takes it, each its own call."""
        for _ in range(steps):
            if self.attempt(self.next_deployment_step(deployment)) is None:
                return

    def next_deployment_step(self, deployment: int) -> Callable[[], Any]:
        found = self.session.get(Deployment, deployment)
        db, now, status = self.session, self.now, found.status

        def event(what: DeploymentEvent, actor: User) -> Callable[[], Any]:
            return lambda: apply_deployment_event(db, found, what, actor=actor, now=now)

        if status is DeploymentStatus.PROPOSED:
            return event(DeploymentEvent.INVITE, self.officer)
        if status is DeploymentStatus.INVITED:
            return event(DeploymentEvent.ACCEPT, found.expert.user)
        if status is DeploymentStatus.ACCEPTED and needs_release(found.expert) and not found.release_approved_at:
            return lambda: approve_release(db, found, actor=self.user(self.admin_id), now=now)
        if status is DeploymentStatus.ACCEPTED:
            return event(DeploymentEvent.CONFIRM, self.officer)
        if status is DeploymentStatus.CONFIRMED and not found.mission_report:
            return lambda: record_mission_report(db, found, "Two days of exchange.", actor=found.expert.user, now=now)
        return event(DeploymentEvent.COMPLETE, self.officer)  # refused unless confirmed

    @rule(deployment=deployments, event=st.sampled_from(list(DeploymentEvent)),
          who=st.sampled_from(("right", "right", "officer", "stranger")), reason=st.sampled_from(("Court case", "")))
    def deployment_event(self, deployment: int, event: DeploymentEvent, who: str, reason: str):
        """Any event, by the right person or not: declines, cancellations, and what must be refused."""
        found = self.session.get(Deployment, deployment)
        if who == "right":
            actor = found.expert.user if event in (DeploymentEvent.ACCEPT, DeploymentEvent.DECLINE) else self.officer
        else:
            actor = self.officer if who == "officer" else self.user(self.stranger_id)
        self.attempt(lambda: apply_deployment_event(self.session, found, event, actor=actor, now=self.now,
                                                    reason=reason))

    @rule(deployment=deployments, by_admin=st.booleans())
    def approve_release(self, deployment: int, by_admin: bool):
        found = self.session.get(Deployment, deployment)
        actor = self.user(self.admin_id if by_admin else self.focal_ids[0])
        self.attempt(lambda: approve_release(self.session, found, actor=actor, now=self.now))

    # --- Experts and users -----------------------------------------------------------------

    @precondition(lambda self: self.budget["unavailability"] < 3)
    @rule(expert=st.integers(0, 3), offset=st.data(), by_expert=st.booleans())
    def declare_unavailability(self, expert: int, offset: st.DataObject, by_expert: bool):
        self.budget["unavailability"] += 1
        found = self.session.get(Expert, self.expert_ids[expert])
        start, end = self.period(offset.draw(self.OFFSETS, label="offset"), offset.draw(self.LENGTHS, label="days"))
        actor = found.user if by_expert else self.officer
        self.attempt(lambda: add_unavailability(self.session, found, start, end, "Parental leave", actor=actor))

    @precondition(lambda self: self.budget["timezone"] < 3)
    @rule(index=st.integers(0, 6), timezone=st.sampled_from(TIMEZONES))
    def change_timezone(self, index: int, timezone: str):
        self.budget["timezone"] += 1
        user = self.user(self.timezone_user_ids[index % len(self.timezone_user_ids)])
        self.attempt(lambda: update_preferences(self.session, user, name=user.name, locale=user.locale,
                                                timezone=timezone))

    @rule()
    def scheduler_pass(self):
        """The scheduler's periodic pass may run between any two steps (and is the step left when the others
        are spent: every Action may be cancelled, and with it every activity)."""
        self.attempt(lambda: refresh_recurring(self.session, self.now))

    # --- The Action lifecycle ----------------------------------------------------------------

    @precondition(lambda self: self.budget["action"] < 6)
    @rule(action=actions, choice=st.sampled_from(("next", "next", *ActionEvent)), waiver=st.booleans(),
          reason=st.sampled_from(("Elections in the partner country.", "")))
    def action_event(self, action: int, choice: str | ActionEvent, waiver: bool, reason: str):
        """The Action's next step on its way to closed (writing the final report before closing), or any event."""
        self.budget["action"] += 1
        found = self.session.get(Action, action)
        event = FORWARD_ACTION.get(found.status, ActionEvent.RESUME) if choice == "next" else choice
        if event is ActionEvent.CLOSE and found.final_report is None and choice == "next":
            self.attempt(lambda: record_final_report(
                self.session, found, FinalReportDraft(results="Handbook published.", lessons_learned="Start early."),
                actor=self.officer, now=self.now))
            return
        self.attempt(lambda: apply_action_event(
            self.session, found, event, actor=self.officer, now=self.now, reason=reason,
            waiver="Needs were mapped by the requester's own study." if waiver else None))

    # --- The invariants --------------------------------------------------------------------

    @invariant()
    def the_invariants_hold(self):
        """After every step that changed something (a refused one was shown to change nothing)."""
        if not self.changed:
            return
        self.no_deployment_disappears()
        self.no_expert_above_their_yearly_cap()
        self.no_expert_in_two_places()
        self.reminders_follow_the_data()
        self.actions_agree_with_their_activities()
        self.last = snapshot(self.session)
        self.changed = False

    def no_deployment_disappears(self):
        deployments = {d.id: d for d in self.session.scalars(select(Deployment))}
        missing = self.deployment_ids - deployments.keys()
        assert not missing, f"deployments {sorted(missing)} disappeared"
        history: dict[int, list[DeploymentStatus]] = defaultdict(list)
        for deployment_id, to_status in self.session.execute(
                select(DeploymentTransition.deployment_id, DeploymentTransition.to_status)
                .order_by(DeploymentTransition.id)):
            history[deployment_id].append(to_status)
        for deployment in deployments.values():
            steps = history[deployment.id]
            assert steps and steps[-1] is deployment.status, (
                f"deployment {deployment.id} is {deployment.status} but its history is {steps}")
            if deployment.status not in LIVE:
                assert deployment.status in (DeploymentStatus.CANCELLED, DeploymentStatus.DECLINED,
                                             DeploymentStatus.EXPIRED)

    def booked(self) -> list[tuple[int, int, int, date, date, bool, int]]:
        return self.session.execute(
            select(Deployment.id, Deployment.expert_id, Deployment.working_days, Activity.start_date,
                   Activity.end_date, Activity.is_remote, Expert.max_days_per_year)
            .join(Activity, Deployment.activity_id == Activity.id).join(Expert, Deployment.expert_id == Expert.id)
            .where(Deployment.status.in_(BOOKED)).order_by(Deployment.id)).all()

    def no_expert_above_their_yearly_cap(self):
        days: dict[tuple[int, int], int] = defaultdict(int)
        caps = {}
        for _id, expert_id, working_days, start, end, _remote, cap in self.booked():
            caps[expert_id] = cap
            for year, count in days_per_year(start, end, working_days).items():
                days[expert_id, year] += count
        over = {key: total for key, total in days.items() if total > caps[key[0]]}
        if over:
            raise YearlyCapExceeded(f"above the yearly cap (expert, year): days {over}, caps {caps}")

    def no_expert_in_two_places(self):
        by_expert: dict[int, list[tuple[int, tuple[date, date]]]] = defaultdict(list)
        for deployment_id, expert_id, _days, start, end, remote, _cap in self.booked():
            period = occupied(start, end, remote)
            for other_id, other in by_expert[expert_id]:
                assert not meet(period, other), (
                    f"deployments {other_id} {other} and {deployment_id} {period} of expert {expert_id} overlap")
            by_expert[expert_id].append((deployment_id, period))

    def reminders_follow_the_data(self):
        db = self.session
        config, chosen = offsets(db), recipient_roles(db)
        subjects = ({("activity", i) for i in db.scalars(select(Activity.id))}
                    | {("deployment", i) for i in db.scalars(select(Deployment.id))}
                    | {("action", i) for i in db.scalars(select(Action.id))}
                    | {("digest", i) for i in _digest_readers(db)})
        pending: dict[tuple[str, int], dict[str, datetime]] = defaultdict(dict)
        for subject_type, subject_id, key, due_at in db.execute(
                select(Reminder.subject_type, Reminder.subject_id, Reminder.key, Reminder.due_at)
                .where(Reminder.state == ReminderState.PENDING)):
            pending[subject_type, subject_id][key] = _utc(due_at)
        for subject in sorted(subjects | set(pending)):
            wanted = {d.key: _utc(d.due_at) for d in derive(db, *subject, self.now, config, chosen)}
            assert pending.get(subject, {}) == wanted, f"re-deriving the reminders of {subject} changes them"

    def actions_agree_with_their_activities(self):
        db = self.session
        for action in db.scalars(select(Action)):
            last = db.scalar(select(ActionTransition.to_status).where(ActionTransition.action_id == action.id)
                             .order_by(ActionTransition.id.desc()).limit(1))
            assert last is action.status, f"Action {action.id} is {action.status}; its history ends in {last}"
            where = action.status_before_suspension if action.status is ActionStatus.SUSPENDED else action.status
            # Closing is entered with every activity finished (its guard); one may still be planned while
            # closing, and must be finished before the Action closes: a closed Action's activities are frozen.
            if action.status is ActionStatus.CLOSED:
                unfinished = db.scalars(select(Activity.title).where(
                    Activity.action_id == action.id, Activity.status.in_(EDITABLE_STATES))).all()
                assert not unfinished, f"Action {action.id} is {action.status} with unfinished activities {unfinished}"
            if where in (ActionStatus.IMPLEMENTATION, ActionStatus.CLOSING, ActionStatus.CLOSED):
                assessed = db.scalar(select(Activity.id).where(
                    Activity.action_id == action.id, Activity.kind.in_(ASSESSMENT_KINDS),
                    Activity.status == ActivityStatus.REPORTED).limit(1))
                assert assessed is not None or action.assessment_waiver, (
                    f"Action {action.id} is in {where} without an assessment or a waiver")
            if action.status is ActionStatus.CLOSED:
                assert action.final_report is not None


def _utc(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back (UTC by convention); PostgreSQL aware ones."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class AcrossNewYear(PeerflowMachine):
    """The same machine at the turn of a year: activities from Dec 28 (across the new year) or in early
    January, for one expert with a cap of 8 days (Dec 28–Jan 3 is 4 days in one year and 3 in the next)."""

    NOW = datetime(2027, 11, 15, 9, 0, tzinfo=UTC)
    OFFSETS = st.sampled_from((43, 44, 52, 53))  # Dec 28, Dec 29, Jan 6, Jan 7
    LENGTHS = st.just(7)
    PLANNED = (43, 52, 44, 53)  # activities are planned on these days in turn, so that years are crossed

    def planned_offset(self, data: st.DataObject) -> int:
        return self.PLANNED[self.budget["plan"] % len(self.PLANNED)]
    CROSSES_YEARS = True
    DAY_CAPS = (8,)
    EXPERTS_PROPOSED = 1
    DAYS_SET_BY_STAFF = False


def run(machine: type[PeerflowMachine], app, engine, **overrides: Any) -> None:
    machine.env = Environment(app, engine)
    run_state_machine_as_test(machine, settings=settings(INVARIANT_SETTINGS, **overrides))


def test_invariants(app, engine):
    run(PeerflowMachine, app, engine)


def test_invariants_across_new_year(app, engine):
    run(AcrossNewYear, app, engine)
