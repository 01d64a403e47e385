"""Two nodes, one truth: two web nodes and two schedulers on one PostgreSQL and one Redis, behind nginx.

- Two gunicorn instances (deploy/gunicorn.conf.py, 2 workers each) on their own ports are the web nodes;
  Debian's nginx runs `deploy/nginx-peerflow.conf` in front (its TLS server, with a throw-away certificate;
  its upstream with both nodes), as a non-root process under a temporary prefix; a redis-server of the
  test's own on a free port; two `flask --app workflow scheduler` processes, each passing every second.
- Which node served a request is read from the nodes' own logs: nginx hands each request an id
  (X-Request-ID), the node that served it logs the id, and the response carries it back.
- PostgreSQL only (in the schema "nodes" of the suite's database): two machines cannot share one SQLite
  file, so the SQLite run of the suite skips this module (the PostgreSQL run of `.ci/run` runs it).
  Without nginx, redis-server or openssl it skips, saying which is missing; with CI set, that fails.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import Config
from tests.smtp import SMTPServer, free_port
from workflow import create_app
from workflow.accounts.models import Role, User
from workflow.actions.lifecycle import ActionStatus
from workflow.extensions import db
from workflow.reference.services import ensure_reference_data
from workflow.reminders.dispatch import message_id
from workflow.reminders.models import Reminder, ReminderState
from workflow.requests.lifecycle import RequestEvent
from workflow.requests.services import RequestDraft, apply_request_event, create_request

from .. import dbsetup
from ..factories import PASSWORD, make_action, make_institution, make_user, theme
from .test_gunicorn import GUNICORN_CONF, ROOT, START_TIMEOUT, csrf_token

SITE = ROOT / "deploy" / "nginx-peerflow.conf"
SCHEMA = "nodes"
BASE_URL = "https://peerflow.example.org"
SECRET = "7c2e9a41d0b85f36e1a4c7d92b0f58e3a6d1c4b7e0f29a58d3c6b1e4f7a0d2c5"
OFFICER_EMAIL = "nodes.officer@peerflow.example.org"
TARGET_EMAIL = "nodes.target@peerflow.example.org"  # the account whose password is guessed at
REQUESTER_EMAIL = "nodes.requester@peerflow.example.org"
STALE_SECONDS = 6  # OUTBOX_STALE_CLAIM_SECONDS: a killed scheduler's claims go back after this long
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(scope="session")
def chromium_executable() -> None:
    """Overrides the e2e folder's autouse fixture: no browser here."""
    return None


def _needed(program: str) -> str:
    path = shutil.which(program) or next((p for p in (f"/usr/sbin/{program}", f"/sbin/{program}")
                                          if os.access(p, os.X_OK)), None)
    if path is None:
        reason = f"the two-node test needs `{program}` (Debian: apt-get install nginx redis-server openssl)"
        if dbsetup.IN_CI:
            pytest.fail(f"CI is set, so a missing program is an error: {reason}", pytrace=False)
        pytest.skip(reason)
    return path


def _postgresql_url() -> str:
    url = os.environ.get("DATABASE_URL") or ""
    if not url.startswith("postgresql"):
        pytest.skip("two web nodes share one PostgreSQL database (a SQLite file cannot be shared between machines): "
                    "this module runs in the PostgreSQL run of the suite (DATABASE_URL=postgresql+psycopg://…)")
    url = dbsetup.test_database_url(Path("."), name="unused")
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{SCHEMA}"


# --- The data -------------------------------------------------------------------------------------------


def local_app(url: str, uploads: Path) -> Flask:
    """The app in the test's own process, on the nodes' database: to write the data and read it back."""
    return create_app(Config(DATABASE_URL=url, SECRET_KEY="seed", UPLOAD_DIR=str(uploads), ENV_NAME="testing"))


@contextmanager
def database_session(app: Flask) -> Iterator[Session]:
    with app.app_context():
        try:
            yield db.session
        finally:
            db.session.remove()


def _seed(app: Flask) -> dict[str, object]:
    """An officer, an account to guess at, a requester, and a closed Action to publish."""
    with database_session(app) as session:
        ensure_reference_data(session)
        session.commit()
        peru = make_institution(session, "PE", name="Ministerio del Interior", acronym="MININTER")
        officer = make_user(session, Role.OFFICER, email=OFFICER_EMAIL)
        make_user(session, Role.EXPERT, email=TARGET_EMAIL)
        make_user(session, Role.REQUESTER, institution=peru, email=REQUESTER_EMAIL)
        action = make_action(session, officer, beneficiary=peru, status=ActionStatus.CLOSED, name="Peru Two Nodes")
        action.objective = "Strengthen the border management of two nodes."  # the catalogue shows it
        session.commit()
        return {"action_id": action.id, "action_name": action.name}


def submit_old_requests(app: Flask, count: int, label: str) -> None:
    """`count` requests submitted 200 days ago: each has a review chaser due now for the officer."""
    long_ago = datetime.now(UTC) - timedelta(days=200)
    with database_session(app) as session:
        session.info["now"] = datetime.now(UTC)
        requester = session.scalar(select(User).where(User.email == REQUESTER_EMAIL))
        area = theme(session).id
        for n in range(count):
            request = create_request(session, RequestDraft(title=f"{label} request {n}", description="Peers, please.",
                                                           thematic_area_id=area), actor=requester, now=long_ago)
            apply_request_event(session, request, RequestEvent.SUBMIT, actor=requester, now=long_ago)
        session.commit()


def reminders_due(app: Flask, until: datetime) -> dict[str, str]:
    """Message-ID -> state of every reminder due by `until`."""
    with database_session(app) as session:
        rows = session.scalars(select(Reminder).where(Reminder.due_at <= until)).all()
        return {message_id(r, BASE_URL): r.state.value for r in rows}


def unsent(app: Flask, until: datetime) -> int:
    with database_session(app) as session:
        return session.scalar(select(func.count()).select_from(Reminder).where(
            Reminder.due_at <= until, Reminder.state.in_([ReminderState.PENDING, ReminderState.SENDING]))) or 0


# --- The processes -------------------------------------------------------------------------------------


@dataclass
class Node:
    name: str
    log: Path
    process: subprocess.Popen
    port: int = 0

    def request_ids(self) -> set[str]:
        ids = set()
        for raw in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            if raw.startswith("{") and '"workflow.request"' in raw:
                try:
                    ids.add(json.loads(raw).get("request_id"))
                except json.JSONDecodeError:
                    pass
        return ids


@dataclass
class Cluster:
    url: str  # nginx
    app: Flask  # the test's own, on the same database
    nodes: tuple[Node, Node]
    schedulers: dict[str, subprocess.Popen]
    smtp: SMTPServer
    redis_port: int
    facts: dict[str, object]
    certificate: Path

    def node_of(self, response: requests.Response) -> str:
        """Which web node ("A" or "B") served `response`, from the id nginx gave it and the node's log."""
        request_id = response.headers.get("X-Request-ID")
        assert request_id, f"no X-Request-ID on {response.url}"
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            for node in self.nodes:
                if request_id in node.request_ids():
                    return node.name
            time.sleep(0.05)
        raise AssertionError(f"neither node logged the request {request_id}")

    def on_each_node(self, fetch: Callable[[], requests.Response]) -> dict[str, requests.Response]:
        """Repeat `fetch` until each node has answered it once (nginx takes the nodes in turn)."""
        answers: dict[str, requests.Response] = {}
        for _ in range(12):
            response = fetch()
            answers.setdefault(self.node_of(response), response)
            if len(answers) == 2:
                return answers
        raise AssertionError(f"only node(s) {sorted(answers)} answered")

    def session(self) -> requests.Session:
        """A cookie jar that trusts the test's certificate (and no *_CA_BUNDLE from the environment)."""
        http = requests.Session()
        http.trust_env, http.verify = False, str(self.certificate)
        http.headers["Referer"] = self.url + "/"  # as a browser sends it: CSRF checks it over HTTPS
        return http


def _start_node(name: str, env: dict[str, str], folder: Path) -> Node:
    log = folder / f"node-{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF)], cwd=ROOT, env=env,
                                   stdout=sink, stderr=subprocess.STDOUT)
    return Node(name, log, process)


def _listening_port(node: Node) -> int:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = node.log.read_text(errors="replace")
        if node.process.poll() is not None:
            pytest.fail(f"node {node.name} exited with {node.process.returncode}:\n{text}", pytrace=False)
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", text)
        if found:
            return int(found.group(1))
        time.sleep(0.1)
    pytest.fail(f"node {node.name} did not start:\n{node.log.read_text(errors='replace')}", pytrace=False)


def site_config(ports: tuple[int, int], listen: int, certificate: Path, key: Path) -> str:
    """deploy/nginx-peerflow.conf with the test's addresses: its TLS server on `listen` with a throw-away
    certificate, the two nodes in its upstream (node B's line uncommented), the static files from this tree.
    The plain-HTTP server (the redirect and certbot's challenge) is left out: port 80 needs root."""
    text = SITE.read_text(encoding="utf-8")
    upstream = re.search(r"upstream peerflow \{.*?\n\}", text, re.S)
    assert upstream, "no `upstream peerflow` in deploy/nginx-peerflow.conf"
    lines = re.findall(r"^\s*#?\s*(server \S+:8000[^;]*;)", upstream.group(0), re.M)
    assert len(lines) == 2, f"the shipped upstream should name two nodes (one commented out): {lines}"
    nodes = "\n".join("    " + re.sub(r"\S+:8000", f"127.0.0.1:{port}", line) for line, port in zip(lines, ports, strict=True))
    text = text.replace(upstream.group(0), "upstream peerflow {\n" + nodes + "\n}")
    plain = re.search(r"server \{\s*listen 80;.*?\n\}\n", text, re.S)
    assert plain, "no plain-HTTP server block"
    text = text.replace(plain.group(0), "")
    text = re.sub(r"listen 443 ssl http2;", f"listen 127.0.0.1:{listen} ssl http2;", text)
    text = re.sub(r"\n\s*listen \[::\]:443 ssl http2;", "", text)
    text = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {certificate};", text)
    text = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", text)
    # On a port other than 443, `$host` (the name without its port) would make the app think the browser's
    # Origin and Referer are another site's: the node is told the host and port the browser used.
    text = text.replace("Host $host;", "Host $http_host;")
    return text.replace("alias /opt/peerflow/static/;", f"alias {ROOT / 'static'}/;")


def _start_nginx(nginx: str, openssl: str, ports: tuple[int, int], prefix: Path) -> tuple[subprocess.Popen, int, Path]:
    """nginx in the foreground under `prefix`; started as root (a CI container), it drops to nobody first."""
    certificate, key = prefix / "cert.pem", prefix / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-subj", "/CN=peerflow.example.org", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True)
    listen = free_port()
    (prefix / "peerflow.conf").write_text(site_config(ports, listen, certificate, key), encoding="utf-8")
    temp = {name: prefix / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    (prefix / "nginx.conf").write_text(f"""
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    {''.join(f'{name}_temp_path {path}; ' for name, path in temp.items())}
    include {prefix}/peerflow.conf;
}}
""", encoding="utf-8")
    as_root = os.geteuid() == 0
    if as_root:  # nginx itself never runs as root here: the prefix becomes nobody's, and nginx starts as nobody
        for path in [prefix, *prefix.iterdir()]:
            os.chown(path, 65534, 65534)
    with (prefix / "stderr.log").open("wb") as sink:
        process = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e",
                                    str(prefix / "error.log")], stdout=sink, stderr=subprocess.STDOUT,
                                   **({"user": 65534, "group": 65534} if as_root else {}))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx exited with {process.returncode}:\n{(prefix / 'error.log').read_text(errors='replace')}"
                        f"{(prefix / 'stderr.log').read_text(errors='replace')}", pytrace=False)
        try:
            # The nodes' first answer can take seconds on a busy machine (two CI suites side by side):
            # a slow answer is waited for, like a refused connection, until the deadline.
            requests.get(f"https://127.0.0.1:{listen}/healthz", verify=str(certificate), timeout=15)
            return process, listen, certificate
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    pytest.fail("nginx did not answer", pytrace=False)


def _stop_all(processes: list[subprocess.Popen]) -> None:
    """SIGINT to all at once (gunicorn's, nginx's and redis-server's quick shutdown, Ctrl-C for the scheduler),
    then wait for each; one still there after 20 s is killed."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 20
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    programs = {name: _needed(name) for name in ("nginx", "redis-server", "openssl")}
    url = _postgresql_url()
    dbsetup.reachable_or_skip(url)
    dbsetup.build_schema(url, pg_schema=SCHEMA).dispose()
    folder = tmp_path_factory.mktemp("two-nodes")
    uploads = folder / "shared-uploads"  # one directory both nodes see (a shared file system in production)
    uploads.mkdir()

    started: list[subprocess.Popen] = []
    prefix: Path | None = None
    app: Flask | None = None
    smtp = SMTPServer().start()
    redis_port = free_port()
    started.append(subprocess.Popen([programs["redis-server"], "--port", str(redis_port), "--bind", "127.0.0.1",
                                     "--save", "", "--appendonly", "no", "--dir", str(folder)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    env = {key: value for key, value in os.environ.items()
           if key not in {"LOG_FORMAT", "GUNICORN_THREADS", "HSTS_SECONDS", "SESSION_COOKIE_SECURE"}}
    env.update(DATABASE_URL=url, PEERFLOW_ENV="production", SECRET_KEY=SECRET, PEERFLOW_BASE_URL=BASE_URL,
               PROXY_FIX="1", UPLOAD_DIR=str(uploads), REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
               SMTP_HOST=smtp.host, SMTP_PORT=str(smtp.port), WEB_CONCURRENCY="2", BIND="127.0.0.1:0",
               SCHEDULER_INTERVAL_SECONDS="1", OUTBOX_STALE_CLAIM_SECONDS=str(STALE_SECONDS))
    try:
        # Everything starts at once, and the data is written while the processes load the app.
        nodes = (_start_node("A", env, folder), _start_node("B", env, folder))
        started += [node.process for node in nodes]
        schedulers = {}
        for name in ("a", "b"):
            with (folder / f"scheduler-{name}.log").open("wb") as log:
                schedulers[name] = subprocess.Popen(
                    [sys.executable, "-m", "flask", "--app", "workflow", "scheduler"], cwd=ROOT,
                    env={**env, "MAIL_FROM": f"scheduler-{name}@peerflow.example.org"}, stdout=log,
                    stderr=subprocess.STDOUT)
            started.append(schedulers[name])
        app = local_app(url, uploads)
        facts = _seed(app)
        submit_old_requests(app, 5, "First")  # reminders due as the schedulers start
        for node in nodes:
            node.port = _listening_port(node)
        # Its own folder under /tmp (pytest's are closed to other users, and nginx runs as nobody under root).
        prefix = Path(tempfile.mkdtemp(prefix="peerflow-nginx-"))
        nginx, listen, certificate = _start_nginx(programs["nginx"], programs["openssl"],
                                                  (nodes[0].port, nodes[1].port), prefix)
        started.append(nginx)
        yield Cluster(f"https://127.0.0.1:{listen}", app, nodes, schedulers, smtp, redis_port, facts, certificate)
    finally:
        _stop_all(started)
        if app is not None:
            db.engine_of(app).dispose()
        smtp.stop()
        if prefix is not None:
            shutil.rmtree(prefix, ignore_errors=True)


def _hidden_fields(html: str, form_action: str | None) -> dict[str, str]:
    """The hidden fields of the form posting to `form_action` (None: the page's form posting to the page itself)."""
    target = rf'action="{re.escape(form_action)}"' if form_action else r'enctype="multipart/form-data"'
    form = re.search(rf'<form[^>]*{target}[^>]*>.*?</form>', html, re.S)
    assert form, f"no form posting to {form_action or 'the page'}"
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", form.group(0)):
        name, value = re.search(r'name="(\w+)"', tag), re.search(r'value="([^"]*)"', tag)
        if 'type="hidden"' in tag and name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


# --- The journey -----------------------------------------------------------------------------------------


def test_a_journey_through_nginx_is_served_by_both_nodes_as_one(cluster: Cluster) -> None:
    http = cluster.session()
    action_id, name = cluster.facts["action_id"], cluster.facts["action_name"]

    # The public catalogue, remembered on each node under the data version: warm on both, without the Action.
    before = cluster.on_each_node(lambda: cluster.session().get(cluster.url + "/catalogue/", timeout=10))
    assert all(answer.status_code == 200 and name not in answer.text for answer in before.values())

    # Signing in: the form from one node, its answer from the other (the CSRF token is in the signed session).
    login = http.get(cluster.url + "/login", timeout=10)
    signed_in = http.post(cluster.url + "/login", data={"csrf_token": csrf_token(login.text), "email": OFFICER_EMAIL,
                                                        "password": PASSWORD}, timeout=20)
    assert signed_in.status_code == 200 and signed_in.url.endswith("/home"), signed_in.text[:300]
    assert {cluster.node_of(login), cluster.node_of(signed_in.history[0])} == {"A", "B"}

    # One session, valid on both nodes: the home page of the officer from each.
    homes = cluster.on_each_node(lambda: http.get(cluster.url + "/home", timeout=10))
    assert all(home.status_code == 200 and home.url.endswith("/home") and "Sign out" in home.text
               for home in homes.values()), {node: home.url for node, home in homes.items()}

    # A write on one node…
    page = http.get(f"{cluster.url}/actions/{action_id}", timeout=10)
    fields = _hidden_fields(page.text, f"/actions/{action_id}/publish")
    published = http.post(f"{cluster.url}/actions/{action_id}/publish", data=fields, timeout=20)
    assert published.status_code == 200 and f"{name} is now in the public catalogue." in published.text
    writer = cluster.node_of(published.history[0])
    # …read on the other: the Action page, and the catalogue each node had remembered before the write.
    after = cluster.on_each_node(lambda: http.get(f"{cluster.url}/actions/{action_id}", timeout=10))
    assert "In the public catalogue" in after["B" if writer == "A" else "A"].text
    catalogue = cluster.on_each_node(lambda: cluster.session().get(cluster.url + "/catalogue/", timeout=10))
    assert all(name in answer.text for answer in catalogue.values())

    # A file uploaded through one node is downloaded through the other (UPLOAD_DIR is shared).
    form = http.get(f"{cluster.url}/actions/{action_id}/deliverables/new", timeout=10)
    data = _hidden_fields(form.text, None)
    selects = dict(re.findall(r'<select[^>]*name="(kind|language)".*?<option[^>]*value="([^"]+)"', form.text, re.S))
    data.update(selects, title="Handbook written on two nodes")
    added = http.post(f"{cluster.url}/actions/{action_id}/deliverables/new", data=data, timeout=20,
                      files={"file": ("handbook.pdf", PDF, "application/pdf")})
    assert added.status_code == 200 and "Deliverable added" in added.text, added.text[:500]
    uploader = cluster.node_of(added.history[0])
    link = re.search(r'href="(/deliverables/\d+/file)"', added.text)
    assert link, "no link to the file on the Action page"
    downloads = cluster.on_each_node(lambda: http.get(cluster.url + link.group(1), timeout=10))
    assert downloads["B" if uploader == "A" else "A"].content == PDF
    assert all(download.status_code == 200 and download.content == PDF for download in downloads.values())


def test_sign_in_failures_are_counted_across_both_nodes(cluster: Cluster) -> None:
    limit = 10  # LOGIN_THROTTLE_LIMIT
    http = cluster.session()
    token = csrf_token(http.get(cluster.url + "/login", timeout=10).text)  # one form, posted again and again

    def attempt(password: str) -> requests.Response:
        return http.post(cluster.url + "/login", data={"csrf_token": token, "email": TARGET_EMAIL,
                                                       "password": password}, timeout=20)

    served = Counter()
    for _ in range(limit):
        failed = attempt("not the password")
        assert failed.status_code == 200 and "Sign in" in failed.text
        served[cluster.node_of(failed)] += 1
    assert set(served) == {"A", "B"}, served  # neither node saw all ten
    # The next attempt is refused on whichever node takes it, even with the right password.
    refused_by = set()
    for _ in range(2):
        refused = attempt(PASSWORD)
        assert refused.status_code == 429 and refused.headers.get("Retry-After"), refused.status_code
        refused_by.add(cluster.node_of(refused))
    assert refused_by == {"A", "B"}
    # The counts live in the shared Redis.
    import redis

    keys = redis.Redis(port=cluster.redis_port).keys("peerflow:failures:*")
    assert keys, "no sign-in failure was counted in Redis"


# --- Two schedulers -----------------------------------------------------------------------------------------


def _wait_until_sent(cluster: Cluster, until: datetime, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while unsent(cluster.app, until) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert not unsent(cluster.app, until), "reminders are still waiting"


def _reminder_mail(cluster: Cluster) -> list:
    return [m for m in cluster.smtp.messages if m.message_id.startswith("<reminder-")]


def _sender(raw: bytes) -> str:
    headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
    return str(headers["From"]).split("@")[0].rsplit("-", 1)[-1]  # "a" or "b"


def test_two_schedulers_send_every_due_reminder_exactly_once(cluster: Cluster) -> None:
    assert all(process.poll() is None for process in cluster.schedulers.values())
    now = datetime.now(UTC)
    _wait_until_sent(cluster, now, timeout=30)
    due = reminders_due(cluster.app, now)
    assert len(due) >= 5 and set(due.values()) <= {"sent", "cancelled"}
    time.sleep(1.5)  # a pass or two more by each scheduler: nothing may go out again
    received = Counter(m.message_id for m in _reminder_mail(cluster))
    sent = {mid for mid, state in due.items() if state == "sent"}
    assert set(received) == sent and set(received.values()) == {1}, received


def test_killing_one_scheduler_loses_nothing(cluster: Cluster) -> None:
    before = Counter(m.message_id for m in _reminder_mail(cluster))
    cluster.smtp.slow(0.25)  # each message takes a while: a scheduler is caught in the middle of its pass
    submit_old_requests(cluster.app, 12, "Second")
    now = datetime.now(UTC)
    new = set(reminders_due(cluster.app, now)) - set(before)
    assert len(new) >= 12
    deadline = time.monotonic() + 20
    while not [m for m in _reminder_mail(cluster) if m.message_id in new] and time.monotonic() < deadline:
        time.sleep(0.05)
    first = next(m for m in _reminder_mail(cluster) if m.message_id in new)
    victim = _sender(first.raw)  # the scheduler whose pass holds the claims
    cluster.schedulers[victim].send_signal(signal.SIGKILL)
    cluster.schedulers[victim].wait(timeout=10)
    survivor = "b" if victim == "a" else "a"

    _wait_until_sent(cluster, now, timeout=STALE_SECONDS + 20)
    cluster.smtp.slow(0)
    mail = [m for m in _reminder_mail(cluster) if m.message_id in new]
    counts = Counter(m.message_id for m in mail)
    assert set(counts) == new  # every reminder arrived
    # At most the one message in flight when the process died went out twice, with the same Message-ID.
    twice = [mid for mid, n in counts.items() if n > 1]
    assert len(twice) <= 1 and max(counts.values()) <= 2, counts
    senders = Counter(_sender(m.raw) for m in mail)
    assert senders[survivor] >= len(new) - senders[victim] and senders[survivor] > 0, senders
    assert cluster.schedulers[survivor].poll() is None
