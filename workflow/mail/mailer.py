"""Sending e-mail: one message built and encoded one way, sent by SMTP when configured, else only recorded.

`OutboxMailer` (transport "outbox") is the development stand-in: each kind records what it would have sent,
and staff read it on the outbox page. The queue of messages waiting to go out is outbox.py.
"""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass, field
from email.header import Header
from email.message import EmailMessage as MimeMessage
from email.policy import EmailPolicy
from email.utils import formatdate
from typing import Any, Protocol
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Outgoing:
    message_id: str  # "<reminder-42.3f2a…@host>": the same for every attempt at one reminder
    to: str
    subject: str
    text: str
    html: str
    attachments: tuple[tuple[str, str, bytes], ...] = field(default_factory=tuple)  # (filename, mime type, bytes)
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # more (name, value), e.g. List-Unsubscribe


def make_message_id(local_part: str, base_url: str) -> str:
    """A Message-ID on the app's host: the same part before the @ makes the same message recognisable."""
    return f"<{local_part}@{urlsplit(base_url).hostname or 'peerflow'}>"


# Headers whose text people write (the subject): folded by `MailPolicy` so that they read back exactly.
TEXT_HEADERS = frozenset({"subject"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_METHOD = re.compile(rb"^METHOD:([A-Za-z-]+)\r?$", re.M)


class MailPolicy(EmailPolicy):
    """The SMTP policy (CRLF, RFC 5322), with the subject folded as RFC 2047 requires to keep its spaces.

    The standard folder may end a line with a space and start the next with an encoded word, or fold
    right after "Subject:", so that a reader unfolding it finds two spaces between words, or a leading
    one ("cambiar su  función"). Here a subject that fits on its line and is plain ASCII is written as
    it is; any other is written as a run of UTF-8 encoded words, each on its own folded line: every
    space is inside an encoded word, and the folds between encoded words are dropped when decoding,
    so the subject decodes to exactly the text it was.
    """

    def _encoded(self, name: str, value: Any) -> str | None:
        if name.lower() not in TEXT_HEADERS:
            return None
        text = str(value)
        if text.isascii() and len(name) + 2 + len(text) <= (self.max_line_length or 78):
            return None
        encoded = Header(text, "utf-8", header_name=name).encode(linesep=self.linesep,
                                                                 maxlinelen=self.max_line_length or 78)
        return f"{name}: {encoded}{self.linesep}"

    def fold(self, name: str, value: Any) -> str:
        return self._encoded(name, value) or super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        encoded = self._encoded(name, value)
        return encoded.encode("ascii") if encoded else super().fold_binary(name, value)


MAIL_POLICY = MailPolicy(linesep="\r\n")  # SMTP's settings (email.policy.SMTP is default + CRLF)


def one_line(text: str) -> str:
    """A header's text on one line: a line break or control character (an old title) becomes a space."""
    return _CONTROL.sub(" ", text).strip()


def attachment_params(maintype: str, subtype: str, data: bytes, given: dict[str, str]) -> dict[str, str]:
    """The Content-Type parameters of an attachment: every text part says its charset (UTF-8, what
    Peerflow writes), and a calendar file its iTIP method (the METHOD its body declares: PUBLISH for a
    feed of events, REQUEST for an invitation)."""
    params = dict(given)
    if maintype == "text":
        params.setdefault("charset", "utf-8")
    if (maintype, subtype) == ("text", "calendar") and "method" not in params:
        found = _METHOD.search(data)
        params["method"] = found.group(1).decode("ascii").upper() if found else "PUBLISH"
    return params


def build_message(sender: str, message: Outgoing) -> MimeMessage:
    """The MIME message for `message`, as SMTPMailer sends it."""
    mime = MimeMessage(policy=MAIL_POLICY)
    mime["From"] = sender
    mime["To"] = message.to
    mime["Subject"] = one_line(message.subject)
    mime["Message-ID"] = message.message_id
    mime["Date"] = formatdate(localtime=False)
    for name, value in message.headers:
        mime[name] = one_line(value)
    mime.set_content(message.text)
    mime.add_alternative(message.html, subtype="html")
    for filename, mimetype, data in message.attachments:
        kind, *raw_params = (part.strip() for part in mimetype.split(";"))
        maintype, _, subtype = kind.partition("/")
        given = {k.strip().lower(): v.strip().strip('"') for k, _eq, v in (p.partition("=") for p in raw_params if p)}
        # Bytes as they are (base64): a calendar file keeps its CRLF line ends and its folding.
        mime.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename,
                            params=attachment_params(maintype, subtype, data, given))
    return mime


class Mailer(Protocol):
    """Sends one message at a time; `close` ends what a pass opened (an SMTP connection)."""

    transport: str  # recorded with each message sent: smtp | outbox

    def send(self, message: Outgoing) -> None: ...

    def close(self) -> None: ...


class OutboxMailer:
    """No SMTP server configured: the message is only recorded, and staff read it on the outbox page."""

    transport = "outbox"

    def send(self, message: Outgoing) -> None:
        return None

    def close(self) -> None:
        return None


class SMTPMailer:
    """One SMTP connection per dispatch pass, reopened after an error."""

    transport = "smtp"

    def __init__(self, host: str, port: int, sender: str, *, username: str | None = None,
                 password: str | None = None, starttls: bool = False, timeout: float = 15.0) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls, self.timeout = username, password, starttls, timeout
        self._smtp: smtplib.SMTP | None = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            self._smtp = smtp
        return self._smtp

    def send(self, message: Outgoing) -> None:
        mime = build_message(self.sender, message)
        try:
            self._connection().send_message(mime)
        except (smtplib.SMTPException, OSError):
            self.close()
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None


def mailer_from_config(config: dict) -> Mailer:
    """SMTP with the app's settings, or the outbox when no SMTP_HOST is set."""
    if not config.get("SMTP_HOST"):
        return OutboxMailer()
    return SMTPMailer(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), config["MAIL_FROM"],
                      username=config.get("SMTP_USERNAME"), password=config.get("SMTP_PASSWORD"),
                      starttls=bool(config.get("SMTP_STARTTLS")))
