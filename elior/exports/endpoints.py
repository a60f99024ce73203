"""The export endpoints: ask for a client's export, watch its progress, download the ZIP through a signed link.

Who may: the client themself, their trainer, an admin (sql/shared/caller_sees_client.sql, applied in the SQL of
each call); anyone else gets the same 404 as for an export that does not exist.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import FileResponse, Response

from elior import clock
from elior.audit import access_log
from elior.exports import jobs, signing
from elior.web.errors import ApiError, invalid, not_found
from elior.web.responses import JSONResponse
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, DateTime, Int, Schema, Str

STATUSES = ("queued", "running", "done", "failed")
EXPORT_CREATE = Schema("ExportCreate", {
    "client_id": Int(required=True, minimum=1, description="the client whose data to export"),
})
EXPORT = Schema("Export", {
    "id": Int(), "client_id": Int(), "status": Str(enum=STATUSES),
    "progress": Int(minimum=0, maximum=100, description="percent done"),
    "created_at": DateTime(), "started_at": DateTime(nullable=True), "finished_at": DateTime(nullable=True),
    "expires_at": DateTime(nullable=True, description="when the ZIP is removed"),
    "size_bytes": Int(nullable=True),
    "download_url": Str(nullable=True, description="signed, expiring (FILE_URL_EXPIRE_MINUTES); GET again for a "
                        "fresh one. Only when done"),
    "error": Str(nullable=True, description="why it failed"),
})
EXPORT_PAGE = Schema("ExportPage", {"items": Array(items=EXPORT), "total": Int(), "limit": Int(), "offset": Int()})
LIST_QUERY = Schema("ExportQuery", {
    "client_id": Int(minimum=1, description="required for staff; a client lists their own"), **PAGE,
})
DOWNLOAD_QUERY = Schema("ExportDownloadQuery", {
    "sig": Str(required=True, min_length=1, max_length=300, description="the signature of the download link"),
})
NOT_YOURS = "No such export, or its client is not one the caller may see"


def _time(value: Any) -> str | None:
    return None if value is None else clock.iso(jobs.when(value))


def export_json(call: Call, row: dict[str, Any]) -> dict[str, Any]:
    expires = None if row["expires_at"] is None else jobs.when(row["expires_at"])
    link = None
    if row["status"] == "done" and expires is not None and expires > clock.now():
        link = signing.download_url(call.settings, int(row["id"]), expires)
    return {"id": row["id"], "client_id": row["client_id"], "status": row["status"], "progress": row["progress"],
            "created_at": _time(row["created_at"]), "started_at": _time(row["started_at"]),
            "finished_at": _time(row["finished_at"]), "expires_at": _time(row["expires_at"]),
            "size_bytes": row["size_bytes"], "download_url": link, "error": row["error"]}


async def create_export(call: Call) -> Response:
    """Queue an export of a client's data (202); GET it to follow its progress."""
    assert call.body is not None
    client_id = call.body["client_id"]
    async with call.db.transaction():
        if await call.db.fetch_val("exports.jobs.visible_client", client_id=client_id, **call.scope) is None:
            raise not_found("client", client_id)
        row = await call.db.fetch_one("exports.jobs.insert", client_id=client_id, requested_by=call.user.id,
                                      now=clock.now())
    jobs.wake(call.request.app.state)  # after the commit: the job is there to claim
    await access_log.note(call, client_id, "exports.change")  # a trainer or admin took everything: the client sees it
    return JSONResponse(export_json(call, row), status_code=202,
                        headers={"Location": f"/api/exports/{row['id']}"})


async def get_export(call: Call) -> Response:
    """An export's status and progress; when done, a signed download link."""
    export_id = call.path_int("id")
    row = await call.db.fetch_one("exports.jobs.get", id=export_id, **call.scope)
    if row is None:
        raise not_found("export", export_id)
    await access_log.note(call, row["client_id"], "exports.read")
    return JSONResponse(export_json(call, row))


async def list_exports(call: Call) -> Response:
    """A client's exports, newest first."""
    client_id = call.query.get("client_id")
    if client_id is None:
        if call.user.role != "client":
            raise invalid(("query", "client_id"), "is required for staff", "value_error.missing")
        client_id = call.user.id
    limit, offset = call.query["limit"], call.query["offset"]
    rows = await call.db.fetch_all("exports.jobs.page", client_id=client_id, limit=limit, offset=offset, **call.scope)
    total = await call.db.fetch_val("exports.jobs.count", client_id=client_id, **call.scope)
    if rows:
        await access_log.note(call, client_id, "exports.read")
    return JSONResponse({"items": [export_json(call, row) for row in rows], "total": int(total or 0),
                         "limit": limit, "offset": offset})


async def download(call: Call) -> Response:
    """The ZIP, through the signed link GET /api/exports/{id} gives (no bearer token needed: the link is the key)."""
    export_id = call.path_int("id")
    if not signing.valid(call.settings, export_id, call.query["sig"]):
        raise ApiError(403, "the download link is invalid or expired: ask for the export again for a fresh one")
    row = await call.db.fetch_one("exports.jobs.download", id=export_id, now=clock.now())
    path = None if row is None else jobs.zip_path(call.settings, row["path"])
    if row is None or path is None or not path.is_file():
        raise not_found("export", export_id)
    name = f"elior-export-client-{row['client_id']}-{clock.today().isoformat()}.zip"
    return FileResponse(path, media_type="application/zip", filename=name,
                        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})
