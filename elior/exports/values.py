"""A stored row as the archive writes it: the same JSON whichever database it came from (tables.py says which
columns). SQLite hands back times as text already; PostgreSQL hands back datetime, date and Decimal objects."""
from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from elior import clock
from elior.exports.tables import Table


def plain(value: Any) -> Any:
    """A value as JSON: times as `2026-11-27T10:00:00Z`, dates as `2026-11-27`, flags 0/1, numbers as numbers."""
    if isinstance(value, bool):  # PostgreSQL's BOOLEAN; SQLite stores 0/1, and the archive says it the same way
        return int(value)
    if isinstance(value, dt.datetime):
        return clock.iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return value


def exported_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """The row's exported columns (secrets left out), in the table's column order, as plain JSON values."""
    return {name: plain(value) for name, value in row.items() if table.exported(name)}
