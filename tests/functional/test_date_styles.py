"""One date style per language (issue 19): the main pages of each role, in English, Spanish and French,
show no numeric short date ("12/6/26", "01/09/2026") and no ISO date ("2026-06-01") in their text; only
machine-readable places keep ISO (form inputs, `<time datetime>`, JSON scripts, attributes). And no
template or script of ours asks with the browser's `confirm()`: destructive steps use the page's dialog.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import url_for

ROOT = Path(__file__).resolve().parents[2]
NUMERIC_OR_ISO = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
# Whole elements whose content is not read as page text (a form field's value, scripts, styles).
HIDDEN = re.compile(r"<(script|style|textarea)\b[^>]*>.*?</\1\s*>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")

# The main pages of each role of tests/functional/security_world.py, by endpoint.
PAGES = {
    "req_a": ("main.home", "requests.index", "requests.show", "actions.index", "actions.show", "activities.show",
              "notifications.index", "accounts.account"),
    "focal": ("main.home", "experts.index", "experts.show", "deployments.releases", "calls.show",
              "deployments.show", "actions.show"),
    "expert": ("main.home", "deployments.assignments", "deployments.show", "privacy.consent", "activities.show"),
    "officer": ("main.home", "requests.index", "requests.show", "actions.index", "actions.show",
                "actions.factsheet", "activities.index", "activities.show", "activities.postpone",
                "deployments.index", "deployments.show", "deployments.staffing", "deployments.suggestions",
                "experts.show", "calls.show", "calls.new", "plans.index", "plans.show", "reminders.outbox",
                "reminders.message", "governance.consultations", "dashboard.index", "evaluations.rate"),
    "admin": ("main.home", "accounts.users", "accounts.user_page", "audit.index", "privacy.erase",
              "governance.committee"),
    "steering": ("main.home", "governance.consultations"),
    "anon": ("catalogue.index", "catalogue.show"),
}


def page_text(html: str) -> str:
    """What a reader sees: no scripts, styles or text areas, no tags (so no attribute or input value)."""
    return TAG.sub(" ", HIDDEN.sub(" ", html))


def _url(app, endpoint: str, ids: dict[str, int], users: dict, lang: str) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {}
    for name in rule.arguments:
        if name == "user_id":
            values[name] = users["expert"].id
        else:
            values[name] = ids[name]
    with app.test_request_context():
        return url_for(endpoint, lang=lang, **values)


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_pages_show_dates_in_words(app, client, login_as, matrix_world, lang):
    found = []
    for role, endpoints in PAGES.items():
        if role != "anon":  # the public pages are read last, by whoever was signed in
            login_as(matrix_world.users[role])
        for endpoint in endpoints:
            url = _url(app, endpoint, matrix_world.ids, matrix_world.users, lang)
            response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            assert f'<html lang="{lang}"' in response.get_data(as_text=True), (role, url)
            text = page_text(response.get_data(as_text=True))
            found += [f"{role} {url}: …{text[max(0, m.start() - 60):m.end() + 20]!r}"
                      for m in NUMERIC_OR_ISO.finditer(text)]
    assert not found, "numeric or ISO dates in page text:\n" + "\n".join(found)


def test_the_text_of_a_page_leaves_inputs_and_machine_readable_dates_out():
    html = ('<input type="date" value="2026-06-01"><time datetime="2026-06-01">1 Jun 2026</time>'
            '<script type="application/json">{"d": "2026-06-01"}</script><textarea>2026-06-01</textarea>')
    assert not NUMERIC_OR_ISO.search(page_text(html))
    assert NUMERIC_OR_ISO.search(page_text("<td>06/12/2026, 18:25</td>"))
    assert NUMERIC_OR_ISO.search(page_text("<p>until 2026-06-01</p>"))


def _ours(folder: Path):
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".txt", ".js") and "vendor" not in path.parts:
            yield path


def test_no_template_or_script_uses_the_browser_confirm():
    found = [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"
             for folder in (ROOT / "templates", ROOT / "static")
             for path in _ours(folder)
             for text in [path.read_text(encoding="utf-8")]
             for m in re.finditer(r"(?<![\w-])confirm\s*\(", text)]
    assert not found, "use data-confirm (the page's dialog, static/js/confirm.js), not confirm():\n" + "\n".join(found)
