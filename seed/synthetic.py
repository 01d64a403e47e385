"""A synthetic portfolio N times the demo, generated in bulk and reproducible from a seed number.

`flask --app workflow seed synthetic --scale N [--seed S]`. Scale 1 is about the size of the demo
(35 Actions, 140 activities, 110 experts, 400 deployments, 1,000 reminders); scale 100 is a
ten-year history (2016 to 2026, with planned work into 2027) over all five regions.

How it is built:

1. `read_context` reads what the generator depends on from the database: the reference data, the
   names of the Actions already there (the "Country N" series continue them), the institutions
   already there (reused by name and country), the active officers and the highest id of every table.
2. `build_rows` is pure: from that context, the scale, the seed and a fixed clock it builds every
   row as a dict, drawing from one `random.Random(seed)`. The same context, scale and seed give the
   same rows, on any machine (nothing iterates over a set or reads the time).
3. `insert_rows` inserts them with Core `executemany` in batches, ids assigned here, above the
   highest id of each table (so it loads on top of the demo, or of an earlier synthetic run), then
   moves the PostgreSQL sequences past them.

Statuses follow the lifecycles: a closed Action has every activity reported or cancelled and a
final report; an open one has its past activities delivered and its future ones planned or
confirmed; deployments on activities that took place are completed (with a mission report), those
on future ones proposed, invited, accepted or confirmed, some declined (with a reason) or expired.
Every Action, activity, deployment and request has its whole transition history.

Reminders are written directly, with the rules' keys (`workflow/reminders/rules.py`): those due
before the clock are `sent` (or `cancelled` when their subject moved on before they were due),
those due after it `pending`, as the sync and the dispatcher would have left them. The reminder
history starts when the programme started using reminders (`REMINDERS_DAYS` before the clock). Core inserts do not
go through the ORM unit of work, so the sync hook (`workflow/reminders/sync.py`) never sees them.
"""

from __future__ import annotations

import random
import time
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from workflow.accounts.models import Role, User
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import (
    Action,
    ActionTransition,
    ActionTranslation,
    FinalReport,
    action_beneficiaries,
    action_countries,
    action_expert_institutions,
    action_subtopics,
)
from workflow.actions.naming import highest_number, name_in_series
from workflow.activities.lifecycle import ActivityKind, ActivityStatus
from workflow.activities.models import (
    Activity,
    ActivityTransition,
    Deliverable,
    DeliverableKind,
    ExpertSlot,
    SlotRole,
)
from workflow.core.clock import local_moment
from workflow.core.figures import portfolio_changed
from workflow.core.search import Searchable, row_search_key
from workflow.deployments.lifecycle import DeploymentStatus
from workflow.deployments.models import Deployment, DeploymentTransition
from workflow.experts.models import (
    Expert,
    ExpertLanguage,
    ExpertStatus,
    ExpertTheme,
    ExpertType,
    Gender,
    Unavailability,
    expert_countries,
)
from workflow.finance.models import ActionBudgetLine, CostLine
from workflow.knowledge.models import (
    EventParticipants,
    KnowledgeEvent,
    Practice,
    event_actions,
    practice_actions,
    practice_deliverables,
)
from workflow.matching.years import days_per_year
from workflow.missions.models import ChecklistItem, ClaimItem, ClaimTransition, ExpenseClaim, MissionLogistics
from workflow.reference.models import Country, Institution, InstitutionKind, Region, SubTopic, ThematicArea
from workflow.reference.services import country_name, ensure_reference_data
from workflow.reminders.models import Reminder, ReminderState
from workflow.requests.lifecycle import RequestStatus
from workflow.requests.models import Request, RequestTransition
from workflow.results.models import (
    DeliverableStage,
    ExpectedResult,
    Indicator,
    Measurement,
    ResultsFramework,
    indicator_activities,
    indicator_deliverables,
)

from .synthetic_command import NOW
from .synthetic_missions import mission_rows
from .synthetic_money import money_rows
from .synthetic_outcomes import outcome_rows
from .tables import table

DOMAIN = "synthetic.peerflow.org"
# werkzeug's scrypt hash of the demo password "peerflow-demo", computed once: hashing thousands
# of accounts one by one would take minutes, and every synthetic account signs in with it.
PASSWORD_HASH = (
    "scrypt:32768:8:1$NK2JbH3rfAYs39NW$61dc0ff1a9e18a90e74f6f62b19d50a58ca909ed97dd90e3c43ec451d29cea1"
    "cc2e2794b5bf33bf692bcd2d6c0e30f7c7d012b503516a083b1015d052bf599b0"
)
# The time frame, relative to the clock (with the default clock: Actions start from 2016-01-04 to
# 2027-02-26, no activity is planned after 2027-12-10, reminders are kept from 2023-04-03 on).
HISTORY_YEARS = 10                  # Actions start from the first Monday-ish of January, ten years back
LAST_START_DAYS = 95                # the latest planned start of an Action, after the clock
LAST_ACTIVITY_DAYS = 382            # no activity planned further ahead
REMINDERS_DAYS = 1330               # reminders due longer ago than this are not kept
OFFSETS = {"activity_coming": (30, 14, 3), "slots_open": 21, "report_due": 10, "report_overdue": 15,
           "invite_nudge": 3, "invite_expiry": 7, "action_ending": 30, "closing_stalled": 30,
           "final_report_due": 14, "request_review": (10, 7)}
BATCH = 10_000

A, AS, D = ActionStatus, ActivityStatus, DeploymentStatus
K = ActivityKind

# --- Tables ---------------------------------------------------------------------------------
# seed/data/synthetic/*.json: places, people and the words of the work (seed/data/README.md says what
# each table holds). Row shapes the builder unpacks are turned into tuples here.

_PLACES, _PEOPLE, _WORK = (table(f"synthetic/{name}.json") for name in ("geography", "people", "work"))

REGION_WEIGHTS: dict[str, float] = _PLACES["region_weights"]
COUNTRY_WEIGHTS: dict[str, float] = _PLACES["country_weights"]  # relative to 1 (the others); 0 never
# region -> (acronym, full name, seat, member countries)
ORGANISATIONS: dict[str, list[tuple[str, str, str, list[str]]]] = {
    region: [(o["acronym"], o["name"], o["seat"], o["members"]) for o in organisations]
    for region, organisations in _PLACES["organisations"].items()}
CITIES: dict[str, str] = _PLACES["cities"]
OTHER_CITIES: dict[str, list[str]] = _PLACES["other_cities"]
TIMEZONES: dict[str, str] = _PLACES["timezones"]

EU_WEIGHTS: dict[str, float] = _PEOPLE["eu_weights"]
NATIVE: dict[str, str] = _PEOPLE["native"]
PEER_WEIGHTS: dict[str, float] = _PEOPLE["peer_weights"]
# language group -> (female first names, male first names, surnames)
NAMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    group: (names["female"], names["male"], names["surnames"]) for group, names in _PEOPLE["names"].items()}
NAME_GROUP: dict[str, str] = _PEOPLE["name_group"]
MS_BODIES: list[str] = _PEOPLE["ms_bodies"]
INTERNATIONAL = [(o["name"], o["acronym"], o["seat"]) for o in _PEOPLE["international"]]

THEME_WEIGHTS: dict[str, float] = _WORK["theme_weights"]
# theme -> (English, Spanish, French) Action titles
TITLES = {theme: [(t["en"], t["es"], t["fr"]) for t in titles] for theme, titles in _WORK["titles"].items()}
PARTNER_BODIES: dict[str, list[str]] = _WORK["partner_bodies"]  # the first is the usual requester
KIND_WEIGHTS = {K(kind): weight for kind, weight in _WORK["kind_weights"].items()}
KIND_DAYS = {K(kind): (low, high) for kind, (low, high) in _WORK["kind_days"].items()}
KIND_TITLE = {K(kind): title for kind, title in _WORK["kind_title"].items()}
DELIVERABLE_TITLES = {DeliverableKind(kind): title for kind, title in _WORK["deliverable_titles"].items()}
WAIVERS: list[str] = _WORK["waivers"]
LESSONS: list[str] = _WORK["lessons"]
DECLINE_REASONS: list[str] = _WORK["decline_reasons"]
POSTPONE_REASONS: list[str] = _WORK["postpone_reasons"]
ACTIVITY_CANCEL_REASONS: list[str] = _WORK["activity_cancel_reasons"]
SUSPEND_REASONS: list[str] = _WORK["suspend_reasons"]
ACTION_CANCEL_REASONS: list[str] = _WORK["action_cancel_reasons"]

ALWAYS_REMOTE = (K.LONG_DISTANCE_ASSISTANCE, K.DELIVERABLE_DRAFTING)
RUSSIAN_LEARNERS = set("BG PL CZ SK LT LV EE HR SI".split())  # EU officials more likely to speak Russian

LAC_ENGLISH = set("AG BB BS BZ DM GD GY JM KN LC TT VC".split())
AFRICA_FRENCH = set("BF BI BJ CD CF CG CI CM DJ GA GN KM MG ML MR NE RW SC SN TD TG".split())
AFRICA_PORTUGUESE = set("AO CV GW MZ ST".split())
EECA_RUSSIAN = set("AM AZ BY GE KG KZ MD RU TJ TM UA UZ".split())
MAGHREB_FRENCH = set("DZ LB MA TN".split())


def country_languages(code: str, region: str) -> list[str]:
    """The working languages of activities in a country, the first the main one."""
    if region == "latin_america_caribbean":
        if code == "BR":
            return ["pt", "es"]
        if code == "HT":
            return ["fr", "en"]
        if code == "SR":
            return ["nl", "en"]
        return ["en"] if code in LAC_ENGLISH else ["es"]
    if region == "africa":
        if code in ("CM", "RW", "SC"):
            return ["fr", "en"]
        if code in AFRICA_FRENCH:
            return ["fr"]
        if code in AFRICA_PORTUGUESE:
            return ["pt", "en"]
        if code == "GQ":
            return ["es", "fr"]
        return ["en"]
    if region == "eastern_europe_central_asia":
        return ["ru", "en"] if code in EECA_RUSSIAN else ["en"]
    if region == "middle_east_north_africa":
        if code in MAGHREB_FRENCH:
            return ["ar", "fr"]
        if code in ("IL", "IR"):
            return ["en"]
        return ["ar", "en"]
    return ["en"]


# --- Context ----------------------------------------------------------------------------------


@dataclass
class Context:
    """What the generator reads from the database; everything else comes from the seed."""

    regions: dict[str, int]                         # code -> id
    region_countries: dict[str, list[str]]          # region code -> country codes (sorted)
    eu: list[str]
    themes: dict[str, int]                          # code -> id
    subtopics: dict[int, list[tuple[int, str]]]     # area id -> [(subtopic id, name)]
    institutions: dict[tuple[str, str], int]        # (name, country) -> id of those already there
    action_names: set[str]
    officers: list[int]                             # active officers already there (request chasers go to all)
    emails: set[str]                                # the fixed synthetic addresses already taken
    next_id: dict[str, int]                         # table -> first free id


ID_TABLES = [Institution, User, Expert, Unavailability, Request, RequestTransition, Action, ActionTransition,
             ActionTranslation, FinalReport, Activity, ActivityTransition, ExpertSlot, Deliverable, Deployment,
             DeploymentTransition, Reminder,
             # the results, knowledge and missions (seed/synthetic_outcomes.py, seed/synthetic_missions.py)
             ResultsFramework, ExpectedResult, Indicator, KnowledgeEvent, Practice, ExpenseClaim]


def read_context(session: Session) -> Context:
    regions = {code: id_ for id_, code in session.execute(select(Region.id, Region.code).order_by(Region.id))}
    by_id = {id_: code for code, id_ in regions.items()}
    region_countries: dict[str, list[str]] = {code: [] for code in regions}
    eu = []
    for code, region_id, is_eu in session.execute(
            select(Country.code, Country.region_id, Country.is_eu_member).order_by(Country.code)):
        if region_id is not None:
            region_countries[by_id[region_id]].append(code)
        if is_eu:
            eu.append(code)
    themes = {code: id_ for id_, code in session.execute(select(ThematicArea.id, ThematicArea.code))}
    subtopics: dict[int, list[tuple[int, str]]] = {id_: [] for id_ in themes.values()}
    for id_, area_id, name in session.execute(
            select(SubTopic.id, SubTopic.area_id, SubTopic.name).order_by(SubTopic.area_id, SubTopic.position,
                                                                          SubTopic.id)):
        subtopics[area_id].append((id_, name))
    institutions = {(name, country): id_ for id_, name, country in session.execute(
        select(Institution.id, Institution.name, Institution.country_code))}
    names = set(session.scalars(select(Action.name)))
    officers = list(session.scalars(select(User.id).where(User.role == Role.OFFICER, User.active).order_by(User.id)))
    fixed = [f"officer@{DOMAIN}", f"admin@{DOMAIN}"]
    emails = set(session.scalars(select(User.email).where(User.email.in_(fixed))))
    next_id = {model.__tablename__: (session.scalar(select(func.max(model.id))) or 0) + 1 for model in ID_TABLES}
    return Context(regions, region_countries, eu, themes, subtopics, institutions, names, officers, emails, next_id)


# --- Building the rows --------------------------------------------------------------------------


def _ascii(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
                   if c.isalnum())


def _at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@dataclass
class _Act:
    """An activity being built, with what the deployments and reminders need to know about it."""

    id: int
    action: _Action
    kind: ActivityKind
    start: date
    end: date
    remote: bool
    languages: list[str]
    created: datetime
    status: ActivityStatus = AS.PLANNED
    confirmed_at: datetime | None = None
    delivered_at: datetime | None = None
    reported_at: datetime | None = None
    cancelled_at: datetime | None = None
    postponed: tuple[datetime, date, date] | None = None
    title: str = ""
    place: tuple[str | None, str] = (None, "")  # city (None when remote), country
    slots: list[tuple[int, SlotRole, int, str, int]] = field(default_factory=list)  # id, role, theme, lang, places
    slot_themes: dict[int, str] = field(default_factory=dict)  # slot id -> theme code
    participants: tuple[int, int, int] | None = None  # female, male, other, once reported
    live: int = 0  # live deployments now

    @property
    def start_at(self) -> datetime:
        return _at(self.start)

    @property
    def end_at(self) -> datetime:
        return _at(self.end, 17)

    @property
    def finished_at(self) -> datetime | None:
        """When it stopped being open work (reported or cancelled), if it did."""
        return self.reported_at or self.cancelled_at


@dataclass
class _Action:
    id: int
    name: str
    region: str
    country: str | None
    theme: str
    officer: int
    officer_tz: str
    planned_start: date
    planned_end: date
    created: datetime
    beneficiaries: list[int]
    status: ActionStatus = A.ACCEPTED
    assessment_at: datetime | None = None
    implementation_at: datetime | None = None
    closing_at: datetime | None = None
    report_at: datetime | None = None
    closed_at: datetime | None = None
    stopped_at: datetime | None = None  # cancelled or suspended
    acts: list[_Act] = field(default_factory=list)
    served: list[int] = field(default_factory=list)  # experts booked on it (indexes), for continuity

    @property
    def open_until(self) -> datetime | None:
        """When it stopped being open (closed, cancelled or suspended), None if it still is."""
        return self.closed_at if self.status is A.CLOSED else self.stopped_at


class _Builder:
    def __init__(self, ctx: Context, scale: int, seed: int, now: datetime) -> None:
        self.ctx, self.scale, self.now, self.today = ctx, scale, now, now.date()
        self.history_start = date(self.today.year - HISTORY_YEARS, 1, 4)
        self.last_start = self.today + timedelta(days=LAST_START_DAYS)
        self.last_activity = self.today + timedelta(days=LAST_ACTIVITY_DAYS)
        self.reminders_since = _at(self.today - timedelta(days=REMINDERS_DAYS), 0)
        self.rng = random.Random(seed)
        self.next_id = dict(ctx.next_id)
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.templates: dict[str, dict[str, Any]] = {}
        self.institution_ids = dict(ctx.institutions)
        self.institution_name = {id_: name for (name, _country), id_ in ctx.institutions.items()}
        self.names = set(ctx.action_names)
        self.region_of = {c: r for r, codes in ctx.region_countries.items() for c in codes}
        self.theme_codes = sorted(ctx.themes, key=lambda code: ctx.themes[code])

    # -- small helpers ------------------------------------------------------------------------
    def take(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def add(self, table: Table | type, **values: Any) -> dict[str, Any]:
        table = table if isinstance(table, Table) else table.__table__
        template = self.templates.get(table.name)
        if template is None:
            template = self.templates[table.name] = dict.fromkeys(c.name for c in table.columns)
        row = template.copy()
        row.update(values)
        self.rows.setdefault(table.name, []).append(row)
        return row

    def span(self, low_days: float, high_days: float) -> timedelta:
        return timedelta(minutes=self.rng.randint(int(low_days * 1440), int(high_days * 1440)))

    def weighted(self, weights: dict[str, float]) -> Callable[[], str]:
        keys = [k for k, w in weights.items() if w > 0]
        cumulative = list(accumulate(weights[k] for k in keys))
        total = cumulative[-1]
        rng = self.rng
        return lambda: keys[bisect_left(cumulative, rng.random() * total)]

    def institution(self, name: str, country: str, kind: InstitutionKind, acronym: str | None = None) -> int:
        key = (name, country)
        found = self.institution_ids.get(key)
        if found is None:
            found = self.institution_ids[key] = self.take("institutions")
            self.add(Institution, id=found, name=name, acronym=acronym, country_code=country, kind=kind)
            self.institution_name[found] = name
        return found

    def person_name(self, group: str, gender: Gender) -> tuple[str, str]:
        females, males, surnames = NAMES[group]
        first = self.rng.choice(females if gender is Gender.FEMALE else males if gender is Gender.MALE
                                else females + males)
        last = self.rng.choice(surnames)
        if group == "es" and self.rng.random() < 0.6:
            second = self.rng.choice(surnames)
            if second != last:
                last = f"{last} {second}"
        return first, last

    def gender(self) -> Gender:
        r = self.rng.random()
        return Gender.FEMALE if r < 0.5 else Gender.MALE if r < 0.99 else Gender.OTHER

    # -- people ------------------------------------------------------------------------------------
    def user(self, *, email: str, name: str, role: Role, created: datetime, institution: int | None = None,
             country: str | None = None, locale: str | None = None, tz: str = "UTC", uid: int | None = None) -> int:
        uid = uid or self.take("users")
        self.add(User, id=uid, email=email, name=name, password_hash=PASSWORD_HASH, role=role,
                 institution_id=institution, country_code=country, locale=locale, timezone=tz, active=True,
                 is_demo=True, created_at=created)
        return uid

    def staff(self) -> None:
        rng, start = self.rng, _at(self.history_start) - timedelta(days=120)
        self.admins = []
        for n in range(1 + self.scale // 50):
            uid = self.take("users")
            email = f"admin@{DOMAIN}" if n == 0 and f"admin@{DOMAIN}" not in self.ctx.emails else f"admin.{uid}@{DOMAIN}"
            first, last = self.person_name(rng.choice(["es", "fr", "de", "it", "nl"]), self.gender())
            self.admins.append(self.user(uid=uid, email=email, name=f"{first} {last}", role=Role.ADMIN,
                                         created=start, tz="Europe/Brussels"))
        self.officers: list[tuple[int, str]] = []
        for n in range(max(2, round(self.scale / 4))):
            uid = self.take("users")
            email = (f"officer@{DOMAIN}" if n == 0 and f"officer@{DOMAIN}" not in self.ctx.emails
                     else f"officer.{uid}@{DOMAIN}")
            tz = rng.choice(["Europe/Brussels"] * 6 + ["Europe/Madrid", "Europe/Vienna", "Europe/Lisbon",
                                                       "Europe/Paris"])
            first, last = self.person_name(rng.choice(["es", "fr", "de", "it", "nl", "pt", "nordic"]), self.gender())
            self.user(uid=uid, email=email, name=f"{first} {last}", role=Role.OFFICER,
                      created=start + self.span(0, 30), tz=tz, locale=rng.choice(["en", "en", "es", "fr"]))
            self.officers.append((uid, tz))

    # -- the roster --------------------------------------------------------------------------------
    def experts(self) -> None:
        rng = self.rng
        eu_country = self.weighted({c: EU_WEIGHTS.get(c, 0.5) for c in self.ctx.eu})
        peer_country = self.weighted({c: w for c, w in PEER_WEIGHTS.items() if c in self.region_of})
        theme = self.weighted(THEME_WEIGHTS)
        self.expert_list: list[dict[str, Any]] = []
        self.focal_points: dict[str, int] = {}
        levels = ["B1", "B2", "B2", "C1", "C1", "C2"]
        for _ in range(round(110 * self.scale)):
            eid = self.take("experts")
            r = rng.random()
            kind = (ExpertType.MS_OFFICIAL if r < 0.75 else ExpertType.PARTNER_PEER if r < 0.85
                    else ExpertType.ACADEMIC if r < 0.91 else ExpertType.NGO if r < 0.96
                    else ExpertType.INTERNATIONAL_ORGANISATION)
            country = peer_country() if kind is ExpertType.PARTNER_PEER else eu_country()
            gender = self.gender()
            if kind is ExpertType.PARTNER_PEER:
                region = self.region_of[country]
                native = country_languages(country, region)[0]
                group = {"latin_america_caribbean": native if native in ("es", "pt") else "en", "africa": "africa",
                         "middle_east_north_africa": "ar", "asia_pacific": "asia",
                         "eastern_europe_central_asia": "ru" if native == "ru" else "slavic"}[region]
            else:
                native = NATIVE.get(country, "en")
                if country == "BE" and rng.random() < 0.5:
                    native = "nl"
                group = NAME_GROUP.get(native, "en")
            first, last = self.person_name(group, gender)
            languages = {native: "C2"}
            if rng.random() < (0.92 if kind is not ExpertType.PARTNER_PEER else 0.6):
                languages.setdefault("en", rng.choice(levels))
            for code, chance in (("es", 0.45 if country in ("PT", "IT", "FR", "RO") else 0.25),
                                 ("fr", 0.45 if country in ("ES", "IT", "PT", "RO", "NL", "DE") else 0.25),
                                 ("pt", 0.15 if country in ("ES", "BR") else 0.06),
                                 ("ru", 0.35 if country in RUSSIAN_LEARNERS else 0.1 if country in ("DE", "FI")
                                  else 0.03),
                                 ("ar", 0.07 if country in ("FR", "ES", "IT", "BE", "NL") else 0.02),
                                 ("de", 0.2 if country in ("NL", "DK", "CZ", "PL", "HU", "LU") else 0.06)):
                if code not in languages and rng.random() < chance:
                    languages[code] = rng.choice(levels)
            themes = {}
            for _t in range(rng.choice([1, 2, 2, 3])):
                themes[theme()] = rng.choice([1, 2, 2, 3, 3])
            r = rng.random()
            status = (ExpertStatus.ACTIVE if r < 0.78 else ExpertStatus.APPROVED if r < 0.88
                      else ExpertStatus.NOMINATED if r < 0.94 else ExpertStatus.INACTIVE)
            if kind is ExpertType.MS_OFFICIAL:
                institution = self.institution(f"{rng.choice(MS_BODIES)} of {country_name(country)}", country,
                                               InstitutionKind.MS_ADMINISTRATION)
            elif kind is ExpertType.PARTNER_PEER:
                body = rng.choice(PARTNER_BODIES[rng.choice(self.theme_codes)])
                institution = self.institution(f"{body} of {country_name(country)}", country,
                                               InstitutionKind.PARTNER_ADMINISTRATION)
            elif kind is ExpertType.ACADEMIC:
                institution = self.institution(f"University of {CITIES.get(country, country_name(country))}", country,
                                               InstitutionKind.ACADEMIA)
            elif kind is ExpertType.NGO:
                institution = self.institution(rng.choice(["Refugee Council of ", "Migrant Rights Centre of ",
                                                           "Red Cross of "]) + country_name(country), country,
                                               InstitutionKind.NGO)
            else:
                name, acronym, seat = rng.choice(INTERNATIONAL)
                institution = self.institution(name, seat, InstitutionKind.INTERNATIONAL_ORGANISATION, acronym)
            nationality = country if rng.random() < 0.95 else eu_country()
            # The day the expert joined the roster: most of the first roster in 2015-2016, then steadily;
            # moved earlier below when their first deployment needs it.
            if status is ExpertStatus.NOMINATED:
                joined = self.now - self.span(3, 150)
            elif rng.random() < 0.35:
                joined = _at(self.history_start) - self.span(0, 150)
            else:
                joined = _at(self.history_start) + timedelta(
                    minutes=rng.randint(0, int((self.now - _at(self.history_start)).total_seconds() // 60) - 20_000))
            spec = {
                "id": eid, "name": f"{first} {last}", "first": first, "last": last, "gender": gender,
                "country": country, "nationality": nationality, "type": kind, "status": status,
                "institution": institution, "languages": languages, "themes": themes, "joined": joined,
                "years": rng.randint(3, 35), "cap": rng.choice([30, 40, 45, 60, 60, 60, 60, 90, 120]),
                "native": native, "bookings": [], "days": {}, "first_work": None, "unavailable": [],
                "countries": [],
            }
            if rng.random() < 0.15:
                for _u in range(rng.choice([1, 1, 2])):
                    start = self.today + timedelta(days=rng.randint(-700, 380))
                    spec["unavailable"].append((start, start + timedelta(days=rng.randint(5, 40)),
                                                rng.choice(["annual leave", "training course", "parental leave",
                                                            "national election duty", None])))
            self.expert_list.append(spec)
        # Indexes for picking: by working language (B2+), and by language and theme.
        self.by_language: dict[str, list[int]] = {}
        self.by_language_theme: dict[tuple[str, str], list[int]] = {}
        for index, spec in enumerate(self.expert_list):
            if spec["status"] is ExpertStatus.NOMINATED:
                continue
            for code, level in spec["languages"].items():
                if level in ("B2", "C1", "C2"):
                    self.by_language.setdefault(code, []).append(index)
                    for theme_code in spec["themes"]:
                        self.by_language_theme.setdefault((code, theme_code), []).append(index)
        # One focal point per member state that has officials on the roster.
        states = sorted({s["country"] for s in self.expert_list if s["type"] is ExpertType.MS_OFFICIAL})
        for country in states:
            uid = self.take("users")
            first, last = self.person_name(NAME_GROUP.get(NATIVE.get(country, "en"), "en"), self.gender())
            self.focal_points[country] = self.user(
                uid=uid, email=f"focal.{country.lower()}.{uid}@{DOMAIN}", name=f"{first} {last}",
                role=Role.MS_FOCAL_POINT, created=_at(self.history_start) - timedelta(days=100), country=country,
                tz=TIMEZONES.get(country, "UTC"), locale="es" if country == "ES" else "fr" if country == "FR" else "en")

    # -- Actions, requests and activities ---------------------------------------------------------------
    def actions(self) -> None:
        rng, ctx = self.rng, self.ctx
        region = self.weighted(REGION_WEIGHTS)
        country_pickers = {r: self.weighted({c: COUNTRY_WEIGHTS.get(c, 1) for c in codes})
                           for r, codes in ctx.region_countries.items() if codes}
        theme = self.weighted(THEME_WEIGHTS)
        span = (self.last_start - self.history_start).days
        plans = []
        for _ in range(round(35 * self.scale)):
            r = region()
            # A little growth over the years: later starts slightly more likely.
            start = self.history_start + timedelta(days=int(span * rng.random() ** 0.85))
            if rng.random() < 0.12 and ORGANISATIONS.get(r):
                org = rng.choice(ORGANISATIONS[r])
                plans.append((start, r, None, org, theme()))
            else:
                plans.append((start, r, country_pickers[r](), None, theme()))
        plans.sort(key=lambda p: p[0])
        self.action_list: list[_Action] = []
        self.requesters: dict[int, int] = {}
        highest: dict[str, int] = {}  # base -> highest numeral of its series so far (workflow/actions/naming.py)
        for start, r, country, org, theme_code in plans:
            if org:
                acronym, full, seat, members = org
                base = acronym
                org_id = self.institution(full, seat, InstitutionKind.REGIONAL_ORGANISATION, acronym)
                member_list = [c for c in members if self.region_of.get(c) == r]
                beneficiaries = [org_id] + [
                    self.institution(f"{PARTNER_BODIES[theme_code][0]} of {country_name(c)}", c,
                                     InstitutionKind.PARTNER_ADMINISTRATION)
                    for c in rng.sample(member_list, min(len(member_list), rng.choice([0, 1, 2, 3])))]
            else:
                base = country_name(country)
                member_list = []
                bodies = PARTNER_BODIES[theme_code]
                chosen = [bodies[0]] + [b for b in bodies[1:] if rng.random() < 0.35]
                beneficiaries = [self.institution(f"{b} of {base}", country, InstitutionKind.PARTNER_ADMINISTRATION)
                                 for b in chosen]
            if base not in highest:
                highest[base] = highest_number(base, self.names)
            highest[base] += 1
            name = name_in_series(base, highest[base])
            self.names.add(name)
            self.action(name, start, r, country, org is not None, member_list, theme_code, beneficiaries)

    def action(self, name: str, start: date, region: str, country: str | None, regional: bool, members: list[str],
               theme_code: str, beneficiaries: list[int]) -> None:
        rng, now = self.rng, self.now
        officer, officer_tz = self.officers[rng.randrange(len(self.officers))]
        end = start + timedelta(days=rng.randint(365, 1000))
        created = min(_at(start) - self.span(15, 90), now - self.span(1, 20))
        act = _Action(self.take("actions"), name, region, country, theme_code, officer, officer_tz, start, end,
                      created, beneficiaries)
        self.action_list.append(act)
        place = country or rng.choice(members)
        languages = country_languages(place, region)
        title_index = rng.randrange(len(TITLES[theme_code]))
        title = TITLES[theme_code][title_index][0]
        waiver = rng.choice(WAIVERS) if rng.random() < 0.05 else None

        # Activities: an assessment first (unless waived), then the rest spread over the Action.
        count = rng.choice([2, 3, 3, 4, 4, 4, 5, 5, 5, 6])
        kind = self.weighted({k.value: w for k, w in KIND_WEIGHTS.items()})
        first_start = start + timedelta(days=rng.randint(10, 75))
        kinds = [K(kind()) if waiver else rng.choice([K.ASSESSMENT_MISSION] * 15 + [K.FACT_FINDING_MISSION] * 3
                                                     + [K.MAPPING_MISSION] * 2)]
        kinds += [K(kind()) for _ in range(count - 1)]
        first_end = first_start + timedelta(days=rng.randint(*KIND_DAYS[kinds[0]]) - 1)
        # The last activity near the planned end, the others in between.
        window_start = first_end + timedelta(days=30)
        last_start = max(min(end - timedelta(days=rng.randint(10, 90)), self.last_activity), window_start)
        room = (last_start - window_start).days
        starts = [first_start] + sorted(window_start + timedelta(days=rng.randint(0, room)) for _ in kinds[2:])
        starts += [last_start][:len(kinds) - 1]
        horizon = self.today + timedelta(days=180)
        for n, (kind_, day) in enumerate(zip(kinds, starts, strict=True)):
            # Work more than six months ahead is often not scheduled yet.
            if n and day > horizon and rng.random() < 0.6:
                continue
            self.activity(act, kind_, day, place, members, languages, title)

        self.timeline(act, waiver)
        self.action_rows(act, title, title_index, regional, members, waiver, languages)

    def activity(self, act: _Action, kind: ActivityKind, start: date, place: str, members: list[str],
                 languages: list[str], action_title: str) -> None:
        rng = self.rng
        low, high = KIND_DAYS[kind]
        end = start + timedelta(days=rng.randint(low, high) - 1)
        covid = date(2020, 3, 15) <= start <= date(2021, 9, 30)
        remote = kind in ALWAYS_REMOTE or rng.random() < (0.7 if covid else 0.07)
        country = place if not members else rng.choice(members)
        if kind is K.STUDY_VISIT and not remote:
            country = self.rng.choice(["ES", "ES", "FR", "DE", "IT", "PT", "NL", "BE", "AT", "SE", "PL"])
            langs = list(languages)
        else:
            langs = list(languages) if rng.random() < 0.6 or languages == ["en"] else languages[:1] + (
                ["en"] if "en" not in languages else [])
        city = None if remote else rng.choice([CITIES[country]] * 3 + OTHER_CITIES.get(country, []))
        created = max(act.created + self.span(0.5, 10), min(_at(start) - self.span(30, 150), self.now - self.span(1, 40)))
        created = min(created, _at(start) - timedelta(days=3), self.now - timedelta(minutes=1))
        topic = action_title[0].lower() + action_title[1:]
        if kind is K.STUDY_VISIT:
            title = f"Study visit to {country_name(country)} on {topic}" if not remote else f"Virtual study visit on {topic}"
        elif kind in (K.ASSESSMENT_MISSION, K.FACT_FINDING_MISSION, K.MAPPING_MISSION):
            title = f"{KIND_TITLE[kind]}: {topic}"
        elif kind is K.DELIVERABLE_DRAFTING:
            title = f"Drafting of the {DELIVERABLE_TITLES[rng.choice(list(DeliverableKind))].lower()} on {topic}"
        else:
            title = f"{KIND_TITLE[kind]} on {topic}"
        item = _Act(self.take("activities"), act, kind, start, end, remote, langs, created, title=title[:200],
                    place=(city, country))
        act.acts.append(item)
        # Slots: the places for experts.
        if kind in ALWAYS_REMOTE:
            shapes = [(SlotRole.EXPERT, rng.choice([1, 1, 2]))]
        else:
            shapes = []
            for n in range(rng.choice([1, 1, 2, 2, 2, 3])):
                role = (SlotRole.LEAD_EXPERT if n == 0 and rng.random() < 0.4 else
                        SlotRole.TRAINER if kind in (K.TRAINING, K.TRAINING_OF_TRAINERS) else SlotRole.EXPERT)
                shapes.append((role, rng.choice([1, 1, 1, 2, 2, 2, 3])))
        for role, places in shapes:
            theme_code = act.theme if rng.random() < 0.85 else rng.choice(self.theme_codes)
            language = langs[0] if rng.random() < 0.7 else rng.choice(langs)
            slot_id = self.take("expert_slots")
            item.slots.append((slot_id, role, self.ctx.themes[theme_code], language, places))
            item.slot_themes[slot_id] = theme_code

    def timeline(self, act: _Action, waiver: str | None) -> None:
        """Decide what happened to the Action and its activities up to the clock, and when."""
        rng, now = self.rng, self.now
        act.assessment_at = act.created + self.span(0.2, 20)
        fate = rng.random()
        stop_kind, stop = None, None
        planned_span = _at(act.planned_end) - act.assessment_at
        if fate < 0.035:
            candidate = act.assessment_at + planned_span * rng.uniform(0.15, 0.8)
            if candidate < now - timedelta(days=2):
                stop_kind, stop = "cancel", candidate
        elif fate < 0.065 and act.planned_start <= self.today - timedelta(days=60) and \
                act.planned_end >= self.today + timedelta(days=30):
            stop_kind, stop = "suspend", now - self.span(7, 120)
            if stop <= act.assessment_at + timedelta(days=2):
                stop_kind, stop = None, None
        horizon = stop or now
        for item in act.acts:
            if stop_kind == "cancel" and item.created > stop - timedelta(hours=1):
                item.created = act.created + (stop - act.created) * rng.uniform(0.3, 0.9)
            if item.kind not in (K.ASSESSMENT_MISSION, K.FACT_FINDING_MISSION, K.MAPPING_MISSION) \
                    and rng.random() < 0.04:
                when = item.start_at - self.span(3, 30)
                if item.created + timedelta(hours=1) < when <= horizon:
                    item.status, item.cancelled_at = AS.CANCELLED, when
                    continue
            confirm = max(item.created + self.span(0.1, 3), item.start_at - self.span(14, 40))
            if item.end_at <= horizon:
                item.confirmed_at = min(confirm, item.start_at - timedelta(hours=12))
                item.status, item.delivered_at = AS.DELIVERED, item.end_at
                reported = item.end_at + self.span(4, 30)
                if reported <= horizon:
                    item.status, item.reported_at = AS.REPORTED, reported
            elif stop_kind == "cancel":
                item.status, item.cancelled_at = AS.CANCELLED, stop
                if confirm < stop:
                    item.confirmed_at = confirm
            elif item.start <= self.today and stop_kind is None:
                item.status, item.confirmed_at = AS.CONFIRMED, min(confirm, item.start_at - timedelta(hours=12))
            else:
                close_to = item.start_at - horizon < timedelta(days=45)
                if confirm <= horizon and (close_to and rng.random() < 0.75):
                    item.status, item.confirmed_at = AS.CONFIRMED, confirm
                if stop_kind is None and rng.random() < 0.04:
                    moved = (self.rng.randint(14, 60))
                    at = max(item.created, item.confirmed_at or item.created) + self.span(0.1, 10)
                    if at < now:
                        item.postponed = (at, item.start - timedelta(days=moved), item.end - timedelta(days=moved))
                        item.status = AS.POSTPONED
            if stop_kind == "suspend" and item.status in (AS.PLANNED, AS.CONFIRMED, AS.POSTPONED) \
                    and item.confirmed_at and item.confirmed_at > stop:
                item.confirmed_at, item.status = None, AS.PLANNED
        # The Action's own path, as of the horizon.
        assessed = act.assessment_at + self.span(7, 30) if waiver else act.acts[0].reported_at
        finished = [a.finished_at for a in act.acts]
        all_done = all(finished) and all(f <= horizon for f in finished)
        if act.assessment_at > horizon:
            act.assessment_at, reached = None, A.ACCEPTED
        elif assessed is None or assessed > horizon:
            reached = A.ASSESSMENT
        else:
            act.implementation_at = max(assessed, act.assessment_at + timedelta(hours=1))
            reached = A.IMPLEMENTATION
            if all_done:
                closing = max(max(finished), act.implementation_at) + self.span(1, 25)
                # Closing comes with the planned end, even when the activities finished early.
                closing = max(closing, _at(act.planned_end) - self.span(0, 45))
                if closing <= horizon:
                    act.closing_at, reached = closing, A.CLOSING
                    report = closing + self.span(5, 45)
                    if report <= horizon:
                        act.report_at = report
                        closed = report + self.span(1, 20)
                        if closed <= horizon:
                            act.closed_at, reached = closed, A.CLOSED
        if stop_kind and reached is A.CLOSED:
            stop_kind, stop = None, None  # it finished before anything could stop it
        act.status = reached
        if stop_kind == "cancel":
            act.status, act.stopped_at = A.CANCELLED, stop
        elif stop_kind == "suspend":
            act.status, act.stopped_at = A.SUSPENDED, stop

    def action_rows(self, act: _Action, title: str, title_index: int, regional: bool, members: list[str],
                    waiver: str | None, languages: list[str]) -> None:
        rng, now = self.rng, self.now
        officer = act.officer
        steps: list[tuple[ActionStatus | None, ActionStatus, datetime, str | None]] = [(None, A.ACCEPTED, act.created,
                                                                                        None)]
        if act.assessment_at:
            steps.append((A.ACCEPTED, A.ASSESSMENT, act.assessment_at, None))
        if act.implementation_at:
            steps.append((A.ASSESSMENT, A.IMPLEMENTATION, act.implementation_at, None))
        if act.closing_at:
            steps.append((A.IMPLEMENTATION, A.CLOSING, act.closing_at, None))
        if act.closed_at:
            steps.append((A.CLOSING, A.CLOSED, act.closed_at, None))
        before = None
        if act.status is A.CANCELLED:
            steps.append((steps[-1][1], A.CANCELLED, act.stopped_at, rng.choice(ACTION_CANCEL_REASONS)))
        elif act.status is A.SUSPENDED:
            before = steps[-1][1]
            steps.append((before, A.SUSPENDED, act.stopped_at, rng.choice(SUSPEND_REASONS)))
        for source, target, at, reason in steps:
            self.add(ActionTransition, id=self.take("action_transitions"), action_id=act.id, actor_id=officer, at=at,
                     from_status=source, to_status=target, reason=reason)
        published_at = None
        if act.status in (A.IMPLEMENTATION, A.CLOSING, A.CLOSED) and rng.random() < 0.8:
            published_at = min(now - timedelta(hours=1), act.implementation_at + self.span(10, 120))
        objective = (f"To strengthen the capacities of the beneficiary administrations in "
                     f"{title[0].lower() + title[1:]}, through peer-to-peer exchanges with member-state "
                     f"administrations.")
        kinds = ", ".join(sorted({KIND_TITLE[a.kind].lower() for a in act.acts}))
        summary = (f"Peer-to-peer support in {len(act.acts)} activities ({kinds}), in "
                   f"{', '.join(languages)}, with experts from member-state administrations.")
        # A request came before most Actions.
        request_id = self.accepted_request(act, title, summary) if rng.random() < 0.75 else None
        self.add(Action, id=act.id, invented=True, name=act.name, request_id=request_id, country_code=act.country,
                 region_id=self.ctx.regions[act.region], is_regional=regional, title=title,
                 thematic_area_id=self.ctx.themes[act.theme], objective=objective, summary=summary,
                 planned_start=act.planned_start, planned_end=act.planned_end, status=act.status,
                 status_before_suspension=before, assessment_waiver=waiver, officer_id=officer, calendar_token=None,
                 published=published_at is not None, published_at=published_at, created_at=act.created,
                 updated_at=max(published_at or act.created, steps[-1][2]), version=1)
        for institution in dict.fromkeys(act.beneficiaries):
            self.add(action_beneficiaries, action_id=act.id, institution_id=institution)
        topics = self.ctx.subtopics[self.ctx.themes[act.theme]]
        chosen = rng.sample(topics, min(len(topics), rng.choice([1, 1, 2])))
        if rng.random() < 0.2:
            extra = self.ctx.subtopics[self.ctx.themes["horizontal"]]
            chosen.append(rng.choice(extra))
        for subtopic_id, _name in dict.fromkeys(chosen):
            self.add(action_subtopics, action_id=act.id, subtopic_id=subtopic_id)
        for code in members:
            self.add(action_countries, action_id=act.id, country_code=code)
        if published_at and rng.random() < 0.3:
            locale = "es" if "es" in languages else "fr" if "fr" in languages else None
            if locale:
                translated = TITLES[act.theme][title_index][1 if locale == "es" else 2]
                self.add(ActionTranslation, id=self.take("action_translations"), action_id=act.id, locale=locale,
                         title=translated, objective="", summary="")
        for item in act.acts:
            self.activity_rows(act, item)
        if act.report_at:
            trained = [sum(a.participants[i] for a in act.acts if a.participants) for i in range(3)]
            delivered = sum(1 for a in act.acts if a.status is AS.REPORTED)
            self.add(FinalReport, id=self.take("final_reports"), invented=True, action_id=act.id,
                     results=(f"{delivered} activities delivered; {sum(trained)} officials trained "
                              f"({trained[0]} women, {trained[1]} men). The partner adopted the documents "
                              f"drafted with the experts."),
                     officials_trained_female=trained[0], officials_trained_male=trained[1],
                     officials_trained_other=trained[2], institutions_reached=rng.randint(2, 14),
                     lessons_learned=" ".join(rng.sample(LESSONS, 2)), author_id=officer, submitted_at=act.report_at)
        if act.status in (A.IMPLEMENTATION, A.CLOSING, A.CLOSED) and rng.random() < 0.8:
            drafting = [a for a in act.acts if a.kind is K.DELIVERABLE_DRAFTING and a.delivered_at]
            for n in range(rng.choice([1, 1, 1, 2])):
                source = drafting[n] if n < len(drafting) else None
                issued = (source.end if source else act.planned_end if act.closed_at else None)
                if issued and issued > self.today:
                    issued = None
                kind_ = rng.choice(list(DeliverableKind))
                self.add(Deliverable, id=self.take("deliverables"), invented=True, action_id=act.id,
                         activity_id=source.id if source else None, kind=kind_,
                         title=f"{DELIVERABLE_TITLES[kind_]} on {title[0].lower() + title[1:]}"[:300],
                         language=languages[0], issued_on=issued, url=None, stored_name=None, is_demo=True,
                         uploaded_by_id=officer,
                         created_at=min(now, _at(issued, 11) if issued else act.implementation_at + self.span(30, 200)))

    def accepted_request(self, act: _Action, title: str, summary: str) -> int:
        institution = act.beneficiaries[0]
        author = self.requester(institution, act)
        rid = self.take("requests")
        # Most requests are decided within days of their submission, some wait weeks.
        submitted = act.created - (self.span(2, 9) if self.rng.random() < 0.8 else self.span(10, 35))
        created = submitted - self.span(1, 20)
        review = submitted + (act.created - submitted) * self.rng.uniform(0.1, 0.6)
        self.add(Request, id=rid, institution_id=institution, author_id=author, title=title,
                 description=f"{summary} Request of the partner administration.", thematic_area_id=self.ctx.themes[act.theme],
                 desired_start=act.planned_start, status=RequestStatus.ACCEPTED, submitted_at=submitted,
                 created_at=created, updated_at=act.created, version=1)
        R = RequestStatus
        for source, target, at, actor in ((None, R.DRAFT, created, author), (R.DRAFT, R.SUBMITTED, submitted, author),
                                          (R.SUBMITTED, R.UNDER_REVIEW, review, act.officer),
                                          (R.UNDER_REVIEW, R.ACCEPTED, act.created, act.officer)):
            self.add(RequestTransition, id=self.take("request_transitions"), request_id=rid, actor_id=actor, at=at,
                     from_status=source, to_status=target)
        self.waiting.append((rid, submitted, act.created))
        return rid

    def requester(self, institution: int, act: _Action | None = None, country: str | None = None) -> int:
        found = self.requesters.get(institution)
        if found is None:
            uid = self.take("users")
            code = (act.country if act and act.country else country or "xx").lower()
            group = "es" if code in ("mx", "co", "pe", "ec", "gt", "hn", "sv", "cr", "bo", "py", "do", "pa", "ar",
                                     "cl", "uy") else "en"
            first, last = self.person_name(group, self.gender())
            found = self.requesters[institution] = self.user(
                uid=uid, email=f"requester.{code}.{uid}@{DOMAIN}", name=f"{first} {last}", role=Role.REQUESTER,
                created=_at(self.history_start) - timedelta(days=200), institution=institution,
                locale="es" if group == "es" else "en")
        return found

    def activity_rows(self, act: _Action, item: _Act) -> None:
        rng = self.rng
        officer = act.officer
        city, country = item.place
        steps: list[tuple[ActivityStatus | None, ActivityStatus, datetime, str | None, date | None, date | None]] = [
            (None, AS.PLANNED, item.created, None, None, None)]
        start, end = item.start, item.end
        if item.postponed:
            at, old_start, old_end = item.postponed
            # The activity was first planned at the old dates, then moved.
            if item.confirmed_at and item.confirmed_at < at:
                steps.append((AS.PLANNED, AS.CONFIRMED, item.confirmed_at, None, None, None))
            steps.append((steps[-1][1], AS.POSTPONED, at, rng.choice(POSTPONE_REASONS), old_start, old_end))
            if item.confirmed_at and item.confirmed_at >= at:
                item.confirmed_at = None
        else:
            if item.confirmed_at:
                steps.append((AS.PLANNED, AS.CONFIRMED, item.confirmed_at, None, None, None))
            if item.delivered_at:
                steps.append((AS.CONFIRMED if item.confirmed_at else AS.PLANNED, AS.DELIVERED, item.delivered_at,
                              None, None, None))
            if item.reported_at:
                steps.append((AS.DELIVERED, AS.REPORTED, item.reported_at, None, None, None))
            if item.cancelled_at:
                reason = "The Action was cancelled." if act.status is A.CANCELLED and \
                    item.cancelled_at == act.stopped_at else rng.choice(ACTIVITY_CANCEL_REASONS)
                steps.append((steps[-1][1], AS.CANCELLED, item.cancelled_at, reason, None, None))
        item.status = steps[-1][1]
        for source, target, at, reason, old_start, old_end in steps:
            self.add(ActivityTransition, id=self.take("activity_transitions"), activity_id=item.id, actor_id=officer,
                     at=at, from_status=source, to_status=target, reason=reason, previous_start=old_start,
                     previous_end=old_end)
        participants = None
        report = None
        institutions = None
        if item.reported_at:
            total = rng.randint(8, 45) if item.kind not in ALWAYS_REMOTE else rng.randint(3, 12)
            female = round(total * rng.uniform(0.3, 0.7))
            other = 1 if rng.random() < 0.05 and female < total else 0
            participants = (female, total - female - other, other)
            item.participants = participants
            report = (f"{KIND_TITLE[item.kind]} delivered as planned with {sum(participants)} participants. "
                      f"The experts and the partner agreed on the next steps.")
            institutions = "; ".join(self.institution_name[i] for i in dict.fromkeys(act.beneficiaries))
        self.add(Activity, id=item.id, invented=True, action_id=act.id, kind=item.kind, title=item.title, city=city,
                 country_code=country, is_remote=item.remote, start_date=start, end_date=end,
                 languages=item.languages, status=item.status,
                 participants_female=participants[0] if participants else None,
                 participants_male=participants[1] if participants else None,
                 participants_other=participants[2] if participants else None,
                 participant_institutions=institutions, report=report, reported_at=item.reported_at,
                 created_at=item.created, updated_at=steps[-1][2], version=1)
        for slot_id, role, theme_id, language, places in item.slots:
            self.add(ExpertSlot, id=slot_id, activity_id=item.id, role=role, thematic_area_id=theme_id,
                     language=language, places=places)

    def open_requests(self) -> None:
        """Requests still waiting, declined, or drafts, beside the ones that became Actions."""
        rng, now = self.rng, self.now
        countries = sorted({a.country for a in self.action_list if a.country})
        R = RequestStatus
        for _ in range(round(3 * self.scale)):
            country = rng.choice(countries)
            theme_code = rng.choice(self.theme_codes)
            institution = self.institution(f"{PARTNER_BODIES[theme_code][0]} of {country_name(country)}", country,
                                           InstitutionKind.PARTNER_ADMINISTRATION)
            author = self.requester(institution, country=country)
            r = rng.random()
            status = (R.DRAFT if r < 0.15 else R.SUBMITTED if r < 0.35 else R.UNDER_REVIEW if r < 0.6
                      else R.CLARIFICATION_REQUESTED if r < 0.75 else R.DECLINED)
            if status is R.DECLINED:
                created = _at(self.history_start) + self.span(0, (now - _at(self.history_start)).days - 30)
            else:
                created = now - self.span(1, 45)
            steps = [(None, R.DRAFT, created, author, None)]
            submitted = None
            if status is not R.DRAFT:
                submitted = min(created + self.span(0.5, 10), now - timedelta(hours=2))
                steps.append((R.DRAFT, R.SUBMITTED, submitted, author, None))
            if status in (R.UNDER_REVIEW, R.CLARIFICATION_REQUESTED, R.DECLINED):
                review = (submitted + self.span(1, 10) if status is R.DECLINED
                          else submitted + (now - submitted) * rng.uniform(0.05, 0.5))
                steps.append((R.SUBMITTED, R.UNDER_REVIEW, review, rng.choice(self.officers)[0], None))
            question = decline = None
            if status is R.CLARIFICATION_REQUESTED:
                question = "Which units of the administration would take part, and how many officials?"
                steps.append((R.UNDER_REVIEW, status, steps[-1][2] + (now - steps[-1][2]) * rng.uniform(0.1, 0.9),
                              steps[-1][3], question))
            if status is R.DECLINED:
                decline = rng.choice(["Outside the programme's thematic scope.",
                                      "Already covered by another donor's project.",
                                      "The request does not name a counterpart unit."])
                steps.append((R.UNDER_REVIEW, status, steps[-1][2] + self.span(3, 40), steps[-1][3], decline))
            rid = self.take("requests")
            title = rng.choice(TITLES[theme_code])[0]
            self.add(Request, id=rid, institution_id=institution, author_id=author, title=title,
                     description=f"Our administration asks for support on {title[0].lower() + title[1:]}.",
                     thematic_area_id=self.ctx.themes[theme_code], desired_start=(now + self.span(60, 300)).date(),
                     status=status, clarification_question=question, decline_reason=decline, submitted_at=submitted,
                     created_at=created, updated_at=steps[-1][2], version=1)
            for source, target, at, actor, reason in steps:
                self.add(RequestTransition, id=self.take("request_transitions"), request_id=rid, actor_id=actor,
                         at=at, from_status=source, to_status=target, reason=reason)
            if submitted:
                waiting_until = None if status in (R.SUBMITTED, R.UNDER_REVIEW) else steps[-1][2]
                self.waiting.append((rid, submitted, waiting_until))

    # -- deployments -----------------------------------------------------------------------------------
    def clashes(self, spec: dict[str, Any], first: int, last: int, remote: bool) -> bool:
        pad = 0 if remote else 1
        for b_first, b_last, b_remote in spec["bookings"]:
            reach = pad + (0 if b_remote else 1)
            if b_first - last <= reach and first - b_last <= reach:
                return True
        for u_first, u_last, _why in spec["unavailable"]:
            if u_first.toordinal() - last <= pad and first - u_last.toordinal() <= pad:
                return True
        return False

    def pick(self, item: _Act, slot: tuple[int, SlotRole, int, str, int], theme_code: str, exclude: list[int],
             days: int, future: bool) -> int | None:
        rng = self.rng
        first, last = item.start.toordinal(), item.end.toordinal()
        languages = [slot[3]] + [code for code in item.languages if code != slot[3]]
        beneficiaries = item.action.beneficiaries
        split = days_per_year(item.start, item.end, days).items()  # the cap counts each day in its own year
        served = item.action.served
        for _attempt in range(3):  # continuity: an expert who already worked on the Action, if they fit
            if not served or rng.random() > 0.5:
                break
            index = served[rng.randrange(len(served))]
            spec = self.expert_list[index]
            if index in exclude or (future and spec["status"] not in (ExpertStatus.ACTIVE, ExpertStatus.APPROVED)):
                continue
            if not any(spec["languages"].get(code) in ("B2", "C1", "C2") for code in languages):
                continue
            if self.over_cap(spec, split) or self.clashes(spec, first, last, item.remote):
                continue
            return index
        for attempt in range(12):
            code = languages[0] if attempt % 3 != 2 else rng.choice(languages)
            pool = self.by_language_theme.get((code, theme_code)) if attempt < 6 and rng.random() < 0.75 else None
            pool = pool or self.by_language.get(code)
            if not pool:
                continue
            index = pool[rng.randrange(len(pool))]
            spec = self.expert_list[index]
            if index in exclude or spec["institution"] in beneficiaries:
                continue
            if future and spec["status"] not in (ExpertStatus.ACTIVE, ExpertStatus.APPROVED):
                continue
            if self.over_cap(spec, split) or self.clashes(spec, first, last, item.remote):
                continue
            return index
        return None

    def deployments(self) -> None:
        """Staff every slot, activity by activity in date order, keeping each expert's calendar free of clashes."""
        rng = self.rng
        acts = sorted((item for act in self.action_list for item in act.acts), key=lambda a: (a.start, a.id))
        self.deployment_facts: list[dict[str, Any]] = []
        for item in acts:
            act = item.action
            span = (item.end - item.start).days + 1
            days = 10 if item.remote and span > 30 else span
            horizon = act.stopped_at or self.now
            took_place = item.delivered_at is not None
            running = item.status is AS.CONFIRMED and item.start <= self.today and act.stopped_at is None
            on_slot: list[int] = []  # the experts already on the activity: one place each
            for slot in item.slots:
                slot_id, role, _theme_id, _language, places = slot
                theme_code = item.slot_themes[slot_id]
                for _place in range(places):
                    if item.status is AS.CANCELLED:
                        if rng.random() < 0.5:
                            self.cancelled_place(item, slot, theme_code, on_slot, days)
                        continue
                    fill = 0.96 if (took_place or running) else 0.92 if item.status is AS.CONFIRMED else 0.75
                    if rng.random() > fill:
                        continue
                    if took_place or running:
                        self.booked_place(item, slot, theme_code, on_slot, days)
                    else:
                        self.future_place(item, slot, theme_code, on_slot, days, horizon)

    def book(self, index: int, item: _Act, days: int) -> None:
        if index not in item.action.served:
            item.action.served.append(index)
        spec = self.expert_list[index]
        spec["bookings"].append((item.start.toordinal(), item.end.toordinal(), item.remote))
        for year, share in days_per_year(item.start, item.end, days).items():
            spec["days"][year] = spec["days"].get(year, 0) + share

    @staticmethod
    def over_cap(spec: dict[str, Any], split: Iterable[tuple[int, int]]) -> bool:
        return any(spec["days"].get(year, 0) + share > spec["cap"] for year, share in split)

    def chain(self, start: datetime, deadline: datetime | None, spans: list[timedelta]) -> list[datetime]:
        """The times of successive steps from `start`, squeezed to end before `deadline`."""
        total = sum(spans, timedelta())
        if deadline is not None and start + total > deadline:
            room = max(deadline - start, timedelta(minutes=len(spans) + 1))
            spans = [s * (room / total) if total else s for s in spans]
        out, at = [], start
        for s in spans:
            at = at + max(s, timedelta(minutes=1))
            out.append(at)
        return out

    def refusal(self, item: _Act, slot: tuple, theme_code: str, on_slot: list[int], days: int,
                start: datetime, future: bool) -> datetime | None:
        """An earlier attempt that was declined or expired; returns when the place was free again."""
        rng = self.rng
        start = max(start, item.created + timedelta(hours=1))
        index = self.pick(item, slot, theme_code, on_slot, days, future)
        if index is None:
            return None
        spec = self.expert_list[index]
        on_slot.append(index)
        declined = rng.random() < 0.82
        invited, ended = self.chain(start, None, [self.span(0, 2), self.span(1, 6) if declined else self.span(7.2, 10)])
        if ended > (item.action.stopped_at or self.now):
            on_slot.pop()
            return None
        events = [(None, D.PROPOSED, start), (D.PROPOSED, D.INVITED, invited),
                  (D.INVITED, D.DECLINED if declined else D.EXPIRED, ended)]
        self.deployment(item, slot, spec, events, invited_at=invited, responded_at=ended if declined else None,
                        decline_reason=rng.choice(DECLINE_REASONS) if declined else None, days=days)
        return ended + self.span(0.2, 3)

    def booked_place(self, item: _Act, slot: tuple, theme_code: str, on_slot: list[int], days: int) -> None:
        """A place on an activity that took place (or is under way): confirmed before it started."""
        rng = self.rng
        act = item.action
        deadline = item.start_at - timedelta(hours=6)
        start = max(item.created + self.span(0.1, 2), item.start_at - self.span(25, 80))
        if start >= deadline:
            start = item.created + (deadline - item.created) / 4
        if rng.random() < 0.11:
            free = self.refusal(item, slot, theme_code, on_slot, days, start - self.span(5, 15), future=False)
            if free and free < deadline - timedelta(days=1):
                start = max(start, free)
        index = self.pick(item, slot, theme_code, on_slot, days, future=False)
        if index is None:
            return
        spec = self.expert_list[index]
        on_slot.append(index)
        self.book(index, item, days)
        ms = spec["type"] is ExpertType.MS_OFFICIAL
        spans = [self.span(0, 2), self.span(0.2, 6)] + ([self.span(0.5, 5)] if ms else []) + [self.span(0.2, 4)]
        times = self.chain(start, deadline, spans)
        invited, accepted = times[0], times[1]
        release = times[2] if ms else None
        confirmed = times[-1]
        events = [(None, D.PROPOSED, start), (D.PROPOSED, D.INVITED, invited), (D.INVITED, D.ACCEPTED, accepted),
                  (D.ACCEPTED, D.CONFIRMED, confirmed)]
        report = report_at = None
        if item.delivered_at:
            # The mission report, then completion: before the Action moved to closing, and not after the clock.
            cap = (act.closing_at - timedelta(hours=1)) if act.closing_at else (act.stopped_at or self.now)
            report_at = item.end_at + self.span(1, 25)
            if act.closing_at and report_at > cap:
                report_at = item.end_at + (cap - item.end_at) * rng.uniform(0.2, 0.7)
            if report_at <= cap:
                report = f"Mission report of {spec['name']} on “{item.title}” ({act.name})."
                completed = report_at + self.span(0.1, 7)
                if act.closing_at and completed > cap:
                    completed = report_at + (cap - report_at) / 2
                if completed <= cap:
                    events.append((D.CONFIRMED, D.COMPLETED, completed))
            else:
                report_at = None
        self.deployment(item, slot, spec, events, invited_at=invited, responded_at=accepted, release_at=release,
                        mission_report=report, report_at=report_at, days=days, confirmed_at=confirmed)

    def future_place(self, item: _Act, slot: tuple, theme_code: str, on_slot: list[int], days: int,
                     horizon: datetime) -> None:
        """A place on an activity still to come: somewhere between proposed and confirmed at the clock."""
        rng = self.rng
        low = item.created + timedelta(hours=2)
        if horizon - low < timedelta(hours=3):
            return
        start = low + (horizon - low) * rng.random() ** 0.7
        if rng.random() < 0.1:
            free = self.refusal(item, slot, theme_code, on_slot, days, low + (start - low) / 3, future=True)
            if free and free < horizon - timedelta(hours=2):
                start = max(start, free)
        index = self.pick(item, slot, theme_code, on_slot, days, future=True)
        if index is None:
            return
        spec = self.expert_list[index]
        on_slot.append(index)
        ms = spec["type"] is ExpertType.MS_OFFICIAL
        # How far it may go: a confirmed activity has mostly confirmed experts.
        stages = 5 if item.status is AS.CONFIRMED else rng.choice([1, 2, 3, 3, 4, 5])
        deadline = item.start_at - timedelta(hours=6)
        spans = [self.span(0, 3), self.span(0.3, 8), self.span(0.5, 6) if ms else timedelta(0), self.span(0.3, 5)]
        invited, accepted, released, confirmed = self.chain(start, deadline, spans)
        if not ms:
            released = None
        events = [(None, D.PROPOSED, start)]
        facts: dict[str, Any] = {"invited_at": None, "responded_at": None, "release_at": None, "confirmed_at": None}
        if stages >= 2 and invited <= horizon:
            events.append((D.PROPOSED, D.INVITED, invited))
            facts["invited_at"] = invited
            if stages >= 3 and accepted <= horizon:
                events.append((D.INVITED, D.ACCEPTED, accepted))
                facts["responded_at"] = accepted
                self.book(index, item, days)
                if ms and stages >= 4 and released <= horizon:
                    facts["release_at"] = released
                if stages >= 5 and confirmed <= horizon and (not ms or facts["release_at"]):
                    events.append((D.ACCEPTED, D.CONFIRMED, confirmed))
                    facts["confirmed_at"] = confirmed
        self.deployment(item, slot, spec, events, days=days, **facts)

    def cancelled_place(self, item: _Act, slot: tuple, theme_code: str, on_slot: list[int], days: int) -> None:
        rng = self.rng
        cancelled = item.cancelled_at
        low = item.created + timedelta(hours=2)
        if cancelled - low < timedelta(hours=6):
            return
        index = self.pick(item, slot, theme_code, on_slot, days, future=False)
        if index is None:
            return
        spec = self.expert_list[index]
        on_slot.append(index)
        start = low + (cancelled - low) * rng.uniform(0, 0.6)
        invited, accepted = self.chain(start, cancelled - timedelta(hours=1), [self.span(0, 2), self.span(0.3, 6)])
        events = [(None, D.PROPOSED, start), (D.PROPOSED, D.INVITED, invited)]
        facts: dict[str, Any] = {"invited_at": invited, "responded_at": None}
        if rng.random() < 0.6:
            events.append((D.INVITED, D.ACCEPTED, accepted))
            facts["responded_at"] = accepted
        events.append((events[-1][1], D.CANCELLED, cancelled))
        self.deployment(item, slot, spec, events, days=days, cancel_reason="The activity was cancelled.", **facts)

    def deployment(self, item: _Act, slot: tuple, spec: dict[str, Any], events: list[tuple], *, days: int,
                   invited_at: datetime | None = None, responded_at: datetime | None = None,
                   release_at: datetime | None = None, decline_reason: str | None = None,
                   mission_report: str | None = None, report_at: datetime | None = None,
                   confirmed_at: datetime | None = None, cancel_reason: str | None = None) -> None:
        did = self.take("deployments")
        act = item.action
        status = events[-1][1]
        attempt = 1
        first = events[0][2]
        if spec["first_work"] is None or first < spec["first_work"]:
            spec["first_work"] = first
        if item.delivered_at and status in (D.CONFIRMED, D.COMPLETED):
            country = act.country or item.place[1]
            if country not in spec["countries"]:
                spec["countries"].append(country)
        release_by = self.focal_points.get(spec["country"]) if release_at else None
        self.add(Deployment, id=did, slot_id=slot[0], activity_id=item.id, expert_id=spec["id"], attempt=attempt,
                 role=slot[1], working_days=days, status=status, decline_reason=decline_reason,
                 invited_at=invited_at, responded_at=responded_at, release_approved_at=release_at if release_by else None,
                 release_approved_by_id=release_by, mission_report=mission_report, mission_report_file=None,
                 mission_report_file_name=None, mission_report_at=report_at, proposed_by_id=act.officer,
                 created_at=first, updated_at=max(events[-1][2], report_at or first), version=1)
        expert_user = spec.get("user")
        for source, target, at in events:
            actor = act.officer
            if target in (D.ACCEPTED, D.DECLINED) and expert_user:
                actor = expert_user
            reason = decline_reason if target is D.DECLINED else cancel_reason if target is D.CANCELLED else None
            self.add(DeploymentTransition, id=self.take("deployment_transitions"), deployment_id=did, actor_id=actor,
                     at=at, from_status=source, to_status=target, reason=reason)
        if status in (D.PROPOSED, D.INVITED, D.ACCEPTED, D.CONFIRMED, D.COMPLETED):
            item.live += 1
        ended = {D.DECLINED: responded_at, D.EXPIRED: events[-1][2], D.CANCELLED: events[-1][2]}
        after_invite = next((at for _s, target, at in events if target in (D.ACCEPTED, D.DECLINED, D.EXPIRED,
                                                                           D.CANCELLED)), None)
        self.deployment_facts.append({
            "id": did, "item": item, "spec": spec, "status": status, "invited_at": invited_at,
            "invite_until": after_invite, "confirmed_at": confirmed_at or next(
                (at for _s, target, at in events if target is D.CONFIRMED), None),
            "report_at": report_at, "ended": ended.get(status),
        })

    # -- the roster's rows, once deployments are known ---------------------------------------------------
    def expert_rows(self) -> None:
        rng, now = self.rng, self.now
        for spec in self.expert_list:
            joined = spec["joined"]
            if spec["first_work"] is not None and joined > spec["first_work"] - timedelta(days=5):
                joined = spec["first_work"] - self.span(5, 60)
            spec["joined"] = joined
            nominator = (self.focal_points.get(spec["country"]) if spec["type"] is ExpertType.MS_OFFICIAL else None) \
                or self.officers[rng.randrange(len(self.officers))][0]
            email = f"{_ascii(spec['first'])}.{_ascii(spec['last'])}.{spec['id']}@experts.{DOMAIN}"
            user_id = spec["user"]
            if user_id:
                locale = spec["native"] if spec["native"] in ("es", "fr") else "en"
                self.user(uid=user_id, email=email, name=spec["name"], role=Role.EXPERT,
                          created=min(now, joined + self.span(0, 3)), locale=locale,
                          tz=TIMEZONES.get(spec["country"], "UTC"))
            self.add(Expert, id=spec["id"], invented=True, name=spec["name"], email=email, gender=spec["gender"],
                     nationality=spec["nationality"], institution_id=spec["institution"], country_code=spec["country"],
                     type=spec["type"], years_experience=spec["years"], status=spec["status"],
                     max_days_per_year=spec["cap"], consent_at=joined + self.span(0, 2),
                     consent_version=f"{max(2016, joined.year)}-01", calendar_token=None, nominated_by_id=nominator,
                     user_id=user_id, is_demo=True, created_at=joined, updated_at=joined, version=1)
            for code, level in sorted(spec["languages"].items()):
                self.add(ExpertLanguage, expert_id=spec["id"], language=code, level=level)
            for theme_code, level in sorted(spec["themes"].items()):
                self.add(ExpertTheme, expert_id=spec["id"], thematic_area_id=self.ctx.themes[theme_code], level=level)
            worked = list(spec["countries"])
            for _ in range(rng.choice([0, 0, 1, 2])):
                worked.append(rng.choice(self.ctx.region_countries[rng.choice(sorted(REGION_WEIGHTS))]))
            for code in sorted(set(worked)):
                self.add(expert_countries, expert_id=spec["id"], country_code=code)
            for start, end, why in spec["unavailable"]:
                self.add(Unavailability, id=self.take("expert_unavailability"), expert_id=spec["id"],
                         start_date=start, end_date=end, reason=why)

    def expert_users(self) -> None:
        """Decide who has an account before deployments, so accepting or declining is theirs in the history."""
        for spec in self.expert_list:
            deployable = spec["status"] in (ExpertStatus.ACTIVE, ExpertStatus.APPROVED)
            spec["user"] = self.take("users") if deployable and self.rng.random() < 0.3 else None

    def expert_institutions(self) -> None:
        for act in self.action_list:
            seen: dict[int, None] = {}
            for fact in self.deployment_facts_by_action.get(act.id, []):
                if fact["status"] in (D.CONFIRMED, D.COMPLETED):
                    seen[fact["spec"]["institution"]] = None
            for institution in seen:
                self.add(action_expert_institutions, action_id=act.id, institution_id=institution)

    # -- reminders ---------------------------------------------------------------------------------------
    def reminder(self, key: str, rule: str, subject: str, subject_id: int, recipient: int, due: datetime,
                 created: datetime, until: datetime | None, keep_cancelled: bool = True) -> None:
        """One reminder row: sent if due while it applied, cancelled if its subject moved on first, else pending."""
        if due < self.reminders_since or (not keep_cancelled and until is not None and due > until):
            return
        now = self.now
        if until is not None and created >= until:
            return  # it never applied
        ready = max(due, created)  # one already due when it was derived goes at the next dispatch pass
        created = min(created, now)
        if until is not None and due > until:
            state, updated, sent = ReminderState.CANCELLED, min(until, now), None
            claimed = None
            if until > now:  # still applies at the clock
                state, updated = ReminderState.PENDING, created
        elif due <= now:
            sent = ready + timedelta(seconds=self.rng.randint(5, 110))
            if sent > now:
                sent = now
            state, updated, claimed = ReminderState.SENT, sent, sent - timedelta(seconds=2)
        else:
            state, updated, sent, claimed = ReminderState.PENDING, created, None, None
        if key in self.reminder_keys:
            return
        self.reminder_keys.add(key)
        self.add(Reminder, id=self.take("reminders"), key=key, rule=rule, subject_type=subject, subject_id=subject_id,
                 recipient_id=recipient, due_at=due, state=state, attempts=1 if state is ReminderState.SENT else 0,
                 last_error=None, next_attempt_at=None, claim_token=None, claimed_at=claimed if state is
                 ReminderState.SENT else None, sent_at=sent, created_at=created,
                 updated_at=max(created, updated))

    def coming(self, item: _Act, user: int, tz: str, created: datetime, until: datetime | None) -> None:
        """"Activity coming" 30, 14 and 3 days before: those due after `created`, and the latest one already due
        then (as the rule keeps it)."""
        dues = [(d, local_moment(item.start - timedelta(days=d), 9, tz)) for d in OFFSETS["activity_coming"]]
        past = [x for x in dues if x[1] < created]
        for d, due in [x for x in dues if x[1] >= created] + past[-1:]:
            self.reminder(f"activity-coming:activity:{item.id}:{d}:user:{user}", "activity_coming", "activity",
                          item.id, user, due, created, until)

    def final_report_due(self, act: Any) -> None:
        """The final report, owed from the planned end while the Action runs, then from its closing."""
        officer, tz, d = act.officer, act.officer_tz, OFFSETS["final_report_due"]
        written = [act.report_at] if act.report_at else []
        if act.assessment_at:
            ends = [t for t in (act.closing_at, act.stopped_at, *written) if t]
            self.reminder(f"final-report-due:action:{act.id}:end:{act.planned_end.isoformat()}:user:{officer}",
                          "final_report_due", "action", act.id, officer,
                          local_moment(act.planned_end, 9, tz) + timedelta(days=d), act.assessment_at,
                          min(ends) if ends else None)
        if act.closing_at:
            ends = [t for t in (act.closed_at, act.stopped_at, *written) if t]
            self.reminder(f"final-report-due:action:{act.id}:closing:{act.closing_at.date().isoformat()}:user:{officer}",
                          "final_report_due", "action", act.id, officer, act.closing_at + timedelta(days=d),
                          act.closing_at, min(ends) if ends else None)

    def reminders(self) -> None:
        rng, now = self.rng, self.now
        self.reminder_keys: set[str] = set()
        by_activity: dict[int, list[dict[str, Any]]] = {}
        for fact in self.deployment_facts:
            by_activity.setdefault(fact["item"].id, []).append(fact)
        for act in sorted(self.action_list, key=lambda a: a.id):
            officer, tz = act.officer, act.officer_tz
            open_until = act.open_until
            for item in act.acts:
                facts = by_activity.get(item.id, [])
                # Running: planned, confirmed or postponed, on an open Action.
                stopped = [t for t in (item.delivered_at, item.cancelled_at, open_until) if t is not None]
                until = min(stopped) if stopped else None
                self.coming(item, officer, tz, item.created, until)
                for fact in facts:
                    user = fact["spec"]["user"]
                    if user and fact["confirmed_at"]:
                        expert_until = fact["ended"] if fact["status"] is D.CANCELLED else None
                        limit = min([t for t in (until, expert_until) if t] or [None])
                        self.coming(item, user, TIMEZONES.get(fact["spec"]["country"], "UTC"), fact["confirmed_at"],
                                    limit)
                # Slots still open three weeks before: now if places are open, in the past for some.
                due = local_moment(item.start - timedelta(days=OFFSETS["slots_open"]), 9, tz)
                places = sum(s[4] for s in item.slots)
                if until is None and item.live < places or (due <= now and rng.random() < 0.25):
                    self.reminder(f"slots-open:activity:{item.id}:{OFFSETS['slots_open']}:user:{officer}",
                                  "slots_open", "activity", item.id, officer, due, item.created, until)
                # Mission reports after the activity, for confirmed deployments.
                if item.delivered_at or until is None:
                    for fact in facts:
                        if not fact["confirmed_at"] or fact["status"] is D.CANCELLED:
                            continue
                        report_until = fact["report_at"] or open_until
                        user = fact["spec"]["user"]
                        if user:
                            self.reminder(f"report-due:deployment:{fact['id']}:user:{user}", "report_due", "activity",
                                          item.id, user, local_moment(item.end + timedelta(days=OFFSETS["report_due"]),
                                                                      9, TIMEZONES.get(fact["spec"]["country"], "UTC")),
                                          fact["confirmed_at"], report_until)
                        self.reminder(f"report-overdue:deployment:{fact['id']}:user:{officer}", "report_overdue",
                                      "activity", item.id, officer,
                                      local_moment(item.end + timedelta(days=OFFSETS["report_overdue"]), 9, tz),
                                      fact["confirmed_at"], report_until)
                        if user:  # the expert hears of it too
                            self.reminder(f"report-overdue:deployment:{fact['id']}:user:{user}", "report_overdue",
                                          "activity", item.id, user,
                                          local_moment(item.end + timedelta(days=OFFSETS["report_overdue"]), 9,
                                                       TIMEZONES.get(fact["spec"]["country"], "UTC")),
                                          fact["confirmed_at"], report_until)
                # Invitations: a nudge to the expert, the expiry warning to the officer.
                for fact in facts:
                    if not fact["invited_at"]:
                        continue
                    invite_until = fact["invite_until"] or open_until
                    user = fact["spec"]["user"]
                    d = OFFSETS["invite_nudge"]
                    if user:
                        self.reminder(f"invite-nudge:deployment:{fact['id']}:{d}:user:{user}", "invite_nudge",
                                      "deployment", fact["id"], user, fact["invited_at"] + timedelta(days=d),
                                      fact["invited_at"], invite_until)
                    self.reminder(f"invite-expiry:deployment:{fact['id']}:user:{officer}", "invite_expiry",
                                  "deployment", fact["id"], officer,
                                  fact["invited_at"] + timedelta(days=OFFSETS["invite_expiry"]), fact["invited_at"],
                                  invite_until)
            # The Action ending with open work, and closing that stalls.
            if act.assessment_at:
                due = local_moment(act.planned_end - timedelta(days=OFFSETS["action_ending"]), 9, tz)
                running_until = [t for t in (act.closing_at, act.stopped_at) if t]
                # Open work: activities still planned, confirmed or postponed then.
                open_work = [a for a in act.acts if a.created <= due and
                             (a.delivered_at or a.cancelled_at or due + timedelta(days=1)) > due]
                if open_work and due >= act.assessment_at:
                    self.reminder(f"action-ending:action:{act.id}:{act.planned_end.isoformat()}:user:{officer}",
                                  "action_ending", "action", act.id, officer, due, act.assessment_at,
                                  min(running_until) if running_until else None)
            if act.closing_at:
                self.reminder(f"closing-stalled:action:{act.id}:{act.closing_at.date().isoformat()}:user:{officer}",
                              "closing_stalled", "action", act.id, officer,
                              act.closing_at + timedelta(days=OFFSETS["closing_stalled"]), act.closing_at,
                              act.closed_at or act.stopped_at)
            self.final_report_due(act)
        # Requests waiting for review: every active officer is chased.
        first, every = OFFSETS["request_review"]
        recipients = sorted(set(self.ctx.officers) | {uid for uid, _tz in self.officers})
        for rid, submitted, until in sorted(self.waiting):
            start, step = submitted + timedelta(days=first), timedelta(days=every)
            n = 0
            while n == 0 or start + (n - 1) * step <= min(until or now, now):
                due = start + n * step
                appears = submitted if n == 0 else due - step
                for uid in recipients:
                    # The chaser nobody needed (the request was decided first) is left out: with every
                    # officer a recipient, those cancelled rows would outnumber everything else.
                    self.reminder(f"request-review:request:{rid}:{n}:user:{uid}", "request_review", "request", rid,
                                  uid, due, appears, until, keep_cancelled=False)
                n += 1
        # Officers' weekly digests.
        since = self.reminders_since.date()
        first_monday = since - timedelta(days=since.weekday())
        for uid, tz in self.officers:
            monday = first_monday
            while monday <= self.today + timedelta(days=7):
                year, week, _ = monday.isocalendar()
                due = local_moment(monday, 8, tz)
                if due <= now + timedelta(days=7):
                    self.reminder(f"weekly-digest:user:{uid}:{year}-W{week:02d}", "weekly_digest", "digest", uid,
                                  uid, due, due - timedelta(days=7), None)
                monday += timedelta(days=7)

    # -- everything ------------------------------------------------------------------------------------
    def build(self) -> dict[str, list[dict[str, Any]]]:
        self.waiting: list[tuple[int, datetime, datetime | None]] = []
        self.staff()
        self.experts()
        self.expert_users()
        self.actions()
        self.open_requests()
        self.deployments()
        self.deployment_facts_by_action: dict[int, list[dict[str, Any]]] = {}
        for fact in self.deployment_facts:
            self.deployment_facts_by_action.setdefault(fact["item"].action.id, []).append(fact)
        self.expert_rows()
        self.expert_institutions()
        self.reminders()
        return self.rows


def build_rows(ctx: Context, *, scale: int, seed: int = 1, now: datetime = NOW) -> dict[str, list[dict[str, Any]]]:
    """Every row of the synthetic portfolio, by table name (pure: no database, no clock)."""
    if not 1 <= scale <= 1000:
        raise ValueError("scale must be between 1 and 1000")
    return _Builder(ctx, scale, seed, now).build()


# --- Inserting ------------------------------------------------------------------------------------

INSERT_ORDER = [
    Institution, User, Expert, ExpertLanguage, ExpertTheme, expert_countries, Unavailability, Request,
    RequestTransition, Action, action_beneficiaries, action_subtopics, action_countries, action_expert_institutions,
    ActionTranslation, ActionTransition, FinalReport, Activity, ActivityTransition, ExpertSlot, Deliverable,
    Deployment, DeploymentTransition, Reminder,
    ActionBudgetLine, CostLine,  # money (seed/synthetic_money.py)
    ResultsFramework, ExpectedResult, Indicator, indicator_activities, indicator_deliverables, Measurement,
    DeliverableStage, KnowledgeEvent, event_actions, EventParticipants, Practice, practice_actions,
    practice_deliverables,  # results and knowledge (seed/synthetic_outcomes.py)
    MissionLogistics, ChecklistItem, ExpenseClaim, ClaimItem, ClaimTransition,  # missions (seed/synthetic_missions.py)
]


def _table(item: Table | type) -> Table:
    return item if isinstance(item, Table) else item.__table__


def insert_rows(session: Session, rows: dict[str, list[dict[str, Any]]],
                echo: Callable[[str], None] | None = None) -> dict[str, int]:
    """Insert the rows table by table with Core executemany (no ORM unit of work, no session hooks)."""
    counts = {}
    connection = session.connection()
    for item in INSERT_ORDER:
        table = _table(item)
        batch = rows.get(table.name, [])
        started = time.perf_counter()
        if isinstance(item, type) and issubclass(item, Searchable):
            for row in batch:  # the session hook that keeps the search keys never sees these rows
                row["search_key"] = row_search_key(item, row)
        for offset in range(0, len(batch), BATCH):
            connection.execute(table.insert(), batch[offset:offset + BATCH])
        counts[table.name] = len(batch)
        if echo:
            echo(f"  {table.name:<28} {len(batch):>9,} rows  {time.perf_counter() - started:6.1f} s")
    if connection.dialect.name == "postgresql":
        # The ids were given here: move each sequence past them, or the next row the app adds would clash.
        for model in ID_TABLES:
            name = model.__tablename__
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {name}), 1))"))
        # Fresh planner statistics, so the pages are planned for the new sizes at once rather than
        # after autovacuum comes round.
        started = time.perf_counter()
        for item in INSERT_ORDER:
            if counts[_table(item).name]:
                connection.execute(text(f"ANALYZE {_table(item).name}"))
        if echo:
            echo(f"  sequences moved, tables analysed  {time.perf_counter() - started:6.1f} s")
    return counts


def work_rows(ctx: Context, rows: dict[str, list[dict[str, Any]]], *, scale: int, seed: int,
              now: datetime) -> dict[str, list[dict[str, Any]]]:
    """What is built from the portfolio's rows, each part with a random generator of its own (not part of their
    digest): budgets and costs, results frameworks and deliverable news, events and practices, missions."""
    extra = money_rows(rows)
    extra.update(outcome_rows(rows, themes=ctx.themes, institutions={i: name for (name, _c), i in
                                                                     ctx.institutions.items()},
                              next_id=ctx.next_id, scale=scale, seed=seed, now=now))
    missions, actuals = mission_rows(rows, next_id=ctx.next_id, seed=seed, now=now,
                                     since=_at(now.date() - timedelta(days=REMINDERS_DAYS), 0))
    extra.update(missions)
    extra["cost_lines"] += actuals  # what the approved claims recorded
    return extra


def load_synthetic(session: Session, *, scale: int, seed: int = 1, now: datetime = NOW,
                   echo: Callable[[str], None] | None = None) -> dict[str, int]:
    """Generate and insert a synthetic portfolio `scale` times the demo; returns the rows inserted per table.

    Flushes but does not commit: the caller commits (the command does), a test rolls back.
    """
    ensure_reference_data(session)
    session.flush()
    started = time.perf_counter()
    if echo:
        echo("Generating the rows…")
    ctx = read_context(session)
    rows = build_rows(ctx, scale=scale, seed=seed, now=now)
    rows.update(work_rows(ctx, rows, scale=scale, seed=seed, now=now))
    if echo:
        echo(f"Generated {sum(len(r) for r in rows.values()):,} rows in {time.perf_counter() - started:.1f} s; "
             f"inserting:")
    counts = insert_rows(session, rows, echo)
    # Bulk inserts bypass the ORM hooks: tell running web processes that their portfolio figures are old.
    portfolio_changed(session)
    return counts


def digest(rows: dict[str, list[dict[str, Any]]], tables: Iterable[str] | None = None) -> str:
    """A hash of the rows (or of some tables), to compare two generations."""
    import hashlib

    h = hashlib.sha256()
    for name in sorted(tables or rows):
        for row in rows.get(name, []):
            h.update(repr(sorted(row.items())).encode())
    return h.hexdigest()
