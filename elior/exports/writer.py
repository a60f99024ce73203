"""Writes one client's archive (the FORMAT of docs/data-export.md) to a file, with bounded memory.

Rows are read a page at a time (PAGE rows, keyset or offset pages: sql/exports/rows/) and written as they come:
into `data.json`, which is one ZIP entry streamed from its first byte to its last, and into one temporary CSV per
table, copied into the ZIP after `data.json` is closed (a ZIP is written one entry at a time). Files are decrypted a
chunk at a time straight into their entry. Every entry's SHA-256 is taken while it is written, for `manifest.json`.
So memory holds one page of rows and one chunk of a file, whatever the client's size (bench/export.py measures it).

The ZIP work is blocking (deflate, disk), so each step runs in a worker thread; the database reads stay on the loop.
"""
from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Awaitable, Callable

import anyio
import orjson

from elior import clock
from elior.accounts.users import fetch_user, user_json
from elior.exports.tables import FORMAT_VERSION, TABLES, Table
from elior.exports.values import exported_row
from elior.media import crypto, storage
from elior.progress.reports import safe_cell
from elior.settings import Settings

log = logging.getLogger("elior.exports")

PAGE = 500
COPY_CHUNK = 1024 * 1024
Progress = Callable[[int], Awaitable[None]]
UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class ExportError(Exception):
    """An export that cannot be made; the message is safe to show (it names no path or secret)."""


@dataclass
class Written:
    """What an archive holds: rows per table, the files copied, those whose bytes were missing, its size."""
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    missing: list[str] = field(default_factory=list)
    size_bytes: int = 0


class _Hashing(io.RawIOBase):
    """A write-only wrapper that hashes what passes through on its way into a ZIP entry."""

    def __init__(self, target: IO[bytes]) -> None:
        super().__init__()
        self.target = target
        self.sha = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = bytes(data)
        self.sha.update(view)
        self.target.write(view)
        return len(view)


def file_entry(row: dict[str, Any]) -> str:
    """`files/<file id>-<safe name>`: the entry a stored file is written to."""
    return f"files/{row['id']}-{UNSAFE_NAME.sub('_', str(row['filename']))[:120]}"


def _key(settings: Settings) -> bytes | None:
    return crypto.parse_key(settings.file_encryption_key) if settings.file_encryption_key else None


class _Sink:
    """The blocking half: the open ZIP, the data.json entry and the CSV being written for the current table."""

    def __init__(self, out: Path, scratch: Path) -> None:
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6, allowZip64=True)
        self.scratch = scratch
        self.digests: dict[str, str] = {}
        self.csv_files: list[tuple[str, Path, str]] = []
        self.data = _Hashing(self.zip.open("data.json", "w", force_zip64=True))
        self.first_table = True
        self.first_row = True
        self.csv_handle: IO[str] | None = None
        self.csv_sha = hashlib.sha256()
        self.csv_writer: Any = None
        self.columns: list[str] | None = None

    def head(self, client_id: int, client: dict[str, Any]) -> None:
        self.data.write(b'{"schema_version":' + orjson.dumps(FORMAT_VERSION) + b',"exported_at":'
                        + orjson.dumps(clock.iso(clock.now())) + b',"client_id":' + orjson.dumps(client_id)
                        + b',"client":' + orjson.dumps(client) + b',"tables":{')

    def begin_table(self, name: str) -> None:
        self.data.write((b"" if self.first_table else b",") + orjson.dumps(name) + b":[")
        self.first_table, self.first_row = False, True
        path = self.scratch / f"{name}.csv"
        self.csv_handle = open(path, "w", newline="", encoding="utf-8")
        self.csv_writer = csv.writer(self.csv_handle)
        self.csv_sha = hashlib.sha256()
        self.columns = None
        self.csv_files.append((f"csv/{name}.csv", path, ""))

    def rows(self, rows: list[dict[str, Any]]) -> None:
        pieces = [orjson.dumps(row) for row in rows]
        self.data.write((b"," if not self.first_row else b"") + b",".join(pieces))
        self.first_row = False
        lines: list[list[str]] = []
        if self.columns is None:
            self.columns = list(rows[0])
            lines.append([safe_cell(name) for name in self.columns])
        lines.extend([safe_cell(row.get(name)) for name in self.columns] for row in rows)
        buffer = io.StringIO()
        csv.writer(buffer).writerows(lines)
        text = buffer.getvalue()
        self.csv_sha.update(text.encode("utf-8"))
        assert self.csv_handle is not None
        self.csv_handle.write(text)

    def end_table(self) -> None:
        self.data.write(b"]")
        assert self.csv_handle is not None
        self.csv_handle.close()
        name, path, _ = self.csv_files[-1]
        self.csv_files[-1] = (name, path, self.csv_sha.hexdigest())

    def end_data(self) -> None:
        self.data.write(b"}}")
        self.data.target.close()
        self.digests["data.json"] = self.data.sha.hexdigest()
        for name, path, digest in self.csv_files:
            self.zip.write(path, name)
            self.digests[name] = digest
            path.unlink()

    def add_file(self, entry: str, path: Path, key: bytes | None, encrypted: bool) -> int | None:
        """Copies one stored file, decrypted, into `entry`; its plaintext size, or None when its bytes are gone."""
        try:
            stored = storage.StoredFile(path, key, encrypted)
        except FileNotFoundError:
            return None
        try:
            # Stored, not deflated: photos and documents are compressed already.
            info = zipfile.ZipInfo(entry, date_time=time.localtime()[:6])
            with self.zip.open(info, "w", force_zip64=True) as raw:
                target = _Hashing(raw)
                if stored.size:
                    for piece in stored.pieces(0, stored.size - 1):
                        target.write(piece)
            self.digests[entry] = target.sha.hexdigest()
            return stored.size
        finally:
            stored.close()

    def finish(self, missing: list[str]) -> None:
        manifest = {"schema_version": FORMAT_VERSION, "files": self.digests, "missing_files": missing}
        self.zip.writestr("manifest.json", orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
        self.zip.close()

    def abort(self) -> None:
        if self.csv_handle is not None and not self.csv_handle.closed:
            self.csv_handle.close()
        try:
            self.zip.close()
        except Exception:  # the archive is thrown away anyway
            pass


async def _pages(db: Any, table: Table, client_id: int) -> Any:
    """The client's rows of one table, a page at a time."""
    name = f"exports.rows.{table.name}"
    if len(table.key) == 1:
        after: Any = 0
        while True:
            rows = await db.fetch_all(name, client_id=client_id, after=after, limit=PAGE)
            if not rows:
                return
            yield rows
            if len(rows) < PAGE:
                return
            after = rows[-1][table.key[0]]
    else:
        offset = 0
        while True:
            rows = await db.fetch_all(name, client_id=client_id, limit=PAGE, offset=offset)
            if not rows:
                return
            yield rows
            if len(rows) < PAGE:
                return
            offset += len(rows)


async def write_client(db: Any, settings: Settings, client_id: int, out: Path,
                       progress: Progress | None = None) -> Written:
    """Writes the archive of one client to `out` (replaced if there); raises ExportError if there is no such client."""
    row = await fetch_user(db, client_id, client_id, "client")
    if row is None or row["role"] != "client":
        raise ExportError(f"client {client_id} not found")
    client = orjson.loads(orjson.dumps(user_json(row)))  # exactly as GET /api/users/{id} encodes it
    estimate = await db.fetch_one("exports.jobs.estimate", client_id=client_id)
    row_total = max(int(estimate["row_count"] or 0), 1)
    byte_total = max(int(estimate["file_bytes"] or 0), 1)
    report = progress or _silent
    written, done_rows, done_bytes = Written(), 0, 0
    key = _key(settings)
    scratch = Path(tempfile.mkdtemp(prefix=".export-", dir=out.parent))
    sink = await anyio.to_thread.run_sync(_Sink, out, scratch)
    try:
        await anyio.to_thread.run_sync(sink.head, client_id, client)
        for table in TABLES:
            await anyio.to_thread.run_sync(sink.begin_table, table.name)
            count = 0
            async for rows in _pages(db, table, client_id):
                plain_rows = [exported_row(table, r) for r in rows]
                await anyio.to_thread.run_sync(sink.rows, plain_rows)
                count += len(rows)
                done_rows += len(rows)
                await report(min(60, 60 * done_rows // row_total))
            await anyio.to_thread.run_sync(sink.end_table)
            written.counts[table.name] = count
        await anyio.to_thread.run_sync(sink.end_data)
        await report(60)
        files = next(t for t in TABLES if t.name == "files")
        async for rows in _pages(db, files, client_id):
            for file_row in rows:
                path = storage.stored_path(settings, file_row["filename"])
                size = None if path is None else await anyio.to_thread.run_sync(
                    sink.add_file, file_entry(file_row), path, key, bool(file_row["encrypted"]))
                if size is None:
                    written.missing.append(str(file_row["filename"]))
                    continue
                written.files += 1
                done_bytes += size
                await report(60 + min(38, 38 * done_bytes // byte_total))
        await anyio.to_thread.run_sync(sink.finish, written.missing)
    except crypto.WrongKey:
        await anyio.to_thread.run_sync(sink.abort)
        raise ExportError("a file is encrypted with a key this server does not have") from None
    except crypto.CryptoError as error:
        log.error("a stored file is damaged", extra={"client_id": client_id, "reason": str(error)})
        await anyio.to_thread.run_sync(sink.abort)
        raise ExportError("a stored file is damaged; it has been logged") from None
    except BaseException:
        await anyio.to_thread.run_sync(sink.abort)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    written.size_bytes = out.stat().st_size
    return written


async def _silent(_: int) -> None:
    return None
