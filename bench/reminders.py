"""Time the reminder dispatch: 10,000 due reminders through real rules, a real database and a real SMTP server.

Run from the repository root: `.venv/bin/python bench/reminders.py [--reminders N] [--dispatchers 2]
[--database-url postgresql+psycopg://…/peerflow_bench]`. It builds a throw-away database with the
migrations (an SQLite file in a temporary folder unless told otherwise; a PostgreSQL database is
emptied first, so its name must contain "bench" or "test"), submits requests long ago so that every
officer has one review chaser due per request (plus their weekly digest), starts an aiosmtpd server
on loopback and runs `dispatch_due_reminders` with the SMTP mailer, one thread per dispatcher, each
with its own session. It counts what the server received by Message-ID. The last line printed is
one JSON object with the measured figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from time import perf_counter  # noqa: E402

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench.scratch import scratch_app  # noqa: E402
from tests.smtp import SMTPServer  # noqa: E402
from workflow.accounts.models import Role, User  # noqa: E402
from workflow.mail.mailer import SMTPMailer  # noqa: E402
from workflow.mail.outbox import OutboxReport  # noqa: E402
from workflow.reference.models import Institution, InstitutionKind, ThematicArea  # noqa: E402
from workflow.reference.services import ensure_reference_data  # noqa: E402
from workflow.reminders.dispatch import dispatch_due_reminders, message_id  # noqa: E402
from workflow.reminders.models import Reminder, ReminderState  # noqa: E402
from workflow.reminders.sync import refresh_recurring  # noqa: E402
from workflow.requests.lifecycle import RequestEvent  # noqa: E402
from workflow.requests.services import RequestDraft, apply_request_event, create_request  # noqa: E402

NOW = datetime(2027, 1, 13, 10, tzinfo=UTC)  # a Wednesday: this week's digests are due, no chaser is near
SUBMITTED = NOW - timedelta(days=200, hours=3)
BASE_URL = "https://peerflow.example.org"


def database_url(given: str | None, folder: Path) -> str:
    if not given:
        return f"sqlite:///{folder / 'reminders-bench.db'}"
    name = make_url(given).database or ""
    if not given.startswith("sqlite") and not ("bench" in name or "test" in name):
        raise SystemExit(f"Refusing to empty the database {name!r}: its name must contain 'bench' or 'test'.")
    return given


def populate(sessions: sessionmaker, *, officers: int, requests: int) -> None:
    """Officers and requests waiting since long ago; the commit hook derives their reminders."""
    with sessions() as session:
        session.info["now"] = NOW
        ensure_reference_data(session)
        session.commit()
        password = generate_password_hash("bench-only", method="pbkdf2:sha256:1000")
        institution = Institution(name="Ministry of the Interior of Bolivia", country_code="BO",
                                  kind=InstitutionKind.PARTNER_ADMINISTRATION)
        session.add(institution)
        session.flush()
        requester = User(email="requester@bench.peerflow.org", name="Requester", password_hash=password,
                         role=Role.REQUESTER, institution_id=institution.id, created_at=SUBMITTED)
        zones = ("America/Lima", "Europe/Madrid", "America/La_Paz", "Europe/Lisbon", "UTC")
        session.add_all([requester] + [
            User(email=f"officer{n}@bench.peerflow.org", name=f"Officer {n}", password_hash=password,
                 role=Role.OFFICER, timezone=zones[n % len(zones)], locale=("en", "es", "fr")[n % 3],
                 created_at=SUBMITTED) for n in range(officers)])
        session.commit()
        area = session.scalar(select(ThematicArea.id).order_by(ThematicArea.id))
        for n in range(requests):
            request = create_request(session, RequestDraft(title=f"Peer support on border management {n}",
                                                           description="We need peers.", thematic_area_id=area),
                                     actor=requester, now=SUBMITTED)
            apply_request_event(session, request, RequestEvent.SUBMIT, actor=requester, now=SUBMITTED)
        session.commit()
        refresh_recurring(session, NOW)  # this week's digests, as the scheduler's last pass left them
        session.commit()


def due_reminders(sessions: sessionmaker) -> dict[int, str]:
    """Reminder id -> its Message-ID, for every reminder due and waiting."""
    with sessions() as session:
        rows = session.scalars(select(Reminder).where(Reminder.state == ReminderState.PENDING,
                                                      Reminder.due_at <= NOW))
        return {r.id: message_id(r, BASE_URL) for r in rows}


def dispatch(app, sessions: sessionmaker, server: SMTPServer, dispatchers: int,
             one_pass: Callable[..., OutboxReport] = dispatch_due_reminders) -> tuple[float, list]:
    """`dispatchers` threads, each with its own session, run `one_pass` of an outbox at the same moment (the
    reminders', or the notifications' in bench/notifications.py); (seconds, each thread's report or error)."""
    reports: list[OutboxReport | BaseException] = []
    start = threading.Barrier(dispatchers + 1)

    def run() -> None:
        with app.app_context(), sessions() as session:
            mailer = SMTPMailer(server.host, server.port, "peerflow@bench.peerflow.org")
            start.wait()
            try:
                reports.append(one_pass(session, now=NOW, mailer=mailer, base_url=BASE_URL))
            except BaseException as error:  # noqa: BLE001 - counted as a failed dispatcher below
                reports.append(error)

    threads = [threading.Thread(target=run) for _ in range(dispatchers)]
    for thread in threads:
        thread.start()
    start.wait()
    began = perf_counter()
    for thread in threads:
        thread.join()
    return perf_counter() - began, reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=10_000, help="about how many due reminders (default 10,000)")
    parser.add_argument("--officers", type=int, default=50, help="officers; each gets one chaser per request")
    parser.add_argument("--dispatchers", type=int, default=1, help="dispatchers running at once (threads)")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    args = parser.parse_args()
    requests = max(1, round((args.reminders - args.officers) / args.officers))

    with tempfile.TemporaryDirectory(prefix="peerflow-bench-") as folder:
        url = database_url(args.database_url, Path(folder))
        app, engine, sessions = scratch_app(url, folder, PEERFLOW_BASE_URL=BASE_URL)
        began = perf_counter()
        with app.app_context():
            populate(sessions, officers=args.officers, requests=requests)
        due = due_reminders(sessions)
        print(f"Database: {engine.dialect.name}; {args.officers} officers, {requests} requests waiting since "
              f"{SUBMITTED:%d %b %Y}: {len(due)} reminders due at {NOW:%d %b %Y %H:%M} UTC "
              f"(set up in {perf_counter() - began:.1f} s).")

        with SMTPServer(headers_only=True) as server:
            seconds, reports = dispatch(app, sessions, server, args.dispatchers)
            received = server.by_message_id()

        with sessions() as session:
            sent = set(session.scalars(select(Reminder.id).where(Reminder.state == ReminderState.SENT)))
            left = session.scalar(select(func.count()).select_from(Reminder).where(
                Reminder.state.in_((ReminderState.PENDING, ReminderState.SENDING)), Reminder.due_at <= NOW))
        engine.dispose()

    failed = [r for r in reports if isinstance(r, BaseException)]
    duplicates = sum(1 for count in received.values() if count > 1)
    lost = sum(1 for rid, mid in due.items() if rid not in sent or mid not in received)
    per_minute = len(due) / seconds * 60 if seconds else 0.0
    counted = Counter()
    for report in reports:
        if isinstance(report, OutboxReport):
            counted.update(sent=report.sent, retrying=report.retrying, failed=report.failed,
                           cancelled=report.cancelled)
    print(f"{args.dispatchers} dispatcher(s) sent {counted['sent']} reminders in {seconds:.1f} s: "
          f"{per_minute:,.0f} per minute ({counted['retrying']} to retry, {counted['failed']} failed, "
          f"{counted['cancelled']} no longer needed, {len(failed)} dispatcher(s) crashed"
          f"{': ' + repr(failed[0]) if failed else ''}).")
    print(f"The SMTP server received {sum(received.values())} messages with {len(received)} Message-IDs; "
          f"duplicates (Message-IDs received more than once): {duplicates}; lost (due reminders not received "
          f"or not marked sent): {lost}; still waiting in the database: {left}.")
    print(json.dumps({"reminders": len(due), "seconds": round(seconds, 2), "per_minute": round(per_minute, 1),
                      "duplicates": duplicates, "lost": lost}))


if __name__ == "__main__":
    main()
