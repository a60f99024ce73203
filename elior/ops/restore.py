"""`python -m elior restore FILE`: all or nothing, into an empty place only, reading the archive with bounded memory.

Restore writes only into an empty place: no database file (SQLite) or no table (PostgreSQL), and no uploads. Then:
1. every member is unpacked into a staging folder beside where it goes (`.elior-restore-*`, on the same filesystem,
   0700, files 0600), in one pass over the stream: the manifest must come first and be small, every name must be one
   the backup writes, every member a regular file, their count at most what the manifest declares, each one no
   larger than the free disk space;
2. everything is checked: the gzip stream to its end (its CRC and length), the SQLite file (`PRAGMA quick_check`) or
   the dump's table of contents (`pg_restore --list`);
3. only then does it change anything: `pg_restore --single-transaction` on PostgreSQL, and the staged files are
   renamed into place (undone if a rename fails). A refused archive leaves the target as it was.

Memory stays bounded whatever the archive claims: the manifest is read only up to MANIFEST_LIMIT, no single read of
the decompressed stream may exceed READ_LIMIT (so a tar header claiming a 128 MB extended header is refused rather
than read), and members are never all kept in a list.
"""
from __future__ import annotations

import asyncio
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import zlib
from pathlib import Path
from typing import Any, BinaryIO

from elior.db.database import Database
from elior.ops import archive as layout
from elior.ops import privacy
from elior.ops.archive import BackupError, Progress, Staging, query, sqlite_path
from elior.settings import Settings

MB = 1024 * 1024
MANIFEST_LIMIT = 64 * 1024
SECRET_LIMIT = 4096
CHUNK = 1024 * 1024
READ_LIMIT = CHUNK  # the largest read tar may ask of the stream: a block, an extended header, a chunk of data
TRAILER_LIMIT = CHUNK  # zeros after the end-of-archive blocks
FREE_SPACE_RESERVE = 16 * MB
ARCHIVE_ERRORS = (tarfile.TarError, gzip.BadGzipFile, EOFError, zlib.error, UnicodeError)


class _Capped:
    """The decompressed stream as tarfile reads it, refusing any single read larger than READ_LIMIT."""

    mode = "rb"

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size > READ_LIMIT:
            raise BackupError("the archive has an entry header larger than a backup ever writes")
        return self.stream.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.stream.seek(offset, whence)

    def tell(self) -> int:
        return self.stream.tell()


def restore(settings: Settings, source: Path) -> dict[str, object]:
    """Restore an archive into an empty data folder (and database); refuse, changing nothing, otherwise."""
    if not source.is_file():
        raise BackupError(f"no archive at {source}")
    staging = Staging()
    try:
        with open(source, "rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as stream:
            bar = Progress("restore", os.fstat(raw.fileno()).st_size)
            try:
                archive = tarfile.open(fileobj=_Capped(stream), mode="r:")  # type: ignore[call-overload]
                manifest = _manifest(archive, settings)
                _check_empty(settings)
                database = _unpack(archive, manifest, settings, staging, lambda: bar.update(raw.tell()))
                _drain(stream)
            except ARCHIVE_ERRORS as error:
                raise BackupError(f"the archive is damaged or not a .tar.gz: {error}") from None
            except OSError as error:
                raise BackupError(f"could not unpack the archive: {error}") from None
        if settings.dialect == "sqlite":
            _check_sqlite(database)
            path = sqlite_path(settings)
            for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)  # empty (checked): stale beside the restored file
        else:
            _restore_pg(database, settings.database_url)  # one transaction: all of it, or nothing
        staging.commit()
        bar.finish()
    finally:
        staging.remove()
    privacy.tighten(settings)
    return manifest


def _manifest(archive: tarfile.TarFile, settings: Settings) -> dict[str, Any]:
    member = archive.next()
    if member is None or member.name != layout.MANIFEST:
        raise BackupError("not an Elior backup: it does not start with manifest.json")
    if not member.isreg() or member.size > MANIFEST_LIMIT:
        raise BackupError(f"not an Elior backup: its manifest is not a file of at most {MANIFEST_LIMIT} bytes")
    handle = archive.extractfile(member)
    assert handle is not None
    try:
        manifest = json.loads(handle.read(MANIFEST_LIMIT))
    except (ValueError, RecursionError):
        raise BackupError("not an Elior backup: its manifest is not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != layout.FORMAT:
        raise BackupError("not an Elior backup of a format this version reads")
    if manifest.get("dialect") != settings.dialect:
        raise BackupError(f"this is a {manifest.get('dialect')} backup; DATABASE_URL is {settings.dialect}")
    uploads = manifest.get("uploads")
    if type(uploads) is not int or uploads < 0:
        raise BackupError("not an Elior backup: its manifest does not say how many uploads it holds")
    archive.members.clear()  # the reader keeps every header it has read; one at a time is enough
    return manifest


def _upload_name(name: str) -> str:
    """The path under UPLOAD_DIR of an `uploads/...` member, refusing anything that could point elsewhere."""
    relative = name[len(layout.UPLOADS) + 1:]
    parts = relative.split("/")
    if not relative or "\x00" in relative or any(part in ("", ".", "..") for part in parts):
        raise BackupError(f"unsafe path {name!r} in the archive")
    return relative


def _unpack(archive: tarfile.TarFile, manifest: dict[str, Any], settings: Settings, staging: Staging,
            progress: Any) -> Path:
    """Every member into the staging folders; the staged database file."""
    database_member = layout.SQLITE_MEMBER if settings.dialect == "sqlite" else layout.PG_MEMBER
    uploads = staging.place(settings.upload_dir)
    if settings.dialect == "sqlite":
        database = staging.folder(sqlite_path(settings).parent) / "elior.db"
    else:
        database = staging.folder(settings.data_dir) / "elior.pgdump"
    seen: set[str] = set()
    limit = manifest["uploads"] + 2  # the database and the secret key beside the uploads
    while (member := archive.next()) is not None:
        archive.members.clear()
        name = member.name
        if name in seen:
            raise BackupError(f"the archive holds {name!r} twice")
        seen.add(name)
        if len(seen) > limit:
            raise BackupError(f"the archive holds more entries than its manifest declares ({manifest['uploads']} "
                              "uploads)")
        if not member.isreg() or member.issparse() or member.size < 0:
            raise BackupError(f"unexpected entry {name!r} in the archive (only regular files are restored)")
        if name == database_member:
            destination, cap = database, None
        elif name == layout.SECRET_MEMBER:
            destination, cap = staging.place(settings.data_dir / layout.SECRET_MEMBER), SECRET_LIMIT
        elif name.startswith(f"{layout.UPLOADS}/"):
            destination, cap = uploads / _upload_name(name), None
        else:
            raise BackupError(f"unexpected entry {name!r} in the archive")
        if cap is not None and member.size > cap:
            raise BackupError(f"{name!r} in the archive is larger than a backup ever writes")
        _extract(archive, member, destination)
        progress()
    if database_member not in seen:
        raise BackupError(f"not an Elior backup: no {database_member}")
    unpacked = sum(name.startswith(f"{layout.UPLOADS}/") for name in seen)
    if "missing_files" in manifest and unpacked != manifest["uploads"]:  # exact since this version wrote it
        raise BackupError(f"the archive is damaged: {unpacked} of its {manifest['uploads']} uploads are in it")
    if settings.dialect == "sqlite":
        staging.moves.append((database, sqlite_path(settings)))  # renamed last: the database says "restored"
    return database


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo, destination: Path) -> None:
    try:
        destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if shutil.disk_usage(destination.parent).free < member.size + FREE_SPACE_RESERVE:
            raise BackupError(f"not enough free disk space to restore {member.name!r} ({member.size // MB} MB)")
        source = archive.extractfile(member)
        assert source is not None
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            written = 0
            while chunk := source.read(CHUNK):
                handle.write(chunk)
                written += len(chunk)
            if written != member.size:
                raise BackupError(f"the archive ends inside {member.name!r}")
            handle.flush()
            os.fsync(handle.fileno())
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        raise BackupError(f"unsafe path {member.name!r} in the archive") from None


def _drain(stream: BinaryIO) -> None:
    """Read the gzip stream to its end, so its CRC and length are checked. Only zeros may follow the tar's end: a
    damaged header reads as the end of a tar, and the members after it must not be silently left out."""
    extra = 0
    while chunk := stream.read(64 * 1024):
        extra += len(chunk)
        if extra > TRAILER_LIMIT or chunk.count(0) != len(chunk):
            raise BackupError("the archive is damaged: it goes on after a header that does not read")


def _check_sqlite(path: Path) -> None:
    try:
        connection = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        try:
            result = connection.execute(query("sqlite", "ops.backup.quick_check")).fetchall()
            tables = connection.execute(query("sqlite", "ops.backup.table_count")).fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the archive's database is damaged: {error}") from None
    if result != [("ok",)] or not tables:
        raise BackupError(f"the archive's database is damaged: {result[0][0] if result else 'no tables'}")


def _check_empty(settings: Settings) -> None:
    if settings.dialect == "sqlite":
        path = sqlite_path(settings)
        for candidate in (path, Path(f"{path}-wal")):
            if candidate.exists() and candidate.stat().st_size > 0:
                raise BackupError(f"{candidate} exists; restore only into an empty data folder")
    elif asyncio.run(_pg_table_count(settings.database_url)) > 0:
        raise BackupError("the database named by DATABASE_URL has tables; restore only into an empty database")
    if settings.upload_dir.is_dir() and any(settings.upload_dir.iterdir()):
        raise BackupError(f"{settings.upload_dir} is not empty; restore only into an empty data folder")


async def _pg_table_count(url: str) -> int:
    db = Database(url, pool_size=1, max_overflow=0)
    await db.connect()
    try:
        return int(await db.fetch_val("ops.backup.table_count"))
    finally:
        await db.disconnect()


def _restore_pg(dump: Path, url: str) -> None:
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore is not installed (Debian: apt-get install postgresql-client)")
    listed = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True)
    if listed.returncode != 0:
        raise BackupError(f"the archive's database dump is damaged: {listed.stderr.strip()}")
    result = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                             "--single-transaction", f"--dbname={url}", str(dump)], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
