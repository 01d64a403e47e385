"""A real SMTP server on loopback for the tests (and the benchmark): it records every message it accepts.

Use it from a test module with `pytest_plugins = ["tests.smtp"]`, then ask for the `smtp_server`
fixture. The server can be told to refuse messages (`refuse("451 …")`, answered to DATA) or be
stopped and started again on the same port, to play a mail server that is unwell or down.
"""

from __future__ import annotations

import asyncio
import email
import email.parser
import email.policy
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port(host: str = HOST) -> int:
    """A TCP port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Received:
    """One message as the server got it, parsed with `email.message_from_bytes`."""

    message_id: str
    to: str
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...]
    envelope_to: tuple[str, ...]
    raw: bytes = field(repr=False)


def parse(raw: bytes, envelope_to: tuple[str, ...] = (), *, headers_only: bool = False) -> Received:
    if headers_only:  # what a benchmark needs, at a fraction of the cost: the server shares the CPU
        message: Message = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
        return Received(" ".join(str(message.get("Message-ID", "")).split()), str(message.get("To", "")),
                        str(message.get("Subject", "")), "", "", (), envelope_to, b"")
    message = email.message_from_bytes(raw, policy=email.policy.default)  # headers decoded
    text = html = ""
    attachments = []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            attachments.append(Attachment(part.get_filename(), part.get_content_type(), payload))
        elif part.get_content_type() == "text/plain" and not text:
            text = payload.decode(part.get_content_charset() or "utf-8")
        elif part.get_content_type() == "text/html" and not html:
            html = payload.decode(part.get_content_charset() or "utf-8")
    header = lambda name: " ".join(str(message.get(name, "")).split())
    return Received(header("Message-ID"), header("To"), header("Subject"), text, html, tuple(attachments),
                    envelope_to, raw)


class RecordingHandler:
    """An aiosmtpd handler that keeps every accepted message, or answers DATA with a refusal."""

    def __init__(self, headers_only: bool = False) -> None:
        self.headers_only = headers_only
        self.messages: list[Received] = []
        self.refusal: str | None = None
        self.refused = 0
        self.delay = 0.0  # seconds before each answer to DATA: a slow server, so a sender can be caught mid-pass
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refusal:
            with self._lock:
                self.refused += 1
            return self.refusal
        received = parse(envelope.original_content or envelope.content, tuple(envelope.rcpt_tos),
                         headers_only=self.headers_only)
        with self._lock:
            self.messages.append(received)
        return "250 2.0.0 Message accepted for delivery"


class SMTPServer:
    """A real aiosmtpd `Controller` on 127.0.0.1, on a free port that stays the same across restarts."""

    def __init__(self, host: str = HOST, port: int | None = None, *, headers_only: bool = False) -> None:
        self.host, self.port = host, port or free_port(host)
        self.handler = RecordingHandler(headers_only)
        self._controller: Controller | None = None

    # --- Running ---------------------------------------------------------------------------

    def start(self) -> SMTPServer:
        if self._controller is None:
            self._controller = Controller(self.handler, hostname=self.host, port=self.port, ready_timeout=10)
            self._controller.start()
        return self

    def stop(self) -> None:
        """Take the server down: connections are refused until `start()`."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def refuse(self, reply: str = "451 4.3.0 Mail server busy, try again later") -> None:
        """Answer every DATA with `reply` (a 4xx or 5xx line) until `accept()`."""
        self.handler.refusal = reply

    def accept(self) -> None:
        self.handler.refusal = None

    def slow(self, seconds: float) -> None:
        """Wait `seconds` before answering each message (0: answer at once again)."""
        self.handler.delay = seconds

    # --- What arrived ----------------------------------------------------------------------

    @property
    def messages(self) -> list[Received]:
        with self.handler._lock:
            return list(self.handler.messages)

    def by_message_id(self) -> Counter[str]:
        """How many times each Message-ID arrived."""
        return Counter(m.message_id for m in self.messages)

    def duplicates(self) -> dict[str, int]:
        return {mid: n for mid, n in self.by_message_id().items() if n > 1}

    def clear(self) -> None:
        with self.handler._lock:
            self.handler.messages.clear()
            self.handler.refused = 0

    def mailer(self, sender: str = "peerflow@test.peerflow.org"):
        """The app's SMTP mailer pointed at this server."""
        from workflow.mail.mailer import SMTPMailer

        return SMTPMailer(self.host, self.port, sender, timeout=10)

    def __enter__(self) -> SMTPServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture()
def smtp_server() -> Iterator[SMTPServer]:
    """A running SMTP server that records what it receives; stopped after the test."""
    with SMTPServer() as server:
        yield server
