"""The database layer on the real database: foreign keys, concurrent writes, rollback, migrations, every SQL file."""
from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.db.database import Database, UnknownQuery, expand_fragments, load_queries
from elior.db.migrations import migrate, migration_files
from elior.db.urls import dialect
from tests.helpers import make_person, run


def test_foreign_keys_are_enforced(client: TestClient) -> None:
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    with pytest.raises(Exception) as raised:
        run(client, db.fetch_val, "accounts.auth.create_login", user_id=999_999, now=clock.now(), user_agent=None,
            address=None)
    assert re.search(r"foreign key", str(raised.value), re.IGNORECASE)


def test_concurrent_write_transactions_all_land(client: TestClient) -> None:
    trainer = make_person(client, "trainer")
    db: Database = client.app.state.db  # type: ignore[attr-defined]

    async def one_login(i: int) -> int:
        async with db.transaction():
            login_id = await db.fetch_val("accounts.auth.create_login", user_id=trainer.id, now=clock.now(),
                                          user_agent=f"writer-{i}", address="127.0.0.1")
            await asyncio.sleep(0)  # let the other writers interleave inside the transaction
            return int(login_id)

    async def two_hundred() -> list[Any]:
        return await asyncio.gather(*(one_login(i) for i in range(200)), return_exceptions=True)

    results = run(client, two_hundred)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    assert len(set(results)) == 200
    # The fixture's own login plus the 200.
    assert run(client, db.fetch_val, "tests.count_logins", user_id=trainer.id) == 201


def test_transaction_that_raises_leaves_nothing(client: TestClient) -> None:
    trainer = make_person(client, "trainer")
    db: Database = client.app.state.db  # type: ignore[attr-defined]

    async def failing() -> None:
        async with db.transaction():
            await db.fetch_val("accounts.auth.create_login", user_id=trainer.id, now=clock.now(), user_agent="doomed",
                               address=None)
            raise RuntimeError("the endpoint failed after writing")

    with pytest.raises(RuntimeError):
        run(client, failing)
    assert run(client, db.fetch_val, "tests.count_logins", user_id=trainer.id) == 1


def test_migrations_run_twice_cleanly(client: TestClient) -> None:
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    assert run(client, migrate, db) == []
    expected = [path.stem.partition("_")[0] for path in migration_files(db.dialect)]
    assert [r["version"] for r in run(client, db.fetch_all, "db.schema.applied_migrations")] == expected


def test_two_processes_migrating_at_once_apply_each_migration_once(empty_database_url: str) -> None:
    """Two separate connection pools (as two processes have) racing to migrate one empty database."""
    url = empty_database_url

    async def race() -> list[list[str]]:
        first, second = Database(url), Database(url)
        await first.connect()
        await second.connect()
        try:
            return list(await asyncio.gather(migrate(first), migrate(second)))
        finally:
            await first.disconnect()
            await second.disconnect()

    results = asyncio.run(race())
    expected = [path.stem.partition("_")[0] for path in migration_files(dialect(url))]
    assert sorted(results) == [[], expected]


def test_every_sql_file_parses_against_the_schema(client: TestClient) -> None:
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    queries = load_queries(db.dialect)
    assert len(queries) > 5

    async def explain_all() -> dict[str, str]:
        failures = {}
        for name, sql in queries.items():
            if re.match(r"\s*CREATE", sql):  # DDL cannot be EXPLAINed on PostgreSQL; migrations run it anyway
                continue
            params = {p: None for p in re.findall(r"(?<![:\w\\]):(\w+)", sql)}
            try:
                await db.raw.fetch_all("EXPLAIN " + sql, params)
            except Exception as error:  # collect them all, report together
                failures[name] = f"{type(error).__name__}: {error}"
        return failures

    assert run(client, explain_all) == {}


def test_unknown_query_name_fails_at_once(client: TestClient) -> None:
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    with pytest.raises(KeyError, match="no SQL file"):
        db.sql("workouts.no_such_query")
    with pytest.raises(KeyError, match="no SQL file"):
        run(client, db.fetch_one, "health.nothing")


def test_fragments_splice_the_fragments_they_name_and_a_cycle_fails() -> None:
    fragments = {"list_filter": "WHERE {{ rule }} AND x = :x", "rule": "c.id = :caller_id", "loop": "{{ loop }}"}
    assert expand_fragments("SELECT 1 FROM t {{ list_filter }}", fragments) == \
        "SELECT 1 FROM t WHERE c.id = :caller_id AND x = :x"
    with pytest.raises(UnknownQuery, match="nest deeper"):
        expand_fragments("SELECT {{ loop }}", fragments)
    with pytest.raises(UnknownQuery, match="no SQL fragment 'missing'"):
        expand_fragments("{{ list_filter }}", {**fragments, "rule": "{{ missing }}"})
    for dialect_name in ("sqlite", "postgresql"):
        assert not [name for name, sql in load_queries(dialect_name).items() if "{{" in sql]


def test_raw_sql_joins_the_callers_transaction(client: TestClient) -> None:
    """`db.raw` (a `databases.Database`) and the named SQL share one transaction: on SQLite through the project's
    backend, on PostgreSQL through `databases`' task connection."""
    db: Database = client.app.state.db  # type: ignore[attr-defined]

    async def roll_back_a_raw_write() -> Any:
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.raw.execute("INSERT INTO schema_migrations (version, name, applied_at) "
                                     "VALUES ('9999', 'raw', 'now')")
                assert await db.raw.fetch_val("SELECT count(*) FROM schema_migrations WHERE version = '9999'") == 1
                raise RuntimeError("roll it back")
        return await db.raw.fetch_val("SELECT count(*) FROM schema_migrations WHERE version = '9999'")

    assert run(client, roll_back_a_raw_write) == 0


def test_rows_are_plain_values_on_both_dialects(client: TestClient) -> None:
    trainer = make_person(client, "trainer")
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    row = run(client, db.fetch_one, "accounts.users.get", id=trainer.id, caller_id=trainer.id, caller_role="trainer")
    assert type(row) is dict
    assert isinstance(row["created_at"], str) and row["created_at"].endswith("Z")
    assert {type(value) for value in row.values()} <= {str, int, float, bool, type(None)}


def test_split_statements_ignores_semicolons_in_comments() -> None:
    from elior.db.database import split_statements

    script = ("-- a header;\nCREATE TABLE a (x INT);\n\n-- a note that ends with a semicolon;\n-- and goes on\n"
              "CREATE TABLE b (\n    y INT\n);\n-- trailing comment;\n")
    assert split_statements(script) == ["CREATE TABLE a (x INT)",
                                        "-- a note that ends with a semicolon;\n-- and goes on\nCREATE TABLE b (\n"
                                        "    y INT\n)"]
