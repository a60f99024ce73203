"""Deleting a client's account at their request: asked by the client (the export offered), decided by an admin, and
afterwards no row of any table and no file on disk holds anything of theirs; the access log says only that it
happened."""
from __future__ import annotations

import datetime as dt
import time
from typing import Any

from starlette.testclient import TestClient

from elior import clock
from elior.mail import queue as mail_queue
from elior.web.tokens import make_access_token
from tests.audit.world import flush, log_of, raw_all, raw_execute
from tests.bookings.world import book, give_credits, make_type, set_week
from tests.helpers import Person, Studio, assert_error, run
from tests.samples import png
from tests.training_world import make_exercise, make_workout

CLIENT_ID = 900_001  # an id no other row of the test reaches, so finding it anywhere means it was left behind
EMAIL = "zebulon.quist@example.test"
NAME = "Zebulon Quist"
TODAY = dt.date.today()


def doomed_client(client: TestClient, trainer: Person) -> Person:
    """A client with a distinctive id, email and name, signed in like tests.helpers.make_person does it."""
    app, db = client.app, client.app.state.db  # type: ignore[attr-defined]
    password_hash = run(client, app.state.passwords.hash, "correct horse battery")  # type: ignore[attr-defined]
    raw_execute(client, "INSERT INTO users (id, email, password_hash, full_name, role, trainer_id, is_active, "
                "created_at, updated_at) VALUES (:id, :email, :hash, :name, 'client', :trainer, :yes, :now, :now)",
                id=CLIENT_ID, email=EMAIL, hash=password_hash, name=NAME, trainer=trainer.id, yes=True,
                now=clock.now())
    login_id = run(client, db.fetch_val, "accounts.auth.create_login", user_id=CLIENT_ID, now=clock.now(),
                   user_agent="pytest", address="127.0.0.1")
    token, _ = make_access_token(app.state.settings, user_id=CLIENT_ID, role="client",  # type: ignore[attr-defined]
                                 login_id=login_id)
    return Person(CLIENT_ID, EMAIL, "client", trainer.id, token)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def fill_every_domain(client: TestClient, studio: Studio, who: Person) -> str:
    """Records of the client in every domain, through the API where it has one; answers their uploaded file's name."""
    trainer = studio.trainer_a
    photo = ok(client.post("/api/files/upload", headers=who.headers, data={"purpose": "progress_photo"},
                           files={"file": ("me.png", png(), "image/png")}), 201)["filename"]
    plan = ok(client.post("/api/meal-plans", headers=trainer.headers, json={
        "client_id": who.id, "title": "Plan", "start_date": (TODAY - dt.timedelta(days=3)).isoformat(),
        "meals": [{"name": "Lunch", "items": [{"food": "Rice", "quantity_g": 100, "kcal": 130, "protein_g": 3,
                                               "carbs_g": 28, "fat_g": 0}]}]}), 201)
    entry = ok(client.post(f"/api/meal-plans/{plan['id']}/entries", headers=who.headers, json={
        "date": TODAY.isoformat(), "meal_name": "Lunch", "description": "rice", "kcal": 130}), 201)
    ok(client.put(f"/api/meal-plans/{plan['id']}/entries/{entry['id']}/review", headers=trainer.headers,
                  json={"status": "approved", "comment": "good"}))
    squat = make_exercise(client, trainer)
    workout = make_workout(client, trainer, who.id, [{"exercise_id": squat["id"], "sets": 1, "reps": 5}])
    ok(client.post(f"/api/workouts/{workout['id']}/log", headers=who.headers, json={
        "sets": [{"exercise_id": squat["id"], "set_number": 1, "reps": 5, "weight_kg": 60}]}), 201)
    ok(client.post("/api/progress", headers=who.headers, json={"date": TODAY.isoformat(), "weight_kg": 70}), 201)
    ok(client.post(f"/api/conversations/{who.id}/messages", headers=who.headers, json={"body": "hello coach"}), 201)
    ok(client.post(f"/api/conversations/{who.id}/messages", headers=trainer.headers, json={"body": "hi"}), 201)
    ok(client.post("/api/habits", headers=trainer.headers, json={"client_id": who.id, "title": "Walk"}), 201)
    kind = make_type(client, studio.admin)
    set_week(client, trainer)
    give_credits(client, trainer, who, kind)
    tomorrow = dt.datetime.combine(TODAY + dt.timedelta(days=2), dt.time(10, 0), tzinfo=dt.timezone.utc)
    ok(book(client, who, kind, tomorrow), 201)
    ok(client.post("/api/invites", headers=trainer.headers, json={"role": "client", "email": EMAIL}), 201)
    assert client.post("/api/auth/login", json={"email": EMAIL, "password": "wrong password!"}).status_code == 401
    run(client, mail_queue.enqueue, client.app.state.db, EMAIL, "Your plan", f"Hello {NAME}")  # type: ignore
    ok(client.get(f"/api/meal-plans/{plan['id']}", headers=trainer.headers))  # an access-log row
    flush(client)
    return photo  # type: ignore[no-any-return]


def tables(client: TestClient) -> dict[str, list[str]]:
    """Every table and its columns, from the database's own catalogue."""
    if client.app.state.db.dialect == "sqlite":  # type: ignore[attr-defined]
        names = [row["name"] for row in raw_all(client, "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: [col["name"] for col in raw_all(client, f"PRAGMA table_info({name})")] for name in names}
    found: dict[str, list[str]] = {}
    for row in raw_all(client, "SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"):
        found.setdefault(row["table_name"], []).append(row["column_name"])
    return found


def leftovers(client: TestClient) -> list[str]:
    """Where the client's id (in any id column), email or name (in any column, as text) is still found."""
    found = []
    for table, columns in tables(client).items():
        for column in columns:
            if column == "id" or column.endswith(("_id", "_by")):
                hits = raw_all(client, f'SELECT 1 AS hit FROM "{table}" WHERE "{column}" = :id', id=CLIENT_ID)
                found += [f"{table}.{column} = {CLIENT_ID}"] if hits else []
            for needle in (EMAIL, NAME, f'"client_id":{CLIENT_ID}'):
                hits = raw_all(client, f'SELECT 1 AS hit FROM "{table}" WHERE lower(CAST("{column}" AS TEXT)) '
                               f'LIKE :pattern', pattern=f"%{needle.lower()}%")
                found += [f"{table}.{column} holds {needle!r}"] if hits else []
    return found


def test_deletion_leaves_no_row_and_no_file_of_the_client(client: TestClient, studio: Studio) -> None:
    who = doomed_client(client, studio.trainer_a)
    photo = fill_every_domain(client, studio, who)
    assert leftovers(client), "the scan must find the client before the deletion"
    assert (client.app.state.settings.upload_dir / photo).exists()  # type: ignore[attr-defined]
    other_plan = ok(client.post("/api/meal-plans", headers=studio.trainer_a.headers, json={
        "client_id": studio.client_a2.id, "title": "Other", "start_date": TODAY.isoformat()}), 201)

    asked = ok(client.post("/api/account/deletion", headers=who.headers), 202)
    assert asked["export"]["href"] == "/api/exports" and asked["export"]["body"] == {"client_id": CLIENT_ID}
    assert asked["status"] == "pending"
    listed = ok(client.get("/api/deletion-requests", headers=studio.admin.headers))["items"]
    assert [(r["id"], r["email"], r["full_name"]) for r in listed] == [(asked["id"], EMAIL, NAME)]
    assert client.post(f"/api/deletion-requests/{asked['id']}/confirm",
                       headers=studio.admin.headers).status_code == 204
    flush(client)

    assert leftovers(client) == []
    assert not (client.app.state.settings.upload_dir / photo).exists()  # type: ignore[attr-defined]
    marker = raw_all(client, "SELECT client_id, actor_id, kind, request_id FROM access_log "
                     "WHERE kind = 'account.deleted'")
    assert marker == [{"client_id": None, "actor_id": studio.admin.id, "kind": "account.deleted",
                       "request_id": asked["id"]}]
    done = ok(client.get("/api/deletion-requests?status=done", headers=studio.admin.headers))["items"]
    assert [(r["id"], r["client_id"], r["email"], r["decided_by"]) for r in done] == [
        (asked["id"], None, None, studio.admin.id)]
    # Everyone else's records stay.
    assert ok(client.get(f"/api/meal-plans/{other_plan['id']}", headers=studio.client_a2.headers))["title"] == "Other"
    assert ok(client.get("/api/auth/me", headers=studio.trainer_a.headers))["id"] == studio.trainer_a.id
    assert_error(client.get("/api/auth/me", headers=who.headers), 401)


def test_deletion_asked_twice_is_one_request(client: TestClient, studio: Studio) -> None:
    first = ok(client.post("/api/account/deletion", headers=studio.client_a1.headers), 202)
    again = ok(client.post("/api/account/deletion", headers=studio.client_a1.headers), 202)
    assert first["id"] == again["id"]
    assert ok(client.get("/api/deletion-requests", headers=studio.admin.headers))["total"] == 1


def test_deletion_is_asked_by_clients_and_decided_by_admins(client: TestClient, studio: Studio) -> None:
    for staff in (studio.trainer_a, studio.admin):
        assert_error(client.post("/api/account/deletion", headers=staff.headers), 403)
    asked = ok(client.post("/api/account/deletion", headers=studio.client_a1.headers), 202)
    for other in (studio.trainer_a, studio.client_a1, studio.client_a2):
        assert_error(client.get("/api/deletion-requests", headers=other.headers), 403)
        assert_error(client.post(f"/api/deletion-requests/{asked['id']}/confirm", headers=other.headers), 403)
        assert_error(client.post(f"/api/deletion-requests/{asked['id']}/reject", headers=other.headers), 403)
    assert_error(client.post("/api/account/deletion"), 401)
    assert ok(client.get("/api/auth/me", headers=studio.client_a1.headers))["id"] == studio.client_a1.id


def test_deletion_rejected_keeps_the_account_and_cannot_be_confirmed(client: TestClient, studio: Studio) -> None:
    asked = ok(client.post("/api/account/deletion", headers=studio.client_a1.headers), 202)
    assert client.post(f"/api/deletion-requests/{asked['id']}/reject", headers=studio.admin.headers).status_code == 204
    assert_error(client.post(f"/api/deletion-requests/{asked['id']}/confirm", headers=studio.admin.headers), 409)
    assert_error(client.post(f"/api/deletion-requests/{asked['id']}/reject", headers=studio.admin.headers), 409)
    assert ok(client.get("/api/auth/me", headers=studio.client_a1.headers))["id"] == studio.client_a1.id
    rejected = ok(client.get("/api/deletion-requests?status=rejected", headers=studio.admin.headers))["items"]
    assert [(r["id"], r["client_id"]) for r in rejected] == [(asked["id"], studio.client_a1.id)]
    # A new request may follow a rejected one.
    assert ok(client.post("/api/account/deletion", headers=studio.client_a1.headers), 202)["id"] != asked["id"]


def test_deletion_unknown_request_and_bad_query(client: TestClient, studio: Studio) -> None:
    assert_error(client.post("/api/deletion-requests/424242/confirm", headers=studio.admin.headers), 404)
    assert_error(client.post("/api/deletion-requests/424242/reject", headers=studio.admin.headers), 404)
    assert_error(client.get("/api/deletion-requests?status=gone", headers=studio.admin.headers), 422)
    assert_error(client.get("/api/deletion-requests?limit=0", headers=studio.admin.headers), 422)


def test_deletion_access_log_of_the_client_is_gone_but_others_stay(client: TestClient, studio: Studio) -> None:
    for who in (studio.client_a1, studio.client_a2):
        ok(client.get(f"/api/meal-plans?client_id={who.id}", headers=studio.trainer_a.headers))
    assert log_of(client, studio.client_a2)["total"] == 1
    asked = ok(client.post("/api/account/deletion", headers=studio.client_a1.headers), 202)
    ok(client.get(f"/api/meal-plans?client_id={studio.client_a1.id}", headers=studio.admin.headers))  # queued
    assert client.post(f"/api/deletion-requests/{asked['id']}/confirm",
                       headers=studio.admin.headers).status_code == 204
    flush(client)
    assert raw_all(client, "SELECT id FROM access_log WHERE client_id = :id", id=studio.client_a1.id) == []
    assert log_of(client, studio.client_a2)["total"] == 1
    assert_error(client.get(f"/api/clients/{studio.client_a1.id}/access-log", headers=studio.admin.headers), 404)


def test_deletion_removes_the_export_the_client_took_first(client: TestClient, studio: Studio) -> None:
    who = studio.client_a1
    asked = ok(client.post("/api/account/deletion", headers=who.headers), 202)
    offer = asked["export"]
    export = ok(client.request(offer["method"], offer["href"], json=offer["body"], headers=who.headers), 202)
    deadline = time.monotonic() + 30
    while export["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.1)
        export = ok(client.get(f"/api/exports/{export['id']}", headers=who.headers))
    assert export["status"] == "done", export
    folder = client.app.state.settings.data_dir / "exports"  # type: ignore[attr-defined]
    zips = {path.name for path in folder.iterdir()}
    assert zips
    assert client.post(f"/api/deletion-requests/{asked['id']}/confirm",
                       headers=studio.admin.headers).status_code == 204
    assert {path.name for path in folder.iterdir()} & zips == set()
    assert raw_all(client, "SELECT id FROM exports WHERE client_id = :id", id=who.id) == []
