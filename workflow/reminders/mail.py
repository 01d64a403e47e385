"""Sending e-mail: SMTP when configured, else the in-app outbox (development)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage as MimeMessage
from email.utils import formatdate
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    message_id: str  # "<reminder-42.3f2a…@host>": the same for every attempt at one reminder
    to: str
    subject: str
    text: str
    html: str
    attachments: tuple[tuple[str, str, bytes], ...] = field(default_factory=tuple)  # (filename, mime type, bytes)


class Mailer(Protocol):
    transport: str

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
        mime = MimeMessage()
        mime["From"] = self.sender
        mime["To"] = message.to
        mime["Subject"] = message.subject
        mime["Message-ID"] = message.message_id
        mime["Date"] = formatdate(localtime=False)
        mime.set_content(message.text)
        mime.add_alternative(message.html, subtype="html")
        for filename, mimetype, data in message.attachments:
            maintype, _, subtype = mimetype.partition("/")
            mime.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
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
    if not config.get("SMTP_HOST"):
        return OutboxMailer()
    return SMTPMailer(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), config["MAIL_FROM"],
                      username=config.get("SMTP_USERNAME"), password=config.get("SMTP_PASSWORD"),
                      starttls=bool(config.get("SMTP_STARTTLS")))
