"""What the mail settings mean, read once: whether mail is on, the retry schedule, how long a claim lasts.

Mail is on when both `SMTP_HOST` and `MAIL_FROM` are set. Off, nothing is queued (callers ask `mail_enabled` first)
and nothing is sent, and GET /api/system/mail says which setting is missing, so the SPA can say so.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr

from elior.settings import Settings, SettingsError

_DURATION = re.compile(r"^\s*(\d{1,6})\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Round trips one send may wait on, each bounded by SMTP_TIMEOUT_SECONDS: connect, greeting, EHLO, STARTTLS, EHLO
# again, AUTH, MAIL, RCPT, DATA and the reply to the message, with room to spare. A claim lasts that long, so only a
# sender that died (or a server that stalls at every step) lets a mail be claimed, and so sent, twice.
CLAIM_ROUND_TRIPS = 12


def mail_enabled(settings: Settings) -> bool:
    """Whether mail is sent at all; when not, a feature that would mail says so and queues nothing."""
    return disabled_reason(settings) is None


def disabled_reason(settings: Settings) -> str | None:
    """Why mail is off, in a sentence for the admin, or None when it is on."""
    if not settings.smtp_host:
        return "SMTP_HOST is not set"
    if not settings.mail_from:
        return "MAIL_FROM is not set"
    return None


def parse_duration(text: str) -> dt.timedelta:
    """`90s`, `5m`, `2h` or `1d`: one whole number and its unit."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a duration like 30s, 5m, 2h or 1d")
    return dt.timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])


def sender_address(mail_from: str) -> Address:
    """MAIL_FROM as an address (`studio@example.com` or `Studio <studio@example.com>`)."""
    name, address = parseaddr(mail_from)
    if not address or "@" not in address or any(c in mail_from for c in "\r\n\0"):
        raise ValueError(f"MAIL_FROM {mail_from!r} is not an e-mail address")
    username, _, domain = address.rpartition("@")
    return Address(display_name=name, username=username, domain=domain)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class MailConfig:
    enabled: bool
    disabled_reason: str | None
    host: str
    port: int
    user: str | None
    password: str | None
    starttls: bool
    sender: Address | None
    timeout: float
    retry_after: tuple[dt.timedelta, ...]
    poll_seconds: float
    helo_name: str

    @property
    def claim_lasts(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.timeout * CLAIM_ROUND_TRIPS)

    @property
    def attempts(self) -> int:
        """Attempts a mail gets: the first, and one after each wait of the schedule."""
        return 1 + len(self.retry_after)

    @classmethod
    def from_settings(cls, settings: Settings) -> "MailConfig":
        """Read and check the settings; a malformed one stops the start (SettingsError), mail on or off."""
        try:
            retry_after = tuple(parse_duration(step) for step in settings.mail_retry_after)
            sender = sender_address(settings.mail_from) if settings.mail_from else None
        except ValueError as error:
            raise SettingsError(str(error)) from None
        if settings.smtp_timeout <= 0 or settings.mail_poll_seconds <= 0:
            raise SettingsError("SMTP_TIMEOUT_SECONDS and MAIL_POLL_SECONDS must be more than 0")
        reason = disabled_reason(settings)
        return cls(enabled=reason is None, disabled_reason=reason, host=settings.smtp_host or "",
                   port=settings.smtp_port, user=settings.smtp_user, password=settings.smtp_password,
                   starttls=settings.smtp_starttls, sender=sender, timeout=settings.smtp_timeout,
                   retry_after=retry_after, poll_seconds=settings.mail_poll_seconds, helo_name=settings.domain)
