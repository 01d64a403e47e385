"""E-mail as a mail client reads it: subjects decode to exactly their text (spaces and all, folded or
not), and every text attachment names its charset (a calendar file its iTIP method too)."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, date, datetime
from email.header import decode_header, make_header

import pytest
from icalendar import Calendar

from workflow.accounts.models import Role
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.mail.mailer import Outgoing
from workflow.reminders.dispatch import dispatch_due_reminders

from ..factories import make_action, make_expert, make_institution, make_staffed_activity, make_user

pytest_plugins = ["tests.smtp"]

BASE_URL = "https://peerflow.example.org"
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:S\xc3\xa3o Paulo\r\nEND:VCALENDAR\r\n"
SUBJECTS = [
    "Invitación: Taller de São Paulo",
    "Rappel : l’atelier « Identification des victimes » à Montréal commence bientôt",
    # Long enough to fold, with accented words on either side of the folds and two spaces kept as two.
    "Recordatorio: el taller “Identificación y derivación de víctimas de trata en la región andina” "
    "empieza en 30 días — Lima, Perú, 1 mar 2027;  Consulta n.º 12 del Comité Directivo",
    "Puede responder, o cambiar su respuesta, hasta el Taller de São Paulo.",  # folded before an encoded word
    "No se pudo dibujar el mapa. La lista de abajo tiene las mismas cifras.",  # plain ASCII, just too long
]


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def decoded_subject_both_ways(raw: bytes) -> tuple[str, str]:
    """The subject as a modern parser and as RFC 2047 decoding of the raw header read it."""
    modern = str(parsed(raw)["Subject"])
    legacy = str(make_header(decode_header(email.message_from_bytes(raw, policy=email.policy.compat32)["Subject"])))
    return modern, legacy


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_subject_decodes_to_exactly_its_text(smtp_server, subject):
    mailer = smtp_server.mailer()
    mailer.send(Outgoing("<s-1@peerflow.example.org>", "ana@test.peerflow.org", subject, "Texto: São Paulo",
                         "<p>São Paulo</p>", (("activity.ics", "text/calendar", ICS),)))
    mailer.close()
    [received] = smtp_server.messages
    assert decoded_subject_both_ways(received.raw) == (subject, subject)
    assert all(len(line) <= 78 for line in received.raw.split(b"\r\n"))  # folded, as RFC 5322 asks
    if len(subject) > 70:
        assert b"\r\n " in received.raw.split(b"\r\n\r\n")[0].split(b"Subject:")[1].split(b"\r\nMessage-ID")[0]


def test_every_text_attachment_names_its_charset_and_a_calendar_its_method(smtp_server):
    mailer = smtp_server.mailer()
    mailer.send(Outgoing("<s-2@peerflow.example.org>", "ana@test.peerflow.org", "Notes", "t", "<p>h</p>", (
        ("activity.ics", "text/calendar", ICS),
        ("invite.ics", "text/calendar", ICS.replace(b"METHOD:PUBLISH", b"METHOD:REQUEST")),
        ("notes.txt", "text/plain", "Señora Núñez".encode()),
        ("report.pdf", "application/pdf", b"%PDF-1.4"),
    )))
    mailer.close()
    [received] = smtp_server.messages
    parts = {part.get_filename(): part for part in parsed(received.raw).walk() if part.get_filename()}
    assert parts["activity.ics"].get_content_type() == "text/calendar"
    assert parts["activity.ics"].get_param("charset") == "utf-8"
    assert parts["activity.ics"].get_param("method") == "PUBLISH"
    assert parts["invite.ics"].get_param("method") == "REQUEST"
    assert parts["notes.txt"].get_param("charset") == "utf-8"
    assert parts["notes.txt"].get_content() == "Señora Núñez"
    assert parts["report.pdf"].get_param("charset") is None
    assert parts["activity.ics"].get_payload(decode=True) == ICS  # the bytes as written, CRLF and all


def test_a_header_never_carries_a_line_break_from_an_old_title(smtp_server):
    mailer = smtp_server.mailer()
    mailer.send(Outgoing("<s-3@peerflow.example.org>", "ana@test.peerflow.org", "Taller\r\nBcc: evil@example.org",
                         "t", "<p>h</p>"))
    mailer.close()
    [received] = smtp_server.messages
    assert decoded_subject_both_ways(received.raw)[0] == "Taller Bcc: evil@example.org"
    assert received.envelope_to == ("ana@test.peerflow.org",) and parsed(received.raw)["Bcc"] is None


def test_a_kind_adds_headers_of_its_own_on_one_line_each(smtp_server):
    mailer = smtp_server.mailer()
    unsubscribe = "<https://peerflow.example.org/me/notifications/unsubscribe/abc>"
    mailer.send(Outgoing("<s-4@peerflow.example.org>", "ana@test.peerflow.org", "Notes", "t", "<p>h</p>",
                         headers=(("List-Unsubscribe", unsubscribe),
                                  ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click\r\nBcc: evil@example.org"))))
    mailer.close()
    [received] = smtp_server.messages
    headers = parsed(received.raw)
    assert headers["List-Unsubscribe"].strip() == unsubscribe  # folded after the name when long: space, not text
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click Bcc: evil@example.org"
    assert headers["Bcc"] is None and received.envelope_to == ("ana@test.peerflow.org",)


def test_a_real_reminder_in_spanish_and_french_reads_back_exactly(app, db, clock, smtp_server):
    with app.app_context():
        officer = make_user(db, Role.OFFICER)
        officer.locale = "fr"
        expert_user = make_user(db, Role.EXPERT)
        expert_user.locale = "es"
        db.commit()
        expert = make_expert(db, expert_type="partner_peer", country="AR", user=expert_user)
        action = make_action(db, officer, beneficiary=make_institution(db, "PE"))
        activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1),
                                         title="Invitación: Taller de São Paulo")
        deployment = propose(db, activity.slots[0], expert, actor=officer, now=clock.now)
        for event, actor in ((DeploymentEvent.INVITE, officer), (DeploymentEvent.ACCEPT, expert_user),
                             (DeploymentEvent.CONFIRM, officer)):
            apply_deployment_event(db, deployment, event, actor=actor, now=clock.now)
        db.commit()
        clock.set(datetime(2027, 1, 30, 9, tzinfo=UTC))
        dispatch_due_reminders(db, now=clock.now, mailer=smtp_server.mailer(), base_url=BASE_URL)
        expected = {expert_user.email: f"“Invitación: Taller de São Paulo” empieza en 30 días ({action.name})",
                    officer.email: f"«\u00a0Invitación: Taller de São Paulo\u00a0» commence dans 30 jours ({action.name})"}

    by_recipient = {m.to: m for m in smtp_server.messages}
    for address, subject in expected.items():
        raw = by_recipient[address].raw
        assert decoded_subject_both_ways(raw) == (subject, subject)
        [ics] = [part for part in parsed(raw).walk() if part.get_filename() == "activity.ics"]
        assert (ics.get_content_type(), ics.get_param("charset"), ics.get_param("method")) == \
            ("text/calendar", "utf-8", "PUBLISH")
        assert str(Calendar.from_ical(ics.get_payload(decode=True)).get("method")) == "PUBLISH"
