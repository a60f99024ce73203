"""Who may export whom (the matrix), who may read an export, and the signed download link: tampered, expired, another
export's, or the export itself expired, all refused; housekeeping's remove_expired deletes the ZIP and the row."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.exports.jobs import export_dir, remove_expired
from elior.settings import Settings
from tests.bookings.world import ok
from tests.exports.world import export_of, wait_done
from tests.helpers import Studio, assert_error, run

# Who asks -> whether they may export client A1 (a client of trainer A).
MATRIX = {"client_a1": 202, "client_a2": 404, "client_b1": 404, "trainer_a": 202, "trainer_b": 404, "admin": 202}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_who_may_export_whom(client: TestClient, studio: Studio, who: str) -> None:
    caller, a1 = studio.everyone()[who], studio.client_a1
    response = client.post("/api/exports", json={"client_id": a1.id}, headers=caller.headers)
    if MATRIX[who] == 404:
        assert_error(response, 404)
        assert ok(client.get(f"/api/exports?client_id={a1.id}", headers=studio.admin.headers))["total"] == 0
        return
    assert response.status_code == 202, response.text
    started = response.json()
    assert response.headers["location"] == f"/api/exports/{started['id']}"
    wait_done(client, caller, started["id"])
    # Reading it follows the same rule, whoever asked for it.
    for name, status in MATRIX.items():
        reader = studio.everyone()[name]
        answer = client.get(f"/api/exports/{started['id']}", headers=reader.headers)
        assert answer.status_code == (200 if status == 202 else 404), (name, answer.text)


def test_only_clients_are_exported_and_bad_bodies_are_refused(client: TestClient, studio: Studio) -> None:
    admin = studio.admin
    assert_error(client.post("/api/exports", json={"client_id": studio.trainer_a.id}, headers=admin.headers), 404)
    assert_error(client.post("/api/exports", json={"client_id": 10 ** 12}, headers=admin.headers), 404)
    assert_error(client.post("/api/exports", json={}, headers=admin.headers), 422)
    assert_error(client.post("/api/exports", json={"client_id": "x"}, headers=admin.headers), 422)
    assert_error(client.post("/api/exports", json={"client_id": studio.client_a1.id}), 401)
    assert_error(client.get("/api/exports", headers=admin.headers), 422)  # staff name the client
    assert ok(client.get("/api/exports", headers=studio.client_a1.headers))["total"] == 0


def test_signed_link_tampered_or_for_another_export_is_refused(client: TestClient, studio: Studio) -> None:
    first = export_of(client, studio.client_a1, studio.client_a1.id)
    second = export_of(client, studio.trainer_b, studio.client_b1.id)
    path, sig = first["download_url"].split("?sig=")
    assert path == f"/api/exports/{first['id']}/download"
    assert client.get(first["download_url"]).status_code == 200
    tampered = sig[:-2] + ("AA" if not sig.endswith("AA") else "BB")
    assert_error(client.get(f"{path}?sig={tampered}"), 403)
    other_sig = second["download_url"].split("?sig=")[1]
    assert_error(client.get(f"{path}?sig={other_sig}"), 403)  # a valid signature, of another export
    assert_error(client.get(path), 422)  # no signature at all
    assert_error(client.get(f"/api/exports/{10 ** 6}/download?sig={sig}"), 403)


def test_signed_link_and_export_expire(client: TestClient, studio: Studio, settings: Settings,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    done = export_of(client, studio.client_a1, studio.client_a1.id)
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=settings.file_url_expire_minutes + 1))
    assert_error(client.get(done["download_url"]), 403)  # the link's own expiry
    fresh = ok(client.get(f"/api/exports/{done['id']}", headers=studio.client_a1.headers))
    assert client.get(fresh["download_url"]).status_code == 200  # GET again: a new link
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(hours=settings.export_expire_hours, minutes=1))
    expired = ok(client.get(f"/api/exports/{done['id']}", headers=studio.client_a1.headers))
    assert expired["download_url"] is None
    assert_error(client.get(fresh["download_url"]), 403)
    zips = list(export_dir(settings).glob("*.zip"))
    assert len(zips) == 1
    assert run(client, remove_expired, client.app.state.db, settings) == 1  # type: ignore[attr-defined]
    assert list(export_dir(settings).glob("*.zip")) == []
    assert_error(client.get(f"/api/exports/{done['id']}", headers=studio.client_a1.headers), 404)
    assert run(client, remove_expired, client.app.state.db, settings) == 0  # type: ignore[attr-defined]


def test_remove_expired_keeps_what_has_not_expired(client: TestClient, studio: Studio, settings: Settings) -> None:
    done = export_of(client, studio.client_a1, studio.client_a1.id)
    assert run(client, remove_expired, client.app.state.db, settings) == 0  # type: ignore[attr-defined]
    assert client.get(done["download_url"]).status_code == 200


def test_a_trainers_export_is_in_the_clients_access_log_and_the_clients_own_is_not(client: TestClient,
                                                                                  studio: Studio) -> None:
    export_of(client, studio.client_a1, studio.client_a1.id)  # the client's own: not logged
    export_of(client, studio.trainer_a, studio.client_a1.id)
    deadline = time.monotonic() + 10
    kinds: list[tuple[int, str]] = []
    while time.monotonic() < deadline:
        log = ok(client.get(f"/api/clients/{studio.client_a1.id}/access-log?limit=100",
                            headers=studio.client_a1.headers))
        kinds = [(item["actor_id"], item["kind"]) for item in log["items"] if item["kind"].startswith("exports.")]
        if (studio.trainer_a.id, "exports.change") in kinds:
            break
        time.sleep(0.2)
    assert (studio.trainer_a.id, "exports.change") in kinds
    assert {actor for actor, _ in kinds} == {studio.trainer_a.id}
