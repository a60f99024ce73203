"""Import (issue 18): a tampered, damaged or hostile archive is refused whole, and nothing of it is written: every
table of the target counted before and after, and the files in its upload folder."""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import Any, Callable

import orjson
import pytest
from starlette.testclient import TestClient

from elior.exports.import_archive import Limits, Refused
from elior.settings import Settings
from tests.exports.test_import import imported
from tests.exports.test_import_world import (
    KEY,
    build_client,
    counts,
    elior,
    entries_of,
    export,
    make_trainer,
    target_settings,
    with_manifest,
    zip_bytes,
)
from tests.helpers import Studio, make_person

Entries = dict[str, bytes]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(file_encryption_key=KEY, rate_limit_per_minute=0)


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def first_file(entries: Entries) -> str:
    return next(name for name in sorted(entries) if name.startswith("files/"))


def data_of(entries: Entries) -> dict[str, Any]:
    return orjson.loads(entries["data.json"])  # type: ignore[no-any-return]


def with_data(entries: Entries, change: Callable[[dict[str, Any]], None]) -> Entries:
    """data.json changed, and the manifest rewritten to match it: only what is inside can refuse it."""
    data = data_of(entries)
    change(data)
    return with_manifest({**entries, "data.json": orjson.dumps(data)})


def manifest_of(entries: Entries) -> dict[str, Any]:
    return orjson.loads(entries["manifest.json"])  # type: ignore[no-any-return]


def first_row(table: str, column: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["tables"][table][0][column] = value
    return change


# What each refusal must say: proof that each case is refused by its own check, not by an earlier, broader one.
WHY = {
    "a changed byte in data.json": "data.json does not match its checksum",
    "a changed byte in a file": "does not match its checksum",
    "a changed checksum in manifest.json": "data.json does not match its checksum",
    "an unknown schema_version in manifest.json": "manifest.json has schema_version '2'",
    "an unknown schema_version in data.json": "data.json has schema_version '2'",
    "an entry the manifest does not list": "which manifest.json does not list",
    "an extra file listed in the manifest": "no row of data.json's files names it",
    "an entry missing that the manifest lists": "which the archive does not hold",
    "a file missing, and from the manifest too": "has no entry under files/",
    "no data.json": "has no data.json",
    "no manifest.json": "has no manifest.json",
    "an entry outside the format": "an entry an export never has",
    "a file that is not what its row says": "is not the file its row in data.json describes",
    "a table this server does not have": "a table this server does not import",
    "a column this server does not have": "a column this server does not have",
    "a row that breaks a CHECK (last tables)": "credit_ledger[0] does not fit",
    "a row that breaks a NOT NULL": "habits[0] does not fit",
    "a reference to a row not in the archive": "names meal_plans '987654'",
    "two clients": "exactly the client",
    "an admin instead of a client": "exactly the client",
    "a value of the wrong kind": "rows of plain values",
    "a text where a number belongs": "set_logs[0]'s reps must be a integer, not str",
    "a number where a text belongs": "habits[0]'s title must be a text, not int",
}


def tampered(entries: Entries) -> dict[str, Entries]:
    """Every way of spoiling a real archive, by name, each expected to be refused."""
    photo = first_file(entries)
    manifest = manifest_of(entries)
    wrong_sha = {**manifest, "files": {**manifest["files"], "data.json": "0" * 64}}
    unknown_manifest = {**manifest, "schema_version": 2}
    without = {name: data for name, data in entries.items() if name != photo}
    return {
        "a changed byte in data.json": {**entries, "data.json": flip(entries["data.json"], 40)},
        "a changed byte in a file": {**entries, photo: flip(entries[photo], len(entries[photo]) // 2)},
        "a changed checksum in manifest.json": {**entries, "manifest.json": orjson.dumps(wrong_sha)},
        "an unknown schema_version in manifest.json": {**entries, "manifest.json": orjson.dumps(unknown_manifest)},
        "an unknown schema_version in data.json": with_data(entries, lambda d: d.update(schema_version=2)),
        "an entry the manifest does not list": {**entries, "files/999-extra.png": entries[photo]},
        "an extra file listed in the manifest": with_manifest({**entries, "files/999-extra.png": entries[photo]}),
        "an entry missing that the manifest lists": without,
        "a file missing, and from the manifest too": with_manifest(without),
        "no data.json": with_manifest({k: v for k, v in entries.items() if k != "data.json"}),
        "no manifest.json": {k: v for k, v in entries.items() if k != "manifest.json"},
        "an entry outside the format": with_manifest({**entries, "../../etc/passwd": b"x"}),
        "a file that is not what its row says": with_manifest({**entries, photo: b"%PDF-1.7 not a photo"}),
        "a table this server does not have": with_data(entries, lambda d: d["tables"].update(secrets=[])),
        "a column this server does not have": with_data(entries, first_row("workouts", "is_admin", 1)),
        "a row that breaks a CHECK (last tables)": with_data(entries, first_row("credit_ledger", "delta", 0)),
        "a row that breaks a NOT NULL": with_data(entries, first_row("habits", "title", None)),
        "a reference to a row not in the archive": with_data(entries, first_row("meals", "plan_id", 987654)),
        "two clients": with_data(entries, lambda d: d["tables"]["users"].append(
            {**d["tables"]["users"][0], "id": 987654})),
        "an admin instead of a client": with_data(entries, first_row("users", "role", "admin")),
        "a value of the wrong kind": with_data(entries, first_row("workouts", "title", ["a", "list"])),
        "a text where a number belongs": with_data(entries, first_row("set_logs", "reps", "5")),
        "a number where a text belongs": with_data(entries, first_row("habits", "title", 5)),
    }


def test_every_tampered_archive_is_refused_with_nothing_written(client: TestClient, studio: Studio,
                                                                settings: Settings, tmp_path: Path) -> None:
    a1 = build_client(client, studio)
    entries = entries_of(export(client, a1.id, tmp_path / "real.zip"))
    with elior(target_settings(settings, tmp_path / "target")) as target:
        trainer = make_trainer(target)
        before = counts(target)
        for name, spoiled in tampered(entries).items():
            archive = tmp_path / "spoiled.zip"
            archive.write_bytes(zip_bytes(spoiled))
            with pytest.raises(Refused) as refused:
                imported(target, archive, trainer_email=trainer.email)
            assert refused.value.status == 422, (name, str(refused.value))
            assert WHY[name] in str(refused.value), (name, str(refused.value))  # refused for its own reason
            assert counts(target) == before, name
        # The real archive itself goes in: the refusals above were the tampering's, not the archive's.
        archive = tmp_path / "real-again.zip"
        archive.write_bytes(zip_bytes(entries))
        result = imported(target, archive, trainer_email=trainer.email)
        assert result.counts["workouts"] == len(data_of(entries)["tables"]["workouts"])
        loaded = counts(target)
        # Importing the same archive again: its email is taken now, a 409, and again nothing changes.
        with pytest.raises(Refused) as twice:
            imported(target, archive, trainer_email=trainer.email)
        assert twice.value.status == 409
        assert counts(target) == loaded


def test_an_unknown_trainer_is_refused_before_anything_is_written(client: TestClient, studio: Studio,
                                                                  settings: Settings, tmp_path: Path) -> None:
    a1 = build_client(client, studio)
    archive = export(client, a1.id, tmp_path / "real.zip")
    with elior(target_settings(settings, tmp_path / "target")) as target:
        not_a_trainer = make_person(target, "client")
        before = counts(target)
        for email in ("nobody@example.test", not_a_trainer.email):
            with pytest.raises(Refused) as refused:
                imported(target, archive, trainer_email=email)
            assert refused.value.status == 404
        assert counts(target) == before


def _lying_about_size(data: bytes) -> bytes:
    """A ZIP whose only entry says (in both headers) it unpacks to 10 bytes and really unpacks to far more."""
    raw = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.find(signature)
        raw[at + offset:at + offset + 4] = struct.pack("<I", 10)
    return bytes(raw)


def test_zip_bombs_are_refused_within_the_bounds(settings: Settings, tmp_path: Path) -> None:
    """Declared sizes past the bound, too many entries, and an entry that inflates past what it declares."""
    small = Limits(entries=20, total_bytes=1024 * 1024, json_bytes=512 * 1024, manifest_bytes=64 * 1024)
    zeros = b"\x00" * (4 * 1024 * 1024)  # deflates to ~4 KB
    cases = {
        "unpacks past the bound": with_manifest({"data.json": zeros}),
        "too many entries": with_manifest({f"csv/{chr(97 + n // 26)}{chr(97 + n % 26)}.csv": b"" for n in range(30)}),
        "data.json past its own bound": with_manifest({"data.json": b" " * (600 * 1024)}),
        "an entry that lies about its size": None,
    }
    with elior(target_settings(settings, tmp_path / "target")) as target:
        before = counts(target)
        for name, entries in cases.items():
            archive = tmp_path / "bomb.zip"
            if entries is None:
                with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
                    out.writestr("data.json", zeros)
                archive.write_bytes(_lying_about_size(archive.read_bytes()))
            else:
                archive.write_bytes(zip_bytes(entries))
            with pytest.raises(Refused):
                imported(target, archive, limits=small)
            assert counts(target) == before, name


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x05\x06" + b"\x00" * 18,
                                     b"PK\x05\x06" + b"\xff" * 18])
def test_bytes_that_are_no_zip_are_refused(settings: Settings, tmp_path: Path, content: bytes) -> None:
    with elior(target_settings(settings, tmp_path / "target")) as target:
        archive = tmp_path / "junk.zip"
        archive.write_bytes(content)
        with pytest.raises(Refused):
            imported(target, archive)
