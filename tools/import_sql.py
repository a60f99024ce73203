"""Write the import's INSERT statements (sql/exports/import/insert_<table>[.postgresql].sql) from the migrated schemas.

    python3 tools/import_sql.py [--postgresql postgresql://postgres@127.0.0.1:5432/postgres]

Run it after a migration adds or drops a column of a table in elior/exports/tables.py (tests/exports/
test_import_sql.py fails until then). It migrates a scratch SQLite file and a scratch PostgreSQL database (made and
dropped on the server named), reads every table's columns from both, checks that the two dialects agree, and writes
one statement per table and dialect: PostgreSQL's casts the archive's ISO text and 0/1 flags to the column's
TIMESTAMPTZ, DATE or BOOLEAN, since asyncpg takes no text for those.
"""
from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import textwrap
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from elior.db.database import Database  # noqa: E402
from elior.db.migrations import migrate  # noqa: E402
from elior.exports.tables import TABLES  # noqa: E402

OUT = ROOT / "sql" / "exports" / "import"
CASTS = {"timestamp with time zone": "CAST(CAST(:{c} AS TEXT) AS TIMESTAMPTZ)",
         "date": "CAST(CAST(:{c} AS TEXT) AS DATE)", "boolean": "CAST(:{c} AS INTEGER) <> 0"}
HEAD = ("-- Import: one row of an archive's `{table}`, its ids already rewritten through the id map\n"
        "-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;\n"
        "-- written by tools/import_sql.py.\n")
PG_NOTE = ("-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to\n"
           "-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.\n")


async def sqlite_columns() -> dict[str, list[str]]:
    path = Path(tempfile.mkdtemp(prefix="elior-import-sql-")) / "schema.db"
    db = Database(f"sqlite:///{path}")
    await db.connect()
    try:
        await migrate(db)
    finally:
        await db.disconnect()
    with sqlite3.connect(path) as connection:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: [row[1] for row in connection.execute(f"PRAGMA table_info({t})")] for t in tables}


async def postgresql_types(server: str) -> dict[str, dict[str, str]]:
    import asyncpg

    name = f"elior_import_sql_{uuid.uuid4().hex[:6]}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = server.rsplit("/", 1)[0] + f"/{name}"
    try:
        db = Database(url)
        await db.connect()
        try:
            await migrate(db)
        finally:
            await db.disconnect()
        connection = await asyncpg.connect(url)
        try:
            rows = await connection.fetch("SELECT table_name, column_name, data_type FROM information_schema.columns "
                                          "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position")
        finally:
            await connection.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    types: dict[str, dict[str, str]] = {}
    for row in rows:
        types.setdefault(row["table_name"], {})[row["column_name"]] = row["data_type"]
    return types


def wrapped(items: list[str]) -> str:
    return "\n    ".join(textwrap.wrap(", ".join(items), 112, break_long_words=False, break_on_hyphens=False))


def write(lite: dict[str, list[str]], pg: dict[str, dict[str, str]]) -> int:
    order = [t.name for t in TABLES]
    written = 0
    for table in TABLES:
        columns = [c for c in lite[table.name] if not (table.generated and c == "id")]
        if set(columns) | ({"id"} if table.generated else set()) != set(pg[table.name]):
            raise SystemExit(f"{table.name}: the SQLite and PostgreSQL columns differ")
        head, tail = HEAD.format(table=table.name), "\nRETURNING id" if table.generated else ""
        values = [CASTS.get(pg[table.name][c], ":{c}").format(c=c) for c in columns]
        for suffix, bound, note in (("", [f":{c}" for c in columns], ""), (".postgresql", values, PG_NOTE)):
            statement = (f"INSERT INTO {table.name} (\n    {wrapped(columns)}\n)"
                         f" VALUES (\n    {wrapped(bound)}\n){tail}\n")
            (OUT / f"insert_{table.name}{suffix}.sql").write_text(head + note + statement)
            written += 1
        for column, target in table.loose.items():
            if order.index(target) > order.index(table.name):
                where = " AND ".join(f"{k} = :{k}" for k in table.key)
                (OUT / f"later_{table.name}_{column}.sql").write_text(
                    f"-- Import: `{table.name}.{column}` names a `{target}` row, which is loaded after it: set once "
                    f"that row exists.\nUPDATE {table.name} SET {column} = :{column} WHERE {where}\n")
                written += 1
    return written


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server's maintenance database, where a scratch database is made")
    args = parser.parse_args()
    print(f"{write(await sqlite_columns(), await postgresql_types(args.postgresql))} files written to {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
