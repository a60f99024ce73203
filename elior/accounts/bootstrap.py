"""First start: make sure the studio can get an admin.

With `ELIOR_ADMIN_EMAIL` and `ELIOR_ADMIN_PASSWORD` set, that admin is created at start. Without them, one log line
carries a setup URL. Its token is random, kept in the database only as its SHA-256 (`setup_tokens`), valid once and
for SETUP_TOKEN_LIFETIME, and only while no admin exists. Each start with no admin makes a new one and kills the
earlier ones, so the link in the latest log is the one that works, in every process on that database.

The link must be one the owner can open: `https://DOMAIN` in production (`http://DOMAIN:PORT` in development) when
DOMAIN names a host, else the address the server listens on, with 127.0.0.1 for "every interface" (0.0.0.0 is no
address a browser can open).
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets

from elior import clock
from elior.accounts.passwords import PasswordHasher
from elior.accounts.users import insert_user
from elior.db.database import Database
from elior.settings import Settings
from elior.web.errors import ApiError, forbidden
from elior.web.fields import normalize_email
from elior.web.schema import Email, Password, Schema, Str
from elior.web.tokens import hash_token

log = logging.getLogger("elior.bootstrap")

SETUP_TOKEN_LIFETIME = dt.timedelta(hours=24)
EVERY_INTERFACE = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}
ADMIN = Schema("Admin", {
    "email": Email(required=True), "password": Password(required=True),
    "full_name": Str(required=True, min_length=1, max_length=200),
})


def base_url(settings: Settings) -> tuple[str, str]:
    """Where the owner opens the server, and a note for the log when it listens on every interface."""
    if settings.domain and settings.domain != "localhost":
        if settings.is_production:
            return f"https://{settings.domain}", ""
        return f"http://{settings.domain}:{settings.port}", ""
    host = EVERY_INTERFACE.get(settings.host, settings.host)
    note = "" if host == settings.host else \
        f"; the server listens on every interface ({settings.host or '0.0.0.0'}), so from another machine use this " \
        "one's address instead"
    shown = f"[{host}]" if ":" in host else host  # an IPv6 literal in a URL
    return f"http://{shown}:{settings.port}", note


def setup_url(settings: Settings, token: str) -> str:
    return f"{base_url(settings)[0]}/setup?token={token}"


async def admin_exists(db: Database) -> bool:
    return bool(await db.fetch_val("accounts.auth.admin_exists"))


async def new_setup_token(db: Database) -> str:
    """A fresh setup token, the only one that works from now on."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    async with db.transaction():
        await db.execute("accounts.bootstrap.clear_tokens")
        await db.execute("accounts.bootstrap.insert_token", token_hash=hash_token(token), now=now,
                         expires_at=now + SETUP_TOKEN_LIFETIME)
    return token


async def check_setup_token(db: Database, token: str) -> None:
    """403 unless the token is the current, unused and unexpired one; cheap, so it comes before any bcrypt work."""
    row = await db.fetch_one("accounts.bootstrap.token", token_hash=hash_token(token))
    if row is None:
        raise forbidden("this setup token is not valid; use the link from the server's latest start")
    if row["used_at"] is not None:
        raise forbidden("this setup token was already used")
    if dt.datetime.fromisoformat(row["expires_at"].replace("Z", "+00:00")) <= clock.now():
        raise forbidden("this setup token has expired; restart the server for a new setup link")


async def create_admin(db: Database, passwords: PasswordHasher, *, email: str, password: str, full_name: str,
                       only_if_first: bool, setup_token: str | None = None) -> int | None:
    """The new admin's id; None when `only_if_first` and an admin already exists. 409 if the email is taken.
    With `setup_token`, that token is spent in the same transaction (403 if it no longer can be)."""
    password_hash = await passwords.hash(password)
    async with db.transaction():
        await db.fetch_val("accounts.auth.lock_setup")  # two first starts at once create one admin, not two
        if only_if_first and await admin_exists(db):
            return None
        if setup_token is not None and await db.fetch_val(
                "accounts.bootstrap.use_token", token_hash=hash_token(setup_token), now=clock.now()) is None:
            raise forbidden("this setup token was already used or has expired")
        return await insert_user(db, email=email, password_hash=password_hash, full_name=full_name, role="admin")


async def normalise_emails(db: Database) -> None:
    """Rewrite emails stored before NFKC normalisation (a migration cannot run it). Two old accounts that are now
    one address keep their spelling, and the log names them for an admin to merge or rename."""
    rows = await db.fetch_all("accounts.bootstrap.unnormalised_emails")
    if not rows:
        return
    async with db.transaction():
        for row in rows:
            email = normalize_email(row["email"])
            if email == row["email"]:
                continue
            if await db.fetch_val("accounts.users.id_by_email", email=email) is not None:
                log.warning("two accounts have emails that are one address once normalised; rename one",
                            extra={"user_id": row["id"], "email": email})
                continue
            await db.execute("accounts.bootstrap.set_email", id=row["id"], email=email)


async def first_start(db: Database, settings: Settings, passwords: PasswordHasher) -> None:
    """Called by the app's lifespan after the migrations."""
    await normalise_emails(db)
    if await admin_exists(db):
        await db.execute("accounts.bootstrap.clear_tokens")  # none may outlive the first admin
        return
    if settings.admin_email and settings.admin_password:
        try:
            values = ADMIN.validate({"email": settings.admin_email, "password": settings.admin_password,
                                     "full_name": "Admin"})
            user_id = await create_admin(db, passwords, email=values["email"], password=values["password"],
                                         full_name=values["full_name"], only_if_first=True)
        except ApiError as error:  # a bad ELIOR_ADMIN_* is reported, and the setup URL is offered instead
            log.error("ELIOR_ADMIN_EMAIL/ELIOR_ADMIN_PASSWORD not usable", extra={"problem": error.detail})
        else:
            if user_id is not None:
                log.info("first start: admin created from ELIOR_ADMIN_EMAIL", extra={"user_id": user_id})
            return
    token = await new_setup_token(db)
    hours = int(SETUP_TOKEN_LIFETIME.total_seconds() // 3600)
    log.warning(f"first start: no admin yet; create one at {setup_url(settings, token)} (valid once, for {hours} "
                f"hours; a restart makes a new link{base_url(settings)[1]})")
