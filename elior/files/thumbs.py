"""`GET /api/files/{name}?size=thumb`: a photo's 320 px JPEG, after the same access checks as the photo (the caller
of `endpoints.read` has made them: a visible file, or a valid signed URL for this very name).

Thumbnails are made at upload time, from the stripped bytes, and published with the photo before its row commits, so
a list of photos never waits for a decoder. They are a cache (UPLOAD_DIR/.thumbs/, left out of backups): a photo
stored before thumbnails existed, or restored from a backup, gets its thumbnail on the first request for it, cached
on disk beside the others (sealed if FILE_ENCRYPTION_KEY is set), so old photos need no migration step. A photo
without one (HEIC, or one Pillow refuses) is served full size; a document answers 404.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response

from elior.media import crypto, storage, thumbnails
from elior.media.serving import serve
from elior.media.sniff import BY_CONTENT_TYPE
from elior.settings import Settings
from elior.web.errors import ApiError

log = logging.getLogger("elior.files")


def _ensure(settings: Settings, path: Path, row: dict[str, Any], key: bytes | None, kind_name: str) -> bool | None:
    """Blocking: whether the thumbnail is sealed, making it first if it is missing; None when there is none."""
    thumb = storage.thumbnail_path(settings, row["filename"])
    assert thumb is not None  # the caller checked the name
    try:
        return storage.is_sealed(thumb)
    except FileNotFoundError:
        pass
    temp = storage.temp_path(settings)
    try:
        made = storage.prepare_thumbnail(path, bool(row["encrypted"]), kind_name, key, temp)
        if made is None:
            return None
        storage.publish_thumbnail(made, thumb)
        log.info("thumbnail made on first request", extra={"file": row["filename"]})
        return made.encrypted
    except (FileNotFoundError, crypto.CryptoError):
        return None  # the photo itself is missing or unreadable: serving it says so properly
    finally:
        storage.discard(temp)


async def serve_thumbnail(request: Request, settings: Settings, path: Path, row: dict[str, Any],
                          key: bytes | None) -> Response:
    kind = BY_CONTENT_TYPE.get(row["content_type"])
    if kind is None or not kind.is_image:
        raise ApiError(404, "only photos have a thumbnail")
    sealed = await anyio.to_thread.run_sync(_ensure, settings, path, row, key, kind.name) \
        if thumbnails.can_make(kind.name) else None
    if sealed is None:
        return await serve(request, path, row, key)  # no thumbnail: the photo itself
    thumb = storage.thumbnail_path(settings, row["filename"])
    assert thumb is not None
    stem = row["filename"].rsplit(".", 1)[0]
    shown = {"content_type": thumbnails.CONTENT_TYPE, "filename": f"{stem}-thumb.jpg", "encrypted": sealed,
             "sha256": f"{row['sha256']}-thumb{thumbnails.MAX_SIDE}"}  # a function of the photo's bytes
    return await serve(request, thumb, shown, key)
