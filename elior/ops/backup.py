"""`python -m elior backup FILE` and `python -m elior restore FILE`: one .tar.gz with the database and the uploads.

The database part is a consistent snapshot taken while the server keeps running:
- SQLite: the online backup API, copied in steps (for the progress bar) inside one read transaction held on the
  source, so every step sees the same snapshot and concurrent writers never force a restart (WAL lets them go on).
  Every write committed before the backup started is in it.
- PostgreSQL: `pg_dump --format=custom`, itself one repeatable-read snapshot; restored with `pg_restore`.
The uploads are copied after the snapshot, so every file a row of the snapshot names is already on disk.

Restore writes only into an empty place: no database file (SQLite) or no table (PostgreSQL), and no uploads. It
refuses anything else and changes nothing.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import IO, Iterator

from elior import __version__, clock
from elior.db.database import Database
from elior.settings import Settings

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/elior.db"
PG_MEMBER = "database/elior.pgdump"
UPLOADS = "uploads"
STEP_PAGES = 256


class BackupError(Exception):
    """A failure the user can act on; printed as one line, exit status 1."""


class Progress:
    """A one-line progress bar on stderr (redrawn in place on a terminal, one final line otherwise)."""

    def __init__(self, label: str, total: int, stream: IO[str] | None = None, width: int = 30) -> None:
        self.label, self.total, self.done, self.width = label, max(total, 1), 0, width
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self._shown = -1

    def advance(self, amount: int) -> None:
        self.update(self.done + amount)

    def update(self, done: int) -> None:
        self.done = min(done, self.total)
        percent = int(100 * self.done / self.total)
        if self.live and percent != self._shown:
            self._shown = percent
            self.stream.write("\r" + self._line(percent))
            self.stream.flush()

    def finish(self) -> None:
        self.done = self.total
        self.stream.write(("\r" if self.live else "") + self._line(100) + "\n")
        self.stream.flush()

    def _line(self, percent: int) -> str:
        filled = self.width * percent // 100
        return f"{self.label:<10} [{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}%  {_size(self.done)}"


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.1f} {unit}" if unit != "B" else f"{int(value)} B"
        value /= 1024
    return f"{value:.1f} GB"


def sqlite_path(settings: Settings) -> Path:
    return Path(settings.database_url.removeprefix("sqlite:///"))


def snapshot_sqlite(source_path: Path, target_path: Path, progress: Progress | None = None) -> None:
    """Copy a live SQLite database (WAL included) into `target_path` as one consistent snapshot."""
    if not source_path.is_file():
        raise BackupError(f"no database at {source_path}")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, isolation_level=None)
    target = sqlite3.connect(target_path)
    try:
        source.execute("PRAGMA busy_timeout=5000")
        # Hold one read transaction across all steps: each step then copies from the same snapshot.
        source.execute("BEGIN")
        source.execute(_query("sqlite", "ops.backup.table_count")).fetchone()

        def step(status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress.total = max(total, 1)
                progress.update(total - remaining)

        source.backup(target, pages=STEP_PAGES, progress=step)
        source.execute("COMMIT")
    finally:
        source.close()
        target.close()


def _query(dialect: str, name: str) -> str:
    from elior.db.database import load_queries

    return load_queries(dialect)[name]


def _upload_files(upload_dir: Path) -> Iterator[tuple[Path, str]]:
    if not upload_dir.is_dir():
        return
    for path in sorted(upload_dir.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(upload_dir).as_posix()


def _add_file(archive: tarfile.TarFile, path: Path, name: str, progress: Progress) -> None:
    """Add one file, counting its bytes into the progress bar as they are read."""
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""

    class Counted(io.RawIOBase):
        def __init__(self, handle: IO[bytes]) -> None:
            self.handle = handle

        def readinto(self, buffer: "memoryview | bytearray") -> int:  # type: ignore[override]
            count = self.handle.readinto(buffer)  # type: ignore[attr-defined]
            progress.advance(count or 0)
            return count or 0

        def readable(self) -> bool:
            return True

    with path.open("rb") as handle:
        archive.addfile(info, io.BufferedReader(Counted(handle)))


def backup(settings: Settings, target: Path) -> dict[str, object]:
    """Write the archive to `target` (through a temporary file, renamed at the end). Returns the manifest."""
    target = target.resolve()
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="elior-backup-") as scratch_dir:
        scratch = Path(scratch_dir)
        if settings.dialect == "sqlite":
            db_file, db_member = scratch / "elior.db", SQLITE_MEMBER
            snapshot_sqlite(sqlite_path(settings), db_file, bar := Progress("database", 1))
            bar.finish()
        else:
            db_file, db_member = scratch / "elior.pgdump", PG_MEMBER
            _pg_dump(settings.database_url, db_file)
        uploads = list(_upload_files(settings.upload_dir))
        manifest: dict[str, object] = {
            "format": FORMAT, "version": __version__, "dialect": settings.dialect,
            "created_at": clock.iso(clock.now()), "database": db_member, "uploads": len(uploads),
        }
        secret = settings.data_dir / "secret_key"
        partial = target.with_name(f".{target.name}.partial")
        total = db_file.stat().st_size + sum(path.stat().st_size for path, _ in uploads)
        bar = Progress("archive", total)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds password hashes
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as archive:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
                _add_file(archive, db_file, db_member, bar)
                if secret.is_file():
                    _add_file(archive, secret, "secret_key", bar)
                for path, relative in uploads:
                    try:
                        _add_file(archive, path, f"{UPLOADS}/{relative}", bar)
                    except FileNotFoundError:
                        continue  # deleted since the listing: its row is gone from later snapshots too
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        bar.finish()
    return manifest


def _pg_dump(url: str, target: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    bar = Progress("database", 1)
    result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--dbname={url}",
                             f"--file={target}"], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    bar.update(1)
    bar.done = target.stat().st_size
    bar.finish()


def _members(archive: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    found: dict[str, tarfile.TarInfo] = {}
    for member in archive.getmembers():
        if not member.isfile():
            raise BackupError(f"unexpected entry {member.name!r} in the archive (only regular files are restored)")
        found[member.name] = member
    return found


def restore(settings: Settings, source: Path) -> dict[str, object]:
    """Restore an archive into an empty data folder (and database); refuse, changing nothing, otherwise."""
    if not source.is_file():
        raise BackupError(f"no archive at {source}")
    with tarfile.open(source, mode="r:gz") as archive:
        members = _members(archive)
        if MANIFEST not in members:
            raise BackupError("not an Elior backup: no manifest.json")
        manifest = json.loads(archive.extractfile(members[MANIFEST]).read())  # type: ignore[union-attr]
        if manifest.get("format") != FORMAT or manifest.get("dialect") != settings.dialect:
            raise BackupError(f"this is a {manifest.get('dialect')} backup; DATABASE_URL is {settings.dialect}")
        _check_empty(settings)
        uploads = {name: m for name, m in members.items() if name.startswith(f"{UPLOADS}/")}
        bar = Progress("restore", sum(m.size for m in members.values()))
        if settings.dialect == "sqlite":
            _restore_sqlite(archive, members[SQLITE_MEMBER], sqlite_path(settings), bar)
        else:
            _restore_pg(archive, members[PG_MEMBER], settings.database_url, bar)
        if "secret_key" in members:
            # The data folder is empty (checked), so a key found there was just made by this very command's start:
            # the backup's key replaces it, and tokens signed before the backup stay valid.
            _extract(archive, members["secret_key"], settings.data_dir / "secret_key", bar, mode=0o600)
        root = settings.upload_dir.resolve()
        for name, member in uploads.items():
            destination = (root / name[len(UPLOADS) + 1:]).resolve()
            if not destination.is_relative_to(root) or destination == root:
                raise BackupError(f"unsafe path {name!r} in the archive")
            _extract(archive, member, destination, bar)
        bar.finish()
    return manifest


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


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo, destination: Path, bar: Progress,
             mode: int = 0o640) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = archive.extractfile(member)
    assert source is not None
    partial = destination.with_name(f".{destination.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        while chunk := source.read(1024 * 1024):
            handle.write(chunk)
            bar.advance(len(chunk))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, destination)


def _restore_sqlite(archive: tarfile.TarFile, member: tarfile.TarInfo, path: Path, bar: Progress) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)  # only empty files reach here (checked above)
    _extract(archive, member, path, bar)


def _restore_pg(archive: tarfile.TarFile, member: tarfile.TarInfo, url: str, bar: Progress) -> None:
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore is not installed (Debian: apt-get install postgresql-client)")
    with tempfile.TemporaryDirectory(prefix="elior-restore-") as scratch:
        dump = Path(scratch) / "elior.pgdump"
        _extract(archive, member, dump, bar)
        result = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                                 "--single-transaction", f"--dbname={url}", str(dump)], capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
