"""The shape of the code: imports point one way along the workflow, and nothing goes round in a circle.

Read from the source (tests/architecture.py), function-level imports included. The rules, from
issue 17: along the spine (governance → requests → actions → plans → evaluations → calls →
activities → deployments → experts → accounts → reference) a package's use cases import only the
packages after it; any package may read another's models, lifecycle, queries, filters and
permissions. The readers (api, dashboard, catalogue, exports, audit, privacy, reminders,
notifications, calendar, main) sit above and no domain imports them: news reaches them through the
signals of workflow/core/signals.py. matching, mail, core and ops sit below and import no domain.
"""

from __future__ import annotations

import ast

from tests import architecture
from tests.architecture import Import, backward


def test_no_import_points_against_the_spine():
    wrong = [f"{imp.source}:{imp.line} imports {imp.target}: {why}" for imp, why in architecture.backward_arrows()]
    assert wrong == []


def test_no_modules_import_each_other_in_a_circle():
    assert architecture.cycles() == []


def test_the_matching_engine_imports_no_domain_and_no_flask():
    for path in (architecture.PACKAGE / "matching").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level}
        assert not {name for name in names if name.split(".")[0] in ("flask", "sqlalchemy", "workflow")}, path
    assert not [imp for imp in architecture.all_imports()
                if imp.source.startswith("workflow.matching") and not imp.target.startswith("workflow.matching")]


def test_no_python_file_is_over_400_lines():
    assert {path: n for path, n in architecture.file_lengths().items() if n > 400} == {}


def test_no_function_is_over_60_lines():
    assert [f"{f.module}.{f.name} ({f.length} lines)" for f in architecture.functions() if f.length > 60] == []


# --- The checker itself --------------------------------------------------------------------------


def imp(source: str, target: str) -> Import:
    return Import(f"workflow.{source}", f"workflow.{target}", 1)


def test_the_checker_allows_a_use_case_downstream_and_a_read_upstream():
    assert backward(imp("requests.services", "actions.services")) is None  # accepting opens the Action
    assert backward(imp("activities.services", "actions.lifecycle")) is None  # a guard, read upstream
    assert backward(imp("deployments.views", "actions.queries")) is None
    assert backward(imp("api.actions", "actions.services")) is None  # a reader above uses the domain
    assert backward(imp("actions.services", "core.signals")) is None


def test_the_checker_refuses_a_use_case_upstream_a_reader_from_a_domain_and_a_domain_from_below():
    assert "before it on the spine" in backward(imp("activities.services", "actions.services"))
    assert "sits above" in backward(imp("actions.views", "dashboard.services"))
    assert "sits above" in backward(imp("actions.services", "audit.models"))  # even its tables
    assert "below the domains" in backward(imp("matching.engine", "reference.data"))
    assert "below the domains" in backward(imp("core.web", "actions.models"))


def test_no_template_compares_a_status_or_state():
    """Templates ask the permissions objects and the lifecycles' named properties, never a status string."""
    import re

    pattern = re.compile(r"\b(status|state)(\.value)?\s*(==|!=|\bin\b|\bnot in\b)")
    templates = architecture.ROOT / "templates"
    found = [f"{path.relative_to(templates)}:{n}" for path in sorted(templates.rglob("*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if pattern.search(line)]
    assert found == []
