"""Reading an export archive as the untrusted bytes it is: bounded, checked against its manifest, or refused.

An archive to import comes from another server, through an admin's hands: anything in it may be wrong or hostile.
So before a byte of it reaches the database or the upload folder:
- the end of central directory record is read by hand first, and an archive announcing more entries than
  `Limits.entries` (or a central directory larger than those entries can need) is refused before `zipfile` builds
  its list of them (the list itself would be the bomb);
- every entry's declared size counts against `Limits.total_bytes`, and every read counts the bytes it really gets,
  so an entry that inflates past what it declared (or past the limits) stops there: a ZIP bomb costs at most the
  bounds, never the disk or the memory;
- only the entries of the format may be there (manifest.json, data.json, csv/<table>.csv, files/<id>-<name>), each
  once, stored or deflated, not encrypted; the manifest must list every other entry and nothing else, with its
  SHA-256, and every entry's bytes must hash to it; data.json's schema_version must be the one this server reads.
Everything refused is a `Refused` with a message safe to show; no other exception leaves this module for bad bytes.
"""
from __future__ import annotations

import hashlib
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterator

import orjson

from elior.exports.tables import BY_NAME, FORMAT_VERSION

CHUNK = 64 * 1024
MB = 1024 * 1024
ENTRY_NAME = re.compile(r"^(manifest\.json|data\.json|csv/[a-z_]{1,64}\.csv"
                        r"|files/(?P<file>[0-9]{1,19})-[^/\\\x00]{1,200})$")
FOLDERS = ("csv/", "files/")  # directory entries a ZIP tool may add: allowed, empty, and never read
SHA256 = re.compile(r"^[0-9a-f]{64}$")
SCALAR = (str, int, float, bool, type(None))


class Refused(Exception):
    """The archive is not imported: `str()` says why, in words safe to show; `status` is the HTTP answer."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    """What one archive may hold. The defaults fit a client with years of data and a few thousand photos."""

    entries: int = 50_000
    total_bytes: int = 20 * 1024 * MB  # all entries, uncompressed
    json_bytes: int = 256 * MB  # data.json: parsed whole, its objects several times its size
    manifest_bytes: int = 16 * MB


@dataclass
class Archive:
    """An open, checked archive: its manifest, its parsed data.json, and which entry holds which original file."""

    zip: zipfile.ZipFile
    limits: Limits
    manifest: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    files: dict[int, str] = field(default_factory=dict)  # original files.id -> entry name
    missing: frozenset[str] = frozenset()  # stored names whose bytes the exporting server no longer had

    def close(self) -> None:
        self.zip.close()

    def read(self, name: str) -> Iterator[bytes]:
        """The entry's bytes in chunks, checked against the manifest at the end (a mismatch raises Refused)."""
        info = self.zip.getinfo(name)
        digest = hashlib.sha256()
        for chunk in _chunks(self.zip, info, info.file_size):
            digest.update(chunk)
            yield chunk
        if digest.hexdigest() != self.manifest[name]:
            raise Refused(f"{name} does not match its checksum in manifest.json: the archive was changed or damaged")

    def verify(self, name: str) -> None:
        for _ in self.read(name):
            pass

    def read_all(self, name: str, limit: int) -> bytes:
        if self.zip.getinfo(name).file_size > limit:
            raise Refused(f"{name} is larger than the {limit // MB} MB an import reads")
        return b"".join(self.read(name))


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, declared: int) -> Iterator[bytes]:
    """An entry's bytes, never more than it declared: an entry that inflates past its size is refused there."""
    got = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                got += len(chunk)
                if got > declared:
                    raise Refused(f"{info.filename} holds more bytes than it declares")
                yield chunk
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError,
            struct.error, OverflowError) as error:
        raise Refused(f"{info.filename} cannot be read: {type(error).__name__}") from None
    if got != declared:
        raise Refused(f"{info.filename} is shorter than it declares")


def _central_directory(handle: BinaryIO) -> tuple[int, int]:
    """(entries, central directory size) from the end of central directory record (ZIP64's when it has one)."""
    handle.seek(0, 2)
    size = handle.tell()
    tail_start = max(0, size - (22 + 65535))
    handle.seek(tail_start)
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise Refused("the file is not a ZIP archive")
    entries, directory_size = struct.unpack("<HI", tail[at + 10:at + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        locator = tail[at - 20:at] if at >= 20 else b""
        if not locator.startswith(b"PK\x06\x07"):
            raise Refused("the ZIP64 end record is missing")
        (offset,) = struct.unpack("<Q", locator[8:16])
        if offset > size - 56:
            raise Refused("the ZIP64 end record lies outside the file")
        handle.seek(offset)
        record = handle.read(56)
        if not record.startswith(b"PK\x06\x06"):
            raise Refused("the ZIP64 end record is damaged")
        entries, directory_size = struct.unpack("<QQ", record[32:48])
    return entries, directory_size


def _entries(archive: zipfile.ZipFile, limits: Limits) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.entries:
        raise Refused(f"the archive has more than {limits.entries} entries")
    names: set[str] = set()
    total = 0
    kept = []
    for info in infos:
        name = info.filename
        if name in names:
            raise Refused(f"the archive holds {name[:100]!r} twice")
        names.add(name)
        if name in FOLDERS and info.file_size == 0:
            continue
        if not ENTRY_NAME.fullmatch(name):
            raise Refused(f"the archive holds an entry an export never has: {name[:100]!r}")
        if info.flag_bits & 0x1:
            raise Refused(f"{name} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused(f"{name} is compressed with a method an export never uses")
        total += info.file_size
        if total > limits.total_bytes:
            raise Refused(f"the archive unpacks to more than {limits.total_bytes // MB} MB")
        kept.append(info)
    return kept


def _versioned(raw: bytes, name: str) -> dict[str, Any]:
    """One of the archive's JSON entries as an object, refused unless it is JSON of this server's schema version."""
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise Refused(f"{name} is not JSON") from None
    if not isinstance(document, dict) or document.get("schema_version") != FORMAT_VERSION:
        version = document.get("schema_version") if isinstance(document, dict) else None
        raise Refused(f"{name} has schema_version {str(version)[:20]!r}; this server reads {FORMAT_VERSION}")
    return document


def _manifest(raw: bytes) -> tuple[dict[str, str], frozenset[str]]:
    manifest = _versioned(raw, "manifest.json")
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) and SHA256.fullmatch(v)
                                              for k, v in files.items()):
        raise Refused("manifest.json must list every entry with its SHA-256 (64 lowercase hex digits)")
    missing = manifest.get("missing_files", [])
    if not isinstance(missing, list) or not all(isinstance(name, str) for name in missing):
        raise Refused("manifest.json's missing_files must be a list of file names")
    return files, frozenset(missing)


def _data(raw: bytes) -> dict[str, Any]:
    data = _versioned(raw, "data.json")
    tables = data.get("tables")
    client_id = data.get("client_id")
    if not isinstance(tables, dict) or not isinstance(client_id, int) or isinstance(client_id, bool):
        raise Refused("data.json must have client_id and tables")
    for name, rows in tables.items():
        if name not in BY_NAME:
            raise Refused(f"data.json has a table this server does not import: {str(name)[:64]!r}")
        if not isinstance(rows, list) or not all(
                isinstance(row, dict) and all(isinstance(v, SCALAR) for v in row.values()) for row in rows):
            raise Refused(f"data.json's {name} must be a list of rows of plain values")
    return data


# The declared types (both dialects' spellings, lower case) and the JSON values each takes; NULL goes to the database.
KINDS: dict[str, tuple[type, ...]] = {
    "integer": (int,), "bigint": (int,), "boolean": (int,), "real": (int, float), "double precision": (int, float),
    "text": (str,), "date": (str,), "timestamp with time zone": (str,),
}


def check_kinds(types: dict[str, str], row: dict[str, Any], at: str) -> None:
    """Each value of data.json's row of the kind its column holds (`types`: column -> declared type, lower case):
    SQLite would store a text in an INTEGER column as it is, and a read of it would then fail far from here."""
    for column, value in row.items():
        declared = types.get(column, "")
        kinds = KINDS.get(declared)
        if value is None or kinds is None:
            continue
        if not isinstance(value, kinds) or (isinstance(value, bool) and declared != "boolean"):
            raise Refused(f"{at}'s {column[:64]} must be a {declared}, not {type(value).__name__}")


def open_archive(path: Path, limits: Limits = Limits()) -> Archive:
    """Open and check the archive's structure, its manifest, and data.json (checksummed). The other entries are
    checked as they are read (`Archive.read`); the caller reads every one of them before it writes anything."""
    try:
        with open(path, "rb") as handle:
            entries, directory_size = _central_directory(handle)
        # An export's directory entry is ~300 bytes (46, a name under 220, a ZIP64 extra): 1 KB each is generous.
        if entries > limits.entries or directory_size > limits.entries * 1024:
            raise Refused(f"the archive has more than {limits.entries} entries")
        archive = zipfile.ZipFile(path)
    except Refused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError,
            struct.error, UnicodeDecodeError, OverflowError):
        raise Refused("the file is not a ZIP archive, or a damaged one") from None
    try:
        infos = _entries(archive, limits)
        names = {info.filename for info in infos}
        for required in ("manifest.json", "data.json"):
            if required not in names:
                raise Refused(f"the archive has no {required}")
        manifest_info = archive.getinfo("manifest.json")
        if manifest_info.file_size > limits.manifest_bytes:
            raise Refused(f"manifest.json is larger than the {limits.manifest_bytes // MB} MB an import reads")
        listed, lost = _manifest(b"".join(_chunks(archive, manifest_info, manifest_info.file_size)))
        extra = sorted(names - {"manifest.json"} - set(listed))
        missing = sorted(set(listed) - (names - {"manifest.json"}))
        if extra:
            raise Refused(f"the archive holds {extra[0][:100]!r}, which manifest.json does not list")
        if missing:
            raise Refused(f"manifest.json lists {missing[0][:100]!r}, which the archive does not hold")
        checked = Archive(archive, limits, listed, missing=lost)
        checked.data = _data(checked.read_all("data.json", limits.json_bytes))
        for name in names:
            match = ENTRY_NAME.fullmatch(name)
            if match and match.group("file"):
                file_id = int(match.group("file"))
                if file_id in checked.files:
                    raise Refused(f"the archive holds two entries for file {file_id}")
                checked.files[file_id] = name
        return checked
    except BaseException:
        archive.close()
        raise
