"""Lighthouse's accessibility, best-practices and performance scores of five main pages (run bench/lighthouse.sh).

The pages: the public catalogue and the sign-in page, then the officer's home, an Action page (the first
on the officer's list of Actions) and the dashboard, signed in as the demo officer (the session cookie,
obtained through the /login form, goes to Lighthouse with --extra-headers). The site is a fresh demo
database served by gunicorn (bench/demo_site.py). Lighthouse runs with its defaults (a mobile device on
a simulated slow 4G network and a 4× slower CPU) unless `--preset desktop`; with `--runs N` a score is the
median of N runs. Each report is kept in test-artifacts/lighthouse/ (git-ignored).

Printed: a table of scores, marked `<` where below target (95, 95, 90), then the failing audits shared by
most pages, and as the last line one JSON object: {"preset", "runs", "pages": {page: {"accessibility",
"best_practices", "performance"}}, "below_target": [[page, category, score], …]}.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import urllib.request  # noqa: E402
from collections import Counter  # noqa: E402

from demo_site import ROOT, DemoSite, sign_in  # noqa: E402

CATEGORIES = {"accessibility": 95, "best-practices": 95, "performance": 90}
OFFICER = "officer@demo.peerflow.org"
ATTEMPTS = 3  # a loaded machine sometimes loses the trace (NO_NAVSTART): Lighthouse says to run again
REPORTS = ROOT / "test-artifacts" / "lighthouse"


def first_link(url: str, path: str, pattern: str, cookie: str) -> str:
    request = urllib.request.Request(url + path, headers={"Cookie": cookie})
    with urllib.request.urlopen(request) as answer:
        page = answer.read().decode()
    found = next((h for h in re.findall(r'href="([^"?#]+)', page) if re.fullmatch(pattern, h)), None)
    if found is None:
        raise RuntimeError(f"no link matching {pattern} on {path}")
    return found


def lighthouse(url: str, cookie: str | None, preset: str | None, report: Path) -> dict:
    command = [
        os.environ.get("LIGHTHOUSE", "lighthouse"), url, "--output=json", f"--output-path={report}", "--quiet",
        "--only-categories=" + ",".join(CATEGORIES), "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    if preset:
        command.append(f"--preset={preset}")
    for attempt in range(1, ATTEMPTS + 1):
        if subprocess.run(command, timeout=300).returncode == 0:
            return json.loads(report.read_text())
        print(f"  (Lighthouse failed on {url}, attempt {attempt} of {ATTEMPTS})", flush=True)
    raise RuntimeError(f"Lighthouse failed {ATTEMPTS} times on {url}")


def failing(result: dict, category: str) -> list[str]:
    """The weighted audits of a category that did not pass, as "id (title)"."""
    audits = result["audits"]
    names = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 0.9:
            names.append(f"{category}: {ref['id']} ({audit['title']})")
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--preset", choices=["desktop"], default=None)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    REPORTS.mkdir(parents=True, exist_ok=True)
    scores: dict[str, dict[str, int]] = {}
    fails: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="peerflow-lighthouse-") as workdir, DemoSite(Path(workdir)) as site:
        cookie = sign_in(site.url, OFFICER)
        action = first_link(site.url, "/actions/", r"/actions/\d+", cookie)
        pages = [("catalogue", "/catalogue/", None), ("sign-in", "/login", None), ("officer home", "/home", cookie),
                 ("Action", action, cookie), ("dashboard", "/dashboard/", cookie)]
        print(f"Lighthouse on {site.url}, {args.preset or 'mobile (default)'}, {args.runs} run(s) per page",
              flush=True)
        for name, path, session in pages:
            runs = []
            for run in range(args.runs):
                report = REPORTS / f"{re.sub(r'[^a-z]+', '-', name.lower())}-{args.preset or 'mobile'}-{run}.json"
                result = lighthouse(site.url + path, session, args.preset, report)
                if "/login" in result["finalDisplayedUrl"] and path != "/login":
                    raise RuntimeError(f"{name}: Lighthouse was sent to the sign-in page (the session was not kept)")
                runs.append({c: round(100 * (result["categories"][c]["score"] or 0)) for c in CATEGORIES})
                if run == 0:
                    fails.update(f for c in CATEGORIES for f in failing(result, c))
            scores[name] = {c: int(statistics.median(r[c] for r in runs)) for c in CATEGORIES}
            print(f"  {name:14} " + "  ".join(
                f"{c} {scores[name][c]:3}{'<' if scores[name][c] < target else ' '}"
                for c, target in CATEGORIES.items()), flush=True)
    below = [[page, c, s[c]] for page, s in scores.items() for c, target in CATEGORIES.items() if s[c] < target]
    print(f"Targets: {', '.join(f'{c} >= {t}' for c, t in CATEGORIES.items())}; "
          + (f"{len(below)} score(s) below target." if below else "all met."))
    if fails:
        print("Failing audits (on how many of the pages):")
        for audit, count in fails.most_common(15):
            print(f"  {count}/{len(pages)}  {audit}")
    print(json.dumps({
        "preset": args.preset or "mobile", "runs": args.runs,
        "pages": {page: {c.replace("-", "_"): v for c, v in s.items()} for page, s in scores.items()},
        "below_target": below,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
