"""Accessibility and Content-Security-Policy checks for the pages a browser journey visits.

axe-core (vendored from its npm package under tests/e2e/vendor/axe-core/) is put into the page with
`page.evaluate`, which Chromium runs through the DevTools protocol: the page's Content-Security-Policy,
which allows no inline script, does not apply to it, so the pages are checked exactly as served (no
`bypass_csp`). `page.add_script_tag` would insert an inline script the policy blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# The rules of WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (landmarks, headings, region …).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


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

    def __post_init__(self) -> None:
        self.page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_reports.append(f"{self.page.url}: {message.text}")

    def check(self, what: str = "") -> None:
        """Run axe-core on the current page; note every serious or critical violation."""
        self.page.wait_for_load_state("load")
        url = self.page.url
        blocking = [v for v in axe_violations(self.page) if v["impact"] in BLOCKING]
        self.pages_checked.append(url)
        if blocking:
            self.problems.append(f"{what or url} ({url}):\n{describe(blocking)}")

    def assert_clean(self) -> None:
        report = []
        if self.problems:
            report.append(f"axe-core found serious or critical violations on {len(self.problems)} of "
                          f"{len(self.pages_checked)} pages:\n" + "\n".join(self.problems))
        if self.csp_reports:
            report.append("the Content-Security-Policy blocked something:\n" + "\n".join(self.csp_reports))
        assert not report, "\n\n".join(report)
