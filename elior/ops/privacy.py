"""The data is the owner's alone: the database, its WAL, the secret key, backups and uploads are 0600 in 0700 folders.

Two parts, both run once at the start of every `python -m elior` command (`make_private`):
- `os.umask(0o077)` for the whole process, so whatever it creates later (the SQLite file, the folders made for it,
  a backup's scratch files) is private from its first byte, whatever umask the shell, systemd or Docker handed it.
  SQLite gives its -wal and -shm files the database file's own mode, so they follow.
- tightening what already exists, once: a data folder made by an older version, or under a loose umask, or unpacked
  by hand. Symlinks are never followed (a link in the data folder must not let us chmod a file elsewhere).

Restore (elior/ops/restore.py) calls `tighten` again after it has renamed its files into place.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterator

from elior.db import urls
from elior.settings import Settings

PRIVATE_UMASK = 0o077
FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_umask() -> int:
    """Make everything the process creates from now on private; the umask it had before."""
    return os.umask(PRIVATE_UMASK)


def _sqlite_files(settings: Settings) -> list[Path]:
    path = urls.sqlite_path(settings.database_url)
    if path is None:
        return []
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]


def _walk(folder: Path) -> Iterator[Path]:
    """Every folder and file under `folder` (itself included), never through a symlink."""
    yield folder
    for root, folders, files in os.walk(folder, followlinks=False):
        for name in folders + files:
            yield Path(root) / name


def _set(path: Path, mode: int, changed: list[Path]) -> None:
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(status.st_mode) or not (stat.S_ISDIR(status.st_mode) or stat.S_ISREG(status.st_mode)):
        return
    wanted = FOLDER_MODE if stat.S_ISDIR(status.st_mode) else mode
    if stat.S_IMODE(status.st_mode) != wanted:
        os.chmod(path, wanted)
        changed.append(path)


def tighten(settings: Settings) -> list[Path]:
    """The data folder 0700; Elior's files in it 0600; the uploads folder's whole tree. Returns what was changed.

    Only what Elior made is touched: the data folder may be set to a folder that holds other things too.
    """
    changed: list[Path] = []
    _set(settings.data_dir, FOLDER_MODE, changed)
    for path in [settings.data_dir / "secret_key", *_sqlite_files(settings)]:  # wherever DATABASE_URL points
        _set(path, FILE_MODE, changed)
    uploads = settings.upload_dir
    if uploads.is_dir() and not uploads.is_symlink():
        for path in _walk(uploads):
            _set(path, FILE_MODE, changed)
    return changed


def make_private(settings: Settings) -> list[Path]:
    """At the start of every command: the private umask, then tighten what exists."""
    private_umask()
    return tighten(settings)
