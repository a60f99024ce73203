"""The table map (elior/exports/tables.py) against the migrated schema: a new table holding a client's data, or a new
foreign key, fails here until the map says how it is exported (or why it is left out)."""
from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from elior.db.database import Database, load_queries
from elior.db.migrations import migrate
from elior.exports.tables import BY_NAME, LEFT_OUT, TABLES


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path: Path = tmp_path_factory.mktemp("schema") / "schema.db"

    async def build() -> None:
        db = Database(f"sqlite:///{path}")
        await db.connect()
        try:
            await migrate(db)
        finally:
            await db.disconnect()

    asyncio.run(build())
    connection = sqlite3.connect(path)
    yield connection  # type: ignore[misc]
    connection.close()


def tables_of(schema: sqlite3.Connection) -> dict[str, list[str]]:
    names = [row[0] for row in schema.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: [row[1] for row in schema.execute(f'PRAGMA table_info("{name}")')] for name in names}


def test_every_table_with_a_client_is_exported_or_left_out_on_purpose(schema: sqlite3.Connection) -> None:
    holding = {name for name, columns in tables_of(schema).items() if {"client_id", "user_id"} & set(columns)}
    assert holding - set(BY_NAME) - set(LEFT_OUT) == set(), "export these tables (tables.py) or list them in LEFT_OUT"
    assert set(BY_NAME) & set(LEFT_OUT) == set()


def test_the_map_names_real_tables_columns_and_keys(schema: sqlite3.Connection) -> None:
    actual = tables_of(schema)
    for table in TABLES:
        assert table.name in actual, table.name
        columns = set(actual[table.name])
        named = {*table.key, *table.owner, *table.foreign, *table.loose, *table.omit}
        assert named <= columns, (table.name, named - columns)
        if table.parent:
            assert table.parent[0] in table.foreign and table.foreign[table.parent[0]] == table.parent[1]
        assert table.owner or table.parent or table.referenced, table.name
        if table.generated:
            assert table.key == ("id",), table.name


def test_every_foreign_key_is_declared_and_points_back_in_the_order(schema: sqlite3.Connection) -> None:
    position = {table.name: n for n, table in enumerate(TABLES)}
    for table in TABLES:
        declared = {column: target.split(".")[0] for column, target in table.foreign.items()}
        for row in schema.execute(f'PRAGMA foreign_key_list("{table.name}")'):
            target, column, to = row[2], row[3], row[4]
            if target == "conversations" and to == "client_id":
                target = "users"  # messages name the thread by its client: the same id as the user's
            assert declared.get(column) == target, (table.name, column, target)
            if target in BY_NAME and target != table.name:
                assert position[target] < position[table.name], (table.name, "loads before", target)
        for column, target in table.loose.items():
            assert target in BY_NAME, (table.name, column)


def test_every_table_has_its_page_query() -> None:
    for dialect in ("sqlite", "postgresql"):
        queries = load_queries(dialect)
        assert [t.name for t in TABLES if f"exports.rows.{t.name}" not in queries] == []


def test_secret_columns_never_leave(schema: sqlite3.Connection) -> None:
    users = BY_NAME["users"]
    assert not users.exported("password_hash")
    for name, columns in tables_of(schema).items():
        if name in BY_NAME:
            leaked = [c for c in columns if BY_NAME[name].exported(c) and ("hash" in c or "secret" in c)]
            assert leaked == [], name
