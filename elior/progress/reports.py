"""A client's progress at a glance (first, latest, change, a chart's series) and all of it as a CSV download.

The export streams: keyset pages of EXPORT_PAGE entries are read and written one after another, so the server's
memory stays the same for ten entries or ten years of them. Every cell is neutralised against spreadsheet formula
injection (OWASP): one starting with `=`, `+`, `-`, `@`, tab, CR or LF gets a leading `'`, so a note such as
`=HYPERLINK("http://x")` opens as text.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any, AsyncIterator, Iterable

from starlette.responses import Response, StreamingResponse

from elior import clock
from elior.accounts import units as unit_conversion
from elior.progress.entries import ENTRY_OUT, MEASUREMENT_RANGES, METRICS, entries_from_rows, visible_client
from elior.web.responses import JSONResponse
from elior.web.routing import Call
from elior.web.schema import Array, Date, Int, Number, Object, Schema

EXPORT_PAGE = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
CSV_COLUMNS = ("date", "weight_kg", "body_fat_pct", *MEASUREMENT_RANGES, "notes", "photo_files", "created_at")

REPORT_QUERY = Schema("ProgressReportQuery", {
    "client_id": Int(minimum=1, description="required for trainers and admins; a client's own by default"),
    "from": Date(), "to": Date(),
})
EXPORT_QUERY = Schema("ProgressExportQuery", {"client_id": REPORT_QUERY.fields["client_id"]})
_POINT = Schema("ProgressPoint", {"date": Date(), **{name: Number(nullable=True) for name in METRICS}})
_CHANGE = Schema("ProgressChange", {name: Number(nullable=True) for name in METRICS},
                 "latest minus first recorded value of each metric; null when it was never recorded")
SUMMARY_OUT = Schema("ProgressSummary", {
    "client_id": Int(), "count": Int(), "first": Object(schema_=ENTRY_OUT, nullable=True),
    "latest": Object(schema_=ENTRY_OUT, nullable=True), "change": Object(schema_=_CHANGE, nullable=True),
    "series": Array(items=_POINT, max_items=1_000_000),
})


def _flat(entry: dict[str, Any]) -> dict[str, Any]:
    return {"date": entry["date"], "weight_kg": entry["weight_kg"], "body_fat_pct": entry["body_fat_pct"],
            **entry["measurements"]}


def _change(points: list[dict[str, Any]]) -> dict[str, float | None]:
    """Per metric, from its first recorded value to its latest: weight may be weighed weekly, arms measured monthly."""
    change: dict[str, float | None] = {}
    for name in METRICS:
        values = [point[name] for point in points if point[name] is not None]
        change[name] = float(Decimal(repr(values[-1])) - Decimal(repr(values[0]))) if values else None
    return change


async def summary(call: Call) -> Response:
    """First and latest entry, the change of each metric between them, and the series for a chart (oldest first)."""
    query = call.query
    client_id = await visible_client(call, query.get("client_id"), ("query",))
    rows = await call.db.fetch_all("progress.series", client_id=client_id,
                                   date_from=query.get("from") or clock.EARLIEST,
                                   date_to=query.get("to") or clock.LATEST, **call.scope)
    entries = entries_from_rows(rows)
    points = [_flat(entry) for entry in entries]
    return JSONResponse({
        "client_id": client_id, "count": len(entries),
        "first": entries[0] if entries else None, "latest": entries[-1] if entries else None,
        "change": _change(points) if entries else None, "series": points,
    })


def safe_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text, never evaluates; numbers are formatted here, not by `csv`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        text = str(int(value)) if float(value).is_integer() else repr(float(value))
    else:
        text = str(value)
    # Some spreadsheets skip leading spaces before deciding that a cell is a formula.
    if text.startswith(FORMULA_START) or text.lstrip(" ").startswith(FORMULA_START):
        return "'" + text
    return text


def csv_lines(rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def csv_columns(units: dict[str, str]) -> list[str]:
    """The header in the caller's units: `weight_lb`, `waist_in` when they chose pounds and inches."""
    return [unit_conversion.column(name, units) for name in CSV_COLUMNS]


def _csv_row(entry: dict[str, Any], units: dict[str, str]) -> list[Any]:
    flat = _flat(entry)
    return [flat["date"], *(unit_conversion.convert(name, flat[name], units)
                            for name in ("weight_kg", "body_fat_pct", *MEASUREMENT_RANGES)), entry["notes"],
            " ".join(entry["photo_files"]), entry["created_at"]]


async def _export_chunks(call: Call, client_id: int) -> AsyncIterator[str]:
    units = await unit_conversion.of_user(call.db, call.user.id)  # the caller's units, not the client's
    yield csv_lines([csv_columns(units)])
    after = clock.EARLIEST
    while True:
        rows = await call.db.fetch_all("progress.export_page", client_id=client_id, after=after, limit=EXPORT_PAGE,
                                       **call.scope)
        entries = entries_from_rows(rows)
        if not entries:
            return
        yield csv_lines(_csv_row(entry, units) for entry in entries)
        if len(entries) < EXPORT_PAGE:
            return
        after = dt.date.fromisoformat(entries[-1]["date"])


async def export_csv(call: Call) -> Response:
    """Every entry of a client as CSV, oldest first, streamed, in the caller's units (the headers name them); cells
    are safe against formula injection."""
    client_id = await visible_client(call, call.query.get("client_id"), ("query",))
    filename = f"progress-client-{client_id}-{clock.today().isoformat()}.csv"
    return StreamingResponse(_export_chunks(call, client_id), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                      "Cache-Control": "no-store"})
