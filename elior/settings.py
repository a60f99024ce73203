"""Every setting of the service, read from the environment in this one place.

The README's Configuration table documents each variable; `Settings.from_env()` is the only reader of
`os.environ` in the package, so a setting cannot hide anywhere else.
"""
from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from starlette.config import Config
from starlette.datastructures import CommaSeparatedStrings

# A SECRET_KEY that production refuses: the empty string and the values people paste from tutorials.
KNOWN_BAD_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "development", "insecure"})


class SettingsError(Exception):
    """A configuration that must stop the start; the message is printed as one line."""


def _bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _encryption_key(value: str | None) -> str | None:
    """A malformed FILE_ENCRYPTION_KEY stops the start, rather than failing every upload later."""
    if not value:
        return None
    from elior.crypto import parse_key

    try:
        parse_key(value)
    except ValueError as error:
        raise SettingsError(str(error)) from None
    return value


@dataclass(frozen=True)
class Settings:
    environment: str = "development"
    domain: str = "localhost"
    cors_origins: tuple[str, ...] = ()
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("data")
    database_url: str = ""
    pool_size: int = 5
    max_overflow: int = 10
    secret_key: str = ""
    algorithm: str = "HS256"
    access_token_expire_minutes: int = 15
    refresh_token_expire_days: int = 30
    admin_email: str | None = None
    admin_password: str | None = None
    allow_registration: bool = False
    invite_expire_days: int = 7
    max_upload_mb: int = 10
    upload_quota_mb: int = 500
    upload_dir: Path = Path("data/uploads")
    max_json_kb: int = 1024
    metrics_token: str | None = None
    file_encryption_key: str | None = None
    clamd_socket: str | None = None
    clamd_host: str | None = None
    clamd_port: int = 3310
    file_url_expire_minutes: int = 60
    bcrypt_rounds: int = 12
    password_threads: int = 2
    password_queue: int = 16
    rate_limit_per_minute: int = 600
    rate_limit_burst: int = 200
    sqlite_readers: int = 4
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def dialect(self) -> str:
        return "postgresql" if self.database_url.startswith(("postgres://", "postgresql")) else "sqlite"

    def with_overrides(self, **changes: Any) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        config = Config(environ=dict(os.environ if environ is None else environ))
        environment = config("ENVIRONMENT", default="development")
        if environment not in {"development", "production"}:
            raise SettingsError(f"ENVIRONMENT must be development or production, not {environment!r}")
        data_dir = Path(config("ELIOR_DATA_DIR", default="data"))
        database_url = config("DATABASE_URL", default="") or f"sqlite:///{data_dir / 'elior.db'}"
        if database_url.startswith("postgres://"):
            database_url = "postgresql://" + database_url[len("postgres://"):]
        secret_key = config("SECRET_KEY", default="")
        if environment == "production" and secret_key.strip().lower() in KNOWN_BAD_SECRETS:
            raise SettingsError("SECRET_KEY must be set to a long random value when ENVIRONMENT=production")
        if environment == "production" and len(secret_key) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters when ENVIRONMENT=production")
        return cls(
            environment=environment,
            domain=config("DOMAIN", default="localhost"),
            cors_origins=tuple(o.strip() for o in config("CORS_ORIGINS", cast=CommaSeparatedStrings, default="")),
            log_level=config("LOG_LEVEL", default="INFO").upper(),
            host=config("HOST", default="127.0.0.1"),
            port=config("PORT", cast=int, default=8000),
            data_dir=data_dir,
            database_url=database_url,
            pool_size=config("POOL_SIZE", cast=int, default=5),
            max_overflow=config("MAX_OVERFLOW", cast=int, default=10),
            secret_key=secret_key,
            algorithm=config("ALGORITHM", default="HS256"),
            access_token_expire_minutes=config("ACCESS_TOKEN_EXPIRE_MINUTES", cast=int, default=15),
            refresh_token_expire_days=config("REFRESH_TOKEN_EXPIRE_DAYS", cast=int, default=30),
            admin_email=config("ELIOR_ADMIN_EMAIL", default=None),
            admin_password=config("ELIOR_ADMIN_PASSWORD", default=None),
            allow_registration=config("ALLOW_REGISTRATION", cast=_bool, default=False),
            invite_expire_days=config("INVITE_EXPIRE_DAYS", cast=int, default=7),
            max_upload_mb=config("MAX_UPLOAD_MB", cast=int, default=10),
            upload_quota_mb=config("UPLOAD_QUOTA_MB", cast=int, default=500),
            upload_dir=Path(config("UPLOAD_DIR", default=str(data_dir / "uploads"))),
            max_json_kb=config("MAX_JSON_KB", cast=int, default=1024),
            metrics_token=config("METRICS_TOKEN", default=None),
            file_encryption_key=_encryption_key(config("FILE_ENCRYPTION_KEY", default=None)),
            clamd_socket=config("CLAMD_SOCKET", default=None),
            clamd_host=config("CLAMD_HOST", default=None),
            clamd_port=config("CLAMD_PORT", cast=int, default=3310),
            file_url_expire_minutes=config("FILE_URL_EXPIRE_MINUTES", cast=int, default=60),
            bcrypt_rounds=config("BCRYPT_ROUNDS", cast=int, default=12),
            password_threads=config("PASSWORD_THREADS", cast=int, default=2),
            password_queue=config("PASSWORD_QUEUE", cast=int, default=16),
            rate_limit_per_minute=config("RATE_LIMIT_PER_MINUTE", cast=int, default=600),
            rate_limit_burst=config("RATE_LIMIT_BURST", cast=int, default=200),
            sqlite_readers=config("SQLITE_READERS", cast=int, default=4),
        )


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


def load() -> Settings:
    """Settings for a real start: from the environment, exiting with one line on a bad configuration."""
    try:
        return ensure_secret_key(Settings.from_env())
    except (SettingsError, ValueError) as error:
        sys.exit(f"elior: configuration error: {error}")
