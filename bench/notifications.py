"""Time the notifications' e-mails: 1,000 invitations written by `notify` and sent to a real SMTP server.

Run from the repository root: `.venv/bin/python bench/notifications.py [--notifications N] [--dispatchers 2]
[--database-url postgresql+psycopg://…/peerflow_bench]`. It builds a throw-away database with the
migrations (an SQLite file in a temporary folder unless told otherwise; a PostgreSQL database is emptied
first, so its name must contain "bench" or "test"), plans workshops of the Peru III Action with enough
places, invites one expert per place (each with an account, reading English, Spanish or French), and
writes the news of each invitation with `notify` on the registered kind `expert_invited`: a bell row and
an e-mail due at once, as the invitation's own transaction would. It then starts an aiosmtpd server on
loopback and runs `dispatch_notifications` with the SMTP mailer, one thread per dispatcher, each with its
own session: every e-mail is rendered in its reader's language with the mission's `.ics` attached. It
counts what the server received by Message-ID. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
from collections import Counter  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from time import perf_counter  # noqa: E402

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from bench.reminders import database_url  # noqa: E402
from bench.reminders import dispatch as dispatch_concurrently  # noqa: E402
from bench.scratch import experts_on_workshops, scratch_app  # noqa: E402
from tests.factories import make_user  # noqa: E402
from tests.smtp import SMTPServer  # noqa: E402
from workflow.accounts.models import Role, User  # noqa: E402
from workflow.deployments.lifecycle import DeploymentStatus  # noqa: E402
from workflow.deployments.models import Deployment  # noqa: E402
from workflow.mail.outbox import OutboxReport  # noqa: E402
from workflow.notifications.dispatch import dispatch_notifications, message_id  # noqa: E402
from workflow.notifications.kinds import KINDS, Context  # noqa: E402
from workflow.notifications.models import EmailState, NotificationEmail  # noqa: E402
from workflow.notifications.notify import notify  # noqa: E402
from workflow.reference.services import ensure_reference_data  # noqa: E402

NOW = datetime(2027, 1, 13, 10, tzinfo=UTC)
BASE_URL = "https://peerflow.example.org"
PLACES = 50  # per workshop
LOCALES = (("en", "UTC"), ("es", "America/Lima"), ("fr", "Europe/Paris"))


def populate(sessions: sessionmaker, count: int) -> None:
    """Workshops with `count` places in all, an invited expert on each place (rows, as `propose` leaves them)."""
    with sessions() as session:
        session.info["now"] = NOW
        ensure_reference_data(session)
        session.commit()
        officer = make_user(session, Role.OFFICER, email="officer@bench.peerflow.org")
        experts_on_workshops(session, officer, count, places=PLACES, status=DeploymentStatus.INVITED, now=NOW,
                             dress=dress)
        session.commit()


def dress(user: User, n: int) -> None:
    user.locale, user.timezone = LOCALES[n % len(LOCALES)]


def write(sessions: sessionmaker) -> tuple[float, int]:
    """The news of every invitation, written with `notify` in one transaction; (seconds, rows written)."""
    kind = KINDS["expert_invited"]
    with sessions() as session:
        session.info["now"] = NOW
        deployments = session.scalars(select(Deployment).order_by(Deployment.id)).all()
        began = perf_counter()
        written = sum(len(notify(session, kind, d, Context(actor=None, now=NOW, event="invite"))) for d in deployments)
        session.commit()
        return perf_counter() - began, written


def dispatch(app, sessions: sessionmaker, server: SMTPServer, dispatchers: int) -> tuple[float, list]:
    return dispatch_concurrently(app, sessions, server, dispatchers, dispatch_notifications)


def outcome(sessions: sessionmaker, received: Counter) -> tuple[int, int, int]:
    """(duplicates, lost, left): Message-IDs received twice, e-mails not received or not marked sent, still due."""
    with sessions() as session:
        rows = session.scalars(select(NotificationEmail)).all()
        lost = sum(1 for row in rows if row.state is not EmailState.SENT or message_id(row, BASE_URL) not in received)
        left = session.scalar(select(func.count()).select_from(NotificationEmail).where(
            NotificationEmail.state.in_((EmailState.PENDING, EmailState.SENDING))))
    return sum(1 for n in received.values() if n > 1), lost, left


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=1_000, help="how many invitations (default 1,000)")
    parser.add_argument("--dispatchers", type=int, default=1, help="dispatchers running at once (threads)")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="peerflow-bench-") as folder:
        url = database_url(args.database_url, Path(folder))
        app, engine, sessions = scratch_app(url, folder, PEERFLOW_BASE_URL=BASE_URL)
        began = perf_counter()
        with app.app_context():
            populate(sessions, args.notifications)
            setup = perf_counter() - began
            write_seconds, written = write(sessions)
        print(f"Database: {engine.dialect.name}; {args.notifications} invited experts on "
              f"{-(-args.notifications // PLACES)} workshops (set up in {setup:.1f} s); notify() wrote {written} "
              f"notifications and their e-mails in {write_seconds:.1f} s.")

        with SMTPServer(headers_only=True) as server:
            seconds, reports = dispatch(app, sessions, server, args.dispatchers)
            received = server.by_message_id()
        duplicates, lost, left = outcome(sessions, received)
        engine.dispose()

    failed = [r for r in reports if isinstance(r, BaseException)]
    counted: Counter = Counter()
    for report in reports:
        if isinstance(report, OutboxReport):
            counted.update(sent=report.sent, retrying=report.retrying, failed=report.failed)
    per_second = counted["sent"] / seconds if seconds else 0.0
    print(f"{args.dispatchers} dispatcher(s) sent {counted['sent']} e-mails (each with its .ics) in {seconds:.1f} s: "
          f"{per_second:,.1f} per second, {per_second * 60:,.0f} per minute ({counted['retrying']} to retry, "
          f"{counted['failed']} failed, {len(failed)} dispatcher(s) crashed{': ' + repr(failed[0]) if failed else ''}).")
    print(f"The SMTP server received {sum(received.values())} messages with {len(received)} Message-IDs; "
          f"duplicates: {duplicates}; lost (not received or not marked sent): {lost}; still waiting: {left}.")
    print(json.dumps({"notifications": written, "write_seconds": round(write_seconds, 2), "seconds": round(seconds, 2),
                      "per_second": round(per_second, 1), "per_minute": round(per_second * 60, 1),
                      "duplicates": duplicates, "lost": lost}))


if __name__ == "__main__":
    main()
