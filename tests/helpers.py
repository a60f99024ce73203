"""Helpers the tests share: the cast of users, running database calls on the app's loop, the error envelope."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from starlette.testclient import TestClient

from elior import clock
from elior.web.tokens import make_access_token

PASSWORD = "correct horse battery"


def run(client: TestClient, coroutine_function: Any, *args: Any, **kwargs: Any) -> Any:
    """Run an async function (a database call) on the app's own event loop."""
    assert client.portal is not None, "use the client as a context manager"

    async def call() -> Any:
        return await coroutine_function(*args, **kwargs)

    return client.portal.call(call)


def statements_run(client: TestClient, action: Callable[[], Any], *prefixes: str) -> dict[str, int]:
    """How many times `action()` ran each named SQL statement whose name starts with one of `prefixes`."""
    by_name = client.app.state.db.stats.by_name  # type: ignore[attr-defined]
    before = dict(by_name)
    action()
    return {name: count - before.get(name, 0) for name, count in by_name.items()
            if count != before.get(name, 0) and name.startswith(prefixes)}


@dataclass
class Person:
    id: int
    email: str
    role: str
    trainer_id: int | None
    token: str
    password: str = PASSWORD
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_person(client: TestClient, role: str, *, trainer: Person | None = None, email: str | None = None,
                full_name: str | None = None, password: str = PASSWORD) -> Person:
    """A user written straight to the database, signed in with a fresh login and access token."""
    app = client.app
    db = app.state.db  # type: ignore[attr-defined]
    email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.test"
    password_hash = run(client, app.state.passwords.hash, password)  # type: ignore[attr-defined]
    user = run(client, db.fetch_one, "accounts.users.insert", email=email, password_hash=password_hash,
               full_name=full_name or f"{role.title()} {email.split('@')[0]}", role=role,
               trainer_id=trainer.id if trainer else None, now=clock.now())
    login_id = run(client, db.fetch_val, "accounts.auth.create_login", user_id=user["id"], now=clock.now(),
                   user_agent="pytest", address="127.0.0.1")
    token, _ = make_access_token(app.state.settings, user_id=user["id"], role=role,  # type: ignore[attr-defined]
                                 login_id=login_id)
    return Person(user["id"], email, role, user["trainer_id"], token)


@dataclass
class Studio:
    """The cast of every authorization test: an admin, two trainers, and their clients."""

    admin: Person
    trainer_a: Person
    trainer_b: Person
    client_a1: Person
    client_a2: Person
    client_b1: Person

    def everyone(self) -> dict[str, Person]:
        return dict(vars(self))


def assert_error(response: Any, status: int) -> dict[str, Any]:
    """The contract's envelope, with the expected status."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "detail", "status_code"}, body
    assert body["status_code"] == status
    return body  # type: ignore[no-any-return]
