"""Print the shape of the code: imports against the spine, circles, the largest files and functions, fan-out.

    PYTHONPATH=. .venv/bin/python bench/shape.py

Measured from the source by tests/architecture.py (the same reading tests/unit/test_architecture.py checks).
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import architecture  # noqa: E402


def main() -> None:
    arrows = architecture.backward_arrows()
    packages = {(architecture.package_of(i.source), architecture.package_of(i.target)) for i, _why in arrows}
    lengths = architecture.file_lengths()
    functions = sorted(architecture.functions(), key=lambda f: -f.length)
    fan_out: dict[str, set[str]] = defaultdict(set)
    for imp in architecture.all_imports():
        source, target = architecture.package_of(imp.source), architecture.package_of(imp.target)
        if source != target and target not in ("core", "database", "extensions", ""):
            fan_out[imp.source].add(target)
    shell = ("workflow", "workflow.web", "workflow.models", "workflow.cli", "workflow.listeners")
    widest = sorted(((len(v), k) for k, v in fan_out.items() if k not in shell), reverse=True)[:3]
    print(f"imports against the spine: {len(arrows)} (between {len(packages)} pairs of packages)")
    print(f"import circles: {len(architecture.cycles())}")
    print(f"python files: {len(lengths)}, median {statistics.median(lengths.values()):.0f} lines")
    largest = max(lengths.items(), key=lambda item: item[1])
    print(f"largest file: {largest[0]} ({largest[1]} lines); over 400: {sum(n > 400 for n in lengths.values())}")
    print(f"longest function: {functions[0].module}.{functions[0].name} ({functions[0].length} lines); "
          f"over 60: {sum(f.length > 60 for f in functions)}")
    print("widest modules (other packages read, outside the app shell): "
          + ", ".join(f"{name} {n}" for n, name in widest))


if __name__ == "__main__":
    main()
