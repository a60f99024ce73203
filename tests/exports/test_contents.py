"""An export's contents against what the API shows for a client with data in every domain: the rows, the CSVs
(spreadsheet-safe), every file decrypted and checksummed, the manifest, and nothing of anyone else or any secret."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior.exports.tables import SECRET_COLUMNS, TABLES
from elior.settings import Settings
from tests.bookings.world import ok
from tests.exports.world import build_client, data_of, export_of, open_zip
from tests.helpers import Studio, run
from tests.training_world import make_exercise, make_workout

KEY = "11" * 32


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Files stored encrypted, so the archive's copies prove they were decrypted; no rate limit for the many calls.
    return settings.with_overrides(file_encryption_key=KEY, rate_limit_per_minute=0)


@pytest.fixture
def exported(client: TestClient, studio: Studio, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    made = build_client(client, studio, monkeypatch)
    # Another client's rows, which must not appear.
    other = make_workout(client, studio.trainer_a, studio.client_a2.id,
                         [{"exercise_id": make_exercise(client, studio.trainer_a, "Lunge")["id"], "sets": 2}])
    export = export_of(client, studio.trainer_a, studio.client_a1.id)
    archive = open_zip(client, export)
    return {"made": made, "other": other, "export": export, "archive": archive, "data": data_of(archive)}


def ids(rows: list[dict[str, Any]], key: str = "id") -> set[Any]:
    return {row[key] for row in rows}


def api_items(client: TestClient, studio: Studio, path: str) -> list[dict[str, Any]]:
    return ok(client.get(path, headers=studio.trainer_a.headers))["items"]  # type: ignore[no-any-return]


def test_every_table_has_the_clients_rows_and_the_client_is_as_the_api_shows(client: TestClient, studio: Studio,
                                                                              exported: dict[str, Any]) -> None:
    data, a1 = exported["data"], studio.client_a1
    assert (data["schema_version"], data["client_id"]) == (1, a1.id)
    assert data["client"] == ok(client.get(f"/api/users/{a1.id}", headers=a1.headers))
    assert list(data["tables"]) == [table.name for table in TABLES]
    assert [name for name, rows in data["tables"].items() if not rows] == []  # data in every domain, all exported
    assert [row["id"] for row in data["tables"]["users"]] == [a1.id]
    assert data["tables"]["profiles"][0]["goals"] == "Run a 10k"


def test_rows_match_what_the_api_lists(client: TestClient, studio: Studio, exported: dict[str, Any]) -> None:
    tables, a1 = exported["data"]["tables"], studio.client_a1.id
    workouts = api_items(client, studio, f"/api/workouts?client_id={a1}&limit=100")
    assert ids(tables["workouts"]) == ids(workouts) and exported["other"]["id"] not in ids(tables["workouts"])
    assert {(r["title"], r["scheduled_for"]) for r in tables["workouts"]} == \
        {(w["title"], w["scheduled_for"]) for w in workouts}
    log = ok(client.get(f"/api/workouts/{exported['made']['workout']['id']}/log", headers=studio.trainer_a.headers))
    assert [(s["set_number"], s["reps"], s["weight_kg"]) for s in tables["set_logs"]] == \
        [(s["set_number"], s["reps"], s["weight_kg"]) for s in log["sets"]]
    plan = exported["made"]["plan"]
    entries = api_items(client, studio, f"/api/meal-plans/{plan['id']}/entries")
    assert ids(tables["meal_entries"]) == ids(entries)
    assert [i["food"] for i in tables["meal_items"]] == [i["food"] for m in plan["meals"] for i in m["items"]]
    progress = api_items(client, studio, f"/api/progress?client_id={a1}")
    assert ids(tables["progress_entries"]) == ids(progress)
    assert [p["filename"] for p in tables["progress_photos"]] == progress[0]["photo_files"]
    messages = api_items(client, studio, f"/api/conversations/{a1}/messages")
    assert {(m["id"], m["body"]) for m in tables["messages"]} == {(m["id"], m["body"]) for m in messages}
    assert ids(tables["check_ins"]) == ids(api_items(client, studio, f"/api/check-ins?client_id={a1}"))
    assert ids(tables["habits"]) == ids(api_items(client, studio, f"/api/habits?client_id={a1}"))
    assert ids(tables["appointments"]) == ids(api_items(client, studio, f"/api/appointments?client_id={a1}"))
    assert ids(tables["credit_packages"]) == ids(api_items(client, studio, f"/api/packages?client_id={a1}"))
    ledger = api_items(client, studio, f"/api/credits/ledger?client_id={a1}&limit=100")
    assert ids(tables["credit_ledger"]) == ids(ledger)
    notifications = ok(client.get("/api/notifications?limit=100", headers=studio.client_a1.headers))
    assert ids(tables["notifications"]) == ids(notifications["items"])
    files = api_items(client, studio, f"/api/files?client_id={a1}&limit=100")
    assert ids(tables["files"], "filename") == ids(files, "filename") == set(exported["made"]["files"])
    assert ids(tables["programs"]) == {exported["made"]["program"]["id"]}
    assert {m["kind"] for m in tables["notification_mutes"]} == {"habit"}


def test_no_secret_leaves_the_server(client: TestClient, studio: Studio, exported: dict[str, Any]) -> None:
    for name, rows in exported["data"]["tables"].items():
        for row in rows:
            assert not [column for column in row if SECRET_COLUMNS.search(column)], name
    password_hash = run(client, client.app.state.db.raw.fetch_val,  # type: ignore[attr-defined]
                        f"SELECT password_hash FROM users WHERE id = {int(studio.client_a1.id)}")
    archive: zipfile.ZipFile = exported["archive"]
    for name in archive.namelist():
        assert password_hash.encode() not in archive.read(name), name


def test_csv_per_table_is_spreadsheet_safe(exported: dict[str, Any]) -> None:
    archive: zipfile.ZipFile = exported["archive"]
    for table in TABLES:
        rows = list(csv.reader(io.StringIO(archive.read(f"csv/{table.name}.csv").decode("utf-8"))))
        json_rows = exported["data"]["tables"][table.name]
        assert rows[0] == list(json_rows[0]), table.name  # the header: the exported columns
        assert len(rows) - 1 == len(json_rows), table.name
    workouts = list(csv.DictReader(io.StringIO(archive.read("csv/workouts.csv").decode())))
    assert "'-2 sets, @home" in {row["title"] for row in workouts}
    profiles = list(csv.DictReader(io.StringIO(archive.read("csv/profiles.csv").decode())))
    assert profiles[0]["phone"] == "'=1+2"
    answers = list(csv.DictReader(io.StringIO(archive.read("csv/check_in_answers.csv").decode())))
    assert "'=HYPERLINK(\"x\")" in {row["value_text"] for row in answers}


def test_files_are_decrypted_and_checksummed(client: TestClient, studio: Studio, settings: Settings,
                                             exported: dict[str, Any]) -> None:
    archive: zipfile.ZipFile = exported["archive"]
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["schema_version"] == 1 and manifest["missing_files"] == []
    assert set(manifest["files"]) == set(archive.namelist()) - {"manifest.json"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
    rows = exported["data"]["tables"]["files"]
    assert len([n for n in archive.namelist() if n.startswith("files/")]) == len(rows) == 4
    for row in rows:
        content = archive.read(f"files/{row['id']}-{row['filename']}")
        served = client.get(f"/api/files/{row['filename']}", headers=studio.client_a1.headers)
        assert served.status_code == 200
        assert content == served.content and hashlib.sha256(content).hexdigest() == row["sha256"]
        assert row["encrypted"] == 1
        assert (settings.upload_dir / row["filename"]).read_bytes()[:8] == b"ELIORENC"  # sealed on disk
    assert exported["export"]["size_bytes"] > 0 and exported["export"]["progress"] == 100
