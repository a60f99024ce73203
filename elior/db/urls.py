"""What a `DATABASE_URL` says, read in one place: which dialect, and for SQLite which file.

`Settings.dialect`, the `Database` and the backup read the URL through these two functions, so a spelling they
accept (`postgres://`, `postgresql+asyncpg://`, `sqlite:////absolute/path`) means the same everywhere.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

DIALECTS = ("sqlite", "postgresql")


def dialect(url: str) -> str:
    """`postgresql` for `postgres://` and `postgresql[+driver]://` URLs, else `sqlite`."""
    scheme = url.partition(":")[0].partition("+")[0].lower()
    return "postgresql" if scheme in ("postgres", "postgresql") else "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The SQLite file of `sqlite:///relative.db` or `sqlite:////absolute.db` (as `databases` reads them: the path
    after the third slash), or None for a PostgreSQL URL."""
    if dialect(url) != "sqlite":
        return None
    return Path(unquote(urlsplit(url).path[1:]))
