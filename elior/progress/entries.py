"""Body progress: one entry per client and date with weight, body fat, five measurements, notes and photos.

The client records their own entries, their trainer records them with `client_id`, admins anything. Values outside
human ranges are a 422 (the same bounds as the table's CHECK constraints). Photos are filenames of the client's own
files, kept in order as rows of progress_photos. The summary and the CSV export live in `elior.progress.reports`.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.audit import access_log
from elior.live import events
from elior.nutrition.meal_entries import latest_allowed_date
from elior.web.errors import conflict, forbidden, invalid, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Date, Int, Number, Object, Schema, Str

MEASUREMENT_RANGES = {"chest_cm": (10, 300), "waist_cm": (10, 300), "hips_cm": (10, 300), "arm_cm": (5, 150),
                      "thigh_cm": (5, 200)}
METRICS = ("weight_kg", "body_fat_pct", *MEASUREMENT_RANGES)
MAX_PHOTOS = 10

MEASUREMENTS = Schema("Measurements", {name: Number(nullable=True, minimum=low, maximum=high)
                                       for name, (low, high) in MEASUREMENT_RANGES.items()})
PROGRESS_CREATE = Schema("ProgressEntryCreate", {
    "client_id": Int(minimum=1, description="whose entry; required for trainers and admins, a client's own default"),
    "date": Date(required=True, description="not in the future; one entry per client and date"),
    "weight_kg": Number(nullable=True, minimum=20, maximum=400),
    "body_fat_pct": Number(nullable=True, minimum=2, maximum=75),
    "measurements": Object(schema_=MEASUREMENTS, nullable=True),
    "notes": Str(nullable=True, max_length=2000),
    "photo_files": Array(items=Str(min_length=1, max_length=200), max_items=MAX_PHOTOS,
                         description="filenames of the client's own files, in order"),
})
PROGRESS_UPDATE = Schema("ProgressEntryUpdate",
                         {k: v for k, v in PROGRESS_CREATE.partial("x").fields.items() if k != "client_id"},
                         "only the fields sent change, measurements too; `photo_files`, when sent, replaces them")
LIST_QUERY = Schema("ProgressListQuery", {"client_id": Int(minimum=1), "from": Date(), "to": Date(), **PAGE})

ENTRY_OUT = Schema("ProgressEntry", {
    "id": Int(), "client_id": Int(), "date": Date(), "weight_kg": Number(nullable=True),
    "body_fat_pct": Number(nullable=True), "measurements": Object(schema_=MEASUREMENTS), "notes": Str(nullable=True),
    "photo_files": Array(items=Str(), max_items=MAX_PHOTOS), "created_by": Int(nullable=True), "created_at": Str(),
    "updated_at": Str(),
})
ENTRY_LIST = Schema("ProgressEntryList", {"items": Array(items=ENTRY_OUT), "total": Int(), "limit": Int(),
                                          "offset": Int()})


def entries_from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of entry x photo (in order) to ProgressEntry objects."""
    entries: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = entries.get(row["id"])
        if entry is None:
            entry = entries[row["id"]] = {
                "id": row["id"], "client_id": row["client_id"], "date": row["date"], "weight_kg": row["weight_kg"],
                "body_fat_pct": row["body_fat_pct"],
                "measurements": {name: row[name] for name in MEASUREMENT_RANGES}, "notes": row["notes"],
                "photo_files": [], "created_by": row["created_by"], "created_at": row["created_at"],
                "updated_at": row["updated_at"]}
        if row["photo_file"] is not None:
            entry["photo_files"].append(row["photo_file"])
    return list(entries.values())


async def fetch_entry(call: Call, entry_id: int) -> dict[str, Any]:
    entries = entries_from_rows(await call.db.fetch_all("progress.get", id=entry_id, **call.scope))
    if not entries:
        raise not_found("progress entry", entry_id)
    return entries[0]


def requested_client(call: Call, client_id: int | None, loc: tuple[str, ...]) -> int:
    """The client asked for: a client themself by default; trainers and admins must name one (422)."""
    if client_id is not None:
        return client_id
    if call.user.role != "client":
        raise invalid((*loc, "client_id"), "is required for trainers and admins", "value_error.missing")
    return call.user.id  # type: ignore[no-any-return]


async def visible_client(call: Call, client_id: int | None, loc: tuple[str, ...]) -> int:
    """The client asked for (a client: themself by default), or 404 when the caller may not see them."""
    client_id = requested_client(call, client_id, loc)
    if await call.db.fetch_one("progress.visible_client", client_id=client_id, **call.scope) is None:
        raise not_found("client", client_id)
    return client_id


def _check_date(day: dt.date) -> None:
    if day > latest_allowed_date():
        raise invalid(("body", "date"), "must not be in the future", "value_error.date.future")


def _check_photo_list(photos: list[str]) -> None:
    if len(set(photos)) != len(photos):
        raise invalid(("body", "photo_files"), "names the same file twice", "value_error.duplicate")


async def _write_photos(call: Call, entry_id: int, client_id: int, photos: list[str]) -> None:
    for index, filename in enumerate(photos):
        if await call.db.fetch_val("progress.photo_file", filename=filename, client_id=client_id) is None:
            raise invalid(("body", "photo_files", index), "is not a file of this client", "value_error.file")
    await call.db.execute_many("progress.insert_photo", [
        {"entry_id": entry_id, "filename": filename, "position": index} for index, filename in enumerate(photos)])


def _is_unique_violation(error: Exception) -> bool:
    """Two writers racing for one client's date: the loser's UNIQUE violation is the same 409 as the pre-check's."""
    if isinstance(error, sqlite3.IntegrityError):
        return "UNIQUE" in str(error)
    return type(error).__name__ == "UniqueViolationError"  # asyncpg, imported only on PostgreSQL


async def list_entries(call: Call) -> Response:
    """Progress entries the caller may see, newest first; `client_id` narrows to one client (404 if not visible)."""
    query = call.query
    client_id = query.get("client_id") or (call.user.id if call.user.role == "client" else None)
    where = {"date_from": query.get("from") or clock.EARLIEST, "date_to": query.get("to") or clock.LATEST, **call.scope}
    page = {"limit": query["limit"], "offset": query["offset"]}
    if client_id is None:
        total = await call.db.fetch_val("progress.count_visible", **where)
        rows = await call.db.fetch_all("progress.page_visible", **where, **page)
    else:
        # One statement when the page has rows: they carry the total and prove the client visible
        # (sql/progress/entries/page.sql). An empty page asks both questions apart: 404, or a total past the page.
        rows = await call.db.fetch_all("progress.entries.page", client_id=client_id, **where, **page)
        for row in rows:
            total = row.pop("total")
        if not rows:
            await visible_client(call, client_id, ("query",))
            total = await call.db.fetch_val("progress.count", client_id=client_id, **where) if page["offset"] else 0
    await access_log.note_rows(call, rows, "progress.read")
    return JSONResponse({"items": entries_from_rows(rows), "total": total, **page})


async def create_entry(call: Call) -> Response:
    """Record a progress entry: the client for themself, or their trainer (or an admin) with `client_id`."""
    body = call.body or {}
    if call.user.role == "client" and body.get("client_id", call.user.id) != call.user.id:
        raise forbidden("a client records only their own progress")
    _check_date(body["date"])
    photos = body.get("photo_files", [])
    _check_photo_list(photos)
    measurements = body.get("measurements") or {}
    client_id = requested_client(call, body.get("client_id"), ("body",))
    async with call.db.transaction():
        row = await call.db.fetch_one(
            "progress.insert", client_id=client_id, date=body["date"], weight_kg=body.get("weight_kg"),
            body_fat_pct=body.get("body_fat_pct"), notes=body.get("notes"), now=clock.now(),
            **{name: measurements.get(name) for name in MEASUREMENT_RANGES}, **call.scope)
        if row is None:  # not a client the caller may see (404), or the date is taken (409)
            await visible_client(call, client_id, ("body",))
            raise conflict(f"client {client_id} already has a progress entry on {body['date']}; change that one")
        await _write_photos(call, row["id"], client_id, photos)
        # The entry as written: the inserted row and the photos in the order given (the write checked each).
        (entry,) = entries_from_rows([{**row, "photo_file": None}])
        entry["photo_files"] = list(photos)
        await events.record(call, "progress.created", entry, client_id=client_id)
    await access_log.note(call, client_id, "progress.change")
    return created(entry)


async def get_entry(call: Call) -> Response:
    """One progress entry with its photos."""
    entry = await fetch_entry(call, call.path_int("id"))
    await access_log.note(call, entry["client_id"], "progress.read")
    return JSONResponse(entry)


def _merged(body: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    values = {name: body[name] if name in body else current[name] for name in ("weight_kg", "body_fat_pct", "notes")}
    sent = body.get("measurements", {})
    for name in MEASUREMENT_RANGES:
        # `measurements: null` clears all five; an object changes only the ones it names.
        values[name] = None if sent is None else sent[name] if name in sent else current[name]
    values["date"] = body.get("date") or dt.date.fromisoformat(current["date"])
    return values


async def update_entry(call: Call) -> Response:
    """Change an entry (the client, their trainer, an admin); moving it onto a date already taken is a 409."""
    body, entry_id = call.body or {}, call.path_int("id")
    if "date" in body:
        _check_date(body["date"])
    if "photo_files" in body:
        _check_photo_list(body["photo_files"])
    try:
        async with call.db.transaction():
            current = await call.db.fetch_one("progress.lock", id=entry_id, **call.scope)
            if current is None:
                raise not_found("progress entry", entry_id)
            values = _merged(body, current)
            if await call.db.fetch_val("progress.date_taken", client_id=current["client_id"], date=values["date"],
                                       id=entry_id) is not None:
                raise conflict(f"client {current['client_id']} already has a progress entry on {values['date']}")
            await call.db.execute("progress.update", id=entry_id, now=clock.now(), **values, **call.scope)
            if "photo_files" in body:
                await call.db.execute("progress.delete_photos", entry_id=entry_id)
                await _write_photos(call, entry_id, current["client_id"], body["photo_files"])
            entry = await fetch_entry(call, entry_id)
            await events.record(call, "progress.updated", entry, client_id=entry["client_id"])
    except Exception as error:
        if _is_unique_violation(error):
            raise conflict(f"client already has a progress entry on {body.get('date')}") from None
        raise
    await access_log.note(call, entry["client_id"], "progress.change")
    return JSONResponse(entry)


async def delete_entry(call: Call) -> Response:
    """Delete an entry (the client, their trainer, an admin); the photo files themselves stay."""
    entry_id = call.path_int("id")
    client_id = await call.db.fetch_val("progress.delete", id=entry_id, **call.scope)
    if client_id is None:
        raise not_found("progress entry", entry_id)
    await access_log.note(call, client_id, "progress.change")
    return no_content()
