"""The files of an archive, staged before the import writes a row: checked, rewritten and sealed for this server.

Each exported file arrives decrypted (`files/<id>-<name>`). Staging copies it to a temp file of UPLOAD_DIR while its
SHA-256 is checked twice (against manifest.json, and against the `files` row that describes it: same bytes, same
size), judges its type by its first bytes as an upload is judged (it must be the type its row claims and one its
purpose allows), then sends it through the upload's own rewrite (elior.media.storage.prepare: metadata stripped,
sealed with this server's FILE_ENCRYPTION_KEY when set, flushed to disk) under a new server-made name. Nothing is
published: the importer renames the staged files to their names inside its transaction, just before the commit, and
`discard()` removes whatever was staged or published when the import does not commit.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elior.exports.import_archive import Archive, Refused
from elior.media import crypto, exif, limits, sniff, storage
from elior.settings import Settings


@dataclass(frozen=True)
class Staged:
    old_name: str
    new_name: str
    prepared: storage.Prepared
    final: Path
    thumb: storage.Prepared | None  # photos get their thumbnail as an upload does (elior/media/thumbnails.py)
    thumb_final: Path | None


@dataclass
class Staging:
    """What an import has put on disk so far: temp files, and the final names already published."""

    files: dict[int, Staged] = field(default_factory=dict)  # original files.id -> staged
    published: list[Path] = field(default_factory=list)

    def publish(self) -> None:
        """Blocking: give every staged file its final name (inside the transaction, just before the commit)."""
        for staged in self.files.values():
            if staged.thumb is not None and staged.thumb_final is not None:
                storage.publish_thumbnail(staged.thumb, staged.thumb_final)
                self.published.append(staged.thumb_final)
            storage.publish(staged.prepared, staged.final)
            self.published.append(staged.final)

    def discard(self) -> None:
        """Blocking: the import did not commit, so nothing it wrote may stay."""
        for staged in self.files.values():
            storage.discard(staged.prepared.path, staged.thumb.path if staged.thumb else None)
        storage.discard(*self.published)


def _key(settings: Settings) -> bytes | None:
    return crypto.parse_key(settings.file_encryption_key) if settings.file_encryption_key else None


def _copy(archive: Archive, entry: str, raw: Path, row: dict[str, Any]) -> sniff.Kind:
    """The entry into `raw` (mode 0600), checked against the manifest and its row; its type from its first bytes."""
    digest, size, head = hashlib.sha256(), 0, b""
    descriptor = os.open(raw, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in archive.read(entry):
            digest.update(chunk)
            size += len(chunk)
            if len(head) < sniff.HEAD_BYTES:
                head += chunk[:sniff.HEAD_BYTES - len(head)]
            out.write(chunk)
    if digest.hexdigest() != row.get("sha256") or size != row.get("size"):
        raise Refused(f"{entry} is not the file its row in data.json describes (size or SHA-256 differ)")
    kind = sniff.sniff(head)
    allowed = sniff.ALLOWED.get(str(row.get("purpose")), frozenset())
    if kind is None or kind not in allowed or kind.content_type != row.get("content_type"):
        raise Refused(f"{entry} is not a {row.get('content_type')!s:.40} its purpose allows (judged by its bytes)")
    return kind


def stage(archive: Archive, settings: Settings, rows: list[dict[str, Any]], staging: Staging) -> None:
    """Blocking (run it in a thread): stage the file of every `files` row; a row without its entry, or an entry
    without its row, refuses the archive. On an error the caller calls `staging.discard()`."""
    key = _key(settings)
    wanted: set[int] = set()
    for row in rows:
        if row.get("filename") in archive.missing:
            continue  # its bytes were gone on the exporting server: the importer leaves the row out too
        file_id = row.get("id")
        if not isinstance(file_id, int) or file_id in wanted:
            raise Refused("data.json's files need distinct integer ids")
        wanted.add(file_id)
        entry = archive.files.get(file_id)
        if entry is None:
            raise Refused(f"data.json's file {file_id} has no entry under files/ in the archive")
        raw = storage.temp_path(settings)
        try:
            kind = _copy(archive, entry, raw, row)
            out, thumb_out = storage.temp_path(settings), storage.temp_path(settings)
            try:
                prepared, thumb = storage.prepare_with_thumbnail(raw, kind, key, out, thumb_out)
            except (exif.BadImage, limits.TooComplex) as error:  # damaged inside, past its signature
                storage.discard(out, thumb_out)
                raise Refused(f"{entry} is not a well-formed {kind.name.upper()} file: {error}") from None
            except BaseException:
                storage.discard(out, thumb_out)
                raise
            name = storage.new_name(kind)
            staging.files[file_id] = Staged(str(row.get("filename")), name, prepared,
                                            storage.upload_dir(settings) / name, thumb,
                                            storage.thumbnail_path(settings, name) if thumb else None)
        finally:
            storage.discard(raw)
    stray = sorted(set(archive.files) - wanted)
    if stray:
        raise Refused(f"{archive.files[stray[0]]} is in the archive but no row of data.json's files names it")
