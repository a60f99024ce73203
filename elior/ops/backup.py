"""`python -m elior backup FILE`: one .tar.gz with the database and the bytes of every file it lists, taken live.

The database part is a consistent snapshot taken while the server keeps running:
- SQLite: the online backup API, copied in steps (for the progress bar) inside one read transaction held on the
  source, so every step sees the same snapshot and concurrent writers never force a restart (WAL lets them go on).
- PostgreSQL: `pg_dump --format=custom --snapshot=...`, dumping the snapshot of a repeatable-read transaction that
  also reads the file names, so the names and the dump are the same moment; restored with `pg_restore`.

Every file row of the snapshot has its bytes in the archive, even when it is deleted while the backup runs: before
the snapshot, every upload is hard-linked into a scratch folder beside the uploads folder (a link keeps the bytes
alive after the delete unlinks the name; on a filesystem without links, a copy). The snapshot's file names are then
read from the snapshot itself; a row uploaded between the links and the snapshot is linked then. A row whose bytes are
still missing (uploaded during the snapshot and deleted right after it) makes the whole attempt start again, up to
ATTEMPTS times; the same names missing twice are a damage older than this backup (a warning, not a failure).

Restore is elior/ops/restore.py.
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
from typing import IO

from elior import __version__, clock
from elior.media import storage
from elior.ops import archive as layout
from elior.ops.archive import BackupError, Progress, query, sqlite_path
from elior.ops.restore import restore
from elior.settings import Settings

__all__ = ["BackupError", "Progress", "backup", "restore", "snapshot_sqlite"]

STEP_PAGES = 256
ATTEMPTS = 3


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
        source.execute(query("sqlite", "ops.backup.table_count")).fetchone()

        def step(status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress.total = max(total, 1)
                progress.update(total - remaining)

        source.backup(target, pages=STEP_PAGES, progress=step)
        source.execute("COMMIT")
    finally:
        source.close()
        target.close()


def _sqlite_names(db_file: Path) -> set[str]:
    connection = sqlite3.connect(f"file:{db_file}?immutable=1", uri=True)
    try:
        if not connection.execute(query("sqlite", "ops.backup.has_files")).fetchone()[0]:
            return set()
        return {row[0] for row in connection.execute(query("sqlite", "ops.backup.filenames"))}
    finally:
        connection.close()


async def _pg_snapshot(url: str, target: Path) -> set[str]:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await connection.fetchval(query("postgresql", "ops.backup.export_snapshot"))
            names: set[str] = set()
            if await connection.fetchval(query("postgresql", "ops.backup.has_files")):
                names = {row[0] for row in await connection.fetch(query("postgresql", "ops.backup.filenames"))}
            # The exported snapshot lives as long as this transaction: pg_dump runs inside it.
            await asyncio.to_thread(_pg_dump, url, target, snapshot)
    finally:
        await connection.close()
    return names


def _pg_dump(url: str, target: Path, snapshot: str) -> None:
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    bar = Progress("database", 1)
    result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                             f"--dbname={url}", f"--file={target}"], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    bar.update(1)
    bar.done = target.stat().st_size
    bar.finish()


def _upload_files(upload_dir: Path) -> list[str]:
    """Relative names of the regular files under UPLOAD_DIR; dot names (uploads in flight) are not kept."""
    found: list[str] = []
    for root, folders, files in os.walk(upload_dir, followlinks=False):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        base = Path(root).relative_to(upload_dir)
        found += [(base / name).as_posix() for name in sorted(files) if not name.startswith(".")]
    return found


def _hold(path: Path, copy: Path) -> bool:
    """Keep `path`'s bytes at `copy` (a hard link, else a copy); False if it is gone already."""
    if path.is_symlink() or not path.is_file():
        return False
    copy.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.link(path, copy, follow_symlinks=False)
    except FileNotFoundError:
        return False
    except OSError:  # another filesystem, or links refused: a copy, read through one open descriptor
        try:
            shutil.copyfile(path, copy)
        except FileNotFoundError:
            return False
    return True


def _snapshot(settings: Settings, folder: Path) -> tuple[Path, str, set[str]]:
    """The database snapshot into `folder`, and the file names its rows hold."""
    if settings.dialect == "sqlite":
        db_file = folder / "elior.db"
        snapshot_sqlite(sqlite_path(settings), db_file, bar := Progress("database", 1))
        bar.finish()
        return db_file, layout.SQLITE_MEMBER, _sqlite_names(db_file)
    db_file = folder / "elior.pgdump"
    return db_file, layout.PG_MEMBER, asyncio.run(_pg_snapshot(settings.database_url, db_file))


def _consistent(settings: Settings, scratch: Path) -> tuple[Path, str, dict[str, Path], set[str]]:
    """Uploads held, then the snapshot: (database file, its member name, held files by name, rows with no bytes)."""
    previous: set[str] | None = None
    for attempt in range(ATTEMPTS):
        folder = scratch / f"attempt-{attempt}"
        folder.mkdir(mode=0o700)
        held = {name: folder / layout.UPLOADS / name for name in _upload_files(settings.upload_dir)
                if _hold(settings.upload_dir / name, folder / layout.UPLOADS / name)}
        db_file, member, names = _snapshot(settings, folder)
        for name in sorted(names - held.keys()):  # uploaded between the links and the snapshot
            path = storage.stored_path(settings, name)
            if path is not None and _hold(path, folder / layout.UPLOADS / name):
                held[name] = folder / layout.UPLOADS / name
        missing = names - held.keys()
        if not missing or (previous is not None and missing <= previous) or attempt == ATTEMPTS - 1:
            return db_file, member, held, missing
        previous = missing
        shutil.rmtree(folder)
    raise AssertionError("unreachable")


def _scratch(settings: Settings) -> Path:
    """A private folder on the uploads' filesystem (so hard links work), or in the system's temp folder."""
    try:
        return Path(tempfile.mkdtemp(prefix=".elior-backup-", dir=settings.upload_dir.parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix="elior-backup-"))


def _add_file(archive: tarfile.TarFile, path: Path, name: str, progress: Progress) -> None:
    """Add one file, counting its bytes into the progress bar as they are read."""
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600

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
    scratch = _scratch(settings)
    try:
        db_file, db_member, held, missing = _consistent(settings, scratch)
        if missing:
            print(f"warning: {len(missing)} file row(s) had no bytes in {settings.upload_dir} before this backup "
                  f"began (e.g. {sorted(missing)[0]}); their rows are kept as they are", file=sys.stderr)
        manifest: dict[str, object] = {
            "format": layout.FORMAT, "version": __version__, "dialect": settings.dialect,
            "created_at": clock.iso(clock.now()), "database": db_member, "uploads": len(held),
            "missing_files": len(missing),
        }
        _write(settings, target, manifest, db_file, held)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return manifest


def _write(settings: Settings, target: Path, manifest: dict[str, object], db_file: Path,
           held: dict[str, Path]) -> None:
    secret = settings.data_dir / layout.SECRET_MEMBER
    partial = target.with_name(f".{target.name}.partial")
    bar = Progress("archive", db_file.stat().st_size + sum(path.stat().st_size for path in held.values()))
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds password hashes
    try:
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as archive:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(layout.MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o600
                archive.addfile(info, io.BytesIO(data))
                _add_file(archive, db_file, str(manifest["database"]), bar)
                if secret.is_file():
                    _add_file(archive, secret, layout.SECRET_MEMBER, bar)
                for name, path in sorted(held.items()):
                    _add_file(archive, path, f"{layout.UPLOADS}/{name}", bar)
            raw.flush()  # after the tar's close has written the gzip trailer
            os.fsync(raw.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    bar.finish()
