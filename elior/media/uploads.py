"""Receiving a multipart upload as it streams in: fields kept small, the file written straight to UPLOAD_DIR.

Starlette's `request.form()` caps only the size of plain fields (`max_part_size`); file parts spool to the system's
temp directory without a limit. So the body goes through python-multipart's streaming parser here instead, and:
- a declared Content-Length past the cap is a 413 before one byte is read;
- the file's bytes count as they arrive, and the first byte past MAX_UPLOAD_MB is a 413 at once, with the partial
  file removed by the caller (what is on disk never exceeds the cap);
- the first bytes decide the type: a file that is none of the kept types is a 415 as soon as they are in;
- only `file`, `purpose` and `client_id` are accepted, once each, the text fields at most 100 bytes (else 422);
- the parse is fed at most PARSE_SLICE bytes at a time and counted against the upload's CPU budget
  (UPLOAD_PARSE_SECONDS, `elior.media.limits`), which the rewrite of the file in a worker thread then goes on using:
  past it, a 422 and nothing kept. python-multipart itself caps the size and count of part headers.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from elior.media import limits, sniff
from elior.web.errors import ApiError, invalid

MB = 1024 * 1024
FIELDS = ("purpose", "client_id")
FIELD_LIMIT = 100
FORM_OVERHEAD = 64 * 1024  # boundaries, part headers and the small fields, allowed on top of the file's cap
PARSE_SLICE = 64 * 1024  # bytes per parser call, so a budget check never waits behind one huge body chunk


@dataclass
class Received:
    fields: dict[str, str] = field(default_factory=dict)
    has_file: bool = False
    size: int = 0
    head: bytes = b""
    kind: sniff.Kind | None = None


class _Parts:
    """python-multipart callbacks: which part is open, its headers, and where its bytes go."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        self.raw = raw
        self.limit = limit
        self.result = Received()
        self.header_name = b""
        self.header_value = b""
        self.disposition = b""
        self.name: str | None = None
        self.is_file = False
        self.text = bytearray()
        self.ended = False

    def on_part_begin(self) -> None:
        self.disposition, self.name, self.is_file = b"", None, False
        self.text.clear()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        if self.header_name.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if name == "file":
            if self.result.has_file:
                raise invalid(("body", "file"), "send one file per upload", "value_error.extra")
            self.result.has_file, self.is_file = True, True
        elif name in FIELDS:
            if name in self.result.fields:
                raise invalid(("body", name), "is given twice", "value_error.extra")
        else:
            raise invalid(("body", name or "?"), "is not a known field", "value_error.extra")
        self.name = name

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        piece = data[start:end]
        if not self.is_file:
            self.text += piece
            if len(self.text) > FIELD_LIMIT:
                raise invalid(("body", self.name or "?"), f"must be at most {FIELD_LIMIT} bytes",
                              "value_error.too_long")
            return
        result = self.result
        result.size += len(piece)
        if result.size > self.limit:
            raise ApiError(413, f"the file is larger than {self.limit // MB} MB (MAX_UPLOAD_MB)")
        if len(result.head) < sniff.HEAD_BYTES:
            result.head += piece[:sniff.HEAD_BYTES - len(result.head)]
            if len(result.head) == sniff.HEAD_BYTES:
                self._decide_type()
        self.raw.write(piece)

    def on_part_end(self) -> None:
        if self.is_file:
            if self.result.kind is None:
                self._decide_type()
        elif self.name is not None:
            self.result.fields[self.name] = self.text.decode("utf-8", "replace").strip()

    def on_end(self) -> None:
        self.ended = True

    def _decide_type(self) -> None:
        self.result.kind = sniff.sniff(self.result.head)
        if self.result.kind is None:
            raise ApiError(415, "the file is not a JPEG, PNG, WebP or HEIC photo, nor a PDF (judged by its content, "
                                "not its name)")


async def receive(request: Request, raw_path: Path, max_upload_mb: int) -> Received:
    """Stream the body into `raw_path` (created here, mode 0600); the caller removes it whatever happens."""
    media_type, options = parse_options_header(request.headers.get("content-type", ""))
    if media_type != b"multipart/form-data" or not options.get(b"boundary"):
        raise ApiError(415, "send the upload as multipart/form-data with the fields file, purpose and client_id")
    limit = max_upload_mb * MB
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_OVERHEAD:
        raise ApiError(413, f"the file is larger than {max_upload_mb} MB (MAX_UPLOAD_MB)")
    settings = getattr(request.app.state, "settings", None)
    budget = limits.start(getattr(settings, "upload_parse_seconds", limits.DEFAULT_SECONDS))
    descriptor = os.open(raw_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as raw:
        parts = _Parts(raw, limit)
        parser = MultipartParser(options[b"boundary"], {  # type: ignore[arg-type]
            "on_part_begin": parts.on_part_begin, "on_part_data": parts.on_part_data,
            "on_part_end": parts.on_part_end, "on_header_field": parts.on_header_field,
            "on_header_value": parts.on_header_value, "on_header_end": parts.on_header_end,
            "on_headers_finished": parts.on_headers_finished, "on_end": parts.on_end,
        })
        try:
            async for chunk in request.stream():
                if parts.ended:
                    continue  # an epilogue after the closing boundary: read (BodyLimit caps it), never parsed
                with budget.running():
                    for at in range(0, len(chunk), PARSE_SLICE):
                        parser.write(chunk[at:at + PARSE_SLICE])
                        budget.check()
        except ClientDisconnect:
            # The client went away mid-upload: nobody reads the answer, but it must not log as a crash.
            raise ApiError(400, "the upload was interrupted") from None
        except MultipartParseError:
            raise invalid(("body",), "is not a well-formed multipart/form-data body", "value_error.multipart") \
                from None
    if not parts.ended:
        raise invalid(("body",), "the multipart body ends before its closing boundary", "value_error.multipart")
    if not parts.result.has_file:
        raise invalid(("body", "file"), "is required", "value_error.missing")
    return parts.result
