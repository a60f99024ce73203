"""`POST /api/imports` (issue 18): an admin loads a client's export archive, sent as the raw application/zip body
or as the one part `file` of a multipart/form-data body (what a browser's form and `curl -F` send).

elior/routes.py splices ROUTES into the one route table as `*import_routes.ROUTES`. The body streams to a temp file
of the data folder (never into memory), capped by the server-wide body limit (MAX_UPLOAD_MB + 1 MB, elior/app.py;
a larger archive is imported with `python -m elior import`), then elior/exports/importer.py does the rest, all or
nothing. `?trainer=EMAIL` gives the client to that trainer; without it the client has none.
"""
from __future__ import annotations

import os
import secrets
from typing import BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect
from starlette.routing import BaseRoute

from elior.exports import importer
from elior.exports.import_archive import Refused
from elior.exports.tables import TABLES
from elior.web.errors import ApiError, invalid
from elior.web.responses import JSONResponse, created
from elior.web.routing import Call, api, roles
from elior.web.schema import Binary, Email, Int, Object, Schema

QUERY = Schema("ImportQuery", {
    "trainer": Email(description="an active trainer of this studio, who the imported client is given to"),
})
COUNTS = Schema("ImportCounts", {table.name: Int(minimum=0) for table in TABLES})
REUSED = Schema("ImportReused", {"exercises": Int(minimum=0), "session_types": Int(minimum=0)})
RESULT = Schema("ImportResult", {
    "client_id": Int(description="the imported client's id on this server (every id is new)"),
    "counts": Object(schema_=COUNTS, description="rows inserted, per table"),
    "reused": Object(schema_=REUSED, description="rows of this studio's library the client's rows now point at, "
                     "reused rather than copied"),
})


FORM = Schema("ImportForm", {"file": Binary(required=True, media_type="application/zip",
                                             description="the ZIP written by an export")})
ZIP_TYPES = ("application/zip", "application/x-zip-compressed", "application/octet-stream")


class _FilePart:
    """python-multipart callbacks for a form of one part, `file`, written to `out` as it streams in."""

    def __init__(self, out: BinaryIO) -> None:
        self.out, self.disposition, self.name, self.value, self.parts, self.ended = out, b"", b"", b"", 0, False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.value += data[start:end]

    def on_header_end(self) -> None:
        if self.name.lower() == b"content-disposition":
            self.disposition = self.value
        self.name = self.value = b""

    def on_headers_finished(self) -> None:
        self.parts += 1
        if self.parts > 1 or parse_options_header(self.disposition)[1].get(b"name") != b"file":
            raise invalid(("body",), "send one part, `file`, holding the archive", "value_error.extra")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self.out.write(data[start:end])

    def on_end(self) -> None:
        self.ended = True


async def _receive(call: Call, out: BinaryIO) -> None:
    """The archive into `out`: the raw body, or the `file` part of a multipart form, never whole in memory."""
    media_type, options = parse_options_header(call.request.headers.get("content-type", ""))
    form = media_type == b"multipart/form-data" and options.get(b"boundary")
    if not form and media_type.decode("latin-1").lower() not in ZIP_TYPES:
        raise ApiError(415, "send the archive as the body (Content-Type: application/zip), or as the `file` part "
                            "of a multipart/form-data body")
    part = _FilePart(out)
    parser = MultipartParser(options[b"boundary"], {  # type: ignore[arg-type]
        "on_header_field": part.on_header_field, "on_header_value": part.on_header_value,
        "on_header_end": part.on_header_end, "on_headers_finished": part.on_headers_finished,
        "on_part_data": part.on_part_data, "on_end": part.on_end}) if form else None
    try:
        async for chunk in call.request.stream():
            if parser is None:
                out.write(chunk)
            elif not part.ended:
                parser.write(chunk)
    except ClientDisconnect:
        raise ApiError(400, "the upload was interrupted") from None
    except MultipartParseError:
        raise invalid(("body",), "is not a well-formed multipart/form-data body", "value_error.multipart") from None
    if parser is not None and (not part.ended or part.parts == 0):
        raise invalid(("body", "file"), "is required (a form ending with its closing boundary)", "value_error.missing")


async def import_archive(call: Call) -> JSONResponse:
    """Import a client's export archive (the ZIP as the body, or as a form's `file`): every row anew, all or
    nothing."""
    settings = call.settings
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / f".import-{secrets.token_hex(12)}.zip"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            await _receive(call, out)
        try:
            result = await importer.import_archive(call.db, settings, path, call.request.app.state.passwords,
                                                   trainer_email=call.query.get("trainer"),
                                                   acting_admin=call.user.id)
        except Refused as refused:
            if refused.status == 422:  # the contract's 422 lists its problems: here, the one that refused it
                raise invalid(("body",), str(refused), "value_error.archive") from None
            raise ApiError(refused.status, str(refused)) from None
    finally:
        path.unlink(missing_ok=True)
    # A new user, written past elior.accounts.users (no login changed): the cached user answers must not hide it.
    call.request.app.state.authenticator.forget_users()
    return created({"client_id": result.client_id, "counts": result.counts, "reused": result.reused})


ROUTES: list[BaseRoute] = [
    api("POST", "/api/imports", import_archive, access=roles("admin"), query=QUERY, raw_body="application/zip",
        forms={"multipart/form-data": FORM}, response=RESULT, status=201, tags=("exports",),
        responses={404: "trainer is not an active trainer of this studio",
                   409: "An account with the archive's email exists already",
                   413: "Larger than the server's body limit (import it with `python -m elior import`)",
                   415: "Neither application/zip nor multipart/form-data",
                   422: "Not an export archive, or one refused whole: a checksum that does not match manifest.json, "
                        "an unknown schema_version, an entry missing or extra, a ZIP bomb, rows that do not fit"}),
]
