"""Accessibility and Content-Security-Policy checks for the pages a browser journey visits.

axe-core (vendored from its npm package under tests/e2e/vendor/axe-core/) is put into the page with
`page.evaluate`, which Chromium runs through the DevTools protocol: the page's Content-Security-Policy,
which allows no inline script, does not apply to it, so the pages are checked exactly as served (no
`bypass_csp`). `page.add_script_tag` would insert an inline script the policy blocks.

Every page a journey visits is checked without the journey asking: `PageAudit` adds an init script
(also run through DevTools, before the page's own scripts) that runs axe-core when each HTML document
has loaded and reports to Python through a binding. While axe runs, the page holds back a navigation
it starts itself (a link followed, a form sent) and lets it go when axe is done; `goto`, `reload` and
`go_back` wait for it too. A document left before it could be checked (a script navigating on its own)
is reported, so "every page" stays true. The `page` fixture (conftest.py) has one `PageAudit`, and fails
a passing journey on what it found; `check()` is for a state reached without a navigation (a dialog, an
error shown in place). Documents that are not HTML (JSON, a download) and Swagger UI (not ours) are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Error, Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# The rules of WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (landmarks, headings, region …).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Pages that are not Peerflow's own markup: Swagger UI's styles are not ours to fix (its policy is checked).
NOT_OURS = ("/api/v1/docs",)
BINDING = "__peerflowAxeReport"

# Runs in every document of the page before its own scripts (main frame only).
WATCHER = """
(() => {
  if (window.top !== window) return;
  const notOurs = %(not_ours)s, tags = %(tags)s, report = window.%(binding)s;
  const state = window.__peerflowAxe = {busy: null, done: false};
  state.run = () => {
    const ours = document.contentType === "text/html" && !notOurs.some(p => location.pathname.startsWith(p));
    if (!ours) { state.done = true; return Promise.resolve(null); }
    const url = location.href;
    state.busy = (async () => {
      try {
        const result = await window.axe.run(document, {runOnly: {type: "tag", values: tags},
                                                     resultTypes: ["violations"]});
        await report("checked", url, JSON.stringify(result.violations));
      } catch (error) {
        await report("failed", url, String(error));
      } finally {
        state.busy = null;
        state.done = true;
      }
    })();
    return state.busy;
  };
  window.addEventListener("load", () => { report("loaded", location.href, ""); state.run(); });
  window.addEventListener("pagehide", () => { if (!state.done) report("left", location.href, ""); });
  // While axe runs, hold back a navigation the page starts (capture phase, before the page's own
  // handlers, which then run when it is let go: static/js/confirm.js asks once, then).
  document.addEventListener("click", (event) => {
    if (!state.busy || event.defaultPrevented || event.button !== 0) return;
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.hasAttribute("download") || (link.target && link.target !== "_self")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    state.busy.finally(() => link.click());
  }, true);
  document.addEventListener("submit", (event) => {
    if (!state.busy) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const form = event.target, submitter = event.submitter;
    state.busy.finally(() => form.requestSubmit(submitter || undefined));
  }, true);
})();
"""
SETTLE = "async () => { const s = window.__peerflowAxe; if (s && s.busy) await s.busy; }"


def axe_violations(page: Page) -> list[dict]:
    """axe-core's violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        "async (tags) => (await window.axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})).violations", TAGS)


def describe(violations: list[dict]) -> str:
    """The violations as a person fixing them wants to read them: rule, impact, help, and each element."""
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:8]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


@dataclass
class PageAudit:
    """Checks each page a journey visits; collects what is wrong instead of stopping at the first page."""

    page: Page
    problems: list[str] = field(default_factory=list)
    pages_checked: list[str] = field(default_factory=list)
    csp_reports: list[str] = field(default_factory=list)

    loaded: list[str] = field(default_factory=list)
    left_unchecked: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.expose_binding(BINDING, self._report)
        watcher = WATCHER % {"not_ours": json.dumps(NOT_OURS), "tags": json.dumps(TAGS), "binding": BINDING}
        self.page.add_init_script(AXE.read_text(encoding="utf-8") + "\n" + watcher)
        # The journey's own navigations wait for the check of the page they leave.
        for name in ("goto", "reload", "go_back", "go_forward"):
            original = getattr(self.page, name)
            setattr(self.page, name, self._after_settling(original))

    def _after_settling(self, navigate):
        def navigate_when_checked(*args, **kwargs):
            self.settle()
            return navigate(*args, **kwargs)
        return navigate_when_checked

    def settle(self) -> None:
        """Wait for a check under way on the current document."""
        if self.page.is_closed():
            return
        try:
            # A page can be on screen before its `load` (scripts still coming): its check starts then.
            self.page.wait_for_load_state("load")
            self.page.evaluate(SETTLE)
        except Error:  # the document went away meanwhile
            pass

    def _report(self, _source: dict, kind: str, url: str, body: str) -> None:
        """Called from the page (on Playwright's dispatcher: no page calls here)."""
        if kind == "loaded":
            self.loaded.append(url)
        elif kind == "left":
            self.left_unchecked.append(url)
        elif kind == "failed":
            self.problems.append(f"axe-core could not run on {url}: {body}")
        else:
            self._note(url, url, json.loads(body))

    def _note(self, what: str, url: str, violations: list[dict]) -> None:
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        self.pages_checked.append(url)
        if blocking:
            self.problems.append(f"{what or url} ({url}):\n{describe(blocking)}")

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_reports.append(f"{self.page.url}: {message.text}")

    def check(self, what: str = "") -> None:
        """Run axe-core on the current page; note every serious or critical violation."""
        self.page.wait_for_load_state("load")
        self.settle()
        self._note(what, self.page.url, axe_violations(self.page))

    def finish(self) -> None:
        """Let the check of the last page end."""
        self.settle()

    def assert_clean(self) -> None:
        self.finish()
        report = []
        if self.left_unchecked:
            report.append("pages left before axe-core could check them (a script navigated on its own?):\n"
                          + "\n".join(self.left_unchecked))
        if self.problems:
            report.append(f"axe-core found serious or critical violations on {len(self.problems)} of "
                          f"{len(self.pages_checked)} pages:\n" + "\n".join(self.problems))
        if self.csp_reports:
            report.append("the Content-Security-Policy blocked something:\n" + "\n".join(self.csp_reports))
        assert not report, "\n\n".join(report)
