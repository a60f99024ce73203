"""Where uploaded bytes live: `UPLOAD_DIR/<server-made name>`, never a path a caller chose."""
from __future__ import annotations

import contextlib
import re
from pathlib import Path

from elior.db import Database
from elior.settings import Settings

# Server-made names only: anything else (slashes, dots, encoded tricks) can never name a stored file.
STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{16,64}(\.[a-z0-9]{2,5})?$")


def stored_path(settings: Settings, filename: str) -> Path | None:
    """The file's path under UPLOAD_DIR, or None for a name the server could not have made."""
    if not STORED_NAME.fullmatch(filename):
        return None
    return settings.upload_dir / filename


async def filenames_of_user(db: Database, user_id: int) -> list[str]:
    """Read before deleting a user: the rows go with the user (foreign keys), the bytes must be removed after."""
    return [row["filename"] for row in await db.fetch_all("files.names_of_user", user_id=user_id)]


def remove_files(settings: Settings, filenames: list[str]) -> None:
    for filename in filenames:
        path = stored_path(settings, filename)
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
