"""Files: upload (streamed, typed by content, scanned, stripped, sealed, counted against a quota), list, serve, delete.

Who may see a file is decided in SQL (`sql/files/visible.sql`): the client it is about, their trainer, admins; a file
about no client, its uploader and admins. Anyone else holding an unexpired signed URL may read it too, so that an
`<img>` tag can show a photo without a bearer header.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import time
from pathlib import Path
from typing import Any

import anyio
from itsdangerous import BadSignature, Signer

from elior import clock
from elior.audit import access_log
from elior.files import thumbs
from elior.media import clamd, crypto, exif, storage, uploads
from elior.media.serving import serve
from elior.media.sniff import ALLOWED
from elior.settings import Settings
from elior.web.errors import ApiError, invalid, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, DateTime, Int, Schema, Str

log = logging.getLogger("elior.files")

PURPOSES = tuple(ALLOWED)
MB = 1024 * 1024

UPLOAD_FIELDS = Schema("FileUploadFields", {
    "purpose": Str(required=True, enum=PURPOSES),
    "client_id": Int(minimum=1, nullable=True, description="the client the file is about; a trainer must give it"),
})
FILE = Schema("File", {
    "filename": Str(required=True, max_length=80), "content_type": Str(required=True, max_length=40),
    "size": Int(required=True, minimum=0), "purpose": Str(required=True, enum=PURPOSES),
    "client_id": Int(nullable=True), "url": Str(required=True, description="a signed URL, valid for a while"),
    "thumbnail_url": Str(nullable=True, description="photos: the signed URL of a 320 px JPEG (`size=thumb`)"),
    "created_at": DateTime(required=True),
})
FILE_PAGE = Schema("FilePage", {"items": Array(items=FILE), "total": Int(), "limit": Int(), "offset": Int()})
LIST_QUERY = Schema("FileListQuery", {"client_id": Int(minimum=1), "purpose": Str(enum=PURPOSES), **PAGE})
GET_QUERY = Schema("FileGetQuery", {
    "sig": Str(max_length=200, description="the signature of a signed URL"),
    "size": Str(enum=("full", "thumb"), description="thumb: a 320 px JPEG of a photo (the photo itself when it has "
                                                    "none, e.g. HEIC); a document has none (404)"),
})


@functools.lru_cache(maxsize=4)
def _key(text: str | None) -> bytes | None:
    return crypto.parse_key(text) if text else None


# --- signed URLs ---

def _signer(settings: Settings) -> Signer:
    return Signer(settings.secret_key, salt="elior.files.url", digest_method=hashlib.sha256)


def signed_url(settings: Settings, filename: str, now: float | None = None) -> str:
    """`/api/files/NAME?sig=EXPIRES.SIGNATURE`: the name and the expiry are both under the signature."""
    expires = int(time.time() if now is None else now) + settings.file_url_expire_minutes * 60
    token = _signer(settings).sign(f"{filename}.{expires}").decode()
    return f"/api/files/{filename}?sig={token[len(filename) + 1:]}"


def signature_valid(settings: Settings, filename: str, sig: str, now: float | None = None) -> bool:
    try:
        value = _signer(settings).unsign(f"{filename}.{sig}").decode()
    except BadSignature:
        return False
    name, _, expires = value.rpartition(".")
    return name == filename and expires.isdigit() and int(expires) > (time.time() if now is None else now)


def shape(settings: Settings, row: dict[str, Any]) -> dict[str, Any]:
    url = signed_url(settings, row["filename"])
    photo = row["content_type"].startswith("image/")
    return {"filename": row["filename"], "content_type": row["content_type"], "size": row["size"],
            "purpose": row["purpose"], "client_id": row["client_id"], "url": url,
            "thumbnail_url": f"{url}&size=thumb" if photo else None, "created_at": row["created_at"]}


# --- upload ---

async def _client_for(call: Call, client_id: int | None, purpose: str) -> int | None:
    """The client the upload is about: a client uploads for themself, a trainer for their client, an admin for any."""
    if call.user.role == "client" and client_id is None:
        client_id = call.user.id
    if client_id is None:
        if call.user.role == "admin" or purpose == "avatar":
            return None  # the uploader's own file (an admin's document, a trainer's avatar)
        raise invalid(("body", "client_id"), "is required: the client this file is about", "value_error.missing")
    if await call.db.fetch_one("files.upload_client", client_id=client_id, **call.scope) is None:
        raise not_found("client", client_id)
    return client_id


def _over_quota(settings: Settings, used: int) -> ApiError:
    return ApiError(413, f"the storage quota of {settings.upload_quota_mb} MB for this account is used up "
                         f"({used / MB:.1f} MB stored); delete files to make room")


async def upload(call: Call) -> JSONResponse:
    """Upload a photo or a PDF (multipart: file, purpose, client_id)."""
    settings = call.settings
    raw, ready, thumb_ready = storage.temp_path(settings), storage.temp_path(settings), storage.temp_path(settings)
    try:
        received = await uploads.receive(call.request, raw, settings.max_upload_mb)
        fields = UPLOAD_FIELDS.validate({k: v for k, v in received.fields.items() if v != ""}, coerce=True)
        purpose = fields["purpose"]
        client_id = await _client_for(call, fields.get("client_id"), purpose)
        kind = received.kind
        if kind is None or kind not in ALLOWED[purpose]:
            wanted = "a PDF" if purpose == "document" else "a JPEG, PNG, WebP or HEIC photo"
            raise ApiError(415, f"a {purpose} must be {wanted} (judged by the file's content)")
        quota_user = client_id if client_id is not None else call.user.id
        used = int(await call.db.fetch_val("files.usage", user_id=quota_user))
        if used >= settings.upload_quota_mb * MB:  # full already: spare the scan and the rewrite
            raise _over_quota(settings, used)
        await _scan(call, raw)
        try:
            # The thumbnail is made now, from the stripped bytes, so every committed photo has one (see thumbnails.py).
            prepared, thumb = await anyio.to_thread.run_sync(
                storage.prepare_with_thumbnail, raw, kind, _key(settings.file_encryption_key), ready, thumb_ready)
        except exif.BadImage as error:
            raise ApiError(415, f"the file is not a well-formed {kind.name.upper()}: {error}") from None
        filename = storage.new_name(kind)
        final, thumb_final = settings.upload_dir / filename, storage.thumbnail_path(settings, filename)
        try:
            async with call.db.transaction():
                await call.db.fetch_val("files.lock_quota", user_id=quota_user)
                used = int(await call.db.fetch_val("files.usage", user_id=quota_user))
                if used + prepared.size > settings.upload_quota_mb * MB:
                    raise _over_quota(settings, used)
                row = await call.db.fetch_one(
                    "files.insert", filename=filename, owner_id=call.user.id, client_id=client_id, purpose=purpose,
                    content_type=kind.content_type, size=prepared.size, sha256=prepared.sha256,
                    encrypted=prepared.encrypted, now=clock.now())
                # Last step before the commit: a committed row always has its whole file.
                if thumb is not None:
                    await anyio.to_thread.run_sync(storage.publish_thumbnail, thumb, thumb_final)
                await anyio.to_thread.run_sync(storage.publish, prepared, final)
        except BaseException:
            storage.discard(final, thumb_final)
            raise
    finally:
        storage.discard(raw, ready, thumb_ready)
    assert row is not None
    log.info("file stored", extra={"file": filename, "purpose": purpose, "size": prepared.size,
                                   "encrypted": prepared.encrypted})
    return created(shape(settings, row))


async def _scan(call: Call, raw: Path) -> None:
    if not clamd.enabled(call.settings):
        return
    try:
        verdict = await clamd.scan_file(call.settings, raw)
    except clamd.ScannerUnavailable as error:
        log.error("virus scanner unavailable; upload refused", extra={"reason": str(error)})
        raise ApiError(503, "the virus scanner is not available; try again later",
                       headers={"Retry-After": "30"}) from None
    if verdict is not None:
        log.warning("upload flagged by the virus scanner", extra={"signature": verdict, "user_id": call.user.id})
        raise invalid(("body", "file"), "the virus scanner flagged this file; it was not kept", "value_error.virus")


# --- list, read, delete ---

async def list_files(call: Call) -> JSONResponse:
    """The files the caller may see, newest first, each with a signed URL."""
    params = {"client_id": call.query.get("client_id"), "purpose": call.query.get("purpose"), **call.scope}
    rows = await call.db.fetch_all("files.list", limit=call.query["limit"], offset=call.query["offset"], **params)
    total = await call.db.fetch_val("files.count", **params)
    await access_log.note_rows(call, rows, "files.read")
    return JSONResponse({"items": [shape(call.settings, row) for row in rows], "total": int(total),
                         "limit": call.query["limit"], "offset": call.query["offset"]})


async def read(call: Call) -> Any:
    """A file's bytes: for the client it is about, their trainer, admins, or a signed URL (`?sig=`)."""
    settings = call.settings
    filename = call.request.path_params["filename"]
    path = storage.stored_path(settings, filename)
    if path is None:
        raise ApiError(404, "file not found")
    sig = call.query.get("sig")
    if sig is not None:
        if not signature_valid(settings, filename, sig):
            raise ApiError(403, "this file link is invalid or has expired")
        row = await call.db.fetch_one("files.by_name", filename=filename)
    elif not call.user.is_authenticated:
        raise ApiError(401, "sign in first, or use the file's signed URL", headers={"WWW-Authenticate": "Bearer"})
    else:
        row = await call.db.fetch_one("files.visible", filename=filename, **call.scope)
    if row is None:
        raise not_found("file", filename)
    if call.user.is_authenticated:  # a signed URL names no reader; whoever signed it in was logged then
        await access_log.note(call, row["client_id"], "files.read")
    if call.query.get("size") == "thumb":  # same checks as the photo itself, above
        return await thumbs.serve_thumbnail(call.request, settings, path, row, _key(settings.file_encryption_key))
    return await serve(call.request, path, row, _key(settings.file_encryption_key))


async def delete(call: Call) -> Any:
    """Delete a file and its bytes (the client it is about, their trainer, admins)."""
    filename = call.request.path_params["filename"]
    if storage.stored_path(call.settings, filename) is None:
        raise ApiError(404, "file not found")
    deleted = await call.db.fetch_one("files.delete_visible", filename=filename, **call.scope)
    if deleted is None:
        raise not_found("file", filename)
    await access_log.note(call, deleted["client_id"], "files.change")
    await anyio.to_thread.run_sync(storage.remove_files, call.settings, [filename])
    return no_content()
