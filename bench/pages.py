"""Time the main pages at scale 1, 10 and 100: median and p95 server time, SQL queries, growth from 10 to 100.

Run from the repository root: `.venv/bin/python bench/pages.py [--database sqlite|postgresql]
[--database-url URL] [--scales 1 10 100] [--repeat 30] [--max-seconds 20] [--rebuild | --as-is]`.

Each scale has its own database, built once with the real commands (`flask --app workflow db upgrade`,
`seed reference`, `seed synthetic --scale N`) in a subprocess, and reused by later runs while it still
holds that scale (`--rebuild` drops and rebuilds it; `db upgrade` runs every time, so new migrations
apply to a kept database). By default the SQLite files are /tmp/peerflow-bench/scale-N.db and the
PostgreSQL databases peerflow_bench_N on postgres@127.0.0.1:5432. `--database-url` names a database
of your own: `{scale}` in it is replaced by the scale, else `_N` is added to the database name (`-N`
before the extension of an SQLite file); a PostgreSQL name must contain "bench", as it may be dropped.
`--as-is` times a database seeded by hand as it stands, never dropping or seeding it (then any name will do:
`createdb scale1000`, `seed synthetic --scale 1000`, `--database-url …/scale1000 --scales 1000 --as-is`).

The benchmark's own process only serves requests: it creates the app on that database, with the clock
fixed at the synthetic portfolio's, signs in as the synthetic officer through the real /login form and
calls each page through `app.test_client()`, so a time is the whole Flask stack without a network (a
streamed CSV is read to its end inside the time). SQL statements are counted per request with a
`before_cursor_execute` listener on the app's engine (transaction control such as SQLite's BEGIN is
not counted). One app per scale is open at once; each page is warmed up at every scale, then timed
`--repeat` times in rounds of one request per scale, so that whatever else the machine does falls on
every scale alike (the growth ratio compares like with like). A slow page stops after `--max-seconds`
of its own requests at a scale, and is reported on the samples taken, marked `*`. p50 and p95 are
nearest-rank.

Two cold figures per page: "first", its first request in the process (a restarted server's: nothing remembered,
every statement compiled for the first time), and "cold", the price a reader pays after a write (the remembered
figures emptied in a process that has served the page: the median of three).

Pages over the issue's budgets are flagged (printed, never a failure): p95 above 50 ms at the largest
scale (200 ms for the dashboard and exports), a first or cold request above 200 ms at the largest scale, more
than 15 queries, a different number of queries at scale 1 and 100, and growth above 1.3 from scale 10 to 100
(exports excluded). The last line printed is one JSON object: {"database", "pages": {page: {scale: {"p50_ms",
"p95_ms", "queries", "cold_ms", "first_ms"}}}, "growth_10_100"}.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from time import perf_counter  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

from sqlalchemy import and_, event, func, select  # noqa: E402
from sqlalchemy.engine import URL, make_url  # noqa: E402

from config import Config  # noqa: E402
from seed.synthetic import DOMAIN  # noqa: E402
from seed.synthetic import NOW as SYNTHETIC_NOW  # noqa: E402
from workflow import create_app  # noqa: E402
from workflow.actions.lifecycle import ActionStatus  # noqa: E402
from workflow.actions.models import Action  # noqa: E402
from workflow.activities.lifecycle import ActivityStatus  # noqa: E402
from workflow.activities.models import Activity, ExpertSlot  # noqa: E402
from workflow.database import Database  # noqa: E402
from workflow.deployments.lifecycle import LIVE  # noqa: E402
from workflow.deployments.models import Deployment  # noqa: E402
from workflow.experts.models import Expert  # noqa: E402
from workflow.extensions import db  # noqa: E402
from workflow.reference.models import Region, ThematicArea  # noqa: E402
from workflow.reminders.models import Reminder  # noqa: E402
from workflow.results.models import ResultsFramework  # noqa: E402

SCALES = (1, 10, 100)
OFFICER = f"officer@{DOMAIN}"
PASSWORD = "peerflow-demo"
SQLITE_FOLDER = Path(tempfile.gettempdir()) / "peerflow-bench"
POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/peerflow_bench_{scale}"

P95_BUDGET_MS = 50.0
SLOW_PAGES = {"dashboard": 200.0, "export_actions": 200.0, "money": 200.0}  # pages with a budget of their own
QUERY_BUDGET = 15
COLD_BUDGET_MS = 200.0  # the first request after a restart, and after a change of the data it shows
COLD_SAMPLES = 3  # cold requests after a change, per page and scale (their median is reported)
GROWTH_BUDGET = 1.3
NO_GROWTH_BUDGET = {"export_actions"}  # an export grows with the rows it writes
# Transaction control, not queries: SQLite's BEGIN goes through a cursor, PostgreSQL's does not.
NOT_COUNTED = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


# --- The databases -------------------------------------------------------------------------------


def scale_url(template: str, scale: int) -> str:
    """The database of one scale: `{scale}` replaced, else `_N` added to the name (`-N` for a file)."""
    if "{scale}" in template:
        return template.replace("{scale}", str(scale))
    url = make_url(template)
    name = url.database or ""
    if url.get_backend_name() == "sqlite":
        path = Path(name)
        return str(url.set(database=str(path.with_name(f"{path.stem}-{scale}{path.suffix}"))))
    return url.set(database=f"{name}_{scale}").render_as_string(hide_password=False)


def marker_of(scale: int, seed: int, counts: dict[str, int]) -> dict[str, int]:
    return {"scale": scale, "seed": seed, **counts}


class Store:
    """Where one scale's database lives, and the note that says which portfolio it holds."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.parsed = make_url(url)
        self.dialect = "sqlite" if self.parsed.get_backend_name() == "sqlite" else "postgresql"

    @property
    def label(self) -> str:
        if self.dialect == "sqlite":
            return self.parsed.database or ""
        return self.parsed.render_as_string(hide_password=True)

    # SQLite: the file, and a note beside it.
    @property
    def _file(self) -> Path:
        return Path(self.parsed.database or "")

    @property
    def _note(self) -> Path:
        return self._file.with_name(self._file.name + ".built.json")

    # PostgreSQL: the database, and a note in its comment.
    def _server(self):
        import psycopg

        server: URL = self.parsed.set(drivername="postgresql", database="postgres")
        return psycopg.connect(server.render_as_string(hide_password=False), autocommit=True)

    def _quoted(self) -> str:
        return '"' + (self.parsed.database or "").replace('"', '""') + '"'

    def exists(self) -> bool:
        if self.dialect == "sqlite":
            return self._file.exists()
        with self._server() as connection:
            return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                      (self.parsed.database,)).fetchone() is not None

    def note(self) -> dict | None:
        """What the last complete build recorded, or None."""
        try:
            if self.dialect == "sqlite":
                return json.loads(self._note.read_text()) if self._note.exists() else None
            with self._server() as connection:
                row = connection.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                                         "WHERE datname = %s", (self.parsed.database,)).fetchone()
            return json.loads(row[0]) if row and row[0] else None
        except (ValueError, OSError):
            return None

    def write_note(self, note: dict) -> None:
        if self.dialect == "sqlite":
            self._note.write_text(json.dumps(note))
            return
        with self._server() as connection:
            text = json.dumps(note).replace("'", "''")
            connection.execute(f"COMMENT ON DATABASE {self._quoted()} IS '{text}'")

    def drop(self) -> None:
        if self.dialect == "sqlite":
            for path in (self._note, self._file, Path(f"{self._file}-wal"), Path(f"{self._file}-shm")):
                path.unlink(missing_ok=True)
            return
        with self._server() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {self._quoted()} WITH (FORCE)")

    def create(self) -> None:
        if self.dialect == "sqlite":
            self._file.parent.mkdir(parents=True, exist_ok=True)
            return
        with self._server() as connection:
            connection.execute(f"CREATE DATABASE {self._quoted()}")


def flask_command(url: str, *args: str) -> tuple[str, float]:
    """Run `flask --app workflow ARGS` on that database in a subprocess; its output and seconds taken."""
    env = {**os.environ, "DATABASE_URL": url, "PEERFLOW_ENV": "development"}
    began = perf_counter()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "workflow", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"`flask --app workflow {' '.join(args)}` failed on {url}:\n{done.stdout}{done.stderr}")
    return done.stdout, perf_counter() - began


def portfolio_counts(url: str) -> dict[str, int]:
    """Rows in the main tables (read in its own engine, before the app that is measured exists)."""
    from sqlalchemy.orm import Session

    from workflow.database import make_engine

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return {name: session.scalar(select(func.count()).select_from(model)) or 0
                    for name, model in (("actions", Action), ("activities", Activity), ("experts", Expert),
                                        ("deployments", Deployment), ("reminders", Reminder),
                                        ("frameworks", ResultsFramework))}
    finally:
        engine.dispose()


def prepare(store: Store, scale: int, seed: int, rebuild: bool, as_is: bool = False) -> tuple[dict[str, int], str]:
    """Make sure the database holds the synthetic portfolio of that scale; its counts and what was done."""
    if as_is:
        return portfolio_counts(store.url), "used as it is (--as-is)"
    if not rebuild and store.exists():
        note = store.note()
        if note and note.get("scale") == scale and note.get("seed") == seed:
            _, seconds = flask_command(store.url, "db", "upgrade")  # migrations added since the build
            counts = portfolio_counts(store.url)
            if marker_of(scale, seed, counts) == note:
                return counts, f"kept from an earlier run (migrations checked in {seconds:.1f} s)"
    store.drop()
    store.create()
    began = perf_counter()
    flask_command(store.url, "db", "upgrade")
    flask_command(store.url, "seed", "reference")
    _, seconds = flask_command(store.url, "seed", "synthetic", "--scale", str(scale), "--seed", str(seed))
    counts = portfolio_counts(store.url)
    store.write_note(marker_of(scale, seed, counts))
    return counts, f"built in {perf_counter() - began:.1f} s (seed synthetic --scale {scale}: {seconds:.1f} s)"


# --- The pages -----------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    url: str
    budget_ms: float
    user: str = OFFICER  # who is signed in (the home pages: each role's own)


def choose_pages(session) -> list[Page]:
    """The pages and the records they show, chosen from the data (the same on every run of a database)."""
    today = SYNTHETIC_NOW.date()
    has_activities = select(Activity.id).where(Activity.action_id == Action.id).exists()
    action_id = session.scalar(select(Action.id).where(has_activities)
                               .order_by(Action.planned_start.desc(), Action.id.desc()).limit(1))
    # The first slot with places still open in an activity to come: the one an officer staffs next.
    live = (select(ExpertSlot.id, func.count(Deployment.id).label("live"))
            .join(Deployment, and_(Deployment.slot_id == ExpertSlot.id, Deployment.status.in_(LIVE)), isouter=True)
            .group_by(ExpertSlot.id).subquery())
    slot = session.execute(
        select(ExpertSlot.id, ExpertSlot.activity_id, ThematicArea.code)
        .join(live, live.c.id == ExpertSlot.id).join(Activity).join(ThematicArea)
        .where(Activity.start_date >= today, Activity.status.in_((ActivityStatus.PLANNED, ActivityStatus.CONFIRMED)),
               live.c.live < ExpertSlot.places)
        .order_by(Activity.start_date, ExpertSlot.id).limit(1)).one_or_none()
    if action_id is None or slot is None:
        raise SystemExit("The database has no Action with activities or no open slot to come: is it seeded?")
    slot_id, activity_id, theme = slot
    # The example filter, or else the most common region of the Actions in implementation.
    filtered = {"region": "latin_america_caribbean", "status": ActionStatus.IMPLEMENTATION.value}
    in_implementation = (select(Region.code, func.count().label("n")).join(Action, Action.region_id == Region.id)
                         .where(Action.status == ActionStatus.IMPLEMENTATION).group_by(Region.code))
    counts = dict(session.execute(in_implementation).all())
    if not counts.get(filtered["region"]) and counts:
        filtered["region"] = max(sorted(counts), key=counts.get)
    pages = [
        Page("dashboard", "/dashboard/", SLOW_PAGES["dashboard"]),
        Page("actions", "/actions/", P95_BUDGET_MS),
        Page("actions_filtered", "/actions/?" + urlencode(filtered), P95_BUDGET_MS),
        Page("action", f"/actions/{action_id}", P95_BUDGET_MS),
        Page("activities", "/activities/", P95_BUDGET_MS),
        Page("activity", f"/activities/{activity_id}", P95_BUDGET_MS),
        Page("experts", "/experts/?" + urlencode({"theme": theme, "language": "es"}), P95_BUDGET_MS),
        Page("suggestions", f"/slots/{slot_id}/suggestions", P95_BUDGET_MS),
        Page("deployments", "/deployments/", P95_BUDGET_MS),
        Page("catalogue", "/catalogue/", P95_BUDGET_MS),
        Page("map_data", "/catalogue/map.json", P95_BUDGET_MS),
        Page("export_actions", "/exports/actions.csv", SLOW_PAGES["export_actions"]),
        Page("money", "/finance?by=region", SLOW_PAGES["money"]),  # the money figures, as the dashboard's
    ]
    return pages + work_pages(session) + home_pages(session)


def work_pages(session) -> list[Page]:
    """The results, knowledge and mission pages, on the records with the most to show: the Action in
    implementation with the most measurements, the latest event that took place, the practice with the most
    sources, the latest completed mission with a claim, and that claim as its expert sees it."""
    from workflow.accounts.models import User
    from workflow.knowledge.models import EventParticipants, KnowledgeEvent, Practice, practice_actions
    from workflow.missions.models import ExpenseClaim
    from workflow.results.models import Measurement

    action_id = session.scalar(
        select(Measurement.action_id).join(Action, Action.id == Measurement.action_id)
        .where(Action.status == ActionStatus.IMPLEMENTATION).group_by(Measurement.action_id)
        .order_by(func.count().desc(), Measurement.action_id).limit(1))
    event_id = session.scalar(select(KnowledgeEvent.id).where(
        select(EventParticipants.id).where(EventParticipants.event_id == KnowledgeEvent.id).exists())
        .order_by(KnowledgeEvent.start_date.desc(), KnowledgeEvent.id).limit(1))
    practice_id = session.scalar(select(Practice.id).join(practice_actions).group_by(Practice.id)
                                 .order_by(func.count().desc(), Practice.id).limit(1))
    claim = session.execute(
        select(ExpenseClaim.id, ExpenseClaim.deployment_id, User.email)
        .join(Deployment, Deployment.id == ExpenseClaim.deployment_id).join(Expert, Expert.id == Deployment.expert_id)
        .join(User, User.id == Expert.user_id)
        .order_by(ExpenseClaim.created_at.desc(), ExpenseClaim.id).limit(1)).one_or_none()
    if None in (action_id, event_id, practice_id) or claim is None:
        raise SystemExit("The database has no results, events, practices or claims: seeded before they were?")
    return [
        Page("results", f"/actions/{action_id}/results", P95_BUDGET_MS),
        Page("finance", "/finance", SLOW_PAGES["money"]),
        Page("practices", "/catalogue/practices?" + urlencode({"q": "working group"}), P95_BUDGET_MS),
        Page("event", f"/knowledge/events/{event_id}", P95_BUDGET_MS),
        Page("practice", f"/knowledge/practices/{practice_id}", P95_BUDGET_MS),
        Page("mission", f"/deployments/{claim.deployment_id}/mission", P95_BUDGET_MS),
        Page("claim_expert", f"/claims/{claim.id}", P95_BUDGET_MS, claim.email),
    ]


def home_pages(session) -> list[Page]:
    """Each role's home page, "what needs you now", as its busiest person sees it: the officer; the focal
    point of the member state with the most live deployments of its officials; the expert with the most
    live deployments (ties to the lowest id, so every run picks the same people)."""
    from workflow.accounts.models import Role, User

    live = Deployment.status.in_(LIVE)
    focal = session.scalar(
        select(User.email).join(Expert, Expert.country_code == User.country_code).join(Deployment)
        .where(User.role == Role.MS_FOCAL_POINT, User.active, live)
        .group_by(User.id, User.email).order_by(func.count(Deployment.id).desc(), User.id).limit(1))
    expert = session.scalar(
        select(User.email).join(Expert, Expert.user_id == User.id).join(Deployment)
        .where(User.role == Role.EXPERT, User.active, live)
        .group_by(User.id, User.email).order_by(func.count(Deployment.id).desc(), User.id).limit(1))
    if focal is None or expert is None:
        raise SystemExit("The database has no focal point or expert with live deployments: is it seeded?")
    return [Page("home_officer", "/home", P95_BUDGET_MS), Page("home_focal_point", "/home", P95_BUDGET_MS, focal),
            Page("home_expert", "/home", P95_BUDGET_MS, expert)]


# --- Measuring -----------------------------------------------------------------------------------


class QueryCounter:
    """SQL statements run on the engine since the last `reset`."""

    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(NOT_COUNTED):
            self.count += 1

    def reset(self) -> None:
        self.count = 0


@dataclass
class Result:
    times_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    capped: bool = False
    bytes: int = 0
    first_ms: float = 0.0  # the page's first request in the process: a restarted server's (caches empty, nothing run yet)
    cold_ms: float = 0.0  # after a change: the remembered figures emptied in a process that served the page before

    @property
    def p50(self) -> float:
        return nearest_rank(self.times_ms, 50)

    @property
    def p95(self) -> float:
        return nearest_rank(self.times_ms, 95)

    @property
    def query_count(self) -> int:
        return max(self.queries)


def nearest_rank(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1]


def sign_in(client, email: str = OFFICER) -> None:
    """Through the real form: read the CSRF token from the page, post the person's credentials."""
    page = client.get("/login")
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page.get_data(as_text=True))
    if page.status_code != 200 or not found:
        raise SystemExit(f"/login answered {page.status_code} without a CSRF token")
    answer = client.post("/login", data={"csrf_token": found.group(1), "email": email, "password": PASSWORD})
    if answer.status_code != 302:
        raise SystemExit(f"Signing in as {email} failed ({answer.status_code}): is the synthetic portfolio loaded?")


def request_once(client, counter: QueryCounter, url: str) -> tuple[float, int, int]:
    """One request through the whole stack, its body read to the end; milliseconds, queries, bytes."""
    counter.reset()
    began = perf_counter()
    response = client.get(url)
    body = response.get_data()
    response.close()
    elapsed = (perf_counter() - began) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return elapsed, counter.count, len(body)


@dataclass
class Site:
    """One scale's app, signed-in clients (the officer's, and one per other person a page is seen as), query
    counter and pages."""

    scale: int
    app: Any
    client: Any
    counter: QueryCounter
    pages: list[Page]
    others: dict[str, Any] = field(default_factory=dict)

    def client_for(self, page: Page) -> Any:
        if page.user == OFFICER:
            return self.client
        if page.user not in self.others:
            self.others[page.user] = self.app.test_client()
            sign_in(self.others[page.user], page.user)
        return self.others[page.user]

    @classmethod
    def open(cls, scale: int, url: str) -> Site:
        # Production settings, but plain HTTP to the in-process client (so the session cookie is not Secure-only).
        app = create_app(Config(DATABASE_URL=url, SECRET_KEY=secrets.token_hex(32), ENV_NAME="production",
                                SESSION_COOKIE_SECURE=False, PEERFLOW_BASE_URL="http://localhost",
                                UPLOAD_DIR=str(SQLITE_FOLDER / "uploads")))
        app.extensions["peerflow.clock"] = lambda: SYNTHETIC_NOW  # the day the portfolio was built against
        from workflow.deployments.roster_pool import compile_templates
        from workflow.main.warmup import warm_statements

        compile_templates(app)  # as gunicorn's master does before forking (deploy/gunicorn.conf.py)
        warm_statements(app)  # the same: the dashboard's and the to-do counts' statements compiled
        # One access-log line per request on stderr would bury the tables (and time the terminal).
        logging.getLogger("workflow.request").setLevel(logging.WARNING)
        with app.app_context():
            pages = choose_pages(db.session)
            db.session.remove()
        client = app.test_client()
        sign_in(client)
        return cls(scale, app, client, QueryCounter(Database.engine_of(app)), pages)

    def close(self) -> None:
        Database.engine_of(self.app).dispose()


def measure(sites: list[Site], index: int, *, warmup: int, repeat: int, max_seconds: float) -> dict[int, Result]:
    """Page `index` at every scale, in rounds (one request per scale each), so that whatever else the
    machine does falls on every scale alike; a scale stops after `max_seconds` of its own requests.
    First, the page's first request in the process: everything remembered emptied, as in a restarted server, with
    the templates compiled and the roster pool built before it as a server does before its first request (the
    first time a statement runs in a process, SQLAlchemy also compiles it). Then, after the warm-ups, the cold
    price a reader pays after a write: the remembered figures emptied in a process that has served the page
    (every domain's token changed at once, the worst a write can do), the median of COLD_SAMPLES requests."""
    first = {}
    for site in sites:
        forget_caches(site.app)
        first[site.scale] = request_once(site.client_for(site.pages[index]), site.counter, site.pages[index].url)[0]
    for site in sites:
        began = perf_counter()
        for _ in range(warmup):  # a slow page gets fewer warm-ups: a quarter of its time at most
            request_once(site.client_for(site.pages[index]), site.counter, site.pages[index].url)
            if perf_counter() - began > max_seconds / 4:
                break
    cold = {}
    for site in sites:
        samples = []
        for _ in range(COLD_SAMPLES):
            forget_caches(site.app)
            samples.append(request_once(site.client_for(site.pages[index]), site.counter, site.pages[index].url)[0])
        cold[site.scale] = sorted(samples)[len(samples) // 2]
    results = {site.scale: Result(first_ms=first[site.scale], cold_ms=cold[site.scale]) for site in sites}
    spent = dict.fromkeys(results, 0.0)
    running = list(sites)
    while running:
        for site in list(running):
            result = results[site.scale]
            elapsed, queries, size = request_once(site.client_for(site.pages[index]), site.counter, site.pages[index].url)
            result.times_ms.append(elapsed)
            result.queries.append(queries)
            result.bytes = size
            spent[site.scale] += elapsed / 1000
            if len(result.times_ms) >= repeat:
                running.remove(site)
            elif spent[site.scale] >= max_seconds:
                result.capped = True
                running.remove(site)
    return results


def forget_caches(app) -> None:
    """Empty what the app keeps between requests: remembered figures and the warm roster pool; then build the
    pool again as a server does before its first request (gunicorn's master: `roster_pool.warm`)."""
    from workflow.core.figures import remembered
    from workflow.deployments.roster_pool import pool_cache

    with app.app_context():
        remembered().clear()
        pool_cache().clear()
        pool_cache().pool(db.session, today=SYNTHETIC_NOW.date(), now=SYNTHETIC_NOW)
        db.session.remove()


# --- Reporting -----------------------------------------------------------------------------------


def ms(value: float) -> str:
    return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"


def scale_table(pages: list[Page], results: dict[str, Result]) -> list[str]:
    lines = [f"{'page':<17} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8} {'n':>4}  {'KB':>7} {'cold ms':>8} "
             f"{'first ms':>9}  url"]
    for page in pages:
        if page.name not in results:
            continue  # not measured (--pages)
        r = results[page.name]
        queries = str(r.query_count) if min(r.queries) == max(r.queries) else f"{min(r.queries)}-{max(r.queries)}"
        lines.append(f"{page.name:<17} {ms(r.p50):>9} {ms(r.p95):>9} {queries:>8} {len(r.times_ms):>4}"
                     f"{'*' if r.capped else ' '} {r.bytes / 1024:>7,.0f} {ms(r.cold_ms):>8} {ms(r.first_ms):>9}"
                     f"  {page.url}")
    return lines


def over_budget(pages: list[Page], by_scale: dict[int, dict[str, Result]], growth: dict[str, float]):
    """(badness, page, [what it breaks]) for every page that breaks a budget, the worst first."""
    top = max(by_scale)
    offenders = []
    for page in pages:
        broken, badness = [], 0.0
        at_top = by_scale[top][page.name]
        if at_top.p95 > page.budget_ms:
            broken.append(f"p95 {ms(at_top.p95)} ms at scale {top} (budget {page.budget_ms:.0f} ms, "
                          f"{at_top.p95 / page.budget_ms:,.1f}x)")
            badness = max(badness, at_top.p95 / page.budget_ms)
        if at_top.cold_ms > COLD_BUDGET_MS:
            broken.append(f"cold after a change {ms(at_top.cold_ms)} ms at scale {top} (budget {COLD_BUDGET_MS:.0f} ms)")
            badness = max(badness, at_top.cold_ms / COLD_BUDGET_MS)
        if at_top.first_ms > COLD_BUDGET_MS:
            broken.append(f"first request after a restart {ms(at_top.first_ms)} ms at scale {top} "
                          f"(budget {COLD_BUDGET_MS:.0f} ms)")
            badness = max(badness, at_top.first_ms / COLD_BUDGET_MS)
        most = max(by_scale[s][page.name].query_count for s in by_scale)
        if most > QUERY_BUDGET:
            worst = max(by_scale, key=lambda s: (by_scale[s][page.name].query_count, s))
            broken.append(f"{most} queries at scale {worst} (budget {QUERY_BUDGET})")
            badness = max(badness, most / QUERY_BUDGET)
        if 1 in by_scale and top != 1:
            low, high = by_scale[1][page.name].query_count, at_top.query_count
            if low != high:
                broken.append(f"queries grow with the data: {low} at scale 1, {high} at scale {top}")
                badness = max(badness, high / max(low, 1))
        ratio = growth.get(page.name)
        if ratio is not None and page.name not in NO_GROWTH_BUDGET and ratio > GROWTH_BUDGET:
            broken.append(f"grows {ratio:.2f}x from scale 10 to 100 (budget {GROWTH_BUDGET})")
            badness = max(badness, ratio / GROWTH_BUDGET)
        if broken:
            offenders.append((badness, page.name, broken))
    return sorted(offenders, key=lambda o: -o[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="default SQLite files or PostgreSQL databases (default sqlite)")
    parser.add_argument("--database-url", help="a database of your own ({scale} in it, or _N added to its name)")
    parser.add_argument("--scales", type=int, nargs="+", default=list(SCALES), help="default 1 10 100")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic portfolio (default 1)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("--max-seconds", type=float, default=20.0,
                        help="stop timing a page after this long and report the samples taken (default 20)")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the databases")
    parser.add_argument("--as-is", action="store_true",
                        help="time the database(s) as they stand: never drop, migrate or seed them (any name)")
    parser.add_argument("--pages", nargs="+", metavar="NAME", help="only these pages (default: all)")
    args = parser.parse_args()
    scales = sorted(set(args.scales))

    template = args.database_url or (POSTGRESQL_URL if args.database == "postgresql"
                                     else f"sqlite:///{SQLITE_FOLDER}/scale-{{scale}}.db")
    stores = {scale: Store(scale_url(template, scale)) for scale in scales}
    dialect = stores[scales[0]].dialect
    for store in stores.values():
        name = store.parsed.database or ""
        if store.dialect != "sqlite" and "bench" not in name and not args.as_is:
            raise SystemExit(f"Refusing to use the database {name!r}: it may be dropped, so its name must contain "
                             f"'bench'.")

    print(f"Database: {dialect}; scales {', '.join(map(str, scales))}; {args.repeat} timed requests per page after "
          f"{args.warmup} warm-ups (at most {args.max_seconds:.0f} s of timing per page), in-process through "
          f"app.test_client() as {OFFICER}, clock {SYNTHETIC_NOW:%Y-%m-%d %H:%M} UTC.", flush=True)
    urls = {}
    for scale in scales:
        store = stores[scale]
        counts, done = prepare(store, scale, args.seed, args.rebuild, args.as_is)
        urls[scale] = store.url
        print(f"Scale {scale}: {store.label}, {done}; "
              + ", ".join(f"{count:,} {name}" for name, count in counts.items()) + ".", flush=True)

    sites: list[Site] = []
    by_scale: dict[int, dict[str, Result]] = {scale: {} for scale in scales}
    try:
        for scale in scales:
            sites.append(Site.open(scale, urls[scale]))
        pages = sites[-1].pages
        if args.pages:
            unknown = set(args.pages) - {page.name for page in pages}
            if unknown:
                raise SystemExit(f"No page called {', '.join(sorted(unknown))}; the pages are "
                                 f"{', '.join(page.name for page in pages)}.")
        print(f"Measuring {len(pages)} pages, each at every scale in turn: ", end="", flush=True)
        for index, page in enumerate(pages):
            if args.pages and page.name not in args.pages:
                continue
            for scale, result in measure(sites, index, warmup=args.warmup, repeat=args.repeat,
                                         max_seconds=args.max_seconds).items():
                by_scale[scale][page.name] = result
            print(".", end="", flush=True)
        print(flush=True)
        pages = [page for page in pages if not args.pages or page.name in args.pages]
    finally:
        for site in sites:
            site.close()

    for site in sites:
        print(f"\nScale {site.scale}:")
        for line in scale_table(site.pages, by_scale[site.scale]):
            print("  " + line)
    if any(r.capped for results in by_scale.values() for r in results.values()):
        print(f"\n* timing stopped after {args.max_seconds:.0f} s of requests: p50 and p95 of the n requests taken.")

    growth: dict[str, float] = {}
    if 10 in by_scale and 100 in by_scale:
        print("\nGrowth from scale 10 to 100 (p50 at 100 / p50 at 10):")
        print(f"  {'page':<17} {'p50@10':>9} {'p50@100':>9} {'ratio':>7}")
        for page in pages:
            low, high = by_scale[10][page.name].p50, by_scale[100][page.name].p50
            growth[page.name] = high / low if low else float("inf")
            flag = "" if page.name in NO_GROWTH_BUDGET or growth[page.name] <= GROWTH_BUDGET else "  over"
            print(f"  {page.name:<17} {ms(low):>9} {ms(high):>9} {growth[page.name]:>7.2f}{flag}")

    offenders = over_budget(pages, by_scale, growth)
    top = max(by_scale)
    print(f"\nOver budget ({len(offenders)} of {len(pages)} pages; p95 at scale {top} above {P95_BUDGET_MS:.0f} ms, "
          f"or 200 ms for the dashboard and exports; more than {QUERY_BUDGET} queries"
          + (f"; queries differing between scale 1 and {top}" if 1 in by_scale and top != 1 else "")
          + (f"; growth above {GROWTH_BUDGET} from 10 to 100, exports excluded" if growth else "")
          + "), worst first:")
    for _badness, name, broken in offenders:
        print(f"  {name}: " + "; ".join(broken))
    if not offenders:
        print("  none")

    print(json.dumps({
        "database": dialect,
        "pages": {page.name: {str(scale): {"p50_ms": round(by_scale[scale][page.name].p50, 2),
                                           "p95_ms": round(by_scale[scale][page.name].p95, 2),
                                           "queries": by_scale[scale][page.name].query_count,
                                           "cold_ms": round(by_scale[scale][page.name].cold_ms, 2),
                                           "first_ms": round(by_scale[scale][page.name].first_ms, 2)}
                              for scale in scales} for page in pages},
        "growth_10_100": {name: round(ratio, 3) for name, ratio in growth.items()},
    }))


if __name__ == "__main__":
    main()
