"""The production set-up, end to end: gunicorn with 2 workers (deploy/gunicorn.conf.py, as systemd and
the Procfile start it) on the suite's database, driven over real HTTP.

- The database is the suite's: PostgreSQL when DATABASE_URL names one (in a schema of its own,
  "gunicorn", so neither the other tests' nor the browser journeys' rows are touched), else a
  SQLite file of its own. A PostgreSQL that does not answer skips, or fails in CI, as everywhere.
- No browser: plain HTTP with a cookie jar, the CSRF token read from each form as a browser sends it.
- gunicorn binds port 0 and the test reads the port it got from its log, so runs never collide.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from config import Config
from workflow import create_app
from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.extensions import db
from workflow.reference.services import ensure_reference_data

from .. import dbsetup  # not its functions by name: pytest would collect `test_database_url` as a test
from ..factories import PASSWORD, make_action, make_institution, make_user

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
START_TIMEOUT = 60  # seconds for gunicorn to boot its workers and answer /readyz
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
OFFICER_EMAIL = "gunicorn.officer@peerflow.example.org"


@pytest.fixture(scope="session")
def chromium_executable() -> None:
    """Overrides the e2e folder's autouse fixture: this module needs no browser, so no Chromium either."""
    return None


@dataclass
class Gunicorn:
    url: str
    log: Path
    process: subprocess.Popen
    action_id: int
    action_name: str
    officer_id: int
    responses: list[requests.Response] = field(default_factory=list)

    def lines(self) -> list[dict]:
        """The JSON log lines written so far (gunicorn's and the app's)."""
        out = []
        for raw in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            if raw.startswith("{"):
                try:
                    out.append(json.loads(raw))
                except json.JSONDecodeError:
                    pass
        return out

    def requests_logged(self) -> list[dict]:
        return [line for line in self.lines() if line.get("logger") == "workflow.request"]

    def session(self) -> requests.Session:
        """A cookie jar whose every response is kept, to check each one carries a request id."""
        http = requests.Session()
        http.hooks["response"].append(lambda response, *args, **kwargs: self.responses.append(response))
        return http


def gunicorn_database_url(tmp_dir: Path) -> str:
    url = dbsetup.test_database_url(tmp_dir, name="peerflow-gunicorn")
    if url.startswith("sqlite"):
        return url
    return url + ("&" if "?" in url else "?") + "options=-csearch_path%3Dgunicorn"


def _seed(url: str, upload_dir: Path) -> tuple[int, int, str]:
    """Reference data, an officer who signs in with a password, and one closed Action to publish."""
    app = create_app(Config(DATABASE_URL=url, SECRET_KEY="seed", UPLOAD_DIR=str(upload_dir), ENV_NAME="testing"))
    try:
        with app.app_context():
            session = db.session
            ensure_reference_data(session)
            session.commit()
            peru = make_institution(session, "PE", name="Ministerio del Interior", acronym="MININTER")
            officer = make_user(session, Role.OFFICER, email=OFFICER_EMAIL)
            action = make_action(session, officer, beneficiary=peru, status=ActionStatus.CLOSED, name="Peru Gunicorn")
            action.objective = "Strengthen the fight against trafficking in human beings."
            session.commit()
            ids = officer.id, action.id, action.name
            db.session.remove()
    finally:
        db.engine_of(app).dispose()
    return ids


def _wait_for_port(log: Path, process: subprocess.Popen) -> int:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read_text(errors='replace')}", pytrace=False)
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text(errors="replace"))
        if found:
            return int(found.group(1))
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not start within {START_TIMEOUT} s:\n{log.read_text(errors='replace')}", pytrace=False)


def _wait_until_ready(url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last = None
    while time.monotonic() < deadline:
        try:
            # A worker's first answer can take seconds on a busy machine (two CI suites side by side): a slow
            # answer is waited for, like a refused connection, until the deadline.
            if requests.get(url + "/healthz", timeout=15).status_code == 200:
                last = requests.get(url + "/readyz", timeout=15)
                if last.status_code == 200:
                    return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)
    pytest.fail(f"not ready: {last.text if last is not None else 'no answer'}\n{log.read_text(errors='replace')}",
                pytrace=False)


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gunicorn]:
    url = gunicorn_database_url(tmp_path_factory.mktemp("gunicorn-db"))
    dbsetup.reachable_or_skip(url)
    dbsetup.build_schema(url, pg_schema="gunicorn").dispose()
    uploads = tmp_path_factory.mktemp("gunicorn-uploads")
    officer_id, action_id, action_name = _seed(url, uploads)

    log = tmp_path_factory.mktemp("gunicorn-log") / "gunicorn.log"
    env = {key: value for key, value in os.environ.items()
           if key not in {"REDIS_URL", "LOG_FORMAT", "PROXY_FIX", "GUNICORN_THREADS", "SMTP_HOST"}}
    env.update(
        DATABASE_URL=url,
        PEERFLOW_ENV="production",  # as deployed: a SECRET_KEY is required and the logs are JSON
        SECRET_KEY="5f1c0d9e2b7a48c6a3e1f0d2c4b6a8e09d7c5b3a1f2e4d6c8b0a9f7e5d3c1b2a",  # production wants 32+
        SESSION_COOKIE_SECURE="false",  # plain HTTP on loopback: a Secure cookie would never come back
        PEERFLOW_BASE_URL="http://127.0.0.1",
        UPLOAD_DIR=str(uploads),
        WEB_CONCURRENCY="2",
        BIND="127.0.0.1:0",
    )
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF)],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )
    try:
        port = _wait_for_port(log, process)
        server = Gunicorn(url=f"http://127.0.0.1:{port}", log=log, process=process, action_id=action_id,
                          action_name=action_name, officer_id=officer_id)
        _wait_until_ready(server.url, log)
        yield server
    finally:
        process.terminate()  # the master stops its workers gracefully on SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def csrf_token(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_health_and_readiness_through_gunicorn(gunicorn: Gunicorn) -> None:
    health = requests.get(gunicorn.url + "/healthz", timeout=10)
    assert health.status_code == 200 and health.text.strip() == "ok"
    ready = requests.get(gunicorn.url + "/readyz", timeout=10)
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "migrations": "ok", "redis": "not configured"}


def test_a_signed_in_journey_over_http_on_two_workers(gunicorn: Gunicorn) -> None:
    http = gunicorn.session()
    base = gunicorn.url

    login = http.get(base + "/login", timeout=10)
    assert login.status_code == 200
    signed_in = http.post(base + "/login", data={"csrf_token": csrf_token(login.text), "email": OFFICER_EMAIL,
                                                 "password": PASSWORD}, timeout=10)
    assert signed_in.status_code == 200 and signed_in.url.endswith("/home"), signed_in.text[:500]

    home = http.get(base + "/home", timeout=10)
    assert home.status_code == 200
    actions = http.get(base + "/actions/", timeout=10)
    assert actions.status_code == 200 and gunicorn.action_name in actions.text

    page = http.get(f"{base}/actions/{gunicorn.action_id}", timeout=10)
    assert page.status_code == 200 and "Not public" in page.text
    form = re.search(r'<form method="post" action="(/actions/\d+/publish)".*?</form>', page.text, re.S)
    assert form, "no publish form on the Action page"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(0)))
    assert fields["publish"] == "1"
    published = http.post(base + form.group(1), data=fields, timeout=10,
                          headers={"X-Request-ID": "journey-publish-0001"})
    assert published.status_code == 200
    assert f"{gunicorn.action_name} is now in the public catalogue." in published.text

    # Read back: the staff page says so, and a visitor (no cookies) sees the public page.
    again = http.get(f"{base}/actions/{gunicorn.action_id}", timeout=10)
    assert "In the public catalogue" in again.text
    public = requests.get(f"{base}/catalogue/actions/{gunicorn.action_id}", timeout=10)
    assert public.status_code == 200 and "Strengthen the fight against trafficking" in public.text

    # Every response (redirects included) carried a request id; the one we sent came back on the
    # redirect it started, and an id that is not a sane token was replaced.
    assert gunicorn.responses and all(r.headers.get("X-Request-ID") for r in gunicorn.responses)
    assert published.history[0].headers["X-Request-ID"] == "journey-publish-0001"
    odd = requests.get(base + "/healthz", headers={"X-Request-ID": "no spaces <allowed>"}, timeout=10)
    assert re.fullmatch(r"[0-9a-f]{32}", odd.headers["X-Request-ID"])

    # The publishing POST was logged once, as JSON, with the officer's id and the request id we sent.
    logged = [line for line in gunicorn.requests_logged()
              if line.get("request_id") == "journey-publish-0001" and line["method"] == "POST"]
    assert len(logged) == 1 and logged[0]["status"] == 302
    assert logged[0]["user_id"] == gunicorn.officer_id and logged[0]["path"] == form.group(1)
    assert isinstance(logged[0]["duration_ms"], float)

    # Both workers serve: requests in parallel until two different worker pids have logged a request.
    workers = set()
    for _round in range(10):
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda _i: requests.get(base + "/login", timeout=10), range(24)))
        assert all(answer.status_code == 200 for answer in answers)
        workers = {line["pid"] for line in gunicorn.requests_logged()}
        if len(workers) >= 2:
            break
    assert len(workers) == 2, f"requests were served by {workers}"
    assert gunicorn.process.pid not in workers  # the master only supervises

    # Nothing went wrong on the server's side along the way.
    lines = gunicorn.lines()
    assert not [line for line in lines if line.get("level") in {"error", "critical"}]
    assert not [line for line in gunicorn.requests_logged() if line["status"] >= 500]
