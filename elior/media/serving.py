"""Serving a stored file: its stored type and never HTML, an ETag, one byte range, decrypting on the way out.

Every answer carries `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox` (so even a file that a
browser were talked into rendering runs no script and has no origin), and anything that is not an image is sent as
an attachment. Ranges are single (`bytes=a-b`, `bytes=a-`, `bytes=-n`); several ranges get the whole file (RFC 9110
allows it). An encrypted file is decrypted only in the chunks the range touches.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

import anyio
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from elior.media import crypto
from elior.media.sniff import BY_CONTENT_TYPE
from elior.media.storage import StoredFile
from elior.web.errors import ApiError

log = logging.getLogger("elior.files")
RANGE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$")  # ASCII digits: \d would take any script's digits
POSITION_DIGITS = 18  # 10**18 bytes is an exabyte
BEYOND_ANY_FILE = 10**18


def _position(digits: str) -> int:
    """A byte position as asked. Past 18 digits it is beyond any file (and int() of 5,000 digits raises, a 500):
    such a number means "past the end", which is what it means within 18 digits too."""
    return int(digits) if len(digits) <= POSITION_DIGITS else BEYOND_ANY_FILE


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive range asked for, None for the whole file; ApiError 416 when it lies outside the file."""
    if not header:
        return None
    match = RANGE.match(header.strip())
    if match is None:
        return None  # several ranges, or another unit: the whole file
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        start, end = max(size - _position(last), 0), size - 1
    else:
        start, end = _position(first), min(_position(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise ApiError(416, f"the range is outside the file's {size} bytes",
                       headers={"Content-Range": f"bytes */{size}"})
    return start, end


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in candidates or etag in candidates


async def _open(path: Path, key: bytes | None, encrypted: bool) -> StoredFile:
    try:
        return await anyio.to_thread.run_sync(StoredFile, path, key, encrypted)
    except FileNotFoundError:
        log.error("a file row has no bytes on disk", extra={"file": path.name})
        raise ApiError(404, "file not found") from None
    except crypto.WrongKey as error:
        log.error("cannot decrypt a stored file", extra={"file": path.name, "reason": str(error)})
        raise ApiError(503, "this file is stored encrypted with a key the server does not have") from None
    except crypto.CryptoError as error:
        log.error("a stored file is damaged", extra={"file": path.name, "reason": str(error)})
        raise ApiError(500, "the stored file is damaged; it has been logged") from None


async def serve(request: Request, path: Path, row: dict[str, Any], key: bytes | None) -> Response:
    content_type = row["content_type"]
    kind = BY_CONTENT_TYPE.get(content_type)
    etag = f'"{row["sha256"]}"'
    headers = {
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, max-age=300",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
        "Content-Disposition": f'{"inline" if kind and kind.is_image else "attachment"}; filename="{row["filename"]}"',
    }
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    stored = await _open(path, key, bool(row["encrypted"]))
    try:
        size = stored.size
        if_range = request.headers.get("if-range")
        wanted = byte_range(request.headers.get("range"), size) if not if_range or if_range == etag else None
        status, (start, end) = (206, wanted) if wanted else (200, (0, size - 1))
        pieces = stored.pieces(start, end)
        # The first piece is read before answering, so a wrong key or a damaged first chunk is a clean error.
        first = await anyio.to_thread.run_sync(next, pieces, b"")
    except crypto.CryptoError as error:
        stored.close()
        log.error("a stored file is damaged", extra={"file": path.name, "reason": str(error)})
        raise ApiError(500, "the stored file is damaged; it has been logged") from None
    except BaseException:
        stored.close()
        raise
    headers["Content-Length"] = str(end - start + 1)
    if status == 206:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return _FileStream(stored, _body(path.name, first, pieces), status_code=status, media_type=content_type,
                       headers=headers)


class _FileStream(StreamingResponse):
    """Streams a stored file and closes it however the response ends (done, failed, or the client went away)."""

    def __init__(self, stored: StoredFile, body: AsyncIterator[bytes], **options: Any) -> None:
        self.stored = stored
        super().__init__(body, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.stored.close()


async def _body(name: str, first: bytes, pieces: Iterator[bytes]) -> AsyncIterator[bytes]:
    if first:
        yield first
    try:
        while (piece := await anyio.to_thread.run_sync(next, pieces, None)) is not None:
            yield piece
    except crypto.CryptoError as error:
        # Headers are gone already: the connection is cut short, which the client sees against Content-Length.
        log.error("a stored file is damaged", extra={"file": name, "reason": str(error)})
        raise
