"""Print the figures the README quotes about the demo portfolio, computed on a freshly seeded scratch database.

    .venv/bin/python bench/readme_figures.py [--as-of YYYY-MM-DD] [--database-url URL]

It migrates an empty scratch database (a temporary SQLite file unless --database-url names one, which is
emptied: its name must contain "test"), loads the reference data and then the demo as `make run` does
(`seed reference`, then `seed demo`), as of the
given day (default: today; the demo plans its open activities and invitations relative to it), and prints
the README's figures block, between its two marker lines: paste the whole output over the block in
README.md. tests/integration/test_readme_figures.py seeds the demo as of the block's day and fails when a
figure differs, so re-run this after changing the demo (seed/) or what a figure counts.

The last line, as for the other benchmarks, is one JSON object of the same figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import sqlite3
import sys
import tempfile
from datetime import UTC, date, datetime, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BEGIN = "<!-- readme-figures:begin (printed by bench/readme_figures.py: re-run it and paste its output over this block) -->"
END = "<!-- readme-figures:end -->"


def demo_time(as_of: date) -> datetime:
    """The moment the demo is loaded at, for a given day (noon UTC: the same day in every time zone we use)."""
    return datetime.combine(as_of, time(12), tzinfo=UTC)


def figures(session) -> dict[str, str]:  # noqa: ANN001 - a SQLAlchemy session holding the loaded demo
    """The quoted figures, as the README writes them (thousands separated by a comma)."""
    from sqlalchemy import func, select

    from seed.demo import portfolio_counts
    from workflow.accounts.passwords import MIN_LENGTH, common_passwords
    from workflow.actions.models import Action
    from workflow.dashboard.services import PortfolioFilters, portfolio, regional_counts

    counts = portfolio_counts(session)
    first = session.scalar(select(func.min(Action.planned_start)))
    public = regional_counts(session, PortfolioFilters(published_only=True))
    overall = portfolio(session, PortfolioFilters(), detail=False).overall
    rows = {
        "demo Actions": counts["Actions"],
        "demo Actions, first planned start (year)": first.year if first else 0,
        "demo activities": counts["activities"],
        "demo deliverables": counts["deliverables"],
        "demo experts on the roster": counts["experts"],
        "demo deployments": counts["deployments"],
        "demo requests": counts["requests"],
        "catalogue: published Actions": sum(f.actions for _region, f in public),
        "catalogue: activities of published Actions": sum(f.activities for _region, f in public),
        "catalogue: experts involved in published Actions": sum(f.experts for _region, f in public),
        "dashboard: Actions counted": overall.actions,
        "dashboard: activities counted": overall.activities,
        "dashboard: experts involved": overall.experts,
        "dashboard: member states represented": overall.member_states,
        "dashboard: officials trained": overall.trained,
        f"common passwords refused ({MIN_LENGTH}+ characters)": sum(
            1 for word in common_passwords() if len(word) >= MIN_LENGTH),
    }
    return {name: (str(value) if name.endswith("(year)") else f"{value:,}") for name, value in rows.items()}


def machine() -> str:
    return (f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def block(values: dict[str, str], as_of: date, database: str) -> str:
    lines = [BEGIN, "", "| figure | value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in values.items()]
    lines += ["", f"Printed by `.venv/bin/python bench/readme_figures.py --as-of {as_of.isoformat()}` on "
                  f"{date.today().isoformat()} ({database}; {machine()}).", "", END]
    return "\n".join(lines)


def parse_block(text: str) -> tuple[date, dict[str, str]]:
    """The day and the figures of the README's block (what `block` printed)."""
    start, end = text.index(BEGIN), text.index(END)
    inside = text[start + len(BEGIN):end]
    values = {}
    for line in inside.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 2 and cells != ["figure", "value"] and cells[0] != "---":
            values[cells[0]] = cells[1]
    marker = "--as-of "
    as_of = date.fromisoformat(inside[inside.index(marker) + len(marker):].split("`", 1)[0].strip())
    return as_of, values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today(),
                        help="the day the demo is loaded at (default: today)")
    parser.add_argument("--database-url", help="a scratch database to empty and use (its name must contain 'test')")
    args = parser.parse_args()

    from sqlalchemy.engine import make_url

    from config import Config
    from seed.demo import load_demo
    from tests.dbsetup import build_schema
    from workflow import create_app
    from workflow.extensions import db
    from workflow.reference.services import ensure_reference_data

    with tempfile.TemporaryDirectory(prefix="peerflow-figures-") as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'figures.db'}"
        if args.database_url and "test" not in (args.database_url.rsplit("/", 1)[-1]):
            parser.error("the scratch database is emptied: its name must contain 'test'")
        build_schema(url).dispose()
        # As `make run` does it: the app's session and hooks, `seed reference` committed, then `seed demo`.
        app = create_app(Config(DATABASE_URL=url, SECRET_KEY=secrets.token_hex(32), ENV_NAME="testing",
                                TESTING=True))
        try:
            with app.app_context():
                ensure_reference_data(db.session)
                db.session.commit()
            with app.app_context():
                load_demo(db.session, now=demo_time(args.as_of))
                db.session.commit()
                values = figures(db.session)
                db.session.remove()
        finally:
            db.engine_of(app).dispose()
        kind = make_url(url).get_backend_name()
    print(block(values, args.as_of, kind))
    print(json.dumps({"as_of": args.as_of.isoformat(), **values}, ensure_ascii=False))


if __name__ == "__main__":
    main()
