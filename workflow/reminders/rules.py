"""The reminder rules of design.md, as pure functions: facts in, the reminders that should exist out.

No Flask and no database here. Each rule is one record (registry.Rule) with its due function,
which turns the facts of one subject (a request, a deployment, an activity, an Action, a person's
week, a consultation) into `Desired` reminders with a unique key. The sync module compares them
with the rows and inserts, moves or cancels; a reminder already sent keeps its key, so it is never
sent twice.

Times: a reminder "3 days before" is due at 09:00 in the recipient's time zone, stored in UTC.
Of the occurrences already past, only the latest is kept: after downtime a person gets the most
recent reminder, not a backlog of stale ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from ..core.clock import local_moment, zone
from ..core.i18n import N_  # marks the rules' texts for translation; returns them unchanged
from .facts import (
    ActionFacts,
    ActivityFacts,
    CheckInFacts,
    ConsultationFacts,
    DeploymentReportFacts,
    DigestFacts,
    InvitationFacts,
    MissionFacts,
    RequestFacts,
)
from .registry import Chosen, Desired, Due, Person, Recipients, derive, rule

SEND_HOUR = 9  # local time of day for date-based reminders
DIGEST_HOUR = 8  # Monday 08:00 local

STAFF = Recipients(("officer", "admin"), ("officer",))  # the officer in charge, or the admins instead or too


def latest_past_and_future(items: Iterable[Desired], now: datetime) -> list[Desired]:
    """Keep every future occurrence and, of those already due, only the latest (per recipient)."""
    items = sorted(items, key=lambda d: d.due_at)
    latest_past: dict[int, Desired] = {}
    future = []
    for item in items:
        if item.due_at <= now:
            latest_past[item.recipient_id] = item
        else:
            future.append(item)
    return [*latest_past.values(), *future]


# --- The rules, in the order the rules page lists them ----------------------------------------------


@rule("request_review", "request", RequestFacts, offsets=(10, 7), recurring=True, recipients=STAFF,
      what=N_("Request waiting for review: days after submission, then every N days"), who=N_("officers"),
      placeholders=("request", "institution", "status", "days"))
def _request_review(f: RequestFacts, c: Due) -> list[Desired]:
    if not (f.waiting and f.submitted_at and c.offsets):
        return []
    first, every = c.offsets[0], (c.offsets[1] if len(c.offsets) > 1 and c.offsets[1] > 0 else 7)
    start, step = f.submitted_at + timedelta(days=first), timedelta(days=every)
    # Chaser n is due at start + n * step. Of those already due only the latest is kept (counted, not
    # listed: a request may wait for months); the first exists from submission on, later ones appear
    # a period ahead of their time.
    latest = (c.now - start) // step if c.now >= start else -1
    occurrences = [latest] if latest >= 0 else []
    n = latest + 1
    while n == 0 or start + n * step <= c.now + step:
        occurrences.append(n)
        n += 1
    return [c.remind(f"request-review:request:{f.id}:{n}:user:{p.user_id}", p, start + n * step, f.id)
            for p in c.pick(officer=f.officers, admin=f.admins) for n in occurrences]


@rule("invite_nudge", "deployment", InvitationFacts, offsets=(3,), what=N_("Invitation unanswered: days after inviting"),
      who=N_("expert"), recipients=Recipients(("expert", "focal_point"), ("expert",)),
      placeholders=("expert", "role", "activity", "action", "start", "end"))
def _invite_nudge(f: InvitationFacts, c: Due) -> list[Desired]:
    if not (f.invited and f.invited_at):
        return []
    return [c.remind(f"invite-nudge:deployment:{f.deployment_id}:{d}:user:{p.user_id}", p,
                     f.invited_at + timedelta(days=d), f.deployment_id)
            for p in c.pick(expert=[f.expert] if f.expert else [], focal_point=f.focal_points) for d in c.offsets]


@rule("invite_expiry", "deployment", InvitationFacts, offsets=(7,), what=N_("Invitation expires: days after inviting"),
      who=N_("officer"), recipients=STAFF, placeholders=("expert", "activity", "action"))
def _invite_expiry(f: InvitationFacts, c: Due) -> list[Desired]:
    if not ((f.invited or f.expired) and f.invited_at):
        return []
    return [c.remind(f"invite-expiry:deployment:{f.deployment_id}:user:{p.user_id}", p,
                     f.invited_at + timedelta(days=d), f.deployment_id)
            for d in c.offsets[:1] for p in c.pick(officer=f.officer, admin=f.admins)]


@rule("activity_coming", "activity", ActivityFacts, offsets=(30, 14, 3),
      what=N_("Activity coming: days before the start"), who=N_("officer and confirmed experts"),
      recipients=Recipients(("officer", "expert", "focal_point"), ("officer", "expert")),
      placeholders=("activity", "action", "start", "end", "place", "days"))
def _activity_coming(f: ActivityFacts, c: Due) -> list[Desired]:
    if not f.running:
        return []
    coming = [c.remind(f"activity-coming:activity:{f.id}:{d}:user:{p.user_id}", p,
                       local_moment(f.start - timedelta(days=d), SEND_HOUR, p.timezone), f.id)
              for p in c.pick(officer=f.officers, expert=f.confirmed_experts, focal_point=f.focal_points)
              for d in c.offsets]
    return latest_past_and_future(coming, c.now)


@rule("slots_open", "activity", ActivityFacts, offsets=(21,), what=N_("Slots still open: days before the start"),
      who=N_("officer"), recipients=STAFF, placeholders=("activity", "action", "start", "end", "days", "open", "places"))
def _slots_open(f: ActivityFacts, c: Due) -> list[Desired]:
    if not (f.running and f.open_places > 0):
        return []
    return [c.remind(f"slots-open:activity:{f.id}:{d}:user:{p.user_id}", p,
                     local_moment(f.start - timedelta(days=d), SEND_HOUR, p.timezone), f.id)
            for p in c.pick(officer=f.officers, admin=f.admins) for d in c.offsets[:1]]


def _reports_missing(f: ActivityFacts) -> list[DeploymentReportFacts]:
    """The confirmed deployments still owing their mission report, once the activity runs or took place."""
    return [r for r in f.reports if not r.has_report] if f.took_place or f.running else []


@rule("report_due", "activity", ActivityFacts, offsets=(10,), what=N_("Mission report due: days after the end"),
      who=N_("expert"), recipients=Recipients(("expert", "officer", "focal_point"), ("expert",)),
      placeholders=("expert", "activity", "action", "end"))
def _report_due(f: ActivityFacts, c: Due) -> list[Desired]:
    return [c.remind(f"report-due:deployment:{r.deployment_id}:user:{p.user_id}", p,
                     local_moment(f.end + timedelta(days=d), SEND_HOUR, p.timezone), f.id)
            for r in _reports_missing(f)
            for p in c.pick(expert=[r.expert] if r.expert else [], officer=f.officers, focal_point=r.focal_points)
            for d in c.offsets[:1]]


@rule("report_overdue", "activity", ActivityFacts, offsets=(15,), what=N_("Mission report overdue: days after the end"),
      who=N_("expert and officer"), recipients=Recipients(("expert", "officer", "admin"), ("expert", "officer")),
      placeholders=("expert", "activity", "action", "end"))
def _report_overdue(f: ActivityFacts, c: Due) -> list[Desired]:
    return [c.remind(f"report-overdue:deployment:{r.deployment_id}:user:{p.user_id}", p,
                     local_moment(f.end + timedelta(days=d), SEND_HOUR, p.timezone), f.id)
            for r in _reports_missing(f)
            for p in c.pick(expert=[r.expert] if r.expert else [], officer=f.officers, admin=f.admins)
            for d in c.offsets[:1]]


@rule("mission_checklist", "mission", MissionFacts, offsets=(7,),
      what=N_("Mission checklist still open: days before departure (the outbound journey, else the activity's start)"),
      who=N_("expert"), recipients=Recipients(("expert", "officer"), ("expert",)),
      placeholders=("expert", "activity", "action", "departure", "days", "items"))
def _mission_checklist(f: MissionFacts, c: Due) -> list[Desired]:
    """While items are open, N days before departure (09:00 local); nothing from the day of departure on. The key
    has no date: when the dates move, the reminder moves with them."""
    if not (f.ready and f.open_items and f.departure) or c.now.date() >= f.departure:
        return []
    due = [c.remind(f"mission-checklist:deployment:{f.deployment_id}:{d}:user:{p.user_id}", p,
                    local_moment(f.departure - timedelta(days=d), SEND_HOUR, p.timezone), f.deployment_id)
           for p in c.pick(expert=[f.expert] if f.expert else [], officer=f.officers) for d in c.offsets]
    return latest_past_and_future(due, c.now)


@rule("action_ending", "action", ActionFacts, offsets=(30,), who=N_("officer"), recipients=STAFF,
      what=N_("Action ending with open work: days before its planned end"),
      placeholders=("action", "action_title", "end", "open"))
def _action_ending(f: ActionFacts, c: Due) -> list[Desired]:
    if not (f.running and f.planned_end and f.open_activities):
        return []
    return [c.remind(f"action-ending:action:{f.id}:{f.planned_end.isoformat()}:user:{p.user_id}", p,
                     local_moment(f.planned_end - timedelta(days=d), SEND_HOUR, p.timezone), f.id)
            for p in c.pick(officer=f.officers, admin=f.admins) for d in c.offsets[:1]]


@rule("closing_stalled", "action", ActionFacts, offsets=(30,), what=N_("Closing stalled: days in closing"),
      who=N_("officer"), recipients=STAFF, placeholders=("action", "action_title"))
def _closing_stalled(f: ActionFacts, c: Due) -> list[Desired]:
    if not f.closing_since:
        return []
    return [c.remind(f"closing-stalled:action:{f.id}:{f.closing_since.date().isoformat()}:user:{p.user_id}", p,
                     f.closing_since + timedelta(days=d), f.id)
            for p in c.pick(officer=f.officers, admin=f.admins) for d in c.offsets[:1]]


@rule("final_report_due", "action", ActionFacts, offsets=(14,), who=N_("officer"), recipients=STAFF,
      what=N_("Final report due: days after the Action went into closing or passed its planned end"),
      placeholders=("action", "action_title", "end"))
def _final_report_due(f: ActionFacts, c: Due) -> list[Desired]:
    """An Action in closing, or running past its planned end, without its final report: N days after the
    earlier of the two moments (09:00 local for the planned end), once per moment."""
    if f.has_final_report or not (f.closing_since or (f.running and f.planned_end)):
        return []
    out = []
    for p in c.pick(officer=f.officers, admin=f.admins):
        moments = []
        if f.closing_since:
            moments.append((f"closing:{f.closing_since.date().isoformat()}", f.closing_since))
        if f.running and f.planned_end:
            moments.append((f"end:{f.planned_end.isoformat()}", local_moment(f.planned_end, SEND_HOUR, p.timezone)))
        tag, since = min(moments, key=lambda m: m[1])
        out += [c.remind(f"final-report-due:action:{f.id}:{tag}:user:{p.user_id}", p, since + timedelta(days=d), f.id)
                for d in c.offsets[:1]]
    return out


@rule("deliverable_check_in", "checkin", CheckInFacts, timing=N_("6 and 12 months after the Action closed"),
      what=N_("News of the policy deliverables asked for, while the beneficiary has not sent it"),
      who=N_("the beneficiary institutions' requesters"), placeholders=("action", "action_title", "months"))
def _deliverable_check_in(f: CheckInFacts, c: Due) -> list[Desired]:
    """At each check-in still unanswered, 09:00 local on the day, to every requester of the beneficiaries."""
    return [c.remind(f"deliverable-check-in:action:{f.id}:{months}:user:{p.user_id}", p,
                     local_moment(moment.date(), SEND_HOUR, p.timezone), f.id)
            for months, moment in sorted(f.due.items()) for p in f.requesters]


@rule("consultation_due", "consultation", ConsultationFacts, offsets=(3, 1),
      what=N_("Steering Committee consultation unanswered: days before its deadline"),
      who=N_("members who have not answered"),
      # "steering": the consulted members who have not answered; "officer": the officer who sent it.
      recipients=Recipients(("steering", "officer"), ("steering",)),
      placeholders=("request", "institution", "deadline", "days"))
def _consultation_due(f: ConsultationFacts, c: Due) -> list[Desired]:
    """While some members have not answered, N days before the deadline (09:00 local), to the chosen roles.

    A moved deadline has reminders of its own (its date is in their keys: those sent before the move are
    history, not a reason to stay silent), from the move on: the members were told of the move itself then."""
    if not (f.open and c.offsets and f.unanswered):
        return []
    moved = "" if f.moved_at is None else f":{f.deadline:%Y%m%d%H%M}"
    due = []
    for person in c.pick(steering=f.unanswered, officer=[f.officer] if f.officer else []):
        last_day = (f.deadline - timedelta(microseconds=1)).astimezone(zone(person.timezone)).date()  # to answer
        due += [c.remind(f"consultation-due:consultation:{f.id}{moved}:{d}:user:{person.user_id}", person, at, f.id)
                for d in c.offsets
                if (at := local_moment(last_day - timedelta(days=d), SEND_HOUR, person.timezone)) < f.deadline
                and (f.moved_at is None or at > f.moved_at)]
    return latest_past_and_future(due, c.now)


@rule("consultation_ended", "consultation", ConsultationFacts, timing=N_("At the deadline"), recipients=STAFF,
      what=N_("Steering Committee consultation ended: at its deadline"), who=N_("the officer who sent it"),
      placeholders=("request", "institution", "deadline", "supports", "objections", "unanswered"))
def _consultation_ended(f: ConsultationFacts, c: Due) -> list[Desired]:
    if not f.open:
        return []
    return [c.remind(f"consultation-ended:consultation:{f.id}:user:{p.user_id}", p, f.deadline, f.id)
            for p in c.pick(officer=[f.officer] if f.officer else [], admin=f.admins)]


@rule("weekly_digest", "digest", DigestFacts, timing=N_("Mondays 08:00"), switchable=False, recurring=True,
      what=N_("Weekly digest: Monday 08:00 in the officer's time zone"), who=N_("every officer"), recipients=STAFF,
      placeholders=("date", "waiting", "coming", "activities"))
def _weekly_digest(f: DigestFacts, c: Due) -> list[Desired]:
    """This week's Monday 08:00 (local) if not past by a week, and next week's, for a person of a chosen role."""
    if f.role not in c.roles:
        return []
    local_today = c.now.astimezone(zone(f.person.timezone)).date()
    monday = local_today - timedelta(days=local_today.weekday())
    out = []
    for week_start in (monday, monday + timedelta(days=7)):
        year, week, _ = week_start.isocalendar()
        out.append(c.remind(f"weekly-digest:user:{f.person.user_id}:{year}-W{week:02d}", f.person,
                            local_moment(week_start, DIGEST_HOUR, f.person.timezone), f.person.user_id))
    return out


# --- One subject's facts in, its reminders out ----------------------------------------------------


def for_subject(facts: object, offsets: Mapping[str, Sequence[int]], now: datetime, *,
                recipients: Chosen | None = None) -> list[Desired]:
    """The reminders of every rule that reads facts of this kind."""
    return derive([facts], offsets, now, recipients=recipients)


# The entry points by kind of facts, as the tests and the seeds call them.
for_request = for_invitation = for_activity = for_action = for_subject


def weekly_digest(person: Person, now: datetime, *, role: str = "officer",
                  recipients: Chosen | None = None) -> list[Desired]:
    return derive([DigestFacts(person, role)], {}, now, recipients=recipients)


def for_consultation(f: ConsultationFacts, offsets: Mapping[str, Sequence[int]], now: datetime, *,
                     recipients: Chosen | None = None, ended: bool = True) -> list[Desired]:
    """`ended`: whether the "consultation ended" rule (no offsets, only its switch) is on."""
    return derive([f], offsets, now, recipients=recipients, enabled=lambda _code: ended)
