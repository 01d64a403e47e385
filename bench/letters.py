"""Time the letters of assignment: 100 PDFs written by WeasyPrint, each in its expert's language.

Run from the repository root: `.venv/bin/python bench/letters.py [--letters N] [--database-url …]`. It builds a
throw-away database with the migrations (an SQLite file in a temporary folder unless told otherwise; a PostgreSQL
database is emptied first, so its name must contain "bench" or "test"), adds fee and allowance rates, and
confirms one expert (reading English, Spanish or French in turn) on each of N places of Peru III's workshops.
It then times `assignment_letter` + `pdf` for every deployment, as the letter's page does, checks that each
PDF starts with `%PDF-`, and prints the figures, with the CPU time the process used (on a shared machine the wall time includes waiting for a core);
the last line is one JSON object (target: 100 in under 20 s).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
from datetime import UTC, date, datetime  # noqa: E402
from time import perf_counter, process_time  # noqa: E402

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from bench.reminders import database_url  # noqa: E402
from bench.scratch import experts_on_workshops, scratch_app  # noqa: E402
from tests.factories import make_user  # noqa: E402
from workflow.accounts.models import Role  # noqa: E402
from workflow.deployments.lifecycle import DeploymentStatus  # noqa: E402
from workflow.deployments.models import Deployment  # noqa: E402
from workflow.finance.rates import add_allowance_rate, add_fee_rate  # noqa: E402
from workflow.missions import letters  # noqa: E402
from workflow.reference.services import ensure_reference_data  # noqa: E402

NOW = datetime(2027, 1, 13, 10, tzinfo=UTC)
PLACES = 25  # per workshop
LOCALES = ("en", "es", "fr")


def populate(sessions: sessionmaker, count: int) -> None:
    with sessions() as session:
        session.info["now"] = NOW
        ensure_reference_data(session)
        session.commit()
        officer = make_user(session, Role.OFFICER, email="officer@bench.peerflow.org")
        admin = make_user(session, Role.ADMIN, email="admin@bench.peerflow.org")
        add_allowance_rate(session, country_code="PE", daily_eur="180", effective_from=date(2026, 1, 1), actor=admin,
                           now=NOW)
        add_fee_rate(session, expert_type="academic", daily_eur="450", effective_from=date(2026, 1, 1), actor=admin,
                     now=NOW)
        experts_on_workshops(session, officer, count, places=PLACES, status=DeploymentStatus.CONFIRMED, now=NOW,
                             dress=lambda user, n: setattr(user, "locale", LOCALES[n % len(LOCALES)]),
                             expert_type="academic")
        session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=100, help="how many letters of assignment (default 100)")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="peerflow-bench-") as folder:
        url = database_url(args.database_url, Path(folder))
        app, engine, sessions = scratch_app(url, folder)
        populate(sessions, args.letters)
        timings, sizes, languages = [], [], set()
        with app.test_request_context(), sessions() as session:
            letters.pdf(letters.Letter("<p>warm-up</p>", "en"))  # loads Pango and the fonts once, as a worker does
            began, cpu = perf_counter(), process_time()
            for deployment in session.scalars(select(Deployment).order_by(Deployment.id)):
                one = perf_counter()
                letter = letters.assignment_letter(session, deployment)
                content = letters.pdf(letter)
                timings.append(perf_counter() - one)
                assert content.startswith(b"%PDF-")
                sizes.append(len(content))
                languages.add(letter.language)
            seconds, cpu = perf_counter() - began, process_time() - cpu
        engine.dispose()
    print(f"Database: {engine.dialect.name}; {len(timings)} letters of assignment in {', '.join(sorted(languages))}")
    print(f"Total {seconds:.2f} s (target < 20 s), of which {cpu:.2f} s of this process's CPU (the rest is waiting "
          f"for a core on a busy machine); per letter median {statistics.median(timings) * 1000:.0f} ms, "
          f"slowest {max(timings) * 1000:.0f} ms; PDF size median {statistics.median(sizes) / 1024:.1f} KB")
    print(json.dumps({"database": engine.dialect.name, "letters": len(timings), "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                      "per_letter_ms_median": round(statistics.median(timings) * 1000, 1),
                      "per_letter_ms_max": round(max(timings) * 1000, 1),
                      "pdf_kb_median": round(statistics.median(sizes) / 1024, 1), "languages": sorted(languages)}))


if __name__ == "__main__":
    main()
