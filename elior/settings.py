"""Every setting of the service, read from the environment in this one place.

Each field of `Settings` is declared once with `setting(ENV_NAME, default, doc)`: its name in the environment, its
default, and the sentence the docs' configuration table shows (docs/configuration.md is generated from `SETTINGS`,
and a test fails when a setting has no sentence). `Settings.from_env()` is the only reader of `os.environ` in the
package, so a setting cannot hide anywhere else.
"""
from __future__ import annotations

import dataclasses
import os
import secrets
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from starlette.config import Config

from elior.setting_fields import as_bool, as_list, as_optional, setting

# A SECRET_KEY that production refuses: the empty string and the values people paste from tutorials.
KNOWN_BAD_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "development", "insecure"})


class SettingsError(Exception):
    """A configuration that must stop the start; the message is printed as one line."""


@dataclass(frozen=True)
class Settings:
    # --- the service ---
    environment: str = setting("ENVIRONMENT", "development", "`development` or `production`. Production refuses to "
                               "start without a `SECRET_KEY` of 32+ characters and sends HSTS.")
    domain: str = setting("DOMAIN", "localhost", "The public host name, used in links the server prints.")
    host: str = setting("HOST", "127.0.0.1", "The address `python -m elior` listens on (`--host` overrides).")
    port: int = setting("PORT", 8000, "The port `python -m elior` listens on (`--port` overrides).")
    max_connections: int = setting("MAX_CONNECTIONS", 1000, "Open connections (HTTP and WebSocket) one server "
                                   "process holds; one more is answered 503 and closed at once.")
    max_header_bytes: int = setting("MAX_HEADER_BYTES", 16384, "The largest request head (request line and "
                                    "headers); a larger one is answered 431.")
    max_headers: int = setting("MAX_HEADERS", 100, "Headers one request may carry; more are answered 431.")
    header_timeout: float = setting("HEADER_TIMEOUT_SECONDS", 10.0, "Seconds a request's head may take to arrive, "
                                    "however it trickles in; then 408 and the connection is closed.")
    body_timeout: float = setting("BODY_TIMEOUT_SECONDS", 30.0, "Seconds a request body may pause between bytes "
                                  "before the connection is closed.")
    keep_alive_timeout: int = setting("KEEP_ALIVE_SECONDS", 5, "Seconds an idle keep-alive connection stays open.")
    ws_max_per_user: int = setting("WS_MAX_PER_USER", 10, "Live-update sockets one account may hold (per process); "
                                   "one more closes the account's oldest with code 4429.")
    ws_send_buffer_bytes: int = setting("WS_SEND_BUFFER_BYTES", 65536, "The kernel send buffer (SO_SNDBUF) of each "
                                        "live-update socket, so a reader that stops cannot pile megabytes up there.")
    ws_max_queued_bytes: int = setting("WS_MAX_QUEUED_BYTES", 262144, "Bytes of messages that may wait for one "
                                       "socket; past them it is dropped as too slow (1013).")
    ws_stall_seconds: float = setting("WS_STALL_SECONDS", 15.0, "Seconds one send to a socket may wait on a reader "
                                      "that takes no bytes before the socket is dropped.")
    outbox_sweep_seconds: float = setting("OUTBOX_SWEEP_SECONDS", 5.0, "Seconds between re-sends of live updates "
                                          "that a fault kept from their first push (their notifications are stored).")
    cors_origins: tuple[str, ...] = setting("CORS_ORIGINS", (), "Comma-separated origins allowed to call the API "
                                            "from a browser page on another origin.", cast=as_list,
                                            shown_default="none")
    log_level: str = setting("LOG_LEVEL", "INFO", "Structured JSON logs on stderr from this level up.",
                             cast=lambda value: str(value).upper())
    data_dir: Path = setting("ELIOR_DATA_DIR", Path("data"), "The data folder: the SQLite database, the "
                             "development secret key, uploads.", cast=Path)
    # --- the database ---
    database_url: str = setting("DATABASE_URL", "", "`sqlite:///path/to/file.db` or "
                                "`postgresql://user:pass@host:5432/db`.", shown_default="sqlite:///data/elior.db")
    pool_size: int = setting("POOL_SIZE", 5, "PostgreSQL: connections the pool keeps open.")
    max_overflow: int = setting("MAX_OVERFLOW", 10, "PostgreSQL: connections the pool may open beyond "
                                "`POOL_SIZE` under load.")
    sqlite_readers: int = setting("SQLITE_READERS", 4, "SQLite: reader threads for statements marked `-- runs long`; "
                                  "other reads run on the event loop.")
    # --- accounts and tokens ---
    secret_key: str = setting("SECRET_KEY", "", "Signs tokens and URLs. Required in production; in development, "
                              "when unset, a random key is made once in `data/secret_key` (mode 0600).",
                              shown_default="made once in development")
    algorithm: str = setting("ALGORITHM", "HS256", "The JWT signing algorithm, pinned on decode.")
    access_token_expire_minutes: int = setting("ACCESS_TOKEN_EXPIRE_MINUTES", 15, "Access token lifetime.")
    refresh_token_expire_days: int = setting("REFRESH_TOKEN_EXPIRE_DAYS", 30, "Refresh token lifetime.")
    admin_email: str | None = setting("ELIOR_ADMIN_EMAIL", None, "With `ELIOR_ADMIN_PASSWORD`: create this admin "
                                      "at start when the studio has none.", cast=as_optional)
    admin_password: str | None = setting("ELIOR_ADMIN_PASSWORD", None, "The password of `ELIOR_ADMIN_EMAIL`.",
                                         cast=as_optional)
    allow_registration: bool = setting("ALLOW_REGISTRATION", False, "Let people register without an invite, as "
                                       "clients with no trainer.", cast=as_bool)
    invite_expire_days: int = setting("INVITE_EXPIRE_DAYS", 7, "How long an invite code stays usable.")
    bcrypt_rounds: int = setting("BCRYPT_ROUNDS", 12, "Password hashing cost (each step doubles the work).")
    password_pepper: str | None = setting("PASSWORD_PEPPER", None, "Keys the pre-hash of every password; unset, "
                                          "`SECRET_KEY` does, so when you rotate that key set this to the old one "
                                          "or every password stops working.", cast=as_optional,
                                          shown_default="SECRET_KEY")
    password_threads: int = setting("PASSWORD_THREADS", 2, "Threads that hash passwords, off the event loop.")
    password_queue: int = setting("PASSWORD_QUEUE", 16, "Password hashes that may wait for a thread before "
                                  "further logins answer 429.")
    require_two_factor: tuple[str, ...] = setting("REQUIRE_TWO_FACTOR", (), "Roles (`trainer,admin`) that must "
                                                  "sign in with a TOTP code.", cast=as_list, shown_default="none")
    rate_limit_per_minute: int = setting("RATE_LIMIT_PER_MINUTE", 600, "Sustained requests a minute per user "
                                         "(signed in) or address (anonymous); `0` turns the limit off.")
    rate_limit_burst: int = setting("RATE_LIMIT_BURST", 200, "Requests allowed at once before the sustained rate "
                                    "applies.")
    # --- files ---
    max_upload_mb: int = setting("MAX_UPLOAD_MB", 10, "The largest upload, enforced while the body streams in; "
                                 "also caps every request body.")
    upload_quota_mb: int = setting("UPLOAD_QUOTA_MB", 500, "Bytes stored per account (the files about a client, "
                                   "or a staff member's own).")
    upload_dir: Path = setting("UPLOAD_DIR", Path("data/uploads"), "Where uploaded files are kept (outside "
                               "`static/`).", cast=Path, shown_default="ELIOR_DATA_DIR/uploads")
    max_json_kb: int = setting("MAX_JSON_KB", 1024, "The largest JSON request body.")
    file_encryption_key: str | None = setting("FILE_ENCRYPTION_KEY", None, "32 bytes as hex or base64: store "
                                              "uploads encrypted with AES-256-GCM.", cast=as_optional)
    file_url_expire_minutes: int = setting("FILE_URL_EXPIRE_MINUTES", 60, "Lifetime of the signed file URLs that "
                                           "let an `<img>` show a photo.")
    export_expire_hours: int = setting("EXPORT_EXPIRE_HOURS", 48, "Hours a finished data export's ZIP is kept "
                                       "before housekeeping removes it.")
    clamd_socket: str | None = setting("CLAMD_SOCKET", None, "clamd's unix socket (e.g. `/run/clamav/clamd.ctl`): "
                                       "scan every upload before keeping it, failing closed.", cast=as_optional)
    clamd_host: str | None = setting("CLAMD_HOST", None, "clamd over TCP instead of a socket.", cast=as_optional)
    clamd_port: int = setting("CLAMD_PORT", 3310, "clamd's TCP port, with `CLAMD_HOST`.")
    clamd_connect_timeout: float = setting("CLAMD_CONNECT_TIMEOUT_SECONDS", 5.0, "Seconds to reach clamd; then the "
                                           "upload is refused with 503.")
    clamd_send_timeout: float = setting("CLAMD_SEND_TIMEOUT_SECONDS", 30.0, "Seconds clamd may take to read a whole "
                                        "upload; a scanner that stops reading gets the upload refused with 503.")
    clamd_reply_timeout: float = setting("CLAMD_REPLY_TIMEOUT_SECONDS", 60.0, "Seconds clamd may take to give its "
                                         "verdict once the upload is in; then 503.")
    upload_parse_seconds: float = setting("UPLOAD_PARSE_SECONDS", 3.0, "CPU seconds one upload may spend being "
                                          "parsed and rewritten; past them it is a 422 and nothing is kept.")
    # --- e-mail ---
    smtp_host: str | None = setting("SMTP_HOST", None, "The SMTP server that sends the studio's mail; unset (or "
                                    "without `MAIL_FROM`), no mail is queued or sent.", cast=as_optional)
    smtp_port: int = setting("SMTP_PORT", 587, "The SMTP server's port (587: mail submission, with STARTTLS).")
    smtp_user: str | None = setting("SMTP_USER", None, "The account to sign in to the SMTP server with, when it "
                                    "asks for one.", cast=as_optional)
    smtp_password: str | None = setting("SMTP_PASSWORD", None, "The password of `SMTP_USER`.", cast=as_optional)
    smtp_starttls: bool = setting("SMTP_STARTTLS", True, "Upgrade the SMTP connection with STARTTLS (the "
                                  "certificate checked) before signing in or sending; `false` only for a relay on "
                                  "the same host.", cast=as_bool)
    mail_from: str | None = setting("MAIL_FROM", None, "The sender of every mail, an address such as "
                                    "`studio@example.com` (a name before it in angle brackets is kept).",
                                    cast=as_optional)
    smtp_timeout: float = setting("SMTP_TIMEOUT_SECONDS", 30.0, "Seconds the SMTP server may take over one step; "
                                  "a mail whose sender died mid-send is sent again after twelve times this.")
    mail_retry_after: tuple[str, ...] = setting("MAIL_RETRY_AFTER", ("1m", "5m", "30m", "2h"), "Comma-separated "
                                                "waits before each new attempt at a mail the SMTP server did not "
                                                "take (`30s`, `5m`, `2h`); after the last, it is marked failed.",
                                                cast=as_list, shown_default="1m,5m,30m,2h")
    mail_poll_seconds: float = setting("MAIL_POLL_SECONDS", 10.0, "Seconds between looks at the mail queue for "
                                       "mail that other server processes queued or that fell due.")
    password_reset_minutes: int = setting("PASSWORD_RESET_MINUTES", 30, "Minutes a password-reset link (mailed, or "
                                          "made by an admin or trainer to hand over) stays valid; it works once.")
    # --- operations ---
    metrics_token: str | None = setting("METRICS_TOKEN", None, "A bearer token that may read `/metrics` besides "
                                        "admins (for a Prometheus scraper).", cast=as_optional)
    cache_ttl_scale: float = setting("CACHE_TTL_SCALE", 1.0, "Multiplies every in-process cache's lifetime; `0` "
                                     "turns the caches off (`bench/http_load.py` measures the uncached path so).")
    # the access log of clients' records, and housekeeping
    access_log: bool = setting("ACCESS_LOG", True, "Record every read or change of a client's records by someone "
                               "else (`GET /api/clients/{id}/access-log`); `0` turns it off.", cast=as_bool)
    access_log_days: int = setting("ACCESS_LOG_DAYS", 365, "Days an access-log row is kept before housekeeping "
                                   "removes it.")
    housekeeping_interval: float = setting("HOUSEKEEPING_INTERVAL_SECONDS", 3600.0, "Seconds between housekeeping "
                                           "rounds (what one does: the Privacy page).")
    # --- coaching: when the attention queue flags a client ---
    attention_drop_points: int = setting("ATTENTION_DROP_POINTS", 20, "Flag a client whose 7-day compliance fell "
                                         "this many points below the 7 days before.")
    attention_inactive_days: int = setting("ATTENTION_INACTIVE_DAYS", 7, "Flag a client with no workout logged for "
                                           "more than this many days.")
    attention_weigh_in_days: int = setting("ATTENTION_WEIGH_IN_DAYS", 14, "Flag a client with no weigh-in for "
                                           "more than this many days.")
    # --- bookings: the studio's clock and rules ---
    studio_timezone: str = setting("STUDIO_TIMEZONE", "UTC", "The studio's IANA time zone (`Europe/Berlin`): "
                                   "trainers' weekly hours and exceptions are wall-clock times in it; appointments "
                                   "are stored in UTC.")
    cancel_cutoff_hours: int = setting("CANCEL_CUTOFF_HOURS", 24, "Hours before an appointment inside which a "
                                       "client's cancel is late (its credit is spent) and a client may no longer "
                                       "reschedule.")
    reminder_hours: int = setting("REMINDER_HOURS", 24, "Hours before an appointment that its client is reminded "
                                  "of it (a notification, and a mail when mail is on); `0` sends no reminders.")
    slot_step_minutes: int = setting("SLOT_STEP_MINUTES", 15, "Minutes between the start times `GET /api/slots` "
                                     "offers within a trainer's hours.")
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`, read from the URL in one place (elior/db/urls.py)."""
        from elior.db import urls

        return urls.dialect(self.database_url)

    def with_overrides(self, **changes: Any) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        config = Config(environ=dict(os.environ if environ is None else environ))
        values: dict[str, Any] = {}
        for spec in SETTINGS:
            cast = spec.metadata["cast"] or (as_bool if isinstance(spec.default, bool) else type(spec.default))
            values[spec.name] = config(spec.metadata["env"], cast=cast, default=spec.default)
        environment = values["environment"]
        if environment not in {"development", "production"}:
            raise SettingsError(f"ENVIRONMENT must be development or production, not {environment!r}")
        data_dir = values["data_dir"]
        values["database_url"] = values["database_url"] or f"sqlite:///{data_dir / 'elior.db'}"
        if values["database_url"].startswith("postgres://"):
            values["database_url"] = "postgresql://" + values["database_url"][len("postgres://"):]
        if "UPLOAD_DIR" not in config.environ:
            values["upload_dir"] = data_dir / "uploads"
        secret_key = values["secret_key"]
        if environment == "production" and secret_key.strip().lower() in KNOWN_BAD_SECRETS:
            raise SettingsError("SECRET_KEY must be set to a long random value when ENVIRONMENT=production")
        if environment == "production" and len(secret_key) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters when ENVIRONMENT=production")
        _check_encryption_key(values["file_encryption_key"])
        _check_timezone(values["studio_timezone"])
        return cls(**values)


# The declared settings, in the order the docs list them (everything but `extra`).
SETTINGS: tuple[dataclasses.Field[Any], ...] = tuple(f for f in dataclasses.fields(Settings) if "env" in f.metadata)


def _check_encryption_key(value: str | None) -> None:
    """A malformed FILE_ENCRYPTION_KEY stops the start, rather than failing every upload later."""
    if not value:
        return
    from elior.media.crypto import parse_key

    try:
        parse_key(value)
    except ValueError as error:
        raise SettingsError(str(error)) from None


def _check_timezone(name: str) -> None:
    """An unknown STUDIO_TIMEZONE stops the start (zoneinfo: an IANA name such as Europe/Berlin)."""
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"STUDIO_TIMEZONE {name!r} is not an IANA time zone (e.g. Europe/Berlin)") from None


def ensure_secret_key(settings: Settings) -> Settings:
    """In development with no SECRET_KEY, make one once and keep it beside the data (0600).

    Keeping it on disk means tokens issued before a restart stay valid after it.
    """
    if settings.secret_key:
        return settings
    path = settings.data_dir / "secret_key"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return settings.with_overrides(secret_key=path.read_text().strip())
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return settings.with_overrides(secret_key=path.read_text().strip())


def load(*checks: Callable[[Settings], object]) -> Settings:
    """Settings for a real start: from the environment, exiting with one line on a bad configuration.

    `checks` are the layers' own validations of their settings (the mail configuration, say), run here so that
    their refusal is the same one line and not a traceback from deep in the start.
    """
    try:
        settings = ensure_secret_key(Settings.from_env())
        for check in checks:
            check(settings)
        return settings
    except (SettingsError, ValueError) as error:
        sys.exit(f"elior: configuration error: {error}")
