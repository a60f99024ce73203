"""The real thing under test: the app through TestClient with its lifespan, on a real database.

`ELIOR_TEST_DATABASE_URL` picks the database: unset, every test gets a fresh SQLite file; a `postgresql://` URL makes
the session create its own database on that server (so parallel runs never share rows), migrate it once, and empty
its tables between tests.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from starlette.testclient import TestClient

from elior.app import create_app
from elior.settings import Settings
from tests.helpers import Studio, make_person

TEST_DATABASE_URL = os.environ.get("ELIOR_TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")


def _server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


async def _pg_admin(url: str, *statements: str) -> None:
    import asyncpg

    parts = urlsplit(url)
    connection = await asyncpg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                                       password=parts.password, database=parts.path.lstrip("/") or "postgres")
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@contextlib.contextmanager
def fresh_postgres_database(name: str) -> Iterator[str]:
    """An empty database `name` on the server of ELIOR_TEST_DATABASE_URL, dropped afterwards."""
    asyncio.run(_pg_admin(TEST_DATABASE_URL, f'CREATE DATABASE "{name}"'))
    try:
        yield _server_url(TEST_DATABASE_URL, name)
    finally:
        asyncio.run(_pg_admin(TEST_DATABASE_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A database of this test session's own on the PostgreSQL server named by ELIOR_TEST_DATABASE_URL."""
    if not ON_POSTGRES:
        yield None
        return
    with fresh_postgres_database(f"elior_test_{os.getpid()}_{uuid.uuid4().hex[:6]}") as url:
        yield url


@pytest.fixture
def database_url(postgres_url: str | None, tmp_path: Path) -> Iterator[str]:
    if postgres_url is None:
        yield f"sqlite:///{tmp_path / 'elior.db'}"
        return
    yield postgres_url
    asyncio.run(_truncate(postgres_url))


async def _truncate(url: str) -> None:
    """Empty every table and restart every id, for the next test.

    DELETE with the triggers and foreign-key checks off (session_replication_role, a superuser's setting: the CI
    user is one) rather than TRUNCATE: TRUNCATE gives each of ~60 tables and their indexes new files, which took
    ~0.5 s per test against ~0.03 s (measured on this machine), minutes over the suite. Without the privilege, the
    TRUNCATE it was."""
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        tables = [r["tablename"] for r in await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'")]
        sequences = [r["sequencename"] for r in await connection.fetch(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")]
        if not tables:
            return
        try:
            await connection.execute("SET session_replication_role = replica; "
                                     + " ".join(f"DELETE FROM {table};" for table in tables)
                                     + " ".join(f"ALTER SEQUENCE {sequence} RESTART;" for sequence in sequences))
        except asyncpg.InsufficientPrivilegeError:
            await connection.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


@pytest.fixture
def empty_database_url(postgres_url: str | None, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, not even the schema."""
    if postgres_url is None:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with fresh_postgres_database(f"{urlsplit(postgres_url).path.lstrip('/')}_empty") as url:
        yield url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path,
        upload_dir=tmp_path / "uploads",
        secret_key="test-secret-key-that-is-long-enough-for-hs256",
        bcrypt_rounds=4,  # the cost is the same code path; 12 rounds would only make the suite slow
    )


@pytest.fixture
def app(settings: Settings) -> Any:
    return create_app(settings)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def studio(client: TestClient) -> Studio:
    trainer_a = make_person(client, "trainer", full_name="Trainer A")
    trainer_b = make_person(client, "trainer", full_name="Trainer B")
    return Studio(
        admin=make_person(client, "admin", full_name="Owner"),
        trainer_a=trainer_a,
        trainer_b=trainer_b,
        client_a1=make_person(client, "client", trainer=trainer_a, full_name="Client A1"),
        client_a2=make_person(client, "client", trainer=trainer_a, full_name="Client A2"),
        client_b1=make_person(client, "client", trainer=trainer_b, full_name="Client B1"),
    )
