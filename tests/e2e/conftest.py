"""End-to-end fixtures: a live Peerflow on its own database, and headless Chromium driven by Playwright.

- No Chromium on the machine: the e2e tests are skipped, saying why; in CI (CI=true or 1) they fail.
- The live server is built once per session on a database of its own (a separate SQLite file, or
  the PostgreSQL schema "e2e"), so the other tests' database is never touched.
- One browser per session, a fresh browser context (cookies, storage) per test; a failing test
  leaves a full-page screenshot in test-artifacts/.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask, got_request_exception
from werkzeug.serving import make_server

from config import Config
from seed.demo import load_demo
from workflow import create_app
from workflow.accounts.models import Role
from workflow.accounts.services import create_user
from workflow.extensions import db
from workflow.reference.models import Institution, InstitutionKind
from workflow.reference.services import ensure_reference_data

from ..dbsetup import IN_CI, build_schema, reachable_or_skip, test_database_url
from .axe import PageAudit
from .support import ARTIFACTS, OFFICER, REQUESTER_BO, REQUESTER_PE, LiveServer

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright waits this long for a page, an element or an `expect` before failing: every step of
# these journeys is a local round trip, so anything slower than this is a hang, not a slow page.
TIMEOUT_MS = 10_000


def e2e_database_url(tmp_dir: Path) -> str:
    """A database for e2e alone: a SQLite file of its own, or the PostgreSQL schema "e2e"."""
    url = test_database_url(tmp_dir, name="peerflow-e2e")
    if url.startswith("sqlite"):
        return url
    return url + ("&" if "?" in url else "?") + "options=-csearch_path%3De2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives the browser is marked `e2e`, whether or not its module says so (the gunicorn and
    two-node tests use none), and those on the demo portfolio's server are marked `pages` too: .ci/run runs the
    journeys in one run of the suite and the pages in the other, with `-m`."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "browser" in fixtures:
            item.add_marker(pytest.mark.e2e)
        if "demo_server" in fixtures:
            item.add_marker(pytest.mark.pages)


# --- Chromium ------------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def chromium_executable() -> str:
    """The Debian Chromium (Playwright's own browsers are not downloaded); skip, or fail in CI, without it."""
    path = shutil.which("chromium")
    if path is None:
        reason = "the e2e tests need Chromium: no `chromium` executable on PATH (Debian: apt-get install chromium)"
        if IN_CI:
            pytest.fail(f"CI is set, so a missing browser is an error: {reason}", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser(chromium_executable: str):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test item, so `page` knows at teardown whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture()
def _audited_page(browser, live_server: LiveServer, request: pytest.FixtureRequest):
    """A page in a fresh context, with axe-core checking every page it visits (see axe.py); a journey that
    passed fails at teardown if any page had a serious or critical violation, or the policy blocked something."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="UTC",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    the_page = context.new_page()
    checker = PageAudit(the_page)
    try:
        yield the_page, checker
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.passed:
            checker.assert_clean()
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])
            try:
                the_page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            except Exception as error:  # noqa: BLE001 - a failed screenshot must not hide the test's own failure
                print(f"Could not save the failure screenshot: {error}")
        context.close()


@pytest.fixture()
def page(_audited_page):
    return _audited_page[0]


@pytest.fixture()
def audit(_audited_page) -> PageAudit:
    """The checker of `page`: journeys call `audit.check(what)` for a state reached without a navigation."""
    return _audited_page[1]


# --- The live server -----------------------------------------------------------------------------


def _seed(app: Flask) -> None:
    """Reference data, two partner institutions (Peru, Bolivia) and the people of the journeys."""
    now = datetime.now(UTC)
    with app.app_context():
        session = db.session
        ensure_reference_data(session)
        peru = Institution(
            name="Ministerio del Interior", acronym="MININTER", country_code="PE",
            kind=InstitutionKind.PARTNER_ADMINISTRATION,
        )
        bolivia = Institution(
            name="Dirección General de Migración", acronym="DIGEMIG", country_code="BO",
            kind=InstitutionKind.PARTNER_ADMINISTRATION,
        )
        session.add_all([peru, bolivia])
        session.flush()
        create_user(session, email=OFFICER.email, name=OFFICER.name, role=Role.OFFICER,
                    password=OFFICER.password, now=now)
        create_user(session, email=REQUESTER_PE.email, name=REQUESTER_PE.name, role=Role.REQUESTER,
                    password=REQUESTER_PE.password, now=now, institution_id=peru.id)
        create_user(session, email=REQUESTER_BO.email, name=REQUESTER_BO.name, role=Role.REQUESTER,
                    password=REQUESTER_BO.password, now=now, institution_id=bolivia.id)
        session.commit()
        db.session.remove()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = e2e_database_url(tmp_path_factory.mktemp("e2e-db"))
    reachable_or_skip(url)
    build_schema(url, pg_schema="e2e").dispose()
    app = create_app(
        Config(
            TESTING=False,
            DATABASE_URL=url,
            SECRET_KEY="e2e",
            UPLOAD_DIR=str(tmp_path_factory.mktemp("e2e-uploads")),
            ENV_NAME="testing",
        )
    )
    engine = db.engine_of(app)
    _seed(app)

    server = LiveServer(url="", app=app, officer=OFFICER, requester_pe=REQUESTER_PE, requester_bo=REQUESTER_BO)
    try:
        with serving(server):
            yield server
    finally:
        if engine is not None:
            engine.dispose()


def demo_database_url(tmp_dir: Path) -> str:
    url = test_database_url(tmp_dir, name="peerflow-e2e-demo")
    if url.startswith("sqlite"):
        return url
    return url + ("&" if "?" in url else "?") + "options=-csearch_path%3De2e_demo"


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Peerflow with the demo portfolio, on a database of its own; once per run, for every module that reads it
    (the pages at each size, the money pages)."""
    url = demo_database_url(tmp_path_factory.mktemp("e2e-demo-db"))
    reachable_or_skip(url)
    build_schema(url, pg_schema="e2e_demo").dispose()
    app = create_app(Config(TESTING=False, DATABASE_URL=url, SECRET_KEY="e2e-demo", ENV_NAME="testing",
                            UPLOAD_DIR=str(tmp_path_factory.mktemp("e2e-demo-uploads"))))
    with app.app_context():
        load_demo(db.session, now=datetime.now(UTC))
        db.session.commit()
        db.session.remove()
    server = LiveServer(url="", app=app, officer=OFFICER, requester_pe=REQUESTER_PE, requester_bo=REQUESTER_BO)
    try:
        with serving(server):
            yield server
    finally:
        engine = db.engine_of(app)
        if engine is not None:
            engine.dispose()
    assert not server.errors, "The demo server raised: " + "; ".join(repr(e) for e in server.errors)


@contextmanager
def serving(server: LiveServer) -> Iterator[None]:
    """Serve `server.app` on a free local port (set in `server.url`), recording the exceptions it raises."""

    def record(_sender: Flask, exception: BaseException, **_extra: object) -> None:
        server.errors.append(exception)

    got_request_exception.connect(record, server.app)
    httpd = make_server("127.0.0.1", 0, server.app, threaded=True)
    server.url = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        httpd.server_close()
        got_request_exception.disconnect(record, server.app)


@pytest.fixture(autouse=True)
def no_server_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """A journey that made the server raise (a 500 page) fails, naming the exception."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server: LiveServer = request.getfixturevalue("live_server")
    before = len(server.errors)
    yield
    new = server.errors[before:]
    if new:
        pytest.fail("The server raised while serving this test: " + "; ".join(repr(e) for e in new), pytrace=False)
