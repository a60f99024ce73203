"""What `backup` writes and `restore` reads: the archive's layout, its one error type, the progress bar, and the
staging folders through which restore changes nothing until everything is checked.

The archive is one .tar.gz: `manifest.json` first, then the database (`database/elior.db` or `database/elior.pgdump`),
the development `secret_key` when there is one, and `uploads/<name>` for each upload.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import IO

from elior.settings import Settings

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/elior.db"
PG_MEMBER = "database/elior.pgdump"
SECRET_MEMBER = "secret_key"
UPLOADS = "uploads"


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


def query(dialect: str, name: str) -> str:
    from elior.db.database import load_queries

    return load_queries(dialect)[name]


class Staging:
    """Files unpacked beside their final place, then renamed into it together."""

    def __init__(self) -> None:
        self.folders: dict[Path, Path] = {}
        self.moves: list[tuple[Path, Path]] = []
        self.made: list[Path] = []  # folders that did not exist: removed again if the restore is refused
        self.committed = False

    def folder(self, parent: Path) -> Path:
        if parent not in self.folders:
            missing = [folder for folder in (parent, *parent.parents) if not folder.exists()]
            parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.made += missing
            self.folders[parent] = Path(tempfile.mkdtemp(prefix=".elior-restore-", dir=parent))
        return self.folders[parent]

    def place(self, final: Path) -> Path:
        """Where to unpack what becomes `final`, renamed there by commit() (the last placed, the last renamed)."""
        staged = self.folder(final.parent) / final.name
        self.moves.append((staged, final))
        return staged

    def commit(self) -> None:
        done: list[tuple[Path, Path]] = []
        try:
            for staged, final in self.moves:
                if not staged.exists():
                    continue
                if final.is_dir():
                    final.rmdir()  # the empty uploads folder (checked): the restored one takes its place
                os.replace(staged, final)
                done.append((staged, final))
        except OSError as error:
            for staged, final in reversed(done):
                os.replace(final, staged)
            raise BackupError(f"could not move the restored files into place: {error}") from None
        self.committed = True

    def remove(self) -> None:
        for folder in self.folders.values():
            shutil.rmtree(folder, ignore_errors=True)
        if not self.committed:
            for folder in self.made:  # innermost first
                try:
                    folder.rmdir()
                except OSError:
                    break
