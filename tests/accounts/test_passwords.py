"""Passwords: 8 characters to 1,024 bytes, every byte counted (pre-hashed before bcrypt, keyed with the server's
pepper), and hashes of earlier versions still accepted and upgraded at the next login."""
from __future__ import annotations

from typing import Any

import anyio
import bcrypt
import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.accounts.passwords import MARKER, PasswordHasher, password_pepper
from elior.settings import Settings
from tests.helpers import PASSWORD, Studio, assert_error, run


def login(client: TestClient, email: str, password: str) -> Any:
    return client.post("/api/auth/login", json={"email": email, "password": password})


def create(client: TestClient, studio: Studio, password: str, email: str = "limit@example.test") -> Any:
    return client.post("/api/users", headers=studio.admin.headers, json={
        "email": email, "password": password, "full_name": "Limit", "role": "client"})


def stored_hash(client: TestClient, user_id: int) -> str:
    db = client.app.state.db  # type: ignore[attr-defined]
    return str(run(client, db.fetch_val, "accounts.auth.password_hash", user_id=user_id))


# 1,024 bytes each; the last character dropped gives the 1,023-byte prefix (1,020 for the four-byte one).
LONGEST = ["x" * 1024, "\u20ac" * 341 + "x", "\U0001F3CB" * 256]


@pytest.mark.parametrize("password", [*LONGEST, "12345678"])
def test_passwords_up_to_1024_bytes_work_and_their_prefix_does_not(client: TestClient, studio: Studio,
                                                                   password: str) -> None:
    assert create(client, studio, password).status_code == 201
    assert login(client, "limit@example.test", password).status_code == 200
    assert_error(login(client, "limit@example.test", password[:-1]), 401)


def test_bytes_past_72_count(client: TestClient, studio: Studio) -> None:
    """bcrypt alone reads 72 bytes: two passwords that differ only after them must not be one password."""
    assert create(client, studio, "x" * 100).status_code == 201
    assert_error(login(client, "limit@example.test", "x" * 99 + "y"), 401)
    assert_error(login(client, "limit@example.test", "x" * 72), 401)


@pytest.mark.parametrize("password", ["x" * 1025, "\u20ac" * 342, "\U0001F3CB" * 257, "1234567"])
def test_passwords_over_1024_bytes_or_under_8_characters_are_a_422(client: TestClient, studio: Studio,
                                                                    password: str) -> None:
    body = assert_error(create(client, studio, password), 422)
    assert body["detail"][0]["loc"] == ["body", "password"]


def test_every_way_to_set_a_password_takes_1024_bytes_and_refuses_1025(client: TestClient, studio: Studio) -> None:
    me = studio.client_a1
    longest, too_long = "p" * 1024, "p" * 1025
    assert_error(client.post("/api/auth/password", headers=me.headers,
                             json={"current_password": PASSWORD, "new_password": too_long}), 422)
    assert client.post("/api/auth/password", headers=me.headers,
                       json={"current_password": PASSWORD, "new_password": longest}).status_code == 204
    assert login(client, me.email, longest).status_code == 200
    assert_error(client.put(f"/api/users/{me.id}", headers=studio.admin.headers, json={"password": too_long}), 422)
    code = client.post("/api/invites", headers=studio.trainer_a.headers, json={"role": "client"}).json()["code"]
    register = {"email": "long@example.test", "full_name": "Long", "invite_code": code}
    assert_error(client.post("/api/auth/register", json={**register, "password": too_long}), 422)
    assert client.post("/api/auth/register", json={**register, "password": longest}).status_code == 201
    assert login(client, "long@example.test", longest).status_code == 200


def test_stored_hashes_are_marked_and_never_hold_the_password(client: TestClient, studio: Studio) -> None:
    user_id = create(client, studio, "x" * 1024).json()["id"]
    hashed = stored_hash(client, user_id)
    assert hashed.startswith(MARKER + "$2b$04$")  # the marker, then bcrypt at the configured cost
    assert not bcrypt.checkpw(b"x" * 72, hashed[len(MARKER):].encode())  # bcrypt was not given the password itself


def test_an_old_plain_bcrypt_hash_logs_in_and_is_rewritten(client: TestClient, studio: Studio) -> None:
    """Hashes written before the pre-hash (plain bcrypt of the password) keep working, once, as they are."""
    me = studio.client_a2
    db = client.app.state.db  # type: ignore[attr-defined]
    old = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    run(client, db.execute, "accounts.auth.set_password", user_id=me.id, password_hash=old, now=clock.now())
    assert_error(login(client, me.email, "not the password"), 401)
    assert stored_hash(client, me.id) == old  # a failed login rewrites nothing
    assert login(client, me.email, PASSWORD).status_code == 200
    upgraded = stored_hash(client, me.id)
    assert upgraded.startswith(MARKER) and upgraded != old
    assert login(client, me.email, PASSWORD).status_code == 200
    assert stored_hash(client, me.id) == upgraded  # upgraded once, not at every login
    assert_error(login(client, me.email, "not the password"), 401)


def test_a_hash_of_another_cost_is_rewritten_at_login(client: TestClient, studio: Studio) -> None:
    me = studio.client_a2
    db = client.app.state.db  # type: ignore[attr-defined]
    costlier = PasswordHasher(5, pepper=password_pepper(client.app.state.settings))  # type: ignore[attr-defined]
    run(client, db.execute, "accounts.auth.set_password", user_id=me.id,
        password_hash=anyio.run(costlier.hash, PASSWORD), now=clock.now())
    assert "$2b$05$" in stored_hash(client, me.id)
    assert login(client, me.email, PASSWORD).status_code == 200
    assert "$2b$04$" in stored_hash(client, me.id)


def _verify(hasher: PasswordHasher, password: str, hashed: str) -> bool:
    return bool(anyio.run(hasher.verify, password, hashed))


def test_the_pepper_is_password_pepper_else_secret_key(settings: Settings) -> None:
    first = PasswordHasher.for_settings(settings)
    hashed = anyio.run(first.hash, PASSWORD)
    assert _verify(first, PASSWORD, hashed)
    rotated = settings.with_overrides(secret_key="another-secret-key-that-is-long-enough-for-hs256")
    assert not _verify(PasswordHasher.for_settings(rotated), PASSWORD, hashed)
    # Rotating SECRET_KEY with PASSWORD_PEPPER set to the old key keeps every password working.
    kept = rotated.with_overrides(password_pepper=settings.secret_key)
    assert _verify(PasswordHasher.for_settings(kept), PASSWORD, hashed)
    assert password_pepper(settings) != settings.secret_key.encode()  # derived, never the token signing key itself


def test_the_app_hashes_with_its_settings_pepper(client: TestClient, settings: Settings) -> None:
    """The server's hasher is keyed with the pepper of its settings, not with none."""
    hashed = anyio.run(PasswordHasher.for_settings(settings).hash, PASSWORD)
    unpeppered = anyio.run(PasswordHasher(4).hash, PASSWORD)
    hasher = client.app.state.passwords  # type: ignore[attr-defined]
    assert run(client, hasher.verify, PASSWORD, hashed)
    assert not run(client, hasher.verify, PASSWORD, unpeppered)


def test_a_malformed_stored_hash_is_a_failed_login(client: TestClient, studio: Studio) -> None:
    me = studio.client_a1
    db = client.app.state.db  # type: ignore[attr-defined]
    for broken in ("x", MARKER, MARKER + "$2b$04$short", "$2b$04$short"):
        run(client, db.execute, "accounts.auth.set_password", user_id=me.id, password_hash=broken, now=clock.now())
        assert_error(login(client, me.email, PASSWORD), 401)
