"""Import (issue 18) through its two doors: `POST /api/imports` (admins only, the raw ZIP as the body) and
`python -m elior import FILE.zip [--trainer EMAIL]`; the imported client then answers the same on the new server."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior.settings import Settings
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
from tests.helpers import Studio, assert_error, make_person
from tests.live_server import ROOT, environment

ZIP = {"Content-Type": "application/zip"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(file_encryption_key=KEY, rate_limit_per_minute=0)


@pytest.fixture
def archive(client: TestClient, studio: Studio, tmp_path: Path) -> Path:
    return export(client, build_client(client, studio).id, tmp_path / "a1.zip")


def views(client: TestClient, who: Any, client_id: int) -> dict[str, Any]:
    """What the API shows of a client, without ids and names of the server it is on."""
    def get(path: str) -> Any:
        response = client.get(path, headers=who.headers)
        assert response.status_code == 200, (path, response.text)
        return response.json()

    workouts = get(f"/api/workouts?client_id={client_id}&limit=100")["items"]
    progress = get(f"/api/progress?client_id={client_id}")["items"]
    return {
        "workouts": sorted((w["title"], w["scheduled_for"], w["status"]) for w in workouts),
        "progress": [(p["date"], p["weight_kg"], p["notes"], len(p["photo_files"])) for p in progress],
        "habits": [h["title"] for h in get(f"/api/habits?client_id={client_id}")["items"]],
        "messages": [m["body"] for m in get(f"/api/conversations/{client_id}/messages")["items"]],
    }


def test_an_admin_imports_through_the_api_and_the_client_answers_the_same(
        client: TestClient, studio: Studio, settings: Settings, archive: Path, tmp_path: Path) -> None:
    original = views(client, studio.admin, studio.client_a1.id)
    with elior(target_settings(settings, tmp_path / "target")) as target:
        admin, trainer = make_person(target, "admin"), make_trainer(target)
        other = make_person(target, "client", trainer=trainer)
        body = archive.read_bytes()
        assert_error(target.post("/api/imports", content=body, headers=ZIP), 401)
        for refused in (trainer, other):
            assert_error(target.post("/api/imports", content=body, headers={**ZIP, **refused.headers}), 403)
        assert_error(target.post("/api/imports", content=body,
                                 headers={"Content-Type": "application/json", **admin.headers}), 415)
        assert_error(target.post("/api/imports?trainer=nobody@example.test", content=body,
                                 headers={**ZIP, **admin.headers}), 404)
        spoiled = with_manifest({**entries_of(archive), "files/999-extra.png": b"\x89PNG\r\n\x1a\n"})
        before = counts(target)
        detail = assert_error(target.post("/api/imports", content=zip_bytes(spoiled), headers={**ZIP, **admin.headers}),
                              422)["detail"]
        assert "no row of data.json's files names it" in detail[0]["msg"] and detail[0]["loc"] == ["body"]
        assert counts(target) == before
        assert not list((tmp_path / "target").glob(".import-*"))  # the uploaded archive is not kept either

        response = target.post(f"/api/imports?trainer={trainer.email}", content=body, headers={**ZIP, **admin.headers})
        assert response.status_code == 201, response.text
        answer = response.json()
        assert set(answer) == {"client_id", "counts", "reused"} and answer["counts"]["workouts"] == 5
        user = target.get(f"/api/users/{answer['client_id']}", headers=trainer.headers).json()
        assert (user["email"], user["trainer_id"], user["role"]) == (studio.client_a1.email, trainer.id, "client")
        assert views(target, trainer, answer["client_id"]) == original
        assert_error(target.post("/api/imports", content=body, headers={**ZIP, **admin.headers}), 409)
        # The same archive as a form's `file` part (a browser, `curl -F file=@a1.zip`): only that part is read.
        assert_error(target.post("/api/imports", files={"file": ("a1.zip", body, "application/zip")},
                                 data={"client_id": "1"}, headers=admin.headers), 422)
        target.delete(f"/api/users/{answer['client_id']}", headers=admin.headers)
        response = target.post("/api/imports", files={"file": ("a1.zip", body, "application/zip")},
                               headers=admin.headers)
        assert response.status_code == 201, response.text
        again = response.json()
        # The studio has the client's exercises and session type now (the first import made them): reused, not
        # copied; and with no trainer named, the old trainer's read marker of the thread is left out.
        assert again["reused"] == {"exercises": 3, "session_types": 1}
        assert (again["counts"]["exercises"], again["counts"]["session_types"]) == (0, 0)
        assert again["counts"]["conversation_reads"] == answer["counts"]["conversation_reads"] - 1
        assert again["counts"]["workouts"] == answer["counts"]["workouts"]
        assert not list((tmp_path / "target").glob(".import-*"))


def test_the_command_imports_once_and_refuses_a_second_time(archive: Path, settings: Settings,
                                                            tmp_path: Path) -> None:
    target = target_settings(settings, tmp_path / "target")
    with elior(target) as started:
        trainer = make_trainer(started)
    env = environment(target.database_url, target.data_dir, FILE_ENCRYPTION_KEY=target.file_encryption_key or "")

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "elior", "import", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    done = command(str(archive), "--trainer", trainer.email)
    assert done.returncode == 0, done.stderr
    assert "imported" in done.stdout and "workouts 5" in done.stdout
    again = command(str(archive))
    assert again.returncode == 1 and "exists already" in again.stderr and "nothing was written" in again.stderr
    missing = command(str(tmp_path / "nothing.zip"))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    with elior(target) as started:
        found = started.get("/api/users?role=client", headers=trainer.headers).json()["items"]
    assert [user["trainer_id"] for user in found] == [trainer.id]


def test_an_imported_client_is_listed_at_once_though_the_list_was_just_read(
        studio: Studio, settings: Settings, archive: Path, tmp_path: Path) -> None:
    """The user lists are cached for a few seconds (elior.accounts.users); an import writes a user past that module,
    so it must clear them itself."""
    with elior(target_settings(settings, tmp_path / "target").with_overrides(cache_ttl_scale=1.0)) as target:
        admin = make_person(target, "admin")
        listed = lambda: [u["email"] for u in target.get("/api/users?role=client",  # noqa: E731
                                                         headers=admin.headers).json()["items"]]
        assert listed() == []  # read, and cached
        response = target.post("/api/imports", content=archive.read_bytes(), headers={**ZIP, **admin.headers})
        assert response.status_code == 201, response.text
        assert listed() == [studio.client_a1.email]
