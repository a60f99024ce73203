"""Import (issue 18): an export loaded into a second Elior gives back the same data, modulo ids, and its files."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior.exports.import_archive import Refused
from elior.exports.importer import import_archive
from elior.settings import Settings
from tests.exports.test_import_world import (
    KEY,
    build_client,
    elior,
    export,
    make_trainer,
    normalised,
    read,
    target_settings,
)
from tests.helpers import Studio, make_person, run


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(file_encryption_key=KEY, rate_limit_per_minute=0)


def imported(target: TestClient, archive: Path, **options: Any) -> Any:
    app: Any = target.app
    return run(target, import_archive, app.state.db, app.state.settings, archive, app.state.passwords, **options)


def test_export_import_export_gives_the_same_data_and_files(client: TestClient, studio: Studio, settings: Settings,
                                                             tmp_path: Path) -> None:
    a1 = build_client(client, studio)
    first = export(client, a1.id, tmp_path / "first.zip")
    with elior(target_settings(settings, tmp_path / "target")) as target:
        trainer = make_trainer(target)
        result = imported(target, first, trainer_email=trainer.email)
        second = export(target, result.client_id, tmp_path / "second.zip")
    before, before_files = read(first)
    after, after_files = read(second)
    assert [name for name, rows in before["tables"].items() if not rows] == []  # a row in every table, so all are tried
    assert len(before_files) == 6
    assert normalised(after) == normalised(before, result)
    assert {result.ids["files"][old]: sha for old, sha in before_files.items()} == after_files


def test_a_file_the_exporting_server_had_lost_is_left_out_with_the_rows_that_only_show_it(
        client: TestClient, studio: Studio, settings: Settings, tmp_path: Path) -> None:
    a1 = build_client(client, studio)
    entry = client.get(f"/api/progress?client_id={a1.id}", headers=a1.headers).json()["items"][0]
    lost = entry["photo_files"][0]
    (settings.upload_dir / lost).unlink()  # the bytes are gone; the row stays (housekeeping reports such rows)
    archive = export(client, a1.id, tmp_path / "with-a-lost-file.zip")
    data, files = read(archive)
    assert len(files) == len(data["tables"]["files"]) - 1
    with elior(target_settings(settings, tmp_path / "target")) as target:
        with pytest.raises(Refused) as refused:  # the trainer's program needs an owner: no trainer, no admin yet
            imported(target, archive)
        assert "needs an owner here" in str(refused.value)
        admin = make_person(target, "admin")  # the studio's first admin owns what the client's old trainer did
        result = imported(target, archive)
        moved = target.get(f"/api/progress?client_id={result.client_id}", headers=admin.headers).json()["items"][0]
        program = target.get(f"/api/programs/{result.ids['programs'][data['tables']['programs'][0]['id']]}",
                             headers=admin.headers).json()
    assert result.counts["files"] == len(data["tables"]["files"]) - 1
    assert result.counts["progress_photos"] == len(data["tables"]["progress_photos"]) - 1
    assert len(moved["photo_files"]) == len(entry["photo_files"]) - 1
    assert program["owner_id"] == admin.id
    assert result.ids["users"] == {a1.id: result.client_id}  # no trainer given: the old one maps to no one
