"""Users: the User shape, the list, create, read, update and delete, with an allow-list of fields per role.

Who may see a user is decided in SQL (`users.get`: the user themself, their trainer, admins); what a caller may set is
decided here, field by field, before anything is written: a field the caller's role may not set is a 403, never
silently dropped; an unknown field is already a 422 from the schema.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Awaitable, Callable

from starlette.responses import Response

from elior import clock
from elior.accounts.languages import LANGUAGES
from elior.accounts.units import DEFAULT as DEFAULT_UNITS
from elior.accounts.units import LENGTH_UNITS, WEIGHT_UNITS
from elior.audit import access_log
from elior.db.database import Database
from elior.media import storage
from elior.web.errors import conflict, forbidden, invalid, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Bool, Date, DateTime, Email, Int, Number, Object, Password, Schema, Str
from elior.web.search import contains

ROLES = ("admin", "trainer", "client")
PROFILE_FIELDS = ("phone", "date_of_birth", "height_cm", "goals", "medical_notes")

PROFILE = Schema("Profile", {
    "phone": Str(nullable=True, max_length=40),
    "date_of_birth": Date(nullable=True, not_future=True),
    "height_cm": Number(nullable=True, minimum=50, maximum=300),
    "goals": Str(nullable=True, max_length=2000),
    "medical_notes": Str(nullable=True, max_length=4000),
}, "A client's profile; seen by the client, their trainer and admins.")
USER = Schema("User", {
    "id": Int(required=True), "email": Email(required=True), "full_name": Str(required=True, max_length=200),
    "role": Str(required=True, enum=ROLES), "trainer_id": Int(nullable=True), "is_active": Bool(required=True),
    "created_at": DateTime(required=True), "updated_at": DateTime(required=True),
    "profile": Object(schema_=PROFILE, required=True),
    "units_weight": Str(required=True, enum=WEIGHT_UNITS, description="how weights are shown and typed; stored in kg"),
    "units_length": Str(required=True, enum=LENGTH_UNITS, description="how lengths are shown and typed; stored in cm"),
    "language": Str(nullable=True, enum=LANGUAGES, description="the browser app's language; null: the studio's"),
})
UNIT_FIELDS = ("units_weight", "units_length")
OWN_FIELDS = ("full_name", "profile", *UNIT_FIELDS, "language")  # what a user may set on themself
USER_LIST = Schema("UserList", {"items": Array(items=USER), "total": Int(), "limit": Int(), "offset": Int()})
USER_CREATE = Schema("UserCreate", {
    "email": Email(required=True),
    "password": Password(required=True),
    "full_name": Str(required=True, min_length=1, max_length=200),
    "role": Str(required=True, enum=ROLES),
    "trainer_id": Int(nullable=True, minimum=1, description="admin only; a trainer's clients are their own"),
    "is_active": Bool(description="admin only"),
    "profile": Object(schema_=PROFILE),
})
USER_UPDATE = Schema("UserUpdate", {
    "email": Email(description="admin only"),
    "password": Password(description="admin only; ends the user's logins"),
    "full_name": Str(min_length=1, max_length=200, description="the user themself, or an admin"),
    "role": Str(enum=ROLES, description="admin only"),
    "trainer_id": Int(nullable=True, minimum=1, description="admin only"),
    "is_active": Bool(description="admin only; false ends the user's logins at once"),
    "profile": Object(schema_=PROFILE, description="the user, their trainer, or an admin; only named fields change"),
    "units_weight": Str(enum=WEIGHT_UNITS, description="the user themself, or an admin (docs/units.md)"),
    "units_length": Str(enum=LENGTH_UNITS, description="the user themself, or an admin (docs/units.md)"),
    "language": Str(nullable=True, enum=LANGUAGES, description="the user themself, or an admin; null: the studio's"),
})
USER_QUERY = Schema("UserQuery", {
    "role": Str(enum=ROLES), "q": Str(min_length=1, max_length=100, description="part of the email or name"), **PAGE,
})


def user_json(row: dict[str, Any]) -> dict[str, Any]:
    """A `users.get`/`users.list` row as the contract's User."""
    return {
        "id": row["id"], "email": row["email"], "full_name": row["full_name"], "role": row["role"],
        "trainer_id": row["trainer_id"], "is_active": bool(row["is_active"]),
        "created_at": row["created_at"], "updated_at": row["updated_at"],
        "profile": {name: row.get(name) for name in PROFILE_FIELDS},
        **{name: row.get(name) or DEFAULT_UNITS[name] for name in UNIT_FIELDS},
        "language": row.get("language"),
    }


async def fetch_user(db: Database, user_id: int, caller_id: int, caller_role: str) -> dict[str, Any] | None:
    return await db.fetch_one("accounts.users.get", id=user_id, caller_id=caller_id, caller_role=caller_role)


# Cached user answers (see `_cached`) carry this in their key. insert_user bumps it: it is also called by accounts
# (register, setup) and bootstrap, which do not reach the app's cache, and a new client changes their trainer's list.
_inserts = 0


async def _cached(call: Call, key: tuple[Any, ...], read: Callable[[], Awaitable[dict[str, Any] | None]]) \
        -> dict[str, Any] | None:
    """`read()`'s answer for this caller, from the app's user cache (a few seconds; every user write clears it
    through `forget_sessions()`/`forget_users()`, elior/web/auth.py). A missing user (None) is not cached."""
    cache = call.request.app.state.authenticator.users
    key = (_inserts, call.user.id, call.user.role, *key)
    answer = cache.get(key)
    if answer is None:
        generation = cache.generation
        answer = await read()
        if answer is not None:
            cache.set_unless_cleared(key, answer, generation)
    return answer


async def insert_user(db: Database, *, email: str, password_hash: str, full_name: str, role: str,
                      trainer_id: int | None = None, is_active: bool = True,
                      profile: dict[str, Any] | None = None) -> int:
    """Write a new account (inside the caller's transaction); 409 when the email is taken."""
    global _inserts
    _inserts += 1  # before the write: an answer read while it runs is stored under the old key, never served
    user_id = await db.fetch_val("accounts.users.create", email=email, password_hash=password_hash, full_name=full_name,
                                 role=role, trainer_id=trainer_id, is_active=is_active, now=clock.now())
    if user_id is None:
        raise conflict(f"a user with the email {email} already exists")
    if profile:
        await save_profile(db, user_id, {}, profile)
    return int(user_id)


async def save_profile(db: Database, user_id: int, current: dict[str, Any], changes: dict[str, Any]) -> None:
    """Upsert the profile: the fields named in `changes` replace the current ones, the others stay."""
    merged = {name: changes.get(name, current.get(name)) for name in PROFILE_FIELDS}
    born = merged["date_of_birth"]
    if isinstance(born, str):  # read back from the database as text; asyncpg wants a date
        merged["date_of_birth"] = dt.date.fromisoformat(born)
    if merged["height_cm"] is not None:
        merged["height_cm"] = float(merged["height_cm"])
    await db.execute("accounts.users.upsert_profile", user_id=user_id, **merged)


async def check_trainer(db: Database, trainer_id: int | None, role: str) -> None:
    """A `trainer_id` must name a trainer, and only clients have one (422 otherwise, at the field)."""
    if trainer_id is None:
        return
    if role != "client":
        raise invalid(("body", "trainer_id"), "only clients have a trainer")
    if await db.fetch_val("accounts.users.role_of", id=trainer_id) != "trainer":
        raise invalid(("body", "trainer_id"), f"user {trainer_id} is not a trainer")


# --- endpoints ---

async def list_users(call: Call) -> Response:
    """Admins: every user. Trainers: their clients."""
    query = call.query
    answer = await _cached(call, ("list", *sorted(query.items())), lambda: _user_page(call, query))
    await access_log.note_rows(call, [u for u in answer["items"] if u["role"] == "client"], "profile.read", key="id")
    return JSONResponse(answer)


async def _user_page(call: Call, query: dict[str, Any]) -> dict[str, Any]:
    pattern = contains(query["q"]) if query.get("q") else None
    filters = {**call.scope, "role": query.get("role"), "pattern": pattern}
    rows = await call.db.fetch_all("accounts.users.list", **filters, limit=query["limit"], offset=query["offset"])
    total = await call.db.fetch_val("accounts.users.count", **filters)
    return {"items": [user_json(row) for row in rows], "total": int(total), "limit": query["limit"],
            "offset": query["offset"]}


async def create_user(call: Call) -> Response:
    """Admins create anyone; a trainer creates clients, who are assigned to them."""
    body = dict(call.body or {})
    if call.user.role == "trainer":
        if "is_active" in body:
            raise forbidden("only an admin may set is_active")
        if body["role"] != "client":
            raise forbidden("a trainer may only create clients")
        if body.get("trainer_id", call.user.id) != call.user.id:
            raise forbidden("a trainer's new clients are assigned to that trainer")
        body["trainer_id"] = call.user.id
    await check_trainer(call.db, body.get("trainer_id"), body["role"])
    password_hash = await call.request.app.state.passwords.hash(body["password"])
    async with call.db.transaction():
        user_id = await insert_user(call.db, email=body["email"], password_hash=password_hash,
                                    full_name=body["full_name"], role=body["role"],
                                    trainer_id=body.get("trainer_id"), is_active=body.get("is_active", True),
                                    profile=body.get("profile"))
    call.request.app.state.authenticator.forget_users()  # cached user answers: see get_user
    row = await fetch_user(call.db, user_id, call.user.id, call.user.role)
    return created(user_json(row or {}))


async def get_user(call: Call) -> Response:
    user_id = call.path_int("id")

    async def read() -> dict[str, Any] | None:
        row = await fetch_user(call.db, user_id, call.user.id, call.user.role)
        return None if row is None else user_json(row)

    answer = await _cached(call, ("get", user_id), read)
    if answer is None:
        raise not_found("user", user_id)
    if answer["role"] == "client":
        await access_log.note(call, user_id, "profile.read")
    return JSONResponse(answer)


def allowed_fields(caller_id: int, caller_role: str, target_id: int) -> frozenset[str]:
    """What this caller may change on this (visible) user."""
    if caller_role == "admin":
        if target_id == caller_id:  # an admin cannot lock themself out by demoting or deactivating themself
            return frozenset({"email", "password", *OWN_FIELDS})
        return frozenset(USER_UPDATE.fields)
    if target_id == caller_id:
        return frozenset(OWN_FIELDS)
    return frozenset({"profile"})  # a trainer on their client


async def update_user(call: Call) -> Response:
    """Self: name, profile and units. A trainer: their client's profile. An admin: everything."""
    user_id = call.path_int("id")
    body = call.body or {}
    current = await fetch_user(call.db, user_id, call.user.id, call.user.role)
    if current is None:
        raise not_found("user", user_id)
    refused = sorted(set(body) - allowed_fields(call.user.id, call.user.role, user_id))
    if refused:
        raise forbidden(f"you may not change: {', '.join(refused)}")
    role = body.get("role", current["role"])
    trainer_id = body["trainer_id"] if "trainer_id" in body else current["trainer_id"]
    if role != "client" and "trainer_id" not in body:
        trainer_id = None  # a client made trainer or admin leaves their trainer
    if "trainer_id" in body or "role" in body:
        await check_trainer(call.db, trainer_id, role)
    password_hash = await call.request.app.state.passwords.hash(body["password"]) if "password" in body else None
    ends_logins = password_hash is not None or body.get("is_active") is False
    async with call.db.transaction():
        await call.db.fetch_val("accounts.users.lock", id=user_id)
        current = await fetch_user(call.db, user_id, call.user.id, call.user.role) or current
        if current["role"] == "trainer" and role != "trainer" and \
                await call.db.fetch_val("accounts.users.count_clients", trainer_id=user_id):
            raise conflict("this trainer still has clients; assign them to another trainer first")
        email = body.get("email", current["email"])
        if email != current["email"] and await call.db.fetch_val("accounts.users.id_by_email", email=email) is not None:
            raise conflict(f"a user with the email {email} already exists")
        now = clock.now()
        is_active = body.get("is_active", bool(current["is_active"]))
        await call.db.execute("accounts.users.update", id=user_id, email=email,
                              full_name=body.get("full_name", current["full_name"]), role=role,
                              trainer_id=trainer_id, is_active=is_active, now=now)
        if role != current["role"] or (current["is_active"] and not is_active):
            # What they could invite in their old role they may not in the new one (elior.accounts.invites).
            await call.db.execute("accounts.invites.void_of_user", user_id=user_id, now=now)
        if any(name in body for name in UNIT_FIELDS):  # units: shown and typed in; storage stays metric
            await call.db.execute("accounts.users.set_units", id=user_id, now=now,
                                  **{name: body.get(name, current.get(name) or DEFAULT_UNITS[name])
                                     for name in UNIT_FIELDS})
        if "language" in body:
            await call.db.execute("accounts.users.set_language", id=user_id, language=body["language"], now=now)
        if "profile" in body:
            await save_profile(call.db, user_id, current, body["profile"] or {})
        if password_hash is not None:
            await call.db.execute("accounts.auth.set_password", user_id=user_id, password_hash=password_hash, now=now)
        if ends_logins:
            await call.db.execute("accounts.auth.revoke_user_logins", user_id=user_id, now=now)
    # Role, trainer and activity are read from the database per login: drop this process's cached copies now.
    call.request.app.state.authenticator.forget_sessions()
    row = await fetch_user(call.db, user_id, call.user.id, call.user.role)
    if row is None:  # a trainer who was the client's trainer still is: only admins move clients
        raise not_found("user", user_id)
    if row["role"] == "client":
        await access_log.note(call, user_id, "profile.change")
    return JSONResponse(user_json(row))


async def delete_user(call: Call) -> Response:
    """Admins only: the user and everything of theirs, files included."""
    user_id = call.path_int("id")
    if user_id == call.user.id:
        raise forbidden("an admin cannot delete their own account")
    # Read the names first: the rows go with the user (foreign keys), the bytes are removed after the commit.
    names = await storage.filenames_of_user(call.db, user_id)
    async with call.db.transaction():
        deleted = await call.db.fetch_val("accounts.users.delete", id=user_id, caller_role=call.user.role)
    if deleted is None:
        raise not_found("user", user_id)
    storage.remove_files(call.settings, names)
    call.request.app.state.authenticator.forget_sessions()
    return no_content()
