"""Time /iati/activities.xml for every published Action of the synthetic portfolio, and its peak memory.

Run from the repository root: `.venv/bin/python bench/iati.py [--database sqlite|postgresql]
[--database-url URL] [--scale 100] [--seed 7] [--repeat 3] [--rebuild]`.

The database is built as bench/pages.py builds its own (`db upgrade`, `seed reference`, `seed synthetic
--scale N` in a subprocess, kept for later runs while it holds that scale), but in a place of its own:
/tmp/peerflow-bench-iati/scale-N.db, or the PostgreSQL database peerflow_bench_iati_N. The app is created
on it with an empty temporary IATI_CACHE_DIR, and the file is requested through `app.test_client()` and
read to its end, chunk by chunk, as a client would:

- build: with nothing kept on disk (the first request after a change of the data), `--repeat` times; the
  median and the slowest are printed, with the median CPU time of the benchmark's process (on a shared machine
  the wall time includes waiting for a core; with SQLite the queries run in this process too);
- peak memory: one more build under tracemalloc (Python allocations; the slowest of the runs, since
  tracing costs time, and not counted in the times above), next to the size of the whole document;
- kept: the same request again, served from the file kept for this data version.

The last line printed is one JSON object: {"database", "scale", "published_actions", "document_bytes",
"chunks", "build_median_s", "build_max_s", "build_cpu_median_s", "peak_memory_bytes", "kept_median_s"}.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import tracemalloc  # noqa: E402
from time import perf_counter, process_time  # noqa: E402

from pages import Store, prepare, scale_url  # noqa: E402

from config import Config  # noqa: E402
from workflow import create_app  # noqa: E402

SQLITE_URL = f"sqlite:///{Path(tempfile.gettempdir()) / 'peerflow-bench-iati' / 'scale-{scale}.db'}"
POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/peerflow_bench_iati_{scale}"
BUDGET_SECONDS = 5.0


def fetch(client) -> tuple[float, int, int, int]:
    """Seconds to read the whole answer, its bytes, its chunks and how many activities it holds."""
    began = perf_counter()
    response = client.get("/iati/activities.xml", buffered=False)
    size = chunks = activities = 0
    for chunk in response.response:
        size += len(chunk)
        chunks += 1
        activities += chunk.count(b"<iati-activity ")
    response.close()
    if response.status_code != 200:
        raise SystemExit(f"/iati/activities.xml answered {response.status_code}")
    return perf_counter() - began, size, chunks, activities


def empty(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", help="your own database ({scale} replaced by the scale)")
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args()


def main() -> None:
    args = parse()
    logging.disable(logging.INFO)
    template = args.database_url or (SQLITE_URL if args.database == "sqlite" else POSTGRESQL_URL)
    store = Store(scale_url(template, args.scale))
    counts, how = prepare(store, args.scale, args.seed, args.rebuild)
    print(f"database {store.label}: {counts['actions']} Actions, {how}")
    cache = Path(tempfile.mkdtemp(prefix="peerflow-iati-"))
    try:
        app = create_app(Config(DATABASE_URL=store.url, IATI_CACHE_DIR=str(cache), ENV_NAME="development"))
        client = app.test_client()
        builds, cpu = [], []
        for _ in range(args.repeat):
            empty(cache)
            began = process_time()
            seconds, size, chunks, activities = fetch(client)
            builds.append(seconds)
            cpu.append(process_time() - began)
        empty(cache)
        tracemalloc.start()
        fetch(client)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        kept = [fetch(client)[0] for _ in range(args.repeat)]
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    median = statistics.median(builds)
    print(f"scale {args.scale}: {activities} published Actions, {size / 1e6:.2f} MB in {chunks} chunks")
    print(f"build (nothing kept): median {median:.2f} s, slowest {max(builds):.2f} s "
          f"({'within' if max(builds) < BUDGET_SECONDS else 'OVER'} the {BUDGET_SECONDS:.0f} s budget); "
          f"this process's CPU: median {statistics.median(cpu):.2f} s (the rest is the database, or waiting for a core)")
    print(f"peak memory of a build (tracemalloc): {peak / 1e6:.2f} MB for a {size / 1e6:.2f} MB document")
    print(f"kept file served again: median {statistics.median(kept) * 1000:.0f} ms")
    print(json.dumps({"database": store.dialect, "scale": args.scale, "published_actions": activities,
                      "document_bytes": size, "chunks": chunks, "build_median_s": round(median, 3),
                      "build_max_s": round(max(builds), 3),
                      "build_cpu_median_s": round(statistics.median(cpu), 3), "peak_memory_bytes": peak,
                      "kept_median_s": round(statistics.median(kept), 4)}))


if __name__ == "__main__":
    main()
