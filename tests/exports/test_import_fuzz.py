"""The import's reader of untrusted archives, fuzzed (issue 18): mutations of a real archive, random bytes behind a
ZIP's signatures, and well-formed archives with random data.json, each either read whole (every entry checked) or
refused with `Refused`, never another exception, each within its deadline (bounded by the sizes, not the luck)."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elior.exports.import_archive import Limits, Refused, open_archive
from elior.exports.importer import _client
from tests import samples
from tests.exports.test_import_world import with_manifest, zip_bytes
from tests.media.test_fuzz import mutated

FUZZ = settings(deadline=dt.timedelta(milliseconds=800), max_examples=300, database=None,
                suppress_health_check=[HealthCheck.too_slow])
LIMITS = Limits(entries=50, total_bytes=2 * 1024 * 1024, json_bytes=512 * 1024, manifest_bytes=64 * 1024)
PHOTO = samples.png()


def seed_data() -> dict[str, Any]:
    client = {"id": 7, "email": "a1@example.test", "full_name": "A1", "role": "client", "trainer_id": 3,
              "is_active": 1, "created_at": "2026-03-01T10:00:00Z", "updated_at": "2026-03-01T10:00:00Z"}
    file = {"id": 4, "filename": "abcdefghijklmnopqrst.png", "owner_id": 7, "client_id": 7,
            "purpose": "progress_photo", "content_type": "image/png", "size": len(PHOTO), "sha256": "0" * 64,
            "encrypted": 0, "created_at": "2026-03-01T10:00:00Z"}
    return {"schema_version": 1, "exported_at": "2026-03-02T10:00:00Z", "client_id": 7, "client": {},
            "tables": {"users": [client], "files": [file], "workouts": []}}


SEED = zip_bytes(with_manifest({"data.json": orjson.dumps(seed_data()), "csv/users.csv": b"id,email\r\n7,a1\r\n",
                                "files/4-photo.png": PHOTO}))


def read_whole(data: bytes) -> None:
    """What the importer does before it writes: open, check, and read every entry (or be refused)."""
    descriptor, name = tempfile.mkstemp(suffix=".zip")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        try:
            archive = open_archive(Path(name), LIMITS)
        except Refused:
            return
        try:
            _client(archive)
            for entry in archive.manifest:
                if entry != "data.json":
                    archive.verify(entry)
        except Refused:
            pass
        finally:
            archive.close()
    finally:
        os.unlink(name)


def test_the_seed_archive_reads_whole() -> None:
    descriptor, name = tempfile.mkstemp(suffix=".zip")
    with os.fdopen(descriptor, "wb") as out:
        out.write(SEED)
    archive = open_archive(Path(name), LIMITS)
    assert set(archive.manifest) == {"data.json", "csv/users.csv", "files/4-photo.png"} and archive.files == {
        4: "files/4-photo.png"}
    archive.close()
    os.unlink(name)


@FUZZ
@given(mutated(SEED))
def test_mutated_archives_are_read_or_refused(data: bytes) -> None:
    read_whole(data)


@FUZZ
@given(st.sampled_from([b"PK\x03\x04", b"PK\x05\x06", b"PK\x06\x06", b"PK\x01\x02"]), st.binary(max_size=512),
       st.booleans())
def test_random_bytes_behind_zip_signatures_are_refused(signature: bytes, tail: bytes, at_end: bool) -> None:
    read_whole(tail + signature + tail[:18] if at_end else signature + tail)


JSON = st.recursive(st.none() | st.booleans() | st.integers(-2 ** 70, 2 ** 70) | st.floats() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                 max_size=4), max_leaves=20)


@FUZZ
@given(st.dictionaries(st.sampled_from(["schema_version", "client_id", "tables", "client", "users"]), JSON,
                       max_size=5),
       st.dictionaries(st.sampled_from(["users", "files", "workouts", "nope"]), JSON, max_size=3))
def test_any_data_json_is_read_or_refused(top: dict[str, Any], tables: dict[str, Any]) -> None:
    data = {"schema_version": 1, "client_id": 7, **top}
    if tables:
        data["tables"] = tables
    try:
        raw = orjson.dumps(data)
    except (TypeError, orjson.JSONEncodeError):  # integers past 64 bits: JSON orjson does not write
        raw = orjson.dumps({"schema_version": 1, "client_id": "x"})
    read_whole(zip_bytes(with_manifest({"data.json": raw})))
