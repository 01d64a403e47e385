"""The shape of the code, read from its source: which module imports which, and how big things are.

`tests/unit/test_architecture.py` holds the rules; `bench/shape.py` prints the figures. Function-level
imports count like top-level ones; imports under `if TYPE_CHECKING:` do not (they never run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workflow"

# The workflow spine, upstream first: a package's use cases may import those after it, never those before.
SPINE = (
    "knowledge",
    "governance",
    "requests",
    "actions",
    "plans",
    "results",
    "evaluations",
    "calls",
    "activities",
    "deployments",
    "missions",
    "finance",
    "experts",
    "accounts",
    "reference",
)
# Readers sit above the spine: they read from the domains, and no domain imports them (signals reach them).
READERS = (
    "api",
    "dashboard",
    "catalogue",
    "exports",
    "audit",
    "privacy",
    "reminders",
    "notifications",
    "calendar",
    "main",
    "todos",
    "iati",
)
# Infrastructure sits below: anyone may import it, it imports no domain (matching gets its data as arguments).
BELOW = ("matching", "mail", "core", "ops")
# Files any package may read from another, in either direction: tables, pure lifecycles, read-only queries.
READ_MODULES = ("models", "lifecycle", "queries", "filters", "signals", "permissions")


@dataclass(frozen=True)
class Import:
    source: str  # dotted module name, e.g. workflow.actions.views
    target: str  # dotted module name imported (a module, never a name inside it)
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def python_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _modules() -> set[str]:
    return {module_name(path) for path in python_files()}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk_running(node: ast.AST) -> Iterator[ast.AST]:
    """Every node that can run: skips the bodies of `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield other
                yield from _walk_running(other)
            continue
        yield child
        yield from _walk_running(child)


def imports_of(path: Path, modules: set[str]) -> list[Import]:
    source = module_name(path)
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[Import] = []
    for node in _walk_running(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("workflow"):
                    found.append(Import(source, alias.name, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            if not stem.startswith("workflow"):
                continue
            for alias in node.names:
                candidate = f"{stem}.{alias.name}"
                found.append(Import(source, candidate if candidate in modules else stem, node.lineno))
    return [imp for imp in found if imp.target != source]


def all_imports() -> list[Import]:
    modules = _modules()
    return [imp for path in python_files() for imp in imports_of(path, modules)]


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_of(package: str) -> tuple[int, int]:
    """(tier, position): tier 0 the app shell, 1 readers, 2 the spine, 3 below; position along the spine."""
    if package in READERS:
        return (1, 0)
    if package in SPINE:
        return (2, SPINE.index(package))
    if package in BELOW:
        return (3, 0)
    return (0, 0)  # web.py, cli.py, scheduler.py, models.py, the package itself: the shell that wires it all


def is_read(target: str) -> bool:
    return target.rsplit(".", 1)[-1] in READ_MODULES


def backward(imp: Import) -> str | None:
    """Why this import points the wrong way, or None when it is allowed."""
    source, target = package_of(imp.source), package_of(imp.target)
    if source == target or not target:
        return None
    (s_tier, s_pos), (t_tier, t_pos) = layer_of(source), layer_of(target)
    if t_tier == 0 and target in ("database", "extensions"):
        return None  # the session and the extension objects are infrastructure
    if s_tier == 3:
        return f"{source} sits below the domains and may not import {target}"
    if t_tier < s_tier:
        return f"{source} may not import {imp.target}: {target} sits above it"
    if s_tier == 2 and t_tier == 2 and t_pos < s_pos and not is_read(imp.target):
        return f"{source} may not import {imp.target}: {target} comes before it on the spine"
    return None


def backward_arrows() -> list[tuple[Import, str]]:
    return [(imp, why) for imp in all_imports() if (why := backward(imp))]


def cycles() -> list[list[str]]:
    """Every strongly connected group of modules (Tarjan), as sorted lists of names."""
    graph: dict[str, set[str]] = {}
    for imp in all_imports():
        graph.setdefault(imp.source, set()).add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    import sys

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


@dataclass(frozen=True)
class Function:
    module: str
    name: str
    line: int
    length: int


def functions() -> list[Function]:
    found = []
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                found.append(Function(module_name(path), node.name, start, node.end_lineno - start + 1))
    return found


def file_lengths() -> dict[str, int]:
    return {str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines()) for path in python_files()}
