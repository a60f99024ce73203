"""Where uploaded bytes live: `UPLOAD_DIR/<server-made name>`, never a path a caller chose.

Writing is all-or-nothing: an upload arrives in `UPLOAD_DIR/.tmp-*`, is rewritten without metadata (and sealed when
FILE_ENCRYPTION_KEY is set) into a second temp file, flushed to disk, and only then renamed to its final name, inside
the transaction that inserts its row, just before the commit. So a crash leaves at worst an orphan temp file or an
orphan complete file without a row, never a row whose bytes are missing or half written. Temp names start with a dot,
which no stored name can (`STORED_NAME`), so they can never be served.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from elior.db.database import Database
from elior.media import crypto, exif, thumbnails
from elior.media.sniff import Kind
from elior.settings import Settings

# Server-made names only: anything else (slashes, dots, encoded tricks) can never name a stored file.
STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{16,64}(\.[a-z0-9]{2,5})?$")
READ_CHUNK = 64 * 1024


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
        for path in (stored_path(settings, filename), thumbnail_path(settings, filename)):  # a thumbnail goes too
            if path is not None:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()


def upload_dir(settings: Settings) -> Path:
    settings.upload_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return settings.upload_dir


def temp_path(settings: Settings) -> Path:
    return upload_dir(settings) / f".tmp-{secrets.token_hex(12)}"


def new_name(kind: Kind) -> str:
    return f"{secrets.token_urlsafe(24)}.{kind.extension}"


def discard(*paths: Path | None) -> None:
    for path in paths:
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


@dataclass(frozen=True)
class Prepared:
    path: Path  # the temp file that becomes the stored file
    size: int  # bytes served (after stripping; before encryption)
    sha256: str  # of the bytes served: also the ETag
    encrypted: bool


class _Sink:
    """What the stripper writes to: counts and hashes the plaintext, and seals it on its way to disk when asked."""

    def __init__(self, out: BinaryIO, key: bytes | None, kept: list[bytes] | None = None) -> None:
        self.out = out
        self.digest = hashlib.sha256()
        self.size = 0
        self.encryptor = crypto.Encryptor(key, out) if key else None
        self.kept = kept  # the plaintext's pieces, when the caller wants them back (a photo's thumbnail)

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        if self.kept is not None:
            self.kept.append(bytes(data))
        (self.encryptor or self.out).write(data)
        return len(data)

    def finish(self) -> None:
        if self.encryptor is not None:
            self.encryptor.finish()


def prepare(raw: Path, kind: Kind, key: bytes | None, out: Path, kept: list[bytes] | None = None) -> Prepared:
    """Blocking (run it in a thread): strip metadata from `raw` into `out`, sealed when `key` is given, on disk; the
    stripped plaintext is also appended to `kept` when one is given."""
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(raw, "rb") as src, os.fdopen(descriptor, "wb") as dst:
        sink = _Sink(dst, key, kept)
        exif.strip(kind.name, src, sink)
        sink.finish()
        dst.flush()
        os.fsync(dst.fileno())
    return Prepared(out, sink.size, sink.digest.hexdigest(), key is not None)


def publish(prepared: Prepared, final: Path) -> None:
    """Give the complete file its name (atomic on one filesystem), and make the rename itself durable."""
    os.replace(prepared.path, final)
    directory = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class StoredFile:
    """An open stored file: its served size and its plaintext in ranges, decrypting chunk by chunk if sealed."""

    def __init__(self, path: Path, key: bytes | None, encrypted: bool) -> None:
        self.handle = open(path, "rb")
        try:
            if encrypted:
                if key is None:
                    raise crypto.WrongKey("the file is encrypted and FILE_ENCRYPTION_KEY is not set")
                self.decryptor: crypto.Decryptor | None = crypto.Decryptor(key, self.handle)
                self.size = self.decryptor.size
            else:
                self.decryptor = None
                self.size = os.fstat(self.handle.fileno()).st_size
        except BaseException:
            self.handle.close()
            raise

    def pieces(self, start: int, end: int) -> Iterator[bytes]:
        """Bytes start..end inclusive, in pieces of at most one chunk."""
        if self.decryptor is not None:
            yield from self.decryptor.read_range(start, end)
            return
        self.handle.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            data = self.handle.read(min(remaining, READ_CHUNK))
            if not data:
                return
            remaining -= len(data)
            yield data

    def close(self) -> None:
        self.handle.close()


# --- thumbnails (elior/media/thumbnails.py): UPLOAD_DIR/.thumbs/<the photo's name>, sealed like the photo ---
# A cache of what the photos already hold: the dot keeps it out of backups (elior/ops/backup.py keeps no dot names),
# and a restored photo gets its thumbnail again on the first request for it (elior/files/thumbs.py).
THUMBNAILS = ".thumbs"


def thumbnail_path(settings: Settings, filename: str) -> Path | None:
    path = stored_path(settings, filename)
    return None if path is None else path.parent / THUMBNAILS / filename


def is_sealed(path: Path) -> bool:
    """Whether a stored file is encrypted, from its first bytes (a thumbnail made before FILE_ENCRYPTION_KEY was set
    is not, whatever its photo's row says); FileNotFoundError when it is gone."""
    with open(path, "rb") as handle:
        return handle.read(len(crypto.MAGIC)) == crypto.MAGIC


def read_plain(path: Path, key: bytes | None, encrypted: bool) -> bytes:
    """A stored (or prepared) file's whole plaintext; only for photos, whose size the upload limit bounds."""
    stored = StoredFile(path, key, encrypted)
    try:
        return b"".join(stored.pieces(0, stored.size - 1)) if stored.size else b""
    finally:
        stored.close()


def prepare_with_thumbnail(raw: Path, kind: Kind, key: bytes | None, out: Path,
                           thumb_out: Path) -> tuple[Prepared, Prepared | None]:
    """Blocking: `prepare`, then the photo's thumbnail into `thumb_out` from the stripped bytes. Stored plain, they
    are read from `out`, just written and still in the page cache; sealed, they are kept in memory on their way to
    disk, since reading them back means decrypting them (bench/README.md has the costs)."""
    if not thumbnails.can_make(kind.name):
        return prepare(raw, kind, key, out), None
    if key is None:
        prepared = prepare(raw, kind, None, out)
        return prepared, prepare_thumbnail(out, False, kind.name, None, thumb_out)
    kept: list[bytes] = []
    prepared = prepare(raw, kind, key, out, kept)
    return prepared, thumbnail_of(b"".join(kept), kind.name, key, thumb_out)


def prepare_thumbnail(source: Path, encrypted: bool, kind_name: str, key: bytes | None, out: Path) -> Prepared | None:
    """Blocking: the thumbnail of the stored photo at `source` into `out` (see `thumbnail_of`)."""
    if not thumbnails.can_make(kind_name):
        return None
    if not encrypted:
        with open(source, "rb") as stripped:
            return thumbnail_of(stripped, kind_name, key, out)
    return thumbnail_of(read_plain(source, key, encrypted), kind_name, key, out)


def thumbnail_of(plain: bytes | BinaryIO, kind_name: str, key: bytes | None, out: Path) -> Prepared | None:
    """Blocking: the thumbnail of a stripped photo (its bytes, or a file open on them) into `out`, sealed when `key`
    is given; None when the photo gets none (HEIC, or Pillow refused it: the photo is then served full size)."""
    try:
        data = thumbnails.make(plain, kind_name)
    except thumbnails.NoThumbnail:
        return None
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as dst:
        sink = _Sink(dst, key)
        sink.write(data)
        sink.finish()
        dst.flush()
        os.fsync(dst.fileno())
    return Prepared(out, sink.size, sink.digest.hexdigest(), key is not None)


def publish_thumbnail(prepared: Prepared, final: Path) -> None:
    final.parent.mkdir(mode=0o700, exist_ok=True)
    publish(prepared, final)
