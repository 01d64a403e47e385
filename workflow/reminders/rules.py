"""The reminder rules of design.md, as pure functions: facts in, the reminders that should exist out.

No Flask and no database here. Each rule turns the facts of one subject (a request, a deployment,
an activity, an Action, an officer's week) into `Desired` reminders with a unique key. The sync
module compares them with the rows and inserts, moves or cancels; a reminder already sent keeps
its key, so it is never sent twice.

Times: a reminder "3 days before" is due at 09:00 in the recipient's time zone, stored in UTC.
Of the occurrences already past, only the latest is kept: after downtime a person gets the most
recent reminder, not a backlog of stale ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.i18n import N_  # marks the rules' descriptions for translation; returns them unchanged

SEND_HOUR = 9  # local time of day for date-based reminders
DIGEST_HOUR = 8  # Monday 08:00 local

# code: (default offsets in days, what it is, who gets it); the texts are English, translated where shown.
RULES: dict[str, tuple[list[int], str, str]] = {
    "request_review": ([10, 7], N_("Request waiting for review: days after submission, then every N days"),
                       N_("officers")),
    "invite_nudge": ([3], N_("Invitation unanswered: days after inviting"), N_("expert")),
    "invite_expiry": ([7], N_("Invitation expires: days after inviting"), N_("officer")),
    "activity_coming": ([30, 14, 3], N_("Activity coming: days before the start"),
                        N_("officer and confirmed experts")),
    "slots_open": ([21], N_("Slots still open: days before the start"), N_("officer")),
    "report_due": ([10], N_("Mission report due: days after the end"), N_("expert")),
    "report_overdue": ([15], N_("Mission report overdue: days after the end"), N_("officer")),
    "action_ending": ([30], N_("Action ending with open work: days before its planned end"), N_("officer")),
    "closing_stalled": ([30], N_("Closing stalled: days in closing"), N_("officer")),
    "consultation_due": ([3, 1], N_("Steering Committee consultation unanswered: days before its deadline"),
                         N_("members who have not answered")),
    "consultation_ended": ([], N_("Steering Committee consultation ended: at its deadline"),
                           N_("the officer who sent it")),
    "weekly_digest": ([], N_("Weekly digest: Monday 08:00 in the officer's time zone"), N_("every officer")),
    "deployment_cancelled": ([], N_("Deployment cancelled: at once, with the reason"),
                             N_("the expert, once invited")),
    "activity_postponed": ([], N_("Activity postponed: at once, with the new dates and the reason"),
                           N_("experts invited or booked on it")),
}


def default_offsets() -> dict[str, list[int]]:
    return {code: list(offsets) for code, (offsets, _what, _who) in RULES.items()}


# --- Recipients by role ----------------------------------------------------------------------

# The roles a reminder can go to, as the admin chooses them (not account roles: "officer" is the
# officer in charge of the subject, "expert" the expert it concerns).
RECIPIENT_ROLES: dict[str, str] = {
    "officer": N_("officer in charge (every officer when the Action has none)"),
    "expert": N_("expert concerned"),
    "focal_point": N_("member-state focal points of the experts"),
    "admin": N_("administrators"),
    "steering": N_("Steering Committee members"),
}


@dataclass(frozen=True)
class Recipients:
    """Who a rule may be sent to, and who gets it until the admin chooses."""

    allowed: tuple[str, ...]
    default: tuple[str, ...]


# Rules not listed here have fixed recipients (their rule function decides, the admin cannot choose).
RECIPIENTS: dict[str, Recipients] = {
    "request_review": Recipients(("officer", "admin"), ("officer",)),
    "invite_nudge": Recipients(("expert", "focal_point"), ("expert",)),
    "invite_expiry": Recipients(("officer", "admin"), ("officer",)),
    "activity_coming": Recipients(("officer", "expert", "focal_point"), ("officer", "expert")),
    "slots_open": Recipients(("officer", "admin"), ("officer",)),
    "report_due": Recipients(("expert", "officer", "focal_point"), ("expert",)),
    "report_overdue": Recipients(("officer", "admin"), ("officer",)),
    "action_ending": Recipients(("officer", "admin"), ("officer",)),
    "closing_stalled": Recipients(("officer", "admin"), ("officer",)),
    "weekly_digest": Recipients(("officer", "admin"), ("officer",)),
    # "steering": the consulted members who have not answered; "officer": the officer who sent it.
    "consultation_due": Recipients(("steering", "officer"), ("steering",)),
    "consultation_ended": Recipients(("officer", "admin"), ("officer",)),
}

# Rules due at a moment of their subject (no offsets to set): the rules page shows no offsets for them.
NO_OFFSETS = ("weekly_digest", "consultation_ended", "deployment_cancelled", "activity_postponed")

# Notices of a change (a cancellation, a postponement) are due when it is made; one the dispatcher did not
# send within this time is dropped rather than sent late (and a change re-read long after sends nothing).
NOTICE_WINDOW = timedelta(days=14)

Chosen = Mapping[str, Iterable[str]]  # rule code -> the recipient roles the admin chose


def chosen_roles(rule: str, chosen: Chosen | None) -> frozenset[str]:
    """The roles `rule` goes to: the admin's choice among those allowed, else the default."""
    spec = RECIPIENTS.get(rule)
    if spec is None:
        return frozenset()
    picked = (chosen or {}).get(rule)
    return frozenset(spec.default if picked is None else (r for r in picked if r in spec.allowed))


def pick(rule: str, chosen: Chosen | None, **people: Iterable[Person]) -> list[Person]:
    """The people of the chosen roles among `people` (role -> persons), each once, by user id."""
    roles = chosen_roles(rule, chosen)
    found: dict[int, Person] = {}
    for role, persons in people.items():
        if role in roles:
            for person in persons:
                found.setdefault(person.user_id, person)
    return sorted(found.values(), key=lambda p: p.user_id)


def recipient_problem(rule: str, roles: Iterable[str], *, enabled: bool) -> str | None:
    """Why `roles` cannot be saved for `rule` (English, translated where shown), or None."""
    spec = RECIPIENTS.get(rule)
    roles = list(roles)
    if spec is None:
        return N_("The recipients of this rule are fixed.") if roles else None
    if any(r not in spec.allowed for r in roles):
        return N_("Choose among the recipients offered for this rule.")
    if enabled and not roles:
        return N_("Choose at least one recipient for a rule that is on.")
    return None


@dataclass(frozen=True)
class Person:
    user_id: int
    timezone: str = "UTC"


@dataclass(frozen=True)
class Desired:
    key: str
    rule: str
    recipient_id: int
    due_at: datetime  # aware, UTC
    subject_type: str
    subject_id: int


def local_moment(day: date, hour: int, timezone: str) -> datetime:
    """`day` at `hour`:00 in `timezone`, as an aware UTC datetime (an unknown zone counts as UTC)."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


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


# --- Facts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestFacts:
    id: int
    waiting: bool           # submitted or under review
    submitted_at: datetime | None
    officers: Sequence[Person]
    admins: Sequence[Person] = ()


@dataclass(frozen=True)
class InvitationFacts:
    deployment_id: int
    invited: bool           # status is "invited"
    invited_at: datetime | None
    expert: Person | None   # the expert's account, if they have one
    officer: Sequence[Person]
    # Expired (by its expiry reminder): the expiry notices still go out to whoever has not had theirs.
    expired: bool = False
    focal_points: Sequence[Person] = ()  # of the expert's member state
    admins: Sequence[Person] = ()


@dataclass(frozen=True)
class DeploymentReportFacts:
    deployment_id: int
    expert: Person | None
    has_report: bool
    focal_points: Sequence[Person] = ()  # of the expert's member state


@dataclass(frozen=True)
class ActivityFacts:
    id: int
    running: bool           # planned, confirmed or postponed, on an open Action
    start: date
    end: date
    open_places: int
    officers: Sequence[Person]
    confirmed_experts: Sequence[Person]
    reports: Sequence[DeploymentReportFacts]  # confirmed deployments, for the mission report rules
    took_place: bool        # delivered or reported
    focal_points: Sequence[Person] = ()  # of the confirmed experts' member states
    admins: Sequence[Person] = ()


@dataclass(frozen=True)
class ActionFacts:
    id: int
    running: bool           # assessment or implementation
    planned_end: date | None
    open_activities: int
    closing_since: datetime | None
    officers: Sequence[Person]
    admins: Sequence[Person] = ()


# --- Rules ---------------------------------------------------------------------------------


def for_request(f: RequestFacts, offsets: Mapping[str, list[int]], now: datetime, *,
                recipients: Chosen | None = None) -> list[Desired]:
    days = offsets.get("request_review") or []
    if not (f.waiting and f.submitted_at and days):
        return []
    first, every = days[0], (days[1] if len(days) > 1 and days[1] > 0 else 7)
    start, step = f.submitted_at + timedelta(days=first), timedelta(days=every)
    # Chaser n is due at start + n * step. Of those already due only the latest is kept (counted, not
    # listed: a request may wait for months); the first exists from submission on, later ones appear
    # a period ahead of their time.
    latest = (now - start) // step if now >= start else -1
    occurrences = [latest] if latest >= 0 else []
    n = latest + 1
    while n == 0 or start + n * step <= now + step:
        occurrences.append(n)
        n += 1
    people = pick("request_review", recipients, officer=f.officers, admin=f.admins)
    return [Desired(f"request-review:request:{f.id}:{n}:user:{person.user_id}", "request_review", person.user_id,
                    start + n * step, "request", f.id) for person in people for n in occurrences]


def for_invitation(f: InvitationFacts, offsets: Mapping[str, list[int]], now: datetime, *,
                   recipients: Chosen | None = None) -> list[Desired]:
    if not ((f.invited or f.expired) and f.invited_at):
        return []
    out = []
    if f.invited:
        nudged = pick("invite_nudge", recipients, expert=[f.expert] if f.expert else [], focal_point=f.focal_points)
        out += [Desired(f"invite-nudge:deployment:{f.deployment_id}:{d}:user:{p.user_id}", "invite_nudge",
                        p.user_id, f.invited_at + timedelta(days=d), "deployment", f.deployment_id)
                for p in nudged for d in offsets.get("invite_nudge", [])]
    told = pick("invite_expiry", recipients, officer=f.officer, admin=f.admins)
    for d in offsets.get("invite_expiry", [])[:1]:
        out += [Desired(f"invite-expiry:deployment:{f.deployment_id}:user:{p.user_id}", "invite_expiry", p.user_id,
                        f.invited_at + timedelta(days=d), "deployment", f.deployment_id) for p in told]
    return out


def for_activity(f: ActivityFacts, offsets: Mapping[str, list[int]], now: datetime, *,
                 recipients: Chosen | None = None) -> list[Desired]:
    out: list[Desired] = []
    if f.running:
        coming = []
        for person in pick("activity_coming", recipients, officer=f.officers, expert=f.confirmed_experts,
                           focal_point=f.focal_points):
            for d in offsets.get("activity_coming", []):
                coming.append(Desired(f"activity-coming:activity:{f.id}:{d}:user:{person.user_id}", "activity_coming",
                                      person.user_id, local_moment(f.start - timedelta(days=d), SEND_HOUR,
                                                                   person.timezone), "activity", f.id))
        out += latest_past_and_future(coming, now)
        if f.open_places > 0:
            out += [Desired(f"slots-open:activity:{f.id}:{d}:user:{p.user_id}", "slots_open", p.user_id,
                            local_moment(f.start - timedelta(days=d), SEND_HOUR, p.timezone), "activity", f.id)
                    for p in pick("slots_open", recipients, officer=f.officers, admin=f.admins)
                    for d in offsets.get("slots_open", [])[:1]]
    if f.took_place or f.running:
        for report in f.reports:
            if report.has_report:
                continue
            due_to = pick("report_due", recipients, expert=[report.expert] if report.expert else [],
                          officer=f.officers, focal_point=report.focal_points)
            out += [Desired(f"report-due:deployment:{report.deployment_id}:user:{p.user_id}", "report_due",
                            p.user_id, local_moment(f.end + timedelta(days=d), SEND_HOUR, p.timezone), "activity", f.id)
                    for p in due_to for d in offsets.get("report_due", [])[:1]]
            out += [Desired(f"report-overdue:deployment:{report.deployment_id}:user:{p.user_id}", "report_overdue",
                            p.user_id, local_moment(f.end + timedelta(days=d), SEND_HOUR, p.timezone), "activity", f.id)
                    for p in pick("report_overdue", recipients, officer=f.officers, admin=f.admins)
                    for d in offsets.get("report_overdue", [])[:1]]
    return out


def for_action(f: ActionFacts, offsets: Mapping[str, list[int]], now: datetime, *,
               recipients: Chosen | None = None) -> list[Desired]:
    out = []
    if f.running and f.planned_end and f.open_activities:
        out += [Desired(f"action-ending:action:{f.id}:{f.planned_end.isoformat()}:user:{p.user_id}", "action_ending",
                        p.user_id, local_moment(f.planned_end - timedelta(days=d), SEND_HOUR, p.timezone), "action",
                        f.id) for p in pick("action_ending", recipients, officer=f.officers, admin=f.admins)
                for d in offsets.get("action_ending", [])[:1]]
    if f.closing_since:
        out += [Desired(f"closing-stalled:action:{f.id}:{f.closing_since.date().isoformat()}:user:{p.user_id}",
                        "closing_stalled", p.user_id, f.closing_since + timedelta(days=d), "action", f.id)
                for p in pick("closing_stalled", recipients, officer=f.officers, admin=f.admins)
                for d in offsets.get("closing_stalled", [])[:1]]
    return out


def weekly_digest(officer: Person, now: datetime, *, role: str = "officer",
                  recipients: Chosen | None = None) -> list[Desired]:
    """This week's Monday 08:00 (local) if not past by a week, and next week's, for a person of a chosen `role`."""
    if role not in chosen_roles("weekly_digest", recipients):
        return []
    try:
        zone = ZoneInfo(officer.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local_today = now.astimezone(zone).date()
    monday = local_today - timedelta(days=local_today.weekday())
    out = []
    for week_start in (monday, monday + timedelta(days=7)):
        year, week, _ = week_start.isocalendar()
        out.append(Desired(f"weekly-digest:user:{officer.user_id}:{year}-W{week:02d}", "weekly_digest",
                           officer.user_id, local_moment(week_start, DIGEST_HOUR, officer.timezone), "digest",
                           officer.user_id))
    return out


@dataclass(frozen=True)
class ConsultationFacts:
    id: int
    open: bool              # not decided yet
    deadline: datetime      # aware, UTC: answers are taken until then
    unanswered: Sequence[Person]  # consulted members who have not answered
    officer: Person | None  # who sent it to the committee
    admins: Sequence[Person] = ()


def for_consultation(f: ConsultationFacts, offsets: Mapping[str, list[int]], now: datetime, *,
                     recipients: Chosen | None = None, ended: bool = True) -> list[Desired]:
    """While some members have not answered, N days before the deadline (09:00 local), to the chosen roles;
    at the deadline (`ended`: that rule is on), the "consultation ended" notice to its chosen roles."""
    if not f.open:
        return []
    days = offsets.get("consultation_due") or []
    due = []
    if days and f.unanswered:
        officer = [f.officer] if f.officer else []
        for person in pick("consultation_due", recipients, steering=f.unanswered, officer=officer):
            try:
                zone = ZoneInfo(person.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                zone = ZoneInfo("UTC")
            last_day = (f.deadline - timedelta(microseconds=1)).astimezone(zone).date()  # the last day to answer
            due += [Desired(f"consultation-due:consultation:{f.id}:{d}:user:{person.user_id}", "consultation_due",
                            person.user_id, at, "consultation", f.id)
                    for d in days if (at := local_moment(last_day - timedelta(days=d), SEND_HOUR, person.timezone))
                    < f.deadline]
    out = latest_past_and_future(due, now)
    if ended:
        out += [Desired(f"consultation-ended:consultation:{f.id}:user:{p.user_id}", "consultation_ended", p.user_id,
                        f.deadline, "consultation", f.id)
                for p in pick("consultation_ended", recipients, officer=[f.officer] if f.officer else [],
                              admin=f.admins)]
    return out


# --- Notices of a change ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cancellation:
    deployment_id: int
    at: datetime | None     # when the deployment was cancelled (None: it is not)
    expert: Person | None   # the expert's account, when they had been invited


def deployment_cancelled(f: Cancellation, now: datetime, *, enabled: bool = True) -> list[Desired]:
    """Tell an invited or booked expert at once that their deployment was cancelled."""
    if not (enabled and f.at and f.expert and now - f.at <= NOTICE_WINDOW):
        return []
    return [Desired(f"deployment-cancelled:deployment:{f.deployment_id}:user:{f.expert.user_id}",
                    "deployment_cancelled", f.expert.user_id, f.at, "deployment", f.deployment_id)]


@dataclass(frozen=True)
class Postponement:
    transition_id: int
    at: datetime


def activity_postponed(activity_id: int, postponements: Sequence[Postponement], experts: Sequence[Person],
                       now: datetime, *, enabled: bool = True) -> list[Desired]:
    """Tell the experts invited or booked on an activity at once that it moved, once per postponement."""
    if not enabled:
        return []
    return [Desired(f"activity-postponed:activity:{activity_id}:{p.transition_id}:user:{person.user_id}",
                    "activity_postponed", person.user_id, p.at, "activity", activity_id)
            for p in postponements if now - p.at <= NOTICE_WINDOW for person in experts]
