"""Restore is all or nothing and reads any archive with bounded memory: refused archives leave the target as it was.

The archives are real: a backup of a migrated SQLite database with uploads, then rewritten member by member into the
damaged, malicious or oversized variants an operator might be handed.
"""
from __future__ import annotations

import asyncio
import gzip
import io
import json
import os
import stat
import tarfile
import tracemalloc
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elior.ops import backup
from elior.ops.restore import _pg_table_count
from elior.settings import Settings
from tests.conftest import ON_POSTGRES
from tests.live_server import signed_in_user

FILES = {"a1b2c3d4e5f6a7b8c9d0.jpg": os.urandom(50_000), "f0e1d2c3b4a59687aa.pdf": b"%PDF-1.7 test"}
Member = tuple[tarfile.TarInfo, bytes]


def target_settings(root: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{root / 'elior.db'}", data_dir=root, upload_dir=root / "uploads",
                    secret_key="restore-test-secret-key-long-enough-0123456789")


@pytest.fixture(scope="module")
def members(tmp_path_factory: pytest.TempPathFactory) -> list[Member]:
    """The members of a real backup: manifest, SQLite database, uploads."""
    source = tmp_path_factory.mktemp("source")
    settings = target_settings(source)
    signed_in_user(settings.database_url)  # migrates: a real schema, one user
    settings.upload_dir.mkdir()
    for name, data in FILES.items():
        (settings.upload_dir / name).write_bytes(data)
    archive = source / "backup.tar.gz"
    backup.backup(settings, archive)
    with tarfile.open(archive) as tar:
        return [(member, tar.extractfile(member).read()) for member in tar.getmembers()]  # type: ignore[union-attr]


def write(path: Path, entries: list[Member], compress: bool = True) -> Path:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for original, data in entries:
            info = tarfile.TarInfo(original.name)  # a copy: the module's members stay as the backup wrote them
            info.size, info.mode, info.pax_headers = len(data), 0o600, dict(original.pax_headers)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(gzip.compress(raw.getvalue(), 6) if compress else raw.getvalue())
    return path


def _tar_bytes(entries: list[Member], extra: list[tarfile.TarInfo] | None = None) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for original, data in entries:
            info = tarfile.TarInfo(original.name)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
        for info in extra or []:
            tar.addfile(info)
    return raw.getvalue()


def state(root: Path) -> list[tuple[str, int]]:
    """Everything under the target, with sizes: what must be unchanged after a refusal."""
    return sorted((str(p.relative_to(root)), p.stat().st_size if p.is_file() else -1) for p in root.rglob("*")) \
        if root.exists() else []


def refused(tmp_path: Path, archive: Path, match: str) -> None:
    root = tmp_path / "target"
    (root / "uploads").mkdir(parents=True, exist_ok=True)
    before = state(root)
    with pytest.raises(backup.BackupError, match=match):
        backup.restore(target_settings(root), archive)
    assert state(root) == before, "a refused archive changed the target"


def test_a_good_archive_restores(members: list[Member], tmp_path: Path) -> None:
    root = tmp_path / "target"
    backup.restore(target_settings(root), write(tmp_path / "good.tar.gz", members))
    for name, data in FILES.items():
        assert (root / "uploads" / name).read_bytes() == data
    assert (root / "elior.db").stat().st_size > 0
    assert not [p for p in root.iterdir() if p.name.startswith(".elior-restore-")]


def test_modes_are_private_after_a_restore(members: list[Member], tmp_path: Path) -> None:
    root = tmp_path / "target"
    old = os.umask(0o022)  # a loose umask: restore must not rely on the caller's
    try:
        backup.restore(target_settings(root), write(tmp_path / "good.tar.gz", members))
    finally:
        os.umask(old)
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path} is {oct(mode)}"


def test_a_bad_member_at_the_end_leaves_the_target_as_it_was(members: list[Member], tmp_path: Path) -> None:
    # The database and the uploads come first and are fine; only the last member is unsafe.
    archive = write(tmp_path / "evil.tar.gz", [*members, (tarfile.TarInfo("uploads/../../escape"), b"x")])
    refused(tmp_path, archive, "unsafe path")
    assert not (tmp_path / "escape").exists()


def test_a_truncated_archive_changes_nothing(members: list[Member], tmp_path: Path) -> None:
    whole = write(tmp_path / "whole.tar.gz", members).read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole[:len(whole) - 200])
    refused(tmp_path, cut, "damaged")


def test_a_crc_mismatch_is_caught_before_anything_moves(members: list[Member], tmp_path: Path) -> None:
    # Every member unpacks fine; only the gzip trailer, read after the last one, says the bytes are not the ones
    # that were written.
    compressed = bytearray(write(tmp_path / "good.tar.gz", members).read_bytes())
    compressed[-8] ^= 0x01  # the stored CRC-32
    flipped = tmp_path / "flipped.tar.gz"
    flipped.write_bytes(bytes(compressed))
    refused(tmp_path, flipped, "damaged")


def test_a_damaged_database_is_refused_before_anything_moves(members: list[Member], tmp_path: Path) -> None:
    damaged = [(info, os.urandom(len(data)) if info.name == "database/elior.db" else data) for info, data in members]
    refused(tmp_path, write(tmp_path / "damaged.tar.gz", damaged), "database is damaged")


def test_more_members_than_the_manifest_declares_are_refused(members: list[Member], tmp_path: Path) -> None:
    extra = [(tarfile.TarInfo(f"uploads/extra{i:04d}aaaaaaaaaaaa.jpg"), b"x") for i in range(5)]
    refused(tmp_path, write(tmp_path / "extra.tar.gz", [*members, *extra]), "more entries than its manifest")


def test_the_same_name_twice_is_refused(members: list[Member], tmp_path: Path) -> None:
    refused(tmp_path, write(tmp_path / "twice.tar.gz", [*members, members[-1]]), "twice")


def test_a_symlink_is_refused(members: list[Member], tmp_path: Path) -> None:
    link = tarfile.TarInfo("uploads/zzzzzzzzzzzzzzzzzzzz.jpg")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    archive = tmp_path / "link.tar.gz"
    archive.write_bytes(gzip.compress(_tar_bytes(members, extra=[link])))
    refused(tmp_path, archive, "only regular files")


def test_a_member_larger_than_the_free_disk_is_refused_before_it_is_written(members: list[Member],
                                                                             tmp_path: Path) -> None:
    manifest, database, *_ = members
    huge = tarfile.TarInfo("uploads/hugehugehugehugehuge.jpg")
    huge.size = 2 ** 50  # a petabyte, declared in the header; the data is not even there
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for info, data in (manifest, database):
            tar.addfile(info, io.BytesIO(data))
        raw.write(huge.tobuf(tarfile.GNU_FORMAT))
        tar.offset = raw.tell()
    archive = tmp_path / "huge.tar.gz"
    archive.write_bytes(gzip.compress(raw.getvalue()))
    refused(tmp_path, archive, "free disk space")


def peak_of(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
    except backup.BackupError:
        pass
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def test_a_manifest_bomb_is_refused_with_bounded_memory(members: list[Member], tmp_path: Path) -> None:
    # 128 MB of JSON whitespace inflate from ~130 KB: the shape of the archive the issue reports.
    bomb = b"{" + b" " * (128 * 1024 * 1024) + b"}"
    archive = write(tmp_path / "bomb.tar.gz", [(tarfile.TarInfo("manifest.json"), bomb), *members[1:]])
    assert archive.stat().st_size < 200_000
    refused(tmp_path, archive, "manifest")
    peak = peak_of(lambda: backup.restore(target_settings(tmp_path / "again"), archive))
    assert peak < 8 * 1024 * 1024, f"restore allocated {peak / 1e6:.0f} MB for a {archive.stat().st_size} B archive"


def test_an_extended_header_bomb_is_refused_with_bounded_memory(members: list[Member], tmp_path: Path) -> None:
    manifest, *rest = members
    info = tarfile.TarInfo(manifest[0].name)
    info.pax_headers = {"comment": "x" * (64 * 1024 * 1024)}  # a 64 MB pax header before the manifest's data
    archive = write(tmp_path / "pax.tar.gz", [(info, manifest[1]), *rest])
    refused(tmp_path, archive, "header larger")
    peak = peak_of(lambda: backup.restore(target_settings(tmp_path / "again"), archive))
    assert peak < 8 * 1024 * 1024, f"restore allocated {peak / 1e6:.0f} MB"


def test_a_manifest_that_is_not_first_is_refused(members: list[Member], tmp_path: Path) -> None:
    refused(tmp_path, write(tmp_path / "late.tar.gz", [*members[1:], members[0]]), "not an Elior backup")


def test_a_postgresql_backup_is_refused_on_sqlite(members: list[Member], tmp_path: Path) -> None:
    manifest = json.loads(members[0][1]) | {"dialect": "postgresql"}
    entries = [(members[0][0], json.dumps(manifest).encode()), *members[1:]]
    refused(tmp_path, write(tmp_path / "pg.tar.gz", entries), "postgresql backup")


@st.composite
def mutated_tar(draw: st.DrawFn, body: bytes) -> bytes:
    data = bytearray(body)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        if draw(st.booleans()):
            data[at] = draw(st.integers(0, 255))
        else:
            del data[at:at + draw(st.integers(1, 600))]
    return bytes(data)


def test_fuzzed_archives_restore_whole_or_not_at_all(members: list[Member], tmp_path_factory: pytest.TempPathFactory
                                                     ) -> None:
    small = [(info, data if info.name != "uploads/a1b2c3d4e5f6a7b8c9d0.jpg" else data[:2000])
             for info, data in members]
    body = _tar_bytes(small)

    @settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutated_tar(body))
    def run(mutated: bytes) -> None:
        root = tmp_path_factory.mktemp("fuzz")
        archive = root / "a.tar.gz"
        archive.write_bytes(gzip.compress(mutated, 1))
        target = root / "target"
        try:
            backup.restore(target_settings(target), archive)
        except backup.BackupError:
            assert state(target) == [], "a refused archive left something behind"
        else:
            assert (target / "elior.db").stat().st_size > 0

    run()


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL: set ELIOR_TEST_DATABASE_URL")
@pytest.mark.parametrize("damage", ["bad last member", "dump cut in half"])
def test_postgresql_restore_is_all_or_nothing(damage: str, database_url: str, empty_database_url: str,
                                              tmp_path: Path) -> None:
    source = Settings(database_url=database_url, data_dir=tmp_path / "source", upload_dir=tmp_path / "source" / "up",
                      secret_key="restore-test-secret-key-long-enough-0123456789")
    signed_in_user(database_url)
    source.upload_dir.mkdir(parents=True)
    (source.upload_dir / "a1b2c3d4e5f6a7b8c9d0.jpg").write_bytes(b"photo")
    backup.backup(source, tmp_path / "pg.tar.gz")
    with tarfile.open(tmp_path / "pg.tar.gz") as tar:
        entries = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    if damage == "bad last member":
        entries.append((tarfile.TarInfo("uploads/../escape"), b"x"))
    else:
        entries = [(info, data[:len(data) // 2] if info.name == "database/elior.pgdump" else data)
                   for info, data in entries]
    archive = write(tmp_path / "damaged.tar.gz", entries)
    root = tmp_path / "target"
    target = Settings(database_url=empty_database_url, data_dir=root, upload_dir=root / "uploads",
                      secret_key=source.secret_key)
    with pytest.raises(backup.BackupError):
        backup.restore(target, archive)
    assert state(root) == []
    assert asyncio.run(_pg_table_count(empty_database_url)) == 0
