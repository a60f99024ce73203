"""First start: make sure the studio can get an admin.

With `ELIOR_ADMIN_EMAIL` and `ELIOR_ADMIN_PASSWORD` set, that admin is created at start. Without them, one log line
carries a one-time setup URL. Its token is an itsdangerous signature made with SECRET_KEY, so every server process
accepts it, and it is valid only while no admin exists: the first admin created ends it.
"""
from __future__ import annotations

import logging

import itsdangerous

from elior.accounts.passwords import PasswordHasher
from elior.accounts.users import insert_user
from elior.db.database import Database
from elior.settings import Settings
from elior.web.errors import ApiError
from elior.web.schema import Email, Password, Schema, Str

log = logging.getLogger("elior.bootstrap")

SETUP_SALT = "elior.setup"
ADMIN = Schema("Admin", {
    "email": Email(required=True), "password": Password(required=True),
    "full_name": Str(required=True, min_length=1, max_length=200),
})


def _signer(settings: Settings) -> itsdangerous.URLSafeSerializer:
    return itsdangerous.URLSafeSerializer(settings.secret_key, salt=SETUP_SALT)


def setup_token(settings: Settings) -> str:
    return _signer(settings).dumps("first-admin")


def check_setup_token(settings: Settings, token: str) -> bool:
    try:
        return bool(_signer(settings).loads(token) == "first-admin")
    except itsdangerous.BadData:
        return False


def setup_url(settings: Settings) -> str:
    if settings.is_production:
        base = f"https://{settings.domain}"
    else:
        base = f"http://{settings.host}:{settings.port}"
    return f"{base}/setup?token={setup_token(settings)}"


async def admin_exists(db: Database) -> bool:
    return bool(await db.fetch_val("accounts.auth.admin_exists"))


async def create_admin(db: Database, passwords: PasswordHasher, *, email: str, password: str, full_name: str,
                       only_if_first: bool) -> int | None:
    """The new admin's id; None when `only_if_first` and an admin already exists. 409 if the email is taken."""
    password_hash = await passwords.hash(password)
    async with db.transaction():
        await db.fetch_val("accounts.auth.lock_setup")  # two first starts at once create one admin, not two
        if only_if_first and await admin_exists(db):
            return None
        return await insert_user(db, email=email, password_hash=password_hash, full_name=full_name, role="admin")


async def first_start(db: Database, settings: Settings, passwords: PasswordHasher) -> None:
    """Called by the app's lifespan after the migrations."""
    if await admin_exists(db):
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
    log.warning(f"first start: no admin yet; create one at {setup_url(settings)}")
