"""Peerflow under a working day's load: every role signs in and goes through its own pages, and writes.

    PEERFLOW_ACCOUNTS=accounts.json locust -f bench/locust/locustfile.py --host http://127.0.0.1:8000 …

`bench/load-mixed.sh` runs it (headless, 50 then 200 users) against gunicorn on PostgreSQL at scale 100;
`bench/locust/accounts.py` writes the accounts file. The proportions are those of a programme's day: most
of the traffic is programme staff (officers, an administrator) running Actions and staffing activities,
then experts answering invitations and following their assignments, requesters following their requests,
focal points releasing their officials, a Steering Committee member, and the public catalogue. Each user
waits LOCUST_WAIT seconds (default "3,10": a person reading the page) between steps.

Every step is a real page: links are followed from the pages (an Action from the filtered list, an activity
from the Action, suggestions from the activity) and every write posts the page's own form, with its CSRF
token and the record's version, as a browser would. About one request in ten writes: inviting an expert
from the suggestions, editing and postponing an activity, answering an invitation, drafting and
submitting a request, approving a release, giving or withdrawing unavailability. A write is timed on its
POST alone (redirects are not followed inside its time); the page it redirects to is then read as its own
request. Names: a read is named by its page ("action", "activities?status"), a write "write: …", the
sign-in "sign in" (its time is mostly the password hash, by design: it is reported apart).

A write the rules refuse (the expert was booked meanwhile, the activity moved) is a normal answer and not
an error: it is counted under "refused" in the summary. An error is any 5xx, any 4xx the journey did not
expect, or a page without the content it must have.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from forms import form, links, own_form  # noqa: E402

ACCOUNTS = json.loads(Path(os.environ.get("PEERFLOW_ACCOUNTS", "accounts.json")).read_text())
PASSWORD = os.environ.get("PEERFLOW_PASSWORD", "peerflow-demo")
WAIT = tuple(float(x) for x in os.environ.get("LOCUST_WAIT", "3,10").split(","))
CITIES = ("Lima", "Quito", "La Paz", "San José", "Bogotá", "Santo Domingo", "Montevideo", "Asunción")
ACTION_FILTERS = ("status=running", "status=assessment", "region=LAC", "q=migration", "status=running&region=LAC",
                  "status=closed", "")
ACTIVITY_FILTERS = ("status=planned", "status=confirmed", "kind=workshop", "status=planned&kind=training", "")
REFUSED = re.compile(r'class="alert alert-(danger|warning)')

_claimed: dict[str, int] = {}
TALLY: Counter[tuple[str, str]] = Counter()  # ("cold" | "warm" | "refused", request name) -> count
SIGN_INS: Counter[int] = Counter()  # milliseconds -> count, over the whole run (the ramp-up included)
CACHE = re.compile(r'cache;desc="?(cold|warm)')


@events.request.add_listener
def _cache_state(name: str, response_time: float = 0, response=None, exception=None, **_kw) -> None:
    """Whether the server computed the page's remembered parts (cold) or found them all (warm), from its
    Server-Timing header; pages that remember nothing say neither."""
    if name == "sign in":
        SIGN_INS[round(response_time)] += 1
    if response is not None and exception is None:
        found = CACHE.search(response.headers.get("Server-Timing", ""))
        if found:
            TALLY[found.group(1), name] += 1


@events.reset_stats.add_listener
def _reset() -> None:
    """The ramp-up is over: count the steady state only (the sign-ins stay, they happen in the ramp-up)."""
    TALLY.clear()


@events.quitting.add_listener
def _summary(environment, **_kw) -> None:
    """Write the run's figures as one JSON object to PEERFLOW_LOCUST_SUMMARY (bench/load-mixed.sh prints them)."""
    out = os.environ.get("PEERFLOW_LOCUST_SUMMARY")
    if out:
        Path(out).write_text(json.dumps(summary(environment.stats)))


def _percentiles(times: Counter) -> dict[str, float | int]:
    total = sum(times.values())
    found: dict[str, float | int] = {"count": total}
    for label, share in (("p50_ms", 0.50), ("p95_ms", 0.95), ("p99_ms", 0.99)):
        rank, seen = max(1, round(share * total + 0.4999)), 0  # nearest rank
        found[label] = 0
        for value in sorted(times):
            seen += times[value]
            if seen >= rank:
                found[label] = value
                break
    return found


def kind_of(name: str) -> str:
    return "sign-in" if name == "sign in" else "write" if name.startswith("write: ") else "read"


def summary(stats) -> dict:
    """Per request name and per kind (read, write, sign-in): count, p50/p95/p99 (ms), errors; cold counts."""
    pages, kinds = {}, {"read": Counter(), "write": Counter(), "sign-in": Counter()}
    errors = {"read": 0, "write": 0, "sign-in": 0}
    for (name, _method), entry in stats.entries.items():
        times = Counter(entry.response_times)
        kinds[kind_of(name)].update(times)
        errors[kind_of(name)] += entry.num_failures
        pages[name] = {**_percentiles(times), "errors": entry.num_failures,
                       "cold": TALLY["cold", name], "warm": TALLY["warm", name], "refused": TALLY["refused", name]}
    cold, warm = sum(p["cold"] for p in pages.values()), sum(p["warm"] for p in pages.values())
    total = stats.total
    seconds = max(1e-9, (total.last_request_timestamp or 0) - (total.start_time or 0))
    return {"pages": pages, "kinds": {kind: {**_percentiles(times), "errors": errors[kind]}
                                      for kind, times in kinds.items()},
            "errors": total.num_failures, "requests": total.num_requests, "rps": total.num_requests / seconds,
            "sign_in": _percentiles(SIGN_INS), "cold": cold, "warm": warm, "refused": sum(p["refused"] for p in pages.values()),
            "failures": [{"name": f.name, "error": str(f.error), "count": f.occurrences}
                         for f in stats.errors.values()][:20]}


def account(role: str) -> str:
    """The next account of this role: users of one role spread over its accounts."""
    emails = ACCOUNTS[role]
    n = _claimed.get(role, 0)
    _claimed[role] = n + 1
    return emails[n % len(emails)]


class Journey(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        self.email = account(self.role)
        page = self.read("/login", "sign-in page")
        found = own_form(page, "/login")
        with self.client.post("/login", data={**(found.fields if found else {}), "email": self.email,
                                              "password": PASSWORD},
                              name="sign in", allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 302 or "/login" in answer.headers.get("Location", "/login"):
                answer.failure(f"{self.email} could not sign in ({answer.status_code})")
                raise RuntimeError(f"sign-in failed for {self.email}")
        self.read("/home", "home")

    # --- Reading and writing like a browser --------------------------------------------------------------

    def read(self, url: str, name: str, *, must: str | None = None) -> str:
        with self.client.get(url, name=name, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{url}: {answer.status_code}")
                return ""
            if must and must not in answer.text:
                answer.failure(f"{url}: no {must!r} on the page")
            return answer.text

    def write(self, url: str, data: dict, name: str, *, landing: str) -> bool:
        """POST a form (no redirect followed inside its time), then read the page it leads to, as a browser.
        False when the rules refused it (the page says why)."""
        with self.client.post(url, data=data, name=f"write: {name}", allow_redirects=False,
                              catch_response=True) as answer:
            if answer.status_code == 302:
                target = answer.headers["Location"]
            elif answer.status_code in (200, 409, 422):  # the form again, with its messages: a refusal
                TALLY["refused", f"write: {name}"] += 1
                answer.success()
                return False
            else:
                answer.failure(f"POST {url}: {answer.status_code}")
                return False
        page = self.read(target, landing)
        if REFUSED.search(page):
            TALLY["refused", f"write: {name}"] += 1
            return False
        return True

    def pick(self, page: str, pattern: str) -> str | None:
        found = links(page, pattern)
        return random.choice(found) if found else None


class Officer(Journey):
    """Programme staff: the Action list with filters, an Action, its activities, staffing, the dashboard."""

    weight = 30
    role = "officer"

    def an_activity(self) -> tuple[str, str] | None:
        listed = self.read("/activities/?" + random.choice(ACTIVITY_FILTERS[:2]), "activities?filters")
        url = self.pick(listed, r"/activities/\d+")
        return (url, self.read(url, "activity")) if url else None

    @task(6)
    def home(self) -> None:
        self.read("/home", "home")

    @task(8)
    def actions(self) -> None:
        listed = self.read("/actions/?" + random.choice(ACTION_FILTERS), "actions?filters")
        url = self.pick(listed, r"/actions/\d+")
        if url:
            action = self.read(url, "action")
            activity = self.pick(action, r"/activities/\d+")
            if activity:
                self.read(activity, "activity")

    @task(5)
    def staffing(self) -> None:
        found = self.an_activity()
        if not found:
            return
        slot = self.pick(found[1], r"/slots/\d+/suggestions")
        if not slot:
            return
        page = self.read(slot, "suggestions")
        if random.random() < 0.6:
            invite = form(page, r"/slots/\d+/deployments$")
            if invite:
                self.write(invite.action, invite.values(), "invite an expert", landing="activity")

    @task(4)
    def edit_activity(self) -> None:
        found = self.an_activity()
        if not found:
            return
        url = found[0] + "/edit"
        page = self.read(url, "activity edit form")
        edit = own_form(page, url)
        if edit:
            self.write(url, edit.values(city=random.choice(CITIES)), "edit an activity", landing="activity")

    @task(2)
    def postpone(self) -> None:
        found = self.an_activity()
        if not found or f'href="{found[0]}/postpone"' not in found[1]:
            return
        url = found[0] + "/postpone"
        page = self.read(url, "postpone form")
        moved = own_form(page, url)
        start = re.search(r'name="start_date"[^>]*value="([\d-]+)"', page) or re.search(
            r'value="([\d-]+)"[^>]*name="start_date"', page)
        if not moved:
            return
        first = date.fromisoformat(start.group(1)) if start else date.today() + timedelta(days=60)
        days = random.choice((7, 14, 21))
        end = re.search(r'name="end_date"[^>]*value="([\d-]+)"', page)
        last = date.fromisoformat(end.group(1)) if end else first
        self.write(url, moved.values(start_date=(first + timedelta(days=days)).isoformat(),
                                     end_date=(last + timedelta(days=days)).isoformat(),
                                     reason="The partner asked to move it (load test)."),
                   "postpone an activity", landing="activity")

    @task(3)
    def lists(self) -> None:
        choice = random.random()
        if choice < 0.4:
            self.read("/deployments/?status=invited", "deployments?filters")
        elif choice < 0.8:
            self.read("/experts/?language=es", "experts?filters")
        else:
            self.read("/requests/?status=submitted", "requests?filters")

    @task(2)
    def dashboard(self) -> None:
        self.read("/dashboard/", "dashboard")

    @task(1)
    def export(self) -> None:
        self.read(random.choice(("/exports/activities.csv?status=planned", "/exports/actions.csv?status=running")),
                  "CSV export")


class Admin(Officer):
    weight = 3
    role = "admin"

    @task(2)
    def users(self) -> None:
        self.read("/admin/users", "admin users")


class Expert(Journey):
    """Experts: their home, their assignments, an activity they are on, answering an invitation."""

    weight = 25
    role = "expert"

    @task(4)
    def home(self) -> None:
        self.read("/home", "home")

    @task(4)
    def assignments(self) -> None:
        page = self.read("/me", "my assignments")
        url = self.pick(page, r"/activities/\d+")
        if url:
            self.read(url, "activity")

    @task(4)
    def answer(self) -> None:
        page = self.read("/me", "my assignments")
        accept = form(page, r"/deployments/\d+/events/accept$")
        if accept is None:
            return
        if random.random() < 0.7:
            self.write(accept.action, accept.values(), "answer an invitation", landing="my assignments")
        else:
            decline = form(page, re.escape(accept.action.replace("/accept", "/decline")) + "$")
            if decline:
                self.write(decline.action, decline.values(reason="Not available then (load test)."),
                           "answer an invitation", landing="my assignments")

    @task(1)
    def notifications(self) -> None:
        self.read("/notifications/", "notifications")


class Requester(Journey):
    """A partner administration: its requests and Actions, drafting and submitting a new request."""

    weight = 20
    role = "requester"

    @task(4)
    def home(self) -> None:
        self.read("/home", "home")

    @task(3)
    def requests(self) -> None:
        page = self.read("/requests/", "requests")
        url = self.pick(page, r"/requests/\d+")
        if url:
            self.read(url, "request")

    @task(3)
    def actions(self) -> None:
        page = self.read("/actions/", "actions")
        url = self.pick(page, r"/actions/\d+")
        if url:
            self.read(url, "action")

    @task(2)
    def submit_request(self) -> None:
        page = self.read("/requests/new", "request form")
        new = own_form(page, "/requests/new")
        if new is None:
            return
        themes = [v for v in new.selects.get("thematic_area_id", []) if v]
        data = new.values(title=f"Support for the migration directorate ({random.randint(1, 10**6)})",
                          thematic_area_id=random.choice(themes) if themes else "",
                          description="Training for border officials on identifying victims of trafficking.",
                          desired_start=(date.today() + timedelta(days=120)).isoformat())
        with self.client.post("/requests/new", data=data, name="write: draft a request", allow_redirects=False,
                              catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"draft: {answer.status_code}")
                return
            target = answer.headers["Location"]
        shown = self.read(target, "request")
        submit = form(shown, r"/requests/\d+/events/submit$")
        if submit:
            self.write(submit.action, submit.values(), "submit a request", landing="request")


class FocalPoint(Journey):
    """A member state's focal point: its experts, the releases awaited, approving one."""

    weight = 10
    role = "ms_focal_point"

    @task(3)
    def home(self) -> None:
        self.read("/home", "home")

    @task(2)
    def experts(self) -> None:
        page = self.read("/experts/", "experts")
        url = self.pick(page, r"/experts/\d+")
        if url:
            self.read(url, "expert")

    @task(2)
    def releases(self) -> None:
        page = self.read("/deployments/releases", "releases awaited")
        release = form(page, r"/deployments/\d+/release$")
        if release and random.random() < 0.6:
            self.write(release.action, release.values(), "approve a release", landing="releases awaited")


class Steering(Journey):
    weight = 2
    role = "steering"

    @task(2)
    def home(self) -> None:
        self.read("/home", "home")

    @task(1)
    def consultations(self) -> None:
        self.read("/steering/consultations", "consultations")


class Public(HttpUser):
    """Anyone: the public catalogue and its map."""

    weight = 5
    wait_time = between(*WAIT)

    @task(3)
    def catalogue(self) -> None:
        page = self.client.get("/catalogue/?region=LAC", name="catalogue?filters").text
        found = links(page, r"/catalogue/actions/\d+")
        if found:
            self.client.get(random.choice(found), name="catalogue action")

    @task(1)
    def map(self) -> None:
        self.client.get("/catalogue/map.json", name="map data")
