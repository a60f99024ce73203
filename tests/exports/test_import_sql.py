"""Import (issue 18): sql/exports/import/ has an INSERT for every table an export writes, naming every column the
table has on this database (so a migration that adds a column fails here until the import carries it too)."""
from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from elior.exports.tables import TABLES
from tests.helpers import run

INSERT = re.compile(r"INSERT INTO (\w+) \(([^)]*)\)")


def columns_of(client: TestClient) -> dict[str, set[str]]:
    app: Any = client.app
    db = app.state.db

    async def read() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for table in TABLES:
            if db.dialect == "sqlite":
                rows = await db.raw.fetch_all(f"PRAGMA table_info({table.name})")
            else:
                rows = await db.raw.fetch_all("SELECT column_name AS name FROM information_schema.columns "
                                              "WHERE table_schema = 'public' AND table_name = :name",
                                              values={"name": table.name})
            found[table.name] = {row["name"] for row in rows}
        return found

    return run(client, read)  # type: ignore[no-any-return]


def test_every_exported_table_has_an_insert_of_all_its_columns(client: TestClient) -> None:
    app: Any = client.app
    schema = columns_of(client)
    for table in TABLES:
        match = INSERT.search(app.state.db.sql(f"exports.import.insert_{table.name}"))
        assert match is not None and match.group(1) == table.name, table.name
        named = {column.strip() for column in match.group(2).split(",")}
        expected = schema[table.name] - ({"id"} if table.generated else set())
        assert named == expected, (table.name, sorted(expected ^ named), "run python3 tools/import_sql.py")
        for column in (*table.foreign, *table.loose):
            assert column in schema[table.name], (table.name, column)
