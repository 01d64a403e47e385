"""`flask --app workflow seed synthetic`: the command, apart from its 1,500-line generator (seed/synthetic.py),
so that building the app (every web worker, every test) neither imports the generator nor reads its tables."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import click

# The clock a synthetic portfolio is built against unless told otherwise.
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


@click.command("synthetic")
@click.option("--scale", type=click.IntRange(1, 1000), required=True,
              help="How many times the demo portfolio (1: about 35 Actions; 100: about 3,500).")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives the same portfolio.")
@click.option("--now", "now_text", default=NOW.isoformat(), show_default=True,
              help="The clock the portfolio is built against (ISO 8601; UTC when no offset is given).")
def synthetic_command(scale: int, seed: int, now_text: str) -> None:
    """Load a realistic synthetic portfolio SCALE times the demo, in bulk (reproducible from --seed)."""
    from workflow.extensions import db

    from .synthetic import DOMAIN, load_synthetic

    try:
        now = datetime.fromisoformat(now_text)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 date and time: {now_text!r}", param_hint="--now") from None
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    started = time.perf_counter()
    click.echo(f"Synthetic portfolio, scale {scale}, seed {seed}, clock {now.isoformat()}:")
    counts = load_synthetic(db.session, scale=scale, seed=seed, now=now, echo=click.echo)
    db.session.commit()
    main = ("actions", "activities", "experts", "deployments", "reminders")
    click.echo(f"Committed {sum(counts.values()):,} rows in {time.perf_counter() - started:.1f} s: "
               + ", ".join(f"{counts[name]:,} {name}" for name in main) + ".")
    click.echo(f"Every synthetic account signs in with the password 'peerflow-demo' (officers: officer@{DOMAIN} "
               f"on a fresh database, or officer.<id>@{DOMAIN}).")
