"""The figures the README quotes about the demo are the ones the demo gives: the README's figures block is
compared with what bench/readme_figures.py prints now, seeding the demo as of the block's day.

The script runs in a process of its own, exactly as the person who pasted the block ran it: some of the
demo's figures (the experts involved, through the order past deployments are handed out in seed/demo.py)
depend on what else the process loaded before, so only the same code path gives the same figures.

When this fails after a change to the demo or to what a figure counts, re-run
`.venv/bin/python bench/readme_figures.py` and paste its output over the block in README.md."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.readme_figures import BEGIN, END, parse_block

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


@pytest.fixture(scope="module")
def quoted():
    return parse_block(README.read_text(encoding="utf-8"))


def test_the_readme_block_parses(quoted):
    as_of, values = quoted
    assert len(values) >= 10 and "catalogue: published Actions" in values
    text = README.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1 and as_of.year >= 2026


def test_the_readme_figures_are_the_demos(quoted):
    as_of, values = quoted
    env = {name: value for name, value in os.environ.items() if name not in {"DATABASE_URL", "PEERFLOW_ENV"}}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "readme_figures.py"), "--as-of", as_of.isoformat()],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    printed = json.loads(done.stdout.strip().splitlines()[-1])
    assert printed.pop("as_of") == as_of.isoformat()
    differing = {name: (values.get(name), value) for name, value in printed.items() if values.get(name) != value}
    unknown = sorted(set(values) - set(printed))
    assert not differing and not unknown, (
        f"README figures (quoted, computed) that differ: {differing}; quoted but no longer computed: {unknown}. "
        "Re-run `.venv/bin/python bench/readme_figures.py` and paste its output over the README's figures block.")
