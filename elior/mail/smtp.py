"""One SMTP conversation, with the standard library: the message made from a queued row, and the outcome judged.

Everything here blocks, so elior.mail.sender runs it on a thread of its own; every socket step is bounded by
SMTP_TIMEOUT_SECONDS. With SMTP_STARTTLS the connection is upgraded before anything else is said, the server's
certificate checked for SMTP_HOST against the system's CAs (for a private CA, point OpenSSL's own SSL_CERT_FILE at
it), and a server that does not offer STARTTLS is an error, never a reason to go on in clear. Implicit TLS (port
465) is not spoken: submission on 587 with STARTTLS is what providers offer alongside it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import format_datetime
from enum import Enum
from typing import Any

from elior.mail.config import MailConfig

MAX_ERROR = 500


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"  # this mail may go through later; the connection is fine for the next one
    BROKEN = "broken"  # the connection or the configuration failed: retry later, and stop this pass
    REFUSED = "refused"  # the server refused this mail for good (a 5xx about it): never retried


def build_message(config: MailConfig, row: dict[str, Any]) -> EmailMessage:
    """The mail of a queued row: plain text, and HTML as its alternative when there is some."""
    assert config.sender is not None  # mail is on
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = row["recipient"]
    message["Subject"] = row["subject"]
    created = row["created_at"]
    if not isinstance(created, dt.datetime):
        created = dt.datetime.fromisoformat(str(created).replace("Z", "+00:00"))
    # The time it was queued, and an id made then: a mail sent twice is the same mail twice, not two mails.
    message["Date"] = format_datetime(created.astimezone(dt.timezone.utc))
    message["Message-ID"] = f"<{row['message_token']}@{config.sender.domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office robots should not answer it
    message.set_content(row["text_body"])
    if row.get("html_body"):
        message.add_alternative(row["html_body"], subtype="html")
    return message


class Session:
    """An open, greeted (and upgraded, and signed-in) connection to the SMTP server."""

    def __init__(self, config: MailConfig) -> None:
        self.config = config
        # EHLO names the studio's DOMAIN: smtplib's default, socket.getfqdn(), may wait seconds on reverse DNS.
        self.smtp = smtplib.SMTP(config.host, config.port, local_hostname=config.helo_name, timeout=config.timeout)
        try:
            self.smtp.ehlo()
            if config.starttls:
                if not self.smtp.has_extn("starttls"):
                    raise smtplib.SMTPNotSupportedError("the server does not offer STARTTLS (SMTP_STARTTLS is on)")
                self.smtp.starttls(context=ssl.create_default_context())
                self.smtp.ehlo()
            if config.user:
                self.smtp.login(config.user, config.password or "")
        except BaseException:
            self.close(politely=False)
            raise

    def send(self, message: EmailMessage) -> None:
        self.smtp.send_message(message)

    def abort(self) -> None:
        """From another thread: end the conversation at once. A send blocked on the socket returns (with an error)
        instead of waiting out its timeout; closing the file under it would wait for that read to finish."""
        sock = self.smtp.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self, politely: bool = True) -> None:
        """QUIT and close; impolitely (a connection already broken, or a stop) only close the socket."""
        try:
            if politely:
                self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            self.smtp.close()


def judge(error: BaseException | None, connecting: bool = False) -> Outcome:
    """What an attempt's exception means for the mail and for the connection. Whatever fails while connecting
    (refused, TLS, no STARTTLS offered, a wrong password) is about the server or the settings, not the mail."""
    if error is None:
        return Outcome.SENT
    if connecting:
        return Outcome.BROKEN
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return Outcome.REFUSED if codes and all(code >= 500 for code in codes) else Outcome.RETRY
    if isinstance(error, smtplib.SMTPDataError):
        return Outcome.REFUSED if error.smtp_code >= 500 else Outcome.RETRY
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return Outcome.REFUSED  # a non-ASCII address, and a server without SMTPUTF8: this server never will
    # A certificate error is a ValueError too, but it is the connection's; any other means the row makes no mail.
    if isinstance(error, (ValueError, TypeError)) and not isinstance(error, ssl.SSLError):
        return Outcome.REFUSED
    # Dropped, timed out, MAIL_FROM refused: nothing about this mail in particular.
    return Outcome.BROKEN


def describe(error: BaseException) -> str:
    """The reason as the admin's view shows it: the server's answer, never the mail (nor the password)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "; ".join(f"{code} {_text(reply)}" for code, reply in error.recipients.values())
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_text(error.smtp_error)}"
    else:
        text = str(error) or "no detail"
    return f"{type(error).__name__}: {text}"[:MAX_ERROR]


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
